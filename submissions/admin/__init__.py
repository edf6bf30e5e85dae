"""The Secretariat's admin. Importing the modules registers their model admins."""

from submissions.admin import calls, drafts, mail, submissions  # noqa: F401
