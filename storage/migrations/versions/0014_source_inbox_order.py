"""Inbox: the list's order for one origin (a call, an alert giver, an ambassador…).

A selective origin filter read the whole order, or a team's, until a page was full; this
index gives the page directly. A plain CREATE INDEX on both databases (no table copy).

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30 02:00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = '0014'
down_revision: Union[str, Sequence[str], None] = '0013'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_index('ix_cases_source_inbox_order', 'cases',
                    ['source', 'waiting_since', sa.text('created_at DESC'), sa.text('id DESC')])


def downgrade() -> None:
    op.drop_index('ix_cases_source_inbox_order', table_name='cases')
