"""Joining the partner network with an organisation's invite code.

    /start CODE or PARTENAIRE CODE ─► the runtime looks the code up ─► use_invite
        │ valid                          unknown, revoked, expired, too many tries:
        ▼                                a kind answer, the conversation goes on as it was
    "Vous faites partie de <organisation> ?" ─ no ─► nothing is kept
        │ yes
    first name → job title → the network's news, yes or no (flows.news) → joined: the
    runtime registers the alert giver or ambassador, with their answer about the news
"""
from __future__ import annotations

from datetime import datetime

from flows import invites, languages, news
from flows.flow import ANY, Flow
from flows.model import ACTIVE, STOPPED, Effect, Inbound, Reply, State, Step
from flows.partner_questions import LEAVE, FewWords, YesNoAbout

ANSWERS_FOR_STATUS = {
    invites.UNKNOWN: "partner.code_unknown",
    invites.REVOKED: "partner.code_revoked",
    invites.EXPIRED: "partner.code_expired",
    invites.TOO_MANY_TRIES: "partner.too_many_tries",
    invites.ALREADY_MEMBER: "partner.already_member",
}


def joined(state: State, inbound: Inbound) -> tuple[tuple[Reply, ...], tuple[Effect, ...]]:
    """Welcome to the network, and what one can do here."""
    invite, first_name = state.answers["invite"], state.answers["first_name"]
    member = {
        "code_id": invite["code_id"], "organisation_id": invite["organisation_id"],
        "role": invite["role"], "first_name": first_name, "job_title": state.answers["job_title"],
        "news": state.answers["news"],
    }
    logbook = (Reply("outing.menu_line"),) if invite["role"] == "ambassador" else ()
    replies = (Reply("partner.joined", {"first_name": first_name,
                                        "organisation": invite["organisation"]}),
               Reply(f"network_news.joined_{state.answers['news']}"), *logbook,
               Reply("partner.what_you_can_do"))
    return replies, (Effect("join_network", member),)


def not_joined(state: State, inbound: Inbound) -> tuple[tuple[Reply, ...], tuple[Effect, ...]]:
    """Not from this organisation, or QUITTER before the end: nothing is kept."""
    return (Reply("partner.not_joined"),), (Effect("forget_messages"),)


JOINING = Flow(
    id="joining",
    welcome="partner.code_missing",  # said only if a joining starts without a code
    questions=(
        YesNoAbout("organisation", "partner.confirm_organisation",
                   short="partner.confirm_organisation_short", about="invite"),
        FewWords("first_name", "partner.first_name"),
        FewWords("job_title", "partner.job_title"),
        news.NewsQuestion("news", "network_news.question", short="network_news.question_short",
                          leavable=True),
    ),
    exits={("organisation", "no"): "not_joined", ("first_name", LEAVE): "not_joined",
           ("job_title", LEAVE): "not_joined", ("news", LEAVE): "not_joined",
           ("news", ANY): "joined"},
    endings={"joined": joined, "not_joined": not_joined},
)


def use_invite(state: State, check: invites.InviteCheck | None, now: datetime,
               language_hint: str | None = None) -> Step:
    """The answer to a message bringing a code (None: the keyword came without one).

    A valid code starts the joining; any other answer leaves the conversation where it
    was. Writing a code is asking to hear from us: it lifts an earlier STOP. At the very
    first message, the app's language (Telegram's hint) is taken, as the resident flow does.
    """
    effects: tuple[Effect, ...] = (Effect("opt_in"),) if state.status == STOPPED else ()
    hinted = languages.from_hint(language_hint) if state.last_activity is None else None
    if hinted and hinted != state.language:
        state = _carry_on(state, now)
        state.language = hinted
        effects += (Effect("set_language", {"language": hinted}),)
    if check is None:
        kept = _carry_on(state, now)
        return Step(kept, (Reply("partner.code_missing"),), effects)
    if check.status != invites.VALID:
        kept = _carry_on(state, now)
        params = {"organisation": check.organisation}
        return Step(kept, (Reply(ANSWERS_FOR_STATUS[check.status], params),), effects)
    joining = State(flow=JOINING.id, step=JOINING.first().id, answers={"invite": check.to_json()},
                    language=state.language, last_activity=now)
    return Step(joining, JOINING.first().ask(joining), effects)


def _carry_on(state: State, now: datetime) -> State:
    kept = State.from_json(state.to_json())
    if kept.status == STOPPED:
        kept.status = ACTIVE
    kept.last_activity, kept.reminded = now, False
    return kept
