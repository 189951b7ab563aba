from __future__ import annotations

import subprocess
import sys
import threading

import attrs
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from k2nutrition import Q_, Food, FoodTable, UnknownFoodError, Vitamer, VitaminK, foods
from k2nutrition.errors import AmountTypeError, DataError, DimensionError, K2NutritionError
from k2nutrition.food import (
    FOOD_COLUMNS,
    VALUE_COLUMNS,
    AmbiguousFoodError,
    Cofactor,
    FoodValue,
    _food_from_rows,
    fold_name,
    unknown_vitamers,
)
from k2nutrition.sources import get_source

from .helpers import assert_quantity_close


def test_natto_by_any_name_is_one_record() -> None:
    record = foods["natto"]
    for key in ["纳豆", "納豆", "  NATTO ", "Natto", "ｎａｔｔｏ", "natto-kamao-2007"]:
        assert foods[key] is record


def test_natto_portion_gives_mk7_with_its_source() -> None:
    natto = foods["纳豆"]
    portion = natto.portion("40 g")
    assert_quantity_close(portion[Vitamer.MK7], 375.6, "µg")
    assert natto.source.id == "kamao-2007"
    assert natto.source.doi == "10.3177/jnsv.53.464"
    assert str(natto.confidence) == "high"


def test_portion_of_an_array_of_amounts() -> None:
    out = foods["natto"].portion(Q_(np.array([10.0, 40.0]), "g"))
    np.testing.assert_allclose(out[Vitamer.MK7].to("µg").magnitude, [93.9, 375.6])


def test_get_returns_none_or_default() -> None:
    assert foods.get("no such food") is None
    assert foods.get("no such food", foods["natto"]) is foods["natto"]
    assert foods.get(42) is None  # type: ignore[call-overload]


def test_unknown_food_suggests_close_names() -> None:
    with pytest.raises(UnknownFoodError) as info:
        foods["nato"]
    assert "natto" in info.value.suggestions
    assert "did you mean 'natto'" in str(info.value)
    assert isinstance(info.value, LookupError)
    assert isinstance(info.value, K2NutritionError)


def test_unknown_food_without_suggestions() -> None:
    with pytest.raises(UnknownFoodError, match=r"foods.search"):
        foods["qqqqqqqqqqqq"]


def test_search_iteration_and_len() -> None:
    cheeses = foods.search("cheese")
    assert cheeses
    assert all(
        "cheese" in " ".join(fold_name(n) for n in (*f.names, f.id, f.group)) for f in cheeses
    )
    assert foods.search("douchi")[0].food == "douchi"
    assert len(list(foods)) == len(foods) >= 40
    assert len(foods.keys) >= 40
    assert foods.search("cheese", group="milk") == []


def test_records_lists_disagreeing_sources_preferred_first() -> None:
    natto_records = foods.records("natto")
    curated = [r for r in natto_records if r.food == "natto"]
    assert len(curated) > 1
    assert natto_records[0].preferred
    assert not any(r.preferred for r in curated[1:])
    # the curated records come first, then FoodData Central's natto
    assert natto_records[: len(curated)] == tuple(curated)
    others = natto_records[len(curated) :]
    assert {r.source.id for r in others} == {"fdc-sr-legacy", "fdc-fndds"}


def test_every_curated_food_key_leads_to_its_records() -> None:
    # A food key names exactly one food: it resolves, its preferred record first
    # (the docs' reference pages walk every key this way).
    for key in foods.keys:
        records = foods.records(key)
        assert records[0].food == key
        assert records[0].preferred
        assert foods[key] is records[0]


def test_totals_are_not_stored_as_a_vitamer() -> None:
    milk = foods["milk-whole-fu-2017"]
    assert len(milk.content) == 0  # no vitamer: Fu 2017 reports total vitamin K only
    assert_quantity_close(milk.content.total, 38.1, "µg/hg")
    douchi = foods["豆豉"]
    assert Vitamer.MK7 not in douchi.content
    assert_quantity_close(douchi.content.k2, 437.55, "µg/hg")


