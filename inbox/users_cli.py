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

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from inbox.admin import AdminError, accounts, teams
from storage.models import USER_ROLES, Team, User, normalize_email

cli = AppGroup("inbox", help="Comptes et équipes de la boîte de réception.")


@contextmanager
def _transaction() -> Iterator[Session]:
    """A session on the app's database, committed at the end."""
    with current_app.extensions["session_factory"].begin() as session:
        yield session


@cli.command("create-team")
@click.argument("name")
@click.argument("territories", nargs=-1)
@click.option("--default", "is_default", is_flag=True,
              help="Équipe qui reçoit les demandes qu'aucun territoire ne couvre.")
def create_team(name: str, territories: tuple[str, ...], is_default: bool) -> None:
    """Create a team and the territories it covers (commune:95585 epci:200055655 departement:95)."""
    try:
        covered = list(dict.fromkeys(teams.parse_territory(text) for text in territories))
        with _transaction() as session:
            team, replaced = teams.create_team(session, None, name, covered, _now(), is_default)
            name = team.name
    except AdminError as error:
        raise click.ClickException(str(error)) from error
    for former in replaced:
        click.echo(f"« {former} » n'est plus l'équipe par défaut.")
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
    try:
        with _transaction() as session:
            chosen = [_team_named(session, team_name) for team_name in dict.fromkeys(team_names)]
            _user, password = accounts.create_user(session, None, email, name, role, chosen, _now())
    except AdminError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Compte créé : {email} ({role}).")
    click.echo(f"Mot de passe : {password}")
    click.echo("Il ne sera plus affiché : transmettez-le à la personne de façon sûre.")


@cli.command("list-users")
def list_users() -> None:
    """List the accounts: email, name, role, active or not, teams."""
    with _transaction() as session:
        users = session.scalars(select(User).options(selectinload(User.teams)).order_by(User.email))
        for user in users:
            names = ", ".join(sorted(team.name for team in user.teams)) or "aucune équipe"
            state = "actif" if user.active else "fermé"
            click.echo(f"{user.email}\t{user.name}\t{user.role}\t{state}\t{names}")


@cli.command("deactivate-user")
@click.argument("email")
def deactivate_user(email: str) -> None:
    """Close an account: it can no longer sign in, and its open sessions end."""
    with _transaction() as session:
        user = session.scalar(select(User).where(User.email == normalize_email(email)))
        if user is None:
            raise click.ClickException(f"Aucun compte pour {email}.")
        accounts.deactivate(session, None, user, _now())
    click.echo(f"Compte {normalize_email(email)} fermé.")


@cli.command("create-token")
@click.argument("email")
@click.argument("name")
def create_token(email: str, name: str) -> None:
    """Create a JSON API token acting as this account, and print it, once."""
    from inbox.cases import CaseError, issue_token
    with _transaction() as session:
        user = session.scalar(select(User).where(User.email == normalize_email(email)))
        if user is None or not user.active:
            raise click.ClickException(f"Aucun compte actif pour {email}.")
        try:
            row, token = issue_token(session, user, name, _now())
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
    from storage.models import ApiToken
    with _transaction() as session:
        row = session.get(ApiToken, token_id)
        if row is None:
            raise click.ClickException(f"Aucun jeton n° {token_id}.")
        if row.revoked_at is None:
            row.revoked_at = _now()
    click.echo(f"Jeton n° {token_id} révoqué.")


def _now() -> datetime:
    """The current time, in UTC."""
    return datetime.now(timezone.utc)


def _team_named(session: Session, name: str) -> Team:
    """The team of that name, or a click error listing the teams that exist."""
    team = session.scalar(select(Team).where(Team.name == name))
    if team is None:
        known = ", ".join(f"« {n} »" for n in session.scalars(select(Team.name).order_by(Team.name)))
        raise click.ClickException(f"Aucune équipe « {name} ». Équipes : {known or 'aucune'}.")
    return team
