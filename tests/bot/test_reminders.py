"""Idle conversations get one gentle reminder in the daytime, then expire after a week."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from bot.proactive import may_write_first, next_time_to_write_first
from bot.reminders import sweep
from bot.settings import Settings
from storage.models import Conversation, Message

SETTINGS = Settings()


def queued(db) -> list[str]:
    return [m.body for m in db.scalars(select(Message).where(Message.status == "queued"))]


def test_one_reminder_after_a_day_of_silence(sms_phone, session_factory, clock, db):
    sms_phone.send("Bonjour")
    sms_phone.send("oui")
    clock.advance(hours=23)
    assert sweep(session_factory, SETTINGS, clock.now) == 0
    clock.advance(hours=2)
    assert sweep(session_factory, SETTINGS, clock.now) == 1
    [reminder] = queued(db)
    assert reminder.startswith("Bonjour, c'est Relais Mobilité.")
    assert "STOP" in reminder  # a proactive message says how to stop
    clock.advance(hours=5)
    assert sweep(session_factory, SETTINGS, clock.now) == 0  # only one reminder


def test_after_a_week_the_answers_are_forgotten(sms_phone, session_factory, clock, db):
    sms_phone.send("Bonjour")
    sms_phone.send("oui")
    sms_phone.send("j'ai pas de voiture")
    clock.advance(days=8)
    assert sweep(session_factory, SETTINGS, clock.now) == 1
    conversation = db.scalars(select(Conversation)).one()
    assert conversation.status == "expired" and conversation.state["answers"] == {}
    bodies = [m.body for m in db.scalars(select(Message).where(Message.direction == "in"))]
    assert bodies == ["", "", ""]
    replies = sms_phone.send("re")
    assert replies[0].body.startswith("Re-bonjour ! Cela fait plus d'une semaine.")


def test_no_reminder_on_a_sunday_but_expiry_still_happens(sms_phone, session_factory, clock, db):
    clock.now = datetime(2026, 3, 7, 10, 0, tzinfo=timezone.utc)  # a Saturday
    sms_phone.send("Bonjour")
    clock.advance(days=1)  # Sunday
    assert sweep(session_factory, SETTINGS, clock.now) == 0
    clock.advance(days=1)  # Monday
    assert sweep(session_factory, SETTINGS, clock.now) == 1
    assert len(queued(db)) == 1


@pytest.mark.parametrize("moment, allowed", [
    (datetime(2026, 3, 2, 8, 30, tzinfo=timezone.utc), True),   # Monday 9:30 in Paris
    (datetime(2026, 3, 2, 7, 30, tzinfo=timezone.utc), False),  # Monday 8:30 in Paris
    (datetime(2026, 3, 2, 18, 30, tzinfo=timezone.utc), False),  # Monday 19:30 in Paris
    (datetime(2026, 7, 4, 12, 0, tzinfo=timezone.utc), True),   # a Saturday in summer
    (datetime(2026, 7, 5, 12, 0, tzinfo=timezone.utc), False),  # a Sunday
    (datetime(2026, 7, 14, 12, 0, tzinfo=timezone.utc), False),  # Bastille Day
    (datetime(2026, 5, 25, 12, 0, tzinfo=timezone.utc), False),  # Whit Monday
])
def test_the_service_writes_first_only_in_french_daytime(moment, allowed):
    assert may_write_first(moment) is allowed


@pytest.mark.parametrize("now, expected", [
    # Monday 10:00 Paris (9:00 UTC, winter): now
    (datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc), datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)),
    # Monday 20:00 Paris: Tuesday 9:00 Paris
    (datetime(2026, 3, 2, 19, 0, tzinfo=timezone.utc), datetime(2026, 3, 3, 8, 0, tzinfo=timezone.utc)),
    # Tuesday 7:00 Paris: the same day at 9:00
    (datetime(2026, 3, 3, 6, 0, tzinfo=timezone.utc), datetime(2026, 3, 3, 8, 0, tzinfo=timezone.utc)),
    # Saturday 20:00 Paris: Monday 9:00 (Sunday is skipped)
    (datetime(2026, 3, 7, 19, 0, tzinfo=timezone.utc), datetime(2026, 3, 9, 8, 0, tzinfo=timezone.utc)),
    # Thursday 30 April 2026, 20:00 Paris (summer time): 1 May is a holiday, then Saturday
    (datetime(2026, 4, 30, 18, 0, tzinfo=timezone.utc), datetime(2026, 5, 2, 7, 0, tzinfo=timezone.utc)),
])
def test_next_time_to_write_first(now, expected):
    assert next_time_to_write_first(now) == expected
    assert may_write_first(expected)
