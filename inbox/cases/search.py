"""The list's search: a reference, a phone number, or words, as one SQL condition on Case.

Each word must match somewhere (case-insensitive, escaped LIKE): the reference, the
commune, the callback phone, the person's first name, their addresses, or the words of
the case's messages. Phones and chat ids hold no letter, references only R, M, digits
and dashes: a word that could not be in a field is not looked for there (a scan fewer).
A whole reference (RM-2026-00042) is looked up by its unique index;
a whole phone number as typed (06 39 98 12 34) is looked up as stored (E.164), part of
one (98 12 34) is matched on its digits.

Three plans for the same answer, chosen word by word from how many messages, and how
many people's first names, hold it:
- from the indexes, for a rare word: the word becomes the set of matching case ids, and
  the list is sorted from that set. The messages holding it come from an index: trigram
  indexes serving the ILIKE on PostgreSQL (pg_trgm, migration 0005), full-text tables on
  SQLite (FTS5 trigram: `messages_search`, migration 0009; `contacts_search` for the first
  names and `cases_search` for the communes, 0015).
- as a set and case by case, for a word rare in the messages but a common first name
  ("Nadia"): the messages holding it are a set built once from their index, and the
  list, read in its order, keeps the cases in that set or whose person has the name;
  sorting thousands of cases would cost more.
- case by case, for a common word (or one under 3 letters, which no trigram serves): the
  list is read in its order and each case's own rows are checked, so a page fills after
  a few cases. Each check is a correlated lookup (OFFSET 0 keeps PostgreSQL from turning
  it into a pass over every row holding the word).
"""
from __future__ import annotations

import json
import re

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    exists,
    func,
    literal_column,
    or_,
    select,
    union,
)
from sqlalchemy import text as sql
from sqlalchemy.orm import Session

from bot.channels.sms import e164
from storage.models import Case, ChannelAddress, Contact, Message

MAX_WORDS = 6  # longer searches keep their first words
MIN_WORD = 3  # shorter words narrow little and no trigram index serves them: left out
COMMON_WORD = 5_000  # messages holding a word beyond which cases are read in order
COMMON_NAME = 500  # people whose first name holds it, beyond which too
_PHONE = re.compile(r"^\+?[\d\s.\-()]{6,}$")
_REFERENCE = re.compile(r"^RM-\d{4}-\d{5,}$", re.IGNORECASE)
_REFERENCE_CHARACTERS = frozenset("RM-0123456789")


def search_condition(text: str, session: Session | None = None) -> ColumnElement[bool]:
    """Every word of `text` is in one of the case's searchable fields."""
    text = " ".join(text.split())
    if _REFERENCE.match(text):  # a whole reference: one case, found by its unique index
        return Case.reference == text.upper()
    if _PHONE.match(text) and sum(c.isdigit() for c in text) >= 6:
        return _matches_phone(text)
    words = text.split()[:MAX_WORDS]
    words = [word for word in words if len(word) >= MIN_WORD] or words  # "rue de la paix"
    dialect = session.get_bind().dialect.name if session is not None else None
    return and_(*(_word(word, session, dialect) for word in words))


def phone_digits(text: str) -> str:
    """The significant digits of a French number as typed: 06 39 98… gives 639 98…"""
    digits = re.sub(r"\D", "", text)
    if digits.startswith("0033"):
        digits = digits[4:]
    elif digits.startswith("33") and len(digits) == 11:
        digits = digits[2:]
    return digits.removeprefix("0")


def _word(word: str, session: Session | None, dialect: str | None) -> ColumnElement[bool]:
    """The plan for one word, from how many messages and first names hold it."""
    if not _few_messages(session, word, dialect):
        return _word_case_by_case(word, dialect)
    if _few_people(session, word, dialect):
        return _word_in_indexes(word, dialect)
    return _word_as_sets(word, dialect)


def _few_messages(session: Session | None, word: str, dialect: str | None) -> bool:
    """Whether an index finds the word's messages quickly: 3 letters or more, few messages."""
    if session is None or len(word) < MIN_WORD or dialect not in ("postgresql", "sqlite"):
        return False
    if dialect == "sqlite":
        return _counted_messages(session, word) <= COMMON_WORD
    query = select(Message.id).where(_like(word, dialect)(Message.body))
    return _estimated_rows(session, query) <= COMMON_WORD


def _few_people(session: Session, word: str, dialect: str) -> bool:
    """Whether few people's first names hold the word (a common first name gives
    thousands of cases: sorting them all costs more than reading the list in order)."""
    if dialect == "sqlite":  # counted up to a bound, in the full-text index of first names
        bounded = _indexed_ids("contacts_search", word).limit(COMMON_NAME + 1).subquery()
        return session.scalar(select(func.count()).select_from(bounded)) <= COMMON_NAME
    query = select(Contact.id).where(_like(word, dialect)(Contact.first_name))
    return _estimated_rows(session, query) <= COMMON_NAME


def _estimated_rows(session: Session, query: Select) -> float:
    """How many rows PostgreSQL expects `query` to give (planning only, no reading)."""
    compiled = query.compile(session.get_bind())
    plan = session.connection().exec_driver_sql(
        "EXPLAIN (FORMAT JSON) " + str(compiled), compiled.params).scalar_one()
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return float(plan[0]["Plan"]["Plan Rows"])


def _counted_messages(session: Session, word: str) -> int:
    """SQLite: the messages holding the word, counted in the full-text index up to a bound."""
    found = _indexed_ids("messages_search", word).limit(COMMON_WORD + 1).subquery()
    return session.scalar(select(func.count()).select_from(found))


