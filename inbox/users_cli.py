"""Accounts and teams from the command line: `flask --app webhooks.wsgi inbox …`.

    flask --app webhooks.wsgi inbox create-team "Équipe Sarcelles" commune:95585 --default
    flask --app webhooks.wsgi inbox create-user marie@example.fr --name "Marie Dupont" \
        --role coordinator --team "Équipe Sarcelles"
    flask --app webhooks.wsgi inbox list-users
    flask --app webhooks.wsgi inbox deactivate-user marie@example.fr
    flask --app webhooks.wsgi inbox create-token marie@example.fr "export tableur"
    flask --app webhooks.wsgi inbox list-tokens marie@example.fr
    flask --app webhooks.wsgi inbox revoke-token 3
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from storage.models import TERRITORY_KINDS, USER_ROLES, Team, TeamTerritory, User, normalize_email
from storage.seed import hash_password, new_password

cli = AppGroup("inbox", help="Comptes et équipes de la boîte de réception.")

TERRITORY_CODES = {  # official code shapes: INSEE commune, SIREN of the EPCI, département
    "commune": re.compile(r"(\d{5}|2[AB]\d{3})"),
    "epci": re.compile(r"\d{9}"),
    "departement": re.compile(r"(0[1-9]|[1-8]\d|9[0-5]|2[AB]|97[1-6])"),
}
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


@contextmanager
def _transaction() -> Iterator[Session]:
    """A session on the app's database, committed at the end."""
    with current_app.extensions["session_factory"].begin() as session:
        yield session


def parse_territory(text: str) -> tuple[str, str]:
    """"departement:95" -> ("departement", "95"); a click error if the kind or code is wrong."""
    kind, _, code = text.partition(":")
    kind, code = kind.strip().lower(), code.strip().upper()
    if kind not in TERRITORY_KINDS:
        raise click.BadParameter(f"« {text} » : le type doit être {', '.join(TERRITORY_KINDS)}.")
    if not TERRITORY_CODES[kind].fullmatch(code):
        raise click.BadParameter(f"« {text} » : ce code ne ressemble pas à un code {kind}.")
    return kind, code


@cli.command("create-team")
@click.argument("name")
@click.argument("territories", nargs=-1)
@click.option("--default", "is_default", is_flag=True,
              help="Équipe qui reçoit les demandes qu'aucun territoire ne couvre.")
def create_team(name: str, territories: tuple[str, ...], is_default: bool) -> None:
    """Create a team and the territories it covers (commune:95585 epci:200055655 departement:95)."""
    covered = list(dict.fromkeys(parse_territory(text) for text in territories))
    with _transaction() as session:
        if session.scalar(select(Team).where(Team.name == name)) is not None:
            raise click.ClickException(f"L'équipe « {name} » existe déjà.")
        if is_default:
            for team in session.scalars(select(Team).where(Team.is_default)):
                team.is_default = False
                click.echo(f"« {team.name} » n'est plus l'équipe par défaut.")
        session.add(Team(name=name, is_default=is_default,
                         territories=[TeamTerritory(kind=k, code=c) for k, c in covered]))
    where = ", ".join(f"{kind} {code}" for kind, code in covered) or "aucun territoire"
    click.echo(f"Équipe « {name} » créée ({where}{', par défaut' if is_default else ''}).")


@cli.command("create-user")
@click.argument("email")
@click.option("--name", required=True, help="Nom affiché dans la boîte de réception.")
@click.option("--role", type=click.Choice(USER_ROLES), default="coordinator", show_default=True)
@click.option("--team", "team_names", multiple=True, help="Nom d'une équipe (répétable).")
def create_user(email: str, name: str, role: str, team_names: tuple[str, ...]) -> None:
    """Create an account and print its password, once."""
    email = normalize_email(email)
    if not EMAIL.fullmatch(email):
        raise click.BadParameter(f"« {email} » n'est pas une adresse e-mail.", param_hint="EMAIL")
    password = new_password()
    with _transaction() as session:
        if session.scalar(select(User).where(User.email == email)) is not None:
            raise click.ClickException(f"Un compte existe déjà pour {email}.")
        teams = [_team_named(session, team_name) for team_name in dict.fromkeys(team_names)]
        session.add(User(email=email, name=name.strip(), role=role, teams=teams,
                         password_hash=hash_password(password)))
    click.echo(f"Compte créé : {email} ({role}).")
    click.echo(f"Mot de passe : {password}")
    click.echo("Il ne sera plus affiché : transmettez-le à la personne de façon sûre.")


