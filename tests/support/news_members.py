"""Members of the partner network in every state the news cares about."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from storage.models import ChannelAddress, Contact, Conversation, Message, NetworkMember, Organisation


@dataclass(frozen=True)
class Members:
    ccas: int
    garges: int
    addresses: dict[str, str]  # first name -> the address the news should reach


def member(session: Session, organisation_id: int, first_name: str, now: datetime, *,
           role: str = "alert_giver", news: bool = True, left: bool = False,
           channel: str = "sms", address: str = "", opted_out: bool = False,
           stopped: bool = False, language: str = "fr") -> Contact:
    contact = Contact(role="resident" if left else role, first_name=first_name, language=language)
    contact.addresses = [ChannelAddress(channel=channel, address=address,
                                        opted_out_at=now if opted_out else None)]
    session.add(contact)
    session.flush()
    session.add(NetworkMember(contact_id=contact.id, organisation_id=organisation_id, role=role,
                              joined_at=now - timedelta(days=30), news_opt_in=news,
                              left_at=now - timedelta(days=2) if left else None))
    if stopped:
        session.add(Conversation(contact_id=contact.id, flow="partner", status="stopped",
                                 state={}, last_activity_at=now))
    return contact


def seed_members(session_factory: sessionmaker[Session], now: datetime) -> Members:
    """Two organisations; Awa, Samir (ambassador, Garges) and Lina (two addresses, wrote
    last on Telegram) want the news; the others must never get it."""
    with session_factory.begin() as session:
        ccas = Organisation(name="CCAS de Sarcelles", kind="ccas", created_at=now - timedelta(days=200))
        garges = Organisation(name="Mairie de Garges", kind="town_hall",
                              created_at=now - timedelta(days=200))
        session.add_all([ccas, garges])
        session.flush()
        member(session, ccas.id, "Awa", now, address="+33611111111")
        member(session, garges.id, "Samir", now, role="ambassador", channel="telegram",
               address="5001", language="ar")
        lina = member(session, ccas.id, "Lina", now, address="+33622222222")
        telegram = ChannelAddress(channel="telegram", address="5002", contact_id=lina.id)
        session.add(telegram)
        session.flush()
        session.add_all([Message(contact_id=lina.id, channel_address_id=address_id, direction="in",
                                 channel=channel, body="bonjour", status="received",
                                 created_at=now - timedelta(days=days))
                         for address_id, channel, days in (
                             (lina.addresses[0].id, "sms", 5), (telegram.id, "telegram", 1))])
        member(session, ccas.id, "Nora", now, news=False, address="+33633333333")
        member(session, ccas.id, "Paul", now, left=True, address="+33644444444")
        member(session, ccas.id, "Inès", now, opted_out=True, address="+33655555555")
        member(session, garges.id, "Yanis", now, stopped=True, address="+33666666666")
        return Members(ccas.id, garges.id, {"Awa": "+33611111111", "Samir": "5001", "Lina": "5002"})
