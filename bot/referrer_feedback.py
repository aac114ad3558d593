"""News for the alert giver or ambassador who referred someone: short, never the conversation.

    a coordinator moves the case ─► news_for_move ─► tell_referrer ─► one message, once

Each news goes at most once per case (a "referrer_told" event on the case remembers it),
in the referrer's language, to the address they last wrote from; only while they are in
the network and have not said STOP. It is written first by the service, so it waits for
the daytime (bot.proactive). A person who said no is named by the case's reference only.

The same words give the statuses MES DEMANDES lists (`referral_status`).
"""
from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import outbox
from bot.compose import compose
from bot.handover import reply_address
from flows.model import Reply
from flows.my_referrals import MyReferral
from storage.models import Case, CaseEvent, Contact, NetworkMember

NEWS = ("contacted", "solution_found", "no_answer", "declined")
TOLD = "referrer_told"  # the CaseEvent kind that remembers a news sent
PARTNER_ROLES = ("alert_giver", "ambassador")
PARIS = ZoneInfo("Europe/Paris")

# The one table from the inbox's moves to the news: (new status, outcome) -> news.
NEWS_FOR_MOVE: dict[tuple[str, str | None], str] = {
    ("in_progress", None): "contacted",  # the first time only: see tell_referrer
    ("oriented", None): "solution_found",
    ("closed", "solution_found"): "solution_found",
    ("closed", "oriented_elsewhere"): "solution_found",
    ("closed", "no_answer"): "no_answer",
    ("closed", "declined"): "declined",
}
REPLIED = "contacted"  # the first reply a coordinator sends on the case


def news_for_move(status: str, outcome: str | None = None) -> str | None:
    """The news a case's new status (and outcome) brings its referrer, if any."""
    return NEWS_FOR_MOVE.get((status, outcome))


def told(session: Session, case_id: int) -> set[str]:
    """The news this case's referrer already received."""
    events = session.scalars(select(CaseEvent).where(CaseEvent.case_id == case_id,
                                                     CaseEvent.kind == TOLD))
    return {event.data.get("news") for event in events}


def tell_referrer(session: Session, case: Case, news: str, now: datetime) -> None:
    """Queue `news` for the case's referrer, unless already told or nobody to tell.

    "contacted" comes only as the first news: after a solution or a no, it would mislead.
    """
    if news not in NEWS:
        raise ValueError(f"unknown news: {news}")
    if case.referrer_contact_id is None:
        return
    already = told(session, case.id)
    if news in already or (news == "contacted" and already):
        return
    referrer = session.get(Contact, case.referrer_contact_id)
    if referrer is None or not still_in_network(session, referrer):
        return
    address = reply_address(session, referrer)
    if address is None or address.opted_out_at is not None:
        return
    from bot.proactive import next_time_to_write_first  # the holiday calendar: worker-side

    outbox.queue(session, address, compose(news_replies(case, news), referrer.language), now,
                 not_before=next_time_to_write_first(now))
    session.add(CaseEvent(case_id=case.id, at=now, kind=TOLD, actor="bot", data={"news": news}))
    session.flush()


def news_replies(case: Case, news: str) -> tuple[Reply, ...]:
    """Who it is about (by first name, except after a no: then the reference only), and
    the news, in one message."""
    first_name = case.contact.first_name if case.contact is not None else None
    if first_name and news != "declined":
        about = Reply("referrer_feedback.about_person",
                      {"first_name": first_name, "reference": case.reference})
    else:
        about = Reply("referrer_feedback.about_case", {"reference": case.reference})
    return about, Reply(f"referrer_feedback.{news}")


def still_in_network(session: Session, contact: Contact) -> bool:
    """An alert giver or ambassador who has not left (QUITTER, or ended in the inbox)."""
    if contact.role not in PARTNER_ROLES:
        return False
    memberships = session.scalars(select(NetworkMember.left_at).where(
        NetworkMember.contact_id == contact.id)).all()
    return not memberships or any(left_at is None for left_at in memberships)


def referral_status(case: Case, news_told: set[str]) -> str:
    """The word MES DEMANDES shows for one referral, in the news' terms."""
    if case.status == "closed":
        return news_for_move("closed", case.outcome) or "closed"
    if case.status == "oriented":
        return "solution_found"
    if awaiting_consent(case):
        return "waiting_consent"
    if "contacted" in news_told or case.first_response_at is not None:
        return "contacted"
    return "received" if case.status == "new" else "in_progress"


def awaiting_consent(case: Case) -> bool:
    """The person has been asked by SMS and has not answered yet (bot/person_consent.py)."""
    return case.person_consent == "asked" and case.status == "waiting"


def referrals_of(session: Session, contact_id: int, limit: int) -> list[MyReferral]:
    """This contact's own latest referrals, newest first, as MES DEMANDES shows them."""
    cases = list(session.scalars(select(Case).where(Case.referrer_contact_id == contact_id)
                                 .order_by(Case.created_at.desc(), Case.id.desc()).limit(limit)))
    events = session.scalars(select(CaseEvent).where(
        CaseEvent.case_id.in_([case.id for case in cases]), CaseEvent.kind == TOLD))
    news: dict[int, set[str]] = {}
    for event in events:
        news.setdefault(event.case_id, set()).add(event.data.get("news"))
    return [MyReferral(case.reference, case.contact.first_name if case.contact else None,
                       _paris_day(case.created_at), referral_status(case, news.get(case.id, set())))
            for case in cases]


def _paris_day(moment: datetime) -> date:
    """The day in France (a naive time from the database is UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(PARIS).date()
