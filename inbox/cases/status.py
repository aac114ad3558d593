"""A case's statuses and the moves between them; closing needs an outcome.

    new → in_progress → waiting → oriented → closed

A case may skip ahead (a quick orientation), move between the open statuses (the
person answered: back to in_progress), never return to "new", and close from any open
status. A closed case only reopens, to in_progress.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from bot import handover, referrer_feedback
from inbox.cases.errors import CaseError, TransitionRefused
from inbox.cases.events import record
from inbox.cases.labels import OUTCOME_LABELS, STATUS_LABELS
from inbox.cases.visibility import ensure_visible
from storage.models import CASE_OUTCOMES, Case, CaseEvent, Solution, User

TRANSITIONS: dict[str, tuple[str, ...]] = {
    "new": ("in_progress", "waiting", "oriented", "closed"),
    "in_progress": ("waiting", "oriented", "closed"),
    "waiting": ("in_progress", "oriented", "closed"),
    "oriented": ("in_progress", "waiting", "closed"),
    "closed": ("in_progress",),  # reopen
}


def allowed_statuses(case: Case) -> tuple[str, ...]:
    """The statuses the case may move to now (for the page's buttons)."""
    return TRANSITIONS[case.status]


def change_status(session: Session, case: Case, user: User, status: str, now: datetime,
                  outcome: str | None = None) -> CaseEvent | None:
    """Move the case to `status` (closing needs an outcome); None if it already is."""
    ensure_visible(user, case)
    if status == case.status and status != "closed":
        return None
    _check(case.status, status, outcome)
    if status == "closed":
        # First, before the case row is written: the runtime locks the conversation,
        # then the case; taking them in the same order rules out a deadlock.
        handover.hand_back_to_bot(session, case, now)
    before = case.status
    case.status = status
    if status == "closed":
        case.outcome, case.closed_at = outcome, now
        case.waiting_since, case.wants_human = None, False  # nobody owes an answer now
    elif before == "closed":
        case.outcome, case.closed_at = None, None
    data = {"from": before, "to": status}
    if outcome:
        data["outcome"] = outcome
    event = record(session, case, user, "status_changed", now, **data)
    _tell_referrer(session, case, referrer_feedback.news_for_move(status, outcome), now)
    return event


def _check(before: str, after: str, outcome: str | None) -> None:
    """Raise TransitionRefused, in French, unless before → after is allowed."""
    if after not in STATUS_LABELS:
        raise TransitionRefused(f"Statut inconnu : {after}.")
    if after not in TRANSITIONS[before]:
        raise TransitionRefused(f"Une demande « {STATUS_LABELS[before]} » ne peut pas passer "
                                f"à « {STATUS_LABELS[after]} ».")
    if after == "closed" and outcome not in CASE_OUTCOMES:
        choices = ", ".join(OUTCOME_LABELS[o].lower() for o in CASE_OUTCOMES)
        raise TransitionRefused(f"Pour clore la demande, choisissez un résultat : {choices}.")
    if after != "closed" and outcome is not None:
        raise TransitionRefused("Un résultat se choisit seulement en clôturant la demande.")


def orient(session: Session, case: Case, user: User, solution_id: int,
           now: datetime) -> CaseEvent:
    """Record the solution the person is oriented to; the case becomes "oriented"."""
    ensure_visible(user, case)
    solution = session.get(Solution, solution_id)
    if solution is None or not solution.active:
        raise CaseError("Cette solution n'est pas (ou plus) dans le catalogue.")
    if case.status == "closed":
        raise TransitionRefused("Cette demande est close : rouvrez-la pour l'orienter.")
    before = case.status
    case.solution_id, case.status = solution.id, "oriented"
    event = record(session, case, user, "oriented", now, solution_id=solution.id,
                   solution=solution.name, **{"from": before})
    _tell_referrer(session, case, referrer_feedback.news_for_move("oriented"), now)
    return event


def _tell_referrer(session: Session, case: Case, news: str | None, now: datetime) -> None:
    """A referred person's case moved: its alert giver hears the news (once)."""
    if news is not None:
        referrer_feedback.tell_referrer(session, case, news, now)
