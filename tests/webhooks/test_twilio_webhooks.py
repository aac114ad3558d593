"""POST /webhooks/twilio/sms and /status with recorded, signed forms."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from storage.models import Message
from tests.fakes.twilio import AUTH_TOKEN, inbound_sms, sign, status_callback
from tests.webhooks.conftest import PUBLIC, SMS_NUMBER

PERSON = "+33612345678"


def rows(session_factory, direction: str) -> list[Message]:
    with session_factory() as session:
        return list(session.scalars(select(Message).where(Message.direction == direction)
                                    .order_by(Message.id)))


def test_a_signed_sms_is_stored_answered_with_empty_twiml_and_replied_to_once(
        twilio, fake_twilio, session_factory):
    response = twilio.post("/webhooks/twilio/sms", inbound_sms(PERSON, SMS_NUMBER, "Bonjour", sid="SM01"))
    assert response.status_code == 200 and response.mimetype == "text/xml"
    assert "<Response" in response.get_data(as_text=True) and "<Message" not in response.get_data(as_text=True)
    [inbound] = rows(session_factory, "in")
    assert (inbound.channel, inbound.provider_id, inbound.body) == ("sms", "SM01", "Bonjour")
    [sent] = fake_twilio.messages
    assert sent["To"] == PERSON and sent["From"] == SMS_NUMBER
    assert "\n1 Oui\n2 Non\n3 English" in sent["Body"]  # then the other languages
    assert sent["StatusCallback"] == f"{PUBLIC}/webhooks/twilio/status"
    [outbound] = rows(session_factory, "out")
    assert outbound.status == "sent" and outbound.provider_id == sent["Sid"]


@pytest.mark.parametrize("signature", ["", "bm90IGEgc2lnbmF0dXJl", "forged"])
def test_a_forged_or_missing_signature_is_refused_and_nothing_stored(twilio, fake_twilio,
                                                                      session_factory, signature):
    response = twilio.post("/webhooks/twilio/sms", inbound_sms(PERSON, SMS_NUMBER, "Bonjour"),
                           signature=signature)
    assert response.status_code == 403
    assert rows(session_factory, "in") == [] and fake_twilio.messages == []


def test_a_signature_for_another_url_is_refused(client, session_factory):
    form = inbound_sms(PERSON, SMS_NUMBER, "Bonjour")
    wrong = sign(AUTH_TOKEN, "https://attacker.example/webhooks/twilio/sms", form)
    response = client.post("/webhooks/twilio/sms", data=form, headers={"X-Twilio-Signature": wrong})
    assert response.status_code == 403


def test_the_signature_is_checked_against_the_public_url_behind_a_proxy(client, session_factory):
    """Flask sees http://localhost/…; Twilio signed https://relais.example.fr/…"""
    form = inbound_sms(PERSON, SMS_NUMBER, "Bonjour")
    response = client.post("/webhooks/twilio/sms", data=form, base_url="http://10.0.0.5:8000",
                           headers={"X-Twilio-Signature": sign(AUTH_TOKEN, PUBLIC + "/webhooks/twilio/sms", form)})
    assert response.status_code == 200


def test_a_tampered_body_is_refused(client):
    form = inbound_sms(PERSON, SMS_NUMBER, "Bonjour")
    signature = sign(AUTH_TOKEN, PUBLIC + "/webhooks/twilio/sms", form)
    response = client.post("/webhooks/twilio/sms", data={**form, "Body": "EFFACER"},
                           headers={"X-Twilio-Signature": signature})
    assert response.status_code == 403


def test_a_replayed_message_sid_is_acknowledged_and_does_nothing(twilio, fake_twilio, session_factory):
    form = inbound_sms(PERSON, SMS_NUMBER, "Bonjour", sid="SM02")
    assert twilio.post("/webhooks/twilio/sms", form).status_code == 200
    assert twilio.post("/webhooks/twilio/sms", form).status_code == 200
    assert len(rows(session_factory, "in")) == 1 and len(fake_twilio.messages) == 1


def test_a_form_without_sender_gets_400(twilio, session_factory):
    form = inbound_sms(PERSON, SMS_NUMBER, "Bonjour")
    del form["From"]
    assert twilio.post("/webhooks/twilio/sms", form).status_code == 400
    assert rows(session_factory, "in") == []


def test_a_huge_body_gets_413(twilio, session_factory):
    form = inbound_sms(PERSON, SMS_NUMBER, "x" * 200_000)
    assert twilio.post("/webhooks/twilio/sms", form).status_code == 413


@pytest.mark.parametrize("text", ["مرحبا", "🚌🚌", "<script>alert(1)</script>", "é" * 1600])
def test_odd_text_is_kept_exactly(twilio, session_factory, text):
    assert twilio.post("/webhooks/twilio/sms", inbound_sms(PERSON, SMS_NUMBER, text)).status_code == 200
    assert rows(session_factory, "in")[0].body == text


def test_status_callbacks_mark_the_message_and_never_go_back(twilio, fake_twilio, session_factory):
    twilio.post("/webhooks/twilio/sms", inbound_sms(PERSON, SMS_NUMBER, "Bonjour"))
    sid = fake_twilio.messages[0]["Sid"]
    for status in ("sent", "delivered", "sent"):
        response = twilio.post("/webhooks/twilio/status", status_callback(sid, status, from_=SMS_NUMBER, to=PERSON))
        assert response.status_code == 200
    [outbound] = rows(session_factory, "out")
    assert outbound.status == "delivered" and outbound.delivered_at is not None


def test_a_failed_status_keeps_the_provider_error(twilio, fake_twilio, session_factory):
    twilio.post("/webhooks/twilio/sms", inbound_sms(PERSON, SMS_NUMBER, "Bonjour"))
    sid = fake_twilio.messages[0]["Sid"]
    twilio.post("/webhooks/twilio/status", status_callback(sid, "undelivered", "30003", from_=SMS_NUMBER, to=PERSON))
    [outbound] = rows(session_factory, "out")
    assert outbound.status == "undelivered" and "30003" in outbound.error


def test_a_status_for_an_unknown_message_is_acknowledged(twilio):
    form = status_callback("SM" + "0" * 32, "delivered", from_=SMS_NUMBER, to=PERSON)
    assert twilio.post("/webhooks/twilio/status", form).status_code == 200


def test_a_forged_status_callback_is_refused(twilio):
    form = status_callback("SM" + "0" * 32, "delivered", from_=SMS_NUMBER, to=PERSON)
    assert twilio.post("/webhooks/twilio/status", form, signature="forged").status_code == 403
