# Wrong types are this module's subject, so mypy is told not to check argument types here.
# mypy: disable-error-code="arg-type,dict-item,list-item,index,call-overload"
"""A catalogue of bad input across the public API and the command line.

Every case must raise a K2NutritionError that is also the matching built-in exception and
whose message names the field; never an AttributeError, ZeroDivisionError, KeyError from
inside, or a pint error the user did not cause.
"""

from __future__ import annotations

import io
import json
import math
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pint
import pytest

import k2nutrition as k2
from k2nutrition import Q_, cli, fdc
from k2nutrition.checks import CheckError
from k2nutrition.cli import ItemError, parse_item
from k2nutrition.cohort import CohortError, assess, daily_intake
from k2nutrition.errors import (
    AmbiguousVitamerError,
    AmountError,
    AmountTypeError,
    DimensionError,
    K2NutritionError,
    NonFiniteError,
    ShapeError,
    UnknownFoodError,
    UnknownVitamerError,
)
from k2nutrition.guideline import UnknownGuidelineError
from k2nutrition.intake import FrequencyError, parse_frequency
from k2nutrition.people import PersonError
from k2nutrition.serialize import from_json
from k2nutrition.units import RefusedUnitError, parse_amount

from .helpers import other_registry, run_into_full_device

WOMAN = k2.Person(age=40, sex="female")


def _records(**changes: Any) -> pd.DataFrame:
    base = {"person_id": [1], "day": [1], "food": ["natto"], "amount_g": [40.0]}
    base.update(changes)
    return pd.DataFrame(base)


def _persons(**changes: Any) -> pd.DataFrame:
    base = {"person_id": [1], "age": [40], "sex": ["female"]}
    base.update(changes)
    return pd.DataFrame(base)


