"""/admin/reponses-types: the canned replies coordinators pick from, with a preview."""
from __future__ import annotations

from typing import Any

from flask import abort, redirect, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from inbox.admin import canned as admin_canned
from inbox.cases import CaseError
from inbox.views.admin import attempt, blueprint, done, invalid, refused, text
from inbox.views.common import db, now
from storage.models import CannedReply, Team

FORM = "inbox/admin/canned_form.html"


@blueprint.get("/reponses-types")
def canned_list() -> str:
    with db() as session:
        return render_template("inbox/admin/canned_list.html",
                               replies=admin_canned.all_canned(session))


@blueprint.route("/reponses-types/nouvelle", methods=["GET", "POST"])
def canned_new() -> Response | str | tuple[str, int]:
    """The form; "Voir l'aperçu" shows it again with the preview, "Enregistrer" adds it."""
    with db() as session:
        if request.method == "GET":
            return render_template(FORM, **_context(session, None))
        if "apercu" in request.form:
            return _with_preview(session, None)
        title, body, team_id = _fields()
        _, error = attempt(session, lambda admin: admin_canned.add(
            session, admin, title, body, team_id, now()))
        if error:
            return invalid(FORM, **_context(session, None, error=error))
    done(f"Réponse type « {' '.join(title.split())} » ajoutée.")
    return redirect(url_for("inbox.admin.canned_list"), code=303)


@blueprint.route("/reponses-types/<int:canned_id>", methods=["GET", "POST"])
def canned_edit(canned_id: int) -> Response | str | tuple[str, int]:
    with db() as session:
        canned = session.get(CannedReply, canned_id)
        if canned is None or canned.archived_at is not None:
            abort(404)
        if request.method == "GET":
            return render_template(FORM, **_context(session, canned))
        if "apercu" in request.form:
            return _with_preview(session, canned)
        title, body, team_id = _fields()
        _, error = attempt(session, lambda admin: admin_canned.edit(
            session, admin, canned_id, title, body, team_id, now()))
        if error:
            return invalid(FORM, **_context(session, canned, error=error))
    done("Réponse type enregistrée.")
    return redirect(url_for("inbox.admin.canned_list"), code=303)


@blueprint.post("/reponses-types/apercu")
def canned_preview() -> str:
    """The preview alone, for htmx while the admin types."""
    return render_template("inbox/admin/_canned_preview.html", **_preview(text("body")),
                           first_name=admin_canned.PREVIEW_FIRST_NAME,
                           reference=admin_canned.PREVIEW_REFERENCE)


@blueprint.post("/reponses-types/<int:canned_id>/supprimer")
def canned_remove(canned_id: int) -> Response:
    """Delete a reply never sent; archive one already sent."""
    with db() as session:
        outcome, error = attempt(session, lambda admin: admin_canned.remove(
            session, admin, canned_id, now()))
    if error:
        refused(error)
    elif outcome == "archived":
        done("Réponse type archivée : elle a déjà servi, elle n'est plus proposée.")
    else:
        done("Réponse type supprimée.")
    return redirect(url_for("inbox.admin.canned_list"), code=303)


def _fields() -> tuple[str, str, int | None]:
    team = request.form.get("team", "")
    return text("title", 500), text("body"), int(team) if team.isdigit() else None


def _preview(body: str) -> dict[str, Any]:
    """{"preview": text} or {"preview_error": why}; nothing for an empty text."""
    if not body.strip():
        return {}
    try:
        return {"preview": admin_canned.preview(body)}
    except CaseError as error:
        return {"preview_error": str(error)}


def _with_preview(session: Session, canned: CannedReply | None) -> str:
    return render_template(FORM, **_context(session, canned), **_preview(text("body")))


def _context(session: Session, canned: CannedReply | None, **extra: Any) -> dict[str, Any]:
    """The form's values: what was typed, else the reply's own."""
    typed = request.method == "POST"
    title, body, team_id = _fields() if typed else (
        (canned.title, canned.body, canned.team_id) if canned else ("", "", None))
    return {"canned": canned, "title": title, "body": body, "team_id": team_id,
            "team_list": session.scalars(select(Team).order_by(Team.name)).all(),
            "first_name": admin_canned.PREVIEW_FIRST_NAME,
            "reference": admin_canned.PREVIEW_REFERENCE, **extra}
