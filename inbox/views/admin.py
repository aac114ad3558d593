"""/admin: the admins' pages: canned replies, solutions, accounts, teams and the journal.

Admins only: a coordinator gets 403; an anonymous visitor is sent to sign in, and every
POST needs its CSRF token (both checked first by inbox.web for every inbox page).
Each action is done by inbox.admin (no Flask there), which also writes the journal.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Blueprint, abort, flash, render_template, request
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from inbox.admin import journal
from inbox.cases import CaseError
from inbox.views.common import acting_user, db
from storage.models import CannedReply, Solution, Team, User

blueprint = Blueprint("admin", __name__, url_prefix="/admin")
T = TypeVar("T")
INVALID = 422  # a form sent back with what to correct


@blueprint.before_request
def require_admin() -> None:
    """Only admins past this point (sign-in is already checked by the parent blueprint)."""
    if not current_user.is_admin:
        abort(403)


@blueprint.get("")
def index() -> str:
    """What can be managed here, with a few numbers."""
    with db() as session:
        counts = {
            "canned": _count(session, CannedReply, CannedReply.archived_at.is_(None)),
            "solutions": _count(session, Solution, Solution.active),
            "users": _count(session, User, User.active),
            "teams": _count(session, Team, None),
        }
        return render_template("inbox/admin/index.html", counts=counts)


@blueprint.get("/journal")
def journal_page() -> str:
    """The latest administration actions: who did what, when."""
    before = request.args.get("avant", type=int)
    with db() as session:
        events, older = journal.recent(session, before)
        return render_template("inbox/admin/journal.html", events=events, older=older,
                               first_page=before is None, describe=journal.describe)


def attempt(session: Session, action: Callable[[User], T]) -> tuple[T | None, str | None]:
    """Run `action(admin)`: (its result, None) committed, or (None, the French refusal)."""
    try:
        result = action(acting_user(session))
    except CaseError as error:
        session.rollback()
        return None, str(error)
    session.commit()
    return result, None


def done(message: str) -> None:
    """Say on the next page what was just done."""
    flash(message, "info")


def ids(field: str) -> list[int]:
    """The numbers checked in a group of checkboxes (anything else ignored)."""
    return [int(value) for value in request.form.getlist(field) if value.isdigit()]


def refused(message: str) -> None:
    """Say on the next page why the action was refused."""
    flash(message, "error")


def text(field: str, limit: int = 4000) -> str:
    """A form field as text, cut at `limit` characters (the domain checks the real limits)."""
    return request.form.get(field, "")[:limit]


def invalid(template: str, **context: Any) -> tuple[str, int]:
    """The form again, with the refusal and what was typed."""
    return render_template(template, **context), INVALID


def _count(session: Session, model: type, where: Any) -> int:
    query = select(func.count()).select_from(model)
    return session.scalar(query if where is None else query.where(where)) or 0


from inbox.views import admin_canned, admin_solutions, admin_teams, admin_users  # noqa: E402,F401