# (case id, call, built-in exception, text the message must contain)
CASES: list[tuple[str, Callable[[], object], type[Exception], str]] = [
    # amounts
    ("bare int", lambda: parse_amount(40, "amount", "mass"), TypeError, "amount"),
    ("bare float", lambda: parse_amount(40.5, "amount", "mass"), TypeError, "amount"),
    ("bare numpy", lambda: parse_amount(np.float32(4), "amount", "mass"), TypeError, "amount"),
    ("bool", lambda: parse_amount(True, "amount", "mass"), TypeError, "amount"),
    ("None", lambda: parse_amount(None, "amount", "mass"), TypeError, "amount"),
    ("list", lambda: parse_amount([40], "amount", "mass"), TypeError, "amount"),
    ("dict", lambda: parse_amount({"g": 40}, "amount", "mass"), TypeError, "amount"),
    ("number string", lambda: parse_amount("40", "amount", "mass"), TypeError, "amount"),
    ("empty", lambda: parse_amount("", "amount", "mass"), ValueError, "amount"),
    ("spaces", lambda: parse_amount("   ", "amount", "mass"), ValueError, "amount"),
    ("unknown unit", lambda: parse_amount("40 grammes", "amount", "mass"), ValueError, "amount"),
    ("garbage", lambda: parse_amount("g40 (", "amount", "mass"), ValueError, "amount"),
    ("volume for mass", lambda: parse_amount("40 mL", "amount", "mass"), ValueError, "amount"),
    ("time for mass", lambda: parse_amount("40 s", "amount", "mass"), ValueError, "amount"),
    ("rate for mass", lambda: parse_amount("40 µg/day", "amount", "mass"), ValueError, "amount"),
    ("nan", lambda: parse_amount("nan g", "amount", "mass"), ValueError, "amount"),
    ("inf", lambda: parse_amount("inf g", "amount", "mass"), ValueError, "amount"),
    ("-inf", lambda: parse_amount(Q_(-math.inf, "g"), "amount", "mass"), ValueError, "amount"),
    ("negative", lambda: parse_amount("-4 g", "amount", "mass"), ValueError, "amount"),
    (
        "negative array",
        lambda: parse_amount(Q_(np.array([1.0, -1.0]), "g"), "amount", "mass"),
        ValueError,
        "amount",
    ),
    (
        "nan array",
        lambda: parse_amount(Q_(np.array([np.nan]), "g"), "amount", "mass"),
        ValueError,
        "amount",
    ),
    ("complex", lambda: parse_amount(Q_(1j, "g"), "amount", "mass"), TypeError, "amount"),
    (
        "foreign unknown unit",
        lambda: _foreign_smidgen(),  # noqa: PLW0108 - defined below the table
        ValueError,
        "amount",
    ),
    ("micro sign alone", lambda: parse_amount("40 µ", "amount", "mass"), ValueError, "amount"),
    (
        "thousands or decimal",
        lambda: parse_amount("1.200 mg", "dose", "mass"),
        ValueError,
        "dose: '1.200 mg' can be read two ways",
    ),
    ("12.500 g", lambda: parse_amount("12.500 g", "amount", "mass"), ValueError, "12500 g"),
    ("2.125 g", lambda: parse_amount("2.125 g", "amount", "mass"), ValueError, "2.1250 g or"),
    ("mixed micro", lambda: parse_amount("40 µμg", "amount", "mass"), ValueError, "amount"),
    ("content as mass", lambda: parse_amount("40 g", "content", "content"), ValueError, "content"),
    ("percent content", lambda: parse_amount("5 %", "content", "content"), ValueError, "content"),
    # vitamers and conversions
    ("unknown vitamer", lambda: k2.Vitamer.parse("MK-99"), LookupError, "vitamer"),
    ("vitamer int", lambda: k2.Vitamer.parse(7), LookupError, "vitamer"),
    ("K3", lambda: k2.to_amount("1 µg", "K3"), LookupError, "vitamer"),
    ("to_amount bare", lambda: k2.to_amount(100, "MK-7"), TypeError, "quantity"),
    ("to_amount moles", lambda: k2.to_amount("100 nmol", "MK-7"), ValueError, "quantity"),
    ("to_mass grams", lambda: k2.to_mass("100 g", "MK-7"), ValueError, "quantity"),
    ("mk4eq volume", lambda: k2.mk4_equivalent("1 mL", "MK-7"), ValueError, "quantity"),
    # profiles
    ("profile bare", lambda: k2.VitaminK({"K1": 3}), TypeError, "values['K1']"),
    ("profile vitamer", lambda: k2.VitaminK({"K9": "3 µg"}), LookupError, "vitamer"),
    (
        "profile mixed kinds",
        lambda: k2.VitaminK({"K1": "3 µg", "MK-7": "3 µg/day"}),
        ValueError,
        "values['MK-7']",
    ),
    ("profile empty", lambda: k2.VitaminK({}), ValueError, "kind"),
    ("profile kind", lambda: k2.VitaminK({}, kind="mass"), ValueError, "kind"),
    ("profile pool", lambda: k2.VitaminK({}, pools={"total_X": "1 µg"}), ValueError, "pool"),
    ("profile times -1", lambda: k2.VitaminK({"K1": "3 µg"}) * -1, ValueError, "factor"),
    ("profile / 0", lambda: k2.VitaminK({"K1": "3 µg"}) / 0, ValueError, "divisor"),
    ("profile * volume", lambda: k2.VitaminK({"K1": "3 µg/100 g"}) * "3 mL", ValueError, "factor"),
    (
        "profile + kind",
        lambda: k2.VitaminK({"K1": "3 µg"}) + k2.VitaminK({"K1": "3 µg/day"}),
        ValueError,
        "kind",
    ),
    (
        "mk4eq of pool",
        lambda: k2.VitaminK({}, pools={"total_K": "1 µg"}).in_mk4_equivalents(),
        ValueError,
        "total_K",
    ),
    # foods
    ("unknown food", lambda: k2.foods["tilsiter"], LookupError, "tilsiter"),
    ("misspelt food", lambda: k2.foods["nato"], LookupError, "natto"),
    ("food empty", lambda: k2.foods[""], LookupError, "no food"),
    ("food int", lambda: k2.foods[3], LookupError, "3"),
    ("portion bare", lambda: k2.foods["natto"].portion(40), TypeError, "amount"),
    (
        "portion volume no density",
        lambda: k2.foods["douchi"].portion("250 mL"),
        ValueError,
        "amount",
    ),
    ("portion negative", lambda: k2.foods["natto"].portion("-40 g"), ValueError, "amount"),
    ("records unknown", lambda: k2.foods.records("nope"), LookupError, "nope"),
    # people
    ("pregnant male", lambda: k2.Person(age=30, sex="male", pregnant=True), ValueError, "pregnant"),
    (
        "lactating male",
        lambda: k2.Person(age=30, sex="male", lactating=True),
        ValueError,
        "lactating",
    ),
    (
        "pregnant at 5",
        lambda: k2.Person(age=5, sex="female", pregnant=True),
        ValueError,
        "pregnant",
    ),
    ("negative age", lambda: k2.Person(age=-1, sex="female"), ValueError, "age"),
    ("age 300", lambda: k2.Person(age=300, sex="female"), ValueError, "age"),
    ("age nan", lambda: k2.Person(age=math.nan, sex="female"), ValueError, "age"),
    ("age mass", lambda: k2.Person(age="40 kg", sex="female"), ValueError, "age"),
    ("age text", lambda: k2.Person(age="forty", sex="female"), ValueError, "age"),
    ("sex unknown", lambda: k2.Person(age=40, sex="x"), ValueError, "sex"),
    (
        "300 kg infant",
        lambda: k2.Person(age=0.5, sex="female", body_weight="300 kg"),
        ValueError,
        "body_weight",
    ),
    (
        "weight bare",
        lambda: k2.Person(age=40, sex="female", body_weight=70),
        ValueError,
        "body_weight",
    ),
    (
        "weight zero",
        lambda: k2.Person(age=40, sex="female", body_weight="0 kg"),
        ValueError,
        "body_weight",
    ),
    (
        "trimester not pregnant",
        lambda: k2.Person(age=30, sex="female", trimester=1),
        ValueError,
        "trimester",
    ),
    (
        "flag not bool",
        lambda: k2.Person(age=30, sex="female", on_anticoagulant="no"),
        ValueError,
        "True or False",
    ),
    # frequencies, portions, supplements, diets
    ("freq empty", lambda: parse_frequency(""), ValueError, "per"),
    ("freq words", lambda: parse_frequency("now and then"), ValueError, "per"),
    ("freq zero period", lambda: parse_frequency("2/0 week"), ValueError, "per"),
    ("freq bare", lambda: parse_frequency(2), ValueError, "per"),
    ("freq mass", lambda: parse_frequency(Q_(2, "g")), ValueError, "per"),
    ("freq unknown period", lambda: parse_frequency("2/decade"), ValueError, "per"),
    ("portion unknown food", lambda: k2.Portion("unobtainium", "40 g"), LookupError, "unobtainium"),
    ("portion per", lambda: k2.Portion("natto", "40 g", per="sometimes"), ValueError, "per"),
    ("supplement IU for MK-7", lambda: k2.Supplement("MK-7", "100 IU"), ValueError, "dose"),
    ("supplement nutrient", lambda: k2.Supplement("zinc", "10 mg"), LookupError, "nutrient"),
    ("supplement volume", lambda: k2.Supplement("MK-7", "1 mL"), ValueError, "dose"),
    ("diet item", lambda: k2.Diet(["natto 40 g"]), ValueError, "items[0]"),
    ("diet str", lambda: k2.Diet("natto"), ValueError, "items"),
    # guidelines and checks
    ("unknown guideline", lambda: k2.guidelines["iom-2002"], LookupError, "iom-2002"),
    (
        "check unknown guideline",
        lambda: k2.check(k2.Diet([]), WOMAN, "who-2004"),
        LookupError,
        "who-2004",
    ),
    (
        "check person dict",
        lambda: k2.check(k2.Diet([]), {"age": 4}, "iom-2001"),
        ValueError,
        "person",
    ),
    (
        "suggest calcium",
        lambda: k2.suggest(k2.Diet([]), WOMAN, "iom-2011-calcium", ["natto"]),
        ValueError,
        "iom-2011-calcium",
    ),
    (
        "suggest unknown food",
        lambda: k2.suggest(k2.Diet([]), WOMAN, "iom-2001", ["nato"]),
        LookupError,
        "nato",
    ),
    # cohorts
    (
        "cohort no food column",
        lambda: daily_intake(_records().drop(columns="food")),
        ValueError,
        "food",
    ),
    ("cohort unknown food", lambda: daily_intake(_records(food=["nato"])), ValueError, "nato"),
    ("cohort negative", lambda: daily_intake(_records(amount_g=[-1.0])), ValueError, "negative"),
    ("cohort text amount", lambda: daily_intake(_records(amount_g=["lots"])), ValueError, "amount"),
    (
        "cohort unit",
        lambda: daily_intake(
            _records(amount_g=None).drop(columns="amount_g").assign(amount=[4], unit=["furlong"])
        ),
        ValueError,
        "unit",
    ),
    (
        "cohort duplicate ids",
        lambda: assess(_records(), pd.concat([_persons(), _persons()])),
        ValueError,
        "duplicate person_id",
    ),
    (
        "cohort person missing",
        lambda: assess(_records(person_id=[2]), _persons()),
        ValueError,
        "person_id",
    ),
    ("cohort sex", lambda: assess(_records(), _persons(sex=["x"])), ValueError, "sex"),
    (
        "cohort pregnant text",
        lambda: assess(_records(), _persons(pregnant=["maybe"])),
        ValueError,
        "pregnant",
    ),
    # JSON and FoodData Central files
    ("json not json", lambda: from_json("{person", k2.Person), ValueError, "$"),
    (
        "json age text",
        lambda: from_json('{"age": "old", "sex": "female"}', k2.Person),
        ValueError,
        "age",
    ),
    (
        "json negative dose",
        lambda: from_json(
            '{"items": [{"type": "supplement", "nutrient": "MK-7",'
            ' "dose": {"magnitude": -1, "units": "microgram"}, "per": "daily"}]}',
            k2.Diet,
        ),
        ValueError,
        "items[0]",
    ),
    ("json unknown vitamer", lambda: from_json('"MK-99"', k2.Vitamer), ValueError, "MK-99"),
    (
        "json profile without unit",
        lambda: from_json('{"kind": "amount", "values": {"K1": 90}}', k2.VitaminK),
        ValueError,
        "unit: required",
    ),
    (
        "json vitamer valued and not analysed",
        lambda: from_json(
            '{"kind": "amount", "unit": "µg", "values": {"K1": 9}, "not_analysed": ["K1"]}',
            k2.VitaminK,
        ),
        ValueError,
        "not_analysed: K1",
    ),
    (
        "json carat alias",
        lambda: from_json('{"magnitude": 2, "units": "ct"}', pint.Quantity),
        ValueError,
        "units: unknown unit 'ct'",
    ),
    ("fdc missing folder", lambda: fdc.load("no/such/folder"), ValueError, "no/such/folder"),
    (
        "cohort guideline",
        lambda: assess(_records(), _persons(), guidelines=["nope"]),
        LookupError,
        "nope",
    ),
]


