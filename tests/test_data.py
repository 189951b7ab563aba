"""Integrity of the bundled data: every figure has a source, a location and a confidence."""

from __future__ import annotations

import csv
import io
import re
from importlib import resources
from pathlib import Path

import pytest

from k2nutrition import Vitamer, foods, guidelines
from k2nutrition.food import FOOD_COLUMNS, VALUE_COLUMNS
from k2nutrition.sources import SOURCE_COLUMNS, SOURCE_KINDS, Confidence, all_sources

# The curated literature records (foods.csv); the FoodData Central table has its own
# checks in test_fdc_table.py.
CURATED = foods.subset(data_sets=["curated"])

DATA = resources.files("k2nutrition").joinpath("data")


def rows(name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(DATA.joinpath(name).read_text(encoding="utf-8"))))


def test_headers() -> None:
    for name, columns in [
        ("sources.csv", SOURCE_COLUMNS),
        ("foods.csv", FOOD_COLUMNS),
        ("food_values.csv", VALUE_COLUMNS),
    ]:
        with DATA.joinpath(name).open(encoding="utf-8") as f:
            assert tuple(next(csv.reader(f))) == columns, name


def test_every_value_has_a_known_source_location_and_confidence() -> None:
    sources = all_sources()
    for row in rows("food_values.csv"):
        assert row["source_id"] in sources, row
        assert row["location"].strip(), row
        Confidence.parse(row["confidence"])
        if row["value"] == "nd":  # analysed, not detected: a limit, if any, is a number
            assert row["value_high"] == "" or float(row["value_high"]) > 0, row
            assert "detect" in row["notes"].casefold() or "limit" in row["notes"].casefold(), row
        else:
            float(row["value"])  # a number as printed


def test_sources_have_citations() -> None:
    for source in all_sources().values():
        assert source.kind in SOURCE_KINDS
        assert source.title, source.id
        assert source.link or source.notes, source.id
        assert source.citation


def test_ids_unique() -> None:
    ids = [r["id"] for r in rows("foods.csv")]
    assert len(ids) == len(set(ids))
    source_ids = [r["id"] for r in rows("sources.csv")]
    assert len(source_ids) == len(set(source_ids))


def test_every_alias_resolves_to_its_own_food() -> None:
    for record in CURATED:
        if record.preferred:
            for name in record.names:
                assert foods[name].food == record.food, name
        assert foods[record.id] is record


def test_serving_and_density_sources_exist() -> None:
    sources = all_sources()
    for row in rows("foods.csv"):
        for column in ("serving_source_id", "density_source_id"):
            if row[column]:
                assert row[column] in sources


def test_required_foods_present() -> None:
    for name in [
        "natto",
        "douchi",
        "sufu",
        "miso",
        "hard cheese",
        "soft cheese",
        "sauerkraut",
        "egg",
        "butter",
        "heavy cream",
        "milk-whole",
        "yoghurt",
        "chicken",
        "beef",
        "ham",
        "salami",
        "chicken liver",
        "salmon",
        "spinach",
        "broccoli",
        "纳豆",
        "豆豉",
        "腐乳",
        "味噌",
        "鸡肉",
        "牛奶",
        "酸奶",
        "菠菜",
    ]:
        assert name in foods, name


@pytest.mark.parametrize("record", list(CURATED), ids=lambda f: f.id)
def test_each_record_is_one_source(record: object) -> None:
    from k2nutrition.food import Food

    assert isinstance(record, Food)
    assert record.values
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", record.food)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", record.id)
    assert len({v.component for v in record.values}) == len(record.values)


# Plausibility bounds (µg per 100 g) for the data audit, documented in docs/data.md. They are
# guards against unit slips (µg/kg read as µg/100 g, mg as µg), not nutrition facts.
BOUNDS: dict[str, float] = {
    "K1": 1000,
    "dihydro-K1": 200,
    "MK-4": 100,
    "MK-5": 100,
    "MK-6": 100,
    "MK-7": 2000,
    "MK-9(4H)": 100,
    "total_K": 1000,
    "total_MK": 2000,
}
LONG_CHAIN_BOUND = 300.0  # MK-8 ... MK-13


def test_audit_every_value_within_plausible_bounds() -> None:
    for record in CURATED:
        for vitamer, magnitude in record.content.magnitudes().items():
            bound = BOUNDS.get(vitamer.label, LONG_CHAIN_BOUND)
            assert 0 <= float(magnitude) <= bound, (record.id, vitamer.label, magnitude)
        for pool, q in record.content.pools.items():
            assert 0 <= q.magnitude <= BOUNDS[pool.value], (record.id, pool.value)


