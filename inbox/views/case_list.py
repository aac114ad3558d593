"""/demandes: the cases the coordinator sees, filtered, by keyset pages, refreshed by htmx."""
from __future__ import annotations

from typing import Any

from flask import current_app, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import Session, load_only, raiseload, selectinload

from inbox.cases import (
    CATEGORY_LABELS, SOURCE_LABELS, STATUS_LABELS, CaseError, CaseFilters, Page, list_cases,
)
from inbox.cases.territories import KIND_LABELS, commune_named, territory_label
from inbox.views import blueprint
from inbox.views.common import CHANNEL_LABELS, acting_user, db, now, waited, word
from storage.models import (
    CASE_CATEGORIES, CASE_SOURCES, CASE_STATUSES, Case, Team, TeamTerritory,
)

FILTER_FIELDS = ("statut", "equipe", "qui", "attente", "rappel", "origine", "territoire",
                 "commune", "categorie", "appel", "q")
MORE_FIELDS = ("origine", "territoire", "commune", "categorie")  # folded on a small screen
TERRITORY_KINDS = {"commune": "commune_insee", "epci": "epci", "departement": "departement"}


def _form() -> dict[str, str]:
    """The filter form's values as sent (empty ones left out)."""
    return {name: request.args.get(name, "").strip()[:200] for name in FILTER_FIELDS
            if request.args.get(name, "").strip()}


def _filters(form: dict[str, str]) -> CaseFilters:
    """The form as CaseFilters; CaseError (in French) for a value the list does not know."""
    team = form.get("equipe", "")
    who = form.get("qui", "")
    return CaseFilters(
        statuses=(form["statut"],) if form.get("statut") else (),
        team_id=int(team) if team.isdigit() else None,
        mine=who == "moi", unassigned=who == "personne",
        source=form.get("origine") or None,
        category=form.get("categorie") or None,
        waiting=form.get("attente") == "oui",
        wants_human=form.get("appel") == "oui",
        callback={"aujourdhui": "today", "retard": "overdue"}.get(form.get("rappel", "")),
        search=form.get("q", ""),
        **_places(form),
    )


def _places(form: dict[str, str]) -> dict[str, str]:
    """The territory chosen ("epci:200055655") and the commune typed, as CaseFilters fields."""
    places: dict[str, str] = {}
    if form.get("territoire"):
        kind, _, code = form["territoire"].partition(":")
        if kind not in TERRITORY_KINDS or not code:
            raise CaseError("Territoire inconnu : choisissez-le dans la liste.")
        places[TERRITORY_KINDS[kind]] = code
    if form.get("commune"):
        commune = commune_named(form["commune"])
        if places.get("commune_insee", commune.insee) != commune.insee:
            raise CaseError("Choisissez une seule commune : dans la liste ou en l'écrivant.")
        places["commune_insee"] = commune.insee
    return places


# What the table shows of a case (inbox/templates/inbox/cases/_rows.html) and its place in
# the order: nothing else is read, and reading anything else raises (no query per row).
ROW_COLUMNS = (
    load_only(Case.id, Case.reference, Case.status, Case.unread, Case.wants_human,
              Case.person_consent, Case.waiting_since, Case.created_at, Case.commune_name,
              Case.difficulties, Case.source, Case.channel, Case.assignee_id, Case.callback_at,
              raiseload=True),
    selectinload(Case.assignee), raiseload("*"),
)


def _page(session: Session, form: dict[str, str]) -> tuple[Page, str | None]:
    """The page to show, or an empty one and the French reason."""
    try:
        filters = _filters(form)
        return list_cases(session, acting_user(session), filters, request.args.get("apres") or None,
                          now=now(), load=ROW_COLUMNS), None
    except CaseError as error:
        return Page([], None), str(error)


def _context(session: Session) -> dict[str, Any]:
    form = _form()
    page, error = _page(session, form)
    after = request.args.get("apres") or None
    return {
        "page": page, "error": error, "form": form, "after": after, "at": now(),
        "rows_url_args": {**form, **({"apres": after} if after else {})},
        # A case's link is this path and its id: built once, not once per row.
        "case_path": url_for("inbox.home.show", case_id=0).removesuffix("0"),
        "poll_seconds": current_app.config.get("INBOX_POLL_SECONDS", 10),
        "status_labels": STATUS_LABELS, "source_labels": SOURCE_LABELS,
        "channel_labels": CHANNEL_LABELS, "waited": waited, "word": word,
        "statuses": CASE_STATUSES, "me": current_user.id,
    }


def _territories(session: Session, team_ids: list[int]) -> list[tuple[str, list[tuple[str, str]]]]:
    """The territories of the teams, by kind: [(kind label, [(value, label)])]."""
    rows = session.execute(select(TeamTerritory.kind, TeamTerritory.code)
                           .where(TeamTerritory.team_id.in_(team_ids)).distinct()).all()
    groups = []
    for kind in TERRITORY_KINDS:
        options = sorted(((f"{k}:{code}", territory_label(k, code)) for k, code in rows if k == kind),
                         key=lambda option: option[1])
        if options:
            groups.append((KIND_LABELS[kind].capitalize(), options))
    return groups


@blueprint.get("/demandes")
def cases() -> str:
    """The list page: filters, the table, the link to the next page."""
    with db() as session:
        teams = (session.scalars(select(Team).order_by(Team.name)).all()
                 if current_user.is_admin else current_user.teams)
        return render_template(
            "inbox/cases/list.html", teams=teams,
            territories=_territories(session, [team.id for team in teams]),
            sources=CASE_SOURCES, categories=CASE_CATEGORIES, category_labels=CATEGORY_LABELS,
            more_open=any(field in _form() for field in MORE_FIELDS), **_context(session))


@blueprint.get("/demandes/lignes")
def rows() -> str:
    """The table's body alone: what htmx swaps in every few seconds."""
    with db() as session:
        return render_template("inbox/cases/_rows.html", **_context(session))
