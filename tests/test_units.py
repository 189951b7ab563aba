from __future__ import annotations

import math

import numpy as np
import pint
import pytest
from hypothesis import given
from hypothesis import strategies as st

import k2nutrition as k2
from k2nutrition import Q_, ureg
from k2nutrition.errors import AmountError, AmountTypeError, DimensionError, K2NutritionError
from k2nutrition.units import (
    MAX_AMOUNT_LENGTH,
    conversion_factor,
    format_number,
    format_quantity,
    parse_amount,
    split_amount,
)

from .helpers import assert_quantity_close, other_registry

MICRO_SPELLINGS = ["mcg", "ug", "µg", "μg", "microgram", "micrograms"]


@pytest.mark.parametrize("spelling", MICRO_SPELLINGS)
def test_every_micro_spelling_parses_as_microgram(spelling: str) -> None:
    assert_quantity_close(parse_amount(f"90 {spelling}", "dose", "mass"), 90, "microgram")


def test_milligram_string() -> None:
    assert_quantity_close(parse_amount("0.09 mg", "dose", "mass"), 90, "µg")


def test_application_registry_is_shared() -> None:
    app = pint.get_application_registry()  # type: ignore[no-untyped-call]
    assert ureg.get() is app.get()  # type: ignore[no-untyped-call]
    q = app.Quantity(40, "g")
    assert parse_amount(q, "amount", "mass") is q


def test_quantity_from_another_registry_is_rebuilt() -> None:
    other = other_registry()
    q = parse_amount(other.Quantity(40, "gram"), "amount", "mass")
    assert q._REGISTRY is ureg.get()  # type: ignore[no-untyped-call]
    assert_quantity_close(q + Q_(1, "g"), 41, "g")


def test_array_quantities_are_accepted() -> None:
    q = parse_amount(Q_(np.array([10.0, 40.0]), "g"), "amount", "mass")
    np.testing.assert_allclose(q.to("g").magnitude, [10, 40])


def test_content_per_100_g_with_and_without_space() -> None:
    for text in ["939 µg/100 g", "939 µg/100g", "939 ug/(100 g)"]:
        assert_quantity_close(parse_amount(text, "content", "content"), 9.39, "µg/g")


@pytest.mark.parametrize("bare", [40, 40.0, np.float64(40.0), np.int64(40), "40", " 40 "])
def test_bare_numbers_are_refused_with_the_argument_named(bare: object) -> None:
    with pytest.raises(
        AmountTypeError, match=r"^amount needs a mass.*Write|^amount needs a mass.*unit"
    ):
        parse_amount(bare, "amount", "mass")


def test_bare_number_error_is_also_a_type_error() -> None:
    with pytest.raises(TypeError):
        parse_amount(3, "dose", "mass")


@pytest.mark.parametrize(
    ("value", "needed", "fragment"),
    [
        ("40 mL", "mass", "which is a volume (a volume can be used only"),
        ("40 s", "mass", "which is a time"),
        ("40 g", "volume", "which is a mass"),
        ("3 g/day", "mass", "which is a mass rate"),
    ],
)
def test_wrong_dimension_names_argument_need_and_got(
    value: str, needed: str, fragment: str
) -> None:
    with pytest.raises(DimensionError) as info:
        parse_amount(value, "portion", needed)  # type: ignore[arg-type]
    message = str(info.value)
    assert message.startswith(f"portion needs a {needed}, e.g. ")
    assert repr(value) in message
    assert fragment in message
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("nan g", "not a finite number"),
        ("inf g", "not a finite number"),
        (Q_(math.nan, "g"), "not a finite number"),
        (Q_(-1, "g"), "negative"),
        ("-5 g", "negative"),
        ("", "empty string"),
        ("   ", "empty string"),
        ("40 grammes", "unknown unit"),
        ("40 g g )", "could not read"),
    ],
)
def test_bad_amounts(value: object, fragment: str) -> None:
    with pytest.raises(AmountError, match=fragment):
        parse_amount(value, "amount", "mass")


def test_array_with_a_nan_is_refused() -> None:
    with pytest.raises(AmountError, match="finite"):
        parse_amount(Q_(np.array([1.0, np.nan]), "g"), "amount", "mass")


def test_zero_can_be_refused() -> None:
    with pytest.raises(AmountError, match="zero"):
        parse_amount("0 day", "period", "time", allow_zero=False)


