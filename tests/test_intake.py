from __future__ import annotations

from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from k2nutrition import Q_, Diet, Portion, Supplement, Vitamer, foods
from k2nutrition.errors import (
    AmountError,
    AmountTypeError,
    DimensionError,
    UnknownFoodError,
    UnknownVitamerError,
)
from k2nutrition.food import HouseholdMeasureError
from k2nutrition.intake import FrequencyError, parse_frequency
from k2nutrition.units import format_number

from .helpers import assert_quantity_close, make_test_milk


@pytest.mark.parametrize(
    ("text", "per_day"),
    [
        ("daily", 1),
        ("/day", 1),
        ("1/d", 1),
        ("2/week", 2 / 7),
        ("2 per week", 2 / 7),
        ("3x/week", 3 / 7),
        ("3 times / week", 3 / 7),
        ("weekly", 1 / 7),
        ("1/month", 12 / 365.25),
        ("every 2 days", 0.5),
        (Q_(2, "1/week"), 2 / 7),
    ],
)
def test_frequencies(text: object, per_day: float) -> None:
    assert parse_frequency(text) == pytest.approx(per_day)


@pytest.mark.parametrize(
    "text", ["", "often", "2/fortnightly", "0/0 day", "2", "-1/day", "2/0 week"]
)
def test_bad_frequencies(text: str) -> None:
    with pytest.raises(FrequencyError, match="per"):
        parse_frequency(text)


def test_bare_number_frequency_refused() -> None:
    with pytest.raises(FrequencyError, match="per needs a frequency"):
        parse_frequency(2)


def test_portion_intake() -> None:
    p = Portion("natto", "40 g", per="2/week")
    assert_quantity_close(p.vitamin_k[Vitamer.MK7], 939 * 0.4 * 2 / 7, "µg/day")
    assert p.food is foods["natto"]


def test_portion_errors() -> None:
    with pytest.raises(UnknownFoodError):
        Portion("nato", "40 g")
    with pytest.raises(AmountTypeError, match="amount needs"):
        Portion("natto", 40)  # type: ignore[arg-type]
    with pytest.raises(DimensionError, match="no density is known"):
        Portion("douchi", "250 mL")
    with pytest.raises(FrequencyError):
        Portion("natto", "40 g", per="sometimes")


def test_supplements_and_iu() -> None:
    assert_quantity_close(Supplement("vitamin D", "1000 IU").daily_dose, 25, "µg/day")
    assert_quantity_close(Supplement("D3", "25 µg").daily_dose, 25, "µg/day")
    with pytest.raises(DimensionError, match="IU converts to mass only for vitamin D"):
        Supplement("MK-7", "1000 IU")
    with pytest.raises(DimensionError, match="IU converts to mass only for vitamin D"):
        Supplement("calcium", "100 IU")
    with pytest.raises(UnknownVitamerError, match="not a vitamin K vitamer, calcium or vitamin D"):
        Supplement("zinc", "10 mg")
    assert Supplement("calcium", "600 mg").vitamin_k.total.magnitude == 0


def test_diet_sums_items() -> None:
    diet = Diet([Portion("natto", "40 g", per="2/week"), Supplement("MK-7", "90 µg")])
    assert_quantity_close(diet.vitamin_k[Vitamer.MK7], 939 * 0.4 * 2 / 7 + 90, "µg/day")
    assert_quantity_close(diet.from_foods[Vitamer.MK7], 939 * 0.4 * 2 / 7, "µg/day")
    assert diet.takes("MK-7")
    assert not diet.takes("calcium")
    assert len(diet) == 2
    assert Diet([]).vitamin_k.total.magnitude == 0


def test_diet_rejects_other_things() -> None:
    with pytest.raises(DimensionError, match=r"items\[1\]"):
        Diet([Supplement("MK-7", "90 µg"), "natto"])  # type: ignore[list-item]


@given(grams=st.floats(min_value=0, max_value=1e3), times=st.integers(min_value=1, max_value=14))
def test_weekly_equals_daily_over_seven(grams: float, times: int) -> None:
    weekly = Portion("natto", Q_(grams, "g"), per=f"{times}/week").vitamin_k.total
    daily = Portion("natto", Q_(grams * times / 7, "g")).vitamin_k.total
    assert weekly.magnitude == pytest.approx(daily.magnitude, rel=1e-9, abs=1e-12)


# -- calcium and vitamin D from food -----------------------------------------------------

