"""Test doubles shipped with the library: an encoder whose rankings can be worked out by hand."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from matcher.tokenizer import normalize


class KeywordEncoder:
    """Fake `Encoder`: one dimension per keyword, set when the text contains it (multi-hot).

    The vector is L2-normalised, so the cosine of two texts is |A ∩ B| / sqrt(|A| · |B|) over
    their keyword sets A and B (the keyword fake encoder HOUSE.md takes from sentence-transformers'
    tests). So that every row is a unit vector, a text with no keyword sets one of two spare
    dimensions instead: one for passages, one for queries. A query without keywords is therefore
    orthogonal to every passage (cosine 0), as an off-topic need should be. Keywords are found
    by substring on normalised text (case and width folded).
    """

    def __init__(self, keywords: Sequence[str], *, model_id: str = "keyword-fake") -> None:
        if len(set(keywords)) != len(keywords) or not keywords:
            raise ValueError("keywords must be distinct and non-empty")
        self.keywords = tuple(normalize(k) for k in keywords)
        self.model_id = model_id
        self.dimension = len(self.keywords) + 2
        self.calls = 0  # texts encoded so far, for tests that count encodings

    def keyword_set(self, text: str) -> set[str]:
        """The keywords a text contains."""
        norm = normalize(text)
        return {k for k in self.keywords if k in norm}

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Multi-hot keyword vectors, normalised; no keyword: the query spare dimension."""
        return self._encode(texts, spare=self.dimension - 2)

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Multi-hot keyword vectors, normalised; no keyword: the passage spare dimension."""
        return self._encode(texts, spare=self.dimension - 1)

    def _encode(self, texts: Sequence[str], *, spare: int) -> np.ndarray:
        self.calls += len(texts)
        vectors = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            norm = normalize(text)
            hits = [i for i, k in enumerate(self.keywords) if k in norm]
            vectors[row, hits or [spare]] = 1.0
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors


# Vocabulary of the synthetic corpus: realistic manufacturing phrases, drawn with Zipf-like
# weights (earlier entries much more often) so term frequencies are skewed as in real cases.
CITIES = (
    "东莞",
    "佛山",
    "广州",
    "深圳",
    "中山",
    "惠州",
    "江门",
    "珠海",
    "汕头",
    "肇庆",
    "揭阳",
    "清远",
)
PRODUCTS = (
    "注塑件",
    "五金件",
    "家具",
    "陶瓷",
    "电子元器件",
    "锂电池",
    "小家电",
    "服装",
    "汽车零部件",
    "食品",
    "精密模具",
    "LED灯具",
    "PCB板",
    "医疗器械",
    "纺织面料",
    "塑料包装",
    "涂料",
    "玩具",
)
TECHNIQUES = (
    "机器视觉缺陷检测",
    "MES制造执行系统",
    "ERP系统",
    "数字孪生工厂",
    "能耗管理平台",
    "工业互联网平台",
    "设备预测性维护",
    "跨境电商运营",
    "直播电商",
    "品牌定位策划",
    "精益生产咨询",
    "设备联网与数据采集",
    "质量追溯系统",
    "智能仓储WMS",
    "AGV物流",
    "工业机器人集成",
    "注塑成型工艺优化",
    "激光焊接",
    "3D打印快速原型",
    "仿真分析",
    "SCADA监控",
    "PLM研发管理",
    "AI质检",
    "供应链协同平台",
    "碳足迹核算",
    "私域流量运营",
    "工业设计",
    "六西格玛",
    "APS高级排程",
    "视觉定位引导",
)
ACTIONS = ("部署", "实施", "上线", "搭建", "改造升级", "集成", "导入", "定制开发")
RESULTS = (
    "良品率提升{n}%",
    "能耗降低{n}%",
    "交付周期缩短{n}天",
    "减少人工{n}人",
    "库存周转提升{n}%",
    "海外订单增长{n}%",
    "设备综合效率提升{n}个百分点",
    "不良率下降{n}%",
    "产能提升{n}%",
    "客户投诉减少{n}%",
    "线上销售额增长{n}%",
    "质检效率提升{n}倍",
)
EXTRAS = (
    "项目周期{n}个月",
    "客户反馈良好",
    "获得省级示范项目",
    "已在多个产业集群推广",
    "支持私有化部署",
    "提供驻场服务",
    "兼容主流PLC与传感器",
    "数据接入云平台",
)


def _zipf(rng: np.random.Generator, items: Sequence[str], size: int) -> list[str]:
    weights = 1.0 / np.arange(1, len(items) + 1)
    picks = rng.choice(len(items), size=size, p=weights / weights.sum())
    return [items[i] for i in picks]


def synthetic_case(rng: np.random.Generator) -> str:
    """One synthetic application-case text in Chinese (2 to 6 sentences)."""
    city, product = _zipf(rng, CITIES, 1)[0], _zipf(rng, PRODUCTS, 1)[0]
    sentences = [
        f"为{city}某{product}企业{_zipf(rng, ACTIONS, 1)[0]}{_zipf(rng, TECHNIQUES, 1)[0]}"
    ]
    for _ in range(int(rng.integers(1, 6))):
        kind = rng.random()
        if kind < 0.4:
            sentences.append(f"{_zipf(rng, ACTIONS, 1)[0]}{_zipf(rng, TECHNIQUES, 1)[0]}")
        elif kind < 0.8:
            sentences.append(_zipf(rng, RESULTS, 1)[0].format(n=int(rng.integers(3, 60))))
        else:
            sentences.append(_zipf(rng, EXTRAS, 1)[0].format(n=int(rng.integers(2, 18))))
    return "，".join(sentences) + "。"


def synthetic_corpus(n: int, *, seed: int) -> list[str]:
    """n synthetic case texts, reproducible from the seed."""
    rng = np.random.default_rng(seed)
    return [synthetic_case(rng) for _ in range(n)]


def synthetic_needs(n: int, *, seed: int) -> list[str]:
    """n synthetic needs (a product, one to three techniques, sometimes a city)."""
    rng = np.random.default_rng(seed)
    needs = []
    for _ in range(n):
        techniques = "和".join(_zipf(rng, TECHNIQUES, int(rng.integers(1, 4))))
        place = f"{_zipf(rng, CITIES, 1)[0]}的" if rng.random() < 0.5 else ""
        needs.append(f"我们是{place}{_zipf(rng, PRODUCTS, 1)[0]}工厂，想做{techniques}")
    return needs