def _indexed_ids(table: str, word: str) -> Select[tuple[int]]:
    """SQLite: the ids of the rows holding the word, from a full-text table (migrations
    0009, 0015; the word as an FTS5 phrase is a substring search with the trigram
    tokenizer). Candidates: the LIKE confirms them, with the case folding of the other plans."""
    phrase = '"' + word.replace('"', '""') + '"'
    return select(literal_column("rowid")).select_from(sql(table)).where(
        literal_column(table).op("MATCH")(phrase))


def _like(word: str, dialect: str | None):
    """Case-insensitive, escaped LIKE. SQLite's LIKE already ignores case (ASCII, as its
    lower() does): no lower() call per row."""
    if dialect == "sqlite":
        return lambda column: column.contains(word, autoescape=True)
    return lambda column: column.icontains(word, autoescape=True)


def whole_number(text: str) -> str | None:
    """A whole phone number as people write one (from 0 or +) in E.164, as stored; None
    for part of a number, or digits that do not start so (a Telegram chat id)."""
    text = text.strip()
    return e164(text) if text.startswith(("0", "+")) else None


def _matches_phone(text: str) -> ColumnElement[bool]:
    """The cases whose callback phone or person's address is the number typed (looked up
    by their indexes), or, for part of a number, holds its digits (a scan)."""
    number = whole_number(text)
    if number is not None:
        def matches(column):
            return column == number
    else:
        digits = phone_digits(text)

        def matches(column):
            return column.contains(digits, autoescape=True)
    addresses = select(ChannelAddress.contact_id).where(matches(ChannelAddress.address))
    return Case.id.in_(union(
        select(Case.id).where(matches(Case.callback_phone)),
        select(Case.id).where(Case.contact_id.in_(addresses))))


def _word_in_indexes(word: str, dialect: str) -> ColumnElement[bool]:
    """The ids of the cases where the word is, each part from its own index."""
    like = _like(word, dialect)
    names = select(Contact.id).where(like(Contact.first_name))
    if dialect == "sqlite":
        names = names.where(Contact.id.in_(_indexed_ids("contacts_search", word)))
    people = [names]
    if _may_be_a_number(word):
        people.append(select(ChannelAddress.contact_id).where(like(ChannelAddress.address)))
    return Case.id.in_(union(
        _messages_holding(word, dialect),
        *(_cases_holding(word, dialect, field) for field in _own_fields(word)),
        *(select(Case.id).where(Case.contact_id.in_(found)) for found in people)))


def _word_as_sets(word: str, dialect: str) -> ColumnElement[bool]:
    """The word held by few messages but by many first names: the messages holding it are
    a set built once, from their index; the list, read in its order, keeps the cases in
    that set, or whose own fields or person hold the word (a lookup each: a common name
    fills a page after a few hundred cases, cheaper than finding its thousands of people)."""
    like = _like(word, dialect)
    return or_(Case.id.in_(_messages_holding(word, dialect)), *map(like, _own_fields(word)),
               *(exists(query.offset(0)) for query in _person_lookups(word, like)))


def _cases_holding(word: str, dialect: str, field) -> Select[tuple[int]]:
    """The ids of the cases whose `field` holds the word (the communes from their
    full-text table on SQLite; the trigram indexes on PostgreSQL)."""
    query = select(Case.id).where(_like(word, dialect)(field))
    if dialect == "sqlite" and field is Case.commune_name:
        query = query.where(Case.id.in_(_indexed_ids("cases_search", word)))
    return query


def _own_fields(word: str) -> list:
    """The case's fields that may hold the word: the commune always; the reference and
    the callback phone only when the word is made of the characters they are made of."""
    fields = [Case.commune_name]
    if set(word.upper()) <= _REFERENCE_CHARACTERS:
        fields.append(Case.reference)
    if _may_be_a_number(word):
        fields.append(Case.callback_phone)
    return fields


def _may_be_a_number(word: str) -> bool:
    """Phones and chat ids hold no letter: a word with one is not looked for in them."""
    return not any(character.isalpha() for character in word)


def _messages_holding(word: str, dialect: str) -> Select[tuple[int | None]]:
    """The case ids of the messages holding the word: the trigram index serves the ILIKE on
    PostgreSQL; on SQLite the full-text table gives the candidates, the LIKE confirms them
    (the same case folding as the plan case by case)."""
    query = select(Message.case_id).where(_like(word, dialect)(Message.body),
                                          Message.case_id.is_not(None))
    if dialect != "sqlite":
        return query
    return query.where(Message.id.in_(_indexed_ids("messages_search", word)))


def _word_case_by_case(word: str, dialect: str | None) -> ColumnElement[bool]:
    """The word in the case's own fields, or in a row that points to the case, each looked
    up for this case only (by ix_messages_case_id, the contact's key, the addresses'
    contact_id)."""
    like = _like(word, dialect)
    lookups = [*_person_lookups(word, like),
               select(Message.id).where(Message.case_id == Case.id, like(Message.body))]
    return or_(*map(like, _own_fields(word)), *(exists(query.offset(0)) for query in lookups))


def _person_lookups(word: str, like) -> list[Select]:
    """The case's person holds the word: their first name, or an address (for a word that
    may be a number), each looked up for this case only."""
    lookups = [select(Contact.id).where(Contact.id == Case.contact_id, like(Contact.first_name))]
    if _may_be_a_number(word):
        lookups.append(select(ChannelAddress.id).where(
            ChannelAddress.contact_id == Case.contact_id, like(ChannelAddress.address)))
    return lookups
