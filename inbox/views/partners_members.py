"""/partenaires/<id>/membres/<id>/role: make a member an ambassador, or an alert giver again.

Coordinators and admins alike (the people they work with day to day); the change is kept
in the admins' journal. The work is done by inbox.partners.members.
"""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from werkzeug.wrappers import Response

from inbox.partners import INVITE_KIND_LABELS, PartnerError
from inbox.partners.members import change_role
from inbox.views.common import acting_user, db, now
from inbox.views.partners import blueprint
from storage.models import NetworkMember


@blueprint.post("/<int:organisation_id>/membres/<int:member_id>/role")
def member_role(organisation_id: int, member_id: int) -> Response:
    role = request.form.get("role", "")
    with db() as session:
        member = session.get(NetworkMember, member_id)
        if member is None or member.organisation_id != organisation_id:
            abort(404)
        name = member.contact.first_name or "Ce membre"
        try:
            changed = change_role(session, member, role, acting_user(session), now())
        except PartnerError as error:
            flash(str(error), "error")
            return redirect(url_for("inbox.partners.show", organisation_id=organisation_id),
                            code=303)
        session.commit()
    if changed:
        label = INVITE_KIND_LABELS[role].lower()
        told = " Un message lui explique le mot SORTIE." if role == "ambassador" else ""
        flash(f"{name} est maintenant {label}.{told}", "info")
    return redirect(url_for("inbox.partners.show", organisation_id=organisation_id,
                            _anchor="members-title"), code=303)
