"""Integrity of ``food_measures.csv``: every household measure names a known food and a source.

Plausibility bounds (grams for one of the measure, i.e. ``grams / amount``):

========================  ===============  ==============================================
measure                   bounds (g)        why
========================  ===============  ==============================================
``tsp``                   1 to 10          a US teaspoon is 4.93 mL; oils 4.5 g
``tbsp``                  2 to 25          a US tablespoon is 14.8 mL; parsley 3.8 g
``fl oz``                 20 to 45         29.6 mL of a liquid with density 0.7 to 1.5
``cup`` and ``cup ...``   10 to 400        236.6 mL; loosely packed kale weighs 16 g
anything else             0.5 to 2000      from a sprig of watercress to a head of pak choi
========================  ===============  ==============================================

Liquids measured by volume: a food with both ``cup`` and ``fl oz`` rows has a cup weight of
8 fl oz within 3 %, and the density that ``fl oz`` implies lies between 0.85 and 1.35 g/mL.
"""

from __future__ import annotations

import csv
import io
import math
import re
from importlib import resources

import pytest

from k2nutrition import foods
from k2nutrition.errors import AmountTypeError
from k2nutrition.sources import Confidence, all_sources

DATA = resources.files("k2nutrition").joinpath("data")
COLUMNS = ("food", "measure", "amount", "grams", "source_id", "location", "confidence", "notes")
US_FL_OZ_ML = 29.5735295625
BOUNDS = {"tsp": (1.0, 10.0), "tbsp": (2.0, 25.0), "fl oz": (20.0, 45.0)}
CUP_BOUNDS = (10.0, 400.0)
OTHER_BOUNDS = (0.5, 2000.0)
MEASURE = re.compile(r"[a-z]+(?: [a-z]+)*")
NUMBER = re.compile(r"\d+(?:\.\d+)?")


def read(name: str) -> list[dict[str, str]]:
    text = DATA.joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text, newline="")))


MEASURES = read("food_measures.csv")
CURATED = read("foods.csv")
FOOD_KEYS = {row["food"] for row in CURATED}
FDC_IDS = {row["id"] for row in read("fdc_foods.csv")}


def bounds(measure: str) -> tuple[float, float]:
    if measure == "cup" or measure.startswith("cup "):
        return CUP_BOUNDS
    return BOUNDS.get(measure, OTHER_BOUNDS)


def test_header_and_encoding() -> None:
    raw = DATA.joinpath("food_measures.csv").read_bytes()
    assert b"\r" not in raw
    header = next(csv.reader(io.StringIO(raw.decode("utf-8"), newline="")))
    assert tuple(header) == COLUMNS


def test_there_are_measures_for_the_foods_people_name() -> None:
    assert len(MEASURES) >= 60
    have = {(row["food"], row["measure"]) for row in MEASURES}
    for food, measure in [
        ("milk-whole", "cup"),
        ("fdc-fndds-milk-whole", "cup"),
        ("fdc-sr-legacy-oil-soybean-salad-or-cooking", "tbsp"),
        ("fdc-sr-legacy-oil-soybean-salad-or-cooking", "tsp"),
        ("egg", "large"),
        ("egg", "medium"),
        ("egg", "small"),
        ("fdc-sr-legacy-egg-yolk-raw-fresh", "large"),
        ("fdc-sr-legacy-egg-white-raw-fresh", "large"),
        ("natto", "cup"),
        ("cheddar", "slice"),
        ("cheddar", "cup shredded"),
        ("yoghurt", "cup"),
        ("butter", "tbsp"),
        ("butter", "pat"),
        ("fdc-sr-legacy-kale-raw", "cup"),
        ("spinach", "cup"),
        ("broccoli", "cup"),
        ("fdc-sr-legacy-rice-white-short-grain-cooked-unenriched", "cup"),
        ("fdc-fndds-soybean-curd", "block"),
        ("fdc-fndds-soy-milk-unsweetened", "cup"),
    ]:
        assert (food, measure) in have, (food, measure)


@pytest.mark.parametrize("row", MEASURES, ids=lambda r: f"{r['food']}|{r['measure']}")
def test_row(row: dict[str, str]) -> None:
    assert row["food"] in FOOD_KEYS or row["food"] in FDC_IDS, row["food"]
    measure = row["measure"]
    assert MEASURE.fullmatch(measure), f"measure must be lower-case words: {measure!r}"
    assert measure not in {"g", "kg", "mg", "oz", "lb", "ml", "l"}, "a unit is not a measure"
    assert NUMBER.fullmatch(row["amount"]), row["amount"]
    assert NUMBER.fullmatch(row["grams"]), row["grams"]
    amount, grams = float(row["amount"]), float(row["grams"])
    assert math.isfinite(amount)
    assert amount > 0
    assert math.isfinite(grams)
    assert grams > 0
    low, high = bounds(measure)
    assert low <= grams / amount <= high, (measure, grams / amount)
    assert row["source_id"] in all_sources(), row["source_id"]
    assert row["location"].strip()
    assert row["notes"].strip()
    Confidence.parse(row["confidence"])


