"""Times as users read them: Dutch time, dd-mm-jjjj hh:mm."""

from __future__ import annotations

from datetime import datetime, timezone, tzinfo

TIJDZONE: tzinfo
try:
    from zoneinfo import ZoneInfo

    TIJDZONE = ZoneInfo("Europe/Amsterdam")
except Exception:  # noqa: BLE001 - no tz database: show UTC
    TIJDZONE = timezone.utc


def tijd_tekst(moment: datetime | None) -> str:
    """'30-11-2026 06:09' in Dutch time; '-' for None; a naive time counts as UTC."""
    if moment is None:
        return "-"
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(TIJDZONE).strftime("%d-%m-%Y %H:%M")
