"""Joining and leaving the partner network through the runtime, against the database."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.network import MAX_FAILED_TRIES
from bot.simulator import SimulatedPhone
from storage.models import Contact, Conversation, InviteAttempt, InviteCode, NetworkMember


def join(phone, code_message, first_name="Awa", job_title="conseillère sociale", news="non"):
    phone.send(code_message)
    phone.send("oui")
    phone.send(first_name)
    phone.send(job_title)
    return phone.send(news)  # the network's news: yes or no


def test_a_telegram_deep_link_makes_an_alert_giver_of_the_organisation(telegram_phone, db, network, clock):
    first = telegram_phone.send(f"/start {network.valid}")
    assert "Vous faites partie de CCAS de Sarcelles ?" in first[0].body
    telegram_phone.send("1")  # the "Oui" button
    telegram_phone.send("Awa")
    news = telegram_phone.send("conseillère sociale")
    assert news[0].body.startswith("Voulez-vous recevoir les nouvelles du réseau ?")
    last = telegram_phone.send("2")  # the "Non" button

    assert last[0].body.startswith("C'est fait, Awa !")
    member = db.scalars(select(NetworkMember)).one()
    assert (member.organisation_id, member.role, member.job_title) == (
        network.organisation_id, "alert_giver", "conseillère sociale")
    assert member.joined_at == clock.now and member.left_at is None
    assert member.news_opt_in is False
    contact = db.get(Contact, member.contact_id)
    assert (contact.role, contact.first_name) == ("alert_giver", "Awa")
    assert db.scalar(select(InviteCode.uses).where(InviteCode.code == network.valid)) == 1


def test_the_sms_keyword_works_in_any_case_and_an_ambassador_code_makes_an_ambassador(sms_phone, db, network):
    join(sms_phone, f"Partenaire {network.ambassador.lower()}", "Samir", "ambassadeur")
    member = db.scalars(select(NetworkMember)).one()
    assert member.role == "ambassador"
    assert db.get(Contact, member.contact_id).role == "ambassador"


@pytest.mark.parametrize("which, answer", [
    ("revoked", "Ce code ne marche plus."),
    ("expired", "Ce code a expiré."),
    ("mistyped", "Je ne trouve pas ce code."),
])
def test_codes_that_do_not_open_the_network_get_a_kind_answer(sms_phone, db, network, which, answer):
    code = {"revoked": network.revoked, "expired": network.expired, "mistyped": "K7M4PY"}[which]
    replies = sms_phone.send(f"PARTENAIRE {code}")
    assert replies[0].body.startswith(answer)
    assert db.scalars(select(NetworkMember)).all() == []
    assert db.scalars(select(Contact)).one().role == "resident"


def test_guessing_codes_is_slowed_down_per_address(sms_phone, runtime, db, network, clock):
    for n in range(MAX_FAILED_TRIES):
        assert sms_phone.send(f"PARTENAIRE WRONG{n}")[0].body.startswith("Je ne trouve pas")
    # Even the right code is not looked up while the limit holds...
    blocked = sms_phone.send(f"PARTENAIRE {network.valid}")
    assert blocked[0].body.startswith("Plusieurs codes n'ont pas marché")
    # ...another address is not affected...
    other = SimulatedPhone(runtime, "sms", address="+33639980000")
    assert "Vous faites partie de" in other.send(f"PARTENAIRE {network.valid}")[0].body
    # ...and an hour after the last wrong tries, the code works again.
    clock.advance(hours=1, minutes=1)
    assert "Vous faites partie de" in sms_phone.send(f"PARTENAIRE {network.valid}")[0].body
    assert db.scalar(select(InviteAttempt.id).where(InviteAttempt.succeeded)) is not None


def test_quitter_ends_the_membership_and_the_person_is_a_resident_again(sms_phone, db, network, clock):
    join(sms_phone, f"PARTENAIRE {network.valid}")
    clock.advance(days=3)
    assert "Pour quitter le réseau, écrivez QUITTER." in sms_phone.send("bonjour")[0].body
    assert sms_phone.send("QUITTER")[0].body.startswith("Vous voulez quitter le réseau ?")
    assert sms_phone.send("oui")[0].body.startswith("C'est noté : vous avez quitté le réseau.")

    member = db.scalars(select(NetworkMember)).one()
    assert member.left_at == clock.now
    assert db.get(Contact, member.contact_id).role == "resident"
    conversation = db.scalars(select(Conversation)).one()
    sms_phone.send("bonjour")
    assert db.get(Conversation, conversation.id).flow == "resident"


def test_a_member_sending_a_code_again_is_told_they_are_already_in(telegram_phone, db, network):
    join(telegram_phone, f"/start {network.valid}")
    again = telegram_phone.send(f"/start {network.valid}")
    assert again[0].body.startswith("Vous faites déjà partie du réseau avec CCAS de Sarcelles.")
    assert len(db.scalars(select(NetworkMember)).all()) == 1


def test_saying_no_to_the_organisation_keeps_nothing(sms_phone, db, network):
    sms_phone.send(f"PARTENAIRE {network.valid}")
    assert sms_phone.send("non")[0].body.startswith("D'accord, nous ne gardons rien.")
    assert db.scalars(select(NetworkMember)).all() == []
    assert db.scalar(select(InviteCode.uses).where(InviteCode.code == network.valid)) == 0


def test_effacer_takes_the_membership_with_the_person(telegram_phone, db, network):
    join(telegram_phone, f"/start {network.valid}")
    telegram_phone.send("EFFACER")
    assert telegram_phone.send("oui")[0].body.startswith("C'est fait : vos données sont effacées.")
    assert db.scalars(select(NetworkMember)).all() == []
    assert db.scalars(select(Contact)).all() == []
    assert db.scalar(select(InviteCode.uses).where(InviteCode.code == network.valid)) == 1


def test_the_news_is_received_only_after_a_yes_and_nouvelles_changes_it(sms_phone, db, network, clock):
    join(sms_phone, f"PARTENAIRE {network.valid}", news="oui")
    assert db.scalars(select(NetworkMember)).one().news_opt_in is True
    clock.advance(days=2)
    assert sms_phone.send("NOUVELLES")[0].body.startswith("Voulez-vous recevoir les nouvelles")
    assert sms_phone.send("non")[0].body.startswith("C'est noté : vous ne recevrez pas")
    assert db.scalars(select(NetworkMember)).one().news_opt_in is False
    sms_phone.send("nouvelles")
    sms_phone.send("oui")
    assert db.scalars(select(NetworkMember)).one().news_opt_in is True


def test_quitter_at_the_news_question_keeps_nothing(sms_phone, db, network):
    sms_phone.send(f"PARTENAIRE {network.valid}")
    sms_phone.send("oui")
    sms_phone.send("Awa")
    sms_phone.send("conseillère sociale")
    assert sms_phone.send("QUITTER")[0].body.startswith("D'accord, nous ne gardons rien.")
    assert db.scalars(select(NetworkMember)).all() == []
