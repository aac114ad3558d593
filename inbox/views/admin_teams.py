"""/admin/equipes: teams, the territories they cover, and the default team."""
from __future__ import annotations

from typing import Any

from flask import abort, redirect, render_template, request, url_for
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from inbox.admin import teams as domain
from inbox.views.admin import attempt, blueprint, done, invalid, text
from inbox.views.common import db, now
from storage.models import Team

LIST, FORM = "inbox/admin/teams.html", "inbox/admin/team_form.html"


@blueprint.get("/equipes")
def teams() -> str:
    with db() as session:
        return render_template(LIST, **_list_context(session))


@blueprint.post("/equipes")
def team_add() -> Response | tuple[str, int]:
    """Create a team from the form under the list."""
    with db() as session:
        created, error = attempt(session, lambda admin: domain.create_team(
            session, admin, text("name", 500), domain.parse_territories(text("territories")),
            now(), is_default=request.form.get("default") == "oui"))
        if error:
            return invalid(LIST, **_list_context(session, error=error, name=text("name", 500),
                                                 territories=text("territories")))
        team, replaced = created
        done(f"Équipe « {team.name} » créée."
             + (f" Elle remplace « {replaced[0]} » comme équipe par défaut." if replaced else ""))
    return redirect(url_for("inbox.admin.teams"), code=303)


@blueprint.route("/equipes/<int:team_id>", methods=["GET", "POST"])
def team_edit(team_id: int) -> Response | str | tuple[str, int]:
    """Rename a team, change its territories, make it the default team."""
    with db() as session:
        team = session.get(Team, team_id)
        if team is None:
            abort(404)
        if request.method == "GET":
            return render_template(FORM, team=team, name=team.name, is_default=team.is_default,
                                   territories=domain.format_territories(team))
        _, error = attempt(session, lambda admin: domain.update_team(
            session, admin, team_id, text("name", 500),
            domain.parse_territories(text("territories")),
            request.form.get("default") == "oui", now()))
        if error:
            return invalid(FORM, team=team, name=text("name", 500), error=error,
                           territories=text("territories"),
                           is_default=request.form.get("default") == "oui")
    done("Équipe enregistrée.")
    return redirect(url_for("inbox.admin.teams"), code=303)


def _list_context(session: Session, **extra: Any) -> dict[str, Any]:
    return {"team_list": domain.all_teams(session), "describe": domain.describe_territories,
            "name": "", "territories": "", "is_default": False, **extra}
