"""Cases, messages and notes as the API's JSON (the shapes spec.py documents)."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from storage.models import Case, Message, Note


def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def case_json(case: Case) -> dict[str, Any]:
    return {
        "reference": case.reference, "status": case.status, "outcome": case.outcome,
        "source": case.source, "channel": case.channel,
        "team": {"id": case.team.id, "name": case.team.name} if case.team else None,
        "assignee": {"id": case.assignee.id, "name": case.assignee.name} if case.assignee else None,
        "commune_insee": case.commune_insee, "commune_name": case.commune_name,
        "first_name": case.contact.first_name if case.contact else None,
        "difficulties": list(case.difficulties or []), "purposes": list(case.purposes or []),
        "categories": list(case.categories or []),
        "wants_human": bool(case.wants_human), "unread": bool(case.unread),
        "waiting_since": _time(case.waiting_since), "callback_at": _time(case.callback_at),
        "created_at": _time(case.created_at), "updated_at": _time(case.updated_at),
        "first_response_at": _time(case.first_response_at), "closed_at": _time(case.closed_at),
    }


def message_json(message: Message) -> dict[str, Any]:
    return {"id": message.id, "direction": message.direction, "channel": message.channel,
            "body": message.body, "status": message.status,
            "created_at": _time(message.created_at), "error": message.error}


def note_json(note: Note) -> dict[str, Any]:
    return {"id": note.id, "body": note.body,
            "author": note.author.name if note.author else None,
            "created_at": _time(note.created_at)}
