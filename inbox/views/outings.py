"""/sorties: the ambassadors' outings, with totals per ambassador, per place and per month.

Network figures, not cases: every signed-in coordinator and admin reads them (signing in
is checked for every page by inbox.web). The figures come from inbox.outings.
"""
from __future__ import annotations

from flask import Blueprint, render_template

from inbox.outings import WEATHER_LABELS, outings_report
from inbox.views.common import db

blueprint = Blueprint("outings", __name__, url_prefix="/sorties")


@blueprint.get("")
def page() -> str:
    with db() as session:
        return render_template("inbox/outings/page.html", report=outings_report(session),
                               weathers=WEATHER_LABELS)