MILK = make_test_milk()
CHEESE = attrs.evolve(
    foods["natto"],
    id="cheese-test",
    name="Test cheese",
    calcium="700 mg/(100 g)",
    vitamin_d="0.5 µg/(100 g)",
)


def test_a_portion_gives_calcium_and_vitamin_d_or_none() -> None:
    milk = Portion(MILK, "250 g")
    assert milk.calcium is not None
    assert_quantity_close(milk.calcium, 300, "mg/day")
    assert milk.vitamin_d is None  # not analysed, not zero
    weekly = Portion(CHEESE, "30 g", per="2/week")
    assert weekly.vitamin_d is not None
    assert_quantity_close(weekly.vitamin_d, 0.15 * 2 / 7, "µg/day")
    with pytest.raises(UnknownVitamerError):
        milk.cofactor("MK-7")


def test_diet_sums_calcium_and_vitamin_d_from_foods_and_supplements() -> None:
    diet = Diet(
        [
            Portion(MILK, "250 g"),
            Portion(CHEESE, "30 g"),
            Supplement("calcium", "500 mg"),
            Supplement("vitamin D", "400 IU"),
        ]
    )
    assert_quantity_close(diet.food_intake("calcium"), 300 + 210, "mg/day")
    assert_quantity_close(diet.calcium, 300 + 210 + 500, "mg/day")
    assert_quantity_close(diet.vitamin_d, 0.15 + 10, "µg/day")
    assert diet.not_analysed("vitamin D") == (MILK,)
    assert diet.not_analysed("calcium") == ()
    assert_quantity_close(Diet([]).calcium, 0, "mg/day")


@given(grams=st.floats(0, 2000), times=st.integers(1, 14))
def test_calcium_is_linear_in_amount_and_frequency(grams: float, times: int) -> None:
    once = Diet([Portion(MILK, Q_(grams, "g"))]).calcium
    often = Diet([Portion(MILK, Q_(grams, "g"), per=f"{times}/week")]).calcium
    assert once.to("mg/day").magnitude == pytest.approx(grams * 1.2)
    assert often.to("mg/day").magnitude == pytest.approx(grams * 1.2 * times / 7)


@pytest.mark.parametrize(
    ("text", "per_week"),
    [
        ("2/week", 2),
        ("twice a week", 2),
        ("3 times a week", 3),
        ("three times per week", 3),
        ("once a day", 7),
        ("daily", 7),
        ("every day", 7),
        ("every other day", 3.5),
        ("weekly", 1),
        ("every 2 weeks", 0.5),
        ("2 times daily", 14),
        ("每天", 7),
        ("每日", 7),
        ("毎日", 7),
        ("每周2次", 2),
        ("每周两次", 2),
        ("一周两次", 2),
        ("週2回", 2),
        ("週に2回", 2),
        ("1日2回", 14),
        ("毎週", 1),
        ("Twice  A  Week", 2),
    ],
)
def test_frequencies_people_write(text: str, per_week: float) -> None:
    assert parse_frequency(text) * 7 == pytest.approx(per_week)


@pytest.mark.parametrize(
    "text", ["0/week", "-1/day", "1000/day", "1,5/week", "2*2/week", "每周零次"]
)
def test_zero_negative_absurd_and_unreadable_frequencies_are_refused(text: str) -> None:
    with pytest.raises(FrequencyError, match=r"^per"):
        parse_frequency(text)


# -- household measures -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("food", "amount", "grams"),
    [
        ("milk", "1 cup", 244),
        ("milk", "2 cups", 488),
        ("soybean oil", "1 tbsp", 13.6),
        ("soybean oil", "1 tablespoon", 13.6),
        ("egg", "2 large", 100.6),
        ("egg yolk", "2", 34.0),  # one size of yolk (large): a count reads
        ("egg yolk", "2个", 34.0),
        ("egg", "3 large eggs", 150.9),
        ("egg", "1 medium", 44),
        ("natto", "1 cup", 175),
        ("fdc-fndds-milk-whole", "1 cup", 244),
        ("fdc-foundation-kale-raw", "1 cup", 20.6),  # FoodData Central's portion weight
    ],
)
def test_household_measures(food: str, amount: str, grams: float) -> None:
    assert_quantity_close(Portion(food, amount).amount, grams, "g")


