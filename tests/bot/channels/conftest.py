"""Channel adapter tests run against the fake providers, never the network."""
from __future__ import annotations

import pytest

from tests.fakes.fixtures import fake_telegram, fake_twilio, no_real_network

__all__ = ["fake_telegram", "fake_twilio", "no_real_network"]  # fixtures for the tests here


@pytest.fixture(autouse=True)
def _offline(request: pytest.FixtureRequest) -> None:
    """Every test here fails if it tries to reach a real host."""
    request.getfixturevalue("no_real_network")
