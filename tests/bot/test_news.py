"""News to the network: who gets it (once), and that it only ever leaves in daytime."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from bot import news
from bot.channels.base import SendError
from bot.delivery import drain, record_status
from bot.delivery_limits import RateLimits
from bot.settings import Settings
from storage.models import Broadcast, ChannelAddress, Message, NetworkMember
from tests.bot.delivery.support import FakeSender, add_outbox
from tests.support.news_members import seed_members

SUNDAY_AFTERNOON = datetime(2026, 3, 1, 14, 0, tzinfo=timezone.utc)  # 15:00 in Paris
MONDAY_NINE = datetime(2026, 3, 2, 8, 0, tzinfo=timezone.utc)  # 9:00 in Paris (UTC+1)
SETTINGS = Settings(delivery_max_attempts=5)


@pytest.fixture
def senders():
    return {"sms": FakeSender("sms"), "telegram": FakeSender("telegram")}


def broadcast(session_factory, now, audience=news.Audience(), text="Réunion du réseau jeudi."):
    with session_factory.begin() as session:
        row = Broadcast(text=text, token=f"t-{now.timestamp()}-{audience}", not_before=now,
                        created_at=now, organisation_id=audience.organisation_id,
                        role=audience.role)
        session.add(row)
        session.flush()
        return row.id, news.queue_broadcast(session, row, audience, now)


def run(session_factory, senders, at):
    return drain(session_factory, senders, lambda: at, SETTINGS, limits=RateLimits({}))


def sent_to(senders) -> list[str]:
    return sorted(address for sender in senders.values() for address, _ in sender.calls)


def test_only_opted_in_members_still_in_and_reachable_get_it_once(session_factory, db, senders):
    members = seed_members(session_factory, MONDAY_NINE)
    broadcast_id, ids = broadcast(session_factory, MONDAY_NINE + timedelta(hours=1))
    run(session_factory, senders, MONDAY_NINE + timedelta(hours=1))
    run(session_factory, senders, MONDAY_NINE + timedelta(hours=2))

    assert sent_to(senders) == sorted(members.addresses.values())  # Lina on Telegram, once
    assert db.get(Broadcast, broadcast_id).recipients == 3
    assert len(ids) == 3
    samir = next(body for address, body in senders["telegram"].calls if address == "5001")
    assert samir.startswith("Réunion du réseau jeudi.\n\n")
    assert samir.endswith("لإيقاف هذه الأخبار، اكتب NOUVELLES.")  # in his language


def test_the_audience_can_be_one_organisation_or_one_role(session_factory):
    members = seed_members(session_factory, MONDAY_NINE)
    with session_factory() as session:
        def names(audience):
            return sorted(r.contact.first_name for r in news.recipients(session, audience))
        assert names(news.Audience(members.ccas)) == ["Awa", "Lina"]
        assert names(news.Audience(role="ambassador")) == ["Samir"]
        assert names(news.Audience(members.garges, "alert_giver")) == []


def test_on_a_sunday_it_waits_for_monday_morning(session_factory, db, senders):
    seed_members(session_factory, SUNDAY_AFTERNOON)
    broadcast_id, ids = broadcast(session_factory, SUNDAY_AFTERNOON)
    assert db.get(Broadcast, broadcast_id).not_before == MONDAY_NINE

    run(session_factory, senders, SUNDAY_AFTERNOON + timedelta(hours=6))
    run(session_factory, senders, MONDAY_NINE - timedelta(minutes=1))
    assert sent_to(senders) == []
    run(session_factory, senders, MONDAY_NINE)
    assert len(sent_to(senders)) == 3


def test_a_due_news_row_is_never_claimed_at_night(session_factory, db, senders):
    """Queued at 18:30, but the worker was down until 19:30: it waits for the morning."""
    seed_members(session_factory, MONDAY_NINE)
    _broadcast_id, ids = broadcast(session_factory, datetime(2026, 3, 2, 17, 30, tzinfo=timezone.utc))
    run(session_factory, senders, datetime(2026, 3, 2, 18, 30, tzinfo=timezone.utc))
    assert sent_to(senders) == []
    run(session_factory, senders, datetime(2026, 3, 3, 8, 0, tzinfo=timezone.utc))
    assert len(sent_to(senders)) == 3


@pytest.mark.parametrize("change", ["stop", "quitter", "no more news"])
def test_news_queued_before_a_stop_or_a_no_is_not_sent(session_factory, db, senders, change):
    from inbox.network import progress
    seed_members(session_factory, SUNDAY_AFTERNOON)
    broadcast_id, ids = broadcast(session_factory, SUNDAY_AFTERNOON)
    with session_factory.begin() as session:  # Awa, on Sunday evening
        address = session.scalars(select(ChannelAddress).where(
            ChannelAddress.address == "+33611111111")).one()
        member = session.scalars(select(NetworkMember).where(
            NetworkMember.contact_id == address.contact_id)).one()
        if change == "stop":
            address.opted_out_at = SUNDAY_AFTERNOON
        elif change == "quitter":
            member.left_at = SUNDAY_AFTERNOON
        else:
            member.news_opt_in = False
    run(session_factory, senders, MONDAY_NINE)
    assert "+33611111111" not in sent_to(senders) and len(sent_to(senders)) == 2
    with session_factory() as session:
        counts = progress(session, broadcast_id)
    assert (counts.sent, counts.cancelled, counts.failed) == (2, 1, 0)


def test_a_retry_that_would_fall_at_night_waits_for_the_morning(session_factory, db):
    late = datetime(2026, 3, 2, 17, 59, 59, tzinfo=timezone.utc)  # 18:59:59 in Paris
    seed_members(session_factory, late)
    failing = {"sms": FakeSender("sms", [SendError("timeout")] * 2),
               "telegram": FakeSender("telegram", [SendError("timeout")] * 2)}
    _broadcast_id, ids = broadcast(session_factory, late)
    run(session_factory, failing, late)

    tuesday_nine = datetime(2026, 3, 3, 8, 0, tzinfo=timezone.utc)
    retries = [db.get(Message, message_id) for message_id in ids]
    assert {row.status for row in retries} == {"queued"}
    assert all(row.next_attempt_at == tuesday_nine for row in retries)


def test_news_waiting_for_the_day_does_not_hold_back_a_reply(session_factory, db, senders):
    seed_members(session_factory, SUNDAY_AFTERNOON)
    broadcast(session_factory, SUNDAY_AFTERNOON)
    awa = db.scalars(select(ChannelAddress).where(ChannelAddress.address == "+33611111111")).one()
    [reply] = add_outbox(session_factory, "sms", awa.address, ["Merci !"], SUNDAY_AFTERNOON)
    run(session_factory, senders, SUNDAY_AFTERNOON)
    assert senders["sms"].calls == [("+33611111111", "Merci !")]
    assert db.get(Message, reply).status == "sent"


def test_progress_follows_the_status_callbacks(session_factory, db, senders):
    from inbox.network import progress
    seed_members(session_factory, MONDAY_NINE)
    broadcast_id, ids = broadcast(session_factory, MONDAY_NINE)
    with session_factory() as session:
        assert progress(session, broadcast_id).waiting == 3
    run(session_factory, senders, MONDAY_NINE)
    rows = [db.get(Message, message_id) for message_id in ids]
    sms_row = next(row for row in rows if row.channel == "sms")
    telegram_rows = [row for row in rows if row.channel == "telegram"]
    record_status(session_factory, "sms", sms_row.provider_id, "delivered", None, MONDAY_NINE)
    record_status(session_factory, "telegram", telegram_rows[0].provider_id, "undelivered", "30003",
                  MONDAY_NINE)
    with session_factory() as session:
        counts = progress(session, broadcast_id)
    assert (counts.waiting, counts.sent, counts.delivered, counts.failed) == (0, 1, 1, 1)
    assert counts.done
