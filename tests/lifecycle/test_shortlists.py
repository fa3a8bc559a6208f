"""Event shortlists (Art.20(2)) on a live index with the keyword encoder: MMR and bundles
against hand-worked examples; no shortlist holds two resources of one provider unless asked."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest

from indexing.live import LiveIndex
from indexing.shortlists import (
    NeedQuery,
    combine_rankings,
    event_shortlist,
    filters_of,
    items_for_storage,
    need_bundle,
    need_shortlist,
    select_for_event,
)
from matcher.testing import KeywordEncoder
from matcher.tokenizer import Tokenizer, default_tokenizer
from matcher.types import Filters
from registry.services.events import ItemInput
from tests.lifecycle.views import KEYWORDS, live_index

VISION = NeedQuery("1", "想用机器视觉做注塑件缺陷检测")
MES = NeedQuery("2", "上线MES做生产排程")
EXPORT = NeedQuery("3", "通过跨境电商和直播拓展海外市场")


@pytest.fixture(scope="module")
def tokenizer() -> Tokenizer:
    return default_tokenizer()


@pytest.fixture
def live(tokenizer: Tokenizer) -> Iterator[LiveIndex]:
    index = live_index(tokenizer)
    yield index
    index.close()


# Hand-worked: the keyword sets below give cos(V1,V2) = 2/√6 ≈ 0.8165, cos(V1,V3) = 2/3,
# cos(V2,V3) = 2/√6, cos(M1, V*) = 0. Needs: A ranks V1, V2, V3; B ranks M1, V2.
# combine: V1 1, M1 1, V2 max(1/2, 1/2), V3 1/3 -> min-max normalised 1, 1, 0.25, 0.
TEXTS = {
    "V1": "机器视觉缺陷检测注塑",
    "V2": "机器视觉缺陷检测",
    "V3": "机器视觉缺陷检测数字孪生",
    "M1": "MES排程",
}
GROUPS = {"V1": "p1", "V2": "p1", "V3": "p2", "M1": "p3"}
RANKINGS = [["V1", "V2", "V3"], ["M1", "V2"]]


def vectors() -> dict[str, np.ndarray]:
    encoded = KeywordEncoder(KEYWORDS).encode_passages(list(TEXTS.values()))
    return dict(zip(TEXTS, encoded, strict=True))


def test_combine_rankings_is_rank_major_with_the_best_reciprocal_rank() -> None:
    codes, relevance = combine_rankings(RANKINGS)
    assert codes == ["V1", "M1", "V2", "V3"]
    assert relevance == pytest.approx([1.0, 1.0, 0.5, 1 / 3])
    assert combine_rankings([]) == ([], [])


def test_event_selection_one_per_provider() -> None:
    # λ=0.7. Step 1: V1 and M1 tie at 0.7·1; the first wins: V1 (blocks V2, same provider).
    # Step 2: M1 0.7·1 − 0.3·0 = 0.7; V3 0.7·0 − 0.3·2/3 = −0.2 -> M1. Step 3: V3.
    chosen = select_for_event(RANKINGS, vectors(), GROUPS, k=5, lambda_=0.7)
    assert chosen == ["V1", "M1", "V3"]
    assert select_for_event(RANKINGS, vectors(), GROUPS, k=2, lambda_=0.7) == ["V1", "M1"]


def test_event_selection_same_provider_allowed_relevance_first() -> None:
    # λ=0.7, step 3: V2 0.7·0.25 − 0.3·0.8165 = −0.070 beats V3 0.7·0 − 0.3·0.6667 = −0.200.
    chosen = select_for_event(
        RANKINGS, vectors(), GROUPS, k=5, lambda_=0.7, allow_same_provider=True
    )
    assert chosen == ["V1", "M1", "V2", "V3"]


def test_event_selection_same_provider_allowed_diversity_first() -> None:
    # λ=0.3, step 3: V2 0.3·0.25 − 0.7·0.8165 = −0.4965 loses to V3 0 − 0.7·0.6667 = −0.4667.
    chosen = select_for_event(
        RANKINGS, vectors(), GROUPS, k=5, lambda_=0.3, allow_same_provider=True
    )
    assert chosen == ["V1", "M1", "V3", "V2"]


def providers(shortlist: object) -> list[str]:
    return [e.provider_id for e in shortlist.entries]  # type: ignore[attr-defined]


def test_need_shortlist_holds_one_resource_per_provider(live: LiveIndex) -> None:
    plain = [m.resource_id for m in live.match(VISION.text, k=5).matches]
    assert {"VI-001", "VI-002"} <= set(plain)  # both of provider 1 are relevant
    shortlist = need_shortlist(live, VISION, k=5)
    codes = [e.resource_id for e in shortlist.entries]
    assert len(set(providers(shortlist))) == len(codes)
    assert len({"VI-001", "VI-002"} & set(codes)) == 1
    assert "VI-003" in codes and codes[0] == plain[0]
    assert all(e.needs == (("1", rank),) for rank, e in enumerate(shortlist.entries, 1))


def test_need_shortlist_same_provider_when_asked(live: LiveIndex) -> None:
    plain = [m.resource_id for m in live.match(VISION.text, k=5).matches]
    # λ = 1: MMR is pure relevance, so the list is the plain ranking, provider 1 twice.
    shortlist = need_shortlist(live, VISION, k=5, lambda_=1.0, allow_same_provider=True)
    assert [e.resource_id for e in shortlist.entries] == plain
    assert providers(shortlist).count("1") == 2


def test_event_shortlist_serves_every_need_and_no_provider_twice(live: LiveIndex) -> None:
    shortlist = event_shortlist(live, [VISION, MES, EXPORT], k=4)
    codes = [e.resource_id for e in shortlist.entries]
    assert shortlist.need_id is None and not shortlist.no_suitable_resource
    tops = [need_shortlist(live, n, k=1).entries[0].resource_id for n in (VISION, MES, EXPORT)]
    assert codes[:3] == tops  # each need's first choice, in need order (ties: first seen)
    assert len(set(providers(shortlist))) == len(codes)
    served = {e.resource_id: e.needs for e in shortlist.entries}
    assert served["MF-004"] == (("2", 1),) and served["MK-005"] == (("3", 1),)
    allowed = event_shortlist(live, [VISION, MES, EXPORT], k=6, allow_same_provider=True)
    assert providers(allowed).count("1") == 2


def test_bundle_covers_each_aspect_and_says_which_resource_covers_it(live: LiveIndex) -> None:
    need = NeedQuery(
        "9",
        "我们是东莞的注塑厂，想用机器视觉做缺陷检测，同时上线MES排程，并通过跨境电商拓展海外市场",
    )
    plan = need_bundle(live, need)
    assert plan.aspects == ("想用机器视觉做缺陷检测", "上线MES排程", "通过跨境电商拓展海外市场")
    covered = {a: p.resource_id for p in plan.parts for a in p.aspects}
    assert covered["上线MES排程"] == "MF-004"
    assert covered["通过跨境电商拓展海外市场"] == "MK-005"
    assert covered["想用机器视觉做缺陷检测"].startswith("VI-")
    assert plan.uncovered == ()
    stored = items_for_storage(plan)
    assert [i.match_rank for i in stored] == [1, 2, 3]
    assert {i.resource_code: i.aspects for i in stored}["MF-004"] == ("上线MES排程",)


def test_a_bundle_prefers_one_resource_covering_two_aspects(tokenizer: Tokenizer) -> None:
    from tests.lifecycle.views import LIBRARY, view

    both = view("CP-006", 5, "视觉检测与MES一体化方案", "机器视觉缺陷检测与MES生产排程一体化")
    index = live_index(tokenizer, (*LIBRARY, both))
    try:
        plan = need_bundle(index, NeedQuery("9", "机器视觉缺陷检测，以及MES排程"))
        # Greedy cover: CP-006's gain is its confidence on both aspects, larger than any
        # resource's on one; it covers both, nothing else is needed.
        assert [(p.resource_id, p.aspects) for p in plan.parts] == [
            ("CP-006", ("机器视觉缺陷检测", "MES排程"))
        ]
    finally:
        index.close()


def test_filters_and_storage_items(live: LiveIndex) -> None:
    assert filters_of({}) is None
    assert filters_of({"city": ["东莞市"]}) == Filters.of(city="东莞市")
    nowhere = NeedQuery("1", VISION.text, filters_of({"city": ["广州市"]}))
    assert need_shortlist(live, nowhere).entries == ()
    shortlist = need_shortlist(live, VISION, k=3)
    items = items_for_storage(shortlist)
    assert items == [
        ItemInput(e.resource_id, rank, e.score) for rank, e in enumerate(shortlist.entries, 1)
    ]
