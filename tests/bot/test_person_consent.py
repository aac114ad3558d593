"""A referred person's own consent, through the runtime: one SMS, then OUI, NON or silence."""
from __future__ import annotations

import itertools
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from bot import consent_sweep, outbox, reminders
from bot.inbound import InboundMessage
from bot.jobs import Jobs, make_huey
from bot.runtime import Runtime
from bot.settings import Settings
from bot.simulator import SimulatedPhone
from storage.models import Case, CaseEvent, ChannelAddress, Contact, Message, NetworkMember
from tests.bot.test_erasure import everything_stored
from tests.support.partners import seed_network

PROVIDER_IDS = itertools.count(1)
ALERT_GIVER = "+33639981234"
PERSON = "+33612345678"
# What the alert giver says of the person: none of it may stay after a NON.
REFERRAL = ("Fatou", "06 12 34 56 78", "le matin", "Cergy", "pas de voiture", "travail", "2 9",
            "rendez-vous le 12 mars", "son fils traduit", "oui")
PERSONAL = ("Fatou", PERSON, "95127", "Cergy", "rendez-vous le 12 mars", "son fils traduit",
            "no_vehicle", "job_seeker")


@pytest.fixture
def alert_giver(runtime, session_factory, clock) -> SimulatedPhone:
    """Awa of the CCAS de Sarcelles, in the network (joining is tested elsewhere)."""
    network = seed_network(session_factory, clock.now)
    with session_factory.begin() as session:
        awa = Contact(role="alert_giver", first_name="Awa", language="fr")
        awa.addresses.append(ChannelAddress(channel="sms-sim", address=ALERT_GIVER))
        session.add(NetworkMember(contact=awa, organisation_id=network.organisation_id,
                                  role="alert_giver", job_title="animatrice", joined_at=clock.now))
    return SimulatedPhone(runtime, "sms", address=ALERT_GIVER)


def refer(phone: SimulatedPhone, *answers: str) -> list:
    replies = []
    for line in ("REPERAGE", "oui") + (answers or REFERRAL):
        replies = phone.send(line)
    return replies


def person_says(runtime: Runtime, text: str) -> None:
    runtime.receive(InboundMessage(channel="sms", address=PERSON, text=text,
                                   provider_id=f"SM{next(PROVIDER_IDS)}"))


def to_person(db) -> list[Message]:
    """What was written to the person's phone, in order."""
    return db.scalars(select(Message).join(ChannelAddress).where(
        ChannelAddress.address == PERSON, Message.direction == "out").order_by(Message.id)).all()


def deliver_to_person(session_factory, now: datetime) -> list[str]:
    with session_factory.begin() as session:
        rows = outbox.pending(session, "sms", PERSON)
        for row in rows:
            outbox.mark_sent(session, row, now, provider_id=f"SM-out-{row.id}")
        return [row.body for row in rows]


def the_case(db) -> Case:
    return db.scalars(select(Case)).one()


def kinds(db, case: Case) -> list[str]:
    return [e.kind for e in db.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id)
                                       .order_by(CaseEvent.id))]


def test_the_person_gets_one_sms_naming_the_organisation_and_the_case_waits(alert_giver, db, clock):
    refer(alert_giver)
    [sms] = to_person(db)
    case = the_case(db)
    assert sms.body.startswith("Bonjour Fatou, c'est Relais Mobilité")
    assert "CCAS de Sarcelles nous a donné votre numéro" in sms.body
    assert "Répondez OUI ou NON" in sms.body and "STOP" in sms.body
    assert sms.case_id == case.id and sms.segments <= 2
    assert sms.next_attempt_at == clock.now  # a Monday at 10:00 in Paris: it goes now
    assert (case.status, case.person_consent, case.person_consent_asked_at) == (
        "waiting", "asked", clock.now)
    assert "person_consent_asked" in kinds(db, case)


def test_a_referral_in_the_evening_is_sent_the_next_morning(alert_giver, db, clock):
    clock.now = datetime(2026, 3, 2, 19, 30, tzinfo=timezone.utc)  # 20:30 in Paris
    refer(alert_giver)
    [sms] = to_person(db)
    morning = datetime(2026, 3, 3, 8, 0, tzinfo=timezone.utc)  # 9:00 in Paris
    assert sms.next_attempt_at == morning and the_case(db).person_consent_asked_at == morning


