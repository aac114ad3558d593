"""The bot's side of the inbox: marks when the person writes, and a new case (or the
old one reopened) when they write after their case was closed."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.handover import case_for_new_message, hand_back_to_bot, person_wrote
from flows.model import Inbound
from inbox.cases import change_status, reply
from storage.models import Case, CaseEvent, Contact, Conversation, Message, User
from tests.bot.test_runtime import SARCELLES_ANSWERS, talk
from tests.inbox.cases.helpers import T0, make_case


def close(tx, clock, user_id: int, outcome: str = "solution_found") -> None:
    with tx() as s:
        case = s.scalars(select(Case).where(Case.status != "closed")).one()
        change_status(s, case, s.get(User, user_id), "closed", clock(), outcome=outcome)


def new_message(tx, clock, text: str = "Bonjour, c'est encore moi", reopen: bool = False):
    with tx() as s:
        contact = s.scalars(select(Contact)).one()
        case = case_for_new_message(s, contact, clock(), reopen=reopen,
                                    inbound=Inbound(text=text, channel="telegram-sim"))
        return case.id if case else None


# --- person_wrote ------------------------------------------------------------------

def test_person_wrote_marks_the_case_unread_and_waiting_since_the_first_message(tx, teams):
    with tx() as s:
        case_id = make_case(s, teams["sarcelles"], status="in_progress").id
    for minutes in (0, 10):
        with tx() as s:
            person_wrote(s, s.get(Case, case_id), T0.replace(minute=minutes))
    with tx() as s:
        case = s.get(Case, case_id)
        assert (case.last_inbound_at, case.waiting_since, case.unread) == (
            T0.replace(minute=10), T0, True)
        assert s.scalars(select(CaseEvent)).all() == []


def test_an_answer_to_a_waiting_case_puts_it_back_in_progress(tx, teams):
    with tx() as s:
        case_id = make_case(s, teams["sarcelles"], status="waiting").id
    with tx() as s:
        person_wrote(s, s.get(Case, case_id), T0)
    with tx() as s:
        assert s.get(Case, case_id).status == "in_progress"
        event = s.scalars(select(CaseEvent)).one()
        assert (event.kind, event.actor, event.data) == (
            "status_changed", "person", {"from": "waiting", "to": "in_progress"})


def test_a_closed_case_is_left_alone(tx, teams):
    with tx() as s:
        case_id = make_case(s, teams["sarcelles"], status="closed", outcome="declined").id
    with tx() as s:
        person_wrote(s, s.get(Case, case_id), T0)
        person_wrote(s, None, T0)
    with tx() as s:
        case = s.get(Case, case_id)
        assert (case.waiting_since, case.unread) == (None, False)


# --- case_for_new_message ----------------------------------------------------------

def test_the_open_case_takes_the_message(sms_phone, tx, db, clock):
    talk(sms_phone, *SARCELLES_ANSWERS)
    assert new_message(tx, clock) == db.scalars(select(Case)).one().id


def test_after_a_closed_case_a_new_linked_case_opens_with_nothing_personal(
        sms_phone, tx, db, people, clock, teams):
    talk(sms_phone, *SARCELLES_ANSWERS)
    close(tx, clock, people.marie)
    clock.advance(days=30)
    new_id = new_message(tx, clock)

    old, new = db.scalars(select(Case).order_by(Case.id)).all()
    assert new.id == new_id and new.previous_case_id == old.id
    assert (new.status, new.source, new.channel, new.team_id) == (
        "new", "self", "telegram-sim", teams["sarcelles"])
    assert (new.commune_insee, new.difficulties, new.purposes, new.callback_phone) == (
        None, [], [], None)
    assert (new.consent_by, new.consent_at) == (old.consent_by, old.consent_at)
    assert new.reference == "RM-2026-00002" and new.created_at == clock()
    events = {(e.case_id, e.kind, e.actor) for e in db.scalars(select(CaseEvent))}
    assert {(new.id, "created", "person"), (old.id, "followed_by", "person")} <= events
    conversation = db.scalars(select(Conversation)).one()
    assert conversation.state["pending"] == {"ended": "case_created"}  # acknowledged again


def test_with_the_setting_the_closed_case_reopens_instead(sms_phone, tx, db, people, clock):
    talk(sms_phone, *SARCELLES_ANSWERS)
    close(tx, clock, people.marie)
    old = db.scalars(select(Case)).one()
    assert new_message(tx, clock, reopen=True) == old.id
    case = db.scalars(select(Case)).one()
    assert (case.status, case.outcome, case.closed_at) == ("in_progress", None, None)
    last = db.scalars(select(CaseEvent).order_by(CaseEvent.id.desc()).limit(1)).one()
    assert (last.kind, last.actor, last.data) == (
        "status_changed", "person", {"from": "closed", "to": "in_progress",
                                     "outcome": "solution_found"})


@pytest.mark.parametrize("text", ["STOP", "AIDE", "EFFACER", "RECOMMENCER", "LANGUE"])
def test_a_global_word_opens_no_case(sms_phone, tx, db, people, clock, text):
    talk(sms_phone, *SARCELLES_ANSWERS)
    close(tx, clock, people.marie)
    assert new_message(tx, clock, text) is None
    assert len(db.scalars(select(Case)).all()) == 1


def test_the_answer_to_langue_opens_no_case(sms_phone, tx, db, people, clock):
    talk(sms_phone, *SARCELLES_ANSWERS)
    close(tx, clock, people.marie)
    sms_phone.send("LANGUE")
    assert new_message(tx, clock, "2") is None
    assert len(db.scalars(select(Case)).all()) == 1


def test_appel_after_a_closed_case_opens_one(sms_phone, tx, db, people, clock):
    talk(sms_phone, *SARCELLES_ANSWERS)
    close(tx, clock, people.marie)
    assert new_message(tx, clock, "APPEL") is not None


def test_no_case_while_the_person_answers_the_bots_questions(sms_phone, tx, db, people, clock):
    sms_phone.send("Bonjour")  # the questionnaire starts: no case yet
    assert new_message(tx, clock) is None
    talk(sms_phone, *SARCELLES_ANSWERS[1:])
    close(tx, clock, people.marie)
    sms_phone.send("RECOMMENCER")  # a new questionnaire: it will make its own case
    assert new_message(tx, clock) is None


def test_hand_back_only_changes_a_conversation_with_a_coordinator(sms_phone, tx, db, people, clock):
    talk(sms_phone, *SARCELLES_ANSWERS)
    with tx() as s:
        assert hand_back_to_bot(s, s.scalars(select(Case)).one(), clock()) is False
    with tx() as s:
        reply(s, s.scalars(select(Case)).one(), s.get(User, people.marie), "Bonjour", clock())
    with tx() as s:
        assert hand_back_to_bot(s, s.scalars(select(Case)).one(), clock()) is True
    assert db.scalars(select(Conversation)).one().status == "done"


# --- through the runtime ---------------------------------------------------------------

def test_runtime_a_message_after_a_closed_case_lands_on_a_new_linked_case(
        sms_phone, tx, db, people, clock):
    talk(sms_phone, *SARCELLES_ANSWERS)
    close(tx, clock, people.marie)
    clock.advance(days=3)
    [ack] = sms_phone.send("Ma voiture est encore en panne")
    assert ack.body.startswith("Merci, votre message est transmis")
    old, new = db.scalars(select(Case).order_by(Case.id)).all()
    assert new.previous_case_id == old.id
    last_in = db.scalars(select(Message).where(Message.direction == "in")
                         .order_by(Message.id.desc()).limit(1)).one()
    assert last_in.case_id == new.id
    assert (new.waiting_since, new.last_inbound_at, new.unread) == (clock(), clock(), True)


def test_runtime_the_persons_answer_to_a_coordinator_waits_and_is_unread(
        sms_phone, tx, db, people, clock):
    talk(sms_phone, *SARCELLES_ANSWERS)
    with tx() as s:
        reply(s, s.scalars(select(Case)).one(), s.get(User, people.marie), "Bonjour !", clock())
    sms_phone.collect()
    clock.advance(minutes=5)
    assert sms_phone.send("Bonjour, oui je suis là") == []
    case = db.scalars(select(Case)).one()
    assert (case.waiting_since, case.unread, case.last_inbound_at) == (clock(), True, clock())


def test_runtime_a_new_case_from_the_bot_is_waiting_and_unread(sms_phone, db, clock):
    talk(sms_phone, *SARCELLES_ANSWERS)
    case = db.scalars(select(Case)).one()
    assert (case.waiting_since, case.unread) == (clock(), True)
