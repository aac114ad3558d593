"""When the service may write first: weekdays and Saturdays, in the daytime, in France.

Answers to a person who just wrote go at once; reminders and news wait for these hours
(never on Sundays or public holidays, Europe/Paris time).
"""
from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays

PARIS = ZoneInfo("Europe/Paris")
DAYTIME = (time(9, 0), time(19, 0))
_HOLIDAYS = holidays.France()


def may_write_first(now: datetime) -> bool:
    """Whether a proactive message may be sent at this moment."""
    local = now.astimezone(PARIS)
    if local.weekday() == 6 or local.date() in _HOLIDAYS:
        return False
    return DAYTIME[0] <= local.time() < DAYTIME[1]


def next_time_to_write_first(now: datetime) -> datetime:
    """`now` if a proactive message may go now, else the start of the next allowed day
    (9:00 Paris time on the next weekday or Saturday that is not a public holiday)."""
    if may_write_first(now):
        return now
    local = now.astimezone(PARIS)
    day = local.date() if local.time() < DAYTIME[0] else local.date() + timedelta(days=1)
    while day.weekday() == 6 or day in _HOLIDAYS:
        day += timedelta(days=1)
    return datetime.combine(day, DAYTIME[0], tzinfo=PARIS).astimezone(now.tzinfo)
