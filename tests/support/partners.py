"""A partner organisation with invite codes in each state, for the network's tests."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from storage.models import InviteCode, Organisation


@dataclass(frozen=True)
class Network:
    organisation_id: int
    valid: str = "K7M4PX"  # alert givers, valid for 90 days
    ambassador: str = "A3M9TC"  # ambassadors, no end date
    revoked: str = "R4C7NE"
    expired: str = "E9K3TW"


def seed_network(session_factory: sessionmaker[Session], now: datetime,
                 name: str = "CCAS de Sarcelles") -> Network:
    """An organisation with a valid, an ambassador, a revoked and an expired code."""
    network = Network(0)
    with session_factory.begin() as session:
        organisation = Organisation(name=name, kind="ccas", territory_kind="commune",
                                    territory_code="95585", contact_name="Nadia Benali")
        organisation.invite_codes = [
            InviteCode(code=network.valid, kind="alert_giver", expires_at=now + timedelta(days=90)),
            InviteCode(code=network.ambassador, kind="ambassador"),
            InviteCode(code=network.revoked, kind="alert_giver", revoked_at=now - timedelta(days=1)),
            InviteCode(code=network.expired, kind="alert_giver", expires_at=now - timedelta(hours=1)),
        ]
        session.add(organisation)
        session.flush()
        return Network(organisation.id)
