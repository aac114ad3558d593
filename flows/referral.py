"""A referral ("fiche de repérage"): an alert giver tells us about someone they met.

    menu: REPERAGE ─► "Is the person OK to be contacted?" ─ no ─► a message to hand over,
        │ yes                                                      nothing kept about them
    first name → phone (or "no phone": how to reach them) → (moments to call) → commune
    → difficulties → purposes → programme categories → urgency → note → summary
                                                                        │ yes
                                              the case is created for the person: refer_person

The person has not written to us: the alert giver speaks for them, so the texts say
"la personne" and the categories (partner annex) are asked here, never of the person.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flows.commune_question import CommuneQuestion
from flows.model import Effect, Inbound, Reply, State
from flows.partner_questions import LEAVE, FewWords, FreeText, YesNoAbout, says_leave
from flows.questions import Answer, Outcome, PhoneNumber, Question, SomeOf
from flows.summary import Summary
from flows.vocabulary import DIFFICULTIES, MOMENTS, PURPOSES, Choice

REFERRAL = "referral"  # the menu choice that starts a referral
REFERRAL_WORDS = ("reperage", "fiche", "fiche de reperage", "signaler", "orienter",
                  "nouvelle fiche", "referral", "derivacion", "إحالة", "направлення")

# The programme's categories (the partner annex), asked of the alert giver only: the
# keywords are words a professional may type, matched and never shown to anyone; the
# labels shown are in the catalogue ([categories]), and a resident never sees either.
CATEGORIES = (
    Choice("financial_hardship", "💶", ("difficultes financieres", "precarite", "argent", "rsa")),
    Choice("job_seeker", "🔎", ("demandeur d emploi", "demandeuse d emploi", "chomage",
                               "france travail")),
    Choice("insertion", "🤝", ("insertion",)),
    Choice("training", "🎓", ("formation",)),
    Choice("energy_poverty", "🔥", ("precarite energetique", "energie", "chauffage")),
    Choice("disability", "♿", ("handicap",)),
    Choice("young_person", "🧑", ("jeune", "moins de 26")),
    Choice("senior", "👵", ("senior", "agee", "retraite")),
    Choice("migrant", "🌍", ("migrant", "migrante", "refugie", "refugiee", "primo arrivant")),
    Choice("none", "➖", ("aucune", "aucun", "rien", "je ne sais pas", "none")),
)

PARTS = (
    Choice("person", "👤", ("prenom", "nom", "telephone", "numero", "joindre", "moment")),
    Choice("commune", "📍", ("ville", "commune", "adresse", "code postal")),
    Choice("difficulties", "🚗", ("difficulte", "difficultes", "probleme")),
    Choice("purposes", "🎯", ("trajet", "trajets", "pour quoi", "motif")),
    Choice("categories", "🏷️", ("categorie", "categories", "public")),
    Choice("details", "📝", ("urgence", "urgent", "rendez vous", "note")),
)


class Leavable(Question):
    """QUITTER (or ANNULER) at any question drops the referral."""

    def hear(self, inbound: Inbound, state: State) -> Outcome:
        return Answer(LEAVE) if says_leave(inbound.text) else super().hear(inbound, state)


class Consent(Leavable, YesNoAbout):
    pass


class Phone(Leavable, PhoneNumber):
    pass


class Commune(Leavable, CommuneQuestion):
    pass


class Several(Leavable, SomeOf):
    pass


@dataclass(frozen=True)
class ReferralSummary(Leavable, Summary):
    """The summary in two texts (who and where, then the rest): each fits one SMS."""

    first_part: str = ""

    def ask(self, state: State, again: bool = False) -> tuple[Reply, ...]:
        replies = super().ask(state, again)
        if state.pending.get("fixing"):
            return replies
        return (Reply(self.first_part, self.describe(state.answers)),) + replies


def not_referring(answers: dict[str, Any], inbound: Inbound) -> bool:
    return answers.get("menu") != REFERRAL


def phone_given(answers: dict[str, Any], inbound: Inbound) -> bool:
    return not_referring(answers, inbound) or answers.get("person_phone") is not None


def no_phone(answers: dict[str, Any], inbound: Inbound) -> bool:
    return not_referring(answers, inbound) or answers.get("person_phone") is None


def how_to_reach(answers: dict[str, Any]) -> tuple[str, ...]:
    """The phone and when to call, or "no phone" and the alert giver's own words."""
    phone = answers.get("person_phone")
    if phone is None:
        return ("referral.no_phone", answers.get("person_reach") or "")
    return (phone,) + tuple(f"moments.{m}" for m in answers.get("moments", []))