def test_audit_totals_are_never_filed_as_one_vitamer() -> None:
    # Sources that report only sums of forms are stored as pools, never as vitamers.
    totals_only = {
        "fu-2017",
        "fu-2017-conference",
        "koivu-tikkanen-2000",
        "cn-fermented-bean-vk2-survey",
    }
    for record in foods:
        # Fu et al.'s homologues are known only as compiled in K2viewer; their abstract
        # figures are totals, stored as pools
        # figures of the record's own source (a calcium or vitamin D figure may name another)
        printed = [v for v in record.values if "K2viewer" not in v.location and v.source is None]
        if record.source.id in totals_only and printed:
            assert not any(isinstance(v.component, Vitamer) for v in printed), record.id
            assert record.content.pools, record.id
        for value in record.values:
            if "total" in str(value.component).casefold():
                assert not isinstance(value.component, Vitamer), record.id


def test_audit_sauerkraut_homologues_add_up_to_the_printed_total() -> None:
    kraut = foods["sauerkraut"]
    assert kraut.content.total.to("µg/hg").magnitude == pytest.approx(4.8)
    assert Vitamer.MK7 in kraut.content
    assert kraut.content[Vitamer.MK7].to("µg/hg").magnitude == pytest.approx(0.2)


def test_audit_every_guideline_value_has_a_location_and_confidence() -> None:
    for g in guidelines:
        assert g.source.citation, g.id
        for v in g.values:
            assert v.location, (g.id, v.life_stage)
            assert isinstance(v.confidence, Confidence)


COVERAGE = Path(__file__).resolve().parents[1] / "docs" / "k2viewer_coverage.csv"
MENAQUINONES = {v for v in Vitamer if v.label.startswith("MK-")}


def test_k2viewer_coverage() -> None:
    # Every food of the K2viewer compilation has a counterpart with a cited menaquinone
    # figure, or a reason why not.
    with COVERAGE.open(encoding="utf-8") as f:
        listed = list(csv.DictReader(f))
    names = [r["k2viewer_food"] for r in listed]
    assert len(names) == len(set(names)) > 200
    sources = all_sources()
    for row in listed:
        record_id, reason = row["k2nutrition_record"], row["reason"]
        assert bool(record_id) != bool(reason), row
        if reason:
            assert len(reason) > 20, row
            continue
        record = foods[record_id]
        assert record.id == record_id
        assert record.source.id in sources
        components = {v.component for v in record.values}
        assert components & MENAQUINONES or any(str(c) == "total_MK" for c in components), row


@pytest.mark.parametrize("name", ["gouda", "edam", "brie", "egg yolk", "chicken leg"])
def test_k2_foods_are_vitamer_resolved(name: str) -> None:
    record = foods[name]
    menaquinones = [v for v in record.content if v in MENAQUINONES]
    assert menaquinones, record.id
    assert not record.content.pools, record.id
    assert record.content.k2.magnitude > 0
    assert record.source.citation
    assert all(v.location and v.confidence for v in record.values)


def test_defaults_are_vitamer_resolved() -> None:
    for name in ["egg", "milk", "gouda", "edam", "brie", "camembert"]:
        record = foods[name]
        assert record.preferred
        assert not record.content.pools, (name, record.id)
        assert set(record.content) & MENAQUINONES, (name, record.id)
    # "cheese" names a class of foods: its first candidate is the vitamer-resolved Gouda
    for row in rows("generic_names.csv"):
        if row["name"] in {"cheese", "奶酪", "芝士", "チーズ"}:
            first = foods[row["candidates"].split("|")[0]]
            assert first is foods["gouda"], row
    egg = foods["egg"]
    assert egg.content[Vitamer.MK4].to("µg/hg").magnitude > 10  # not the FDC 0.2
    fdc_egg = foods["egg-usda-fdc-2024"]
    assert not fdc_egg.preferred
    assert fdc_egg.content[Vitamer.MK4].to("µg/hg").magnitude == pytest.approx(0.2)
    # the Fu et al. milk total stays, as a record that is not the default
    assert not foods["milk-whole-fu-2017"].preferred
    assert foods["milk"].id != "milk-whole-fu-2017"


def test_records_keep_their_country() -> None:
    assert foods["gouda"].country == "Netherlands"
    assert foods["chicken leg"].country == "Australia"
    assert foods["egg"].country == "Denmark"
    assert foods["soft-cheese-fu-2017"].country == "USA"
    assert foods["brie"].country == ""  # a mean over several countries' sources
    assert "several sources" in foods["brie"].notes


