"""/admin/solutions: the catalogue of solutions people are oriented to."""
from __future__ import annotations

from typing import Any

from flask import abort, redirect, render_template, request, url_for
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from inbox.admin import solutions as catalogue
from inbox.views.admin import attempt, blueprint, done, invalid, refused, text
from inbox.views.common import db, now
from storage.models import Solution

LIST, FORM = "inbox/admin/solutions.html", "inbox/admin/solution_form.html"


@blueprint.get("/solutions")
def solutions() -> str:
    with db() as session:
        return render_template(LIST, **_list_context(session))


@blueprint.post("/solutions")
def solution_add() -> Response | tuple[str, int]:
    """Add a solution from the form under the list."""
    name, kind = text("name", 500), request.form.get("kind", "")
    with db() as session:
        solution, error = attempt(session, lambda admin: catalogue.add(
            session, admin, name, kind, now()))
        if error:
            return invalid(LIST, **_list_context(session, error=error, name=name, kind=kind))
        done(f"« {solution.name} » est ajoutée au catalogue.")
    return redirect(url_for("inbox.admin.solutions"), code=303)


@blueprint.route("/solutions/<int:solution_id>", methods=["GET", "POST"])
def solution_edit(solution_id: int) -> Response | str | tuple[str, int]:
    with db() as session:
        solution = session.get(Solution, solution_id)
        if solution is None:
            abort(404)
        if request.method == "GET":
            return render_template(FORM, **_form_context(solution, solution.name, solution.kind))
        name, kind = text("name", 500), request.form.get("kind", "")
        _, error = attempt(session, lambda admin: catalogue.edit(
            session, admin, solution_id, name, kind, now()))
        if error:
            return invalid(FORM, **_form_context(solution, name, kind, error=error))
    done("Solution enregistrée.")
    return redirect(url_for("inbox.admin.solutions"), code=303)


@blueprint.post("/solutions/<int:solution_id>/retirer")
def solution_deactivate(solution_id: int) -> Response:
    return _set_active(solution_id, False)


@blueprint.post("/solutions/<int:solution_id>/remettre")
def solution_reactivate(solution_id: int) -> Response:
    return _set_active(solution_id, True)


def _set_active(solution_id: int, active: bool) -> Response:
    with db() as session:
        solution, error = attempt(session, lambda admin: catalogue.set_active(
            session, admin, solution_id, active, now()))
        if error:
            refused(error)
        elif active:
            done(f"« {solution.name} » est de nouveau proposée.")
        else:
            done(f"« {solution.name} » n'est plus proposée. Les demandes déjà orientées "
                 "vers elle la gardent.")
    return redirect(url_for("inbox.admin.solutions"), code=303)


def _list_context(session: Session, **extra: Any) -> dict[str, Any]:
    return {"rows": catalogue.rows(session), "kinds": catalogue.KIND_LABELS,
            "name": "", "kind": "", **extra}


def _form_context(solution: Solution, name: str, kind: str, **extra: Any) -> dict[str, Any]:
    return {"solution": solution, "name": name, "kind": kind, "kinds": catalogue.KIND_LABELS,
            **extra}
