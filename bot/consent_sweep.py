"""Referred people who did not answer the consent SMS: their cases go to the coordinators.

After settings.referral_consent_wait (3 days by default) from the moment the SMS could
leave, a case still "asked" becomes "silent" and "new": the coordinators decide (they may
call, since the alert giver said the person agreed). No second SMS: the person was asked
once, as promised. A later OUI or NON still counts (bot/person_consent.py).

Each case is handled in its own short transaction; the run is called every minute by the
job queue (bot/jobs.py), next to the reminders.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.person_consent import ASKED, SILENT
from bot.settings import Settings
from storage.models import Case, CaseEvent


def sweep(session_factory: sessionmaker[Session], settings: Settings, now: datetime) -> int:
    """Hand the silent ones to the team; returns how many cases changed."""
    deadline = now - settings.referral_consent_wait
    with session_factory() as session:
        due = list(session.scalars(select(Case.id).where(
            Case.person_consent == ASKED, Case.person_consent_asked_at <= deadline)
            .order_by(Case.id)))
    return sum(_hand_over(session_factory, case_id, deadline, now) for case_id in due)


def _hand_over(session_factory: sessionmaker[Session], case_id: int, deadline: datetime,
               now: datetime) -> bool:
    with session_factory.begin() as session:
        case = session.scalars(select(Case).where(Case.id == case_id).with_for_update()).first()
        if case is None or case.person_consent != ASKED or case.person_consent_asked_at > deadline:
            return False  # the person answered meanwhile
        case.person_consent = SILENT
        session.add(CaseEvent(case_id=case.id, at=now, kind="person_consent_silent", actor="bot",
                              data={}))
        if case.status == "waiting":
            case.status = "new"
            session.add(CaseEvent(case_id=case.id, at=now, kind="status_changed", actor="bot",
                                  data={"from": "waiting", "to": "new"}))
        return True
