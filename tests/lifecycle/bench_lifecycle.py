"""Benchmark (never collected by pytest, asserts no time): how long a direct removal takes to
leave a running live index's results, on SQLite and PostgreSQL; and the sweep and the catalog
xlsx over a library of N entries. Prints JSON.

    PYTHONPATH=. .venv/bin/python tests/lifecycle/bench_lifecycle.py [--entries 200]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path

import registry.models  # noqa: F401  (registers every table)
from indexing.build import IndexParts
from indexing.documents import DocumentFactors
from indexing.live import LiveIndex
from indexing.source import DatabaseSource
from matcher.testing import KeywordEncoder
from matcher.tokenizer import default_tokenizer
from registry.catalog import build_catalog
from registry.catalog_xlsx import write_catalog
from registry.db import Base, make_engine, session_factory
from registry.models.monitoring import RemovalGround
from registry.services import removals
from registry.storage import FileStore
from registry.sweep import run_sweep
from tests.conftest import POSTGRES_URL, postgres_reachable
from tests.db.conftest import create_database, drop_database
from tests.db.factories import at
from tests.lifecycle.views import CONFIG, KEYWORDS
from tests.lifecycle.world import World, build_world


def world_on(url: str, entries: int) -> World:
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    world = build_world(session_factory(engine), FileStore(Path(tempfile.mkdtemp()) / "files"))
    for i in range(entries):
        world.certify(f"AI-{i:03d}", n=i + 1, summary=f"机器视觉注塑件外观缺陷检测{i}")
    return world


def removal_latency(world: World, removals_to_time: int) -> list[float]:
    """Seconds from the commit of a removal until a match no longer returns the entry."""
    parts = IndexParts(encoder=KeywordEncoder(KEYWORDS), tokenizer=default_tokenizer(),
                       factors=DocumentFactors(), config=CONFIG)  # fmt: skip
    live = LiveIndex(source=DatabaseSource(world.sessions), parts=parts)
    live.open()
    live.start(poll_interval=0.5)
    seconds = []
    try:
        for i in range(removals_to_time):
            with world.sessions() as s:
                removals.remove_organisation(
                    session=s, actor=world.staff, now=at(2025, 12, 1),
                    organisation_id=world.providers[i + 1].organisation_id,
                    ground=RemovalGround.MAJOR_ACCIDENT, reason="基准测试",
                )  # fmt: skip
                s.commit()
            start = time.monotonic()
            while f"AI-{i:03d}" in [m.resource_id for m in live.match("机器视觉", k=50).matches]:
                time.sleep(0.001)
            seconds.append(time.monotonic() - start)
    finally:
        live.close()
    return seconds


def sweep_and_catalog(world: World) -> dict[str, float]:
    """Median milliseconds of five sweeps (the first raises a flag per entry) and catalogs."""
    sweeps, catalogs = [], []
    out = Path(tempfile.mkdtemp()) / "catalog.xlsx"
    for day in range(1, 6):
        with world.sessions() as s:
            start = time.perf_counter()
            run_sweep(session=s, now=at(2026, 4, day, 0, 30))
            s.commit()
            sweeps.append(time.perf_counter() - start)
        with world.sessions() as s:
            start = time.perf_counter()
            write_catalog(build_catalog(session=s, year=2026, as_of=date(2026, 4, 1)), out)
            catalogs.append(time.perf_counter() - start)
            s.rollback()
    return {
        "first_sweep_ms": round(sweeps[0] * 1000, 1),
        "sweep_ms_median": round(statistics.median(sweeps) * 1000, 1),
        "catalog_xlsx_ms_median": round(statistics.median(catalogs) * 1000, 1),
    }


def summary(seconds: list[float]) -> dict[str, float]:
    return {"n": len(seconds), "median_ms": round(statistics.median(seconds) * 1000, 2),
            "max_ms": round(max(seconds) * 1000, 2)}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=200)
    parser.add_argument("--removals", type=int, default=20)
    args = parser.parse_args()
    result: dict[str, object] = {"entries": args.entries}
    world = world_on(f"sqlite:///{tempfile.mkdtemp()}/bench.db", args.entries)
    result["sqlite_sweep_catalog"] = sweep_and_catalog(world)
    result["sqlite_removal_to_gone"] = summary(removal_latency(world, args.removals))
    if postgres_reachable():
        name = f"funeng_bench_{uuid.uuid4().hex[:8]}"
        url = create_database(POSTGRES_URL, name)
        try:
            world = world_on(url, args.removals)
            result["postgresql_removal_to_gone"] = summary(removal_latency(world, args.removals))
        finally:
            drop_database(POSTGRES_URL, name)
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
