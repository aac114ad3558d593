"""The journal reads page by page, newest first, however long it grows."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from inbox.admin import journal
from tests.inbox.admin_support import page, rows
from tests.inbox.conftest import ADMIN

START = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


def write_lines(session_factory, count: int) -> None:
    with session_factory.begin() as session:
        for n in range(count):
            journal.record(session, None, "team_created", "team", START + timedelta(minutes=n),
                           name=f"Équipe {n:03d}")


def older_link(html: str) -> str | None:
    found = re.search(r'href="(/admin/journal\?avant=\d+)"', html)
    return found.group(1) if found else None


def test_every_line_is_shown_once_across_the_pages(client, auth, session_factory):
    write_lines(session_factory, journal.PAGE_SIZE * 2 + 30)
    auth.login(ADMIN)
    seen, path, pages = [], "/admin/journal", 0
    while path:
        html = page(client, path)
        seen += [cells[2] for cells in rows(html)]
        path, pages = older_link(html), pages + 1
    assert pages == 3
    assert seen == [f"Équipe créée : Équipe {n:03d}" for n in reversed(range(230))]


def test_a_short_journal_has_no_older_page(client, auth, session_factory):
    write_lines(session_factory, 3)
    auth.login(ADMIN)
    html = page(client, "/admin/journal")
    assert older_link(html) is None
    assert len(rows(html)) == 3
    assert "Les plus récents" not in html  # already on the first page


def test_an_older_page_links_back_to_the_newest(client, auth, session_factory):
    write_lines(session_factory, journal.PAGE_SIZE + 1)
    auth.login(ADMIN)
    html = page(client, older_link(page(client, "/admin/journal")))
    assert [cells[2] for cells in rows(html)] == ["Équipe créée : Équipe 000"]
    assert 'href="/admin/journal">Les plus récents' in html
