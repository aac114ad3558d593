"""Behind a reverse proxy, sign-in limits count per real client (TRUSTED_PROXIES)."""
from __future__ import annotations

import pytest

from bot.settings import Settings
from tests.inbox.conftest import ADMIN, csrf_token, make_app, seed_accounts
from tests.support.accounts import PASSWORD

PROXY = "10.1.1.1"


def sign_in(client, email: str, password: str, forwarded_for: str | None = None) -> int:
    """A sign-in that reaches the app from the proxy; the status code."""
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    data = {"csrf_token": csrf_token(client), "email": email, "password": password}
    return client.post("/connexion", data=data, headers=headers,
                       environ_base={"REMOTE_ADDR": PROXY}).status_code


def app_behind(db_url, session_factory, proxies: int):
    seed_accounts(session_factory)
    return make_app(db_url, SETTINGS=Settings(trusted_proxies=proxies))


def test_behind_one_proxy_each_client_has_its_own_attempts(db_url, session_factory):
    client = app_behind(db_url, session_factory, proxies=1).test_client()
    for number in range(5):
        assert sign_in(client, f"inconnu{number}@example.fr", "x", "203.0.113.5") == 200
    assert sign_in(client, ADMIN, PASSWORD, "203.0.113.5") == 429
    assert sign_in(client, ADMIN, PASSWORD, "198.51.100.7") == 303  # another person, same proxy


def test_without_a_trusted_proxy_a_forged_header_changes_nothing(db_url, session_factory):
    client = app_behind(db_url, session_factory, proxies=0).test_client()
    for number in range(5):
        assert sign_in(client, f"inconnu{number}@example.fr", "x", f"203.0.113.{number}") == 200
    assert sign_in(client, ADMIN, PASSWORD, "198.51.100.7") == 429


def test_only_the_last_hops_are_believed(db_url, session_factory):
    """With one proxy, what the client itself wrote before the proxy's entry is ignored."""
    client = app_behind(db_url, session_factory, proxies=1).test_client()
    for number in range(5):
        assert sign_in(client, f"inconnu{number}@example.fr", "x",
                       f"192.0.2.{number}, 203.0.113.5") == 200
    assert sign_in(client, ADMIN, PASSWORD, "192.0.2.200, 203.0.113.5") == 429


@pytest.mark.parametrize("raw, expected", [("", 0), ("0", 0), ("2", 2)])
def test_the_setting_is_read_from_the_environment(monkeypatch, raw, expected):
    monkeypatch.setenv("TRUSTED_PROXIES", raw)
    assert Settings.from_env().trusted_proxies == expected


def test_a_setting_that_is_not_a_number_stops_the_start(monkeypatch):
    monkeypatch.setenv("TRUSTED_PROXIES", "oui")
    with pytest.raises(ValueError, match="TRUSTED_PROXIES"):
        Settings.from_env()