@cli.command("list-users")
def list_users() -> None:
    """List the accounts: email, name, role, active or not, teams."""
    with _transaction() as session:
        users = session.scalars(select(User).options(selectinload(User.teams)).order_by(User.email))
        for user in users:
            teams = ", ".join(sorted(team.name for team in user.teams)) or "aucune équipe"
            state = "actif" if user.active else "fermé"
            click.echo(f"{user.email}\t{user.name}\t{user.role}\t{state}\t{teams}")


@cli.command("deactivate-user")
@click.argument("email")
def deactivate_user(email: str) -> None:
    """Close an account: it can no longer sign in, and its open sessions end."""
    with _transaction() as session:
        user = session.scalar(select(User).where(User.email == normalize_email(email)))
        if user is None:
            raise click.ClickException(f"Aucun compte pour {email}.")
        user.active = False
    click.echo(f"Compte {normalize_email(email)} fermé.")


@cli.command("create-token")
@click.argument("email")
@click.argument("name")
def create_token(email: str, name: str) -> None:
    """Create a JSON API token acting as this account, and print it, once."""
    from datetime import datetime, timezone

    from inbox.cases import CaseError, issue_token
    with _transaction() as session:
        user = session.scalar(select(User).where(User.email == normalize_email(email)))
        if user is None or not user.active:
            raise click.ClickException(f"Aucun compte actif pour {email}.")
        try:
            row, token = issue_token(session, user, name, datetime.now(timezone.utc))
        except CaseError as error:
            raise click.ClickException(str(error)) from error
        token_id = row.id
    click.echo(f"Jeton n° {token_id} créé pour {normalize_email(email)} : « {name.strip()} ».")
    click.echo(f"Jeton : {token}")
    click.echo("Il ne sera plus affiché : transmettez-le de façon sûre "
               "(en-tête « Authorization: Bearer <jeton> »).")


@cli.command("list-tokens")
@click.argument("email")
def list_tokens(email: str) -> None:
    """List an account's API tokens: number, name, created, last used, revoked."""
    from inbox.cases import tokens_of
    with _transaction() as session:
        user = session.scalar(select(User).where(User.email == normalize_email(email)))
        if user is None:
            raise click.ClickException(f"Aucun compte pour {email}.")
        for row in tokens_of(session, user):
            used = row.last_used_at.isoformat() if row.last_used_at else "jamais utilisé"
            state = f"révoqué {row.revoked_at.isoformat()}" if row.revoked_at else "actif"
            click.echo(f"{row.id}\t{row.name}\t{row.created_at.isoformat()}\t{used}\t{state}")


@cli.command("revoke-token")
@click.argument("token_id", type=int)
def revoke_token(token_id: int) -> None:
    """Revoke an API token by its number (see list-tokens): it stops working at once."""
    from datetime import datetime, timezone

    from storage.models import ApiToken
    with _transaction() as session:
        row = session.get(ApiToken, token_id)
        if row is None:
            raise click.ClickException(f"Aucun jeton n° {token_id}.")
        if row.revoked_at is None:
            row.revoked_at = datetime.now(timezone.utc)
    click.echo(f"Jeton n° {token_id} révoqué.")


def _team_named(session: Session, name: str) -> Team:
    """The team of that name, or a click error listing the teams that exist."""
    team = session.scalar(select(Team).where(Team.name == name))
    if team is None:
        known = ", ".join(f"« {n} »" for n in session.scalars(select(Team.name).order_by(Team.name)))
        raise click.ClickException(f"Aucune équipe « {name} ». Équipes : {known or 'aucune'}.")
    return team
