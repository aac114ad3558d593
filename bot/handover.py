"""What the inbox asks of the bot, and what the bot tells a case when the person writes.

A coordinator's reply leaves like a bot reply: rendered for the person's channel and
queued in the outbox, in the caller's transaction; the delivery worker sends it after the
commit. While a coordinator converses the conversation is "with_human" and the bot stays
quiet; handing back makes it acknowledge later messages again. No provider SDK here.

Lock order, as in the runtime: the conversation first, then the case. A caller that
also changes the case calls these functions before writing to it.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import outbox
from bot.compose import Outgoing
from bot.conversations import load_state, lock_conversation, save_state
from bot.routing import team_for_commune
from flows import global_words
from flows.model import ACTIVE, DONE, STOPPED, WITH_HUMAN, Inbound, State
from flows.person_consent import PERSON_CONSENT
from storage.models import Case, CaseEvent, ChannelAddress, Contact, Conversation, Message
from storage.references import next_case_reference

ERASED = "Cette personne a effacé ses données : on ne peut plus lui écrire."
OPTED_OUT = ("Cette personne a demandé à ne plus recevoir de messages (STOP). "
             "Elle peut écrire START pour les recevoir à nouveau.")
NO_ADDRESS = "On ne connaît aucun moyen d'écrire à cette personne."
CASE_ENDING = "case_created"  # the resident flow's ending after which the team answers


class CannotReach(Exception):
    """The person cannot be written to; the message, in French, is for the coordinator."""


def send_to_person(session: Session, case: Case, text: str, now: datetime) -> list[int]:
    """Queue a coordinator's text on the person's channel; the bot then stays quiet."""
    contact = case.contact
    if contact is None:
        raise CannotReach(ERASED)
    address = reply_address(session, contact, case.channel)
    if address is None:
        raise CannotReach(NO_ADDRESS)
    conversation = lock_conversation(session, contact, now)
    if address.opted_out_at is not None or conversation.status == STOPPED:
        raise CannotReach(OPTED_OUT)
    rows = outbox.queue(session, address, [Outgoing(text)], now, case_id=case.id)
    state = load_state(conversation)
    if state.status != WITH_HUMAN:
        save_state(conversation, State(flow=state.flow, status=WITH_HUMAN,
                                       language=state.language, last_activity=now))
    return [row.id for row in rows]


def hand_back_to_bot(session: Session, case: Case, now: datetime) -> bool:
    """End the coordinator's conversation: the bot acknowledges later messages again."""
    conversation = _conversation(session, case.contact_id)
    if conversation is None or conversation.status != WITH_HUMAN:
        return False
    state = load_state(conversation)
    save_state(conversation, State(flow=state.flow, status=DONE, language=state.language,
                                   pending={"ended": CASE_ENDING},
                                   last_activity=state.last_activity or now))
    return True


def person_wrote(session: Session, case: Case | None, now: datetime) -> None:
    """An inbound message landed on `case`: it is unread, and the person now waits."""
    if case is None or case.status == "closed":
        return
    case.last_inbound_at = now
    if case.waiting_since is None:
        case.waiting_since = now
    case.unread = True
    # The team was waiting for the person: they answered (unless the bot still awaits a
    # referred person's OUI or NON: bot/person_consent.py hears it).
    if case.status == "waiting" and not _consent_awaited(session, case):
        case.status = "in_progress"
        session.add(CaseEvent(case_id=case.id, at=now, kind="status_changed", actor="person",
                              data={"from": "waiting", "to": "in_progress"}))
    session.flush()


def _consent_awaited(session: Session, case: Case) -> bool:
    """The consent SMS is still the question (no coordinator wrote to the person since)."""
    if case.person_consent != "asked":
        return False
    conversation = session.scalars(select(Conversation).where(
        Conversation.contact_id == case.contact_id)).first()
    return (conversation is not None and conversation.flow == PERSON_CONSENT.id
            and conversation.status == ACTIVE)


