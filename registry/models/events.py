"""Matchmaking events (Art.20(2)): an organiser's event, the needs of the manufacturers taking
part, and per need a shortlist of library resources the organiser orders and annotates."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.db import Base, str_enum


class EventType(StrEnum):
    """Art.20(2) kinds of promotion event."""

    SUPPLY_DEMAND = "供需对接会"
    SHOWCASE = "专场推介会"
    TECH_EXCHANGE = "技术交流会"


class MatchEvent(Base):
    """A matchmaking event run by an organiser."""

    __tablename__ = "match_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    event_type: Mapped[EventType] = mapped_column(str_enum(EventType, 16))
    held_on: Mapped[date]
    city: Mapped[str] = mapped_column(String(20))
    industry_focus: Mapped[list[str]]  # GB/T 4754-2017 divisions, C13-C43
    description: Mapped[str] = mapped_column(Text, default="")
    organiser_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    needs: Mapped[list[EventNeed]] = relationship(
        back_populates="event", order_by="EventNeed.position", cascade="all, delete-orphan"
    )


class EventNeed(Base):
    """The need of one manufacturer at the event, with optional matching filters."""

    __tablename__ = "event_needs"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("match_events.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    company: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    # {"direction": [...], "form": [...], "industry": [...], "city": [...], ...}: matcher facets.
    filters: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime]

    event: Mapped[MatchEvent] = relationship(back_populates="needs")
    items: Mapped[list[ShortlistItem]] = relationship(
        back_populates="need", order_by="ShortlistItem.position", cascade="all, delete-orphan"
    )


class ShortlistItem(Base):
    """One resource on a need's shortlist: its rank from the matcher, the organiser's order and
    note."""

    __tablename__ = "shortlist_items"
    __table_args__ = (UniqueConstraint("need_id", "resource_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("event_needs.id", ondelete="CASCADE"))
    resource_code: Mapped[str] = mapped_column(String(16))
    position: Mapped[int]  # the organiser's order, 1-based
    match_rank: Mapped[int | None]  # rank in the matcher's shortlist; None: added by hand
    score: Mapped[float | None]
    aspects: Mapped[list[str]]  # aspects of the need this resource covers (bundles)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    need: Mapped[EventNeed] = relationship(back_populates="items")
