"""A submission's times as the admin shows them: in its call's zone, the zone named."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils import formats, timezone
from django.utils.translation import gettext, gettext_lazy

from submissions.models import Call

# The place a zone is known by at the Committee: Geneva keeps Zurich's time.
ZONE_PLACES = {
    "Europe/Zurich": gettext_lazy("Geneva"),
    "UTC": gettext_lazy("UTC"),
}


def zone_place(zone: ZoneInfo) -> str:
    """The zone's name for a reader: "Geneva", or the city of its key ("New York")."""
    known = ZONE_PLACES.get(zone.key)
    if known is not None:
        return str(known)
    return zone.key.rsplit("/", 1)[-1].replace("_", " ")


def local_time(moment: datetime | None, call: Call) -> str:
    """`moment` in the call's zone, with the zone: "12 Sep 2022, 23:59 (Geneva)"."""
    if moment is None:
        return "-"
    zone = call.zone
    local = timezone.localtime(moment, zone)
    return gettext("%(time)s (%(zone)s)") % {
        "time": formats.date_format(local, "j M Y, H:i"),
        "zone": zone_place(zone),
    }
