"""MES DEMANDES: an alert giver or ambassador sees their own referrals and where they stand.

    MES DEMANDES (or the menu's choice) ─► the runtime loads this person's latest
    referrals ─► listing: one line each (reference, first name, date, status word);
    none yet: how to make one (REPERAGE). The conversation stays where it was.

Pure like the rest of flows/: the runtime (bot.network) asks `is_asked`, loads the
referrals from the database and hands them over as plain `MyReferral` data.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Sequence

from flows.flow import Flow
from flows.model import ACTIVE, DONE, EXPIRED, Inbound, Reply, State, Step
from flows.questions import Answer
from flows.textnorm import normalize

MY_REFERRALS = "my_referrals"  # the menu choice
MY_REFERRALS_WORDS = ("mes demandes", "mes demande", "demandes", "mes fiches", "mes reperages",
                      "suivi", "my referrals", "my requests", "mis fichas", "mis solicitudes",
                      "طلباتي", "احالاتي", "мої запити", "мої направлення")
PARTNER_ROLES = ("alert_giver", "ambassador")
SHOWN = 10  # the latest referrals listed
PER_MESSAGE = 4  # lines read at a time: a long list comes in a few short messages
# The status words, in the terms of the news the referrer receives (bot.referrer_feedback).
STATUSES = ("received", "waiting_consent", "in_progress", "contacted", "solution_found",
            "no_answer", "declined", "closed")
_WORDS = {normalize(word) for word in MY_REFERRALS_WORDS}


@dataclass(frozen=True)
class MyReferral:
    """One referral as its referrer may see it: never what the person said."""

    reference: str
    first_name: str | None  # None once erased, and always after a no
    made_on: date  # the day of the referral (Paris time)
    status: str  # one of STATUSES


def is_asked(role: str, flow: Flow, state: State, inbound: Inbound) -> bool:
    """Whether this message asks for MES DEMANDES: the words anywhere in the partner flow,
    or the menu's choice (a button, a number) where the engine would hear the menu."""
    if role not in PARTNER_ROLES or state.status not in (ACTIVE, DONE, EXPIRED) \
            or state.choosing_language or state.confirming_erase:
        return False
    if inbound.option_id == MY_REFERRALS or normalize(inbound.text) in _WORDS:
        return True
    menu = flow.question(state.step) if state.status == ACTIVE and state.step else flow.first()
    if menu is None or menu is not flow.first() or not (inbound.text or inbound.option_id):
        return False
    heard = menu.hear(inbound, state)
    return isinstance(heard, Answer) and heard.value == MY_REFERRALS


def listing(flow: Flow, state: State, referrals: Sequence[MyReferral], now: datetime) -> Step:
    """The answer: the latest referrals, newest first; then the question under way, if any."""
    kept = copy.deepcopy(state)
    kept.last_activity, kept.reminded = now, False
    if referrals:
        lines = [line(r, ends_message=(n + 1) % PER_MESSAGE == 0)
                 for n, r in enumerate(referrals[:SHOWN])]
        replies = [Reply("my_referrals.header"), *lines[:-1], replace(lines[-1], ends_message=True)]
    else:
        replies = [Reply("my_referrals.none")]
    question = flow.question(state.step) if state.status == ACTIVE else None
    if question is not None and question.id not in flow.rests_at:
        replies += question.ask(kept, again=True)
    return Step(kept, tuple(replies))


def line(referral: MyReferral, ends_message: bool = False) -> Reply:
    """"RM-2026-00012, Fatou, 02/03 : personne jointe"; no first name after a no."""
    params = {"reference": referral.reference, "status": (f"my_referrals.{referral.status}",),
              "date": f"{referral.made_on.day:02d}/{referral.made_on.month:02d}"}
    if referral.first_name and referral.status != "declined":
        return Reply("my_referrals.line", {**params, "first_name": referral.first_name},
                     ends_message=ends_message)
    return Reply("my_referrals.line_no_name", params, ends_message=ends_message)
