"""Inbox: the list's order carries the columns the filters test; an index of callback phones.

ix_cases_inbox_order gains trailing columns (team, status, assignee, commune): a
coordinator's page, or a page filtered by status or territory, is read in this order and
each row was checked in the table; now the check is made in the index, and only the rows
that pass it are read (on SQLite, a category filter at 100,000 cases goes from 10 to 2 ms).
ix_cases_callback_phone finds a whole phone number typed in the search, and so does
ix_channel_addresses_address_contact in the addresses on PostgreSQL (SQLite has it since
0009; PostgreSQL answered an equality from the trigram index: 8 ms, every phone number
sharing the same digit trigrams).

On SQLite, two more full-text tables (FTS5 trigram, external content, like
messages_search in 0009) index the first names (`contacts_search`) and the communes of
the cases (`cases_search`): a word of the search is looked up there instead of scanning
100,000 names. Triggers keep them in step; a later migration that copies the contacts or
cases table (SQLite's batch mode) must create its triggers again, as 0012 did for the
messages.

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-30 04:00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = '0015'
down_revision: Union[str, Sequence[str], None] = '0014'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

ORDER = ['waiting_since', sa.text('created_at DESC'), sa.text('id DESC')]
CARRIED = ['team_id', 'status', 'assignee_id', 'commune_insee']


SEARCHED = (('contacts_search', 'contacts', 'first_name'), ('cases_search', 'cases', 'commune_name'))


def _full_text_table(name: str, table: str, column: str) -> tuple[str, ...]:
    """The statements that make `name`, the trigram index of table.column, and keep it so."""
    add = f"INSERT INTO {name}(rowid, {column}) VALUES (new.id, new.{column});"
    remove = f"INSERT INTO {name}({name}, rowid, {column}) VALUES ('delete', old.id, old.{column});"
    return (
        f"CREATE VIRTUAL TABLE {name} USING fts5("
        f"{column}, content='{table}', content_rowid='id', tokenize='trigram')",
        f"CREATE TRIGGER {name}_insert AFTER INSERT ON {table} BEGIN {add} END",
        f"CREATE TRIGGER {name}_delete AFTER DELETE ON {table} BEGIN {remove} END",
        f"CREATE TRIGGER {name}_update AFTER UPDATE OF {column} ON {table} BEGIN {remove} {add} END",
        f"INSERT INTO {name}({name}) VALUES ('rebuild')",
    )


def upgrade() -> None:
    op.drop_index('ix_cases_inbox_order', table_name='cases')
    op.create_index('ix_cases_inbox_order', 'cases', [*ORDER, *CARRIED])
    op.create_index('ix_cases_callback_phone', 'cases', ['callback_phone'])
    if op.get_bind().dialect.name != 'sqlite':
        op.create_index('ix_channel_addresses_address_contact', 'channel_addresses',
                        ['address', 'contact_id'])
        return
    for searched in SEARCHED:
        for statement in _full_text_table(*searched):
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name != 'sqlite':
        op.drop_index('ix_channel_addresses_address_contact', table_name='channel_addresses')
    else:
        for name, _table, _column in SEARCHED:
            for trigger in ('update', 'delete', 'insert'):
                op.execute(f"DROP TRIGGER {name}_{trigger}")
            op.execute(f"DROP TABLE {name}")
    op.drop_index('ix_cases_callback_phone', table_name='cases')
    op.drop_index('ix_cases_inbox_order', table_name='cases')
    op.create_index('ix_cases_inbox_order', 'cases', ORDER)
