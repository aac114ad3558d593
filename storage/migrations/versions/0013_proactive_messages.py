"""Outgoing messages written first by the service (proactive): they wait for the daytime,
never leave at night, even on a retry, and hold back no reply of the conversation.

A plain ADD COLUMN on both databases (no table copy on SQLite).

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30 00:30:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = '0013'
down_revision: Union[str, Sequence[str], None] = '0012'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.add_column('messages', sa.Column('proactive', sa.Boolean(), server_default=sa.false(),
                                        nullable=False))
    op.execute("UPDATE messages SET proactive = true WHERE broadcast_id IS NOT NULL")


def downgrade() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        op.execute("ALTER TABLE messages DROP COLUMN proactive")  # no copy: the triggers stay
    else:
        op.drop_column('messages', 'proactive')
