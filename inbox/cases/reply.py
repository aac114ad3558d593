"""A coordinator answers the person, on the channel the person last wrote from."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from bot import handover, referrer_feedback
from inbox.cases.errors import CannotReach, CaseError
from inbox.cases.events import record
from inbox.cases.visibility import ensure_visible
from storage.models import Case, User

MAX_REPLY = 1600  # what an SMS provider accepts in one request; Telegram takes 4096


def reply(session: Session, case: Case, user: User, text: str, now: datetime) -> list[int]:
    """Queue `text` for the person and return the outbox ids.

    The caller commits, then asks for delivery (bot.jobs.enqueue_delivery(ids)). The
    bot stays quiet until the case is handed back or closed. Raises CannotReach when
    the person erased their data or said STOP, CaseError for an empty or closed case.
    """
    ensure_visible(user, case)
    text = text.strip()
    if not text:
        raise CaseError("Le message est vide.")
    if len(text) > MAX_REPLY:
        raise CaseError(f"Le message est trop long ({MAX_REPLY} caractères au plus).")
    if case.status == "closed":
        raise CaseError("Cette demande est close : rouvrez-la pour répondre.")
    try:
        ids = handover.send_to_person(session, case, text, now)
    except handover.CannotReach as error:
        raise CannotReach(str(error)) from error
    if case.first_response_at is None:
        case.first_response_at = now
    case.waiting_since, case.unread, case.wants_human = None, False, False  # answered
    if case.status == "new":
        case.status = "in_progress"
        record(session, case, user, "status_changed", now, **{"from": "new", "to": "in_progress"})
    record(session, case, user, "replied", now, message_ids=ids)
    referrer_feedback.tell_referrer(session, case, referrer_feedback.REPLIED, now)
    return ids
