"""How the rules write dates, money and documents in their Chinese messages."""

from __future__ import annotations

from datetime import date

from registry.rules.facts import EvidenceFacts


def zh_date(day: date) -> str:
    """A date as written in Chinese official documents: 2025年9月28日."""
    return f"{day.year}年{day.month}月{day.day}日"


def zh_cny(amount: int | float) -> str:
    """An amount in yuan with thousands separators; halves kept exact (averages of two years)."""
    if isinstance(amount, float) and not amount.is_integer():
        return f"{amount:,.2f} 元"
    return f"{int(amount):,} 元"


def zh_document(doc: EvidenceFacts) -> str:
    """A document named by kind, title and number: 发明专利《…》（ZL…）."""
    number = f"（{doc.number}）" if doc.number else ""
    return f"{doc.kind.value}《{doc.title}》{number}"


def missing(text: str | None) -> bool:
    """True when a text field is absent or only whitespace."""
    return text is None or not text.strip()
