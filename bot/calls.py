"""The voice line: what a call leaves behind, whatever order Twilio's requests come in.

    welcome → 1: a message after the beep → a case with the recording, for a person
            → 2: an SMS, and the resident conversation goes on in writing
            → no key, a wrong key: the choices once more, then the message
    a hang-up before the message → a "call back" case

The caller is known by their number: their SMS address, so the team answers by SMS or
calls back. No commune is known, so cases go to the default team. A replayed request
(same CallSid, same RecordingSid) changes nothing: each call holds one row (VoiceCall),
each recording and each missed call one inbound message with its provider id.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot import effects, handover
from bot.channels.voice import ENDED, Call
from bot.conversations import load_state, lock_conversation, save_state
from bot.inbound import InboundMessage
from bot.routing import team_for_commune
from bot.runtime import find_or_create_address
from flows.model import STOPPED, WITH_HUMAN, State
from storage.models import (Case, CaseEvent, ChannelAddress, Contact, Conversation, Message,
                            VoiceCall, utcnow)
from storage.references import next_case_reference

MENU, RECORD_ASKED, RECORDING, SMS, RECORDED, CALL_BACK = (
    "menu", "record_asked", "recording", "sms", "recorded", "call_back")
MENU_ATTEMPTS = 2  # the choices are said twice, then the caller may leave a message
CONSENT_TEXT_VERSION = "voice-line-2026-1"  # the welcome says who listens to messages
MISSED_CALL = "Appel sans message : la personne a raccroché avant la fin. À rappeler."
CHOSE_SMS = "Appel : la personne a choisi de continuer par SMS."
_PHONE = re.compile(r"\+[1-9]\d{6,14}")


@dataclass(frozen=True)
class Next:
    """What the caller hears next; and the SMS conversation to start, for the inbound queue."""

    say: str  # "record", "menu_again", "sms_sent"…
    start_sms: InboundMessage | None = None


class VoiceLine:
    """The calls of the single number; `clock` is injectable for tests."""

    def __init__(self, session_factory: sessionmaker[Session],
                 clock: Callable[[], datetime] = utcnow) -> None:
        self.session_factory, self.clock = session_factory, clock

    def incoming(self, call: Call) -> None:
        """A call starts: remember it (the welcome is played whatever happened before)."""
        self._in_transaction(call, lambda session, row: None)

    def choose(self, call: Call, attempt: int) -> Next:
        """The key pressed (none when the caller stayed silent)."""
        if call.digits == "2":
            return self._continue_by_sms(call)
        if call.digits != "1" and attempt < MENU_ATTEMPTS:
            return Next("menu_again")
        self._in_transaction(call, lambda session, row: _move(row, RECORD_ASKED))
        return Next("record" if call.digits == "1" else "record_no_choice")

    def recording(self, call: Call) -> None:
        """Twilio's recording status: started, kept, or nothing was said."""
        def settle(session: Session, row: VoiceCall) -> None:
            if call.recording_status == "in-progress":
                _move(row, RECORDING)
            elif call.recording_status == "completed" and call.recording_sid:
                self._keep_recording(session, row, call)
            elif call.recording_status in ("absent", "failed"):
                self._call_back(session, row, call)
        self._in_transaction(call, settle)

    def ended(self, call: Call) -> None:
        """The call is over: a hang-up before any message asks for a call back."""
        if call.status not in ENDED:
            return

        def settle(session: Session, row: VoiceCall) -> None:
            if row.stage in (MENU, RECORD_ASKED):  # RECORDING: its recording status will come
                self._call_back(session, row, call)
            elif row.stage == SMS:
                row.caller = None  # the SMS conversation took over
        self._in_transaction(call, settle)

    # -- the choices --------------------------------------------------------------------
    def _continue_by_sms(self, call: Call) -> Next:
        """Start (or resume) the resident conversation by SMS, unless the number said STOP."""
        with self.session_factory.begin() as session:
            row = _row(session, call, self.clock())
            if row.stage == SMS:
                return Next("sms_sent")  # a replayed key press
            caller = row.caller or ""
            if not _PHONE.fullmatch(caller) or _stopped(session, caller):
                _move(row, RECORD_ASKED)
                return Next("record_sms_stopped")
            row.stage = SMS
            known = _with_a_person(session, caller)
        start = InboundMessage(channel="sms", address=caller, command="start",
                               provider_id=call.sid, shown_as=CHOSE_SMS)
        return Next("sms_known" if known else "sms_sent", start)

    # -- what a call leaves -------------------------------------------------------------
    def _keep_recording(self, session: Session, row: VoiceCall, call: Call) -> None:
        """The message left: on the call's case (or the person's open one, or a new one)."""
        if _seen(session, call.recording_sid):
            return
        now = self.clock()
        address = self._address_of(session, row)
        if address is None:
            return  # the call's first request never came: nobody to link the message to
        conversation = lock_conversation(session, address.contact, now)
        case = self._case_for(session, row, address.contact, now)
        _inbound(session, address, case, call.recording_sid, now,
                 f"Message vocal ({_duration(call.recording_seconds)})", [call.recording_media()])
        case.wants_human = True
        _event(session, case, now, "voice_message", {"seconds": call.recording_seconds})
        state = load_state(conversation)
        if state.status != STOPPED:  # the bot cannot understand it: a person answers
            save_state(conversation, State(flow=state.flow, status=WITH_HUMAN,
                                           language=state.language, last_activity=now))
        handover.person_wrote(session, case, now)
        row.stage, row.case_id, row.caller = RECORDED, case.id, None

    def _call_back(self, session: Session, row: VoiceCall, call: Call) -> None:
        """No message: a case flagged to call the person back today (once per call)."""
        if row.case_id is not None or row.stage in (SMS, RECORDED, CALL_BACK):
            return
        caller, row.stage, row.caller = row.caller or "", CALL_BACK, None
        if not _PHONE.fullmatch(caller) or _seen(session, call.sid):
            return  # a hidden number cannot be called back
        now = self.clock()
        address = _caller(session, caller)
        lock_conversation(session, address.contact, now)
        case = self._case_for(session, row, address.contact, now)
        _inbound(session, address, case, call.sid, now, MISSED_CALL, None)
        case.wants_human, case.contact_preference = True, "call"
        case.callback_phone, case.callback_at = caller, case.callback_at or now
        _event(session, case, now, "missed_call", {})
        handover.person_wrote(session, case, now)
        row.case_id = case.id

    def _address_of(self, session: Session, row: VoiceCall) -> ChannelAddress | None:
        """Where the caller is answered: by their number, or the case their hang-up made."""
        case = session.get(Case, row.case_id) if row.case_id else None
        if case is not None and case.contact is not None:
            return handover.reply_address(session, case.contact, "sms")
        return _caller(session, row.caller) if row.caller else None

    def _case_for(self, session: Session, row: VoiceCall, contact: Contact, now: datetime) -> Case:
        """The call's case, else the person's open case, else a new voice case."""
        case = session.get(Case, row.case_id) if row.case_id else None
        case = case or effects.open_case(session, contact.id)
        if case is not None:
            return case
        team = team_for_commune(session, None)
        case = Case(
            reference=next_case_reference(session, now.year), contact_id=contact.id,
            source="voice", channel="voice", status="new", team_id=team.id if team else None,
            consent_by="person", consent_at=now, consent_channel="voice",
            consent_text_version=CONSENT_TEXT_VERSION, created_at=now, updated_at=now,
        )
        session.add(case)
        session.flush()
        _event(session, case, now, "created", {"source": "voice", "channel": "voice"})
        return case

    def _in_transaction(self, call: Call, work: Callable[[Session, VoiceCall], None]) -> None:
        """Run `work(session, row)` on the call's locked row; a racing first insert retries."""
        for attempt in range(2):
            try:
                with self.session_factory.begin() as session:
                    work(session, _row(session, call, self.clock()))
                return
            except IntegrityError:
                if attempt:
                    raise


