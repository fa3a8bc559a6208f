"""Quality regression: the service's default ranking (evaluation/configs/default.yaml) on the
TEST split must not fall below the committed baseline by more than its tolerance (0.02) on
nDCG@10, Recall@20 or MRR@10.

The demo library is loaded into a temporary database through the real loader (applications,
reviews, publicity, certification), indexed with the real embedding model (embeddings cached
under var/index/), and the golden set's test needs are run against it.

SUBJECT says which golden set: REAL (evaluation/golden, held to
evaluation/baselines/default_test.json), or the small judged FIXTURE with its own baseline
(tests/quality/fixture_baseline.json) — a one-line switch (evaluation/README.md).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from evaluation.baseline import DEFAULT_BASELINE, before_after, read_baseline, regressions
from evaluation.configuration import DEFAULT_CONFIG_PATH, load_config
from evaluation.golden import GOLDEN_DIR, load_golden
from evaluation.harness import Harness
from evaluation.session import HarnessOptions, open_harness
from evaluation.split import select

pytestmark = pytest.mark.quality

REPO = Path(__file__).resolve().parents[2]
MODEL = REPO / "var" / "models" / "multilingual-e5-small"
CACHE = REPO / "var" / "index" / "embeddings.sqlite"
DEMO = REPO / "data" / "demo"


@dataclass(frozen=True)
class Subject:
    """A golden set and the baseline its test split is held to."""

    name: str
    golden: Path
    baseline: Path


REAL = Subject("golden set", GOLDEN_DIR, DEFAULT_BASELINE)
FIXTURE = Subject(
    "FIXTURE (tests/evaluation/fixtures/demo, 40 needs, 9 in test)",
    REPO / "tests" / "evaluation" / "fixtures" / "demo",
    Path(__file__).resolve().parent / "fixture_baseline.json",
)
SUBJECT = REAL  # FIXTURE: the small judged set in tests/evaluation/fixtures/demo


@pytest.fixture(scope="module")
def demo_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo library loaded through the real pipeline into a fresh SQLite database."""
    from registry.db import make_engine, session_factory
    from registry.loader import load, read_files
    from registry.migrate import upgrade
    from registry.storage import FileStore

    folder = tmp_path_factory.mktemp("demo")
    url = f"sqlite:///{folder / 'demo.db'}"
    upgrade(url)
    files = read_files(
        batches_path=DEMO / "batches.yaml",
        users_path=DEMO / "users.yaml",
        library_paths=sorted((DEMO / "library").glob("*.yaml")),
    )
    engine = make_engine(url)
    report = load(
        sessions=session_factory(engine),
        store=FileStore(folder / "files"),
        files=files,
        keep_going=True,  # a refused application is the workflow working, not a broken load
        hasher=PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1),
    )
    engine.dispose()
    assert len(report.loaded) >= 200, "the demo library did not load"
    yield url


@pytest.fixture(scope="module")
def harness(demo_database: str) -> Harness:
    if not (MODEL / "config.json").is_file():
        pytest.fail(f"the embedding model is missing at {MODEL}: run `make model`")
    options = HarnessOptions(database_url=demo_database, model=str(MODEL), cache_path=CACHE)
    return open_harness(options)


def test_the_default_ranking_holds_its_baseline_on_the_test_split(harness: Harness) -> None:
    if SUBJECT is FIXTURE:
        warnings.warn(f"quality test on the {SUBJECT.name}, not the real golden set", stacklevel=1)
    golden = load_golden(SUBJECT.golden)
    baseline = read_baseline(SUBJECT.baseline)
    evaluation = harness.evaluate(load_config(DEFAULT_CONFIG_PATH), select(golden, "test"))
    assert baseline.split == "test"
    assert len(evaluation.golden.queries) == baseline.needs, "the test split changed"
    found = regressions(baseline, evaluation.means)
    assert not found, "\n".join([*found, before_after(baseline, evaluation.means)])
