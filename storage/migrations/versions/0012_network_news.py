"""Network news: members say whether they want the network's news; broadcasts and their
outbox rows (messages.broadcast_id).

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30 00:30:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = '0012'
down_revision: Union[str, Sequence[str], None] = '0011'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


# SQLite copies `messages` to add or drop a column with a foreign key, which loses the
# search triggers of 0009: they are made again after (the rows keep their ids).
SQLITE_SEARCH_TRIGGERS = (
    "CREATE TRIGGER messages_search_insert AFTER INSERT ON messages BEGIN"
    " INSERT INTO messages_search(rowid, body) VALUES (new.id, new.body); END",
    "CREATE TRIGGER messages_search_delete AFTER DELETE ON messages BEGIN"
    " INSERT INTO messages_search(messages_search, rowid, body) VALUES ('delete', old.id, old.body);"
    " END",
    "CREATE TRIGGER messages_search_update AFTER UPDATE OF body ON messages BEGIN"
    " INSERT INTO messages_search(messages_search, rowid, body) VALUES ('delete', old.id, old.body);"
    " INSERT INTO messages_search(rowid, body) VALUES (new.id, new.body); END",
)



def _drop_search_triggers() -> None:
    for name in ('messages_search_update', 'messages_search_delete', 'messages_search_insert'):
        op.execute(f"DROP TRIGGER IF EXISTS {name}")


def upgrade() -> None:
    """Create broadcasts, add network_members.news_opt_in and messages.broadcast_id."""
    op.create_table('broadcasts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('role', sa.String(), nullable=True),
    sa.Column('recipients', sa.Integer(), nullable=False),
    sa.Column('not_before', sa.DateTime(timezone=True), nullable=False),
    sa.Column('token', sa.String(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_broadcasts_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_broadcasts_organisation_id_organisations'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_broadcasts')),
    sa.UniqueConstraint('token', name=op.f('uq_broadcasts_token'))
    )
    with op.batch_alter_table('broadcasts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_broadcasts_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_broadcasts_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_broadcasts_organisation_id'), ['organisation_id'], unique=False)
    with op.batch_alter_table('network_members', schema=None) as batch_op:
        batch_op.add_column(sa.Column('news_opt_in', sa.Boolean(), server_default=sa.false(), nullable=False))
    # On SQLite the batch copies `messages`, which drops the search triggers of 0009:
    # they are made again after it (the rows keep their ids, the index stays right).
    sqlite = op.get_bind().dialect.name == 'sqlite'
    if sqlite:
        _drop_search_triggers()
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('broadcast_id', sa.Integer(), sa.ForeignKey('broadcasts.id', name=op.f('fk_messages_broadcast_id_broadcasts'), ondelete='SET NULL'), nullable=True))
    if sqlite:
        for statement in SQLITE_SEARCH_TRIGGERS:
            op.execute(statement)
    op.create_index(op.f('ix_messages_broadcast_id'), 'messages', ['broadcast_id'], unique=False)


def downgrade() -> None:
    """Drop what upgrade() added."""
    sqlite = op.get_bind().dialect.name == 'sqlite'
    if sqlite:
        _drop_search_triggers()
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_messages_broadcast_id'))
        batch_op.drop_constraint(batch_op.f('fk_messages_broadcast_id_broadcasts'), type_='foreignkey')
        batch_op.drop_column('broadcast_id')
    if sqlite:
        for statement in SQLITE_SEARCH_TRIGGERS:
            op.execute(statement)
    with op.batch_alter_table('network_members', schema=None) as batch_op:
        batch_op.drop_column('news_opt_in')
    with op.batch_alter_table('broadcasts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_broadcasts_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_broadcasts_created_at'))
        batch_op.drop_index(batch_op.f('ix_broadcasts_author_id'))
    op.drop_table('broadcasts')
