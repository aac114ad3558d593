"""/demandes/<id>: one case, its thread and every action on it (each POST redirects back)."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from flows.model import WITH_HUMAN
from inbox import cases as domain
from inbox.admin.canned import note_use as note_canned_use
from inbox.views import blueprint
from inbox.views.common import (CHANNEL_LABELS, DELIVERY_MARKS, SMS_CHANNELS, acting_user, db,
                                now, waited, word)
from storage.models import CASE_OUTCOMES, Case, Conversation, Team, User

Action = Callable[[Session, Case, User], str | None]


def _case_or_404(session: Session, user: User, case_id: int) -> Case:
    case = domain.get_case(session, user, case_id)
    if case is None:
        abort(404)
    return case


@blueprint.get("/demandes/<int:case_id>")
def show(case_id: int) -> str:
    """The case page; opening it marks what the person wrote as read."""
    with db() as session:
        user = acting_user(session)
        case = _case_or_404(session, user, case_id)
        if domain.mark_read(session, case, user, now()) is not None:
            session.commit()
        return render_template("inbox/cases/show.html", **_context(session, case, user))


def referral_details(case: Case) -> dict[str, str]:
    """What the alert giver said beyond the case's fields: urgency, how to reach, note."""
    created = next((e for e in case.events if e.kind == "created"), None)
    return dict((created.data or {}).get("referral") or {}) if created else {}


def _context(session: Session, case: Case, user: User) -> dict[str, Any]:
    conversation = session.scalar(select(Conversation).where(
        Conversation.contact_id == case.contact_id)) if case.contact_id else None
    members = session.scalars(select(User).where(
        User.active, User.teams.any(Team.id == case.team_id)).order_by(User.name)).all()
    return {
        "case": case, "items": domain.thread(session, case),
        "timeline": domain.timeline(session, case),
        "canned": [(c.id, c.title, domain.fill(c, case))
                   for c in domain.canned_replies(session, user)],
        "solutions": domain.solutions(session), "members": members,
        "teams": session.scalars(select(Team).order_by(Team.name)).all(),
        "next_statuses": domain.allowed_statuses(case), "outcomes": CASE_OUTCOMES,
        "with_person": case.wants_human or (conversation is not None
                                            and conversation.status == WITH_HUMAN),
        "is_sms": case.channel in SMS_CHANNELS, "me": user,
        "status_labels": domain.STATUS_LABELS, "outcome_labels": domain.OUTCOME_LABELS,
        "source_labels": domain.SOURCE_LABELS, "channel_labels": CHANNEL_LABELS,
        "category_labels": domain.CATEGORY_LABELS, "referral": referral_details(case),
        "marks": DELIVERY_MARKS, "word": word, "waited": waited, "at": now(),
    }


def _act(case_id: int, action: Action) -> Response:
    """Run `action` on the case, commit, say what happened; the page is shown again (PRG)."""
    with db() as session:
        user = acting_user(session)
        case = _case_or_404(session, user, case_id)
        try:
            done = action(session, case, user)
        except domain.CaseError as error:
            session.rollback()
            flash(str(error), "error")
        else:
            session.commit()
            if done:
                flash(done, "info")
    return redirect(url_for("inbox.home.show", case_id=case_id) + "#messages")


@blueprint.post("/demandes/<int:case_id>/reponse")
def send_reply(case_id: int) -> Response:
    """Queue the reply on the person's channel, then ask for its delivery once committed."""
    sent: list[int] = []

    def action(session: Session, case: Case, user: User) -> str:
        sent.extend(domain.reply(session, case, user, request.form.get("text", ""), now()))
        canned = request.form.get("canned_reply", "")
        if canned.isdigit():  # the reply started from a canned one: it is now "used"
            note_canned_use(session, user, int(canned), now())
        return "Réponse envoyée."

    response = _act(case_id, action)
    if sent:
        from webhooks.delivery import jobs
        jobs().enqueue_delivery(sent)
    return response


@blueprint.post("/demandes/<int:case_id>/note")
def add_note(case_id: int) -> Response:
    def action(session: Session, case: Case, user: User) -> str:
        domain.add_note(session, case, user, request.form.get("body", ""), now())
        return "Note ajoutée. Elle n'est jamais envoyée à la personne."
    return _act(case_id, action)


@blueprint.post("/demandes/<int:case_id>/statut")
def change_status(case_id: int) -> Response:
    def action(session: Session, case: Case, user: User) -> str:
        status = request.form.get("status", "")
        outcome = request.form.get("outcome") or None if status == "closed" else None
        domain.change_status(session, case, user, status, now(), outcome=outcome)
        return f"Statut : {domain.STATUS_LABELS.get(status, status)}."
    return _act(case_id, action)


@blueprint.post("/demandes/<int:case_id>/attribution")
def assign(case_id: int) -> Response:
    def action(session: Session, case: Case, user: User) -> str:
        value = request.form.get("assignee", "")
        assignee = user.id if value == "moi" else int(value) if value.isdigit() else None
        domain.assign(session, case, user, assignee, now())
        return "Demande attribuée." if assignee else "Demande sans attribution."
    return _act(case_id, action)


@blueprint.post("/demandes/<int:case_id>/transfert")
def transfer(case_id: int) -> Response:
    def action(session: Session, case: Case, user: User) -> str:
        team = request.form.get("team", "")
        if not team.isdigit():
            raise domain.CaseError("Choisissez une équipe.")
        domain.transfer(session, case, user, int(team), now())
        return "Demande transférée."
    return _act(case_id, action)


@blueprint.post("/demandes/<int:case_id>/rappel")
def set_callback(case_id: int) -> Response:
    def action(session: Session, case: Case, user: User) -> str:
        value = request.form.get("day", "").strip()
        try:
            day = date.fromisoformat(value) if value else None
        except ValueError as error:
            raise domain.CaseError("Cette date n'est pas valable.") from error
        domain.set_callback(session, case, user, day, now())
        return "Date de rappel enregistrée." if day else "Date de rappel effacée."
    return _act(case_id, action)


@blueprint.post("/demandes/<int:case_id>/orientation")
def orient(case_id: int) -> Response:
    def action(session: Session, case: Case, user: User) -> str:
        solution = request.form.get("solution", "")
        if not solution.isdigit():
            raise domain.CaseError("Choisissez une solution.")
        domain.orient(session, case, user, int(solution), now())
        return "Orientation enregistrée."
    return _act(case_id, action)


@blueprint.post("/demandes/<int:case_id>/robot")
def hand_back(case_id: int) -> Response:
    def action(session: Session, case: Case, user: User) -> str:
        domain.hand_back(session, case, user, now())
        return "Le robot répond de nouveau à la personne."
    return _act(case_id, action)
