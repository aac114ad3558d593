"""What the admin page tests share: signing in as the admin, posting a form with its token."""
from __future__ import annotations

from html.parser import HTMLParser

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.test import TestResponse

from storage.models import AdminEvent, Team, User
from tests.inbox.conftest import ADMIN, COORDINATOR, csrf_token


def post(client: FlaskClient, path: str, follow: bool = False, **form: object) -> TestResponse:
    """POST a form the way the page does, with the CSRF token of an admin page."""
    data = {"csrf_token": csrf_token(client, "/demandes"), **form}
    return client.post(path, data=data, follow_redirects=follow)


def page(client: FlaskClient, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.get_data(as_text=True)


def ids(session_factory: sessionmaker[Session]) -> dict[str, int]:
    """Ids of the seeded accounts and teams."""
    with session_factory() as session:
        return {
            "admin": session.scalar(select(User.id).where(User.email == ADMIN)),
            "coordinator": session.scalar(select(User.id).where(User.email == COORDINATOR)),
            "sarcelles": session.scalar(select(Team.id).where(Team.name == "Équipe Sarcelles")),
            "val_d_oise": session.scalar(select(Team.id).where(Team.name == "Équipe Val-d'Oise")),
        }


def journal(session_factory: sessionmaker[Session]) -> list[tuple[str, int | None, str]]:
    """(action, actor id, subject) of every journal line, oldest first."""
    with session_factory() as session:
        return [(e.action, e.actor_id, e.subject)
                for e in session.scalars(select(AdminEvent).order_by(AdminEvent.id))]


class _Rows(HTMLParser):
    """The text of each cell of each row of a page's table bodies."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.in_body = self.in_cell = False

    def handle_starttag(self, tag: str, attrs: list) -> None:  # noqa: ANN001
        if tag == "tbody":
            self.in_body = True
        elif tag == "tr" and self.in_body:
            self.rows.append([])
        elif tag in ("td", "th") and self.in_body:
            self.in_cell = True
            self.rows[-1].append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "tbody":
            self.in_body = False
        elif tag in ("td", "th"):
            self.in_cell = False

    def handle_data(self, data: str) -> None:
        if self.in_cell:
            self.rows[-1][-1] = " ".join((self.rows[-1][-1] + " " + data).split())


def rows(html: str) -> list[list[str]]:
    """[[cell text, ...], ...] for every row of the tables' bodies (markup unescaped)."""
    parser = _Rows()
    parser.feed(html)
    return parser.rows