def test_one_row_per_food_measure_and_amount() -> None:
    keys = [(row["food"], row["measure"], float(row["amount"])) for row in MEASURES]
    duplicates = {key for key in keys if keys.count(key) > 1}
    assert not duplicates


def test_liquid_cups_are_eight_fluid_ounces() -> None:
    by_food: dict[str, dict[str, float]] = {}
    for row in MEASURES:
        if row["measure"] in {"cup", "cup fluid", "fl oz"}:
            per_one = float(row["grams"]) / float(row["amount"])
            by_food.setdefault(row["food"], {})[row["measure"]] = per_one
    checked = 0
    for food, measures in by_food.items():
        if "fl oz" not in measures:
            continue
        density = measures["fl oz"] / US_FL_OZ_ML
        assert 0.85 <= density <= 1.35, (food, density)
        cup = measures.get("cup", measures.get("cup fluid"))
        if cup is not None:
            assert cup / measures["fl oz"] == pytest.approx(8.0, rel=0.03), food
            checked += 1
    assert checked >= 10


def test_curated_servings_and_measures_agree() -> None:
    """Where foods.csv gives a food's serving as ``1 <measure>``, the measure row matches it."""
    grams = {(row["food"], row["measure"]): float(row["grams"]) for row in MEASURES}
    compared = 0
    for row in CURATED:
        label, serving = row["serving_label"], row["serving_g"]
        if not serving or not label.startswith("1 "):
            continue
        rest = label[2:]
        for (food, measure), weight in grams.items():
            if food == row["food"] and (rest == measure or rest.startswith(measure + " ")):
                assert weight == float(serving), (food, measure, weight, serving)
                compared += 1
    assert compared >= 5


def test_sources_of_measures_are_cited_in_full() -> None:
    sources = all_sources()
    for source_id in {row["source_id"] for row in MEASURES}:
        source = sources[source_id]
        assert source.title, source_id
        assert source.year, source_id
        assert source.link, source_id
        assert source.notes, source_id


def test_a_count_of_a_food_in_several_sizes_is_refused_with_the_sizes() -> None:
    from k2nutrition.food import AmbiguousCountError

    egg = foods["egg"]
    for text in ("2", "2个", "2 個", "2 each", "2パック"):
        with pytest.raises(AmbiguousCountError, match="which size") as info:
            egg.to_mass(text)
        message = str(info.value)
        for size in ("'2 large' (50.3 g)", "'2 medium' (44 g)", "'2 small' (38 g)"):
            assert size in message, message
        assert "'2 large egg'" not in message  # the same weight as 'large', said once
    assert egg.to_mass("2 large").magnitude == pytest.approx(100.6)


def test_a_count_of_a_food_in_one_size_reads_it() -> None:
    yolk = foods["egg yolk"]
    assert yolk.measures == {"large": 17.0, "cup": 243.0}
    assert yolk.to_mass("1").magnitude == pytest.approx(17.0)
    assert yolk.to_mass("3个").magnitude == pytest.approx(51.0)


def test_a_count_of_a_food_with_no_piece_names_its_measures() -> None:
    with pytest.raises(AmountTypeError, match="no measure of one piece") as info:
        foods["natto"].to_mass("1パック")
    assert "cup (175 g)" in str(info.value)


def test_an_ounce_is_a_mass_not_the_fluid_ounce_of_a_measure() -> None:
    from k2nutrition import Portion

    assert Portion("milk", "1 oz").amount.to("g").magnitude == pytest.approx(28.349523125)
    assert Portion("milk", "1 fl oz").amount.to("g").magnitude == pytest.approx(30.5)


def test_a_count_in_the_foods_own_word_needs_a_size_as_a_bare_count_does() -> None:
    from k2nutrition import Portion
    from k2nutrition.food import AmbiguousCountError

    for text in ("2 eggs", "2 egg", "2"):
        with pytest.raises(AmbiguousCountError, match="comes in 5"):
            Portion("egg", text)
    assert Portion("egg", "2 large eggs").amount.to("g").magnitude == pytest.approx(100.6)
