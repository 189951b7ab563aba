"""Integrity of the bundled data: every figure has a source, a location and a confidence."""

from __future__ import annotations

import csv
import io
import re
from importlib import resources

import pytest

from k2nutrition import foods
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