def _foreign_smidgen() -> object:
    reg = other_registry()
    reg.define("smidgen = 0.1 gram")
    return parse_amount(reg.Quantity(2, "smidgen"), "amount", "mass")


@pytest.mark.parametrize(
    ("call", "builtin", "field"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_bad_input(call: Callable[[], object], builtin: type[Exception], field: str) -> None:
    with pytest.raises(K2NutritionError) as info:
        call()
    assert isinstance(info.value, builtin), type(info.value).__mro__
    assert field in str(info.value), str(info.value)


def test_catalogue_size() -> None:
    assert len(CASES) + len(CLI_CASES) >= 80


CLI_CASES = [
    ["check", "natto", "--age", "40", "--sex", "female"],
    ["check", "natto forty g", "--age", "40", "--sex", "female"],
    ["check", "natto 40 g", "--age", "abc", "--sex", "female"],
    ["check", "natto 40 g", "--age", "40", "--sex", "female", "--weight", "70"],
    ["check", "natto 40 g", "--age", "4", "--sex", "female", "--pregnant"],
    ["check", "nato 40 g", "--age", "40", "--sex", "female"],
    ["check", "natto 40 g 3/decade", "--age", "40", "--sex", "female"],
    ["check", "vitamin D 1000 IU", "calcium 100 IU", "--age", "40", "--sex", "female"],
]


@pytest.mark.parametrize("args", CLI_CASES)
def test_bad_command_lines(args: list[str]) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "k2nutrition", *args], capture_output=True, text=True, check=False
    )
    assert out.returncode == 2, out.stdout
    assert out.stderr.startswith("k2nutrition: error: ")
    assert "Traceback" not in out.stderr


# -- the strict amount grammar, plausibility, overflow and nonsense ---------------------------
#
# (case id, call, the exact error class, text the message must contain: the argument's name)

_HUGE_DIGITS = "9" * 100_000
_LONG_TEXT = "40 " + "g" * 10_000


def _mass(text: str) -> object:
    return parse_amount(text, "amount", "mass")


