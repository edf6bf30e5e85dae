"""What a refused action raises: a message for the person who asked for it."""

from __future__ import annotations


class ServiceError(Exception):
    """A refused action, with a message for the person who asked for it."""


class TransitionNotAllowed(ServiceError):
    """The table, or the person's permissions, do not allow this change of state."""
