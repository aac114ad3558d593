"""The partner network in transcripts: invite codes the transcript declares, and roles.

    invite: K7M4PX valid alert_giver CCAS de Sarcelles
    invite: B3N9TW revoked
    referral: RM-2026-00012 Fatou 2026-02-27 contacted    (MES DEMANDES lists it; "-": no name)

A code not declared is unknown (mistyped); any code from a member finds them already
in the network. The role follows the effects, as the
runtime's database would: join_network makes an alert giver, leave_network a resident.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from flows import engine, invites, my_referrals
from flows.alert_giver import use_invite
from flows.model import Inbound, State, Step
from flows.network import FLOWS, state_for_role


@dataclass
class NetworkWorld:
    """What the runtime would look up: the invite codes, and the person's role."""

    codes: dict[str, invites.InviteCheck] = field(default_factory=dict)
    role: str = "resident"
    organisation: str = ""  # the one they joined
    referrals: list[my_referrals.MyReferral] = field(default_factory=list)  # newest first

    def declare(self, line: str) -> None:
        """Read an "invite: CODE status [role organisation…]" or a "referral: …" line."""
        if line.startswith("referral:"):
            return self.declare_referral(line)
        code, status, *rest = line.split(":", 1)[1].split()
        role = rest[0] if rest else "alert_giver"
        organisation = " ".join(rest[1:])
        number = len(self.codes) + 1
        self.codes[invites.clean_code(code)] = invites.InviteCheck(
            status, code=invites.clean_code(code), code_id=number, organisation_id=number,
            organisation=organisation, role=role)

    def declare_referral(self, line: str) -> None:
        """Read a "referral: REFERENCE first_name|- YYYY-MM-DD status" line."""
        reference, *name, day, status = line.split(":", 1)[1].split()
        first_name = " ".join(name)
        self.referrals.append(my_referrals.MyReferral(
            reference, None if first_name == "-" else first_name, date.fromisoformat(day), status))
        self.referrals.sort(key=lambda referral: referral.made_on, reverse=True)

    def turn(self, state: State, inbound: Inbound, now: datetime) -> Step:
        code = invites.invite_code_in(inbound)
        if code is not None:
            check = self.codes.get(code, invites.InviteCheck(invites.UNKNOWN, code=code))
            if self.role != "resident":
                check = invites.InviteCheck(invites.ALREADY_MEMBER, organisation=self.organisation)
            step = use_invite(state, check if code else None, now, inbound.language_hint)
        else:
            state = state_for_role(self.role, state)
            flow = FLOWS[state.flow]
            if my_referrals.is_asked(self.role, flow, state, inbound):
                return my_referrals.listing(flow, state, self.referrals, now)
            step = engine.advance(flow, state, inbound, now)
        for effect in step.effects:
            if effect.kind == "join_network":
                self.role = effect.data["role"]
                self.organisation = self.codes_by_id()[effect.data["code_id"]].organisation
            elif effect.kind == "leave_network":
                self.role = "resident"
        return step

    def codes_by_id(self) -> dict[int | None, invites.InviteCheck]:
        return {check.code_id: check for check in self.codes.values()}
