"""The inbox's case pages: the list at /demandes and one case at /demandes/<id>."""
from __future__ import annotations

from flask import Blueprint, render_template

blueprint = Blueprint("home", __name__)  # "home": / and the sign-in land on inbox.home.cases


@blueprint.app_template_filter("paris")
def _paris(value):  # noqa: ANN001, ANN202 - registered for every template
    from inbox.views.common import paris_time
    return paris_time(value)


@blueprint.app_template_filter("person_consent")
def _person_consent(value):  # noqa: ANN001, ANN202 - registered for every template
    from inbox.cases.labels import PERSON_CONSENT_LABELS
    return PERSON_CONSENT_LABELS.get(value, value)


@blueprint.errorhandler(404)
def not_found(_error: Exception) -> tuple[str, int]:
    """A case that does not exist, or that belongs to another team: the same answer."""
    return render_template("inbox/error.html", title="Demande introuvable",
                           message="Cette demande n'existe pas, ou elle suit une autre équipe."), 404


from inbox.views import asking, case_list, case_page, media  # noqa: E402,F401 - the routes