def describe(answers: dict[str, Any]) -> dict[str, Any]:
    """The summary's parameters."""
    return {
        "first_name": answers.get("person_name", ""),
        "reach": how_to_reach(answers),
        "commune": answers.get("commune", {}).get("label", ""),
        "difficulties": tuple(f"difficulties.{d}" for d in answers.get("difficulties", [])),
        "purposes": tuple(f"purposes.{p}" for p in answers.get("purposes", [])),
        "categories": tuple(f"categories.{c}" for c in answers.get("categories", [])),
        "urgency": answers.get("urgency", ""),
        "note": answers.get("note") or "—",
    }


def referral_sent(state: State, inbound: Inbound) -> tuple[tuple[Reply, ...], tuple[Effect, ...]]:
    """Confirmed: the runtime creates the person's case; the alert giver gets its reference."""
    answers = state.answers
    commune = answers.get("commune", {})
    person = {
        "first_name": answers.get("person_name"),
        "phone": answers.get("person_phone"),
        "reach": answers.get("person_reach"),
        "commune_insee": commune.get("insee"),
        "commune_name": commune.get("name"),
        "difficulties": answers.get("difficulties", []),
        "difficulty_note": answers.get("difficulties_note"),
        "purposes": answers.get("purposes", []),
        "purpose_note": answers.get("purposes_note"),
        "categories": [c for c in answers.get("categories", []) if c != "none"],
        "urgency": answers.get("urgency"),
        "moments": answers.get("moments", []),
        "note": answers.get("note"),
        "consent_at": answers.get("referral_consent_at"),
    }
    thanks = "referral.sent_sms_first" if person["phone"] else "referral.sent"  # the person is asked
    return (Reply(thanks, {"first_name": person["first_name"]}),), \
        (Effect("refer_person", person), Effect("forget_messages"))


def consent_refused(state: State, inbound: Inbound) -> tuple[tuple[Reply, ...], tuple[Effect, ...]]:
    """Nothing about the person is kept; a message the alert giver can pass on."""
    service = inbound.service
    lines = [Reply("referral.consent_refused"), Reply("referral.handout")]
    if service.sms_number:
        lines.append(Reply("referral.handout_sms", {"number": service.sms_number}))
    if service.telegram_username:
        lines.append(Reply("referral.handout_telegram",
                           {"link": f"t.me/{service.telegram_username}"}))
    if len(lines) == 2:
        lines.append(Reply("referral.handout_through_you"))
    return tuple(lines), (Effect("forget_messages"),)


def dropped(state: State, inbound: Inbound) -> tuple[tuple[Reply, ...], tuple[Effect, ...]]:
    """QUITTER in the middle of a referral: the fiche is dropped, nothing is kept."""
    return (Reply("referral.dropped"),), (Effect("forget_messages"),)


QUESTIONS: tuple[Question, ...] = (
    Consent("referral_consent", "referral.consent", short="referral.consent_short",
               stamp=True, skip=not_referring),
    FewWords("person_name", "referral.first_name", group="person", skip=not_referring),
    Phone("person_phone", "referral.phone", group="person", skip=not_referring),
    FreeText("person_reach", "referral.reach", group="person", skip=phone_given),
    Several("moments", "referral.moments", group="person", skip=no_phone,
           choices=MOMENTS, free_text=False),
    Commune("commune", "referral.commune", group="commune", skip=not_referring),
    Several("difficulties", "referral.difficulties", group="difficulties",
           choices=DIFFICULTIES, skip=not_referring),
    Several("purposes", "referral.purposes", group="purposes", choices=PURPOSES,
           skip=not_referring),
    Several("categories", "referral.categories", group="categories", choices=CATEGORIES,
           free_text=False, skip=not_referring),
    FreeText("urgency", "referral.urgency", group="details", skip=not_referring),
    FreeText("note", "referral.note", group="details", optional=True, skip=not_referring),
    ReferralSummary("summary", "referral.summary", describe=describe, parts=PARTS,
                    skip=not_referring, first_part="referral.summary_person"),
)

EXITS = {
    ("referral_consent", "no"): "referral_refused",
    **{(q.id, LEAVE): "referral_dropped" for q in QUESTIONS},
    ("summary", "yes"): "referral_sent",
}
ENDINGS = {"referral_refused": consent_refused, "referral_dropped": dropped,
           "referral_sent": referral_sent}
