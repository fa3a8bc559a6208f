"""A small hand-written library of resources and cases for the hybrid matcher tests."""

from __future__ import annotations

from matcher.testing import KeywordEncoder
from matcher.types import Document

KEYWORDS = (
    "机器视觉",
    "缺陷检测",
    "MES",
    "排程",
    "跨境电商",
    "海外",
    "能耗",
    "数字孪生",
    "品牌",
    "预测性维护",
    "仓储",
    "直播",
    "注塑",
    "质量追溯",
    "ERP",
)

# resource id: (title, summary, provider, city, direction, form, industry, cases)
RESOURCES: dict[str, tuple[str, str, str, str, str, str, str, list[str]]] = {
    "R-VIS": (
        "机器视觉外观缺陷检测系统",
        "基于深度学习的机器视觉缺陷检测，适用于注塑件、五金件表面缺陷",
        "P-A",
        "东莞市",
        "人工智能应用",
        "标准化产品",
        "C29",
        ["为东莞某注塑厂部署机器视觉缺陷检测，漏检率降至0.1%", "为佛山某五金企业上线表面缺陷检测"],
    ),
    "R-MES": (
        "离散制造MES系统",
        "MES制造执行系统，覆盖生产排程、质量追溯与设备管理",
        "P-B",
        "广州市",
        "制造生产",
        "标准化产品",
        "C34",
        ["为广州某机械厂上线MES与高级排程，交付周期缩短20%", "为中山某灯具企业实施质量追溯"],
    ),
    "R-ERP": (
        "中小企业ERP与MES一体化",
        "ERP与MES一体化方案，打通订单、库存与生产",
        "P-B",
        "广州市",
        "制造生产",
        "集成服务方案",
        "C38",
        ["为江门某电器企业实施ERP与MES集成"],
    ),
    "R-XB": (
        "跨境电商全案运营",
        "跨境电商独立站与平台运营，帮助工厂拓展海外市场",
        "P-C",
        "深圳市",
        "市场销售",
        "集成服务方案",
        "C18",
        ["为东莞某服装厂开拓海外市场，跨境电商订单增长60%", "为汕头某玩具企业搭建独立站"],
    ),
    "R-LIVE": (
        "直播电商孵化",
        "直播电商与短视频营销，品牌内容与主播孵化",
        "P-C",
        "深圳市",
        "市场销售",
        "集成服务方案",
        "C24",
        ["为揭阳某小家电企业做直播带货，月销售额增长3倍"],
    ),
    "R-EN": (
        "工厂能耗管理平台",
        "能耗监测与能源管理，空压机与变频节能改造",
        "P-D",
        "佛山市",
        "制造生产",
        "标准化产品",
        "C30",
        ["为佛山某陶瓷厂部署能耗管理，单位能耗下降12%"],
    ),
    "R-DT": (
        "数字孪生工厂",
        "数字孪生产线仿真与可视化，支持虚拟调试",
        "P-E",
        "深圳市",
        "研发创新",
        "核心技术",
        "C39",
        ["为深圳某电子厂建设数字孪生车间"],
    ),
    "R-BR": (
        "品牌定位与策划",
        "品牌定位、品牌策划与视觉识别系统设计",
        "P-F",
        "广州市",
        "品牌建设",
        "集成服务方案",
        "C21",
        ["为佛山某家具企业完成品牌升级"],
    ),
    "R-PM": (
        "设备预测性维护",
        "基于振动分析的设备预测性维护与故障诊断",
        "P-A",
        "东莞市",
        "人工智能应用",
        "核心技术",
        "C35",
        ["为东莞某注塑厂的注塑机做预测性维护，停机减少30%"],
    ),
    "R-WMS": (
        "智能仓储WMS",
        "智能仓储管理系统与AGV调度",
        "P-G",
        "惠州市",
        "制造生产",
        "标准化产品",
        "C39",
        ["为惠州某电子厂上线智能仓储"],
    ),
}


def documents(*, warned: frozenset[str] = frozenset()) -> list[Document]:
    """Resource documents and their case documents, facets on the resource documents only."""
    docs: list[Document] = []
    for rid, (
        title,
        summary,
        provider,
        city,
        direction,
        form,
        industry,
        cases,
    ) in RESOURCES.items():
        status = "warned" if rid in warned else "certified"
        docs.append(
            Document(
                doc_id=rid,
                resource_id=rid,
                kind="resource",
                title=title,
                text=f"{title}。{summary}",
                fields=(("summary", summary), ("provider", provider)),
                facets={
                    "city": (city,),
                    "direction": (direction,),
                    "form": (form,),
                    "industry": (industry,),
                    "provider_type": ("企业",),
                    "status": (status,),
                },
                provider_id=provider,
                prior=0.5 if rid in warned else 1.0,
                flags=("warned",) if rid in warned else (),
            )
        )
        for i, case in enumerate(cases, start=1):
            docs.append(
                Document(
                    doc_id=f"{rid}/case-{i}",
                    resource_id=rid,
                    kind="case",
                    title=f"{title}案例{i}",
                    text=case,
                    fields=(("implementation", case),),
                    provider_id=provider,
                )
            )
    return docs


def encoder() -> KeywordEncoder:
    return KeywordEncoder(KEYWORDS)
