"""The web process answers and reports on its database."""
from __future__ import annotations

from webhooks import create_app


def test_home_opens_the_inbox_and_health_answers(db_url):
    client = create_app({"DATABASE_URL": db_url, "TESTING": True}).test_client()
    home = client.get("/")
    assert home.status_code == 302 and home.headers["Location"] == "/demandes"
    assert client.get("/healthz").get_json() == {"status": "ok"}


def test_health_says_when_the_database_is_gone(tmp_path):
    app = create_app({"TESTING": True, "DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/none"})
    assert app.test_client().get("/healthz").status_code == 503
