"""EFFACER still leaves nothing once a case has notes and coordinator replies."""
from __future__ import annotations

from sqlalchemy import select

from inbox.cases import add_note, reply
from storage.models import Case, Note, User
from tests.bot.test_erasure import everything_stored
from tests.bot.test_runtime import SARCELLES_ANSWERS, talk


def test_erasing_takes_the_notes_and_replies_with_it(sms_phone, tx, db, engine, people, clock):
    talk(sms_phone, *SARCELLES_ANSWERS)
    with tx() as s:
        case, marie = s.scalars(select(Case)).one(), s.get(User, people.marie)
        add_note(s, case, marie, "Travaille de nuit chez Dupont", clock())
        reply(s, case, marie, "Bonjour Madame Dupont", clock())
    sms_phone.collect()
    sms_phone.send("EFFACER")
    sms_phone.send("oui")
    stored = everything_stored(engine)
    assert "Dupont" not in stored and "+33639981234" not in stored
    assert db.scalars(select(Note)).all() == []
