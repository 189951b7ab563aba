# Wrong types are this module's subject, so mypy is told not to check argument types here.
# mypy: disable-error-code="arg-type,dict-item,list-item,index,call-overload"
"""A catalogue of bad input across the public API and the command line.

Every case must raise a K2NutritionError that is also the matching built-in exception and
whose message names the field; never an AttributeError, ZeroDivisionError, KeyError from
inside, or a pint error the user did not cause.
"""

from __future__ import annotations

import math
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest

import k2nutrition as k2
from k2nutrition import Q_, fdc
from k2nutrition.cohort import assess, daily_intake
from k2nutrition.errors import K2NutritionError
from k2nutrition.intake import parse_frequency
from k2nutrition.serialize import from_json
from k2nutrition.units import parse_amount

from .helpers import other_registry

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
        lambda: k2.foods["milk-whole"].portion("250 mL"),
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
    ("freq unknown period", lambda: parse_frequency("2/fortnight"), ValueError, "per"),
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
    ["check", "natto 40 g 3/fortnight", "--age", "40", "--sex", "female"],
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
