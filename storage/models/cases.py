"""Cases handled by coordinators, their timeline, and the reference counter."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, Text, false, text, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, JSONDict, JSONList, JSONType, utcnow

if TYPE_CHECKING:
    from .casework import Solution
    from .outings import Outing
    from .partners import Organisation
    from .people import Contact
    from .teams import Team
    from .users import User

CASE_SOURCES = ("self", "voice", "alert_giver", "ambassador", "coordinator")
CASE_STATUSES = ("new", "in_progress", "waiting", "oriented", "closed")
CASE_OUTCOMES = ("solution_found", "oriented_elsewhere", "no_answer", "declined", "duplicate")
# The partner annex's categories: for coordinators and reports, never shown to a resident.
CASE_CATEGORIES = (
    "financial_hardship", "job_seeker", "insertion", "training", "energy_poverty",
    "disability", "young_person", "senior", "migrant",
)


class Case(Base):
    """A person's mobility difficulty, as a coordinator follows it up to its outcome."""

    __tablename__ = "cases"
    __table_args__ = (Index("ix_cases_team_id_status", "team_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(unique=True)  # "RM-2026-00042"
    contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("contacts.id", ondelete="SET NULL"), index=True
    )
    source: Mapped[str]  # one of CASE_SOURCES
    channel: Mapped[str]
    status: Mapped[str] = mapped_column(default="new")  # one of CASE_STATUSES
    outcome: Mapped[str | None]
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="SET NULL"))
    assignee_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    commune_insee: Mapped[str | None]  # prefix: département; indexed below
    commune_name: Mapped[str | None]
    difficulties: Mapped[JSONList] = mapped_column(JSONType, default=list)
    difficulty_note: Mapped[str | None] = mapped_column(Text)
    purposes: Mapped[JSONList] = mapped_column(JSONType, default=list)
    purpose_note: Mapped[str | None] = mapped_column(Text)
    contact_preference: Mapped[str | None]  # "call" or "message"
    contact_moments: Mapped[JSONList] = mapped_column(JSONType, default=list)
    callback_phone: Mapped[str | None]  # E.164
    wants_human: Mapped[bool] = mapped_column(default=False)
    categories: Mapped[JSONList] = mapped_column(  # some of CASE_CATEGORIES
        JSONType, default=list, server_default=text("'[]'")
    )
    # The consent record: who agreed ("person" or "alert_giver"), when, how, to what text.
    consent_by: Mapped[str | None]
    consent_at: Mapped[datetime | None]
    consent_channel: Mapped[str | None]
    consent_text_version: Mapped[str | None]
    # A referred person's own answer (bot/person_consent.py): None when they came by
    # themselves; "asked" by SMS (since when), then "given", "refused", "unclear" (they
    # wrote something else: the team reads it) or "silent" (no answer in time).
    person_consent: Mapped[str | None]
    person_consent_asked_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    first_response_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    callback_at: Mapped[datetime | None] = mapped_column(index=True)
    # The orientation chosen from the catalogue, and the closed case this one follows.
    solution_id: Mapped[int | None] = mapped_column(
        ForeignKey("solutions.id", ondelete="SET NULL"), index=True
    )
    previous_case_id: Mapped[int | None] = mapped_column(
        ForeignKey("cases.id", ondelete="SET NULL"), index=True
    )
    # When the person last wrote; since when they wait for an answer (None: nobody
    # owes them one); whether they wrote since a coordinator last opened the case.
    last_inbound_at: Mapped[datetime | None] = mapped_column(index=True)
    waiting_since: Mapped[datetime | None]  # indexed first in ix_cases_inbox_order
    unread: Mapped[bool] = mapped_column(default=False, server_default=false())
    # A referral: the partner organisation and the alert giver who passed the case on.
    referrer_organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL"), index=True
    )
    referrer_contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("contacts.id", ondelete="SET NULL"), index=True
    )
    # A referral an ambassador made on the spot: the outing of that day (bot/outings.py).
    outing_id: Mapped[int | None] = mapped_column(
        ForeignKey("outings.id", ondelete="SET NULL"), index=True
    )

    contact: Mapped[Contact | None] = relationship(foreign_keys=[contact_id])
    team: Mapped[Team | None] = relationship()
    assignee: Mapped[User | None] = relationship()
    solution: Mapped[Solution | None] = relationship()
    previous_case: Mapped[Case | None] = relationship(remote_side=[id])
    referrer_organisation: Mapped[Organisation | None] = relationship()
    referrer: Mapped[Contact | None] = relationship(foreign_keys=[referrer_contact_id])
    outing: Mapped[Outing | None] = relationship()
    events: Mapped[list[CaseEvent]] = relationship(
        back_populates="case",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="(CaseEvent.at, CaseEvent.id)",
    )


