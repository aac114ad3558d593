"""A referral by an alert giver, through the runtime: the person's case, or nothing at all."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.inbound import InboundMessage
from bot.simulator import SimulatedPhone
from storage.models import Case, CaseEvent, ChannelAddress, Contact, Message, NetworkMember
from tests.bot.test_erasure import everything_stored

ALERT_GIVER = "+33639981234"
PERSON = "+33612345678"


@pytest.fixture
def alert_giver(runtime, network) -> SimulatedPhone:
    phone = SimulatedPhone(runtime, "sms", address=ALERT_GIVER)
    for line in (f"PARTENAIRE {network.valid}", "oui", "Awa", "animatrice", "non"):
        phone.send(line)
    return phone


def refer(phone: SimulatedPhone, *answers: str) -> list:
    replies = []
    for line in ("REPERAGE", "oui") + answers:
        replies = phone.send(line)
    return replies


def referrer(db) -> Contact:
    return db.get(Contact, db.scalars(select(NetworkMember)).one().contact_id)


def test_a_referral_becomes_a_case_of_the_person_with_the_organisation_and_the_referrer(
        alert_giver, db, network, teams, clock):
    replies = refer(alert_giver, "Fatou", "06 12 34 56 78", "le matin", "Sarcelles",
                    "pas de voiture", "travail", "2 9", "rendez-vous le 12 mars",
                    "son fils traduit", "oui")

    case = db.scalars(select(Case)).one()
    assert replies[0].body.startswith("Merci ! La fiche de Fatou est transmise")
    assert case.reference in replies[0].body
    assert (case.source, case.referrer_organisation_id, case.referrer_contact_id) == (
        "alert_giver", network.organisation_id, referrer(db).id)
    assert case.categories == ["job_seeker", "migrant"]
    assert (case.commune_insee, case.team_id) == ("95585", teams["sarcelles"])
    assert (case.difficulties, case.purposes) == (["no_vehicle"], ["job"])
    assert (case.callback_phone, case.contact_preference, case.contact_moments) == (
        PERSON, "call", ["morning"])
    assert (case.consent_by, case.consent_channel) == ("alert_giver", "sms-sim")
    assert case.channel == "sms"  # the person's own channel, not the alert giver's
    person = db.get(Contact, case.contact_id)
    assert (person.first_name, person.role) == ("Fatou", "resident")
    address = db.scalars(select(ChannelAddress).where(ChannelAddress.contact_id == person.id)).one()
    assert (address.channel, address.address) == ("sms", PERSON)
    created = db.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id,
                                                 CaseEvent.kind == "created")).one()
    assert created.data["referral"] == {"urgency": "rendez-vous le 12 mars",
                                        "note": "son fils traduit"}


def test_the_person_only_gets_the_sms_asking_their_own_consent(alert_giver, db):
    refer(alert_giver, "Fatou", "06 12 34 56 78", "le matin", "Sarcelles", "pas de voiture",
          "travail", "10", "pas urgent", "rien", "oui")
    person = db.scalars(select(Case)).one().contact_id
    [sms] = db.scalars(select(Message).where(Message.contact_id == person)).all()
    assert "Répondez OUI ou NON" in sms.body  # tests/bot/test_person_consent.py


def test_the_alert_givers_words_about_the_person_live_only_in_the_case(alert_giver, db):
    refer(alert_giver, "Fatou", "pas de téléphone", "par moi, le mardi a la distribution",
          "Sarcelles", "pas de voiture", "travail", "10", "pas urgent", "rien", "oui")
    case = db.scalars(select(Case)).one()
    assert case.callback_phone is None and case.contact_preference is None
    assert db.scalars(select(ChannelAddress).where(
        ChannelAddress.contact_id == case.contact_id)).all() == []
    said = [m.body for m in db.scalars(select(Message).where(
        Message.contact_id == referrer(db).id, Message.direction == "in"))]
    assert not any("distribution" in body for body in said)


def test_a_person_who_already_wrote_to_us_keeps_their_contact(runtime, alert_giver, db):
    runtime.receive(InboundMessage(channel="sms", address=PERSON, text="Bonjour", provider_id="SM1"))
    refer(alert_giver, "Fatou", "06 12 34 56 78", "le soir", "Cergy", "trop cher", "courses",
          "10", "pas urgent", "rien", "oui")
    case = db.scalars(select(Case)).one()
    known = db.scalars(select(ChannelAddress).where(ChannelAddress.address == PERSON)).all()
    assert len(known) == 1 and case.contact_id == known[0].contact_id


def test_a_refused_consent_keeps_nothing_about_the_person(alert_giver, db, engine):
    contacts_before = len(db.scalars(select(Contact)).all())
    asked = alert_giver.send("REPERAGE")
    replies = alert_giver.send("non, Mme Lopez ne veut pas")

    assert "La personne est d'accord" in asked[0].body
    assert "Voici un message à lui donner" in replies[0].body
    assert "06 39 98 00 00" in replies[0].body and "t.me/RelaisMobiliteBot" in replies[0].body
    assert db.scalars(select(Case)).all() == []
    assert len(db.scalars(select(Contact)).all()) == contacts_before
    assert "Lopez" not in everything_stored(engine)


def test_an_alert_giver_asking_for_a_person_mid_referral_gets_a_case_without_the_persons_answers(
        alert_giver, db):
    refer(alert_giver, "Fatou", "06 12 34 56 78", "le matin", "Sarcelles", "pas de voiture")
    alert_giver.send("APPEL")
    case = db.scalars(select(Case)).one()
    assert case.contact_id == referrer(db).id and case.wants_human
    assert (case.commune_insee, case.difficulties) == (None, [])


def test_quitter_at_any_question_drops_the_referral_and_what_was_written(alert_giver, db, engine):
    replies = refer(alert_giver, "Fatou", "06 12 34 56 78", "le matin", "Sarcelles", "QUITTER")
    assert replies[0].body == "D'accord, nous ne gardons rien de cette fiche."
    assert db.scalars(select(Case)).all() == []
    assert "Fatou" not in everything_stored(engine) and PERSON not in everything_stored(engine)
