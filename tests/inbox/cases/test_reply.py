"""A coordinator's reply leaves on the person's own channel, rendered like the bot's,
and the bot stays quiet until the conversation is handed back."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from inbox.cases import CannotReach, CaseError, change_status, hand_back, reply
from storage.models import Case, CaseEvent, Conversation, Message, User
from tests.bot.test_runtime import SARCELLES_ANSWERS, talk
from tests.inbox.cases.helpers import outbox_count

TELEGRAM_ANSWERS = ["/start", "1", "2 3", "1", "9", "Sarcelles", "2", "1"]
TEXT = "Bonjour, c’est Marie. Vous êtes disponible demain à 10 h ?"


def the_case(db) -> Case:
    return db.scalars(select(Case)).one()


def answer(tx, clock, user_id: int, text: str = TEXT) -> list[int]:
    with tx() as s:
        case = s.scalars(select(Case)).one()
        return reply(s, case, s.get(User, user_id), text, clock())


def conversation_status(db) -> str:
    return db.scalars(select(Conversation)).one().status


def test_a_reply_is_one_sms_in_gsm7_on_the_persons_number(sms_phone, tx, db, people, clock):
    talk(sms_phone, *SARCELLES_ANSWERS)
    before = db.scalar(select(Message.id).order_by(Message.id.desc()).limit(1))
    clock.advance(minutes=30)
    ids = answer(tx, clock, people.marie)

    rows = db.scalars(select(Message).where(Message.id > before)).all()
    assert [r.id for r in rows] == ids and len(ids) == 1
    [row] = rows
    assert (row.direction, row.channel, row.status, row.case_id) == ("out", "sms-sim", "queued",
                                                                     the_case(db).id)
    assert row.body == "Bonjour, c'est Marie. Vous etes disponible demain à 10 h ?"
    assert row.segments == 1
    assert [m.body for m in sms_phone.collect()] == [row.body]


def test_a_telegram_reply_keeps_the_text_as_written(telegram_phone, tx, db, people, clock):
    talk(telegram_phone, *TELEGRAM_ANSWERS)
    answer(tx, clock, people.marie)
    [received] = telegram_phone.collect()
    assert received.body == TEXT


def test_replying_records_the_first_response_and_ends_the_wait(sms_phone, tx, db, people, clock):
    talk(sms_phone, *SARCELLES_ANSWERS)
    with tx() as s:
        case = s.scalars(select(Case)).one()
        case.waiting_since, case.unread = clock(), True
    clock.advance(hours=2)
    ids = answer(tx, clock, people.marie)
    case = the_case(db)
    assert (case.first_response_at, case.waiting_since, case.unread) == (clock(), None, False)
    assert case.status == "in_progress"  # a new case is in progress once answered
    kinds = [(e.kind, e.actor, e.data) for e in db.scalars(select(CaseEvent).order_by(CaseEvent.id))]
    assert kinds[-2:] == [
        ("status_changed", f"user:{people.marie}", {"from": "new", "to": "in_progress"}),
        ("replied", f"user:{people.marie}", {"message_ids": ids}),
    ]
    first = clock()
    clock.advance(hours=1)
    answer(tx, clock, people.sam, "Et aussi : pensez à votre pièce d'identité.")
    assert the_case(db).first_response_at == first  # the first response stays the first


def test_the_bot_stays_quiet_while_a_coordinator_converses(sms_phone, tx, db, people, clock):
    talk(sms_phone, *SARCELLES_ANSWERS)
    answer(tx, clock, people.marie)
    sms_phone.collect()
    assert conversation_status(db) == "with_human"
    assert sms_phone.send("Oui demain 10 h c'est bien") == []  # no bot answer
    last_in = db.scalars(select(Message).where(Message.direction == "in")
                         .order_by(Message.id.desc()).limit(1)).one()
    assert (last_in.body, last_in.case_id) == ("Oui demain 10 h c'est bien", the_case(db).id)


def test_handing_back_lets_the_bot_acknowledge_again(sms_phone, tx, db, people, clock):
    talk(sms_phone, *SARCELLES_ANSWERS)
    answer(tx, clock, people.marie)
    sms_phone.collect()
    with tx() as s:
        event = hand_back(s, s.scalars(select(Case)).one(), s.get(User, people.marie), clock())
    assert event.kind == "handed_back"
    assert conversation_status(db) == "done"
    [ack] = sms_phone.send("Merci !")
    assert ack.body.startswith("Merci, votre message est transmis")
    assert sms_phone.send("Encore une chose") == []  # acknowledged once, as before


def test_closing_hands_back_to_the_bot(sms_phone, tx, db, people, clock):
    talk(sms_phone, *SARCELLES_ANSWERS)
    answer(tx, clock, people.marie)
    with tx() as s:
        change_status(s, s.scalars(select(Case)).one(), s.get(User, people.marie), "closed",
                      clock(), outcome="solution_found")
    assert conversation_status(db) == "done"


def test_no_reply_to_someone_who_said_stop(sms_phone, tx, db, people, clock):
    talk(sms_phone, *SARCELLES_ANSWERS)
    sms_phone.send("STOP")
    before = db.scalar(select(Message.id).order_by(Message.id.desc()).limit(1))
    with pytest.raises(CannotReach, match="STOP"):
        answer(tx, clock, people.marie)
    assert db.scalar(select(Message.id).order_by(Message.id.desc()).limit(1)) == before


def test_no_reply_to_someone_whose_data_is_gone(sms_phone, tx, db, people, clock):
    talk(sms_phone, *SARCELLES_ANSWERS)
    with tx() as s:
        s.scalars(select(Case)).one().contact_id = None  # anonymised
    with pytest.raises(CannotReach, match="effacé ses données"):
        answer(tx, clock, people.marie)


def test_no_empty_reply_and_no_reply_on_a_closed_case(sms_phone, tx, db, people, clock):
    talk(sms_phone, *SARCELLES_ANSWERS)
    with pytest.raises(CaseError, match="vide"):
        answer(tx, clock, people.marie, "   ")
    with tx() as s:
        change_status(s, s.scalars(select(Case)).one(), s.get(User, people.marie), "closed",
                      clock(), outcome="declined")
    with pytest.raises(CaseError, match="close"):
        answer(tx, clock, people.marie)
    with tx() as s:
        assert outbox_count(s) == len(SARCELLES_ANSWERS)