STRICT_CASES: list[tuple[str, Callable[[], object], type[Exception], str]] = [
    # grammar: one number, one unit, nothing else
    ("decimal comma", lambda: _mass("1,5 g"), AmountError, "decimal point"),
    ("decimal comma no space", lambda: _mass("1,5g"), AmountError, "amount"),
    ("thousands comma", lambda: _mass("1,500 g"), AmountError, "digit"),
    ("thousands space", lambda: _mass("1 500 g"), AmountError, "amount"),
    ("thousands underscore", lambda: _mass("1_500 g"), AmountError, "amount"),
    ("thousands apostrophe", lambda: _mass("1'500 g"), AmountError, "amount"),
    ("two numbers", lambda: _mass("40 50 g"), AmountError, "amount"),
    ("range", lambda: _mass("40-50 g"), AmountError, "range"),
    ("range tilde", lambda: _mass("40~50 g"), AmountError, "range"),
    ("product", lambda: _mass("2*40 g"), AmountError, "arithmetic"),
    ("times x", lambda: _mass("2x40 g"), AmountError, "arithmetic"),
    ("power", lambda: _mass("10^3 g"), AmountError, "arithmetic"),
    ("sum", lambda: _mass("40 g + 5 g"), AmountError, "arithmetic"),
    ("unit product", lambda: _mass("40 g*2"), AmountError, "arithmetic"),
    ("brackets", lambda: _mass("(40) g"), AmountError, "amount"),
    ("bracketed unit", lambda: _mass("40 (g)"), AmountError, "arithmetic"),
    ("fraction", lambda: _mass("1/2 g"), AmountError, "fraction"),
    ("vulgar fraction", lambda: parse_amount("½ cup", "amount", "volume"), AmountError, "digits"),
    ("unit first", lambda: _mass("g 40"), AmountError, "number first"),
    ("words", lambda: _mass("forty g"), AmountError, "no number"),
    ("arabic-indic digits", lambda: _mass("٤٠ g"), AmountError, "0-9"),
    ("plus sign", lambda: _mass("+40 g"), AmountError, "'+'"),
    ("minus sign", lambda: _mass("-40 g"), AmountError, "negative"),
    ("unicode minus", lambda: _mass("\u221240 g"), AmountError, "negative"),
    ("two dots", lambda: _mass("1.2.3 g"), AmountError, "one number"),
    ("hex", lambda: _mass("0x10 g"), AmountError, "amount"),
    ("exponent overflow", lambda: _mass("1e400 g"), AmountError, "finite"),
    ("nan text", lambda: _mass("nan g"), AmountError, "finite"),
    ("infinity text", lambda: _mass("infinity g"), AmountError, "finite"),
    ("unit twice", lambda: _mass("40 g g"), AmountError, "unknown unit"),
    ("two units", lambda: _mass("40 g mg"), AmountError, "unknown unit"),
    ("implicit product", lambda: _mass("40 g 2"), AmountError, "arithmetic"),
    ("unit per unit per unit", lambda: _mass("40 g/kg/d"), AmountError, "amount"),
    ("grams misspelt", lambda: _mass("40 gramms"), AmountError, "unknown unit"),
    ("megagram", lambda: _mass("40 Mg"), RefusedUnitError, "megagram"),
    ("MG ambiguous", lambda: _mass("40 MG"), RefusedUnitError, "ambiguous"),
    ("KG case", lambda: _mass("40 KG"), AmountError, "case-sensitive"),
    ("G giga", lambda: _mass("40 G"), RefusedUnitError, "giga"),
    ("MCG case", lambda: _mass("90 MCG"), AmountError, "mcg"),
    (
        "ML megalitre",
        lambda: parse_amount("40 ML", "amount", "volume"),
        RefusedUnitError,
        "megalitre",
    ),
    ("IU for mass", lambda: _mass("400 IU"), RefusedUnitError, "vitamin D"),
    ("percent", lambda: _mass("5 %"), RefusedUnitError, "percentage"),
    ("pint expression", lambda: _mass("40 g * 2"), AmountError, "arithmetic"),
    ("pint function", lambda: _mass("sqrt(4) g"), AmountError, "amount"),
    ("pint constant", lambda: _mass("pi g"), AmountError, "no number"),
    ("tonne", lambda: _mass("1 t"), AmountError, "unknown unit"),
    ("grain", lambda: _mass("1 grain"), AmountError, "unknown unit"),
    ("length", lambda: _mass("40 m"), AmountError, "unknown unit"),
    ("content zero divisor", lambda: parse_amount("5 µg/0 g", "c", "content"), AmountError, "c"),
    ("content two slashes", lambda: parse_amount("5 µg/100/g", "c", "content"), AmountError, "c"),
    ("content of volume", lambda: parse_amount("5 µg/mL", "c", "content"), DimensionError, "c"),
    ("age decimal comma", lambda: k2.Person(age="1,5 years", sex="female"), PersonError, "point"),
    ("age arithmetic", lambda: k2.Person(age="1 year 6 months", sex="female"), PersonError, "age"),
    ("age megayear", lambda: k2.Person(age="5 My", sex="female"), PersonError, "age"),
    ("age huge int", lambda: k2.Person(age=10**400, sex="female"), PersonError, "age"),
    ("portion decimal comma", lambda: k2.foods["natto"].portion("1,5 g"), AmountError, "point"),
    ("Portion decimal comma", lambda: k2.Portion("natto", "1,5 g"), AmountError, "amount"),
    ("dose decimal comma", lambda: k2.Supplement("MK-7", "1,5 mg"), AmountError, "dose"),
    # long and huge text: refused at once, before any parsing
    ("100k digits", lambda: _mass(_HUGE_DIGITS + " g"), AmountError, "characters"),
    ("long unit", lambda: _mass(_LONG_TEXT), AmountError, "characters"),
    ("long frequency", lambda: parse_frequency("2/" + "w" * 10_000), FrequencyError, "per"),
    ("long vitamer", lambda: k2.Vitamer.parse("MK-" + "7" * 10_000), UnknownVitamerError, "name"),
    ("long age", lambda: k2.Person(age=_HUGE_DIGITS + " y", sex="female"), PersonError, "age"),
    ("long food name", lambda: k2.foods["x" * 100_000], UnknownFoodError, "100,000 characters"),
    (
        "long guideline id",
        lambda: k2.guidelines["x" * 100_000],
        UnknownGuidelineError,
        "100,000 characters",
    ),
    ("long item", lambda: parse_item("natto " + "9" * 100_000 + " g"), ItemError, "characters"),
    # frequencies
    ("freq zero", lambda: parse_frequency("0/week"), FrequencyError, "per"),
    ("freq zero words", lambda: parse_frequency("0 times a week"), FrequencyError, "per"),
    ("freq negative", lambda: parse_frequency("-2/week"), FrequencyError, "negative"),
    ("freq absurd", lambda: parse_frequency("1000/day"), FrequencyError, "plausible"),
    ("freq decimal comma", lambda: parse_frequency("1,5/week"), FrequencyError, "point"),
    ("freq arithmetic", lambda: parse_frequency("2*2/week"), FrequencyError, "per"),
    ("freq quantity zero", lambda: parse_frequency(Q_(0, "1/day")), FrequencyError, "per"),
    ("freq quantity negative", lambda: parse_frequency(Q_(-1, "1/day")), FrequencyError, "per"),
    ("freq quantity inf", lambda: parse_frequency(Q_(math.inf, "1/day")), FrequencyError, "per"),
    ("freq chinese zero", lambda: parse_frequency("每周0次"), FrequencyError, "per"),
    ("freq chinese unknown", lambda: parse_frequency("每年2次"), FrequencyError, "per"),
    ("freq not str", lambda: parse_frequency(["2/week"]), FrequencyError, "per"),
    # people
    ("pregnant at 60", lambda: k2.Person(age=60, sex="female", pregnant=True), PersonError, "55"),
    ("pregnant at 80", lambda: k2.Person(age=80, sex="female", pregnant=True), PersonError, "preg"),
    (
        "pregnant at 125",
        lambda: k2.Person(age=125, sex="female", pregnant=True),
        PersonError,
        "pregnant",
    ),
    (
        "lactating at 70",
        lambda: k2.Person(age=70, sex="female", lactating=True),
        PersonError,
        "lactating",
    ),
    (
        "pregnant and lactating",
        lambda: k2.Person(age=30, sex="female", pregnant=True, lactating=True),
        PersonError,
        "pregnant and lactating",
    ),
    (
        "trimester 4",
        lambda: k2.Person(age=30, sex="female", pregnant=True, trimester=4),
        PersonError,
        "trimester",
    ),
    (
        "trimester bool",
        lambda: k2.Person(age=30, sex="female", pregnant=True, trimester=True),
        PersonError,
        "trimester",
    ),
    (
        "trimester text",
        lambda: k2.Person(age=30, sex="female", pregnant=True, trimester="2"),
        PersonError,
        "trimester",
    ),
    (
        "weight 70 g",
        lambda: k2.Person(age=40, sex="female", body_weight="70 g"),
        PersonError,
        "body_weight",
    ),
    (
        "weight 1000 kg",
        lambda: k2.Person(age=40, sex="female", body_weight="1000 kg"),
        PersonError,
        "body_weight",
    ),
    (
        "weight 70 mg",
        lambda: k2.Person(age=40, sex="female", body_weight="70 mg"),
        PersonError,
        "body_weight",
    ),
    (
        "weight 70 Mg",
        lambda: k2.Person(age=40, sex="female", body_weight="70 Mg"),
        PersonError,
        "body_weight",
    ),
    (
        "infant 70 g",
        lambda: k2.Person(age=0.5, sex="female", body_weight="70 g"),
        PersonError,
        "body_weight",
    ),
    (
        "weight comma",
        lambda: k2.Person(age=40, sex="female", body_weight="62,5 kg"),
        PersonError,
        "body_weight",
    ),
    (
        "weight inf",
        lambda: k2.Person(age=40, sex="female", body_weight="1e400 kg"),
        PersonError,
        "body_weight",
    ),
    # portions and doses: absurd amounts
    ("portion 20 kg", lambda: k2.Portion("natto", "20 kg"), AmountError, "amount"),
    ("portion 1e308 g", lambda: k2.Portion("natto", "1e308 g"), AmountError, "amount"),
    ("portion Mg", lambda: k2.Portion("natto", "40 Mg"), RefusedUnitError, "megagram"),
    ("dose 2 g of K1", lambda: k2.Supplement("K1", "2 g"), AmountError, "dose"),
    ("dose 5 g of MK-7", lambda: k2.Supplement("MK-7", "5 g"), AmountError, "dose"),
    ("dose 90 mg of MK-7", lambda: k2.Supplement("MK-7", "90 mg"), AmountError, "dose: 90 mg"),
    ("dose 1 g of MK-7", lambda: k2.Supplement("MK-7", "1 g"), AmountError, "µg rather than mg"),
    ("dose 200 mg of MK-4", lambda: k2.Supplement("MK-4", "200 mg"), AmountError, "MK-4"),
    ("dose 60 mg of K1", lambda: k2.Supplement("K1", "60 mg"), AmountError, "50 mg"),
    ("dose 50 g calcium", lambda: k2.Supplement("calcium", "50 g"), AmountError, "dose"),
    ("dose vitamin D IU huge", lambda: k2.Supplement("vitamin D", "1e7 IU"), AmountError, "dose"),
    ("dose IU comma", lambda: k2.Supplement("vitamin D", "1,000 IU"), AmountError, "dose"),
    ("dose IU negative", lambda: k2.Supplement("vitamin D", "-5 IU"), AmountError, "dose"),
    ("dose IU inf", lambda: k2.Supplement("vitamin D", "1e400 IU"), AmountError, "dose"),
    ("dose IU calcium", lambda: k2.Supplement("calcium", "100 IU"), DimensionError, "dose"),
    # overflow: never inf or nan out of the public API
    ("food portion 1e308 g", lambda: k2.foods["natto"].portion("1e308 g"), NonFiniteError, "MK-7"),
    (
        "profile times huge",
        lambda: k2.VitaminK({"K1": "1e300 µg"}) * 1e300,
        NonFiniteError,
        "K1",
    ),
    (
        "profile plus overflow",
        lambda: k2.VitaminK({"K1": "1.7e308 µg"}) + k2.VitaminK({"K1": "1.7e308 µg"}),
        NonFiniteError,
        "K1",
    ),
    (
        "profile divide tiny",
        lambda: k2.VitaminK({"K1": "1e300 µg"}) / 1e-300,
        NonFiniteError,
        "K1",
    ),
    (
        "profile times quantity",
        lambda: k2.VitaminK({"K1": "1e300 µg/100 g"}) * Q_(1e300, "kg"),
        NonFiniteError,
        "K1",
    ),
    ("to_amount overflow", lambda: k2.to_amount("1e308 kg", "MK-7"), NonFiniteError, "to_amount"),
    ("to_mass overflow", lambda: k2.to_mass("1e308 mol", "MK-7"), NonFiniteError, "to_mass"),
    # raw exceptions from inside become ours
    ("to_amount unit g", lambda: k2.to_amount("1 µg", "MK-7", unit="g"), DimensionError, "unit"),
    (
        "to_amount unit bogus",
        lambda: k2.to_amount("1 µg", "MK-7", unit="bogus"),
        DimensionError,
        "unit",
    ),
    ("to_mass unit nmol", lambda: k2.to_mass("1 nmol", "K1", unit="nmol"), DimensionError, "unit"),
    ("to_amount unit int", lambda: k2.to_amount("1 µg", "K1", unit=3), DimensionError, "unit"),
    (
        "profile shapes",
        lambda: k2.VitaminK(
            {"K1": Q_(np.array([1.0, 2.0]), "µg"), "MK-7": Q_(np.array([1.0, 2.0, 3.0]), "µg")}
        ),
        ShapeError,
        "shapes",
    ),
    (
        "profile add shapes",
        lambda: (
            k2.VitaminK({"K1": Q_(np.ones(2), "µg")}) + k2.VitaminK({"K1": Q_(np.ones(3), "µg")})
        ),
        ShapeError,
        "shapes",
    ),
    # checks and guidelines
    (
        "check array amounts",
        lambda: k2.check(
            k2.Diet([k2.Portion("natto", Q_(np.array([1.0, 2.0]), "g"))]), WOMAN, "iom-2001"
        ),
        AmountTypeError,
        "diet",
    ),
    (
        "check_all array doses",
        lambda: k2.check_all(k2.Diet([k2.Supplement("MK-7", Q_(np.ones(2), "µg"))]), WOMAN),
        AmountTypeError,
        "diet",
    ),
    (
        "check_all bogus nutrient",
        lambda: k2.check_all(k2.Diet([]), WOMAN, nutrients="bogus"),
        CheckError,
        "nutrients",
    ),
    (
        "check_all bogus in list",
        lambda: k2.check_all(k2.Diet([]), WOMAN, nutrients=["vitamin_k", "vit k"]),
        CheckError,
        "vit k",
    ),
    (
        "check_all nutrients number",
        lambda: k2.check_all(k2.Diet([]), WOMAN, nutrients=3),
        CheckError,
        "nutrients",
    ),
    (
        "guidelines filter bogus",
        lambda: k2.guidelines.filter(nutrient="bogus"),
        UnknownGuidelineError,
        "nutrient",
    ),
    (
        "guidelines filter purpose",
        lambda: k2.guidelines.filter(purpose="fun"),
        UnknownGuidelineError,
        "purpose",
    ),
    # cohort persons follow the same rules as Person
    (
        "cohort pregnant at 60",
        lambda: assess(_records(), _persons(age=[60], pregnant=[True])),
        CohortError,
        "10-55 years",
    ),
    (
        "cohort pregnant and lactating",
        lambda: assess(_records(), _persons(pregnant=[True], lactating=[True])),
        CohortError,
        "pregnant and lactating",
    ),
    # vitamers
    ("K2 ambiguous", lambda: k2.Vitamer.parse("K2"), AmbiguousVitamerError, "MK-7"),
    ("vitamin K2 ambiguous", lambda: k2.Vitamer.parse("vitamin K2"), AmbiguousVitamerError, "MK-4"),
    ("维生素K2 ambiguous", lambda: k2.Vitamer.parse("维生素K2"), AmbiguousVitamerError, "MK-7"),
    ("menaquinone ambiguous", lambda: k2.Vitamer.parse("menaquinone"), AmbiguousVitamerError, "MK"),
    ("supplement K2", lambda: k2.Supplement("K2", "90 µg"), AmbiguousVitamerError, "MK-7"),
    ("to_amount K2", lambda: k2.to_amount("90 µg", "K2"), AmbiguousVitamerError, "MK-7"),
    (
        "two spellings of MK-7",
        lambda: k2.VitaminK({"mk7": "1 µg", "MK-7": "2 µg"}),
        AmountError,
        "twice",
    ),
    (
        "two spellings of K1",
        lambda: k2.VitaminK({"K1": "1 µg", "phylloquinone": "2 µg"}),
        AmountError,
        "twice",
    ),
    (
        "two spellings of a pool",
        lambda: k2.VitaminK({}, pools={"total_K": "1 µg", "TOTAL_K": "2 µg"}),
        AmountError,
        "twice",
    ),
]