# The inbox's order (the longest-waiting person first, then the newest) as indexes, for
# everyone and per team: a page of the list is read from an index, never sorted. The
# columns after the order are those the filters test (a coordinator's teams, status,
# assignee, territory): a row is checked in the index before the table is read.
Index("ix_cases_inbox_order", Case.waiting_since, Case.created_at.desc(), Case.id.desc(),
      Case.team_id, Case.status, Case.assignee_id, Case.commune_insee)
Index("ix_cases_team_inbox_order", Case.team_id, Case.waiting_since, Case.created_at.desc(),
      Case.id.desc())
# The same order for the selective filters: one commune, one origin, and people asking for
# a person (so that a page does not walk the whole order looking for the few rows that fit).
Index("ix_cases_commune_inbox_order", Case.commune_insee, Case.waiting_since,
      Case.created_at.desc(), Case.id.desc())
Index("ix_cases_source_inbox_order", Case.source, Case.waiting_since, Case.created_at.desc(),
      Case.id.desc())
Index("ix_cases_wants_human_inbox_order", Case.waiting_since, Case.created_at.desc(),
      Case.id.desc(), postgresql_where=Case.wants_human, sqlite_where=Case.wants_human == true())
# The header's count of people asking to talk to someone (APPEL), on every inbox page:
# a partial index holds only the few flagged cases.
Index("ix_cases_wants_human", Case.team_id,
      postgresql_where=Case.wants_human, sqlite_where=Case.wants_human == true())
# The sweep of referred people who did not answer: a partial index holds the few asked.
Index("ix_cases_person_consent_asked", Case.person_consent_asked_at,
      postgresql_where=Case.person_consent == "asked",
      sqlite_where=Case.person_consent == "asked")
# The list's search on PostgreSQL (inbox/cases/search.py): trigram indexes serve ILIKE.
for _column in ("reference", "commune_name", "callback_phone"):
    Index(f"ix_cases_{_column}_trgm", Case.__table__.c[_column], postgresql_using="gin",
          postgresql_ops={_column: "gin_trgm_ops"}).ddl_if(dialect="postgresql")
# A whole phone number typed in the search is looked up, not scanned for.
Index("ix_cases_callback_phone", Case.callback_phone)
# On SQLite the search scans these short columns: a covering index is smaller than the rows.
Index("ix_cases_search_fields", Case.reference, Case.commune_name,
      Case.callback_phone).ddl_if(dialect="sqlite")


class CaseEvent(Base):
    """One line of a case's timeline and audit trail."""

    __tablename__ = "case_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    kind: Mapped[str]  # "created", "status_changed", "assigned", "message_sent"...
    actor: Mapped[str]  # "bot", "person" or "user:<id>"
    data: Mapped[JSONDict] = mapped_column(JSONType, default=dict)

    case: Mapped[Case] = relationship(back_populates="events")


class ReferenceCounter(Base):
    """The last case number given in a year (see storage.references)."""

    __tablename__ = "reference_counters"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(default=0)
