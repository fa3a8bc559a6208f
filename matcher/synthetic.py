"""A seeded synthetic Chinese corpus of manufacturing cases, needs and resources.

For tests and benchmarks only. Texts are assembled from realistic phrases of the domain (the
user dictionary's 348 terms among them), each list drawn with Zipf-like weights (the first
entries far more often), so term frequencies are skewed as in real case descriptions: a few
words are in most documents, most words in few. Client names and numbers add a long tail.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from matcher.tokenizer import USERDICT_PATH, parse_userdict
from matcher.types import Document

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
DISTRICTS = (
    "长安镇",
    "虎门镇",
    "顺德区",
    "南海区",
    "番禺区",
    "宝安区",
    "龙岗区",
    "小榄镇",
    "惠阳区",
    "新会区",
    "斗门区",
    "澄海区",
    "高要区",
    "普宁市",
    "英德市",
    "松山湖",
    "增城区",
    "狮山镇",
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
    "不锈钢制品",
    "卫浴洁具",
    "线缆",
    "光学镜头",
    "五金工具",
    "铝型材",
    "化妆品",
    "电机",
    "连接器",
    "包装印刷",
    "鞋服",
    "日化用品",
    "新能源电池",
    "机器人零部件",
)
BRAND_CHARS = "华科美达兴泰宏信创威鼎盛恒源丰利新精艺宝隆瑞康顺和嘉远"
SUFFIXES = ("科技有限公司", "实业有限公司", "制品厂", "电器有限公司", "精密制造有限公司")
PROBLEMS = (
    "原有人工目检效率低、漏检率高",
    "设备数据分散形成信息孤岛",
    "订单交付不稳定",
    "能耗居高不下",
    "库存积压严重",
    "换线时间长",
    "质量问题难以追溯",
    "海外渠道单一",
    "品牌认知度低",
    "工艺参数依赖老师傅经验",
    "设备突发故障导致停机",
    "排产依赖手工表格",
    "招工难用工成本高",
    "客户验厂要求数字化管理",
    "新品研发周期长",
    "线上获客成本高",
)
EQUIPMENT = (
    "注塑机",
    "冲床",
    "CNC加工中心",
    "贴片机",
    "空压机",
    "喷涂线",
    "烘干线",
    "包装线",
    "激光切割机",
    "焊接机器人",
    "AGV小车",
    "立体仓库",
    "检测工位",
    "压铸机",
    "印刷机",
    "织机",
    "窑炉",
    "冷水机组",
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
ACTIONS = ("部署", "实施", "上线", "搭建", "改造升级", "集成", "导入", "定制开发", "规划", "优化")
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
    "停机时间减少{n}%",
    "研发周期缩短{n}%",
    "单位产品碳排放下降{n}%",
    "换线时间缩短{n}分钟",
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
    "入选工业互联网标杆案例",
    "通过客户验收",
    "二期项目已启动",
    "培训操作人员{n}名",
)
DIRECTIONS = ("人工智能应用", "研发创新", "制造生产", "品牌建设", "市场销售", "综合赋能")
FORMS = ("核心技术", "标准化产品", "集成服务方案")
ADVANTAGES = (
    "自主知识产权",
    "支持私有化部署",
    "实施周期短",
    "开箱即用",
    "行业模型丰富",
    "国产化适配",
    "与主流设备兼容",
    "按效果付费",
    "专家驻场",
    "已服务上百家工厂",
)
# Domain terms from the user dictionary, in a fixed shuffled order (its Zipf rank).
_ORDER = np.random.default_rng(0).permutation(len(parse_userdict(USERDICT_PATH)))
DOMAIN_TERMS = tuple(parse_userdict(USERDICT_PATH)[i][0] for i in _ORDER)


def _zipf(rng: np.random.Generator, items: Sequence[str], size: int = 1) -> list[str]:
    weights = 1.0 / np.arange(1, len(items) + 1)
    picks = rng.choice(len(items), size=size, p=weights / weights.sum())
    return [items[i] for i in picks]


def _one(rng: np.random.Generator, items: Sequence[str]) -> str:
    return _zipf(rng, items)[0]


def _client(rng: np.random.Generator) -> str:
    if rng.random() < 0.5:
        return f"{_one(rng, CITIES)}{_one(rng, DISTRICTS)}某{_one(rng, PRODUCTS)}企业"
    brand = "".join(rng.choice(list(BRAND_CHARS), size=2))
    return f"{_one(rng, CITIES)}{brand}{_one(rng, SUFFIXES)}"


def _sentence(rng: np.random.Generator) -> str:
    n = int(rng.integers(2, 60))
    kind = rng.random()
    if kind < 0.3:
        return f"{_one(rng, ACTIONS)}{_one(rng, TECHNIQUES)}"
    if kind < 0.45:
        return f"结合{_one(rng, DOMAIN_TERMS)}与{_one(rng, DOMAIN_TERMS)}"
    if kind < 0.55:
        return f"覆盖{n}台{_one(rng, EQUIPMENT)}"
    if kind < 0.85:
        return _one(rng, RESULTS).format(n=n)
    return _one(rng, EXTRAS).format(n=n)


def synthetic_case(rng: np.random.Generator) -> str:
    """One synthetic application-case text in Chinese (about 40 to 200 characters)."""
    head = f"为{_client(rng)}{_one(rng, ACTIONS)}{_one(rng, TECHNIQUES)}"
    sentences = [head]
    if rng.random() < 0.6:
        sentences.append(f"该企业{_one(rng, PROBLEMS)}")
    sentences += [_sentence(rng) for _ in range(int(rng.integers(1, 8)))]
    return "，".join(sentences) + "。"


def synthetic_corpus(n: int, *, seed: int) -> list[str]:
    """n synthetic case texts, reproducible from the seed."""
    rng = np.random.default_rng(seed)
    return [synthetic_case(rng) for _ in range(n)]


def synthetic_needs(n: int, *, seed: int) -> list[str]:
    """n synthetic needs: a product, one to three techniques or domain terms, maybe a city."""
    rng = np.random.default_rng(seed)
    needs = []
    for _ in range(n):
        wants = [
            _one(rng, TECHNIQUES) if rng.random() < 0.6 else _one(rng, DOMAIN_TERMS)
            for _ in range(int(rng.integers(1, 4)))
        ]
        place = f"{_one(rng, CITIES)}的" if rng.random() < 0.5 else ""
        problem = f"，{_one(rng, PROBLEMS)}" if rng.random() < 0.3 else ""
        needs.append(f"我们是{place}{_one(rng, PRODUCTS)}工厂{problem}，想做{'和'.join(wants)}")
    return needs


def synthetic_resources(resources: int, cases: int, *, seed: int) -> list[Document]:
    """Resource documents with facets plus `cases` case documents spread over them."""
    rng = np.random.default_rng(seed)
    docs = [_resource(rng, i, resources) for i in range(resources)]
    for j in range(cases):
        resource_id = f"R{int(rng.integers(resources))}"
        text = synthetic_case(rng)
        docs.append(
            Document(
                doc_id=f"{resource_id}/C{j}",
                resource_id=resource_id,
                kind="case",
                title=f"案例{j}",
                text=text,
                fields=(("implementation", text),),
            )
        )
    return docs


def _resource(rng: np.random.Generator, i: int, resources: int) -> Document:
    techniques = "、".join(_zipf(rng, TECHNIQUES, int(rng.integers(2, 6))))
    products = "、".join(_zipf(rng, PRODUCTS, int(rng.integers(1, 4))))
    advantages = "，".join(_zipf(rng, ADVANTAGES, int(rng.integers(1, 4))))
    title = f"{_one(rng, TECHNIQUES)}解决方案{i}"
    summary = f"提供{techniques}，面向{products}行业，{advantages}。{synthetic_case(rng)}"
    warned = bool(rng.random() < 0.05)
    return Document(
        doc_id=f"R{i}",
        resource_id=f"R{i}",
        kind="resource",
        title=title,
        text=f"{title}。{summary}",
        fields=(("summary", summary),),
        facets={
            "city": (f"{_one(rng, CITIES)}市",),
            "direction": tuple(sorted(set(_zipf(rng, DIRECTIONS, 2)))),
            "form": (FORMS[int(rng.integers(len(FORMS)))],),
            "industry": (f"C{int(rng.integers(13, 44))}",),
            "provider_type": ("企业",),
            "status": ("warned" if warned else "certified",),
        },
        provider_id=f"P{int(rng.integers(resources // 3 + 1))}",
        prior=0.7 if warned else 1.0,
        flags=("warned",) if warned else (),
    )
