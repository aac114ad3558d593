"""Whole conversations through the real routes: a case at the end, each reply sent once."""
from __future__ import annotations

from sqlalchemy import select

from storage.models import Case, ChannelAddress, Message
from tests.fakes.telegram import callback_update, text_update
from tests.fakes.twilio import inbound_sms
from tests.webhooks.conftest import SMS_NUMBER

PERSON, CHAT = "+33612345678", 5550002


def everything(session_factory, model):
    with session_factory() as session:
        return list(session.scalars(select(model).order_by(model.id)))


def test_a_self_referral_by_sms_creates_the_case_and_each_reply_is_sent_once(
        twilio, fake_twilio, session_factory):
    for n, text in enumerate(["Bonjour", "oui", "g pa de voiture", "1", "95200", "1", "le matin", "oui"]):
        assert twilio.post("/webhooks/twilio/sms", inbound_sms(PERSON, SMS_NUMBER, text, sid=f"SM{n:032d}")).status_code == 200
    [case] = everything(session_factory, Case)
    assert (case.commune_name, case.difficulties, case.channel) == ("Sarcelles", ["no_vehicle"], "sms")
    outbound = [m for m in everything(session_factory, Message) if m.direction == "out"]
    assert [m.status for m in outbound] == ["sent"] * len(outbound)
    assert [m["Body"] for m in fake_twilio.messages] == [m.body for m in outbound]
    assert len({m["Sid"] for m in fake_twilio.messages}) == len(outbound) == 8
    assert case.reference in fake_twilio.messages[-1]["Body"]


def test_a_self_referral_on_telegram_with_buttons(telegram, fake_telegram, session_factory):
    steps = [text_update(1, CHAT, "/start"), callback_update(2, CHAT, "yes"),
             callback_update(3, CHAT, "cost"), callback_update(4, CHAT, "done"),
             text_update(5, CHAT, "pour aller au travail"), text_update(6, CHAT, "Cergy"),
             callback_update(7, CHAT, "message"), callback_update(8, CHAT, "yes")]
    for update in steps:
        assert telegram.post(update).status_code == 200
    [case] = everything(session_factory, Case)
    assert (case.commune_name, case.difficulties, case.purposes) == ("Cergy", ["cost"], ["job"])
    assert case.contact_preference == "message"
    sent = fake_telegram.sent_messages()
    assert len(sent) == 8 and sent[-1]["text"].endswith(f"Votre numéro de demande : {case.reference}.")


def test_twilio_answers_its_own_stop_so_we_do_not_answer_twice(twilio, fake_twilio, session_factory):
    twilio.post("/webhooks/twilio/sms", inbound_sms(PERSON, SMS_NUMBER, "Bonjour"))
    twilio.post("/webhooks/twilio/sms", inbound_sms(PERSON, SMS_NUMBER, "STOP", OptOutType="STOP"))
    assert len(fake_twilio.messages) == 1  # only the welcome
    [address] = everything(session_factory, ChannelAddress)
    assert address.opted_out_at is not None


def test_arret_is_ours_to_confirm_once(twilio, fake_twilio, session_factory):
    twilio.post("/webhooks/twilio/sms", inbound_sms(PERSON, SMS_NUMBER, "Bonjour"))
    twilio.post("/webhooks/twilio/sms", inbound_sms(PERSON, SMS_NUMBER, "ARRÊT"))
    twilio.post("/webhooks/twilio/sms", inbound_sms(PERSON, SMS_NUMBER, "1"))
    bodies = [m["Body"] for m in fake_twilio.messages]
    assert len(bodies) == 2 and bodies[1].startswith("C'est noté. Vous ne recevrez plus de message")
    twilio.post("/webhooks/twilio/sms", inbound_sms(PERSON, SMS_NUMBER, "START"))
    assert fake_twilio.messages[-1]["Body"].startswith("Bonjour ! Vous recevrez de nouveau nos messages.")


def test_a_person_who_blocked_the_bot_is_stopped_on_telegram(telegram, fake_telegram, session_factory):
    fake_telegram.block(CHAT)
    telegram.post(text_update(1, CHAT, "Bonjour"))
    [address] = everything(session_factory, ChannelAddress)
    assert address.opted_out_at is not None
    [reply] = [m for m in everything(session_factory, Message) if m.direction == "out"]
    assert reply.status == "failed" and "403" in reply.error


def test_an_unsubscribed_number_is_stopped_on_sms(twilio, fake_twilio, session_factory):
    fake_twilio.unsubscribe(PERSON)
    twilio.post("/webhooks/twilio/sms", inbound_sms(PERSON, SMS_NUMBER, "Bonjour"))
    [address] = everything(session_factory, ChannelAddress)
    assert address.opted_out_at is not None
    [reply] = [m for m in everything(session_factory, Message) if m.direction == "out"]
    assert reply.status == "failed" and "21610" in reply.error


def test_telegram_stop_command_wins_over_the_flow(telegram, fake_telegram, session_factory):
    telegram.post(text_update(1, CHAT, "/start"))
    telegram.post(text_update(2, CHAT, "/stop"))
    telegram.post(text_update(3, CHAT, "oui"))
    texts = [m["text"] for m in fake_telegram.sent_messages()]
    assert len(texts) == 2 and texts[1].startswith("C'est noté.")
