"""The list's search: a reference, a phone number, or words, as one SQL condition on Case.

Each word must match somewhere (case-insensitive, escaped LIKE): the reference, the
commune, the callback phone, the person's first name, their addresses, or the words of
the case's messages. A whole reference (RM-2026-00042) is looked up by its unique index;
a phone number as typed (06 39 98 12 34) is matched on its digits.

Two plans for the same answer:
- case by case: the list is read in its order and each case's own messages are checked
  (EXISTS by ix_messages_case_id), so a common word fills a page after a few cases. The
  only plan on SQLite, which has no index for LIKE '%mot%'.
- from the indexes (PostgreSQL): trigram indexes (pg_trgm, migration 0005) serve these
  very ILIKEs; the word becomes the set of matching case ids, and the list is sorted from
  that set. A rare word then costs a few index pages instead of a walk of every case.
  PostgreSQL's own estimate of the messages holding the word picks the plan.
"""
from __future__ import annotations

import json
import re

from sqlalchemy import ColumnElement, and_, exists, or_, select, union
from sqlalchemy.orm import Session

from storage.models import Case, ChannelAddress, Contact, Message

MAX_WORDS = 6  # longer searches keep their first words
MIN_WORD = 3  # shorter words narrow little and no trigram index serves them: left out
COMMON_WORD = 5_000  # messages holding a word, as estimated, beyond which cases are read in order
_PHONE = re.compile(r"^\+?[\d\s.\-()]{6,}$")
_REFERENCE = re.compile(r"^RM-\d{4}-\d{5,}$", re.IGNORECASE)


def search_condition(text: str, session: Session | None = None) -> ColumnElement[bool]:
    """Every word of `text` is in one of the case's searchable fields."""
    text = " ".join(text.split())
    if _REFERENCE.match(text):  # a whole reference: one case, found by its unique index
        return Case.reference == text.upper()
    indexed = session is not None and session.get_bind().dialect.name == "postgresql"
    if _PHONE.match(text) and sum(c.isdigit() for c in text) >= 6:
        return _matches_phone(phone_digits(text), indexed)
    words = text.split()[:MAX_WORDS]
    words = [word for word in words if len(word) >= MIN_WORD] or words  # "rue de la paix"
    if not indexed:
        return and_(*(_word_case_by_case(word) for word in words))
    return and_(*(_word_in_indexes(word) if _rare(session, word)
                  else _word_case_by_case(word, per_case=len(word) >= MIN_WORD) for word in words))


def _rare(session: Session, word: str) -> bool:
    """Whether the trigram indexes find the word quickly: 3 letters or more, few messages."""
    return len(word) >= MIN_WORD and _estimated_messages(session, word) <= COMMON_WORD


def _estimated_messages(session: Session, word: str) -> float:
    """How many messages PostgreSQL expects to hold the word (planning only, no reading)."""
    query = select(Message.id).where(_like(word)(Message.body)).compile(session.get_bind())
    plan = session.connection().exec_driver_sql(
        "EXPLAIN (FORMAT JSON) " + str(query), query.params).scalar_one()
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return float(plan[0]["Plan"]["Plan Rows"])


def phone_digits(text: str) -> str:
    """The significant digits of a French number as typed: 06 39 98… gives 639 98…"""
    digits = re.sub(r"\D", "", text)
    if digits.startswith("0033"):
        digits = digits[4:]
    elif digits.startswith("33") and len(digits) == 11:
        digits = digits[2:]
    return digits[1:] if digits.startswith("0") else digits


def _matches_phone(digits: str, indexed: bool) -> ColumnElement[bool]:
    addresses = select(ChannelAddress.contact_id).where(
        ChannelAddress.address.contains(digits, autoescape=True))
    if indexed:
        return Case.id.in_(union(
            select(Case.id).where(Case.callback_phone.contains(digits, autoescape=True)),
            select(Case.id).where(Case.contact_id.in_(addresses))))
    return or_(Case.callback_phone.contains(digits, autoescape=True),
               Case.contact_id.in_(addresses))


def _like(word: str):  # noqa: ANN202 - a function of a column of strings
    return lambda column: column.icontains(word, autoescape=True)


def _word_in_indexes(word: str) -> ColumnElement[bool]:
    """PostgreSQL: the ids of the cases where the word is, each part from its own index."""
    like = _like(word)
    contacts = select(Contact.id).where(like(Contact.first_name))
    addresses = select(ChannelAddress.contact_id).where(like(ChannelAddress.address))
    return Case.id.in_(union(
        select(Message.case_id).where(like(Message.body), Message.case_id.is_not(None)),
        select(Case.id).where(or_(like(Case.reference), like(Case.commune_name),
                                  like(Case.callback_phone))),
        select(Case.id).where(Case.contact_id.in_(contacts)),
        select(Case.id).where(Case.contact_id.in_(addresses)),
    ))


def _word_case_by_case(word: str, per_case: bool = False) -> ColumnElement[bool]:
    """The word in the case's own fields, or in a row that points to the case.

    People and addresses are few: searched once (IN a subquery). Messages are many:
    EXISTS reads each listed case's own (ix_messages_case_id). `per_case` keeps
    PostgreSQL from turning that EXISTS into one pass over every message holding the
    word (OFFSET 0 stops the rewrite): a common word must not read half the table.
    """
    like = _like(word)
    own = select(Message.id).where(Message.case_id == Case.id, like(Message.body))
    messages = exists(own.offset(0) if per_case else own)
    contacts = select(Contact.id).where(like(Contact.first_name))
    addresses = select(ChannelAddress.contact_id).where(like(ChannelAddress.address))
    return or_(like(Case.reference), like(Case.commune_name), like(Case.callback_phone),
               Case.contact_id.in_(contacts), Case.contact_id.in_(addresses), messages)
