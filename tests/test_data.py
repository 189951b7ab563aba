"""Integrity of the bundled data: every figure has a source, a location and a confidence."""

from __future__ import annotations

import csv
import io
import re
from importlib import resources

import pytest

from k2nutrition import Vitamer, foods, guidelines
from k2nutrition.food import FOOD_COLUMNS, VALUE_COLUMNS
from k2nutrition.sources import SOURCE_COLUMNS, SOURCE_KINDS, Confidence, all_sources

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
    for record in foods:
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


@pytest.mark.parametrize("record", list(foods), ids=lambda f: f.id)
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
    for record in foods:
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
        if record.source.id in totals_only:
            assert len(record.content) == 0, record.id
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
