"""Invite codes as people send them: `/start CODE` on Telegram, "PARTENAIRE CODE" by SMS.

Reading the message is pure and lives here; looking the code up is the runtime's job,
which answers with an `InviteCheck` for `flows.alert_giver.use_invite`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from flows.model import Inbound
from flows.textnorm import normalize

KEYWORD = "partenaire"
NO_CODE = ""  # the keyword alone: ask for the code
MAX_CODE_LENGTH = 12  # longer is not a code anyone typed

# Statuses of a looked-up code.
VALID = "valid"
UNKNOWN = "unknown"  # mistyped, or never existed
REVOKED = "revoked"
EXPIRED = "expired"
TOO_MANY_TRIES = "too_many_tries"  # too many wrong codes from this address lately
ALREADY_MEMBER = "already_member"  # this contact is already in the network


@dataclass(frozen=True)
class InviteCheck:
    """What the runtime found for a code: its status, and the organisation when valid."""

    status: str
    code: str = ""
    code_id: int | None = None
    organisation_id: int | None = None
    organisation: str = ""  # the organisation's name, said back to the person
    role: str = "alert_giver"  # alert_giver or ambassador

    def to_json(self) -> dict[str, object]:
        return {"code": self.code, "code_id": self.code_id, "organisation_id": self.organisation_id,
                "organisation": self.organisation, "role": self.role}


def clean_code(text: str) -> str:
    """The code in the stored form: upper case, without spaces, dots or dashes."""
    return re.sub(r"[\s.\-_]+", "", text).upper()[:64]  # a Telegram payload is at most 64


def invite_code_in(inbound: Inbound) -> str | None:
    """The code a message brings, NO_CODE for the keyword alone, None for no invite at all."""
    if inbound.command and inbound.command.lower() == "start" and inbound.payload:
        return clean_code(inbound.payload) or None
    if len(inbound.text) > 80:
        return None
    words = normalize(inbound.text).split()
    if not words or words[0] not in (KEYWORD, "partenaires"):
        return None
    code = clean_code("".join(words[1:]))
    # "partenaire K7M 4PX" is a code; "partenaire de ma soeur qui…" is a sentence.
    return code if len(words) <= 4 and len(code) <= MAX_CODE_LENGTH else None