@pytest.mark.parametrize(
    ("call", "error", "field"),
    [c[1:] for c in STRICT_CASES],
    ids=[c[0] for c in STRICT_CASES],
)
def test_strict_input(call: Callable[[], object], error: type[Exception], field: str) -> None:
    with pytest.raises(K2NutritionError) as info:
        call()
    assert type(info.value) is error, type(info.value).__mro__
    assert field in str(info.value), str(info.value)
    assert "Traceback" not in str(info.value)


# -- the command line: one line on standard error, exit 2 for input, 1 for output -------------

_PERSON = ["--age", "40", "--sex", "female"]


def _cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    out = io.StringIO()
    code = cli.main(args, out=out)
    captured = capsys.readouterr()
    return code, out.getvalue() + captured.out, captured.err


# (case id, argv, exit status, text the one line on standard error must contain)
CLI_STRICT_CASES: list[tuple[str, list[str], int, str]] = [
    ("item decimal comma", ["check", "natto 1,5 g", *_PERSON], 2, "'natto 1,5 g'"),
    ("item thousands or decimal", ["check", "MK-7 1.200 mg", *_PERSON], 2, "1.2 mg or 1200"),
    (
        "frequency thousands or decimal",
        ["check", "natto 40 g 1.000/month", *_PERSON],
        2,
        "write 1/month or 1000/month",
    ),
    ("item egg count", ["check", "egg 2", *_PERSON], 2, "'2 large' (50.3 g), '2 extra"),
    ("item egg count daily", ["check", "egg 2 daily", *_PERSON], 2, "'2 medium' (44 g)"),
    ("item 鸡蛋 2个", ["check", "鸡蛋 2个", *_PERSON], 2, "'2 large'"),
    ("item natto パック", ["check", "natto 1パック", *_PERSON], 2, "cup (175 g)"),
    ("item 斤", ["check", "豆腐 1斤", *_PERSON], 2, "公斤"),
    ("item 两", ["check", "豆腐 2两", *_PERSON], 2, "50 g in mainland China"),
    ("item 兩", ["check", "豆腐 2 兩", *_PERSON], 2, "37.5 g in Taiwan"),
    ("item 杯", ["check", "milk 1杯", *_PERSON], 2, "毫升"),
    ("item MK-7 1个", ["check", "MK-7 1个", *_PERSON], 2, "one size of piece"),
    ("age thousands", ["check", "natto 40 g", "--age", "1.500", "--sex", "female"], 2, "--age"),
    ("item megagram", ["check", "natto 40 Mg", *_PERSON], 2, "megagram"),
    ("item MG", ["check", "natto 40 MG", *_PERSON], 2, "ambiguous"),
    ("item K2", ["check", "K2 90 µg", *_PERSON], 2, "MK-7"),
    ("item vitamin K2", ["check", "vitamin K2 90 µg", *_PERSON], 2, "MK-4"),
    ("item 维生素K2", ["check", "维生素K2 90 µg", *_PERSON], 2, "MK-7"),
    ("item zero frequency", ["check", "natto 40 g 0/week", *_PERSON], 2, "'0/week'"),
    ("item negative frequency", ["check", "natto 40 g -2/week", *_PERSON], 2, "per"),
    ("item absurd frequency", ["check", "natto 40 g 1000/day", *_PERSON], 2, "plausible"),
    ("item unknown frequency", ["check", "natto 40 g sometimes", *_PERSON], 2, "'sometimes'"),
    ("item 1e308 g", ["check", "natto 1e308 g", *_PERSON], 2, "plausible"),
    ("item 1e308 g json", ["check", "natto 1e308 g", *_PERSON, "--json"], 2, "plausible"),
    ("item 20 kg", ["check", "natto 20 kg", *_PERSON], 2, "one portion"),
    ("item 5 g MK-7", ["check", "MK-7 5 g", *_PERSON], 2, "dose"),
    (
        "item 90 mg MK-7 anticoagulant",
        ["check", "MK-7 90 mg", *_PERSON, "--anticoagulant"],
        2,
        "not plausible for a dose of MK-7",
    ),
    ("item 1 g MK-7", ["check", "MK-7 1 g", *_PERSON], 2, "µg rather than mg"),
    ("item no amount", ["check", "natto", *_PERSON], 2, "'natto'"),
    ("item words for number", ["check", "natto forty g", *_PERSON], 2, "'natto forty g'"),
    ("item misspelt food", ["check", "nato 40 g", *_PERSON], 2, "'natto'"),
    ("item unknown food", ["check", "unobtainium 40 g", *_PERSON], 2, "k2nutrition foods"),
    ("item arithmetic", ["check", "natto 2*40 g", *_PERSON], 2, "arithmetic"),
    ("item fraction", ["check", "natto 1/2 g", *_PERSON], 2, "fraction"),
    ("item IU calcium", ["check", "calcium 100 IU", *_PERSON], 2, "IU"),
    ("item long", ["check", "natto " + "g" * 300, *_PERSON], 2, "characters"),
    ("item 100k digits", ["check", "natto " + "9" * 100_000 + " g", *_PERSON], 2, "characters"),
    ("item volume no density", ["check", "natto 250 mL", *_PERSON], 2, "density"),
    ("age comma", ["check", "natto 40 g", "--age", "1,5 years", "--sex", "female"], 2, "--age"),
    ("age text", ["check", "natto 40 g", "--age", "abc", "--sex", "female"], 2, "--age"),
    ("age 300", ["check", "natto 40 g", "--age", "300", "--sex", "female"], 2, "--age"),
    ("age negative", ["check", "natto 40 g", "--age", "-1", "--sex", "female"], 2, "--age"),
    ("age nan", ["check", "natto 40 g", "--age", "nan", "--sex", "female"], 2, "--age"),
    ("age inf", ["check", "natto 40 g", "--age", "inf", "--sex", "female"], 2, "--age"),
    ("age 1e400", ["check", "natto 40 g", "--age", "1e400", "--sex", "female"], 2, "--age"),
    ("age underscore", ["check", "natto 40 g", "--age", "4_0", "--sex", "female"], 2, "--age"),
    ("weight 70 g", ["check", "natto 40 g", *_PERSON, "--weight", "70 g"], 2, "--body-weight"),
    ("weight 1000 kg", ["check", "natto 40 g", *_PERSON, "--weight", "1000 kg"], 2, "--body"),
    ("weight bare", ["check", "natto 40 g", *_PERSON, "--weight", "70"], 2, "--body-weight"),
    (
        "pregnant at 60",
        ["check", "natto 40 g", "--age", "60", "--sex", "female", "--pregnant"],
        2,
        "--pregnant",
    ),
    (
        "pregnant and lactating",
        ["check", "natto 40 g", *_PERSON, "--pregnant", "--lactating"],
        2,
        "--pregnant",
    ),
    (
        "trimester 4",
        ["check", "natto 40 g", *_PERSON, "--pregnant", "--trimester", "4"],
        2,
        "--trimester",
    ),
    (
        "trimester not pregnant",
        ["check", "natto 40 g", *_PERSON, "--trimester", "2"],
        2,
        "--trimester",
    ),
    ("sex unknown", ["check", "natto 40 g", "--age", "40", "--sex", "x"], 2, "--sex"),
    ("no age", ["check", "natto 40 g", "--sex", "female"], 2, "--age"),
    ("no command", [], 2, "command"),
    ("unknown command", ["eat"], 2, "eat"),
    ("unknown option", ["check", "natto 40 g", *_PERSON, "--colour"], 2, "--colour"),
    ("unknown guideline", ["check", "natto 40 g", *_PERSON, "--guideline", "bogus"], 2, "bogus"),
    ("guidelines nutrient", ["guidelines", "--nutrient", "bogus"], 2, "vitamin_k"),
    (
        "cohort chunksize",
        ["cohort", "r.csv", "p.csv", "-o", "o.csv", "--chunksize", "0"],
        2,
        "chunk",
    ),
    ("cohort missing input", ["cohort", "no-such.csv", "p.csv", "-o", "o.csv"], 2, "no-such.csv"),
    ("output missing folder", ["cohort", "r.csv", "p.csv", "-o", "no/such/o.csv"], 1, "no/such"),
    ("output a folder", ["cohort", "r.csv", "p.csv", "-o", "."], 1, "folder"),
    ("output xlsx", ["cohort", "r.csv", "p.csv", "-o", "o.xlsx"], 2, "'.xlsx'"),
    (
        "chunksize negative",
        ["cohort", "r.csv", "p.csv", "-o", "o.csv", "--chunksize", "-3"],
        2,
        "--chunksize",
    ),
    ("line break in an option", ["check", "natto 40 g", *_PERSON, "--x\ny"], 2, "--x\\ny"),
    ("utf-16 records", ["cohort", "u16.csv", "p.csv", "-o", "o.csv"], 2, "UTF-8"),
    ("output no suffix", ["cohort", "r.csv", "p.csv", "-o", "results"], 2, "--format"),
    (
        "output suffix against format",
        ["cohort", "r.csv", "p.csv", "-o", "o.csv", "--format", "parquet"],
        2,
        "--format says parquet",
    ),
    ("age twice", ["check", "natto 40 g", *_PERSON, "--age", "60"], 2, "--age"),
    ("age empty", ["check", "natto 40 g", "--age", "", "--sex", "male"], 2, "'55 years'"),
    ("weight empty", ["check", "natto 40 g", *_PERSON, "--weight", " "], 2, "'70 kg'"),
    ("foods long query", ["foods", "a" * 100_000], 2, "query: the text is 100,000"),
    ("nutrient long", ["guidelines", "--nutrient", "a" * 100_000], 2, "--nutrient: the text"),
    ("sex twice", ["check", "natto 40 g", *_PERSON, "--sex", "male"], 2, "--sex"),
    ("sex twice, same", ["check", "natto 40 g", *_PERSON, "--sex", "female"], 2, "--sex"),
    (
        "weight and body weight",
        ["check", "natto 40 g", *_PERSON, "--weight", "60 kg", "--body-weight", "61 kg"],
        2,
        "--body-weight",
    ),
    (
        "trimester twice",
        ["check", "natto 40 g", *_PERSON, "--pregnant", "--trimester", "1", "--trimester", "2"],
        2,
        "--trimester",
    ),
    ("lang twice", ["foods", "natto", "--lang", "zh", "--lang", "ja"], 2, "--lang"),
    ("nutrient twice", ["guidelines", "--nutrient", "mk7", "--nutrient", "calcium"], 2, "--nutr"),
    ("output twice", ["cohort", "r.csv", "p.csv", "-o", "a.csv", "-o", "b.csv"], 2, "--output"),
    (
        "chunksize twice",
        ["cohort", "r.csv", "p.csv", "-o", "a.csv", "--chunksize", "9", "--chunksize", "8"],
        2,
        "--chunksize",
    ),
]


