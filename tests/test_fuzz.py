"""Hypothesis-driven fuzzing of every parser: a valid result or one of our errors, never a crash."""

from __future__ import annotations

import string

from hypothesis import given, settings
from hypothesis import strategies as st

import k2nutrition as k2
from k2nutrition.cli import parse_item
from k2nutrition.errors import K2NutritionError
from k2nutrition.intake import parse_frequency
from k2nutrition.units import parse_amount

UNITS = [
    "g",
    "mg",
    "µg",
    "μg",
    "ug",
    "mcg",
    "kg",
    "mL",
    "L",
    "oz",
    "cup",
    "IU",
    "%",
    "day",
    "/day",
    "per week",
]
numbers = st.one_of(
    st.integers(-(10**6), 10**6).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(["1e400", "-0", "0x10", "1_000", ".5", "5.", "1/2", "nan", "inf", "--1"]),
)
amount_text = st.one_of(
    st.text(max_size=25),
    st.builds(
        lambda n, sp, u: f"{n}{sp}{u}",
        numbers,
        st.sampled_from(["", " ", "  "]),
        st.sampled_from(UNITS),
    ),
    st.text(alphabet=string.digits + " ./-+eµμgmLkIU()*^%", max_size=20),
)


@settings(max_examples=300, deadline=None)
@given(
    text=amount_text,
    dimension=st.sampled_from(
        ["mass", "mass or volume", "content", "time", "frequency", "mass rate"]
    ),
)
def test_amount_parser(text: str, dimension: str) -> None:
    try:
        q = parse_amount(text, "amount", dimension)  # type: ignore[arg-type]
    except K2NutritionError as exc:
        assert "amount" in str(exc)  # noqa: PT017 - a fuzz test: any of our errors is fine
        return
    assert q.magnitude >= 0


frequency_text = st.one_of(
    st.text(max_size=20),
    st.builds(
        lambda n, sep, k, unit: f"{n}{sep}{k}{unit}",
        numbers,
        st.sampled_from(["/", " per ", "x/", " times / ", " every "]),
        st.sampled_from(["", "0 ", "2 ", "0.5 "]),
        st.sampled_from(["day", "days", "week", "w", "month", "year", "fortnight", ""]),
    ),
)


@settings(max_examples=300, deadline=None)
@given(text=frequency_text)
def test_frequency_parser(text: str) -> None:
    try:
        per_day = parse_frequency(text)
    except K2NutritionError as exc:
        assert "per" in str(exc)  # noqa: PT017 - a fuzz test: any of our errors is fine
        return
    assert per_day >= 0


@settings(max_examples=200, deadline=None)
@given(
    age=st.one_of(st.floats(allow_nan=True), st.integers(-10, 500), amount_text),
    sex=st.sampled_from(["female", "male", "x", ""]),
)
def test_age_parser(age: object, sex: str) -> None:
    try:
        person = k2.Person(age=age, sex=sex)
    except K2NutritionError:
        return
    assert 0 <= person.age <= 125


item_text = st.one_of(
    st.text(max_size=30),
    st.builds(
        lambda name, n, u, f: f"{name} {n} {u} {f}".strip(),
        st.sampled_from(
            ["natto", "纳豆", "MK-7", "vitamin D", "calcium", "hard cheese", "nato", "K3", ""]
        ),
        numbers,
        st.sampled_from(UNITS),
        st.sampled_from(["", "daily", "2/week", "3x/week", "sometimes", "0/day"]),
    ),
)


@settings(max_examples=300, deadline=None)
@given(text=item_text)
def test_cli_item_parser(text: str) -> None:
    try:
        item = parse_item(text)
    except K2NutritionError:
        return
    assert isinstance(item, k2.Portion | k2.Supplement)
    assert item.per_day >= 0


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=20))
def test_food_lookup(text: str) -> None:
    found = k2.foods.get(text)
    try:
        record = k2.foods[text]
    except K2NutritionError:
        assert found is None
        return
    assert record is found
