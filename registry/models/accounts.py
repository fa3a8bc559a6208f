"""Users with their role and scope, and the expert profiles behind expert users."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.db import Base, str_enum
from registry.enums import ExpertCategory, Role


class User(Base):
    """A person who signs in; `role` decides what they may do, `city` / organisation the scope."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(
            "role <> 'provider' OR organisation_id IS NOT NULL", name="provider_has_organisation"
        ),
        CheckConstraint(
            "role <> 'municipal_reviewer' OR city IS NOT NULL", name="reviewer_has_city"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(str_enum(Role), index=True)
    city: Mapped[str | None] = mapped_column(String(20))  # municipal reviewers
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime]

    expert: Mapped[Expert | None] = relationship(back_populates="user")


class Expert(Base):
    """An expert of the provincial pool (Art.14) with category and affiliation."""

    __tablename__ = "experts"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    category: Mapped[ExpertCategory] = mapped_column(str_enum(ExpertCategory))
    affiliation: Mapped[str] = mapped_column(String(200))
    # Set when the affiliation is itself a registered organisation (Art.22 conflicts).
    affiliation_organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id"), index=True
    )

    user: Mapped[User] = relationship(back_populates="expert")