def case_for_new_message(session: Session, contact: Contact, now: datetime,
                         reopen: bool = False, inbound: Inbound | None = None,
                         conversation: Conversation | None = None) -> Case | None:
    """The case a new inbound message belongs to, opening one after a closed case.

    The person's open case if there is one. Otherwise, if they write to the team (their
    conversation ended with a case, or a coordinator was conversing) and their last case
    is closed: a new case linked to it (team and consent record carried over, nothing
    else), or, with `reopen`, that case reopened. A global word (STOP, AIDE…) other than
    APPEL opens nothing. Call it after locking the conversation (pass it, to spare a
    second lock) and before loading its state: it resets the "message passed on"
    acknowledgement so the person gets it.
    """
    case = _open_case(session, contact.id)
    if case is not None:
        return case
    word = global_words.global_word(inbound) if inbound is not None else None
    if word not in (None, global_words.HUMAN):
        return None
    conversation = conversation or _conversation(session, contact.id)
    if conversation is None or not _talking_to_team(conversation):
        return None
    previous = last_closed_case(session, contact.id)
    if previous is None:
        return None
    channel = inbound.channel if inbound is not None else previous.channel
    case = _reopen(session, previous, now) if reopen else _follow(session, previous, channel, now)
    _acknowledge_again(conversation)
    session.flush()
    return case


def last_closed_case(session: Session, contact_id: int) -> Case | None:
    """The person's most recent closed case, if any."""
    query = (select(Case).where(Case.contact_id == contact_id, Case.status == "closed")
             .order_by(Case.id.desc()).limit(1))
    return session.scalars(query).first()


def reply_address(session: Session, contact: Contact, channel: str | None = None
                  ) -> ChannelAddress | None:
    """The address the person last wrote from; else one on `channel`; else their newest."""
    query = (select(ChannelAddress)
             .join(Message, Message.channel_address_id == ChannelAddress.id)
             .where(ChannelAddress.contact_id == contact.id, Message.direction == "in")
             .order_by(Message.id.desc()).limit(1))
    address = session.scalars(query).first()
    if address is not None:
        return address
    addresses = sorted(contact.addresses, key=lambda a: (a.channel != channel, -a.id))
    return addresses[0] if addresses else None


def _open_case(session: Session, contact_id: int) -> Case | None:
    query = (select(Case).where(Case.contact_id == contact_id, Case.status != "closed")
             .order_by(Case.id.desc()).limit(1))
    return session.scalars(query).first()


def _conversation(session: Session, contact_id: int | None) -> Conversation | None:
    if contact_id is None:
        return None
    query = select(Conversation).where(Conversation.contact_id == contact_id).with_for_update()
    return session.scalars(query).first()


def _talking_to_team(conversation: Conversation) -> bool:
    """True when the bot asks nothing: what the person writes is for the team."""
    state = conversation.state or {}
    if state.get("confirming_erase") or state.get("choosing_language"):
        return False  # "oui" to EFFACER, "2" to LANGUE: for the bot
    if conversation.status == WITH_HUMAN:
        return True
    return conversation.status == DONE and state.get("pending", {}).get("ended") == CASE_ENDING


def _reopen(session: Session, case: Case, now: datetime) -> Case:
    session.add(CaseEvent(case_id=case.id, at=now, kind="status_changed", actor="person",
                          data={"from": "closed", "to": "in_progress", "outcome": case.outcome}))
    case.status, case.outcome, case.closed_at, case.updated_at = "in_progress", None, None, now
    return case


def _follow(session: Session, previous: Case, channel: str, now: datetime) -> Case:
    """A new case after `previous`: the link, the team, the consent record; nothing else."""
    team_id = previous.team_id
    if team_id is None:
        team = team_for_commune(session, None)
        team_id = team.id if team else None
    case = Case(
        reference=next_case_reference(session, now.year), contact_id=previous.contact_id,
        source="self", channel=channel, status="new", team_id=team_id,
        previous_case_id=previous.id, consent_by=previous.consent_by,
        consent_at=previous.consent_at, consent_channel=previous.consent_channel,
        consent_text_version=previous.consent_text_version, created_at=now, updated_at=now,
    )
    session.add(case)
    session.flush()
    session.add_all([
        CaseEvent(case_id=case.id, at=now, kind="created", actor="person",
                  data={"source": "self", "channel": channel, "previous": previous.reference}),
        CaseEvent(case_id=previous.id, at=now, kind="followed_by", actor="person",
                  data={"case_id": case.id, "reference": case.reference}),
    ])
    return case


def _acknowledge_again(conversation: Conversation) -> None:
    """The next message gets "votre message est transmis" once more."""
    state = load_state(conversation)
    if state.status == DONE:
        state.pending = {"ended": CASE_ENDING}
        save_state(conversation, state)
