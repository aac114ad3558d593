"""What an alert giver or an ambassador finds when they write: what they can do, QUITTER.

    home: what you can do here ─► REPERAGE ─► a referral (flows.referral)
                                 ├► SORTIE ─► an outing, ambassadors only (flows.outing)
                                 ├► NOUVELLES ─► the network's news, yes or no (flows.news)
                                 ├► MES DEMANDES ─► one's referrals (flows.my_referrals)
                                 └► QUITTER ─► "Vous voulez quitter le réseau ?"
                                                 │ yes               │ no
                                          left (left_at recorded)   staying

Two flows share everything but the menu: PARTNER (alert givers) and AMBASSADOR (the
same menu with SORTIE first, and the outing's questions). A choice added to MENU, and
its exits and endings added to EXITS and ENDINGS, reach both.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flows import my_referrals, news, outing, referral
from flows.flow import Flow
from flows.model import Effect, Inbound, Reply, State
from flows.partner_questions import LEAVE, LEAVE_WORDS, Menu, YesNoAbout
from flows.questions import Answer, Missed, Outcome
from flows.vocabulary import Choice


def not_leaving(answers: dict[str, object], inbound: Inbound) -> bool:
    return answers.get("menu") != LEAVE


def left(state: State, inbound: Inbound) -> tuple[tuple[Reply, ...], tuple[Effect, ...]]:
    """The membership ends; the person becomes a resident like any other."""
    return (Reply("partner.left"),), (Effect("leave_network"),)


def staying(state: State, inbound: Inbound) -> tuple[tuple[Reply, ...], tuple[Effect, ...]]:
    return (Reply("partner.staying"),), ()


def not_an_ambassador(state: State,
                      inbound: Inbound) -> tuple[tuple[Reply, ...], tuple[Effect, ...]]:
    """SORTIE from an alert giver: the logbook is for ambassadors; what they can do instead."""
    options = tuple(choice.option("partner") for choice in MENU)
    return (Reply("outing.for_ambassadors"), Reply("partner.menu_short", options=options)), ()


@dataclass(frozen=True)
class AlertGiverMenu(Menu):
    """SORTIE is for ambassadors: an alert giver who writes it hears so (not_an_ambassador)."""

    def hear(self, inbound: Inbound, state: State) -> Outcome:
        outcome = super().hear(inbound, state)
        if isinstance(outcome, Missed) and outing.says_outing(inbound.text):
            return Answer(outing.OUTING)
        return outcome


@dataclass(frozen=True)
class AmbassadorMenu(Menu):
    """The partner menu, with the logbook (SORTIE) said first."""

    def ask(self, state: State, again: bool = False) -> tuple[Reply, ...]:
        return (Reply("outing.menu_line"),) + super().ask(state, again)


MENU = (
    Choice(referral.REFERRAL, "📝", referral.REFERRAL_WORDS),
    Choice(my_referrals.MY_REFERRALS, "📋", my_referrals.MY_REFERRALS_WORDS),  # bot.network answers
    news.CHOICE,
    Choice(LEAVE, "🚪", LEAVE_WORDS),
)
AMBASSADOR_MENU = (Choice(outing.OUTING, "📒", outing.OUTING_WORDS), *MENU)

# What both flows ask after the menu, and where the answers lead.
QUESTIONS = (
    YesNoAbout("leave_confirm", "partner.leave_confirm", skip=not_leaving),
    *referral.QUESTIONS,
    *news.QUESTIONS,
)
EXITS: dict[tuple[str, str], str] = {
    ("leave_confirm", "yes"): "left", ("leave_confirm", "no"): "staying", **referral.EXITS,
    **news.EXITS,
}
ENDINGS = {"left": left, "staying": staying, **referral.ENDINGS, **news.ENDINGS}
SHARED: dict[str, Any] = dict(
    welcome="partner.home",
    hears_first_message=True,  # REPERAGE starts a referral at once
    forgets_on_restart=True,  # a referral started again leaves nothing about the person
    rests_at=("menu",),  # the menu waits for nothing: no reminder; a referral under way does
)

PARTNER = Flow(
    id="partner",
    questions=(AlertGiverMenu("menu", "partner.what_you_can_do", short="partner.menu_short",
                              labels="partner", choices=MENU), *QUESTIONS),
    exits={**EXITS, ("menu", outing.OUTING): "not_an_ambassador"},
    endings={**ENDINGS, "not_an_ambassador": not_an_ambassador}, **SHARED,
)

AMBASSADOR = Flow(
    id="ambassador",
    questions=(AmbassadorMenu("menu", "partner.what_you_can_do", short="partner.menu_short",
                              labels="partner", choices=AMBASSADOR_MENU),
               *QUESTIONS, *outing.QUESTIONS),
    exits={**EXITS, **outing.EXITS}, endings={**ENDINGS, **outing.ENDINGS}, **SHARED,
)
