"""The referred person's own consent: their answer to the SMS, and since when it is asked.

cases.person_consent is None for a person who came by themselves; for a referral with a
phone it is "asked", then "given", "refused", "unclear" or "silent"
(bot/person_consent.py). A partial index holds the cases still asked, for the sweep that
hands the silent ones to the coordinators.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30 00:30:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = '0010'
down_revision: Union[str, Sequence[str], None] = '0009'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

ASKED = sa.text("person_consent = 'asked'")


def upgrade() -> None:
    op.add_column('cases', sa.Column('person_consent', sa.String(), nullable=True))
    op.add_column('cases', sa.Column('person_consent_asked_at', sa.DateTime(timezone=True),
                                     nullable=True))
    op.create_index('ix_cases_person_consent_asked', 'cases', ['person_consent_asked_at'],
                    postgresql_where=ASKED, sqlite_where=ASKED)


def downgrade() -> None:
    op.drop_index('ix_cases_person_consent_asked', table_name='cases')
    for column in ('person_consent_asked_at', 'person_consent'):
        # SQLite drops a plain column in place (3.35+): a batch copy of `cases` would
        # lose the DESC order of the inbox's indexes.
        op.execute(f'ALTER TABLE cases DROP COLUMN {column}')
