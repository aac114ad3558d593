"""One case: read it with its messages and notes, reply to the person, change its status."""
from __future__ import annotations

from typing import Any

from flask import Response, jsonify, request
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload
from werkzeug.exceptions import BadRequest

from inbox import cases as domain
from inbox.api.errors import blueprint, fail
from inbox.api.serialize import case_json, message_json, note_json
from inbox.api.tokens import db
from inbox.cases.visibility import visible_cases
from inbox.views.common import now
from storage.models import Case, Message, Note, User

CASE_NOT_FOUND = "Cette demande n'existe pas ou n'est pas celle de vos équipes."


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
