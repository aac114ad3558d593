"""Teams managed by the admins: list, create with territories, rename, default team."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from storage.models import Team, TeamTerritory
from tests.inbox.admin_support import ids, journal, page, post, rows
from tests.inbox.conftest import ADMIN


def team(session_factory, name: str) -> tuple[bool, list[str]] | None:
    """(is default, "kind:code" territories) of the team of that name."""
    with session_factory() as session:
        row = session.scalar(select(Team).where(Team.name == name))
        if row is None:
            return None
        return row.is_default, sorted(f"{t.kind}:{t.code}" for t in row.territories)


def test_an_admin_creates_a_team_with_its_territories(client, auth, session_factory):
    auth.login(ADMIN)
    html = post(client, "/admin/equipes", follow=True, name="Équipe Cergy",
                territories="commune:95127, epci:200035301\ndepartement:95").get_data(as_text=True)
    assert "Équipe « Équipe Cergy » créée." in html
    assert "Commune 95127, Intercommunalité 200035301, Département 95" in html
    assert team(session_factory, "Équipe Cergy") == (
        False, ["commune:95127", "departement:95", "epci:200035301"])
    assert [a for a, _, _ in journal(session_factory)] == ["team_created"]


def test_a_new_default_team_replaces_the_former_one(client, auth, session_factory):
    with session_factory.begin() as session:
        session.scalar(select(Team).where(Team.name == "Équipe Sarcelles")).is_default = True
    auth.login(ADMIN)
    html = post(client, "/admin/equipes", follow=True, name="Équipe mobilité",
                default="oui").get_data(as_text=True)
    assert "Elle remplace « Équipe Sarcelles » comme équipe par défaut." in html
    assert team(session_factory, "Équipe mobilité") == (True, [])
    assert team(session_factory, "Équipe Sarcelles")[0] is False


@pytest.mark.parametrize("form, message", [
    ({"name": "équipe sarcelles"}, "L&#39;équipe « équipe sarcelles » existe déjà."),
    ({"name": " "}, "Donnez un nom d&#39;équipe"),
    ({"name": "Nouvelle", "territories": "ville:95585"}, "le type doit être"),
    ({"name": "Nouvelle", "territories": "commune:955"}, "ne ressemble pas à un code commune"),
])
def test_a_wrong_team_form_is_refused_with_a_clear_message(client, auth, session_factory,
                                                           form, message):
    auth.login(ADMIN)
    response = post(client, "/admin/equipes", **form)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert team(session_factory, "Nouvelle") is None and journal(session_factory) == []


def test_an_admin_renames_a_team_and_changes_its_territories(client, auth, session_factory):
    sarcelles = ids(session_factory)["sarcelles"]
    with session_factory.begin() as session:
        row = session.get(Team, sarcelles)
        row.territories = [TeamTerritory(kind="commune", code="95585")]
    auth.login(ADMIN)
    assert "commune:95585" in page(client, f"/admin/equipes/{sarcelles}")
    response = post(client, f"/admin/equipes/{sarcelles}", name="Équipe Sarcelles-Garges",
                    territories="commune:95585 commune:95268")
    assert response.status_code == 303
    assert team(session_factory, "Équipe Sarcelles-Garges") == (
        False, ["commune:95268", "commune:95585"])
    post(client, f"/admin/equipes/{sarcelles}", name="Équipe Sarcelles-Garges", territories="")
    assert team(session_factory, "Équipe Sarcelles-Garges") == (False, [])
    taken = post(client, f"/admin/equipes/{sarcelles}", name="Équipe Val-d'Oise")
    assert taken.status_code == 422 and "existe déjà" in taken.get_data(as_text=True)
    assert client.get("/admin/equipes/999999").status_code == 404


def test_the_default_team_stays_default_until_another_one_takes_over(client, auth, session_factory):
    known = ids(session_factory)
    with session_factory.begin() as session:
        session.get(Team, known["sarcelles"]).is_default = True
    auth.login(ADMIN)
    kept = post(client, f"/admin/equipes/{known['sarcelles']}", name="Équipe Sarcelles")
    assert kept.status_code == 422
    assert "choisissez une autre équipe par défaut" in kept.get_data(as_text=True)
    post(client, f"/admin/equipes/{known['val_d_oise']}", name="Équipe Val-d'Oise", default="oui")
    assert team(session_factory, "Équipe Val-d'Oise")[0] is True
    assert team(session_factory, "Équipe Sarcelles")[0] is False


def test_the_command_line_shares_the_rules_and_the_journal(app, client, auth, session_factory):
    runner = app.test_cli_runner()
    same = runner.invoke(args=["inbox", "create-team", "ÉQUIPE SARCELLES"])
    assert same.exit_code != 0 and "existe déjà" in same.output
    created = runner.invoke(args=["inbox", "create-team", "Équipe Cergy", "commune:95127"])
    assert created.exit_code == 0, created.output
    assert [(action, actor) for action, actor, _ in journal(session_factory)] == [
        ("team_created", None)]
    auth.login(ADMIN)
    when, who, what = rows(page(client, "/admin/journal"))[0]
    assert (who, what) == ("Ligne de commande", "Équipe créée : Équipe Cergy")
