"""Hypothesis-driven fuzzing of every parser: a valid result or one of our errors, never a crash."""

from __future__ import annotations

import contextlib
import io
import json
import math
import string
import subprocess
import sys
import time
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import k2nutrition as k2
from k2nutrition import Q_, cli
from k2nutrition.cli import parse_item
from k2nutrition.errors import AmountError, K2NutritionError
from k2nutrition.intake import parse_frequency
from k2nutrition.units import format_quantity, parse_amount

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


@settings(max_examples=300, deadline=2000)
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


@settings(max_examples=300, deadline=2000)
@given(text=frequency_text)
def test_frequency_parser(text: str) -> None:
    try:
        per_day = parse_frequency(text)
    except K2NutritionError as exc:
        assert "per" in str(exc)  # noqa: PT017 - a fuzz test: any of our errors is fine
        return
    assert per_day >= 0


@settings(max_examples=200, deadline=2000)
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


@settings(max_examples=300, deadline=2000)
@given(text=item_text)
def test_cli_item_parser(text: str) -> None:
    try:
        item = parse_item(text)
    except K2NutritionError:
        return
    assert isinstance(item, k2.Portion | k2.Supplement)
    assert item.per_day >= 0


@settings(max_examples=200, deadline=2000)
@given(text=st.text(max_size=20))
def test_food_lookup(text: str) -> None:
    found = k2.foods.get(text)
    try:
        record = k2.foods[text]
    except K2NutritionError:
        assert found is None
        return
    assert record is found


# -- the strict grammar: round trip, one meaning, time -----------------------------------------

# units the library prints amounts in, with the dimension each is read back as
PRINTED_UNITS = [
    ("gram", "mass"),
    ("milligram", "mass"),
    ("microgram", "mass"),
    ("nanogram", "mass"),
    ("kilogram", "mass"),
    ("milliliter", "volume"),
    ("liter", "volume"),
    ("microgram / day", "mass rate"),
    ("milligram / day", "mass rate"),
    ("microgram / gram", "content"),
    ("microgram / hectogram", "content"),
    ("milligram / kilogram", "content"),
    ("nanomole", "substance"),
    ("micromole", "substance"),
    ("month", "time"),
    ("week", "time"),
    ("day", "time"),
]
magnitudes = st.one_of(
    st.integers(0, 10**15),
    st.floats(min_value=0, max_value=1e300, allow_nan=False, allow_infinity=False),
)
FORMATS = ["{q:~P}", "{q:~}", "{q}", "{q:~C}"]

# Every fuzz target has a deadline; pathological inputs also get a per-case bound, far
# above what a normal input takes (microseconds), so that only super-linear work fails.
FUZZ = settings(max_examples=200, deadline=2000)
PATHOLOGICAL_BOUND_S = 0.5


@FUZZ
@given(magnitude=magnitudes, unit=st.sampled_from(PRINTED_UNITS), fmt=st.sampled_from(FORMATS))
def test_what_the_library_prints_it_reads_back_equal(
    magnitude: float, unit: tuple[str, str], fmt: str
) -> None:
    q = Q_(magnitude, unit[0])
    text = format_quantity(q)  # the library's printer: exact, and one reading only
    back = parse_amount(text, "amount", unit[1])  # type: ignore[arg-type]
    assert back.units == q.units, text
    assert back.magnitude == q.magnitude, text
    shown = format_quantity(q, 4)  # as the tables print it: four significant figures
    assert parse_amount(shown, "amount", unit[1]).units == q.units  # type: ignore[arg-type]
    # pint's own formats read back equal, or (1.125 g) are refused as reading two ways
    text = fmt.format(q=q)
    try:
        back = parse_amount(text, "amount", unit[1])  # type: ignore[arg-type]
    except AmountError as exc:
        assert "two ways" in str(exc), text  # noqa: PT017 - the one refusal allowed
        assert format_quantity(q) != text.replace("gram", "g")
        return
    assert back.units == q.units, text
    assert back.magnitude == q.magnitude, text


