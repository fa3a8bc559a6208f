"""Filters from what people type: 东莞 and 东莞市 alike, impossible values refused."""

from __future__ import annotations

import pytest

from indexing.errors import InvalidFilter
from indexing.query import city_variants, make_filters
from matcher.types import Filters


def test_nothing_constrained_is_none() -> None:
    assert make_filters() is None
    assert make_filters(city=["", "  "]) is None


def test_city_with_or_without_the_suffix() -> None:
    assert city_variants("东莞") == city_variants("东莞市") == {"东莞", "东莞市"}
    filters = make_filters(city=["东莞", "佛山市"])
    assert filters is not None
    assert filters.allows({"city": ("东莞市",)}) and filters.allows({"city": ("佛山市",)})
    assert not filters.allows({"city": ("广州市",)})


def test_known_values_pass_through() -> None:
    filters = make_filters(
        direction=["人工智能应用"],
        form=["标准化产品"],
        industry=["c29", "汽车制造业"],
        provider_type=["高等院校"],
        status=["预警"],
    )
    assert filters == Filters(
        direction=frozenset({"人工智能应用"}),
        form=frozenset({"标准化产品"}),
        industry=frozenset({"C29", "C36"}),
        provider_type=frozenset({"高等院校"}),
        status=frozenset({"warned"}),
    )


@pytest.mark.parametrize(
    "facets",
    [
        {"direction": ["人工智能"]},
        {"form": ["软件"]},
        {"industry": ["C99"]},
        {"provider_type": ["个人"]},
        {"status": ["removed"]},
    ],
)
def test_impossible_values_are_refused(facets: dict[str, list[str]]) -> None:
    with pytest.raises(InvalidFilter) as caught:
        make_filters(**facets)
    assert caught.value.code == "invalid_filter"
