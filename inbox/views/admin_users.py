"""/admin/comptes: accounts, their role and teams; create, close, reopen, new password.

A password is shown once, on the page that answers the form, and never again.
"""
from __future__ import annotations

from typing import Any

from flask import abort, redirect, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from inbox.admin import accounts
from inbox.views.admin import attempt, blueprint, done, ids, invalid, refused, text
from inbox.views.common import db, now
from storage.models import Team, User

NEW, SHOW, PASSWORD = ("inbox/admin/user_new.html", "inbox/admin/user_show.html",
                       "inbox/admin/password.html")


@blueprint.get("/comptes")
def users() -> str:
    with db() as session:
        return render_template("inbox/admin/users.html", users=accounts.all_users(session),
                               roles=accounts.ROLE_LABELS)


@blueprint.route("/comptes/nouveau", methods=["GET", "POST"])
def user_new() -> str | tuple[str, int]:
    with db() as session:
        if request.method == "GET":
            return render_template(NEW, **_new_context(session))
        created, error = attempt(session, lambda admin: accounts.create_user(
            session, admin, text("email", 320), text("name", 500), request.form.get("role", ""),
            accounts.teams_by_id(session, ids("teams")), now(), text("password", 500)))
        if error:
            return invalid(NEW, **_new_context(session, error=error))
        user, password = created
        return render_template(PASSWORD, user=user, password=password, created=True,
                               generated=not text("password"))


@blueprint.get("/comptes/<int:user_id>")
def user_show(user_id: int) -> str:
    with db() as session:
        return render_template(SHOW, **_show_context(session, _user(session, user_id)))


@blueprint.post("/comptes/<int:user_id>/equipes")
def user_teams(user_id: int) -> Response:
    with db() as session:
        user = _user(session, user_id)
        _, error = attempt(session, lambda admin: accounts.set_teams(
            session, admin, user, accounts.teams_by_id(session, ids("teams")), now()))
        if error:
            refused(error)
        else:
            done("Équipes enregistrées.")
    return _back(user_id)


@blueprint.post("/comptes/<int:user_id>/mot-de-passe")
def user_password(user_id: int) -> str | tuple[str, int]:
    with db() as session:
        user = _user(session, user_id)
        password, error = attempt(session, lambda admin: accounts.reset_password(
            session, admin, user, now(), text("password", 500)))
        if error:
            return invalid(SHOW, **_show_context(session, user, password_error=error))
        return render_template(PASSWORD, user=user, password=password, created=False,
                               generated=not text("password"))


@blueprint.post("/comptes/<int:user_id>/fermer")
def user_deactivate(user_id: int) -> Response:
    with db() as session:
        user = _user(session, user_id)
        _, error = attempt(session, lambda admin: accounts.deactivate(session, admin, user, now()))
        if error:
            refused(error)
        else:
            done("Compte fermé : la personne ne peut plus se connecter.")
    return _back(user_id)


@blueprint.post("/comptes/<int:user_id>/rouvrir")
def user_reactivate(user_id: int) -> str | tuple[str, int]:
    """Reopen the account with a new password (shown once, unless the admin chose it)."""
    with db() as session:
        user = _user(session, user_id)
        password, error = attempt(session, lambda admin: accounts.reopen(
            session, admin, user, now(), text("password", 500)))
        if error:
            return invalid(SHOW, **_show_context(session, user, password_error=error))
        return render_template(PASSWORD, user=user, password=password, reopened=True,
                               generated=not text("password"))


def _user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        abort(404)
    return user


def _back(user_id: int) -> Response:
    return redirect(url_for("inbox.admin.user_show", user_id=user_id), code=303)


def _teams(session: Session) -> list[Team]:
    return list(session.scalars(select(Team).order_by(Team.name)))


def _new_context(session: Session, **extra: Any) -> dict[str, Any]:
    typed = request.method == "POST"
    return {"team_list": _teams(session), "roles": accounts.ROLE_LABELS,
            "email": text("email", 320) if typed else "",
            "name": text("name", 500) if typed else "",
            "role": request.form.get("role", "coordinator"), "chosen": set(ids("teams")),
            "min_password": accounts.MIN_PASSWORD, **extra}


def _show_context(session: Session, user: User, **extra: Any) -> dict[str, Any]:
    return {"user": user, "team_list": _teams(session), "roles": accounts.ROLE_LABELS,
            "chosen": {team.id for team in user.teams}, "min_password": accounts.MIN_PASSWORD,
            **extra}
