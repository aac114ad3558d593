"""News to the network as the inbox handles it: the form, the confirmation, the sending
(admins only, written in the admin journal) and the progress counted from the outbox.

The messages themselves are queued by bot.news: opted-in members who have not left nor
said STOP, once each, held until the daytime.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from bot import news
from inbox.admin import journal
from storage.models import BROADCAST_ROLES, Broadcast, Message, Organisation, User

MAX_TEXT = 480  # with the line on how to stop, about 3 SMS at most
ROLE_LABELS = dict(zip(BROADCAST_ROLES, ("Donneurs d'alerte", "Ambassadeurs")))


class BroadcastError(ValueError):
    """A news form the inbox refuses, with the reason in French."""


@dataclass(frozen=True)
class NewsForm:
    """What the admin wrote and whom for ("" for everyone)."""

    text: str = ""
    organisation_id: str = ""
    role: str = ""

    def checked(self, session: Session) -> NewsForm:
        text = "\n".join(" ".join(line.split()) for line in self.text.strip().splitlines())
        if not text:
            raise BroadcastError("Le message est vide.")
        if len(text) > MAX_TEXT:
            raise BroadcastError(f"Le message est trop long ({MAX_TEXT} caractères au plus).")
        if self.role and self.role not in BROADCAST_ROLES:
            raise BroadcastError("Choisissez les destinataires dans la liste.")
        if self.organisation_id and (not self.organisation_id.isdigit() or session.get(
                Organisation, int(self.organisation_id)) is None):
            raise BroadcastError("Cette organisation n'existe pas.")
        return NewsForm(text, self.organisation_id, self.role)

    @property
    def audience(self) -> news.Audience:
        return news.Audience(int(self.organisation_id) if self.organisation_id else None,
                             self.role or None)


def describe_audience(session: Session, audience: news.Audience) -> str:
    """"Ambassadeurs de CCAS de Sarcelles", "Tous les membres du réseau"."""
    who = ROLE_LABELS.get(audience.role or "", "Tous les membres")
    if audience.organisation_id is None:
        return f"{who} du réseau"
    organisation = session.get(Organisation, audience.organisation_id)
    return f"{who} de {organisation.name if organisation else 'une organisation supprimée'}"


def new_token() -> str:
    """The confirmation form's one-time token."""
    return secrets.token_urlsafe(16)


def send(session: Session, author: User, form: NewsForm, token: str,
         now: datetime) -> tuple[Broadcast, list[int]]:
    """Queue the news once per token (a double click sends nothing more); the outbox ids.

    The caller commits, then asks for delivery.
    """
    form = form.checked(session)
    existing = session.scalars(select(Broadcast).where(Broadcast.token == token)).first()
    if existing is not None:
        return existing, []
    audience = form.audience
    broadcast = Broadcast(text=form.text, author_id=author.id, token=token, created_at=now,
                          organisation_id=audience.organisation_id, role=audience.role,
                          not_before=now)
    session.add(broadcast)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:  # the same form sent twice at the same moment
        return session.scalars(select(Broadcast).where(Broadcast.token == token)).one(), []
    ids = news.queue_broadcast(session, broadcast, audience, now)
    people = broadcast.recipients
    journal.record(session, author, "news_sent", f"broadcast:{broadcast.id}", now,
                   name=f"{describe_audience(session, audience)}, {people} personne"
                        f"{'s' if people > 1 else ''}", text=form.text)
    return broadcast, ids


@dataclass(frozen=True)
class Progress:
    """Where a broadcast's messages are (SMS split in parts count each)."""

    waiting: int  # queued, held until the daytime or a retry
    sent: int  # in the provider's hands
    delivered: int
    failed: int
    cancelled: int = 0  # not sent: STOP, QUITTER or no more news since it was written

    @property
    def total(self) -> int:
        return self.waiting + self.sent + self.delivered + self.failed + self.cancelled

    @property
    def done(self) -> bool:
        return self.waiting == 0


def progress(session: Session, broadcast_id: int) -> Progress:
    """One grouped count over the broadcast's outbox rows."""
    cancelled = Message.error == news.CANCELLED
    rows = session.execute(
        select(Message.status, cancelled, func.count()).where(Message.broadcast_id == broadcast_id)
        .group_by(Message.status, cancelled)).all()
    counts: dict[str, int] = {}
    for status, was_cancelled, count in rows:
        key = "cancelled" if was_cancelled and status == "failed" else status
        counts[key] = counts.get(key, 0) + count
    return Progress(waiting=counts.get("queued", 0) + counts.get("sending", 0),
                    sent=counts.get("sent", 0), delivered=counts.get("delivered", 0),
                    failed=counts.get("failed", 0) + counts.get("undelivered", 0),
                    cancelled=counts.get("cancelled", 0))


def recent(session: Session, limit: int = 20) -> list[Broadcast]:
    query = (select(Broadcast).options(selectinload(Broadcast.author),
                                       selectinload(Broadcast.organisation))
             .order_by(Broadcast.created_at.desc(), Broadcast.id.desc()).limit(limit))
    return list(session.scalars(query))


def opted_in_count(session: Session) -> int:
    """How many people the news would reach now, all organisations and roles."""
    return len(news.recipients(session, news.Audience()))
