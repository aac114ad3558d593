"""The outings page's figures: each outing with its referrals, and totals per ambassador,
per kind of place and per month (outings, people met, referrals made on the spot).

Two queries whatever the number of outings: the outings with their ambassador and
organisation, and the referral count per outing. A programme logs a few outings a week,
so the totals are added up here rather than in dialect-specific SQL (months).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from storage.models import Case, Outing

PLACE_LABELS = {
    "market": "Marché", "school_gate": "Sortie d'école", "building_hall": "Hall d'immeuble",
    "door_to_door": "Porte-à-porte", "drop_in": "Permanence, accueil", "event": "Événement",
    "other": "Autre",
}
WEATHER_LABELS = {"rain": "Pluie", "cold": "Froid", "heat": "Chaleur", "wind": "Vent"}
MONTH_NAMES = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
               "septembre", "octobre", "novembre", "décembre")
LIST_LIMIT = 300  # the newest outings listed; the totals count them all


@dataclass
class Total:
    """One line of a totals table."""

    label: str
    detail: str = ""  # the ambassador's organisation
    outings: int = 0
    people_met: int = 0
    referrals: int = 0

    def add(self, people_met: int, referrals: int) -> None:
        self.outings += 1
        self.people_met += people_met
        self.referrals += referrals


@dataclass(frozen=True)
class OutingRow:
    """One outing as the list shows it."""

    outing: Outing
    ambassador: str
    organisation: str
    place: str
    referrals: int


@dataclass
class OutingsReport:
    rows: list[OutingRow] = field(default_factory=list)  # newest first, at most LIST_LIMIT
    overall: Total = field(default_factory=lambda: Total("Toutes les sorties"))
    by_ambassador: list[Total] = field(default_factory=list)
    by_place: list[Total] = field(default_factory=list)
    by_month: list[Total] = field(default_factory=list)  # newest month first
    more: int = 0  # outings not listed


def month_label(day: date) -> str:
    return f"{MONTH_NAMES[day.month - 1]} {day.year}"


def outings_report(session: Session) -> OutingsReport:
    """Every outing, newest first, and the totals."""
    outings = list(session.scalars(
        select(Outing).options(selectinload(Outing.ambassador), selectinload(Outing.organisation))
        .order_by(Outing.day.desc(), Outing.at.desc(), Outing.id.desc())))
    referrals: dict[int, int] = dict(session.execute(  # type: ignore[arg-type]
        select(Case.outing_id, func.count()).where(Case.outing_id.is_not(None))
        .group_by(Case.outing_id)).all())
    report = OutingsReport(more=max(0, len(outings) - LIST_LIMIT))
    ambassadors: dict[int | None, Total] = {}
    places = {kind: Total(label) for kind, label in PLACE_LABELS.items()}
    months: dict[tuple[int, int], Total] = {}
    for outing in outings:
        row = _row(outing, referrals.get(outing.id, 0))
        if len(report.rows) < LIST_LIMIT:
            report.rows.append(row)
        counted = (outing.people_met, row.referrals)
        report.overall.add(*counted)
        ambassador = Total(row.ambassador, row.organisation)
        ambassadors.setdefault(outing.contact_id, ambassador).add(*counted)
        places.setdefault(outing.place_kind, Total(outing.place_kind)).add(*counted)
        month = (outing.day.year, outing.day.month)
        months.setdefault(month, Total(month_label(outing.day))).add(*counted)
    report.by_ambassador = sorted(ambassadors.values(), key=lambda t: (-t.outings, t.label))
    report.by_place = [total for total in places.values() if total.outings]
    report.by_month = [months[key] for key in sorted(months, reverse=True)]
    return report


def _row(outing: Outing, referrals: int) -> OutingRow:
    ambassador = outing.ambassador.first_name if outing.ambassador else None
    return OutingRow(
        outing=outing, ambassador=ambassador or "—",
        organisation=outing.organisation.name if outing.organisation else "—",
        place=PLACE_LABELS.get(outing.place_kind, outing.place_kind), referrals=referrals,
    )