@pytest.mark.parametrize(
    ("args", "status", "field"),
    [c[1:] for c in CLI_STRICT_CASES],
    ids=[c[0] for c in CLI_STRICT_CASES],
)
def test_command_line_failures_are_one_line(
    args: list[str],
    status: int,
    field: str,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    _cohort_files(tmp_path, "r.csv", "p.csv")
    (tmp_path / "u16.csv").write_text("person_id,day,food,amount_g\n1,1,natto,40\n", "utf-16")
    code, _out, err = _cli(args, capsys)
    assert code == status, err
    assert err.count("\n") == 1, err
    assert err.startswith("k2nutrition"), err
    assert ": error: " in err
    assert field in err, err
    assert "Traceback" not in err
    for python_call in ("Q_(", "foods.search(", "guidelines.ids"):
        assert python_call not in err, err


def test_catalogue_grew_by_a_hundred() -> None:
    assert len(STRICT_CASES) + len(CLI_STRICT_CASES) >= 100


def test_output_to_a_full_device_is_one_line_and_status_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full on this system")
    records, persons = _cohort_files(tmp_path)
    args = ["cohort", records, persons, "-o", "/dev/full", "--format", "csv", "--quiet"]
    code, _out, err = _cli(args, capsys)
    assert code == 1
    assert err.startswith("k2nutrition: error: -o /dev/full: cannot write")
    assert err.count("\n") == 1


def _cohort_files(
    folder: Path, records_name: str = "records.csv", persons_name: str = "persons.csv"
) -> tuple[str, str]:
    records, persons = folder / records_name, folder / persons_name
    records.write_text("person_id,day,food,amount_g\n1,1,natto,40\n", encoding="utf-8")
    persons.write_text("person_id,age,sex\n1,40,female\n", encoding="utf-8")
    return str(records), str(persons)


def _strict_json(text: str) -> object:
    def refuse(constant: str) -> object:
        raise ValueError(f"not strict JSON: {constant}")

    return json.loads(text, parse_constant=refuse)


def test_json_holds_pooled_totals_and_is_strict(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = _cli(["check", "douchi 30 g", *_PERSON, "--json"], capsys)
    assert code == 0
    payload = _strict_json(out)
    assert isinstance(payload, dict)
    assert payload["vitamin_k_per_day"], payload
    pools = k2.foods["douchi"].content.pools
    assert {p.value for p in pools} <= set(payload["vitamin_k_per_day"])


def test_a_repeated_guideline_is_checked_once(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["check", "natto 40 g", *_PERSON, "--guideline", "iom-2001", "--guideline", "iom-2001"]
    code, out, _err = _cli([*args, "--json"], capsys)
    assert code == 0
    payload = _strict_json(out)
    assert isinstance(payload, dict)
    assert [a["guideline"] for a in payload["assessments"]] == ["iom-2001"]


@pytest.mark.parametrize(
    "item",
    [
        "natto 40 g 2/week",
        "纳豆 40克 每周2次",
        "维生素D 10 µg",
        "钙 600 mg",
        "natto 40g twice a week",
    ],
)
def test_items_people_write(item: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _cli(["check", item, *_PERSON, "--json"], capsys)
    assert code == 0, err
    _strict_json(out)


def _run(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "k2nutrition", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        check=False,
        env={**os.environ, **env},
    )


def test_a_non_utf8_output_gets_no_traceback() -> None:
    shown = _run(["foods", "natto"], PYTHONIOENCODING="cp1252")
    assert shown.returncode == 0, shown.stderr
    assert "Traceback" not in shown.stderr
    ascii_only = _run(["check", "natto 40 g", *_PERSON], PYTHONIOENCODING="ascii")
    assert ascii_only.returncode == 0, ascii_only.stderr
    assert "MK-7 375.6 ug" in ascii_only.stdout
    as_json = _run(["foods", "natto", "--json"], PYTHONIOENCODING="cp1252")
    assert as_json.returncode == 0
    assert "纳豆" in json.dumps(_strict_json(as_json.stdout), ensure_ascii=False)


def test_a_closed_or_full_standard_output_is_status_1() -> None:
    closed = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; sys.stdout.close(); sys.stdout = None\n"
            "from k2nutrition.cli import main; sys.exit(main(['guidelines']))",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert closed.returncode == 1
    assert closed.stderr.count("\n") == 1
    assert "Traceback" not in closed.stderr
    if os.path.exists("/dev/full"):
        result = run_into_full_device("guidelines")
        assert result.returncode == 1
        assert result.stderr.startswith("k2nutrition: error: cannot write")
        assert result.stderr.count("\n") == 1


def test_output_into_a_pipe_closed_early_is_quiet() -> None:
    shell = f"'{sys.executable}' -m k2nutrition foods | head -1"
    result = subprocess.run(["sh", "-c", shell], capture_output=True, text=True, check=False)
    assert result.stdout.count("\n") == 1
    assert "Traceback" not in result.stderr
    assert result.stderr == ""


def test_piped_records_are_read(tmp_path: Path) -> None:
    records, persons = _cohort_files(tmp_path)
    with open(records, encoding="utf-8") as handle:
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "k2nutrition",
                "cohort",
                "/dev/stdin",
                persons,
                "-o",
                str(tmp_path / "out.csv"),
                "--quiet",
            ],
            stdin=handle,
            capture_output=True,
            text=True,
            check=False,
        )
    assert result.returncode == 0, result.stderr
    assert "1 record," in result.stdout


def test_check_all_reads_one_nutrient_given_as_text() -> None:
    report = k2.check_all(k2.Diet([]), WOMAN, nutrients="calcium")
    assert report
    assert {a.guideline.nutrient for a in report} == {"calcium"}


def test_suggest_says_why_no_gap_could_be_computed() -> None:
    infant = k2.Person(age=0.3, sex="female")
    (no_value,) = k2.suggest(k2.Diet([]), infant, "china-osteoporosis-2013", ["natto"])
    assert no_value.grams is None
    assert no_value.note.startswith("no gap can be computed: ")
    on_warfarin = k2.Person(age=40, sex="female", on_anticoagulant=True)
    safety = next(g for g in k2.guidelines if g.id == "schurgers-2007-vka")
    (caution,) = k2.suggest(k2.Diet([]), on_warfarin, safety, ["natto"])
    assert caution.grams is None
    assert "caution threshold" in caution.note
    (met,) = k2.suggest(k2.Diet([k2.Portion("natto", "40 g")]), WOMAN, "iom-2001", ["natto"])
    assert met.grams is not None
    assert met.grams.magnitude == 0
    assert met.note == "no gap to close"


def test_the_guideline_catalogue_pickles() -> None:
    import pickle

    assert pickle.loads(pickle.dumps(k2.guidelines)) is k2.guidelines
    part = type(k2.guidelines)(k2.guidelines.filter(nutrient="calcium"))
    again = pickle.loads(pickle.dumps(part))
    assert [g.id for g in again] == [g.id for g in part]


def test_our_errors_are_also_the_builtin_a_caller_expects() -> None:
    assert issubclass(NonFiniteError, OverflowError)
    assert issubclass(NonFiniteError, ValueError)
    assert issubclass(ShapeError, ValueError)
    assert issubclass(AmountTypeError, TypeError)
    assert issubclass(AmbiguousVitamerError, LookupError)
    with pytest.raises(OverflowError):
        k2.to_amount("1e308 kg", "MK-7")


def test_a_repeated_cohort_guideline_is_assessed_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    records, persons = _cohort_files(tmp_path)
    output = tmp_path / "out.csv"
    args = ["cohort", records, persons, "-o", str(output), "--quiet"]
    code, _out, err = _cli([*args, "--guideline", "iom-2001", "--guideline", "iom-2001"], capsys)
    assert code == 0, err
    assert output.read_text(encoding="utf-8").count("iom-2001") == 1


# -- household words in cohort unit cells: the food's measures, or a reason naming the word ----


def _unit_rows(food: str, amount: float, unit: str) -> pd.DataFrame:
    return pd.DataFrame(
        {"person_id": [1], "day": [1], "food": [food], "amount": [amount], "unit": [unit]}
    )


@pytest.mark.parametrize(
    ("food", "unit", "grams"),
    [
        ("egg", "large", 50.3),
        ("egg", "medium", 44.0),
        ("egg yolk", "个", 17.0),  # one size of yolk: a count reads, as in check
        ("milk", "tbsp", 15.0),  # the measure (15 g), not density x 14.8 mL
        ("milk", "cup", 244.0),
        ("butter", "pat", 3.8),
    ],
)
def test_cohort_unit_cells_read_the_foods_household_measures(
    food: str, unit: str, grams: float
) -> None:
    daily = daily_intake(_unit_rows(food, 2.0, unit))
    assert daily["food_g"].iloc[0] == pytest.approx(2 * grams)
    item = parse_item(f"{food} 2 {unit}")
    assert isinstance(item, k2.Portion)
    assert daily["food_g"].iloc[0] == pytest.approx(item.amount.to("g").magnitude)


@pytest.mark.parametrize(
    ("food", "unit", "words"),
    [
        ("egg", "cup", "a volume (cup) for a food"),  # never pint's 'cp'
        ("MK-7", "cup", "needs a mass unit, not cup"),
        ("natto", "slice", "'slice', nor a measure of this food (its measures: serving, cup)"),
        ("egg", "个", "comes in 5 sizes; give the size (large, extra large, jumbo"),
        ("natto", "パック", "no measure of one piece"),
        ("tofu", "斤", "500 g"),
        ("natto", "Mg", "megagram"),
    ],
)
def test_cohort_unit_cells_that_cannot_be_read_name_the_word(
    food: str, unit: str, words: str
) -> None:
    with pytest.raises(CohortError) as info:
        daily_intake(_unit_rows(food, 1.0, unit))
    assert words in str(info.value), str(info.value)
    assert "'cp'" not in str(info.value)
    assert "(cp)" not in str(info.value)


def test_a_pint_dtype_in_cups_is_named_as_written() -> None:
    pytest.importorskip("pint_pandas")
    records = _records(amount=pd.Series([1.0], dtype="pint[cup]"))
    records = records.drop(columns="amount_g")
    records["food"] = ["egg"]
    with pytest.raises(CohortError, match=r"column 'amount' in cup: a volume \(cup\)"):
        daily_intake(records)