def _row(session: Session, call: Call, now: datetime) -> VoiceCall:
    """The call's row, locked (created on its first request), knowing its caller."""
    row = session.scalars(select(VoiceCall).where(VoiceCall.call_sid == call.sid)
                          .with_for_update()).first()
    if row is None:
        row = VoiceCall(call_sid=call.sid, stage=MENU, created_at=now, updated_at=now)
        session.add(row)
    if call.caller and row.caller is None and row.stage in (MENU, RECORD_ASKED, RECORDING):
        row.caller = call.caller
    session.flush()
    return row


def _move(row: VoiceCall, stage: str) -> None:
    """Go forward only: a late or replayed request never undoes what a call left."""
    order = (MENU, RECORD_ASKED, RECORDING)
    if row.stage in order and order.index(stage) > order.index(row.stage):
        row.stage = stage


def _caller(session: Session, number: str) -> ChannelAddress:
    """The caller's SMS address (created on a first call): the team answers there."""
    return find_or_create_address(session, InboundMessage(channel="sms", address=number))


def _stopped(session: Session, number: str) -> bool:
    """Whether this number asked for no more SMS (STOP)."""
    address = session.scalars(select(ChannelAddress).where(
        ChannelAddress.channel == "sms", ChannelAddress.address == number)).first()
    if address is None:
        return False
    conversation = address.contact.conversation
    return address.opted_out_at is not None or (
        conversation is not None and conversation.status == STOPPED)


def _with_a_person(session: Session, number: str) -> bool:
    """Whether a person of the team already converses with this number (no SMS from the bot)."""
    conversation = session.scalars(
        select(Conversation)
        .join(ChannelAddress, ChannelAddress.contact_id == Conversation.contact_id)
        .where(ChannelAddress.channel == "sms", ChannelAddress.address == number)).first()
    return conversation is not None and conversation.status == WITH_HUMAN


def _seen(session: Session, provider_id: str) -> bool:
    return session.scalar(select(Message.id).where(
        Message.channel == "voice", Message.direction == "in",
        Message.provider_id == provider_id)) is not None


def _inbound(session: Session, address: ChannelAddress, case: Case, provider_id: str,
             now: datetime, body: str, media: list[dict] | None) -> None:
    """What the call left, as an inbound message of the case (on the caller's SMS address)."""
    session.add(Message(
        contact_id=address.contact_id, channel_address_id=address.id, case_id=case.id,
        direction="in", channel="voice", body=body, provider_id=provider_id, media=media,
        status="received", created_at=now))
    session.flush()


def _event(session: Session, case: Case, now: datetime, kind: str, data: dict) -> None:
    session.add(CaseEvent(case_id=case.id, at=now, kind=kind, actor="person", data=data))


def _duration(seconds: int) -> str:
    minutes, rest = divmod(seconds, 60)
    return f"{minutes} min {rest:02d} s" if minutes else f"{rest} s"
