"""Reading invite codes as people send them, and choosing the flow by role."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from bot.compose import compose
from flows import engine
from flows.alert_giver import JOINING
from flows.invites import NO_CODE, invite_code_in
from flows.model import STOPPED, Inbound, State
from flows.network import state_for_role
from flows.partner import PARTNER


@pytest.mark.parametrize("inbound, code", [
    (Inbound(command="start", payload="K7M4PX", channel="telegram"), "K7M4PX"),
    (Inbound(command="start", payload="k7m4px", channel="telegram"), "K7M4PX"),
    (Inbound(text="PARTENAIRE K7M4PX"), "K7M4PX"),
    (Inbound(text="partenaire k7m-4px"), "K7M4PX"),
    (Inbound(text="Partenaire : K7M 4PX"), "K7M4PX"),
    (Inbound(text="PARTENAIRE"), NO_CODE),
    (Inbound(command="start", channel="telegram"), None),  # a plain /start
    (Inbound(text="bonjour"), None),
    (Inbound(text="mon partenaire K7M4PX"), None),  # the word must come first
    (Inbound(text="partenaire de ma soeur qui ne conduit pas"), None),  # a sentence
])
def test_a_code_is_read_from_the_telegram_link_or_the_sms_keyword(inbound, code):
    assert invite_code_in(inbound) == code


def test_each_role_has_its_flow_and_a_joining_under_way_is_kept():
    resident = State(flow="resident", step="purposes")
    assert state_for_role("resident", resident) is resident
    assert state_for_role("alert_giver", resident).flow == "partner"
    joining = State(flow="joining", step="first_name")
    assert state_for_role("resident", joining) is joining
    finished = State(flow="joining", status="done")
    assert state_for_role("alert_giver", finished).flow == "partner"
    assert state_for_role("resident", finished).flow == "resident"


def test_a_stop_holds_across_a_change_of_flow():
    stopped = State(flow="partner", status=STOPPED)
    assert state_for_role("resident", stopped).status == STOPPED


def test_a_joining_left_halfway_gets_one_reminder_but_the_members_home_never_does():
    then = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
    later, day, week = then + timedelta(hours=25), timedelta(hours=24), timedelta(days=7)
    joining = State(flow="joining", step="organisation", last_activity=then,
                    answers={"invite": {"organisation": "CCAS de Sarcelles"}})
    reminder = engine.remind(JOINING, joining, later, day, week)
    texts = [message.body for message in compose(reminder.replies, "fr")]
    assert texts[-1].endswith("Vous faites partie de CCAS de Sarcelles ?")
    home = State(flow="partner", step="menu", last_activity=then)
    assert engine.remind(PARTNER, home, later, day, week) is None
