"""Ambassadors' outings: the logbook, and the referrals made on an outing.

outings holds one row per outing an ambassador logs in the chat (SORTIE): the kind of
place, the area, the people met, the weather, a free note, and the day in Europe/Paris
that links the referrals of that day (bot/outings.py). cases.outing_id is added with its
foreign key: SQLite copies the table for that (a batch), which loses the DESC of the
inbox's order indexes, so they are made again as 0009 made them (after the downgrade too).

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30 00:30:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = '0011'
down_revision: Union[str, Sequence[str], None] = '0010'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


ORDER = ['waiting_since', sa.text('created_at DESC'), sa.text('id DESC')]
INBOX_ORDER_INDEXES = (  # as 0003 and 0009 made them
    ('ix_cases_inbox_order', ORDER, None),
    ('ix_cases_team_inbox_order', ['team_id', *ORDER], None),
    ('ix_cases_commune_inbox_order', ['commune_insee', *ORDER], None),
    ('ix_cases_wants_human_inbox_order', ORDER, sa.text('wants_human = 1')),
)


def upgrade() -> None:
    """Create outings and link cases to them."""
    op.create_table('outings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=True),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('place_kind', sa.String(), nullable=False),
    sa.Column('place_note', sa.String(), nullable=True),
    sa.Column('area', sa.String(), nullable=False),
    sa.Column('commune_insee', sa.String(), nullable=True),
    sa.Column('people_met', sa.Integer(), nullable=False),
    sa.Column('weather', sa.String(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'], name=op.f('fk_outings_contact_id_contacts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_outings_organisation_id_organisations'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outings'))
    )
    op.create_index('ix_outings_contact_id_day', 'outings', ['contact_id', 'day'], unique=False)
    op.create_index(op.f('ix_outings_day'), 'outings', ['day'], unique=False)
    op.create_index(op.f('ix_outings_organisation_id'), 'outings', ['organisation_id'], unique=False)

    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('outing_id', sa.Integer(), sa.ForeignKey('outings.id', name=op.f('fk_cases_outing_id_outings'), ondelete='SET NULL'), nullable=True))
    if op.get_bind().dialect.name == 'sqlite':
        _restore_inbox_order_indexes()
    op.create_index(op.f('ix_cases_outing_id'), 'cases', ['outing_id'], unique=False)


def _restore_inbox_order_indexes() -> None:
    """SQLite's batch copied the table and lost the DESC of the inbox's order indexes: put it back."""
    for name, columns, where in INBOX_ORDER_INDEXES:
        op.drop_index(name, table_name='cases')
        op.create_index(name, 'cases', columns, sqlite_where=where)


def downgrade() -> None:
    """Drop what upgrade() added."""
    op.drop_index(op.f('ix_cases_outing_id'), table_name='cases')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_cases_outing_id_outings'), type_='foreignkey')
        batch_op.drop_column('outing_id')
    if op.get_bind().dialect.name == 'sqlite':
        _restore_inbox_order_indexes()
    op.drop_index(op.f('ix_outings_organisation_id'), table_name='outings')
    op.drop_index(op.f('ix_outings_day'), table_name='outings')
    op.drop_index('ix_outings_contact_id_day', table_name='outings')
    op.drop_table('outings')
