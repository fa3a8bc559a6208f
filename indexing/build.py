"""Building a matcher from library entries, and replacing one resource's documents in it.

Both go through the embedding cache, so only passages whose exact text is new are encoded.
Progress is reported as `progress(stage, done, total)` with the stages `embed` and `index`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from indexing.documents import DocumentFactors, library_documents
from indexing.embed_cache import EmbeddingCache, embed_passages
from matcher.config import MatchConfig
from matcher.dense import DenseStorage
from matcher.hybrid import HybridMatcher
from matcher.tokenizer import Tokenizer
from matcher.types import Document, Encoder
from registry.library import LibraryEntryView

StageProgress = Callable[[str, int, int], None]
INDEX_CHUNK = 2000  # documents per add_documents call: progress, and bounded memory spikes


@dataclass(frozen=True)
class IndexParts:
    """What a matcher is made of, apart from its documents."""

    encoder: Encoder
    tokenizer: Tokenizer
    factors: DocumentFactors
    config: MatchConfig | None = None
    cache: EmbeddingCache | None = None
    threads: int = 1
    embed_batch: int = 64
    dense_storage: DenseStorage = "float32"

    def new_matcher(self) -> HybridMatcher:
        """An empty matcher with these parts."""
        return HybridMatcher(
            tokenizer=self.tokenizer, encoder=self.encoder, config=self.config,
            threads=self.threads, dense_storage=self.dense_storage,
        )  # fmt: skip

    def vectors(
        self, docs: Sequence[Document], progress: StageProgress | None = None
    ) -> np.ndarray:
        """Passage vectors of the documents, through the cache."""
        step = None if progress is None else lambda done, total: progress("embed", done, total)
        return embed_passages(
            self.encoder,
            [d.text for d in docs],
            cache=self.cache,
            batch_size=self.embed_batch,
            progress=step,
        )


def build_matcher(
    views: Sequence[LibraryEntryView], *, parts: IndexParts, progress: StageProgress | None = None
) -> HybridMatcher:
    """A complete new matcher holding the documents of `views`."""
    docs = library_documents(views, parts.factors)
    vectors = parts.vectors(docs, progress)
    matcher = parts.new_matcher()
    if progress is not None:
        progress("index", 0, len(docs))
    for start in range(0, len(docs), INDEX_CHUNK):
        stop = start + INDEX_CHUNK
        matcher.add_documents(docs[start:stop], vectors=vectors[start:stop])
        if progress is not None:
            progress("index", min(stop, len(docs)), len(docs))
    return matcher


def replace_resources(
    matcher: HybridMatcher,
    codes: Sequence[str],
    views: Sequence[LibraryEntryView],
    *,
    parts: IndexParts,
) -> tuple[int, int]:
    """Make the resources `codes` in `matcher` what `views` say (absent: removed).

    Stale documents (of resources gone, or cases no longer there) are removed first; then the
    current documents are added, replacing same-id ones in one step, so a resource that stays
    is never missing from a search. Returns (documents added, documents removed).
    """
    docs = library_documents(views, parts.factors)
    keep = {d.doc_id for d in docs}
    stale = [d for code in codes for d in matcher.corpus.doc_ids_of(code) if d not in keep]
    vectors = parts.vectors(docs)  # before touching the matcher: encoding may take a while
    removed = matcher.remove_documents(stale) if stale else 0
    if docs:
        matcher.add_documents(docs, vectors=vectors)
    return len(docs), removed
