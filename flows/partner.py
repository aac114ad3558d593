"""What an alert giver or an ambassador finds when they write: what they can do, QUITTER.

    home: what you can do here ─► REPERAGE ─► a referral (flows.referral)
                                 └► QUITTER ─► "Vous voulez quitter le réseau ?"
                                                 │ yes               │ no
                                          left (left_at recorded)   staying
"""
from __future__ import annotations

from flows import referral
from flows.flow import Flow
from flows.model import Effect, Inbound, Reply, State
from flows.partner_questions import LEAVE, LEAVE_WORDS, Menu, YesNoAbout
from flows.vocabulary import Choice


def not_leaving(answers: dict[str, object], inbound: Inbound) -> bool:
    return answers.get("menu") != LEAVE


def left(state: State, inbound: Inbound) -> tuple[tuple[Reply, ...], tuple[Effect, ...]]:
    """The membership ends; the person becomes a resident like any other."""
    return (Reply("partner.left"),), (Effect("leave_network"),)


def staying(state: State, inbound: Inbound) -> tuple[tuple[Reply, ...], tuple[Effect, ...]]:
    return (Reply("partner.staying"),), ()


MENU = (Choice(referral.REFERRAL, "📝", referral.REFERRAL_WORDS), Choice(LEAVE, "🚪", LEAVE_WORDS))

PARTNER = Flow(
    id="partner",
    welcome="partner.home",
    questions=(
        Menu("menu", "partner.what_you_can_do", short="partner.menu_short", labels="partner",
             choices=MENU),
        YesNoAbout("leave_confirm", "partner.leave_confirm", skip=not_leaving),
        *referral.QUESTIONS,
    ),
    exits={("leave_confirm", "yes"): "left", ("leave_confirm", "no"): "staying", **referral.EXITS},
    endings={"left": left, "staying": staying, **referral.ENDINGS},
    hears_first_message=True,  # REPERAGE starts a referral at once
    forgets_on_restart=True,  # a referral started again leaves nothing about the person
    rests_at=("menu",),  # the menu waits for nothing: no reminder; a referral under way does
)
