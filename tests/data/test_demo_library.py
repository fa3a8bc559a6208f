"""The demo library reads like the real thing: enough of it, spread as Guangdong is, and no
copy-paste filler (issue 4). The workflow rules are checked when it is loaded (tests/db)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from scipy import sparse

from registry.reference import GUANGDONG_CITIES, OUTSIDE_GUANGDONG, Direction, Form, OrgType
from registry.seed_schema import ApplicationOutcome, SeedFile, load_seed_files

LIBRARY = Path(__file__).resolve().parents[2] / "data" / "demo" / "library"
MAX_SHARED = 0.5  # share of the smaller text's distinct character 5-grams


@pytest.fixture(scope="module")
def seed() -> list[SeedFile]:
    return load_seed_files(sorted(str(p) for p in LIBRARY.glob("*.yaml")))


def _grams(text: str, n: int = 5) -> set[str]:
    compact = "".join(text.split())
    return {compact[i : i + n] for i in range(len(compact) - n + 1)}


def max_shared_fraction(texts: list[str]) -> tuple[float, int, int]:
    """Largest |A ∩ B| / min(|A|, |B|) over all pairs of texts' 5-gram sets, with the pair."""
    sets = [_grams(t) for t in texts]
    vocabulary: dict[str, int] = {}
    rows, cols = [], []
    for row, grams in enumerate(sets):
        for gram in grams:
            rows.append(row)
            cols.append(vocabulary.setdefault(gram, len(vocabulary)))
    matrix = sparse.csr_matrix(
        (np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(len(sets), len(vocabulary))
    )
    shared = (matrix @ matrix.T).tocoo()
    sizes = np.array([max(len(s), 1) for s in sets], dtype=np.float32)
    off_diagonal = shared.row < shared.col
    r, c, v = shared.row[off_diagonal], shared.col[off_diagonal], shared.data[off_diagonal]
    if not len(v):
        return 0.0, -1, -1
    fractions = v / np.minimum(sizes[r], sizes[c])
    best = int(np.argmax(fractions))
    return float(fractions[best]), int(r[best]), int(c[best])


def test_overlap_measure_is_right_on_a_hand_worked_pair() -> None:
    # "甲乙丙丁戊己" has 5-grams {甲乙丙丁戊, 乙丙丁戊己};
    # "乙丙丁戊己庚" has {乙丙丁戊己, 丙丁戊己庚}: one shared of two each -> 0.5;
    # the unrelated third text shares nothing.
    fraction, a, b = max_shared_fraction(["甲乙丙丁戊己", "乙丙丁戊己庚", "子丑寅卯辰巳"])
    assert (fraction, a, b) == (0.5, 0, 1)


def test_no_two_summaries_share_more_than_half_their_5grams(seed: list[SeedFile]) -> None:
    resources = [r for f in seed for r in f.resources]
    fraction, a, b = max_shared_fraction([r.summary for r in resources])
    assert fraction <= MAX_SHARED, (resources[a].code, resources[b].code, fraction)


@pytest.mark.parametrize("part", ["full", "implementation"])
def test_no_two_case_descriptions_share_more_than_half_their_5grams(
    seed: list[SeedFile], part: str
) -> None:
    cases = [(r.code, c) for f in seed for r in f.resources for c in r.cases]
    texts = [
        c.implementation if part == "implementation" else c.implementation + c.results + c.feedback
        for _, c in cases
    ]
    fraction, a, b = max_shared_fraction(texts)
    assert fraction <= MAX_SHARED, (cases[a][0], cases[a][1].title, cases[b][0], fraction)


def test_size_and_spread(seed: list[SeedFile]) -> None:
    orgs = [o for f in seed for o in f.organisations]
    resources = [r for f in seed for r in f.resources]
    cases = [c for r in resources for c in r.cases]
    assert len(orgs) >= 150
    assert len(resources) >= 300
    assert len(cases) >= 1200
    assert all(3 <= len(r.cases) <= 6 for r in resources)
    assert {d for r in resources for d in r.directions} == set(Direction)
    forms = Counter(r.form for r in resources)
    assert set(forms) == set(Form)
    cities = Counter(o.city for o in orgs)
    assert set(GUANGDONG_CITIES) <= set(cities)
    assert cities[OUTSIDE_GUANGDONG] >= 3
    # realistic proportions: the Pearl River Delta cores dominate
    heavy = sum(cities[c] for c in ("深圳市", "广州市", "东莞市", "佛山市"))
    assert heavy >= 0.5 * len(orgs)
    industries = {i for r in resources for i in r.industries} | {c.client_industry for c in cases}
    assert len(industries) >= 25
    types = Counter(o.org_type for o in orgs)
    for kind in (OrgType.UNIVERSITY, OrgType.RESEARCH_INSTITUTE, OrgType.CENTRAL_SOE,
                 OrgType.PROVINCIAL_SOE):
        assert types[kind] >= 1, kind


def test_pipeline_exercised_beyond_certification(seed: list[SeedFile]) -> None:
    outcomes = Counter(r.application.outcome for f in seed for r in f.resources)
    for outcome in (
        ApplicationOutcome.RETURNED,
        ApplicationOutcome.REJECTED_MUNICIPAL,
        ApplicationOutcome.EXPERT_REVIEW,
        ApplicationOutcome.PUBLICITY,
        ApplicationOutcome.OBJECTION_PENDING,
        ApplicationOutcome.MUNICIPAL_REVIEW,
    ):
        assert outcomes[outcome] >= 1, outcome
    routes = Counter(r.application.route for f in seed for r in f.resources)
    assert routes["direct_entry"] >= 1 and routes["provincial_direct"] >= 1
