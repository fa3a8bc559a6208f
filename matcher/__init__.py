"""Pure retrieval library: tokenizer, BM25, dense search, fusion, explanations, diversity."""