def test_oui_records_the_persons_own_consent_and_the_team_takes_it(alert_giver, runtime, db, clock):
    refer(alert_giver)
    clock.advance(hours=2)
    person_says(runtime, "Oui d'accord")
    case = the_case(db)
    assert (case.person_consent, case.status) == ("given", "new")
    assert (case.consent_by, case.consent_at, case.consent_channel, case.consent_text_version) == (
        "person", clock.now, "sms", "person-sms-2026-1")
    given = db.scalars(select(CaseEvent).where(CaseEvent.kind == "person_consent_given")).one()
    assert given.actor == "person" and given.data["before"]["consent_by"] == "alert_giver"
    assert case.unread and case.waiting_since == clock.now  # the person now waits for a call
    thanks = to_person(db)[-1].body
    assert thanks.startswith("Merci ! Une personne de l'équipe mobilité va vous appeler")


def test_non_closes_the_case_and_keeps_nothing_personal(alert_giver, runtime, session_factory,
                                                        engine, db, clock):
    refer(alert_giver)
    reference = the_case(db).reference
    assert all(value in everything_stored(engine) for value in PERSONAL)
    clock.advance(hours=5)
    person_says(runtime, "non merci")
    [reply] = deliver_to_person(session_factory, clock.now)  # the last trace goes with it

    assert reply.startswith("D'accord, personne ne vous appellera.")
    case = the_case(db)
    assert (case.reference, case.status, case.outcome, case.person_consent) == (
        reference, "closed", "declined", "refused")
    assert (case.source, case.referrer_contact_id) == ("alert_giver", alert_giver_id(db))
    assert case.referrer_organisation_id is not None and case.created_at is not None
    assert case.contact_id is None and case.callback_phone is None and case.categories == []
    stored = everything_stored(engine)
    assert [value for value in PERSONAL if value in stored] == []
    assert db.scalars(select(ChannelAddress).where(ChannelAddress.address == PERSON)).all() == []
    unlinked = db.scalars(select(Message).where(Message.contact_id.is_(None)))
    assert all(m.body == "" for m in unlinked)
    assert "referrer_told" in kinds(db, case)  # the referrer hears "declined" (bot.referrer_feedback)


def alert_giver_id(db) -> int:
    query = select(ChannelAddress).where(ChannelAddress.address == ALERT_GIVER)
    return db.scalars(query).one().contact_id


def test_silence_puts_the_case_in_the_teams_hands_without_a_second_sms(
        alert_giver, runtime, session_factory, db, clock):
    refer(alert_giver)
    settings = Settings()
    clock.advance(days=3, minutes=-1)
    assert consent_sweep.sweep(session_factory, settings, clock.now) == 0
    clock.advance(minutes=2)
    assert consent_sweep.sweep(session_factory, settings, clock.now) == 1
    assert consent_sweep.sweep(session_factory, settings, clock.now) == 0  # once
    case = the_case(db)
    assert (case.person_consent, case.status) == ("silent", "new")
    assert kinds(db, case)[-2:] == ["person_consent_silent", "status_changed"]
    assert len(to_person(db)) == 1
    clock.advance(days=2)
    person_says(runtime, "oui")  # a late answer still counts
    assert the_case(db).person_consent == "given"


def test_the_minute_job_runs_the_sweep_with_the_configured_wait(
        alert_giver, session_factory, db, clock, tmp_path, monkeypatch):
    monkeypatch.setenv("REFERRAL_CONSENT_WAIT_HOURS", "24")
    settings = Settings.from_env()
    assert settings.referral_consent_wait == timedelta(hours=24)
    huey = make_huey(settings, filename=tmp_path / "huey.sqlite3")
    huey.immediate = True
    jobs = Jobs(huey, settings, session_factory=session_factory, make_senders=lambda _: {},
                clock=clock)
    refer(alert_giver)
    clock.advance(hours=25)
    jobs.remind()
    assert the_case(db).person_consent == "silent"


