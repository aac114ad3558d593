"""GET /cases: the inbox's order by keyset pages, or the changes since a date (for exports)."""
from __future__ import annotations

import base64
import json
from datetime import datetime

from flask import Response, jsonify, request
from sqlalchemy import and_, or_
from sqlalchemy.orm import Session, selectinload

from inbox import cases as domain
from inbox.api.errors import blueprint, fail
from inbox.api.serialize import case_json
from inbox.api.tokens import db
from inbox.cases.filters import conditions
from inbox.cases.visibility import visible_cases
from inbox.views.common import now
from storage.models import Case, User

MAX_LIMIT = 100
DEFAULT_LIMIT = 50
TEXT_FILTERS = ("source", "commune_insee", "epci", "departement", "category")
FLAG_FILTERS = ("waiting", "wants_human")


def _int_arg(name: str, default: int | None = None) -> int | None:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        fail(400, f"Le paramètre « {name} » doit être un nombre entier.")


def _flag_arg(name: str) -> bool:
    raw = request.args.get(name, "").lower()
    if raw not in ("", "true", "false", "1", "0"):
        fail(400, f"Le paramètre « {name} » vaut true ou false.")
    return raw in ("true", "1")


def _since_arg() -> datetime | None:
    raw = request.args.get("since")
    if not raw:
        return None
    try:
        value = datetime.fromisoformat(raw.replace("Z", "+00:00").replace(" ", "+"))
    except ValueError:
        fail(400, "Le paramètre « since » doit être une date ISO 8601 avec fuseau, "
                  "par exemple 2026-03-02T09:00:00+00:00.")
    if value.tzinfo is None:
        fail(400, "Le paramètre « since » doit préciser son fuseau (Z ou +01:00).")
    return value


def _filters() -> domain.CaseFilters:
    """The query's filters; 400 with the French reason for a value the list does not know."""
    try:
        return domain.CaseFilters(
            statuses=tuple(request.args.getlist("status")), team_id=_int_arg("team_id"),
            search=request.args.get("search", "")[:200],
            **{name: request.args.get(name) or None for name in TEXT_FILTERS},
            **{name: _flag_arg(name) for name in FLAG_FILTERS})
    except domain.CaseError as error:
        fail(400, str(error))


def _encode_since_key(case: Case) -> str:
    raw = ["s", case.updated_at.isoformat(), case.id]
    return base64.urlsafe_b64encode(json.dumps(raw).encode()).decode().rstrip("=")


def _decode_since_key(token: str) -> tuple[datetime, int]:
    try:
        raw = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        if raw[0] != "s":
            raise ValueError("not a since key")
        return datetime.fromisoformat(raw[1]), int(raw[2])
    except (ValueError, TypeError, IndexError, KeyError, json.JSONDecodeError):
        fail(400, "Ce lien de page n'est plus valable : revenez au début de la liste.")


@blueprint.get("/cases")
def list_cases() -> Response:
    """Cases of the token's teams: the inbox's order, or changes since `since` (oldest first)."""
    limit = _int_arg("limit", DEFAULT_LIMIT)
    if limit is None or not 1 <= limit <= MAX_LIMIT:
        fail(400, f"Le paramètre « limit » doit être compris entre 1 et {MAX_LIMIT}.")
    since, after = _since_arg(), request.args.get("after") or None
    filters = _filters()
    with db() as (session, user):
        at = now()
        if since is None:
            try:
                page = domain.list_cases(session, user, filters, after=after, limit=limit, now=at)
            except domain.CaseError as error:
                fail(400, str(error))
            rows, next_key = page.cases, page.next_key
        else:
            rows, next_key = _changed_since(session, user, filters, since, after, limit, at)
        return jsonify({"cases": [case_json(case) for case in rows], "next": next_key})


def _changed_since(session: Session, user: User, filters: domain.CaseFilters, since: datetime,
                   after: str | None, limit: int, at: datetime) -> tuple[list[Case], str | None]:
    """Cases created or updated at or after `since`, by (updated_at, id): a sync order."""
    query = visible_cases(user).where(*conditions(session, user, filters, at),
                                      or_(Case.updated_at >= since, Case.created_at >= since))
    if after:
        updated, case_id = _decode_since_key(after)
        query = query.where(or_(Case.updated_at > updated,
                                and_(Case.updated_at == updated, Case.id > case_id)))
    query = query.options(selectinload(Case.team), selectinload(Case.assignee),
                          selectinload(Case.contact))
    rows = list(session.scalars(query.order_by(Case.updated_at, Case.id).limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, _encode_since_key(rows[-1]) if more and rows else None
