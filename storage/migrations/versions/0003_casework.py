"""Casework: notes, canned replies, solutions, API tokens; the inbox's fields and order.

Cases gain their orientation (solution_id), the closed case they follow
(previous_case_id), programme categories, and what the inbox sorts and highlights by:
last_inbound_at, waiting_since, unread. The list's order has its own indexes
(waiting_since, created_at DESC, id DESC), whole and per team. Existing cases get no
categories and are read (server defaults); their waiting times are unknown (NULL).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 19:26:03.281191

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision: str = '0003'
down_revision: Union[str, Sequence[str], None] = '0002'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Create the casework tables and add the inbox's columns and indexes to cases."""
    op.create_table('solutions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('kind', sa.String(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_solutions')),
    sa.UniqueConstraint('name', name=op.f('uq_solutions_name'))
    )
    op.create_table('api_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('token_hash', sa.String(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_api_tokens_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_tokens_token_hash'))
    )
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_tokens_user_id'), ['user_id'], unique=False)

    op.create_table('canned_replies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_canned_replies_team_id_teams'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_canned_replies'))
    )
    with op.batch_alter_table('canned_replies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_canned_replies_team_id'), ['team_id'], unique=False)

    op.create_table('notes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_notes_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_notes_case_id_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notes'))
    )
    with op.batch_alter_table('notes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notes_case_id'), ['case_id'], unique=False)

    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('categories', sa.JSON().with_variant(postgresql.JSONB(), 'postgresql'), server_default=sa.text("'[]'"), nullable=False))
        batch_op.add_column(sa.Column('solution_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('previous_case_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('last_inbound_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('waiting_since', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('unread', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.create_index(batch_op.f('ix_cases_callback_at'), ['callback_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_cases_commune_insee'), ['commune_insee'], unique=False)
        batch_op.create_index(batch_op.f('ix_cases_last_inbound_at'), ['last_inbound_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_cases_previous_case_id'), ['previous_case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cases_solution_id'), ['solution_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_cases_solution_id_solutions'), 'solutions', ['solution_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_cases_previous_case_id_cases'), 'cases', ['previous_case_id'], ['id'], ondelete='SET NULL')

    # The inbox's order: the longest wait first, then the newest. Created outside the
    # batch: SQLite's batch mode copies the table and cannot carry a sort direction. A
    # later batch operation on cases would recreate them without DESC on SQLite: drop
    # them before it and create them again after it, as here.
    op.create_index('ix_cases_inbox_order', 'cases',
                    ['waiting_since', sa.text('created_at DESC'), sa.text('id DESC')])
    op.create_index('ix_cases_team_inbox_order', 'cases',
                    ['team_id', 'waiting_since', sa.text('created_at DESC'), sa.text('id DESC')])


def downgrade() -> None:
    """Drop what upgrade() added."""
    op.drop_index('ix_cases_team_inbox_order', table_name='cases')
    op.drop_index('ix_cases_inbox_order', table_name='cases')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_cases_previous_case_id_cases'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_cases_solution_id_solutions'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_cases_solution_id'))
        batch_op.drop_index(batch_op.f('ix_cases_previous_case_id'))
        batch_op.drop_index(batch_op.f('ix_cases_last_inbound_at'))
        batch_op.drop_index(batch_op.f('ix_cases_commune_insee'))
        batch_op.drop_index(batch_op.f('ix_cases_callback_at'))
        batch_op.drop_column('unread')
        batch_op.drop_column('waiting_since')
        batch_op.drop_column('last_inbound_at')
        batch_op.drop_column('previous_case_id')
        batch_op.drop_column('solution_id')
        batch_op.drop_column('categories')

    with op.batch_alter_table('notes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notes_case_id'))

    op.drop_table('notes')
    with op.batch_alter_table('canned_replies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_canned_replies_team_id'))

    op.drop_table('canned_replies')
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_tokens_user_id'))

    op.drop_table('api_tokens')
    op.drop_table('solutions')