def test_objects_of_other_types_are_refused() -> None:
    with pytest.raises(AmountTypeError, match="type list"):
        parse_amount([40, "g"], "amount", "mass")


def test_unknown_unit_from_another_registry() -> None:
    other = other_registry()
    other.define("smidgen = 0.1 gram")
    with pytest.raises(DimensionError, match="another unit registry"):
        parse_amount(other.Quantity(2, "smidgen"), "amount", "mass")


def test_all_errors_are_ours() -> None:
    for exc in (AmountError, AmountTypeError, DimensionError):
        assert issubclass(exc, K2NutritionError)


def test_conversion_factor() -> None:
    assert conversion_factor("mg", "µg") == pytest.approx(1000)
    assert conversion_factor("microgram / hectogram * gram", "microgram") == pytest.approx(0.01)


@given(
    value=st.floats(min_value=0, max_value=1e9, allow_nan=False),
    spelling=st.sampled_from([*MICRO_SPELLINGS, "mg", "g", "ng"]),
    space=st.sampled_from(["", " ", "  "]),
)
def test_parsing_accepts_every_spelling(value: float, spelling: str, space: str) -> None:
    q = parse_amount(f"{format_number(value)}{space}{spelling}", "amount", "mass")
    expected = Q_(value, spelling.replace("μ", "µ"))
    assert q.to("g").magnitude == pytest.approx(expected.to("g").magnitude, rel=1e-12)


@given(st.text(max_size=30))
def test_parsing_any_text_gives_a_quantity_or_our_error(text: str) -> None:
    try:
        q = parse_amount(text, "amount", "mass")
    except K2NutritionError:
        return
    assert q.dimensionality == ureg.get_dimensionality("[mass]")


# -- the strict grammar: what is read ---------------------------------------------------------

ACCEPTED = [
    ("40 g", "mass", 40, "g"),
    ("40g", "mass", 40, "g"),
    ("40  g", "mass", 40, "g"),
    (" 40 g ", "mass", 40, "g"),
    ("40克", "mass", 40, "g"),
    ("40 克", "mass", 40, "g"),
    ("5 毫克", "mass", 5, "mg"),
    ("90 微克", "mass", 90, "µg"),
    ("2 公斤", "mass", 2, "kg"),
    ("2 千克", "mass", 2, "kg"),
    ("４０ｇ", "mass", 40, "g"),
    ("1.5 g", "mass", 1.5, "g"),
    (".5 g", "mass", 0.5, "g"),
    ("5. g", "mass", 5, "g"),
    ("1e3 mg", "mass", 1, "g"),
    ("1.5E-3 kg", "mass", 1.5, "g"),
    ("40 Grams", "mass", 40, "g"),
    ("1 oz", "mass", 28.349523125, "g"),
    ("1 lb", "mass", 453.59237, "g"),
    ("250 mL", "volume", 250, "mL"),
    ("250 ml", "volume", 250, "mL"),
    ("1 L", "volume", 1, "L"),
    ("250 毫升", "volume", 250, "mL"),
    ("1 升", "volume", 1, "L"),
    ("1 cup", "volume", 1, "cup"),
    ("2 tbsp", "volume", 2, "tablespoon"),
    ("1 tsp", "volume", 1, "teaspoon"),
    ("8 fl oz", "volume", 8, "fluid_ounce"),
    ("7 months", "time", 7, "month"),
    ("55 years", "time", 55, "year"),
    ("55 y", "time", 55, "year"),
    ("55岁", "time", 55, "year"),
    ("7个月", "time", 7, "month"),
    ("7 ヶ月", "time", 7, "month"),
    ("939 µg/100 g", "content", 9.39, "µg/g"),
    ("939 µg/100g", "content", 9.39, "µg/g"),
    ("939 µg/(100 g)", "content", 9.39, "µg/g"),
    ("939 µg per 100 g", "content", 9.39, "µg/g"),
    ("939 微克/100克", "content", 9.39, "µg/g"),
    ("90 µg/day", "mass rate", 90, "µg/day"),
    ("90 µg/d", "mass rate", 90, "µg/day"),
    ("90 µg per day", "mass rate", 90, "µg/day"),
    ("90 微克/天", "mass rate", 90, "µg/day"),
    ("2/week", "frequency", 2, "1/week"),
    ("150 nmol", "substance", 150, "nmol"),
]


