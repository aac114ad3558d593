"""The partner network's domain: codes people can read aloud, organisations, invite codes."""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from inbox import partners
from storage.models import InviteCode, Organisation

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
LOOK_ALIKES = "0OQD1ILJ2Z5S8B6GUV"


def test_codes_are_short_random_and_free_of_look_alike_characters():
    codes = {partners.new_code() for _ in range(500)}
    assert len(codes) > 490  # random, not a sequence
    for code in codes:
        assert re.fullmatch(r"[A-Z0-9]{6}", code)
        assert not set(code) & set(LOOK_ALIKES), code


def test_the_telegram_link_carries_the_code_and_the_sms_keyword_names_it():
    assert partners.deep_link("@RelaisMobiliteBot", "K7M4PX") == \
        "https://t.me/RelaisMobiliteBot?start=K7M4PX"
    assert partners.deep_link("", "K7M4PX") == ""  # no bot name: no link
    assert partners.sms_keyword("K7M4PX") == "PARTENAIRE K7M4PX"


def test_the_qr_code_is_an_svg_image_of_the_link():
    svg = partners.qr_svg("https://t.me/RelaisMobiliteBot?start=K7M4PX", "Code K7M4PX").decode()
    assert svg.startswith("<?xml") and "<svg" in svg and "<title>Code K7M4PX</title>" in svg
    assert "<script" not in svg


def organisation(session, **fields) -> Organisation:
    form = partners.OrganisationForm(**{"name": "CCAS de Sarcelles", "kind": "ccas", **fields})
    created = partners.create_organisation(session, form)
    session.commit()
    return created


def test_an_organisation_is_created_tidy(session):
    created = organisation(session, name="  Mission   locale  du Val ", kind="mission_locale",
                           territory_kind="departement", territory_code="95",
                           contact_name="Nadia Benali", contact_email="nadia@ml95.fr",
                           contact_phone="0134567890")
    assert created.name == "Mission locale du Val"
    assert (created.territory_kind, created.territory_code) == ("departement", "95")
    assert created.contact_phone == "01 34 56 78 90"


@pytest.mark.parametrize("fields, refusal", [
    ({"name": " "}, "Le nom de l'organisation manque."),
    ({"kind": "bank"}, "Choisissez le type d'organisation."),
    ({"territory_kind": "commune", "territory_code": "123"}, "Le territoire est une commune"),
    ({"territory_kind": "", "territory_code": "95"}, "Le territoire est une commune"),
    ({"contact_email": "nadia@"}, "L'adresse e-mail du contact"),
    ({"contact_phone": "12"}, "Le numéro de téléphone du contact"),
])
def test_a_wrong_organisation_form_is_refused_in_french(session, fields, refusal):
    with pytest.raises(partners.PartnerError, match=re.escape(refusal)):
        organisation(session, **fields)
    assert session.scalars(select(Organisation)).all() == []


def test_two_organisations_cannot_share_a_name(session):
    organisation(session)
    with pytest.raises(partners.PartnerError, match="déjà ce nom"):
        organisation(session, kind="caf")


def test_organisations_are_listed_with_their_members_and_usable_codes(session):
    ccas = organisation(session)
    partners.create_invite(session, ccas, "alert_giver", None, NOW)
    revoked = partners.create_invite(session, ccas, "alert_giver", None, NOW)
    partners.revoke_invite(revoked, NOW)
    session.commit()
    [row] = partners.list_organisations(session, NOW)
    assert (row.organisation.name, row.members, row.active_codes) == ("CCAS de Sarcelles", 0, 1)


def test_a_code_lasts_until_the_end_of_its_last_day_in_paris(session):
    invite = partners.create_invite(session, organisation(session), "ambassador",
                                    date(2026, 3, 31), NOW)
    assert invite.expires_at == datetime(2026, 3, 31, 22, 0, tzinfo=timezone.utc)  # midnight, summer time
    assert partners.invite_state(invite, invite.expires_at - timedelta(seconds=1)) == "active"
    assert partners.invite_state(invite, invite.expires_at) == "expired"
    assert invite.kind == "ambassador" and invite.uses == 0


@pytest.mark.parametrize("kind, expires_on, refusal", [
    ("resident", None, "Choisissez pour qui est le code"),
    ("alert_giver", date(2026, 3, 1), "La date de fin est déjà passée."),
    ("alert_giver", date(2030, 1, 1), "Un code dure au plus 3 ans."),
])
def test_a_wrong_code_request_is_refused(session, kind, expires_on, refusal):
    ccas = organisation(session)
    with pytest.raises(partners.PartnerError, match=re.escape(refusal)):
        partners.create_invite(session, ccas, kind, expires_on, NOW)


def test_a_revoked_code_stays_revoked_at_its_first_date(session):
    invite = partners.create_invite(session, organisation(session), "alert_giver", None, NOW)
    partners.revoke_invite(invite, NOW)
    partners.revoke_invite(invite, NOW + timedelta(days=1))
    session.commit()
    stored = session.scalars(select(InviteCode)).one()
    assert stored.revoked_at == NOW and partners.invite_state(stored, NOW) == "revoked"
