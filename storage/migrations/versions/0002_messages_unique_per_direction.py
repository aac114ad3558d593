"""Provider ids are unique per channel AND direction.

A Telegram update id (inbound) and a sent message id (outbound) are different
numberings that can meet.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 19:04:23.707277

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0002'
down_revision: Union[str, Sequence[str], None] = '0001'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_messages_channel_provider_id'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_messages_channel_direction_provider_id'), ['channel', 'direction', 'provider_id'])



def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_messages_channel_direction_provider_id'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_messages_channel_provider_id'), ['channel', 'provider_id'])

