"""The number and link alert givers pass on come from the settings, as people dial them."""
from __future__ import annotations

import pytest

from bot.settings import Settings


@pytest.mark.parametrize("sender, shown", [
    ("+33612345678", "06 12 34 56 78"),  # a long number, written the French way
    ("38123", "38123"),  # a short code
    ("MG0123456789abcdef0123456789abcdef", ""),  # a Messaging Service: no one can dial it
    ("", ""),
])
def test_the_sms_number_is_shown_only_when_it_can_be_dialled(sender, shown):
    assert Settings(sms_sender=sender).service_contact().sms_number == shown


def test_the_telegram_name_is_the_bots():
    assert Settings(telegram_bot_username="RelaisMobiliteBot").service_contact().telegram_username \
        == "RelaisMobiliteBot"
