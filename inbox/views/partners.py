"""/partenaires: partner organisations. Coordinators read; admins create and edit.

Signing in and CSRF tokens are checked for every page by inbox.web; POST views here
also require an admin (403 for a coordinator). The work is done by inbox.partners.
"""
from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from inbox import partners
from inbox.accounts import admin_required
from inbox.views.common import db, now
from storage.models import Organisation

blueprint = Blueprint("partners", __name__, url_prefix="/partenaires")
INVALID = 422  # a form sent back with what to correct
DEFAULT_VALIDITY = timedelta(days=90)  # what the code form proposes


@blueprint.errorhandler(404)
def not_found(_error: Exception) -> tuple[str, int]:
    return render_template("inbox/error.html", title="Organisation introuvable",
                           message="Cette organisation ou ce code n'existe pas."), 404


@blueprint.get("")
def organisations() -> str:
    with db() as session:
        return render_template("inbox/partners/list.html",
                               rows=partners.list_organisations(session, now()),
                               kinds=partners.KIND_LABELS)


@blueprint.route("/nouvelle", methods=["GET", "POST"])
@admin_required
def new() -> Response | str | tuple[str, int]:
    form = _form() if request.method == "POST" else partners.OrganisationForm()
    if request.method == "GET":
        return render_template("inbox/partners/form.html", form=form, **_choices())
    with db() as session:
        try:
            organisation = partners.create_organisation(session, form)
        except partners.PartnerError as error:
            return render_template("inbox/partners/form.html", form=form, error=str(error),
                                   **_choices()), INVALID
        session.commit()
        flash(f"L'organisation « {organisation.name} » est créée. Vous pouvez lui créer un code.",
              "info")
        return redirect(url_for("inbox.partners.show", organisation_id=organisation.id), code=303)


@blueprint.get("/<int:organisation_id>")
def show(organisation_id: int) -> str:
    with db() as session:
        organisation = _organisation_or_404(session, organisation_id)
        return render_template("inbox/partners/show.html", **page_context(organisation))


@blueprint.route("/<int:organisation_id>/modifier", methods=["GET", "POST"])
@admin_required
def edit(organisation_id: int) -> Response | str | tuple[str, int]:
    with db() as session:
        organisation = _organisation_or_404(session, organisation_id)
        if request.method == "GET":
            return render_template("inbox/partners/form.html", organisation=organisation,
                                   form=partners.OrganisationForm.of(organisation), **_choices())
        form = _form()
        try:
            partners.update_organisation(session, organisation, form)
        except partners.PartnerError as error:
            session.rollback()
            return render_template("inbox/partners/form.html", organisation=organisation,
                                   form=form, error=str(error), **_choices()), INVALID
        session.commit()
    flash("Organisation enregistrée.", "info")
    return redirect(url_for("inbox.partners.show", organisation_id=organisation_id), code=303)


def _organisation_or_404(session: Session, organisation_id: int) -> Organisation:
    organisation = partners.get_organisation(session, organisation_id)
    if organisation is None:
        abort(404)
    return organisation


def _form() -> partners.OrganisationForm:
    fields = partners.OrganisationForm.__dataclass_fields__
    return partners.OrganisationForm(**{name: request.form.get(name, "")[:500] for name in fields})


def _choices() -> dict[str, Any]:
    return {"kinds": partners.KIND_LABELS, "territories": partners.TERRITORY_LABELS}


def sms_number() -> str:
    """The number people text, when the sender is one (not a Messaging Service id)."""
    sender = current_app.config["SETTINGS"].sms_sender
    return "" if sender.startswith("MG") else sender


def page_context(organisation: Organisation) -> dict[str, Any]:
    """What the organisation's page shows: details, members, and each code's ways in."""
    at = now()
    bot = current_app.config["SETTINGS"].telegram_bot_username
    codes = [{"invite": invite, "state": partners.invite_state(invite, at),
              "link": partners.deep_link(bot, invite.code),
              "sms": partners.sms_keyword(invite.code)} for invite in organisation.invite_codes]
    return {"organisation": organisation, "codes": codes, "kinds": partners.KIND_LABELS,
            "territories": partners.TERRITORY_LABELS,
            "invite_kinds": partners.INVITE_KIND_LABELS, "sms_number": sms_number(),
            "default_expiry": (at + DEFAULT_VALIDITY).date().isoformat()}


from inbox.views import partners_codes  # noqa: E402,F401 - the invite code routes
from inbox.views import partners_members  # noqa: E402,F401 - a member's role