def test_a_serving_and_a_volume_through_the_cup_weight() -> None:
    natto = foods["natto"]
    assert natto.serving is not None
    assert_quantity_close(
        Portion("natto", "1 serving").amount, natto.serving.to("g").magnitude, "g"
    )
    # milk's density comes from its cup weight: 244 g per US cup
    milk = foods["milk"]
    assert milk.density is not None
    assert_quantity_close(Portion("milk", "236.5882365 mL").amount, 244, "g", rel=1e-9)
    assert milk.measures["cup"] == 244


def test_an_unknown_measure_names_the_known_ones() -> None:
    with pytest.raises(HouseholdMeasureError, match="'bowl' is not a unit") as caught:
        Portion("natto", "1 bowl")
    assert "cup (175 g)" in str(caught.value)
    assert isinstance(caught.value, AmountError)
    with pytest.raises(AmountTypeError, match="no measure of one piece"):
        Portion("natto", "2")
    with pytest.raises(DimensionError):
        Portion("milk", "40 s")


def test_household_measures_reach_the_diet_calcium() -> None:
    milk = Portion("fdc-fndds-milk-whole", "1 cup")
    assert milk.calcium is not None
    assert_quantity_close(milk.calcium, 244 * 1.23, "mg/day")


@given(count=st.floats(0, 50, allow_nan=False))
def test_a_measure_is_linear_in_its_count(count: float) -> None:
    amount = Portion("soybean oil", f"{format_number(count)} tbsp").amount
    assert amount.to("g").magnitude == pytest.approx(count * 13.6)


@pytest.mark.parametrize(
    ("vitamer", "limit", "above"),
    [("MK-4", "100 mg", "101 mg"), ("K1", "50 mg", "51 mg"), ("MK-7", "10 mg", "90 mg")]
    + [(v, "10 mg", "11 mg") for v in ("MK-5", "MK-9", "MK-9(4H)", "dihydro-K1")],
)
def test_vitamin_k_doses_have_a_bound_per_vitamer(vitamer: str, limit: str, above: str) -> None:
    assert_quantity_close(Supplement(vitamer, limit).daily_dose, Q_(limit).to("µg").m, "µg/day")
    with pytest.raises(AmountError) as info:
        Supplement(vitamer, above)
    message = str(info.value)
    assert message.startswith(f"dose: {above} is more than {limit}, which is not plausible")
    assert (
        f"for a dose of {vitamer}; was it given in the wrong unit (µg rather than mg)?" in message
    )


def test_therapeutic_vitamin_k_doses_are_accepted() -> None:
    # menatetrenone 45 mg/day in Japan (15 mg three times a day); phytonadione 5 mg tablets
    assert_quantity_close(Supplement("MK-4", "15 mg", per="3/day").daily_dose, 45e3, "µg/day")
    assert_quantity_close(Supplement("K1", "5 mg").daily_dose, 5e3, "µg/day")
    assert_quantity_close(Supplement("K1", "25 mg").daily_dose, 25e3, "µg/day")
    assert_quantity_close(Supplement("MK-7", "360 µg").daily_dose, 360, "µg/day")


@given(st.floats(min_value=10.001, max_value=1e12))
def test_any_mk7_dose_above_10_mg_is_refused(mg: float) -> None:
    with pytest.raises(AmountError, match=r"^dose: .*MK-7"):
        Supplement("MK-7", Q_(mg, "mg"))


@pytest.mark.parametrize(
    ("make", "alone"),
    [
        (lambda: Supplement("vitamin D", "1000 IU/day"), "'1000 IU', and how often apart"),
        (lambda: Supplement("vitamin D", "400 IU per week"), "'400 IU', and how often apart"),
        (lambda: Supplement("MK-7", "90 µg/day"), "'90 µg', and how often apart"),
        (lambda: Supplement("MK-7", "90 µg per week"), "'90 µg', and how often apart"),
        (lambda: Supplement("MK-7", Q_(90, "µg/day")), "alone and how often apart"),
        (lambda: Portion("natto", "40 g/week"), "'40 g', and how often apart"),
        (lambda: Portion("milk", "200 mL/d"), "'200 mL', and how often apart"),
    ],
)
def test_an_amount_per_day_says_to_give_the_frequency_apart(make: Any, alone: str) -> None:
    # not "IU is read only for a vitamin D dose" for a vitamin D dose
    with pytest.raises(DimensionError, match="how often apart") as caught:
        make()
    assert alone in str(caught.value)
    assert "only for a vitamin D dose" not in str(caught.value)
    assert "daily" not in str(caught.value)  # the rate's own period is not restated
