"""Which conversation a person is in: their role's flow, a joining under way, or a
referred person's answer to the consent SMS awaited.

The runtime asks `state_for_role` before each turn; a message bringing an invite code
goes to `flows.alert_giver.use_invite` instead of the engine.
"""
from __future__ import annotations

from flows.alert_giver import JOINING
from flows.flow import Flow
from flows.model import ACTIVE, DONE, STOPPED, State
from flows.partner import AMBASSADOR, PARTNER
from flows.person_consent import PERSON_CONSENT
from flows.resident import RESIDENT

FLOWS: dict[str, Flow] = {flow.id: flow for flow in (RESIDENT, JOINING, PARTNER, AMBASSADOR,
                                                      PERSON_CONSENT)}
FLOW_FOR_ROLE = {"resident": RESIDENT.id, "alert_giver": PARTNER.id, "ambassador": AMBASSADOR.id}


def state_for_role(role: str, state: State) -> State:
    """The state to run: kept when it is the role's flow or a joining not finished yet,
    else a fresh start in the role's flow (a STOP still holds)."""
    wanted = FLOW_FOR_ROLE.get(role, RESIDENT.id)
    if state.flow == wanted or (state.flow == JOINING.id and state.status in (ACTIVE, STOPPED)):
        return state
    if state.flow == PERSON_CONSENT.id and wanted == RESIDENT.id:
        return _referred(state)
    return State(flow=wanted, status=STOPPED if state.status == STOPPED else ACTIVE,
                 language=state.language, last_activity=state.last_activity)


def _referred(state: State) -> State:
    """A referred person: kept while their OUI or NON is awaited; afterwards a resident
    whose conversation ended as theirs did (the team has the case), or who said STOP."""
    if state.status == ACTIVE:
        return state
    return State(flow=RESIDENT.id, status=state.status, language=state.language,
                 pending=dict(state.pending) if state.status == DONE else {},
                 last_activity=state.last_activity)
