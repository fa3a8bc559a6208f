"""public objections (issue 7): anyone raises an objection during publicity online

Objections were recorded by staff only. A public objection has no recording user, carries the
objector's contact, and a follow-up token of which only the SHA-256 is kept (like complaints).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 15:25:18.161233

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
    """Upgrade schema."""
    with op.batch_alter_table('objections', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contact', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('token_hash', sa.String(length=64), nullable=True))
        batch_op.alter_column('recorded_by_user_id',
               existing_type=sa.INTEGER(),
               nullable=True)
        batch_op.create_unique_constraint(batch_op.f('uq_objections_token_hash'), ['token_hash'])


def downgrade() -> None:
    """Downgrade schema (public objections, which have no recording user, are deleted first)."""
    op.execute("DELETE FROM objections WHERE recorded_by_user_id IS NULL")
    with op.batch_alter_table('objections', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_objections_token_hash'), type_='unique')
        batch_op.alter_column('recorded_by_user_id',
               existing_type=sa.INTEGER(),
               nullable=False)
        batch_op.drop_column('token_hash')
        batch_op.drop_column('contact')
