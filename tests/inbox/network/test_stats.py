"""The network page's figures: referrals over 30 and 90 days, last activity, and the
organisations to get back in touch with, first."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from inbox.network import network_activity
from storage.models import Case, Contact, Message, NetworkMember, Organisation

NOW = datetime(2026, 6, 1, 10, 0, tzinfo=timezone.utc)
AFTER = timedelta(days=60)


def organisation(session, name, created_days_ago=200):
    row = Organisation(name=name, kind="ccas", created_at=NOW - timedelta(days=created_days_ago))
    session.add(row)
    session.flush()
    return row


def referral(session, organisation_id, days_ago, number=[0]):  # noqa: B006 - a counter
    number[0] += 1
    session.add(Case(reference=f"RM-2026-{number[0]:05d}", source="alert_giver", channel="sms",
                     referrer_organisation_id=organisation_id,
                     created_at=NOW - timedelta(days=days_ago)))


def member(session, organisation_id, name, joined_days_ago=100, left_days_ago=None):
    contact = Contact(first_name=name, role="alert_giver" if left_days_ago is None else "resident")
    session.add(contact)
    session.flush()
    session.add(NetworkMember(
        contact_id=contact.id, organisation_id=organisation_id, role="alert_giver",
        joined_at=NOW - timedelta(days=joined_days_ago),
        left_at=NOW - timedelta(days=left_days_ago) if left_days_ago is not None else None))
    return contact


def test_counts_flags_and_order(session_factory):
    with session_factory.begin() as session:
        busy = organisation(session, "A Busy CCAS")
        for days in (1, 20, 45, 89, 120):
            referral(session, busy.id, days)
        awa = member(session, busy.id, "Awa")
        session.add(Message(contact_id=awa.id, direction="in", channel="sms", body="bonjour",
                            status="received", created_at=NOW - timedelta(hours=3)))
        quiet = organisation(session, "B Quiet CAF")
        referral(session, quiet.id, 61)
        member(session, quiet.id, "Marc")
        turnover = organisation(session, "C Mairie")
        referral(session, turnover.id, 10)
        member(session, turnover.id, "Paul", left_days_ago=5)
        member(session, turnover.id, "Léa", left_days_ago=90)
        organisation(session, "D New partner", created_days_ago=10)
        organisation(session, "E Never referred", created_days_ago=70)

    with session_factory() as session:
        rows = network_activity(session, NOW, AFTER)
        by_name = {row.organisation.name: row for row in rows}

    assert [row.organisation.name for row in rows] == [
        "B Quiet CAF", "C Mairie", "E Never referred", "A Busy CCAS", "D New partner"]
    busy_row = by_name["A Busy CCAS"]
    assert (busy_row.referrals_30, busy_row.referrals_90) == (2, 4)
    assert busy_row.last_activity == NOW - timedelta(hours=3)  # Awa wrote, after the referral
    assert busy_row.reasons == []
    assert by_name["B Quiet CAF"].reasons == ["Aucune fiche depuis 61 jours"]
    assert (by_name["B Quiet CAF"].referrals_30, by_name["B Quiet CAF"].referrals_90) == (0, 1)
    mairie = by_name["C Mairie"]
    assert mairie.reasons == ["1 membre parti ces 60 derniers jours"]  # Léa left long ago
    assert sorted(m.contact.first_name for m in mairie.left) == ["Léa", "Paul"]
    assert mairie.active == []
    assert mairie.last_activity == NOW - timedelta(days=5)  # Paul leaving
    assert by_name["D New partner"].reasons == []  # given 60 days before any flag
    assert by_name["E Never referred"].reasons == [
        "Aucune fiche depuis son arrivée (plus de 60 jours)"]
    assert by_name["E Never referred"].last_activity is None


def test_the_threshold_is_a_setting(session_factory):
    with session_factory.begin() as session:
        quiet = organisation(session, "Quiet")
        referral(session, quiet.id, 40)
    with session_factory() as session:
        assert network_activity(session, NOW, timedelta(days=60))[0].reasons == []
        assert network_activity(session, NOW, timedelta(days=30))[0].reasons == [
            "Aucune fiche depuis 40 jours"]


def test_a_handful_of_queries_whatever_the_number_of_organisations(session_factory, engine):
    from sqlalchemy import event
    with session_factory.begin() as session:
        for n in range(15):
            org = organisation(session, f"Org {n:02d}")
            referral(session, org.id, n)
            member(session, org.id, f"Membre {n}")
    statements = []
    event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    with session_factory() as session:
        rows = network_activity(session, NOW, AFTER)
        names = [m.contact.first_name for row in rows for m in row.members]
    assert len(names) == 15
    assert len(statements) <= 6


def test_the_setting_is_read_from_the_environment(monkeypatch):
    from bot.settings import Settings
    monkeypatch.delenv("NETWORK_RECONTACT_AFTER_DAYS", raising=False)
    assert Settings.from_env().network_recontact_after == timedelta(days=60)
    monkeypatch.setenv("NETWORK_RECONTACT_AFTER_DAYS", "45")
    assert Settings.from_env().network_recontact_after == timedelta(days=45)
