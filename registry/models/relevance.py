"""Relevance judgments collected from staff (the web dashboard) for the evaluation harness.

One row per need (query) x resource x judge: a judge changing their mind updates their row
(`judged_at` moves), several judges give several rows, merged when qrels are exported
(`registry.services.judgments`). Resources are named by code, not by foreign key: a judgment
outlives the resource's removal from the library, as TREC qrels do.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from registry.db import Base


class RelevanceJudgment(Base):
    """A grade 0-3 (0 unrelated, 1 related topic only, 2 helps in part, 3 fits) for a need."""

    __tablename__ = "relevance_judgments"
    __table_args__ = (
        UniqueConstraint("query_id", "resource_code", "judge"),
        CheckConstraint("grade >= 0 AND grade <= 3", name="grade_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    query_id: Mapped[str] = mapped_column(String(64), index=True)
    query_text: Mapped[str] = mapped_column(Text)
    resource_code: Mapped[str] = mapped_column(String(16), index=True)
    grade: Mapped[int] = mapped_column(Integer)
    judge: Mapped[str] = mapped_column(String(64), index=True)  # username, or an import label
    judged_at: Mapped[datetime]
    note: Mapped[str] = mapped_column(Text, default="")
