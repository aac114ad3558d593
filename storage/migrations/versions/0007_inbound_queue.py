"""Webhook fast path: the inbound queue.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 21:40:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision: str = '0007'
down_revision: Union[str, Sequence[str], None] = '0006'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        'inbound_queue',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('channel', sa.String(), nullable=False),
        sa.Column('address', sa.String(), nullable=False),
        sa.Column('provider_id', sa.String(), nullable=True),
        sa.Column('message', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'),
                  nullable=False),
        sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_inbound_queue')),
        sa.UniqueConstraint('channel', 'provider_id', name=op.f('uq_inbound_queue_channel_provider_id')),
    )
    op.create_index('ix_inbound_queue_channel_address_id', 'inbound_queue',
                    ['channel', 'address', 'id'], unique=False)
    op.create_index(op.f('ix_inbound_queue_received_at'), 'inbound_queue', ['received_at'],
                    unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_inbound_queue_received_at'), table_name='inbound_queue')
    op.drop_index('ix_inbound_queue_channel_address_id', table_name='inbound_queue')
    op.drop_table('inbound_queue')
