"""The voice line: a caller follows the TwiML the service answers, with signed Twilio forms."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime, timezone

import pytest
from sqlalchemy import func, select

from bot.handover import send_to_person
from storage.models import Case, CaseEvent, ChannelAddress, Conversation, Message, Team, VoiceCall
from tests.fakes.twilio import inbound_sms, new_sid, recording_status, voice_call
from tests.webhooks.conftest import PUBLIC, SMS_NUMBER

PERSON = "+33612345678"
VOICE = "/webhooks/twilio/voice"


class Caller:
    """One call: posts what Twilio posts, and follows the URLs of the TwiML it gets back."""

    def __init__(self, twilio, number: str = PERSON):
        self.twilio, self.number, self.sid = twilio, number, new_sid("CA")
        self.recording_sid = new_sid("RE")
        self.twiml: ET.Element | None = None

    def post(self, url: str, status: str = "in-progress", **fields: str):
        path = url.removeprefix(PUBLIC)
        response = self.twilio.post(path, voice_call(self.number, SMS_NUMBER, self.sid, status, **fields))
        assert response.status_code == 200 and response.mimetype == "text/xml"
        self.twiml = ET.fromstring(response.get_data())
        return self.twiml

    def dial(self) -> ET.Element:
        return self.post(VOICE, status="ringing")

    def press(self, digits: str | None) -> ET.Element:
        """A key on the menu just heard; None: silence, Twilio follows the Redirect."""
        if digits is None:
            return self.post(self.twiml.find("Redirect").text)
        return self.post(self.twiml.find("Gather").get("action"), Digits=digits)

    def recording(self, status: str, seconds: int = 45) -> None:
        """Twilio's recording status callback (the URL the <Record> named)."""
        form = recording_status(self.sid, self.recording_sid, status, seconds)
        assert self.twilio.post(f"{VOICE}/recording", form).status_code == 200

    def finish_message(self) -> ET.Element:
        """The caller presses # (or hangs up) at the end of the message: the Record action."""
        record = self.twiml.find("Record")
        return self.post(record.get("action"), Digits="#", RecordingSid=self.recording_sid,
                         RecordingDuration="45")

    def hang_up(self) -> None:
        form = voice_call(self.number, SMS_NUMBER, self.sid, "completed", CallDuration="12")
        assert self.twilio.post(f"{VOICE}/status", form).status_code == 200


def said(twiml: ET.Element) -> str:
    return " ".join(say.text for say in twiml.iter("Say"))


def cases(session_factory) -> list[Case]:
    with session_factory() as session:
        return list(session.scalars(select(Case).order_by(Case.id)))


def voice_messages(session_factory) -> list[Message]:
    with session_factory() as session:
        return list(session.scalars(select(Message).where(Message.channel == "voice")
                                    .order_by(Message.id)))


def events(session_factory, case_id: int) -> list[str]:
    with session_factory() as session:
        return list(session.scalars(select(CaseEvent.kind).where(CaseEvent.case_id == case_id)
                                    .order_by(CaseEvent.id)))


def test_a_call_hears_a_french_welcome_then_the_two_choices(twilio):
    twiml = Caller(twilio).dial()
    welcome, gather, redirect = list(twiml)
    assert welcome.tag == "Say" and welcome.get("language") == "fr-FR"
    assert welcome.text.startswith("Bonjour, ici Relais Mobilité.")
    assert (gather.get("numDigits"), gather.get("input")) == ("1", "dtmf")
    assert gather.get("action") == f"{PUBLIC}{VOICE}/choice?attempt=1"
    [menu] = gather.findall("Say")
    assert "appuyez sur 1" in menu.text and "appuyez sur 2" in menu.text
    assert menu.get("language") == "fr-FR"
    assert redirect.text == gather.get("action")  # silence comes back to the same place


@pytest.mark.parametrize("path", [VOICE, f"{VOICE}/choice?attempt=1", f"{VOICE}/recording",
                                  f"{VOICE}/status", f"{VOICE}/recorded"])
@pytest.mark.parametrize("signature", ["", "forged"])
def test_a_forged_or_missing_signature_is_refused_and_nothing_kept(twilio, session_factory,
                                                                   path, signature):
    form = voice_call(PERSON, SMS_NUMBER, new_sid("CA"), "completed", Digits="1")
    assert twilio.post(path, form, signature=signature).status_code == 403
    with session_factory() as session:
        assert session.scalar(select(func.count(VoiceCall.id))) == 0
    assert cases(session_factory) == []


