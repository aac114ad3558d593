"""A page that says the service is up, and a health check for the platform."""
from __future__ import annotations

from flask import Blueprint, current_app, render_template_string
from sqlalchemy import func, select, text

from storage.models import Case

blueprint = Blueprint("health", __name__)

HOME = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Relais Mobilité</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><main><h1>Relais Mobilité</h1>
<p>Le service est en marche. {{ cases }} demande(s) enregistrée(s).</p>
<p>Pour jouer un habitant : <code>make chat</code> dans un terminal.</p></main></body></html>"""


@blueprint.get("/")
def home() -> str:
    with current_app.extensions["session_factory"]() as session:
        cases = session.scalar(select(func.count(Case.id)))
    return render_template_string(HOME, cases=cases)


@blueprint.get("/healthz")
def healthz() -> tuple[dict[str, str], int]:
    """200 when the database answers; 503 otherwise."""
    try:
        with current_app.extensions["session_factory"]() as session:
            session.execute(text("SELECT 1"))
    except Exception:
        return {"status": "database unavailable"}, 503
    return {"status": "ok"}, 200
