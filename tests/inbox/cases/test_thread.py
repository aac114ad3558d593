"""The case page: messages, notes and events merged in time order, names in words."""
from __future__ import annotations

from sqlalchemy import select

from inbox.cases import add_note, reply, thread, timeline
from storage.models import Case, Message, User
from tests.bot.test_runtime import SARCELLES_ANSWERS, talk


def test_the_thread_merges_messages_notes_and_events_in_order(sms_phone, tx, db, people, clock):
    talk(sms_phone, *SARCELLES_ANSWERS)
    clock.advance(minutes=10)
    with tx() as s:
        case, marie = s.scalars(select(Case)).one(), s.get(User, people.marie)
        add_note(s, case, marie, "Appeler plutôt le matin", clock())
        clock.advance(minutes=1)
        [reply_id] = reply(s, case, marie, "Bonjour, je vous appelle demain.", clock())
    with tx() as s:
        s.get(Message, reply_id).status, s.get(Message, reply_id).error = "failed", "30003 Unreachable"
    with tx() as s:
        items = thread(s, s.scalars(select(Case)).one())

    assert [i.at for i in items] == sorted(i.at for i in items)
    messages = [i for i in items if i.kind == "message"]
    assert [m.body for m in messages if m.direction == "in"] == SARCELLES_ANSWERS
    assert {m.author for m in messages if m.direction == "out"} == {"Robot", "Marie"}
    last = messages[-1]
    assert (last.author, last.channel, last.status, last.error, last.segments) == (
        "Marie", "sms-sim", "failed", "30003 Unreachable", 1)
    tail = [(i.kind, i.event.kind if i.event else i.body) for i in items[-5:]]
    assert tail == [
        ("note", "Appeler plutôt le matin"), ("event", "note_added"),
        ("message", "Bonjour, je vous appelle demain."),  # a message before its event
        ("event", "status_changed"), ("event", "replied"),
    ]


def test_the_timeline_names_who_did_what(sms_phone, tx, people, clock):
    talk(sms_phone, *SARCELLES_ANSWERS)
    with tx() as s:
        case = s.scalars(select(Case)).one()
        add_note(s, case, s.get(User, people.marie), "Note", clock())
    with tx() as s:
        entries = timeline(s, s.scalars(select(Case)).one())
    assert [(e.kind, e.label, e.actor_name) for e in entries] == [
        ("created", "Demande créée", "Robot"),
        ("note_added", "Note ajoutée", "Marie"),
    ]