def test_a_form_without_call_sid_is_refused(twilio):
    form = voice_call(PERSON, SMS_NUMBER, "")
    assert twilio.post(VOICE, form).status_code == 400


def test_pressing_1_records_up_to_2_minutes_and_makes_a_voice_case_for_a_person(
        twilio, session_factory):
    caller = Caller(twilio)
    caller.dial()
    twiml = caller.press("1")
    record = twiml.find("Record")
    assert (record.get("maxLength"), record.get("playBeep")) == ("120", "true")
    assert record.get("recordingStatusCallback") == f"{PUBLIC}{VOICE}/recording"
    assert "après le bip" in said(twiml) and "2 minutes" in said(twiml)
    caller.recording("in-progress")
    goodbye = caller.finish_message()
    assert "Merci pour votre message" in said(goodbye) and goodbye.find("Hangup") is not None
    caller.hang_up()  # the call ends before the recording is ready: no "call back" case
    assert cases(session_factory) == []
    caller.recording("completed", seconds=45)

    [case] = cases(session_factory)
    assert (case.source, case.channel, case.status, case.wants_human) == ("voice", "voice", "new", True)
    assert case.callback_at is None and case.unread
    with session_factory() as session:
        assert session.get(Team, case.team_id).is_default  # no commune is known
        conversation = session.scalars(select(Conversation)).one()
        assert conversation.status == "with_human"  # the bot cannot understand a recording
    [message] = voice_messages(session_factory)
    assert message.case_id == case.id and message.body == "Message vocal (45 s)"
    assert message.media == [{"kind": "recording", "ref": caller.recording_sid,
                              "content_type": "audio/mpeg", "duration": 45}]
    assert "http" not in str(message.media)  # a reference, never a link
    with session_factory() as session:
        address = session.get(ChannelAddress, message.channel_address_id)
        assert (address.channel, address.address) == ("sms", PERSON)  # the team answers by SMS
    assert events(session_factory, case.id) == ["created", "voice_message"]


def test_a_replayed_recording_or_hang_up_changes_nothing(twilio, session_factory):
    caller = Caller(twilio)
    caller.dial()
    caller.press("1")
    for _ in range(2):
        caller.recording("in-progress")
        caller.recording("completed")
        caller.hang_up()
    [case] = cases(session_factory)
    assert len(voice_messages(session_factory)) == 1
    assert events(session_factory, case.id) == ["created", "voice_message"]


def test_pressing_2_sends_the_first_sms_of_the_conversation(twilio, fake_twilio, session_factory):
    caller = Caller(twilio)
    caller.dial()
    twiml = caller.press("2")
    assert "Vous allez recevoir un SMS" in said(twiml) and twiml.find("Hangup") is not None
    caller.hang_up()
    [sms] = fake_twilio.messages
    assert sms["To"] == PERSON and "Relais Mobilité" in sms["Body"]  # the welcome
    with session_factory() as session:
        [choice] = session.scalars(select(Message).where(Message.direction == "in"))
        assert (choice.channel, choice.provider_id) == ("sms", caller.sid)
        assert choice.body == "Appel : la personne a choisi de continuer par SMS."
    assert cases(session_factory) == []  # the conversation goes on in writing


def test_pressing_2_twice_in_a_replay_sends_one_sms(twilio, fake_twilio):
    caller = Caller(twilio)
    menu = caller.dial()
    caller.press("2")
    caller.twiml = menu
    assert "Vous allez recevoir un SMS" in said(caller.press("2"))
    assert len(fake_twilio.messages) == 1


def test_pressing_2_after_stop_sends_nothing_and_offers_the_message(twilio, fake_twilio,
                                                                     session_factory):
    twilio.post("/webhooks/twilio/sms", inbound_sms(PERSON, SMS_NUMBER, "STOP", OptOutType="STOP"))
    caller = Caller(twilio)
    caller.dial()
    twiml = caller.press("2")
    assert "Vous ne recevez plus nos SMS" in said(twiml) and twiml.find("Record") is not None
    assert fake_twilio.messages == []


