"""Input schemas of forms that only the web pages have (the API takes these fields as form
parameters or JSON bodies of its own)."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from api.schemas.common import InputSchema
from registry.seed_schema import EvidenceKind


class EvidenceForm(InputSchema):
    """An evidence document's details (the file travels beside them)."""

    kind: EvidenceKind
    title: str = Field(min_length=1, max_length=200)
    issued_on: date
    number: str | None = Field(default=None, max_length=100)
    expires_on: date | None = None
    issuer: str | None = Field(default=None, max_length=200)
    financial: bool = Field(default=False, description="单位财务材料（不属于某一资源）")