@pytest.mark.parametrize(("text", "dimension", "magnitude", "unit"), ACCEPTED)
def test_the_grammar_reads(text: str, dimension: str, magnitude: float, unit: str) -> None:
    assert_quantity_close(parse_amount(text, "amount", dimension), magnitude, unit)  # type: ignore[arg-type]


def test_split_amount_leaves_measure_words_to_the_caller() -> None:
    assert split_amount("1 serving", "amount") == (1, "serving")
    assert split_amount("2 large", "amount") == (2, "large")
    assert split_amount("2", "amount") == (2, "")
    assert split_amount("0.5 片", "amount") == (0.5, "片")
    assert split_amount("-2 g", "x", allow_negative=True) == (-2, "g")
    with pytest.raises(AmountError, match=r"^amount: '1,5 cup' has a comma"):
        split_amount("1,5 cup", "amount")


def test_integers_stay_integers_and_decimals_are_floats() -> None:
    assert isinstance(parse_amount("40 g", "a", "mass").magnitude, int)
    assert isinstance(parse_amount("40.0 g", "a", "mass").magnitude, float)


def test_the_length_cap_is_checked_first() -> None:
    text = "9" * 100_000 + " g"
    with pytest.raises(AmountError, match="100,002 characters"):
        parse_amount(text, "amount", "mass")
    assert len("1" * (MAX_AMOUNT_LENGTH - 2) + " g") == MAX_AMOUNT_LENGTH
    parse_amount("1" * (MAX_AMOUNT_LENGTH - 2) + " g", "amount", "mass")


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("1.200 mg", "write 1.2 mg or 1200 mg"),
        ("12.500 g", "write 12.5 g or 12500 g"),
        ("2.125 g", "write 2.1250 g or 2125 g"),
        ("999.000 µg", "write 999 µg or 999000 µg"),
        ("1.000 g", "write 1 g or 1000 g"),
    ],
)
def test_a_point_that_may_separate_thousands_is_refused(text: str, hint: str) -> None:
    with pytest.raises(AmountError, match="can be read two ways") as info:
        parse_amount(text, "dose", "mass")
    assert str(info.value).startswith(f"dose: {text!r}")
    assert str(info.value).endswith(hint)


@pytest.mark.parametrize(
    ("text", "grams"),
    [
        ("0.125 g", 0.125),  # a leading zero: never thousands
        ("1.2 g", 1.2),
        ("1.25 g", 1.25),
        ("1.2500 g", 1.25),  # four decimals: never thousands
        ("1234.567 g", 1234.567),  # thousands grouping would write 1.234.567
        ("1.200e0 g", 1.2),  # an exponent: a decimal point
        ("1200 g", 1200),
    ],
)
def test_numbers_that_read_one_way_are_read(text: str, grams: float) -> None:
    assert parse_amount(text, "amount", "mass").to("g").magnitude == pytest.approx(grams)


def test_the_printers_never_write_a_number_that_reads_two_ways() -> None:
    for value in (1.125, 2.5, 1.0, 12.345, 999.999, 0.125, 1125.0, 1.12549, 85.04856937500001):
        for digits in (None, 4, 6):
            text = format_number(value, digits)
            back = parse_amount(f"{text} g", "amount", "mass").magnitude
            if digits is None:
                assert back == value, text
            else:
                assert back == pytest.approx(value, rel=10.0 ** (1 - digits)), text
    assert format_quantity(Q_(1.125, "g")) == "1.1250 g"
    assert format_quantity(Q_(2, "cup")) == "2 cup"  # not pint's "cp"
    assert str(k2.Supplement("K1", "1.1250 mg")).startswith("K1 1.1250 mg")
    assert "1.1250" in repr(k2.VitaminK({"K1": "1.1250 µg/day"}))


def test_an_age_is_printed_so_that_it_reads_back() -> None:
    person = k2.Person(age="13.5 months", sex="female")
    printed = person.life_stage.split(", ")[1]
    assert printed == "1.1250 y"
    assert parse_amount(printed, "age", "time").to("month").magnitude == pytest.approx(13.5)


@pytest.mark.parametrize("text", ["5 µg/1.500 g", "5 µg/(1.250 g)", "5 µg / 12.500 g"])
def test_a_divisor_that_reads_two_ways_is_refused(text: str) -> None:
    with pytest.raises(AmountError, match="can be read two ways"):
        parse_amount(text, "content", "content")
