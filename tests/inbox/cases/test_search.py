"""Search: reference, first name, phone as typed, the words of the messages; LIKE
wildcards typed by a coordinator are plain characters."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from inbox.cases import CaseFilters, list_cases
from inbox.cases import search as search_module
from inbox.cases.search import phone_digits, whole_number
from storage.models import Case, Contact, Message, User
from tests.inbox.cases.helpers import make_case


@pytest.fixture(params=["rare-words", "common-words", "common-first-names"])
def found(request, tx, people, monkeypatch):
    """Search as the admin, every word taken as rare (read from the trigram indexes on
    PostgreSQL, the full-text table on SQLite) or as common, in the messages or in the
    first names (cases read in order): both plans give the same answers."""
    monkeypatch.setattr(search_module, "COMMON_WORD", -1 if request.param == "common-words" else 10**9)
    monkeypatch.setattr(search_module, "COMMON_NAME",
                        -1 if request.param == "common-first-names" else 10**9)

    def search(text: str) -> set[str]:
        with tx() as s:
            page = list_cases(s, s.get(User, people.alex), CaseFilters(search=text), limit=200)
            return {c.reference for c in page.cases}
    return search


@pytest.fixture
def refs(tx, teams) -> dict[str, str]:
    team = teams["sarcelles"]
    with tx() as s:
        made = {
            "garage": make_case(s, team, address="+33639981234", first_name="Aïcha",
                                commune_name="Sarcelles",
                                messages=("Ma voiture est en panne", "Le GARAGE coûte trop cher")),
            "percent": make_case(s, team, address="+33639985678", messages=("Réduction de 100% ?",)),
            "hundred": make_case(s, team, address="+33639980000", messages=("J'ai 100 euros",)),
            "underscore": make_case(s, team, channel="telegram-sim", address="424242",
                                    messages=("mon pseudo est velo_95",)),
            "letters": make_case(s, team, messages=("velox95 sans souligné",)),
            "callback": make_case(s, team, callback_phone="+33139990011", commune_name="Garges-lès-Gonesse"),
        }
        return {name: case.reference for name, case in made.items()}


def test_by_reference_whole_or_in_part(found, refs):
    assert found(refs["garage"]) == {refs["garage"]}
    assert found(refs["garage"].lower()) == {refs["garage"]}


def test_by_words_of_the_messages_in_any_case_and_order(found, refs):
    assert found("garage") == {refs["garage"]}
    assert found("cher panne") == {refs["garage"]}
    assert found("panne introuvable") == set()


def test_short_words_are_left_out_when_longer_ones_are_typed(found, refs):
    assert found("de panne") == {refs["garage"]}  # "de" alone would find "Réduction de 100%"
    assert found("de") == {refs["percent"]}


def test_by_first_name_and_commune(found, refs):
    assert found("aïcha") == {refs["garage"]}
    assert found("garges") == {refs["callback"]}


@pytest.mark.parametrize("typed", ["06 39 98 12 34", "0639981234", "+33 6 39 98 12 34",
                                   "06.39.98.12.34", "+33639981234"])
def test_by_phone_number_as_a_coordinator_types_it(found, refs, typed):
    assert found(typed) == {refs["garage"]}


def test_part_of_a_number_is_matched_on_its_digits(found, refs):
    assert found("98 12 34") == {refs["garage"]}
    assert found("06 39 98") == {refs["garage"], refs["percent"], refs["hundred"]}


def test_by_callback_phone_and_telegram_chat_id(found, refs):
    assert found("01 39 99 00 11") == {refs["callback"]}
    assert found("424242") == {refs["underscore"]}


def test_percent_and_underscore_are_searched_as_themselves(found, refs):
    assert found("100%") == {refs["percent"]}
    assert found("velo_95") == {refs["underscore"]}
    assert found("%") == {refs["percent"]}
    assert found("_") == {refs["underscore"]}


def test_words_follow_a_message_edited_then_deleted(found, refs, tx):
    with tx() as s:
        s.scalars(select(Message).where(Message.body == "Ma voiture est en panne")).one().body = \
            "Plus de souci de trottinette"
    assert found("trottinette") == {refs["garage"]}
    assert found("panne") == set()
    with tx() as s:
        s.delete(s.scalars(select(Message).where(Message.body.contains("trottinette"))).one())
    assert found("trottinette") == set()
    assert found("garage") == {refs["garage"]}


def test_first_names_and_communes_follow_edits_and_erasure(found, refs, tx):
    with tx() as s:
        case = s.scalars(select(Case).where(Case.reference == refs["garage"])).one()
        case.commune_name = "Villiers-le-Bel"
        s.get(Contact, case.contact_id).first_name = "Samira"
    assert found("villiers") == {refs["garage"]}
    assert found("sarcelles") == set()
    assert found("samira") == {refs["garage"]}
    assert found("aïcha") == set()
    with tx() as s:
        case = s.scalars(select(Case).where(Case.reference == refs["garage"])).one()
        s.get(Contact, case.contact_id).first_name = None  # erased
        s.delete(case)
    assert found("samira") == set()
    assert found("villiers") == set()


def test_a_blank_search_filters_nothing(found, refs):
    assert found("   ") == set(refs.values())


def test_phone_digits_keep_the_significant_part():
    assert phone_digits("06 39 98 12 34") == "639981234"
    assert phone_digits("+33 6 39 98 12 34") == "639981234"
    assert phone_digits("0033639981234") == "639981234"


def test_a_whole_number_is_looked_up_as_stored():
    assert whole_number("06 39 98 12 34") == "+33639981234"
    assert whole_number("0033 6 39 98 12 34") == "+33639981234"
    assert whole_number("+32 470 12 34 56") == "+32470123456"
    assert whole_number("06 39 98") is None  # a part: matched on its digits
    assert whole_number("639981234") is None  # digits as a Telegram chat id has them
