"""The timeline's entries: every change a coordinator makes writes one."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from storage.models import Case, CaseEvent, User


def actor(user: User) -> str:
    """How a user is written in CaseEvent.actor."""
    return f"user:{user.id}"


def record(session: Session, case: Case, user: User, kind: str, now: datetime,
           **data: Any) -> CaseEvent:
    """Add an event by `user` and touch the case's updated_at."""
    event = CaseEvent(case_id=case.id, at=now, kind=kind, actor=actor(user), data=data)
    session.add(event)
    case.updated_at = now
    session.flush()
    return event
