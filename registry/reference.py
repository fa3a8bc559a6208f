"""Reference vocabularies of the Measures: directions, forms, cities, industries, org types."""

from __future__ import annotations

from enum import StrEnum


class Direction(StrEnum):
    """Art.5 enabling directions (赋能方向)."""

    AI = "人工智能应用"
    RND = "研发创新"
    MANUFACTURING = "制造生产"
    BRAND = "品牌建设"
    MARKET = "市场销售"
    COMPREHENSIVE = "综合赋能"


class Form(StrEnum):
    """Art.2 resource forms (资源形态)."""

    CORE_TECHNOLOGY = "核心技术"
    STANDARD_PRODUCT = "标准化产品"
    INTEGRATED_SOLUTION = "集成服务方案"


class OrgType(StrEnum):
    """Kinds of applicant organisation; several are exempt from the Art.7(2) revenue test."""

    ENTERPRISE = "企业"
    UNIVERSITY = "高等院校"
    RESEARCH_INSTITUTE = "科研院所"
    NEW_RND_INSTITUTION = "新型研发机构"
    CENTRAL_SOE = "中央直属企业"
    PROVINCIAL_SOE = "省属企业"
    PUBLIC_INSTITUTION = "其他事业单位"


class Scale(StrEnum):
    """Enterprise scale (企业规模) as registered under Art.8."""

    LARGE = "大型"
    MEDIUM = "中型"
    SMALL = "小型"
    MICRO = "微型"


# The 21 prefecture-level cities of Guangdong with their administrative division codes
# (the 3rd-8th characters of a unified social credit code registered there).
GUANGDONG_CITIES: dict[str, str] = {
    "广州市": "440100",
    "韶关市": "440200",
    "深圳市": "440300",
    "珠海市": "440400",
    "汕头市": "440500",
    "佛山市": "440600",
    "江门市": "440700",
    "湛江市": "440800",
    "茂名市": "440900",
    "肇庆市": "441200",
    "惠州市": "441300",
    "梅州市": "441400",
    "汕尾市": "441500",
    "河源市": "441600",
    "阳江市": "441700",
    "清远市": "441800",
    "东莞市": "441900",
    "中山市": "442000",
    "潮州市": "445100",
    "揭阳市": "445200",
    "云浮市": "445300",
}

# Outside Guangdong: Art.16 sends these applicants straight to the province.
OUTSIDE_GUANGDONG = "省外"

REGIONS: dict[str, tuple[str, ...]] = {
    "珠三角": (
        "广州市", "深圳市", "珠海市", "佛山市", "惠州市", "东莞市", "中山市", "江门市", "肇庆市",
    ),
    "粤东": ("汕头市", "汕尾市", "潮州市", "揭阳市"),
    "粤西": ("阳江市", "湛江市", "茂名市"),
    "粤北": ("韶关市", "河源市", "梅州市", "清远市", "云浮市"),
}

# GB/T 4754-2017 section C (manufacturing), divisions 13-43.
INDUSTRIES: dict[str, str] = {
    "C13": "农副食品加工业",
    "C14": "食品制造业",
    "C15": "酒、饮料和精制茶制造业",
    "C16": "烟草制品业",
    "C17": "纺织业",
    "C18": "纺织服装、服饰业",
    "C19": "皮革、毛皮、羽毛及其制品和制鞋业",
    "C20": "木材加工和木、竹、藤、棕、草制品业",
    "C21": "家具制造业",
    "C22": "造纸和纸制品业",
    "C23": "印刷和记录媒介复制业",
    "C24": "文教、工美、体育和娱乐用品制造业",
    "C25": "石油、煤炭及其他燃料加工业",
    "C26": "化学原料和化学制品制造业",
    "C27": "医药制造业",
    "C28": "化学纤维制造业",
    "C29": "橡胶和塑料制品业",
    "C30": "非金属矿物制品业",
    "C31": "黑色金属冶炼和压延加工业",
    "C32": "有色金属冶炼和压延加工业",
    "C33": "金属制品业",
    "C34": "通用设备制造业",
    "C35": "专用设备制造业",
    "C36": "汽车制造业",
    "C37": "铁路、船舶、航空航天和其他运输设备制造业",
    "C38": "电气机械和器材制造业",
    "C39": "计算机、通信和其他电子设备制造业",
    "C40": "仪器仪表制造业",
    "C41": "其他制造业",
    "C42": "废弃资源综合利用业",
    "C43": "金属制品、机械和设备修理业",
}


def is_guangdong_city(name: str) -> bool:
    """True for one of the 21 prefecture-level cities of Guangdong."""
    return name in GUANGDONG_CITIES
