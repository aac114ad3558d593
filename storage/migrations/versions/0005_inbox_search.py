"""Inbox: the APPEL count's partial index, and trigram search on PostgreSQL.

ix_cases_wants_human holds only the cases whose person asked to talk to someone: the
count in every inbox page's header reads a few rows, not the whole table.

On PostgreSQL (extension pg_trgm), GIN trigram indexes serve the list's search,
`column ILIKE '%mot%'`, on every field it reads: messages.body, cases.reference,
cases.commune_name, cases.callback_phone, contacts.first_name, channel_addresses.address.
SQLite has no such index and reads each listed case's messages (inbox/cases/search.py).
The extension stays on downgrade: other objects may use it.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 21:40:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = '0005'
down_revision: Union[str, Sequence[str], None] = '0004'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

TRIGRAM_INDEXES = (  # (table, column)
    ('messages', 'body'), ('cases', 'reference'), ('cases', 'commune_name'),
    ('cases', 'callback_phone'), ('contacts', 'first_name'), ('channel_addresses', 'address'),
)


def upgrade() -> None:
    """Create the partial index; on PostgreSQL, pg_trgm and the trigram indexes."""
    op.create_index('ix_cases_wants_human', 'cases', ['team_id'],
                    postgresql_where=sa.text('wants_human'), sqlite_where=sa.text('wants_human = 1'))
    bind = op.get_bind()
    if bind.dialect.name != 'postgresql':
        return
    op.execute('CREATE EXTENSION IF NOT EXISTS pg_trgm')
    # The operator class lives in the extension's schema, maybe not on the search path.
    schema = bind.scalar(sa.text(
        "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace"
        " WHERE e.extname = 'pg_trgm'"))
    for table, column in TRIGRAM_INDEXES:
        op.create_index(f'ix_{table}_{column}_trgm', table, [column], postgresql_using='gin',
                        postgresql_ops={column: f'"{schema}".gin_trgm_ops'})


def downgrade() -> None:
    """Drop the indexes."""
    if op.get_bind().dialect.name == 'postgresql':
        for table, column in TRIGRAM_INDEXES:
            op.drop_index(f'ix_{table}_{column}_trgm', table_name=table)
    op.drop_index('ix_cases_wants_human', table_name='cases')
