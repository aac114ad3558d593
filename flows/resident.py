"""A resident tells us what makes getting around hard; a case is created for the team.

    welcome, consent ─ no ─► nothing is kept
        │ yes
    difficulties → purposes → commune → contact way → (phone) → (moments) → summary
                                                                              │ yes
                                                                        case created
"""
from __future__ import annotations

from typing import Any

from flows.commune_question import CommuneQuestion
from flows.flow import Flow
from flows.model import Effect, Inbound, Reply, State
from flows.questions import OneOf, PhoneNumber, SomeOf, YesNo
from flows.summary import Summary
from flows.vocabulary import CONTACT_WAYS, DIFFICULTIES, FIXES, MOMENTS, PURPOSES


def wants_call(answers: dict[str, Any]) -> bool:
    return answers.get("contact_way") == "call"


def calling(answers: dict[str, Any]) -> bool:
    """A call, unless they asked for one but then said they have no phone."""
    return wants_call(answers) and answers.get("phone", "this number") is not None


def phone_known(answers: dict[str, Any], inbound: Inbound) -> bool:
    """No need to ask the number: they want messages, or we already have it."""
    return not wants_call(answers) or inbound.address_is_phone


def no_call(answers: dict[str, Any], inbound: Inbound) -> bool:
    return not calling(answers)


def describe(answers: dict[str, Any]) -> dict[str, Any]:
    """The summary's parameters: lists of text keys, and the commune's label."""
    contact: tuple[str, ...] = ("contact_way.message",)
    if calling(answers):
        phone = (answers["phone"],) if answers.get("phone") else ()
        moments = tuple(f"moments.{m}" for m in answers.get("moments", []))
        contact = ("contact_way.call",) + phone + moments
    return {
        "difficulties": tuple(f"difficulties.{d}" for d in answers.get("difficulties", [])),
        "purposes": tuple(f"purposes.{p}" for p in answers.get("purposes", [])),
        "commune": answers.get("commune", {}).get("label", ""),
        "contact": contact,
    }


def case_created(state: State, inbound: Inbound) -> tuple[tuple[Reply, ...], tuple[Effect, ...]]:
    """Confirmed: the case is created and the person is told what happens next."""
    answers = state.answers
    call = calling(answers)
    case = {
        "difficulties": answers.get("difficulties", []),
        "difficulty_note": answers.get("difficulties_note"),
        "purposes": answers.get("purposes", []),
        "purpose_note": answers.get("purposes_note"),
        "commune_insee": answers.get("commune", {}).get("insee"),
        "commune_name": answers.get("commune", {}).get("name"),
        "contact_preference": "call" if call else "message",
        "contact_moments": answers.get("moments", []) if call else [],
        "callback_phone": answers.get("phone"),
        "consent_at": answers.get("consent_at"),
    }
    done = "resident.done_call" if call else "resident.done_message"
    return (Reply(done),), (Effect("create_case", case),)


def consent_refused(state: State, inbound: Inbound) -> tuple[tuple[Reply, ...], tuple[Effect, ...]]:
    """Nothing is kept; the door stays open."""
    return (Reply("resident.consent_refused"),), (Effect("forget_messages"),)


RESIDENT = Flow(
    id="resident",
    welcome="resident.welcome",
    questions=(
        YesNo("consent", "resident.consent", short="resident.consent_short", stamp=True),
        SomeOf("difficulties", "resident.difficulties", group="difficulties",
               short="resident.difficulties_short", choices=DIFFICULTIES),
        SomeOf("purposes", "resident.purposes", group="purposes",
               short="resident.purposes_short", choices=PURPOSES),
        CommuneQuestion("commune", "resident.commune", group="commune"),
        OneOf("contact_way", "resident.contact_way", group="contact", choices=CONTACT_WAYS),
        PhoneNumber("phone", "resident.phone", group="contact", skip=phone_known),
        SomeOf("moments", "resident.moments", group="contact", skip=no_call,
               choices=MOMENTS, free_text=False),
        Summary("summary", "resident.summary", describe=describe, parts=FIXES),
    ),
    exits={("consent", "no"): "consent_refused", ("summary", "yes"): "case_created"},
    endings={"consent_refused": consent_refused, "case_created": case_created},
    restart_at="difficulties",
    offers_languages=True,
)
