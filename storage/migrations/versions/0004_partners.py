"""Partner network: organisations, invite codes, network members, code attempts; referrals.

Cases gain the referring organisation and the alert giver who referred them. The
columns are added with their foreign keys inline, so SQLite adds them in place
(ALTER TABLE ADD COLUMN … REFERENCES) instead of copying the table: the inbox's DESC
indexes on cases stay as 0003 made them.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 21:40:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = '0004'
down_revision: Union[str, Sequence[str], None] = '0003'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Create the network's tables and add the referral columns to cases."""
    op.create_table('organisations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('kind', sa.String(), nullable=False),
    sa.Column('territory_kind', sa.String(), nullable=True),
    sa.Column('territory_code', sa.String(), nullable=True),
    sa.Column('contact_name', sa.String(), nullable=True),
    sa.Column('contact_email', sa.String(), nullable=True),
    sa.Column('contact_phone', sa.String(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisations')),
    sa.UniqueConstraint('name', name=op.f('uq_organisations_name'))
    )
    op.create_table('invite_codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(), nullable=False),
    sa.Column('kind', sa.String(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('uses', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_invite_codes_organisation_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invite_codes')),
    sa.UniqueConstraint('code', name=op.f('uq_invite_codes_code'))
    )
    with op.batch_alter_table('invite_codes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invite_codes_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('network_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('invite_code_id', sa.Integer(), nullable=True),
    sa.Column('role', sa.String(), nullable=False),
    sa.Column('job_title', sa.String(), nullable=True),
    sa.Column('joined_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('left_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'], name=op.f('fk_network_members_contact_id_contacts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['invite_code_id'], ['invite_codes.id'], name=op.f('fk_network_members_invite_code_id_invite_codes'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_network_members_organisation_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_network_members'))
    )
    with op.batch_alter_table('network_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_network_members_contact_id'), ['contact_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_network_members_invite_code_id'), ['invite_code_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_network_members_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('invite_attempts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('channel_address_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('succeeded', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['channel_address_id'], ['channel_addresses.id'], name=op.f('fk_invite_attempts_channel_address_id_channel_addresses'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invite_attempts'))
    )
    op.create_index('ix_invite_attempts_channel_address_id_at', 'invite_attempts', ['channel_address_id', 'at'], unique=False)

    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('referrer_organisation_id', sa.Integer(), sa.ForeignKey('organisations.id', name=op.f('fk_cases_referrer_organisation_id_organisations'), ondelete='SET NULL'), nullable=True))
        batch_op.add_column(sa.Column('referrer_contact_id', sa.Integer(), sa.ForeignKey('contacts.id', name=op.f('fk_cases_referrer_contact_id_contacts'), ondelete='SET NULL'), nullable=True))
        batch_op.create_index(batch_op.f('ix_cases_referrer_contact_id'), ['referrer_contact_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cases_referrer_organisation_id'), ['referrer_organisation_id'], unique=False)


def downgrade() -> None:
    """Drop what upgrade() added."""
    # SQLite copies the table to drop columns, which would lose the DESC of the inbox's
    # order indexes: drop them first and create them again after (see 0003).
    op.drop_index('ix_cases_team_inbox_order', table_name='cases')
    op.drop_index('ix_cases_inbox_order', table_name='cases')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cases_referrer_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_cases_referrer_contact_id'))
        batch_op.drop_constraint(batch_op.f('fk_cases_referrer_contact_id_contacts'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_cases_referrer_organisation_id_organisations'), type_='foreignkey')
        batch_op.drop_column('referrer_contact_id')
        batch_op.drop_column('referrer_organisation_id')
    op.create_index('ix_cases_inbox_order', 'cases',
                    ['waiting_since', sa.text('created_at DESC'), sa.text('id DESC')])
    op.create_index('ix_cases_team_inbox_order', 'cases',
                    ['team_id', 'waiting_since', sa.text('created_at DESC'), sa.text('id DESC')])

    op.drop_index('ix_invite_attempts_channel_address_id_at', table_name='invite_attempts')
    op.drop_table('invite_attempts')
    with op.batch_alter_table('network_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_network_members_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_network_members_invite_code_id'))
        batch_op.drop_index(batch_op.f('ix_network_members_contact_id'))

    op.drop_table('network_members')
    with op.batch_alter_table('invite_codes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invite_codes_organisation_id'))

    op.drop_table('invite_codes')
    op.drop_table('organisations')