@FUZZ
@given(
    whole=st.integers(1, 999),
    decimals=st.integers(0, 999),
    unit=st.sampled_from(["g", "mg", "µg", "mL", "µg/day", "µg/100 g", "cup"]),
)
def test_three_decimals_after_a_short_whole_part_read_two_ways(
    whole: int, decimals: int, unit: str
) -> None:
    text = f"{whole}.{decimals:03d} {unit}"  # 1.200 mg: 1.2 mg, or 1200 mg in de, fr, ...
    dimension = {"µg/day": "mass rate", "µg/100 g": "content"}.get(unit, "mass or volume")
    with pytest.raises(AmountError, match="two ways") as info:
        parse_amount(text, "amount", dimension)  # type: ignore[arg-type]
    message = str(info.value)
    assert f"{whole}{decimals:03d} {unit}" in message, message  # the thousands reading
    hint = message.rpartition("write ")[2].split(" or ")[0]
    assert float(hint.split()[0]) == float(f"{whole}.{decimals:03d}")  # the decimal one
    for one_way in (f"0.{decimals:03d} {unit}", f"{whole}.{decimals:03d}0 {unit}", hint):
        parse_amount(one_way, "amount", dimension)  # type: ignore[arg-type]


def _spacings(text: str) -> list[str]:
    """Ways of writing the same amount with other spacing."""
    return [text, f"  {text}  ", text.replace(" ", "  "), text.replace(" ", "\t")]


UNIT_SPELLINGS = [
    "g",
    "G",
    "mg",
    "Mg",
    "MG",
    "µg",
    "μg",
    "ug",
    "mcg",
    "MCG",
    "kg",
    "KG",
    "Kg",
    "克",
    "毫克",
    "微克",
    "公斤",
    "mL",
    "ml",
    "ML",
    "L",
    "l",
    "cup",
    "Cup",
    "tbsp",
    "fl oz",
    "毫升",
    "grams",
    "GRAMS",
    "µg/100 g",
    "µg/(100 g)",
    "µg/100g",
    "µg per 100 g",
    "µg/day",
    "µg/d",
    "mg/kg",
    "years",
    "y",
    "岁",
    "months",
    "nmol",
    "IU",
    "%",
    "g g",
    "g*2",
    "/week",
    "oz",
    "lb",
]
grammar_text = st.one_of(
    st.builds(
        lambda n, sp, u: f"{n}{sp}{u}",
        st.one_of(numbers, st.sampled_from(["1,5", "1.5", "1e3", ".5", "5.", "1×10⁻⁷", "０"])),
        st.sampled_from(["", " ", "  "]),
        st.sampled_from(UNIT_SPELLINGS),
    ),
    st.text(alphabet="0123456789 .,eE+-/()*µgmkLlIUu克毫微", max_size=25),
)
DIMENSIONS = ["mass", "volume", "mass or volume", "content", "time", "mass rate", "substance"]


@FUZZ
@given(text=grammar_text, dimension=st.sampled_from(DIMENSIONS))
def test_an_accepted_text_denotes_exactly_one_quantity(text: str, dimension: str) -> None:
    try:
        q = parse_amount(text, "amount", dimension)  # type: ignore[arg-type]
    except K2NutritionError as exc:
        assert "amount" in str(exc)  # noqa: PT017 - any of our errors, naming the argument
        return
    assert math.isfinite(float(q.magnitude))
    assert q.magnitude >= 0
    for variant in _spacings(text):  # the same text spaced otherwise: the same quantity
        assert parse_amount(variant, "amount", dimension) == q  # type: ignore[arg-type]
    shown = format_quantity(q)  # and the quantity, printed, reads back as it
    assert parse_amount(shown, "amount", dimension).magnitude == q.magnitude  # type: ignore[arg-type]


pathological = st.builds(
    lambda piece, n, unit: piece * n + unit,
    st.sampled_from(["9", "1,", "(", "g", "µ", " ", "1e", "*2", "/", ".", "１"]),
    st.integers(0, 200_000),
    st.sampled_from(["", " g", "/week", " 克"]),
)


