"""Demo data and the command line that creates it."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash

from storage.__main__ import main
from storage.models import Team, TeamTerritory, User
from storage.seed import DEMO_EMAIL, seed_demo


def _counts(session: Session) -> tuple[int, int, int]:
    return tuple(  # type: ignore[return-value]
        session.scalar(select(func.count()).select_from(model))
        for model in (Team, TeamTerritory, User)
    )


def test_seed_demo_creates_teams_and_a_coordinator_once(session: Session) -> None:
    first = seed_demo(session)
    session.commit()
    assert first.password and first.teams_created == ["Équipe mobilité", "Équipe Val-d'Oise"]
    user = session.scalars(select(User)).one()
    assert user.email == DEMO_EMAIL and user.role == "coordinator"
    assert check_password_hash(user.password_hash, first.password)
    assert user.password_hash.startswith("scrypt:")
    assert {team.name for team in user.teams} == set(first.teams_created)
    default = session.scalars(select(Team).where(Team.is_default)).one()
    assert default.name == "Équipe mobilité" and default.territories == []
    counts = _counts(session)

    again = seed_demo(session)
    session.commit()
    assert (again.password, again.teams_created) == (None, [])
    assert _counts(session) == counts == (2, 1, 1)


def test_demo_password_can_come_from_the_environment(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DEMO_PASSWORD", "velo-pour-tous")
    assert seed_demo(session).password == "velo-pour-tous"


def test_command_line_prints_the_login_once_then_how_to_reset(
    db_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("DEMO_PASSWORD", "velo-pour-tous")
    assert main(["seed-demo"]) == 0
    assert ("Compte coordinateur de démonstration : demo@relais-mobilite.fr / "
            "mot de passe : velo-pour-tous") in capsys.readouterr().out
    assert main(["seed-demo"]) == 0
    assert "python -m storage reset-password demo@relais-mobilite.fr" in capsys.readouterr().out
    assert main(["reset-password", "DEMO@relais-mobilite.fr"]) == 0
    assert "Nouveau mot de passe pour DEMO@relais-mobilite.fr : " in capsys.readouterr().out
    assert main(["reset-password", "nobody@example.fr"]) == 1
