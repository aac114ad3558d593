"""The case list at /demandes: for now an empty page in the inbox's shell."""
from __future__ import annotations

from flask import Blueprint, render_template

blueprint = Blueprint("home", __name__)


@blueprint.get("/demandes")
def cases() -> str:
    """The coordinator's start page (the real case list replaces this placeholder)."""
    return render_template("inbox/home.html")
