"""A case's page: its messages (both ways, every channel), notes and events, in order."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from inbox.cases.labels import EVENT_LABELS
from storage.models import Case, CaseEvent, Message, Note, User

_RANK = {"message": 0, "note": 1, "event": 2}  # at the same instant, in this order


@dataclass(frozen=True)
class TimelineEntry:
    """One event, with who did it in words."""

    at: datetime
    kind: str
    label: str  # the kind in French
    actor: str  # "bot", "person", "user:<id>"
    actor_name: str  # "Robot", "La personne", the user's name
    data: dict[str, Any]
    id: int


@dataclass(frozen=True)
class ThreadItem:
    """A message, a note or an event, as the case page shows it."""

    kind: str  # "message", "note" or "event"
    at: datetime
    id: int
    body: str = ""
    direction: str | None = None  # messages: "in" (the person) or "out"
    channel: str | None = None
    status: str | None = None  # queued, sending, sent, delivered, failed, undelivered…
    error: str | None = None  # the provider's error, for a failed message
    segments: int | None = None
    media: list[Any] | None = None
    author: str | None = None  # who wrote a note or an outgoing message; an event's actor
    event: TimelineEntry | None = None
    options: list[Any] | None = field(default=None)


def timeline(session: Session, case: Case) -> list[TimelineEntry]:
    """Every event of the case, oldest first, with its actor's name."""
    events = list(session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id)
                                  .order_by(CaseEvent.at, CaseEvent.id)))
    names = _user_names(session, {e.actor for e in events})
    return [TimelineEntry(e.at, e.kind, EVENT_LABELS.get(e.kind, e.kind), e.actor,
                          names.get(e.actor, e.actor), dict(e.data or {}), e.id) for e in events]


def thread(session: Session, case: Case) -> list[ThreadItem]:
    """Messages, notes and events of the case merged in time order."""
    events = timeline(session, case)
    replied_by = {message_id: event.actor_name for event in events if event.kind == "replied"
                  for message_id in event.data.get("message_ids", [])}
    messages = session.scalars(select(Message).where(Message.case_id == case.id)
                               .order_by(Message.created_at, Message.id))
    notes = session.scalars(select(Note).where(Note.case_id == case.id)
                            .options(selectinload(Note.author))
                            .order_by(Note.created_at, Note.id))
    items = [_message_item(m, replied_by) for m in messages]
    items += [ThreadItem("note", n.created_at, n.id, body=n.body,
                         author=n.author.name if n.author else "Compte supprimé") for n in notes]
    items += [ThreadItem("event", e.at, e.id, author=e.actor_name, event=e) for e in events]
    return sorted(items, key=lambda item: (item.at, _RANK[item.kind], item.id))


def _message_item(message: Message, replied_by: dict[int, str]) -> ThreadItem:
    author = None
    if message.direction == "out":
        author = replied_by.get(message.id, "Robot")
    return ThreadItem(
        "message", message.created_at, message.id, body=message.body,
        direction=message.direction, channel=message.channel, status=message.status,
        error=message.error, segments=message.segments, media=message.media,
        author=author, options=message.options,
    )


def _user_names(session: Session, actors: set[str]) -> dict[str, str]:
    """Actor strings to names: users by one query, the bot and the person in words."""
    names = {"bot": "Robot", "person": "La personne"}
    ids = [int(a.split(":", 1)[1]) for a in actors
           if a.startswith("user:") and a.split(":", 1)[1].isdigit()]
    if ids:
        for user_id, name in session.execute(select(User.id, User.name).where(User.id.in_(ids))):
            names[f"user:{user_id}"] = name
    for actor in actors:
        names.setdefault(actor, "Compte supprimé" if actor.startswith("user:") else actor)
    return names
