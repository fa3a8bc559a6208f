"""Reading a need into its context and aspects, by hand."""

from __future__ import annotations

from matcher.aspects import Aspect, aspect_text, join_with_neighbour, split_aspects, split_need


def test_split_at_clauses_conjunctions_and_enumeration_commas() -> None:
    need = (
        "我们是东莞的注塑厂，想用机器视觉做外观缺陷检测，"
        "同时上线MES系统，并通过跨境电商拓展海外市场"
    )
    read = split_need(need)
    assert read.context == ("我们是东莞的注塑厂",)
    assert read.texts() == ["想用机器视觉做外观缺陷检测", "上线MES系统", "通过跨境电商拓展海外市场"]
    assert [a.clause for a in read.aspects] == [1, 2, 3]
    assert split_aspects("数字孪生、能耗管理以及品牌策划？") == ["数字孪生", "能耗管理", "品牌策划"]
    assert split_aspects("需要上线ERP和WMS；另外做直播电商") == ["需要上线ERP", "WMS", "做直播电商"]


def test_a_header_and_an_opening_plant_are_context() -> None:
    read = split_need("贴片车间：AOI误报太多要复判、上料防错、物料仓也想自动化")
    assert read.context == ("贴片车间",)
    assert read.texts() == ["AOI误报太多要复判", "上料防错", "物料仓也想自动化"]
    read = split_need("揭阳不锈钢厨具厂想上自动抛光机，还想在网上接单")
    assert read.context == ("揭阳不锈钢厨具厂",)
    assert read.texts() == ["上自动抛光机", "在网上接单"]
    read = split_need("陶瓷厂想同时做三件事：窑炉省气、砖面缺陷自动检")
    assert read.context == ("陶瓷厂",) and read.texts() == ["窑炉省气", "砖面缺陷自动检"]
    read = split_need("佛山一家做电热水壶的工厂，商标要在海外注册")
    assert read.context == ("佛山一家做电热水壶的工厂",) and read.texts() == ["商标要在海外注册"]


def test_a_wish_ending_in_a_plant_word_is_an_ask() -> None:
    assert split_aspects("想找一家做ERP实施的公司") == ["想找一家做ERP实施的公司"]


def test_budget_schedule_headcount_and_how_to_proceed_are_no_aspects() -> None:
    need = (
        "空压站、屋顶光伏，能不能一起做？员工400人，预算两三百万，年底前上线，"
        "希望能分几个项目同时推进，三件事希望尽量同步推进"
    )
    assert split_aspects(need) == ["空压站", "屋顶光伏"]
    # Anchored: an ask that mentions a year, a headcount or a yes/no question stays.
    for ask in ("今年想上MES", "明年上线MES系统", "400人的工厂上MES", "检测是否漏装"):
        assert split_aspects(ask) == [ask]
    assert split_aspects("第一批每款3000个，3万平方米，约200人") == []
    # "一起" in a list of asks is part of an ask, not a request about the procedure.
    assert split_aspects("把5G网络、产线仿真和自动搬运一起规划") == [
        "把5G网络",
        "产线仿真",
        "自动搬运一起规划",
    ]


def test_a_short_noun_before_a_conjunction_stays_with_the_next_one() -> None:
    assert split_aspects("研发管理：BOM和变更系统、IPD流程") == ["BOM和变更系统", "IPD流程"]
    assert split_aspects("隐患排查和风险分级的系统") == ["隐患排查和风险分级的系统"]
    assert split_aspects("食品厂要做生产追溯和配方防错") == ["做生产追溯", "配方防错"]
    # A time phrase is dropped before it could join anything.
    assert split_aspects("上市前还要做能效标识和节能认证") == ["做能效标识", "节能认证"]


def test_conjunction_characters_inside_words_do_not_split() -> None:
    assert split_aspects("要求及时交付并行工程") == ["要求及时交付并行工程"]
    assert split_aspects("和谐劳动关系与总和成本") == ["和谐劳动关系与总和成本"]


def test_pieces_without_content_and_repeats_are_dropped() -> None:
    keep = lambda piece: piece not in {"谢谢", "麻烦了"}  # noqa: E731
    assert split_aspects("MES，，谢谢！MES；麻烦了", keep=keep) == ["MES"]
    assert split_need("").aspects == () and split_need("，。").context == ()


def test_an_aspect_joins_its_neighbour_in_the_same_clause_only() -> None:
    aspects = [Aspect("先做手板", 0), Aspect("高低温", 1), Aspect("盐雾试验", 1)]
    assert join_with_neighbour(aspects, 1) == (1, Aspect("高低温、盐雾试验", 1))
    assert join_with_neighbour(aspects, 2) == (1, Aspect("高低温、盐雾试验", 1))
    assert join_with_neighbour(aspects, 0) is None


def test_the_dense_model_reads_an_aspect_in_its_context() -> None:
    assert aspect_text(("贴片车间",), "上料防错") == "贴片车间：上料防错"
    assert aspect_text(("食品厂", "常温仓"), "密集存储") == "食品厂，常温仓：密集存储"
    assert aspect_text((), "上料防错") == "上料防错"
