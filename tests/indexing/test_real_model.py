"""With the real model (slow tier): a demo library file loaded through the real pipeline, then
`funeng index build`, `funeng index status` and `funeng match` end to end, sensible matches,
and a certification found by the live index within 2 seconds with real embeddings."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app
from indexing.model_build import FolderState, build_model, check_folder
from indexing.service import IndexOptions, create_live_index
from registry.actor import Actor
from registry.db import make_engine, session_factory
from registry.services import accounts
from registry.services.accounts import find_user
from registry.storage import FileStore
from tests.db.factories import FAST_HASHER
from tests.indexing.registry_world import certify

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[2]
MODEL = REPO / "var" / "models" / "multilingual-e5-small"
DEMO = REPO / "data" / "demo"
VISION = "我们是东莞的注塑厂，想用机器视觉做外观缺陷检测"


@pytest.fixture(scope="module")
def model_dir() -> Path:
    """The project's model folder, built offline with the model-build code when missing."""
    if check_folder(MODEL, sources=[]).state is not FolderState.COMPLETE:
        build_model(out_dir=MODEL, now=datetime.now(UTC), if_missing=True)
    return MODEL


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory, model_dir: Path) -> Iterator[Path]:
    """A migrated SQLite database with data/demo/library/ai_01.yaml loaded, and settings."""
    var = tmp_path_factory.mktemp("var")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FUNENG_DATABASE_URL", f"sqlite:///{var / 'funeng.db'}")
        patch.setenv("FUNENG_VAR_DIR", str(var))
        patch.setenv("FUNENG_INDEX__DIR", str(var / "index"))
        patch.setenv("FUNENG_MODEL__PATH", str(model_dir))
        patch.setattr(accounts, "DEFAULT_HASHER", FAST_HASHER)
        assert invoke("registry", "migrate")[0] == 0
        code, output = invoke(
            "registry",
            "load",
            str(DEMO / "library" / "ai_01.yaml"),
            "--batches",
            str(DEMO / "batches.yaml"),
            "--users",
            str(DEMO / "users.yaml"),
        )
        assert code == 0, output
        yield var


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def test_index_build_status_and_match(deployment: Path) -> None:
    code, first_build = invoke("index", "build")
    assert code == 0, first_build
    assert "已从资源库构建索引" in first_build and "multilingual-e5-small@sha256:" in first_build
    code, output = invoke("index", "status", "--json")
    assert code == 0, output
    status = json.loads(output[output.index("{") :])
    assert status["dimension"] == 384 and status["pending_events"] == 0
    assert status["counts"]["resources"] >= 10
    code, output = invoke("match", VISION, "--city", "深圳", "-k", "5")
    assert code == 0, output
    assert "需求：" + VISION in output and "检索依据：" in output and "佐证案例：" in output
    code, output = invoke("match", VISION, "-k", "3", "--json")
    response = json.loads(output[output.index("{") :])
    top = response["matches"][0]
    assert {r["name"] for r in top["retrievers"]} == {"bm25", "dense"}
    assert {"缺陷检测", "外观"} & {t["term"] for t in top["matched_terms"]}
    assert "新嵌入的文本：0 篇" not in first_build
    # Rebuilding again re-embeds nothing: every passage comes from the cache.
    code, output = invoke("index", "build", "--rebuild")
    assert code == 0, output
    assert "新嵌入的文本：0 篇" in output


def test_sensible_matches_and_freshness_with_real_embeddings(
    deployment: Path, model_dir: Path
) -> None:
    options = IndexOptions(index_dir=deployment / "index", model=str(model_dir))
    sessions = session_factory(make_engine(f"sqlite:///{deployment / 'funeng.db'}"))
    live = create_live_index(options=options, sessions=sessions)
    try:
        live.open()
        vision = live.match(VISION, k=3)
        assert not vision.no_suitable_resource
        top = live.document(vision.matches[0].resource_id)
        assert top is not None and "检测" in top.text and ("视觉" in top.text or "外观" in top.text)
        battery = live.match("锂电池极片涂布的在线缺陷检测", k=3).matches[0]
        assert "锂电" in live.document(battery.resource_id).title  # type: ignore[union-attr]
        off_topic = live.match("我们想找婚纱摄影和婚礼策划服务", k=3)
        assert off_topic.no_suitable_resource and off_topic.matches == ()
        live.start(poll_interval=0.5)
        need = "手机玻璃盖板高反光曲面的划痕视觉检测"
        with sessions() as s:
            staff = Actor.of(find_user(session=s, username="province-staff"))  # type: ignore[arg-type]
            certify(
                s,
                FileStore(deployment / "files"),
                staff,
                n=901,
                code="AI-901",
                title="玻璃盖板曲面划痕视觉检测机",
                summary="高反光玻璃盖板曲面的划痕、崩边视觉检测",
                keywords=("视觉检测", "玻璃盖板"),
            )
        deadline = time.monotonic() + 2.0
        while "AI-901" not in [m.resource_id for m in live.match(need, k=3).matches]:
            assert time.monotonic() < deadline, "a certified resource was not found in time"
            time.sleep(0.02)
    finally:
        live.close()
