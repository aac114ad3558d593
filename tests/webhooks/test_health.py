"""The web process answers and reports on its database."""
from __future__ import annotations

from webhooks import create_app


def test_home_and_health_answer(db_url):
    client = create_app({"DATABASE_URL": db_url, "TESTING": True}).test_client()
    home = client.get("/")
    assert home.status_code == 200 and "0 demande(s)" in home.get_data(as_text=True)
    assert client.get("/healthz").get_json() == {"status": "ok"}


def test_health_says_when_the_database_is_gone(tmp_path):
    app = create_app({"TESTING": True, "DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/none"})
    assert app.test_client().get("/healthz").status_code == 503
