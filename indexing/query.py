"""Filters from what people type: checked against the vocabularies, cities with or without 市."""

from __future__ import annotations

from collections.abc import Iterable

from indexing.errors import InvalidFilter
from matcher.types import Filters
from registry.enums import LibraryStatus
from registry.reference import INDUSTRIES, Direction, Form, OrgType

CITY_SUFFIX = "市"
STATUS_NAMES = {
    "certified": LibraryStatus.CERTIFIED.value,
    "warned": LibraryStatus.WARNED.value,
    "正常": LibraryStatus.CERTIFIED.value,
    "预警": LibraryStatus.WARNED.value,
}
_INDUSTRY_BY_NAME = {name: code for code, name in INDUSTRIES.items()}


def city_variants(value: str) -> set[str]:
    """东莞 and 东莞市 both name the city: a filter allows either spelling."""
    name = value.strip()
    if not name:
        return set()
    if name.endswith(CITY_SUFFIX) and len(name) > 1:
        return {name, name.removesuffix(CITY_SUFFIX)}
    return {name, name + CITY_SUFFIX}


def make_filters(
    *,
    direction: Iterable[str] = (),
    form: Iterable[str] = (),
    industry: Iterable[str] = (),
    city: Iterable[str] = (),
    provider_type: Iterable[str] = (),
    status: Iterable[str] = (),
) -> Filters | None:
    """Filters (None when nothing is constrained); an impossible value is an InvalidFilter."""
    values = {
        "direction": _known(direction, {d.value for d in Direction}, "赋能方向"),
        "form": _known(form, {f.value for f in Form}, "资源形态"),
        "industry": {_industry(v) for v in _clean(industry)},
        "city": {variant for v in _clean(city) for variant in city_variants(v)},
        "provider_type": _known(provider_type, {t.value for t in OrgType}, "申报单位类型"),
        "status": {_status(v) for v in _clean(status)},
    }
    filters = Filters(**{name: frozenset(v) for name, v in values.items()})
    return None if filters.is_empty() else filters


def _clean(values: Iterable[str]) -> list[str]:
    return [v.strip() for v in values if v and v.strip()]


def _known(values: Iterable[str], allowed: set[str], label: str) -> set[str]:
    given = set(_clean(values))
    unknown = given - allowed
    if unknown:
        raise InvalidFilter(
            f"未知的{label}：{'、'.join(sorted(unknown))}；可选：{'、'.join(sorted(allowed))}"
        )
    return given


def _industry(value: str) -> str:
    code = value.upper()
    if code in INDUSTRIES:
        return code
    if value in _INDUSTRY_BY_NAME:
        return _INDUSTRY_BY_NAME[value]
    raise InvalidFilter(f"未知的行业：{value}（请用 GB/T 4754 代码 C13–C43 或其名称）")


def _status(value: str) -> str:
    found = STATUS_NAMES.get(value.lower()) or STATUS_NAMES.get(value)
    if found is None:
        raise InvalidFilter(f"未知的入库状态：{value}（可选 certified / warned）")
    return found
