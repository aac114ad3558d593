"""People who asked to talk to someone of the team (APPEL) and wait for an answer.

The bot flags the case (`wants_human`) when the person writes APPEL; the flag clears
when a coordinator answers, hands the conversation back to the bot, or closes the case.
"""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from inbox.cases.visibility import visible_cases
from storage.models import Case, User


def count_asking_for_a_person(session: Session, user: User) -> int:
    """How many open cases the user sees whose person waits to talk to someone: read in
    the partial index of flagged cases (ix_cases_wants_human), a few rows, on every page."""
    cases = visible_cases(user).where(Case.wants_human, Case.status != "closed")
    return session.scalar(select(func.count()).select_from(cases.subquery())) or 0