def test_pressing_2_while_a_person_answers_says_so_and_sends_no_bot_sms(twilio, fake_twilio,
                                                                        session_factory):
    twilio.post("/webhooks/twilio/sms", inbound_sms(PERSON, SMS_NUMBER, "APPEL"))
    sent = len(fake_twilio.messages)
    caller = Caller(twilio)
    caller.dial()
    assert "L'équipe mobilité a déjà votre demande" in said(caller.press("2"))
    assert len(fake_twilio.messages) == sent
    [case] = cases(session_factory)
    with session_factory() as session:
        last = session.scalars(select(Message).where(Message.direction == "in")
                               .order_by(Message.id.desc())).first()
        assert last.case_id == case.id and last.body.startswith("Appel : la personne a choisi")


@pytest.mark.parametrize("first, second", [("9", "9"), (None, None), ("*", None)])
def test_no_key_or_a_wrong_key_gets_the_choices_again_once_then_the_message(
        twilio, first, second):
    caller = Caller(twilio)
    caller.dial()
    again = caller.press(first)
    assert said(again).startswith("Je n'ai pas compris votre choix.")
    assert again.find("Gather").get("action") == f"{PUBLIC}{VOICE}/choice?attempt=2"
    fallback = caller.press(second)
    assert said(fallback).startswith("Vous pouvez laisser un message.")
    assert fallback.find("Record").get("maxLength") == "120"


def test_a_hang_up_before_the_message_makes_a_call_back_case(twilio, session_factory):
    caller = Caller(twilio)
    caller.dial()
    caller.hang_up()
    caller.hang_up()  # Twilio retried
    [case] = cases(session_factory)
    assert (case.source, case.channel, case.wants_human) == ("voice", "voice", True)
    assert case.callback_phone == PERSON and case.contact_preference == "call"
    assert case.callback_at is not None  # today's call-backs list shows it
    [message] = voice_messages(session_factory)
    assert message.provider_id == caller.sid and message.media is None
    assert message.body.startswith("Appel sans message")
    assert events(session_factory, case.id) == ["created", "missed_call"]
    with session_factory() as session:
        assert session.scalars(select(VoiceCall)).one().caller is None  # not kept any longer


def test_a_hang_up_after_pressing_1_but_before_the_beep_makes_a_call_back_case(
        twilio, session_factory):
    caller = Caller(twilio)
    caller.dial()
    caller.press("1")
    caller.hang_up()
    [case] = cases(session_factory)
    assert case.callback_at is not None and events(session_factory, case.id)[-1] == "missed_call"


def test_a_silent_message_makes_a_call_back_case(twilio, session_factory):
    caller = Caller(twilio)
    caller.dial()
    caller.press("1")
    caller.recording("in-progress")
    caller.hang_up()
    caller.recording("absent")
    [case] = cases(session_factory)
    assert events(session_factory, case.id) == ["created", "missed_call"]


def test_a_recording_arriving_after_the_call_back_case_joins_it(twilio, session_factory):
    """Twilio's requests may cross: the recording's start is told after the hang-up."""
    caller = Caller(twilio)
    caller.dial()
    caller.press("1")
    caller.hang_up()
    caller.recording("completed")
    [case] = cases(session_factory)
    assert events(session_factory, case.id) == ["created", "missed_call", "voice_message"]
    assert [m.case_id for m in voice_messages(session_factory)] == [case.id, case.id]


def test_a_recording_goes_to_the_callers_open_case(twilio, session_factory):
    twilio.post("/webhooks/twilio/sms", inbound_sms(PERSON, SMS_NUMBER, "APPEL"))
    [case] = cases(session_factory)
    caller = Caller(twilio)
    caller.dial()
    caller.press("1")
    caller.recording("completed")
    assert [c.id for c in cases(session_factory)] == [case.id]
    assert events(session_factory, case.id)[-1] == "voice_message"


def test_the_team_answers_a_caller_by_sms(twilio, session_factory):
    caller = Caller(twilio)
    caller.dial()
    caller.press("1")
    caller.recording("completed")
    with session_factory.begin() as session:
        case = session.scalars(select(Case)).one()
        [reply_id] = send_to_person(session, case, "Bonjour, je vous rappelle demain.",
                                    datetime.now(timezone.utc))
        reply = session.get(Message, reply_id)
        address = session.get(ChannelAddress, reply.channel_address_id)
        assert (reply.channel, address.address) == ("sms", PERSON)