def test_new_foods_have_chinese_and_japanese_names() -> None:
    for name, zh, ja in [
        ("gouda", "高达奶酪", "ゴーダチーズ"),
        ("edam", "伊丹奶酪", "エダムチーズ"),
        ("camembert", "卡门贝尔奶酪", "カマンベールチーズ"),
        ("egg yolk", "蛋黄", "卵黄"),
        ("chicken leg", "鸡腿", "鶏もも"),
        ("goose leg", "鹅腿", "ガチョウのもも肉"),
        ("munster", "蒙斯特奶酪", "マンステールチーズ"),
        ("danablu", "丹麦蓝纹奶酪", "ダナブルー"),
        ("manchego", "曼切格奶酪", "マンチェゴ"),
    ]:
        record = foods[name]
        assert foods[zh].food == record.food, zh
        assert foods[ja].food == record.food, ja


def test_chinese_pickles_have_no_menaquinone_record() -> None:
    # No menaquinone analysis of 泡菜 or 榨菜 was found (docs/data.md); 泡菜 alone is not
    # Korean kimchi.
    for name in ["泡菜", "榨菜"]:
        assert name not in foods, name


def test_natto_homologues_with_limits() -> None:
    natto = foods["natto-jensen-2022"]
    for vitamer, expected in [(Vitamer.MK5, 12), (Vitamer.MK6, 100), (Vitamer.MK7, 930)]:
        assert natto.content[vitamer].to("µg/hg").magnitude == pytest.approx(expected)
    assert foods["natto"].id == "natto-kamao-2007"  # the default is unchanged


def test_not_detected_is_kept_with_its_limit() -> None:
    nd_rows = [r for r in rows("food_values.csv") if r["value"] == "nd"]
    assert len(nd_rows) > 500
    kept = [v for record in foods for v in record.values if v.not_detected]
    assert len(kept) == len(nd_rows)
    natto = foods["natto-jensen-2022"]
    limits = {str(v.component): v.limit for v in natto.not_detected}
    assert limits == {"MK-8": 1.4, "MK-9": 1.0, "MK-10": 4.0}
    # not detected counts as zero, and is not "not analysed"
    assert natto.content[Vitamer.MK8].magnitude == 0
    skyr = foods["skyr"]
    assert {str(v.component) for v in skyr.not_detected} >= {"K1", "MK-4", "MK-7", "MK-9"}
    assert skyr.content.total.magnitude == 0


# -- calcium and vitamin D of curated records, from FoodData Central -------------------------

FDC_DATA_SETS = {
    "sr_legacy_food": "fdc-sr-legacy",
    "foundation_food": "fdc-foundation",
    "survey_fndds_food": "fdc-fndds",
}
FDC_COLUMN = {("calcium", "mg/(100 g)"): "calcium_mg", ("vitamin_D", "ug/(100 g)"): "vitamin_D_ug"}


def test_cofactors_of_another_source_copy_the_fdc_figure_of_the_named_food() -> None:
    fdc = {r["id"]: r for r in rows("fdc_foods.csv")}
    values = rows("food_values.csv")
    own = {}  # a record's source: the one its vitamin K figures name
    for v in values:
        if v["component"] not in {"calcium", "vitamin_D"}:
            own[v["food_id"]] = v["source_id"]
    attached = [
        v
        for v in values
        if v["component"] in {"calcium", "vitamin_D"} and v["source_id"] != own.get(v["food_id"])
    ]
    assert len(attached) >= 40
    for v in attached:
        found = re.fullmatch(r'fdc_foods\.csv id (\S+) \("(.*)"\)', v["location"])
        assert found, v["location"]
        fid, description = found.groups()
        row = fdc[fid]
        assert row["description"] == description
        assert FDC_DATA_SETS[row["data_type"]] == v["source_id"], fid
        printed = row[FDC_COLUMN[v["component"], v["unit"]]]
        assert printed, f"{fid}: not reported by FoodData Central, so no figure"
        assert v["value"] == printed, (v["food_id"], v["component"])  # copied as printed
        assert v["confidence"] == "medium"
        assert description in v["notes"]
        assert "did not analyse" in v["notes"]
        record = foods[v["food_id"]]
        assert record.source.id == own[v["food_id"]]
        assert record.source_of(v["component"]) is not None
        assert record.source_of(v["component"]).id == v["source_id"]  # type: ignore[union-attr]
        amount = record.cofactor(v["component"])
        assert amount is not None
        assert float(amount.magnitude) == pytest.approx(float(printed))


def test_common_foods_count_their_calcium() -> None:
    for name in ("milk", "skimmed milk", "yoghurt", "egg", "cheddar", "gouda", "natto", "kale"):
        assert foods[name].calcium is not None, name