@settings(max_examples=50, deadline=2000)
@given(text=pathological)
def test_long_and_pathological_texts_fail_fast(text: str) -> None:
    parsers: tuple[Callable[[], object], ...] = (
        lambda: parse_amount(text, "amount", "mass"),
        lambda: parse_frequency(text),
        lambda: parse_item("natto " + text),
        lambda: k2.Vitamer.parse(text),
        lambda: k2.Person(age=text, sex="female"),
    )
    for parse in parsers:
        start = time.perf_counter()
        with contextlib.suppress(K2NutritionError):
            parse()
        assert time.perf_counter() - start < PATHOLOGICAL_BOUND_S, len(text)


# -- the command line: random argv, in process -------------------------------------------------

_OPTION_VALUES = {
    "--age": ["40", "7 months", "1,5 years", "-1", "nan", "300", "55岁", "", "1e400"],
    "--sex": ["female", "male", "x"],
    "--weight": ["62 kg", "70 g", "70", "1000 kg", "62,5 kg"],
    "--trimester": ["1", "2", "4", "x"],
    "--guideline": ["iom-2001", "efsa-2017", "bogus", "china-osteoporosis-2013"],
    "--lang": ["en", "zh", "ja", "fr"],
    "--nutrient": ["vitamin_k", "calcium", "bogus"],
}
_FLAGS = [
    "--pregnant",
    "--lactating",
    "--anticoagulant",
    "--json",
    "-v",
    "--help",
    "--bogus",
    "--bogus\n",  # a line break in an argument: still one line on standard error
    "natto 40 g\r\n",
    "\x1b[31m",
]
argv_item = st.builds(
    lambda name, n, u, f: f"{name} {n}{u} {f}".strip(),
    st.sampled_from(
        [
            "natto",
            "纳豆",
            "MK-7",
            "K2",
            "vitamin D",
            "钙",
            "hard cheese",
            "douchi",
            "nato",
            "",
            "egg",
            "egg yolk",
            "鸡蛋",
            "豆腐",
            "milk",
        ]
    ),
    st.sampled_from(["40", "1,5", "1e308", "0", "-3", "90", ".5", "1.200", "2.125", "2"]),
    st.sampled_from(
        [" g", "克", " µg", " IU", " Mg", " mL", "", " serving", "个", "斤", " large", " cp"]
    ),
    st.sampled_from(["", "2/week", "每周2次", "twice a week", "0/day", "sometimes"]),
)


@st.composite
def argvs(draw: st.DrawFn) -> list[str]:
    command = draw(st.sampled_from(["check", "check", "check", "foods", "guidelines", "bogus"]))
    argv = [command]
    if command == "check":
        argv += draw(st.lists(argv_item, min_size=0, max_size=3))
    elif command == "foods":
        argv += draw(st.lists(st.sampled_from(["natto", "cheese", "纳豆", "zzz"]), max_size=1))
    for option in draw(st.lists(st.sampled_from(sorted(_OPTION_VALUES)), max_size=4)):
        argv += [option, draw(st.sampled_from(_OPTION_VALUES[option]))]
    argv += draw(st.lists(st.sampled_from(_FLAGS), max_size=2))
    return argv


def _strict(constant: str) -> object:
    raise ValueError(f"not strict JSON: {constant}")


@settings(max_examples=60, deadline=5000)
@given(argv=argvs())
def test_random_command_lines_exit_0_or_2_and_never_trace(argv: list[str]) -> None:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(argv, out=out)
    assert code in (0, 2), (argv, err.getvalue())
    assert "Traceback" not in err.getvalue()
    if code == 2:
        assert err.getvalue().count("\n") == 1, err.getvalue()
        assert ": error: " in err.getvalue()
    elif "--json" in argv and "--help" not in argv:
        json.loads(out.getvalue(), parse_constant=_strict)


@pytest.mark.parametrize(
    "argv",
    [
        ["check", "natto 1e308 g", "--age", "40", "--sex", "female", "--json"],
        ["check", "douchi 30 g", "--age", "40", "--sex", "female", "--json"],
        ["foods", "--json"],
    ],
)
def test_json_from_a_separate_process_is_strict(argv: list[str]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "k2nutrition", *argv],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert done.returncode in (0, 2), done.stderr
    assert "Traceback" not in done.stderr
    if done.returncode == 0:
        json.loads(done.stdout, parse_constant=_strict)