def test_an_address_that_said_stop_gets_no_sms(alert_giver, runtime, db):
    person_says(runtime, "STOP")
    refer(alert_giver)
    case = the_case(db)
    assert not any("OUI ou NON" in m.body for m in to_person(db))
    assert (case.status, case.person_consent) == ("new", None)


def test_stop_while_asked_is_a_no_without_erasing(alert_giver, runtime, db):
    refer(alert_giver)
    person_says(runtime, "STOP")
    case = the_case(db)
    assert (case.status, case.outcome, case.person_consent) == ("closed", "declined", "refused")
    address = db.scalars(select(ChannelAddress).where(ChannelAddress.address == PERSON)).one()
    assert address.opted_out_at is not None and case.contact_id == address.contact_id


def test_other_words_are_asked_again_once_then_read_by_the_team(alert_giver, runtime, db):
    refer(alert_giver)
    person_says(runtime, "c'est pour quoi ? j'ai 2 enfants")
    case = the_case(db)
    assert (case.status, case.person_consent) == ("waiting", "asked")
    assert to_person(db)[-1].body.startswith("Merci pour votre message !")
    person_says(runtime, "je comprends pas trop")
    case = the_case(db)
    assert (case.status, case.person_consent) == ("new", "unclear")
    said = db.scalars(select(Message).where(Message.case_id == case.id, Message.direction == "in"))
    assert [m.body for m in said] == ["c'est pour quoi ? j'ai 2 enfants", "je comprends pas trop"]


def test_appel_while_asked_is_a_yes(alert_giver, runtime, db):
    refer(alert_giver)
    person_says(runtime, "APPEL")
    case = the_case(db)
    assert (case.person_consent, case.status, case.consent_by, case.wants_human) == (
        "given", "new", "person", True)


def test_a_person_with_an_open_case_gets_the_referral_on_it_and_no_sms(alert_giver, runtime, db):
    person_says(runtime, "APPEL")  # they asked us to call them: a case is open
    before = len(to_person(db))
    replies = refer(alert_giver)
    case = the_case(db)  # still one case
    assert case.reference in replies[0].body
    assert case.referrer_contact_id == alert_giver_id(db)
    assert case.categories == ["job_seeker", "migrant"]
    assert len(to_person(db)) == before and case.person_consent is None
    referred = db.scalars(select(CaseEvent).where(CaseEvent.kind == "referred")).one()
    assert referred.data["referral"] == {"urgency": "rendez-vous le 12 mars",
                                         "note": "son fils traduit"}


def test_a_referral_without_phone_sends_nothing(alert_giver, db):
    refer(alert_giver, "Fatou", "pas de téléphone", "par moi, le mardi", "Cergy", "pas de voiture",
          "travail", "10", "pas urgent", "rien", "oui")
    case = the_case(db)
    assert (case.status, case.person_consent) == ("new", None)
    assert db.scalars(select(ChannelAddress).where(
        ChannelAddress.contact_id == case.contact_id)).all() == []


def test_no_reminder_and_no_expiry_while_the_answer_is_awaited(alert_giver, session_factory, db,
                                                               clock):
    refer(alert_giver)
    clock.advance(days=8)
    assert reminders.sweep(session_factory, Settings(), clock.now) == 0
    assert len(to_person(db)) == 1


def test_effacer_while_asked_keeps_the_case_for_the_figures_but_nothing_personal(
        alert_giver, runtime, db):
    refer(alert_giver)
    person_says(runtime, "EFFACER")
    person_says(runtime, "oui")
    case = the_case(db)
    assert (case.status, case.outcome, case.person_consent, case.contact_id) == (
        "closed", "declined", "refused", None)
    assert case.commune_insee is None and case.difficulties == []


def test_once_a_coordinator_wrote_the_persons_answers_are_for_the_team(alert_giver, runtime,
                                                                        session_factory, db, clock):
    from bot import handover

    refer(alert_giver)
    with session_factory.begin() as session:
        case = session.scalars(select(Case)).one()
        handover.send_to_person(session, case, "Bonjour Fatou, je vous appelle demain ?", clock.now)
    person_says(runtime, "d'accord, plutôt le matin")
    case = the_case(db)
    assert case.status == "in_progress" and case.unread  # the coordinator's conversation
