"""The API's views: bearer-token guard, JSON errors, cases, replies, statuses."""
from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any, NoReturn

from flask import Blueprint, Flask, Response, abort, current_app, g, jsonify, request
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, selectinload
from werkzeug.exceptions import BadRequest, HTTPException

from inbox import cases as domain
from inbox.cases.filters import conditions
from inbox.cases.visibility import visible_cases
from inbox.views.common import now
from storage.models import Case, Message, Note, User

PREFIX = "/api/v1"
MAX_LIMIT = 100
DEFAULT_LIMIT = 50
REALM = 'Bearer realm="relais-mobilite-api"'

blueprint = Blueprint("api_v1", __name__, url_prefix=PREFIX)

ERROR_TEXTS = {
    400: "Requête invalide.",
    401: "Jeton d'accès manquant ou invalide.",
    403: "Accès refusé.",
    404: "Cette ressource n'existe pas.",
    405: "Méthode non permise sur cette adresse.",
    415: "Envoyez un corps JSON (Content-Type: application/json).",
    500: "Erreur interne : réessayez plus tard.",
}
CASE_NOT_FOUND = "Cette demande n'existe pas ou n'est pas celle de vos équipes."


class ApiError(Exception):
    """An error answered as {"error": {"status", "message"}}."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


def fail(status: int, message: str | None = None) -> NoReturn:
    raise ApiError(status, message or ERROR_TEXTS.get(status, "Erreur."))


def error_response(status: int, message: str) -> Response:
    response = jsonify({"error": {"status": status, "message": message}})
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = REALM + ', error="invalid_token"' \
            if request.headers.get("Authorization") else REALM
    return response


@blueprint.errorhandler(ApiError)
def api_error(error: ApiError) -> Response:
    return error_response(error.status, error.message)


@blueprint.errorhandler(HTTPException)
def http_error(error: HTTPException) -> Response:
    code = error.code or 500
    return error_response(code, ERROR_TEXTS.get(code, error.name))


@blueprint.errorhandler(Exception)
def unexpected_error(error: Exception) -> Response:
    """A bug: logged, and answered in JSON like every other error."""
    current_app.logger.exception("API v1: erreur inattendue", exc_info=error)
    return error_response(500, ERROR_TEXTS[500])


def install_error_pages(app: Flask) -> None:
    """Unknown /api/v1 paths and wrong methods answer JSON too (routing errors skip blueprints)."""
    def routing_error(error: HTTPException) -> Response | HTTPException:
        if request.path == PREFIX or request.path.startswith(PREFIX + "/"):
            return http_error(error)
        return error
    for code in (404, 405):
        if code not in app.error_handler_spec.get(None, {}):
            app.register_error_handler(code, routing_error)


@blueprint.after_request
def no_store(response: Response) -> Response:
    response.headers.setdefault("Cache-Control", "no-store")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    return response


# ---------------------------------------------------------------- authentication

PUBLIC_ENDPOINTS = {"api_v1.openapi"}


@blueprint.before_request
def require_token() -> None:
    """Resolve the bearer token to a user (cookies are ignored); 401 otherwise."""
    if request.endpoint in PUBLIC_ENDPOINTS:
        return
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        fail(401, "Authentification requise : envoyez l'en-tête « Authorization: Bearer <jeton> ».")
    with current_app.extensions["session_factory"]() as session:
        user = domain.user_for_token(session, token, now())
        if user is None:
            fail(401, "Jeton invalide ou révoqué.")
        g.api_user_id = user.id
        session.commit()  # last_used_at


@contextmanager
def db() -> Iterator[tuple[Session, User]]:
    """A session for this request and the token's user in it."""
    with current_app.extensions["session_factory"]() as session:
        user = session.get(User, g.api_user_id)
        if user is None or not user.active:
            fail(401, "Jeton invalide ou révoqué.")
        yield session, user


def _case_or_404(session: Session, user: User, reference: str) -> Case:
    case = session.scalars(visible_cases(user).where(Case.reference == reference.upper())).first()
    if case is None:
        fail(404, CASE_NOT_FOUND)
    return case


def _json_body() -> dict[str, Any]:
    if not request.is_json:
        fail(415)
    try:
        body = request.get_json()
    except BadRequest:
        fail(400, "Le corps de la requête n'est pas du JSON valide.")
    if not isinstance(body, dict):
        fail(400, "Le corps de la requête doit être un objet JSON.")
    return body


# ---------------------------------------------------------------- serialisation

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


# ---------------------------------------------------------------- list

def _int_arg(name: str, default: int | None = None) -> int | None:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        fail(400, f"Le paramètre « {name} » doit être un nombre entier.")


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
    try:
        filters = domain.CaseFilters(statuses=tuple(request.args.getlist("status")),
                                     team_id=_int_arg("team_id"),
                                     search=request.args.get("search", ""))
    except domain.CaseError as error:
        fail(400, str(error))
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


# ---------------------------------------------------------------- one case

@blueprint.get("/cases/<reference>")
def get_case(reference: str) -> Response:
    """The case, its messages (both ways) and its private notes (coordinators only read them)."""
    with db() as (session, user):
        case = _case_or_404(session, user, reference)
        messages = session.scalars(select(Message).where(Message.case_id == case.id)
                                   .order_by(Message.created_at, Message.id))
        notes = session.scalars(select(Note).where(Note.case_id == case.id)
                                .options(selectinload(Note.author))
                                .order_by(Note.created_at, Note.id))
        return jsonify({**case_json(case), "messages": [message_json(m) for m in messages],
                        "notes": [note_json(n) for n in notes]})


@blueprint.post("/cases/<reference>/replies")
def post_reply(reference: str) -> tuple[Response, int]:
    """Queue a reply on the person's channel; delivery is asked for once committed."""
    body = _json_body()
    text = body.get("text")
    if not isinstance(text, str):
        fail(400, "Le champ « text » (texte du message) est requis.")
    with db() as (session, user):
        case = _case_or_404(session, user, reference)
        try:
            ids = domain.reply(session, case, user, text, now())
        except domain.CannotReach as error:
            fail(409, str(error))
        except domain.CaseError as error:
            fail(422, str(error))
        session.commit()
        result = {"reference": case.reference, "status": case.status, "message_ids": ids}
    if ids:
        from webhooks.delivery import jobs
        jobs().enqueue_delivery(ids)
    return jsonify(result), 201


@blueprint.post("/cases/<reference>/status")
def post_status(reference: str) -> Response:
    """Move the case to another status; closing needs an outcome."""
    body = _json_body()
    status, outcome = body.get("status"), body.get("outcome")
    if not isinstance(status, str):
        fail(400, "Le champ « status » est requis.")
    if outcome is not None and not isinstance(outcome, str):
        fail(400, "Le champ « outcome » doit être un texte.")
    with db() as (session, user):
        case = _case_or_404(session, user, reference)
        try:
            domain.change_status(session, case, user, status, now(), outcome=outcome)
        except domain.CaseError as error:
            fail(422, str(error))
        session.commit()
        return jsonify(case_json(case))


# ---------------------------------------------------------------- the document

@blueprint.get("/openapi.json")
def openapi() -> Response:
    """The OpenAPI 3.1 document of this API (public: it holds no data)."""
    from inbox.api.spec import document
    return jsonify(document(request.host_url.rstrip("/") + PREFIX))
