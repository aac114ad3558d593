"""Inbox: a fast search on SQLite, and list indexes for the selective filters.

On SQLite, `messages_search` is an FTS5 table with the trigram tokenizer over
messages.body (external content: it stores only the index, keyed by messages.id),
kept in step by triggers on insert, update of the body and delete. A word of 3 letters
or more is looked up there (`MATCH '"mot"'` is a substring search, case-insensitive)
instead of reading every message (inbox/cases/search.py). SQLite-only covering indexes
let the search's short columns be scanned without reading whole rows.

On both databases, two indexes serve the list's order for the selective filters: the
cases whose person asks for a person (partial), and the cases of one commune (it
replaces ix_cases_commune_insee, its first column).

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29 22:50:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = '0009'
down_revision: Union[str, Sequence[str], None] = '0008'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

ORDER = ['waiting_since', sa.text('created_at DESC'), sa.text('id DESC')]
SQLITE_COVERING = (  # (name, table, columns): the search reads these columns only
    ('ix_cases_search_fields', 'cases', ['reference', 'commune_name', 'callback_phone']),
    ('ix_contacts_first_name', 'contacts', ['first_name']),
    ('ix_channel_addresses_address_contact', 'channel_addresses', ['address', 'contact_id']),
)
FTS_UPGRADE = (
    "CREATE VIRTUAL TABLE messages_search USING fts5("
    "body, content='messages', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER messages_search_insert AFTER INSERT ON messages BEGIN"
    " INSERT INTO messages_search(rowid, body) VALUES (new.id, new.body); END",
    "CREATE TRIGGER messages_search_delete AFTER DELETE ON messages BEGIN"
    " INSERT INTO messages_search(messages_search, rowid, body) VALUES ('delete', old.id, old.body);"
    " END",
    "CREATE TRIGGER messages_search_update AFTER UPDATE OF body ON messages BEGIN"
    " INSERT INTO messages_search(messages_search, rowid, body) VALUES ('delete', old.id, old.body);"
    " INSERT INTO messages_search(rowid, body) VALUES (new.id, new.body); END",
    "INSERT INTO messages_search(messages_search) VALUES ('rebuild')",
)
FTS_DOWNGRADE = (
    "DROP TRIGGER messages_search_update", "DROP TRIGGER messages_search_delete",
    "DROP TRIGGER messages_search_insert", "DROP TABLE messages_search",
)


def upgrade() -> None:
    op.drop_index('ix_cases_commune_insee', table_name='cases')
    op.create_index('ix_cases_commune_inbox_order', 'cases', ['commune_insee', *ORDER])
    op.create_index('ix_cases_wants_human_inbox_order', 'cases', ORDER,
                    postgresql_where=sa.text('wants_human'), sqlite_where=sa.text('wants_human = 1'))
    if op.get_bind().dialect.name != 'sqlite':
        return
    for name, table, columns in SQLITE_COVERING:
        op.create_index(name, table, columns)
    for statement in FTS_UPGRADE:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        for statement in FTS_DOWNGRADE:
            op.execute(statement)
        for name, table, _columns in SQLITE_COVERING:
            op.drop_index(name, table_name=table)
    op.drop_index('ix_cases_wants_human_inbox_order', table_name='cases')
    op.drop_index('ix_cases_commune_inbox_order', table_name='cases')
    op.create_index('ix_cases_commune_insee', 'cases', ['commune_insee'])
