"""Calendar days as coordinators live them: in Europe/Paris, whatever the server's zone."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")


def paris_midnight(day: date) -> datetime:
    """The start of `day` in Paris, as an aware UTC datetime (DST-safe)."""
    return datetime.combine(day, time(0), tzinfo=PARIS).astimezone(timezone.utc)


def paris_today(now: datetime) -> tuple[datetime, datetime]:
    """The bounds [start, end) of the Paris day that contains `now`, in UTC."""
    today = now.astimezone(PARIS).date()
    return paris_midnight(today), paris_midnight(today + timedelta(days=1))


def as_moment(when: date | datetime) -> datetime:
    """A date means its Paris midnight; a datetime must be aware (naive is refused)."""
    if isinstance(when, datetime):
        if when.tzinfo is None or when.utcoffset() is None:
            raise ValueError("naive datetime refused: give an aware datetime or a date")
        return when.astimezone(timezone.utc)
    return paris_midnight(when)
