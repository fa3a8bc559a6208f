"""Configuration files: shipped ones load, unknown keys and impossible values are refused,
variants and the written default round-trip."""

from __future__ import annotations

from pathlib import Path

import pytest

from evaluation.configuration import (
    CONFIG_DIR,
    EvalConfig,
    TokenizerSpec,
    default_match_config,
    load_config,
    parse_config,
    vary,
    write_config,
)
from evaluation.errors import ConfigInvalid
from matcher.config import MatchConfig


@pytest.mark.parametrize("path", sorted(p for p in CONFIG_DIR.glob("*.yaml") if p.stem != "sweep"))
def test_every_shipped_configuration_loads(path: Path) -> None:
    config = load_config(path)
    assert config.name == path.stem
    assert isinstance(config.match, MatchConfig)


def test_retrievers_of_the_reference_configurations() -> None:
    bm25, dense = load_config(CONFIG_DIR / "bm25.yaml"), load_config(CONFIG_DIR / "dense.yaml")
    assert (bm25.match.use_bm25, bm25.match.use_dense) == (True, False)
    assert (dense.match.use_bm25, dense.match.use_dense) == (False, True)
    score = load_config(CONFIG_DIR / "hybrid-score.yaml").match
    assert (score.fusion, score.bm25_weight, score.dense_weight) == ("score", 0.5, 0.5)


def test_the_service_default_is_default_yaml() -> None:
    assert default_match_config() == load_config(CONFIG_DIR / "default.yaml").match


def test_a_missing_default_falls_back_to_the_matcher_defaults(tmp_path: Path) -> None:
    assert default_match_config(tmp_path / "absent.yaml") == MatchConfig()


@pytest.mark.parametrize(
    ("data", "loc"),
    [
        ({"name": "x", "colour": 1}, "/"),
        ({"match": {"fusion": "borda"}}, "match"),
        ({"match": {"rrf_weight": 1}}, "match"),
        ({"match": {"use_bm25": False, "use_dense": False}}, "match"),
        ({"match": {"confidence": {"dense_floor": 0.9, "dense_ceiling": 0.8}}}, "match"),
        ({"match": {"confidence": {"floor": 0.9}}}, "match.confidence"),
        ({"tokenizer": {"dictionary": "x.txt"}}, "tokenizer"),
        ({"dense_storage": "int8"}, "dense_storage"),
    ],
)
def test_bad_configurations_are_refused(data: dict[str, object], loc: str) -> None:
    with pytest.raises(ConfigInvalid) as caught:
        parse_config(data, default_name="x")
    assert caught.value.loc == loc


def test_errors_from_a_file_name_the_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("match:\n  fusion: borda\n", encoding="utf-8")
    with pytest.raises(ConfigInvalid) as caught:
        load_config(path)
    assert caught.value.loc == f"{path}:match"


def test_vary_changes_fields_and_confidence_thresholds() -> None:
    varied = vary(MatchConfig(), {"fusion": "score", "confidence.min_confidence": 0.3})
    assert varied.fusion == "score"
    assert varied.confidence.min_confidence == 0.3
    assert varied.confidence.dense_floor == MatchConfig().confidence.dense_floor
    with pytest.raises(ConfigInvalid):
        vary(MatchConfig(), {"confidence.min_confidence": 2.0})


def test_a_written_configuration_reads_back_equal(tmp_path: Path) -> None:
    config = EvalConfig(
        name="chosen",
        description="测试",
        model="var/models/x",
        tokenizer=TokenizerSpec(userdict=Path("dict.txt"), hmm=True),
        dense_storage="float16",
        match=vary(MatchConfig(), {"fusion": "weighted_rrf", "bm25_weight": 0.3, "rrf_k": 20}),
    )
    path = tmp_path / "chosen.yaml"
    write_config(path, config, header="chosen on dev\n\nsecond line")
    assert path.read_text(encoding="utf-8").startswith("# chosen on dev\n#\n# second line\n")
    assert load_config(path) == config