def test_units_are_converted_on_load() -> None:
    # 468 µg/kg as printed is 46.8 µg/100 g
    assert_quantity_close(foods["emmental"].content[Vitamer.MK9_4H], 46.8, "µg/hg")
    original = next(v for v in foods["emmental"].values if v.component is Vitamer.MK9_4H)
    assert original.unit == "ug/kg"
    assert original.value == 468


def test_a_volume_needs_a_density() -> None:
    douchi = foods["douchi"]
    assert douchi.density is None
    with pytest.raises(DimensionError, match="no density is known"):
        douchi.portion("250 mL")
    # milk's density is read from the weight of its cup (244 g per US cup)
    assert foods["milk-whole"].density is not None


def test_a_volume_works_with_a_density() -> None:
    base = foods["milk-whole-fu-2017"]
    with_density = attrs.evolve(base, density=Q_(1.03, "g/mL"))
    assert_quantity_close(with_density.portion("100 mL").total, 38.1 * 1.03, "µg")


def test_bad_portions() -> None:
    with pytest.raises(AmountTypeError, match="amount needs a mass or volume"):
        foods["natto"].portion(40)  # type: ignore[arg-type]
    with pytest.raises(DimensionError):
        foods["natto"].portion("40 s")


def test_to_frame() -> None:
    frame = foods.to_frame()
    assert frame.loc["natto-kamao-2007", "MK-7 (µg/100 g)"] == pytest.approx(939)
    assert frame.loc["natto-kamao-2007", "source"] == "kamao-2007"
    assert len(frame) == len(foods)


def test_custom_table_and_rules() -> None:
    natto = foods["natto"]
    table = FoodTable([natto])
    assert table["纳豆"] is natto
    copy = attrs.evolve(natto, id="natto-copy")
    with pytest.raises(DataError, match="exactly one preferred"):
        FoodTable([natto, copy])
    with pytest.raises(TypeError):
        FoodTable()


def test_food_validation() -> None:
    with pytest.raises(DimensionError, match="content per 100 g"):
        Food(
            id="x",
            food="x",
            name="X",
            content=VitaminK({"K1": "3 µg"}),
            source=get_source("kamao-2007"),
        )


def test_fold_name() -> None:
    assert fold_name("  Crème  Fraîche ") == "creme fraiche"
    assert fold_name("ＮＡＴＴＯ") == "natto"
    assert fold_name("ナットウ") == "ナットウ"  # kana keep their marks
    assert fold_name("ドーナツ") != fold_name("トーナツ")


