"""Transcript files: whole conversations, written as the person and the bot say them.

    # a comment                     kept as is
    channel: sms                    sms (the bot knows the number) or telegram (it does not)
    channel: telegram ar            telegram, with the language of the person's app
    > j'habite a sarcelles          what the person writes
    > [yes]                         a button tapped on Telegram (an option id)
    > /start CODE                   a command
    invite: CODE valid …            an invite code the runtime would find (network_turns)
    referral: RM-… Fatou 2026-02-27 contacted   a referral of this person (MES DEMANDES)
    consent sms: Fatou / CCAS …     this person was referred: the one SMS asking their consent
    > (voice)                       a voice note
    @ +25h                          time passes (m, h, d)
    @ remind                        the reminder sweep runs now
    < Dans quelle ville …           what the bot answers (checked whole)
    < ~~~                           between two messages of one turn
    ! create_case commune_insee=…   an effect the runtime will apply

Only the lines starting with ">", "@", "#", "channel:", "invite:", "referral:" and
"consent sms:" are read as input: the expected "<" and "!" lines are produced again and
the whole file must match. Run with UPDATE_TRANSCRIPTS=1 to rewrite the files after a
deliberate change of wording, and review the diff.
"""
from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

from bot.channels.sms_text import numbered_options
from bot.compose import compose
from flows import engine
from flows.model import Inbound, ServiceContact, State, Step
from flows import person_consent
from flows.network import FLOWS
from flows.resident import RESIDENT
from tests.flows.network_turns import NetworkWorld

START = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)  # a Monday morning
IDLE_AFTER, EXPIRE_AFTER = timedelta(hours=24), timedelta(days=7)
EXTRA = {"reference": "RM-2026-00001"}
SERVICE = ServiceContact("06 39 98 00 00", "RelaisMobiliteBot")  # what the settings give
UNITS = {"m": "minutes", "h": "hours", "d": "days"}


def inbound_for(line: str, channel: str) -> Inbound:
    phone = channel == "sms"
    if line.startswith("[") and line.endswith("]"):
        return Inbound(option_id=line[1:-1], channel=channel, address_is_phone=phone)
    if line.startswith("/"):
        command, _, payload = line[1:].partition(" ")
        return Inbound(command=command, payload=payload or None, channel=channel,
                       address_is_phone=phone)
    if line == "(voice)":
        return Inbound(media=("voice",), channel=channel, address_is_phone=phone)
    return Inbound(text=line, channel=channel, address_is_phone=phone)


def render(step: Step, channel: str) -> list[str]:
    """The bot's side of one turn, as transcript lines."""
    lines: list[str] = []
    for n, message in enumerate(compose(step.replies, step.state.language, EXTRA)):
        if n:
            lines.append("< ~~~")
        lines += [f"< {line}" for line in message.body.split("\n")]
        if channel == "sms" and message.choices:  # laid out as the SMS shows them
            shown = numbered_options([choice.label for choice in message.choices]).split("\n")
        else:
            shown = [f"[{choice.pictogram} {choice.label}]" for choice in message.choices]
        lines += [f"< {line}" for line in shown]
    for effect in step.effects:
        fields = " ".join(f"{k}={_short(v)}" for k, v in sorted(effect.data.items()) if v)
        lines.append(f"! {effect.kind} {fields}".rstrip())
    return lines


def _short(value: object) -> str:
    if isinstance(value, list):
        return ",".join(str(v) for v in value)
    if isinstance(value, dict):
        return "{" + ",".join(f"{k}:{_short(v)}" for k, v in sorted(value.items()) if v) + "}"
    return str(value).replace("\n", " ")


def replay(source: str) -> str:
    """Run the person's side of a transcript and write the whole transcript again."""
    state, now, channel, app_language = State(flow=RESIDENT.id), START, "sms", ""
    world = NetworkWorld()
    out: list[str] = []
    for line in source.splitlines():
        if line.startswith(("<", "!")):
            continue
        out.append(line)
        if line.startswith("channel:"):
            channel, _, app_language = line.split(":", 1)[1].strip().partition(" ")
        elif line.startswith(("invite:", "referral:")):
            world.declare(line)
        elif line.startswith("consent sms:"):
            said = line.split(":", 1)[1].partition("/")
            first_name, organisation = said[0].strip(), said[2].strip()
            step = person_consent.ask(first_name or None, organisation or None, state.language, now)
            state = step.state
            out += render(step, channel)
        elif line.startswith("@ remind"):
            step = engine.remind(FLOWS[state.flow], state, now, IDLE_AFTER, EXPIRE_AFTER)
            if step is not None:
                state = step.state
                out += render(step, channel)
        elif line.startswith("@ +"):
            amount, unit = re.fullmatch(r"@ \+(\d+)([mhd])", line.strip()).groups()
            now += timedelta(**{UNITS[unit]: int(amount)})
        elif line.startswith("> "):
            inbound = replace(inbound_for(line[2:], channel), language_hint=app_language or None,
                              service=SERVICE)
            step = world.turn(state, inbound, now)
            state = step.state
            out += render(step, channel)
            now += timedelta(seconds=30)
    return "\n".join(out) + "\n"


def transcripts() -> list[Path]:
    return sorted((Path(__file__).parent / "transcripts").glob("*.txt"))
