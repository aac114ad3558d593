"""/partenaires/<id>/codes: an organisation's invite codes: create, revoke, QR code, print."""
from __future__ import annotations

from datetime import date

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from inbox import partners
from inbox.accounts import admin_required
from inbox.views.common import db, now
from inbox.views.partners import INVALID, blueprint, page_context, sms_number
from storage.models import InviteCode, Organisation


@blueprint.post("/<int:organisation_id>/codes")
@admin_required
def create_code(organisation_id: int) -> Response | tuple[str, int]:
    with db() as session:
        organisation = _organisation(session, organisation_id)
        try:
            invite = partners.create_invite(session, organisation, request.form.get("kind", ""),
                                            _date(request.form.get("expires_on", "")), now())
        except partners.PartnerError as error:
            session.rollback()
            page = render_template("inbox/partners/show.html", code_error=str(error),
                                   **page_context(organisation))
            return page, INVALID
        session.commit()
        flash(f"Le code {invite.code} est créé.", "info")
    return redirect(url_for("inbox.partners.show", organisation_id=organisation_id,
                            _anchor=f"code-{invite.id}"), code=303)


@blueprint.post("/<int:organisation_id>/codes/<int:code_id>/revoquer")
@admin_required
def revoke_code(organisation_id: int, code_id: int) -> Response:
    with db() as session:
        invite = _invite(session, organisation_id, code_id)
        partners.revoke_invite(invite, now())
        session.commit()
        flash(f"Le code {invite.code} ne marche plus. Les personnes déjà inscrites restent.",
              "info")
    return redirect(url_for("inbox.partners.show", organisation_id=organisation_id), code=303)


@blueprint.get("/<int:organisation_id>/codes/<int:code_id>/qr.svg")
def qr_code(organisation_id: int, code_id: int) -> Response:
    """The QR code of the Telegram link, as an SVG image to show or print."""
    with db() as session:
        invite = _invite(session, organisation_id, code_id)
        link = _link(invite)
        svg = partners.qr_svg(link, f"Lien Telegram du code {invite.code}")
    response = current_app.response_class(svg, mimetype="image/svg+xml")
    response.headers["Content-Disposition"] = f'inline; filename="code-{invite.code}.svg"'
    return response


@blueprint.get("/<int:organisation_id>/codes/<int:code_id>/affiche")
def poster(organisation_id: int, code_id: int) -> str:
    """A page to print: the QR code, the link and the SMS keyword."""
    with db() as session:
        invite = _invite(session, organisation_id, code_id)
        return render_template("inbox/partners/poster.html", invite=invite,
                               organisation=invite.organisation, link=_link(invite),
                               sms=partners.sms_keyword(invite.code), sms_number=sms_number())


def _organisation(session: Session, organisation_id: int) -> Organisation:
    organisation = partners.get_organisation(session, organisation_id)
    if organisation is None:
        abort(404)
    return organisation


def _invite(session: Session, organisation_id: int, code_id: int) -> InviteCode:
    invite = session.get(InviteCode, code_id)
    if invite is None or invite.organisation_id != organisation_id:
        abort(404)
    return invite


def _link(invite: InviteCode) -> str:
    link = partners.deep_link(current_app.config["SETTINGS"].telegram_bot_username, invite.code)
    if not link:
        abort(404)  # no bot name configured: there is no link to draw
    return link


def _date(text: str) -> date | None:
    """The form's date (YYYY-MM-DD); empty means no end."""
    if not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise partners.PartnerError("La date de fin n'est pas une date (jour/mois/année).") from None