def test_loading_is_lazy_and_import_reads_no_data() -> None:
    code = (
        "import sys, k2nutrition\n"
        "assert 'pint' not in sys.modules, 'pint imported'\n"
        "from k2nutrition import foods\n"
        "assert not foods.loaded\n"
        "print(len(foods))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert int(out.stdout) >= 40


def test_loading_is_thread_safe() -> None:
    table = FoodTable(loader=lambda: list(foods))
    results: list[Food] = []
    barrier = threading.Barrier(16)

    def work() -> None:
        barrier.wait()
        results.append(table["natto"])

    threads = [threading.Thread(target=work) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 16
    assert all(r is results[0] for r in results)


@given(grams=st.floats(min_value=0, max_value=1e5), k=st.floats(min_value=0, max_value=100))
def test_a_portion_is_linear_in_its_amount(grams: float, k: float) -> None:
    natto = foods["natto"]
    one = natto.portion(Q_(grams, "g")).total.to("µg").magnitude
    scaled = natto.portion(Q_(grams * k, "g")).total.to("µg").magnitude
    assert scaled == pytest.approx(one * k, rel=1e-9, abs=1e-9)


@given(food=st.sampled_from(sorted(f.id for f in foods)))
def test_every_record_gives_a_portion(food: str) -> None:
    record = foods[food]
    portion = record.portion("100 g")
    assert portion.total.to("µg").magnitude == pytest.approx(
        record.content.total.to("µg/hg").magnitude
    )


# -- three states: a value, not detected, not analysed ---------------------------------


def _food_row(**extra: str) -> dict[str, str]:
    row = dict.fromkeys(FOOD_COLUMNS, "")
    row.update(
        id="milk-test",
        food="test milk",
        preferred="true",
        name="Test milk",
        group="milk",
        basis="as sold",
        _line="2",
    )
    row.update(extra)
    return row


def _value_row(
    component: str, value: str, unit: str = "ug/(100 g)", **extra: str
) -> dict[str, str]:
    row = dict.fromkeys(VALUE_COLUMNS, "")
    row.update(
        food_id="milk-test",
        component=component,
        value=value,
        unit=unit,
        source_id="kamao-2007",
        location="Table 1",
        confidence="high",
        _line="3",
    )
    row.update(extra)
    return row


def test_a_record_keeps_values_not_detected_and_not_analysed_apart() -> None:
    food = _food_from_rows(
        _food_row(),
        [
            _value_row("K1", "0"),  # a measured zero
            _value_row("MK-4", "nd", value_high="0.2", notes="below the limit of detection"),
            _value_row("calcium", "119", "mg/(100 g)"),
        ],
    )
    # measured zero and not detected both count as zero and are known
    assert_quantity_close(food.content.k1, 0, "µg/hg")
    assert_quantity_close(food.content.amount("MK-4"), 0, "µg/hg")
    assert Vitamer.K1 not in food.content.not_analysed
    assert Vitamer.MK4 not in food.content.not_analysed
    # not detected stays visible in the record, with its limit
    (nd,) = food.not_detected
    assert nd.component is Vitamer.MK4
    assert nd.value is None
    assert nd.limit == 0.2
    # everything without a row is not analysed, vitamin D included
    assert Vitamer.MK7 in food.content.not_analysed
    assert "MK-7" in food.not_analysed
    assert "vitamin D" in food.not_analysed
    assert "calcium" not in food.not_analysed
    assert food.vitamin_d is None
    assert food.calcium is not None
    assert_quantity_close(food.calcium, 119, "mg/hg")


def test_a_pool_makes_its_forms_known() -> None:
    food = _food_from_rows(_food_row(), [_value_row("total_MK", "5")])
    assert food.content.not_analysed == {Vitamer.K1, Vitamer.DIHYDRO_K1}
    whole = _food_from_rows(_food_row(), [_value_row("total_K", "5")])
    assert whole.content.not_analysed == frozenset()
    assert unknown_vitamers(list(Vitamer), []) == frozenset()


def test_vitamin_d_in_another_unit_is_converted() -> None:
    food = _food_from_rows(_food_row(), [_value_row("vitamin_D", "1.5", "ug/kg")])
    assert food.vitamin_d is not None
    assert_quantity_close(food.vitamin_d, 0.15, "µg/hg")
    assert food.cofactor("vitamin_D") is food.vitamin_d
    with pytest.raises(DataError, match="not a bone cofactor"):
        food.cofactor("K1")


def test_a_component_twice_is_refused() -> None:
    with pytest.raises(DataError, match="appears twice"):
        _food_from_rows(
            _food_row(),
            [_value_row("calcium", "1", "mg/(100 g)"), _value_row("calcium", "2", "mg/(100 g)")],
        )


def test_calcium_and_vitamin_d_may_name_their_own_source() -> None:
    food = _food_from_rows(
        _food_row(),
        [
            _value_row("MK-7", "939"),
            _value_row("calcium", "217.0", "mg/(100 g)", source_id="fdc-sr-legacy"),
            _value_row("vitamin_D", "0.0", source_id="fdc-sr-legacy", confidence="medium"),
        ],
    )
    assert food.source.id == "kamao-2007"  # the vitamin K source
    assert food.source_of("MK-7") is food.source
    assert food.source_of("calcium") == get_source("fdc-sr-legacy")
    assert food.source_of("vitamin_D") == get_source("fdc-sr-legacy")
    assert food.source_of("K1") is None  # no figure
    assert [s.id for s in food.sources] == ["kamao-2007", "fdc-sr-legacy"]
    assert food.confidence.value == "high"  # of the vitamin K figures; the others keep theirs
    assert food.calcium is not None
    assert_quantity_close(food.calcium, 217, "mg/hg")
    # a figure of the record's own source names none of its own
    same = _food_from_rows(
        _food_row(), [_value_row("MK-7", "939"), _value_row("calcium", "5", "mg/(100 g)")]
    )
    assert all(v.source is None for v in same.values)
    assert same.sources == (same.source,)


def test_vitamin_k_figures_share_one_source() -> None:
    with pytest.raises(DataError, match="several sources"):
        _food_from_rows(
            _food_row(),
            [_value_row("MK-7", "939"), _value_row("K1", "1", source_id="fdc-sr-legacy")],
        )
    with pytest.raises(DataError, match="only calcium and vitamin D may name another source"):
        Food(
            id="x",
            food="x",
            name="X",
            content=VitaminK({"K1": "1 µg/100 g"}),
            source=get_source("kamao-2007"),
            values=[FoodValue("K1", 1, "ug/(100 g)", source="fdc-sr-legacy")],
        )
    value = FoodValue("calcium", 123, "mg/(100 g)", source=get_source("fdc-fndds"))
    assert value.source == get_source("fdc-fndds")
    assert FoodValue("calcium", 123, "mg/(100 g)", source="").source is None


def test_milk_counts_fdc_calcium_from_its_own_source() -> None:
    milk = foods["milk"]
    assert milk.source.id == "k2viewer"
    assert milk.calcium is not None
    assert_quantity_close(milk.calcium, 123.0, "mg/hg")
    assert milk.source_of("calcium").id == "fdc-fndds"  # type: ignore[union-attr]
    assert "Source of calcium, vitamin D: " in str(milk)
    assert "FoodData Central" in milk._repr_html_()
    frame = foods.to_frame()
    row = frame.loc[milk.id]
    assert (row["source"], row["calcium source"], row["vitamin_D source"]) == (
        "k2viewer",
        "fdc-fndds",
        "fdc-fndds",
    )
    assert frame.loc["miso-schurgers-vermeer-2000", "calcium source"] == ""


def test_food_value_not_detected() -> None:
    nd = FoodValue("MK-4", "ND", "ug/(100 g)", high=0.5)
    assert nd.not_detected
    assert nd.limit == 0.5
    assert nd.quantity.magnitude == 0
    measured = FoodValue("MK-4", "0", "ug/(100 g)", high=0.5)
    assert not measured.not_detected
    assert measured.limit is None
    assert FoodValue("calcium", 1, "mg/(100 g)").component is Cofactor.CALCIUM
    assert str(Cofactor.VITAMIN_D) == "vitamin_D"
    assert Cofactor.VITAMIN_D.label == "vitamin D"


def test_food_calcium_and_vitamin_d_are_contents() -> None:
    natto = foods["natto"]
    made = attrs.evolve(natto, calcium="90 mg/(100 g)", vitamin_d=Q_(0, "µg/g"))
    assert_quantity_close(made.calcium, 90, "mg/hg")
    assert_quantity_close(made.vitamin_d, 0, "µg/hg")
    assert "calcium" not in made.not_analysed
    assert "vitamin D" not in made.not_analysed
    with pytest.raises(DimensionError):
        attrs.evolve(natto, calcium="90 mg")


# -- the built-in table at scale: FoodData Central beside the curated records ---------------


@pytest.mark.parametrize(
    ("name", "fdc_record"),
    [
        ("kale", "fdc-sr-legacy-kale-raw"),
        ("小白菜", "fdc-sr-legacy-cabbage-chinese-pak-choi-raw"),
        ("豆腐", "fdc-fndds-soybean-curd"),
        ("soybean oil", "fdc-sr-legacy-oil-soybean-salad-or-cooking"),
    ],
)
def test_everyday_names_resolve_with_sourced_k1(name: str, fdc_record: str) -> None:
    food = foods[name]
    assert food.content.k1.magnitude > 0
    (value,) = [v for v in food.values if v.component is Vitamer.K1]
    assert value.value is not None
    assert_quantity_close(food.content.k1, value.quantity.to("µg/hg").magnitude, "µg/hg")
    assert value.location
    assert food.source.citation
    # FoodData Central's record of the food is among the records the name leads to
    records = foods.records(name)
    assert fdc_record in [f.id for f in records]
    fdc = foods[fdc_record]
    assert str(fdc.confidence) == "medium"
    assert fdc.source.id in {"fdc-sr-legacy", "fdc-fndds", "fdc-foundation"}
    # curated, cited records stay preferred where both describe the food
    if food.source.id not in {"fdc-sr-legacy", "fdc-fndds", "fdc-foundation"}:
        assert records[0] is food
        assert food.id in {f.id for f in foods.subset(data_sets=["curated"])}


def test_the_table_holds_over_5000_foods() -> None:
    assert len(foods) > 5000
    assert len(foods.keys) > 5000
    sets = foods.data_sets
    assert sets["curated"] >= 80
    assert sets["survey_fndds_food"] > 3000
    assert sum(sets.values()) == len(foods)


def test_fdc_records_keep_unknown_apart_from_zero() -> None:
    fndds = foods["fdc-fndds-kale-raw"]
    assert Vitamer.MK4 in fndds.content.not_analysed  # FNDDS reports no MK-4
    assert "MK-4" in fndds.not_analysed
    sr = foods["fdc-sr-legacy-kale-raw"]
    assert Vitamer.MK4 not in sr.content.not_analysed
    assert sr.calcium is not None
    assert_quantity_close(sr.calcium, 254, "mg/hg")
    soy = foods["fdc-foundation-oil-soybean"]  # reports no vitamin K, calcium or vitamin D
    assert soy.calcium is None
    assert soy.vitamin_d is None
    assert soy.content.not_analysed == frozenset(Vitamer)


def test_a_name_lists_every_record_curated_first() -> None:
    natto = foods.records("natto")
    assert natto[0].id == "natto-kamao-2007"
    ids = [f.id for f in natto]
    assert ids.index("natto-nih-ods") < ids.index("fdc-sr-legacy-natto")
    # primary (SR Legacy) before secondary (FNDDS) data
    assert ids.index("fdc-sr-legacy-natto") < ids.index("fdc-fndds-natto")


def test_subset_keeps_a_data_set_or_source() -> None:
    us = foods.subset(data_sets=["fdc"])
    assert us["kale"].id == "fdc-sr-legacy-kale-raw"
    assert us["natto"].id == "fdc-sr-legacy-natto"
    assert all(f.source.id.startswith("fdc-") for f in us.records("natto"))
    assert len(us) == len(foods) - foods.data_sets["curated"]
    fndds = foods.subset(data_sets="survey_fndds_food")
    assert fndds["natto"].id == "fdc-fndds-natto"
    assert "fdc-sr-legacy-natto" not in fndds
    kamao = foods.subset(sources=["kamao-2007"])
    assert {f.source.id for f in kamao} == {"kamao-2007"}
    assert kamao["natto"].id == "natto-kamao-2007"
    japan = foods.subset(countries=["japan"])
    assert {f.country for f in japan} == {"Japan"}
    with_calcium = foods.subset(data_sets=["curated"], where=lambda f: f.calcium is not None)
    assert all(f.calcium is not None for f in with_calcium)
    with pytest.raises(DataError, match="unknown data set"):
        foods.subset(data_sets=["usda"])
    with pytest.raises(UnknownFoodError):
        foods.subset(data_sets=["curated"])["小白菜"]


def test_prefer_a_country() -> None:
    assert foods["natto"].country == "Japan"
    usa = foods.prefer(country="USA")
    assert usa["natto"].id == "natto-nih-ods"
    assert usa.prefer(country=None)["natto"].id == "natto-kamao-2007"
    assert len(usa) == len(foods)


@pytest.mark.parametrize("word", ["cheese", "奶酪", "芝士", "乳酪", "チーズ"])
def test_generic_words_give_a_list_not_a_stand_in(word: str) -> None:
    with pytest.raises(AmbiguousFoodError, match="names several foods") as caught:
        foods[word]
    assert isinstance(caught.value, UnknownFoodError)
    assert "cheddar" in caught.value.suggestions
    assert not any("yog" in s for s in caught.value.suggestions)
    assert foods.get(word) is None
    assert word not in foods


def test_niu_you_is_butter_or_beef_tallow_by_region_so_it_is_refused() -> None:
    # 牛油 is butter in Hong Kong and Taiwan, and beef tallow in mainland China (牛油火锅)
    with pytest.raises(AmbiguousFoodError, match="names several foods") as caught:
        foods["牛油"]
    assert list(caught.value.suggestions) == ["butter", "beef tallow"]
    assert foods["黄油"] is foods["butter"]
    assert foods["牛脂"].id == "fdc-sr-legacy-fat-beef-tallow"
    assert foods["牛油果"].food != foods["butter"].food  # avocado: the whole name is folded


@pytest.mark.parametrize(
    ("name", "written"),
    [
        ("ナットウ", "なっとう"),
        ("きゃべつ", "キャベツ"),
        ("タマゴ", "たまご"),
        ("ぶろっこりー", "ブロッコリー"),
    ],
)
def test_a_name_in_the_other_kana_leads_to_the_same_food(name: str, written: str) -> None:
    assert name not in foods._index.get().by_key  # not a name as written: read as kana
    assert foods[name] is foods[written]
    assert foods.get(name) is foods[written]
    assert name in foods


def test_suggestions_compare_kana_as_hiragana() -> None:
    assert foods.suggest("ナットー")[0] == "natto"  # なっとう is a name of natto


@pytest.mark.parametrize("name", ["かき", "カキ", "もも", "モモ", "ちーず"])
def test_a_kana_word_for_several_foods_is_refused(name: str) -> None:
    # かき is oyster (牡蠣) or persimmon (柿); もも peach (桃) or thigh (もも肉)
    with pytest.raises(AmbiguousFoodError, match="names several foods"):
        foods[name]
    assert foods.get(name) is None


def test_kanji_names_settle_what_kana_cannot() -> None:
    assert foods["牡蠣"].food == "oyster"
    assert foods["柿"].id == "fdc-sr-legacy-persimmons-japanese-raw"
    assert foods["鶏もも肉"].id == "fdc-foundation-chicken-thigh-boneless-skinless-raw"


@pytest.mark.parametrize("name", ["green pepper", "ピーマン", "ぴーまん", "青椒", "green capsicum"])
def test_green_pepper_is_the_vegetable_not_the_peppercorn(name: str) -> None:
    assert foods[name].id == "fdc-sr-legacy-peppers-sweet-green-raw"
    spice = foods["green peppercorns"]
    assert spice.id == "green-pepper-k2viewer"
    assert foods["青胡椒"] is spice
    assert name not in spice.names


@pytest.mark.parametrize("name", ["uncooked brown rice", "糙米", "玄米"])
def test_raw_grain_names_do_not_lead_to_a_cooked_record(name: str) -> None:
    # the curated brown rice is cooked; FDC's raw brown rice keeps its own names
    assert foods[name].id == "fdc-foundation-rice-brown-long-grain-unenriched-raw"
    assert foods["brown rice"].basis == "cooked"


def test_a_word_for_several_foods_in_a_subset() -> None:
    # a subset that holds one of the word's foods: an unknown name, that food suggested
    fdc = foods.subset(data_sets=["fdc"])
    with pytest.raises(UnknownFoodError) as caught:
        fdc["かき"]
    assert not isinstance(caught.value, AmbiguousFoodError)
    assert caught.value.suggestions[0] == "persimmon"


def test_search_ranks_the_plain_food_first() -> None:
    found = foods.search("kale")
    assert found[0] is foods["kale"]
    assert found[1].id == "fdc-sr-legacy-kale-raw"
    names = [f.name.casefold() for f in found]
    chips = [i for i, n in enumerate(names) if "chips" in n]
    raw = [i for i, n in enumerate(names) if "raw" in n or n == "kale"]
    assert raw
    assert not chips or min(raw) < min(chips)
    assert len(foods.search("kale", limit=3)) == 3


def test_did_you_mean_over_thousands_of_names() -> None:
    with pytest.raises(UnknownFoodError) as caught:
        foods["kael"]
    assert caught.value.suggestions[0] == "kale"
    with pytest.raises(UnknownFoodError) as typo:
        foods["nato"]
    assert typo.value.suggestions == ("natto",)


def test_first_lookup_builds_only_what_it_needs() -> None:
    code = (
        "from k2nutrition import foods\n"
        "foods['kale']\n"
        "index = foods._index.get()\n"
        "print(len(index.built), len(index.ids))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    built, total = map(int, out.stdout.split())
    assert total > 5000
    curated = foods.data_sets["curated"]
    assert built <= curated + 1  # the curated records and the one asked for


def test_to_frame_has_calcium_and_vitamin_d_where_analysed() -> None:
    frame = foods.subset(sources=["fdc-sr-legacy"], where=lambda f: "kale" in f.id).to_frame()
    assert frame.loc["fdc-sr-legacy-kale-raw", "calcium (mg/100 g)"] == pytest.approx(254)
    assert frame["calcium (mg/100 g)"].notna().all()


@pytest.mark.parametrize("query", ["", " ", "\t", "，", "-"])
def test_a_blank_search_is_refused_not_every_record(query: str) -> None:
    with pytest.raises(ValueError, match="search needs a query with a letter or digit"):
        foods.search(query)


def test_a_blank_search_within_a_group_lists_the_group() -> None:
    found = foods.search("", group="cheese")
    assert found
    assert all(f.group == "cheese" for f in found)


def test_table_repr_counts_agree_in_number() -> None:
    from k2nutrition.food import FoodTable

    one = FoodTable([foods["natto"]])
    assert len(one) == 1  # loaded: the repr counts
    assert repr(one) == "FoodTable(1 record of 1 food)"
    assert "records of" in repr(foods)
    assert "," in repr(foods)  # 7,000 and more


@pytest.mark.parametrize(
    "names",
    [
        ("kale", "ケール", "羽衣甘蓝", "curly kale"),
        ("cucumber", "黄瓜"),
        ("eel", "うなぎ"),
        ("scallop", "scallops"),
        ("kimchi", "kimchee", "キムチ"),
        ("cabbage", "キャベツ", "甘蓝"),
        ("canola oil", "rapeseed oil"),
    ],
)
def test_every_name_of_a_food_leads_to_its_curated_record(names: tuple[str, ...]) -> None:
    # the Chinese and Japanese names came with the FoodData Central record of the food: they
    # led there alone, and "ケール 15 g" was judged on other figures than "kale 15 g"
    found = {foods[n].id for n in names}
    assert len(found) == 1, found
    record = foods[names[0]]
    assert record.source.id not in {"fdc-sr-legacy", "fdc-foundation", "fdc-fndds"}
    for n in names:
        ids = [r.id for r in foods.records(n)]
        assert ids[0] == record.id
        assert any(i.startswith("fdc-") for i in ids), n  # the FDC record is still listed


def test_a_name_of_another_curated_food_stays_that_foods() -> None:
    assert foods["trout"].food != foods["rainbow trout"].food
    assert foods["ニジマス"].food == foods["rainbow trout"].food
