"""The person's language is kept on the contact and used for everything sent to them."""
from __future__ import annotations

from sqlalchemy import select

from bot.reminders import sweep
from bot.settings import Settings
from bot.simulator import SimulatedPhone
from flows.catalogue import text
from storage.models import ChannelAddress, Contact, Message


def language_of(db, phone: SimulatedPhone) -> str:
    query = select(ChannelAddress).where(ChannelAddress.address == phone.address)
    address = db.scalars(query).one()
    return db.get(Contact, address.contact_id).language


def test_a_french_speaker_answers_the_first_question_and_stays_in_french(sms_phone, db):
    sms_phone.send("Bonjour")
    [reply] = sms_phone.send("1")
    assert reply.body.startswith(text("resident.difficulties", "fr"))
    assert language_of(db, sms_phone) == "fr"


def test_one_answer_at_first_contact_chooses_the_language_and_keeps_it(sms_phone, db):
    [first] = sms_phone.send("Bonjour")
    assert "3 English" in first.body and "5 Arabi" in first.body  # plain letters: cheap SMS
    [welcome] = sms_phone.send("3")
    assert welcome.body.startswith(text("resident.welcome", "en"))
    assert language_of(db, sms_phone) == "en"


def test_the_reminder_is_in_the_language_chosen(sms_phone, session_factory, clock, db):
    sms_phone.send("Bonjour")
    sms_phone.send("4")  # Español
    sms_phone.send("sí")
    clock.advance(hours=25)
    assert sweep(session_factory, Settings(), clock.now) == 1
    queued = [m.body for m in db.scalars(select(Message).where(Message.status == "queued"))]
    assert queued and queued[0].startswith("Hola, le escribe Relais Mobilit")


def test_langue_changes_it_at_any_step(sms_phone, db):
    for message in ("Bonjour", "1", "2"):
        sms_phone.send(message)
    [question] = sms_phone.send("LANGUE")
    assert question.body.startswith(text("common.language_which", "fr"))
    [answer] = sms_phone.send("Ukrainska")
    assert answer.body.startswith(text("common.language_set", "uk"))
    assert language_of(db, sms_phone) == "uk"


def test_a_new_conversation_starts_in_the_language_the_contact_already_has(
        runtime, session_factory, db):
    with session_factory.begin() as session:
        contact = Contact(role="resident", language="ar")
        session.add(ChannelAddress(channel="sms-sim", address="+33639987777", contact=contact))
    [first] = SimulatedPhone(runtime, "sms", address="+33639987777").send("مرحبا")
    assert first.body.startswith(text("resident.welcome", "ar"))
