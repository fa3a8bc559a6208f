"""Chinese tokenizer for documents and needs: a private jieba with the domain dictionary.

Text is normalised one character for one character (full-width to half-width, Latin to lower
case) so that every token keeps offsets into the original text, which highlighting needs. Words
are cut by jieba without its HMM (unknown words fall apart into dictionary words and characters
the same way in documents and needs, instead of depending on context), Latin runs split by a
dictionary word are glued back ("email" must not yield "ai"), then search mode adds the
dictionary 2- and 3-grams inside long words (jieba's `cut_for_search`). Punctuation, spaces and
stop words are dropped.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import re
from dataclasses import dataclass
from pathlib import Path

# Bump when normalisation or token rules change: it is part of dictionary_hash.
TOKENIZER_VERSION = 1
DATA_DIR = Path(__file__).parent / "data"
USERDICT_PATH = DATA_DIR / "userdict.txt"
STOPWORDS_PATH = DATA_DIR / "stopwords.txt"

_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FULL_WIDTH[0x3000] = 0x20  # ideographic space
_NORMALISE = str.maketrans({**_FULL_WIDTH, **{c: c + 32 for c in range(ord("A"), ord("Z") + 1)}})
_FULL_UPPER = {code: code - 0xFEE0 + 32 for code in range(0xFF21, 0xFF3B)}  # Ａ-Ｚ -> a-z
_NORMALISE.update(_FULL_UPPER)

Span = tuple[str, int, int]
_LATIN = re.compile(r"[0-9a-z]")
_CONTENT = re.compile(r"[^\W_]")  # a letter or digit of any script: not punctuation or space


def normalize(text: str) -> str:
    """Full-width to half-width and lower case, never changing the length (offsets survive)."""
    mapped = text.translate(_NORMALISE)
    lowered = mapped.lower()
    return lowered if len(lowered) == len(mapped) else mapped


def _is_latin(char: str) -> bool:
    return char.isascii() and char.isalnum()


@dataclass(frozen=True, slots=True)
class Token:
    """A normalised token and its [start, end) character offsets into the original text."""

    text: str
    start: int
    end: int


def _read_lines(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [ln.strip() for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]


def parse_userdict(path: Path) -> list[tuple[str, int, str | None]]:
    """Entries (normalised term, frequency, part of speech) of a user dictionary file."""
    entries: list[tuple[str, int, str | None]] = []
    for line in _read_lines(path):
        parts = line.split()
        if len(parts) > 3 or (len(parts) > 1 and not parts[1].isdigit()):
            raise ValueError(f"{path}: bad user dictionary line {line!r}")
        freq = int(parts[1]) if len(parts) > 1 else 1000
        if freq <= 0:
            raise ValueError(f"{path}: frequency must be positive in {line!r}")
        entries.append((normalize(parts[0]), freq, parts[2] if len(parts) > 2 else None))
    return entries


def dictionary_hash(*, userdict: Path, stopwords: Path, hmm: bool) -> str:
    """sha256 of everything that decides the tokens: jieba's version (its dictionary), ours,
    the user dictionary, the stop words and the HMM switch."""
    import jieba

    digest = hashlib.sha256()
    digest.update(f"jieba={jieba.__version__};tokenizer={TOKENIZER_VERSION};hmm={hmm}\n".encode())
    digest.update(userdict.read_bytes() + b"\0" + stopwords.read_bytes())
    return digest.hexdigest()


class Tokenizer:
    """Search-mode tokenizer over a private `jieba.Tokenizer`; build once, share, thread-safe."""

    def __init__(
        self,
        *,
        userdict: Path = USERDICT_PATH,
        stopwords: Path = STOPWORDS_PATH,
        hmm: bool = False,
    ) -> None:
        import jieba

        # jieba logs "Building prefix dict ..." to stderr at DEBUG through its own handler.
        logging.getLogger("jieba").setLevel(logging.WARNING)
        self._hmm = hmm
        self._jieba = jieba.Tokenizer()
        self._jieba.initialize()
        self.userdict_entries = parse_userdict(userdict)
        for term, freq, pos in self.userdict_entries:
            self._jieba.add_word(term, freq, pos)
        # Domain phrases emitted even across jieba's word boundaries (3+ characters, not Latin).
        self._phrase_index: dict[str, list[str]] = {}
        for term, _, _ in self.userdict_entries:
            if len(term) >= 3 and not term.isascii():
                self._phrase_index.setdefault(term[:2], []).append(term)
        self.stopwords = frozenset(normalize(w) for w in _read_lines(stopwords))
        self.dictionary_hash = dictionary_hash(userdict=userdict, stopwords=stopwords, hmm=hmm)

    def tokenize(self, text: str) -> list[Token]:
        """Search-mode tokens of `text` with offsets into it, noise and stop words removed."""
        return [Token(t, s, e) for t, s, e in self._spans(text)]

    def terms(self, text: str) -> list[str]:
        """Only the token texts (what BM25 indexes and queries with)."""
        return [t for t, _, _ in self._spans(text)]

    def words(self, text: str) -> list[Token]:
        """Plain (non-search-mode) words with offsets, noise included; for inspection and tests."""
        return [Token(t, s, e) for t, s, e in self._words(normalize(text))]

    def _spans(self, text: str) -> list[Span]:
        norm = normalize(text)
        freq = self._jieba.FREQ
        spans: list[Span] = []
        for word, start, end in self._words(norm):
            if len(word) > 2 and not word.isascii():
                mixed = _LATIN.search(word) is not None
                for n in (2, 3):
                    for i in range(len(word) - n + 1 if len(word) > n else 0):
                        gram = word[i : i + n]
                        if freq.get(gram) and not (mixed and _cuts_latin(word, i, i + n)):
                            spans.append((gram, start + i, start + i + n))
            spans.append((word, start, end))
        spans.extend(self._phrases(norm, {(s, e) for _, s, e in spans}))
        stop = self.stopwords
        return [span for span in spans if span[0] not in stop and _CONTENT.search(span[0])]

    def _words(self, norm: str) -> list[Span]:
        words: list[Span] = []
        start = 0
        for piece in self._jieba.cut(norm, HMM=self._hmm):
            end = start + len(piece)
            if words and _is_latin(piece[0]) and _is_latin(norm[start - 1]):
                # A dictionary word cut a Latin run apart ("em|ai|l"): glue it back.
                words[-1] = (words[-1][0] + piece, words[-1][1], end)
            else:
                words.append((piece, start, end))
            start = end
        return words

    def _phrases(self, norm: str, seen: set[tuple[int, int]]) -> list[Span]:
        # jieba may cut a domain term apart ("外观缺陷|检测" hides 缺陷检测) and search mode only
        # adds 2- and 3-grams; emit every domain phrase present so documents and needs share it.
        found: list[Span] = []
        index = self._phrase_index
        for start in range(len(norm) - 2):
            candidates = index.get(norm[start : start + 2])
            if candidates is None:
                continue
            for phrase in candidates:
                end = start + len(phrase)
                fresh = norm.startswith(phrase, start) and (start, end) not in seen
                if fresh and not _cuts_latin(norm, start, end):
                    found.append((phrase, start, end))
        return found


def _cuts_latin(word: str, start: int, end: int) -> bool:
    """True when word[start:end] begins or ends inside a run of Latin letters and digits."""
    left = start > 0 and _is_latin(word[start - 1]) and _is_latin(word[start])
    right = end < len(word) and _is_latin(word[end - 1]) and _is_latin(word[end])
    return left or right


@functools.cache
def default_tokenizer() -> Tokenizer:
    """The process-wide tokenizer with the shipped dictionary (built once, ≈ 1 s)."""
    return Tokenizer()
