"""People: who a guideline value is looked up for.

Examples
--------
>>> from k2nutrition import Person
>>> Person(age=55, sex="female")
Person(age=55.0, sex='female', pregnant=False, lactating=False, ...)
>>> Person(age="7 months", sex="male").age
0.58...
>>> Person(age=30, sex="male", pregnant=True)
Traceback (most recent call last):
...
k2nutrition.people.PersonError: pregnant: a person of sex 'male' cannot be pregnant
"""

from __future__ import annotations

import math
import numbers
from typing import Any, Final, Literal

import attrs

from k2nutrition.errors import K2NutritionError
from k2nutrition.units import Quantity, format_number, parse_amount

__all__ = ["Person", "PersonError", "Sex"]

Sex = Literal["female", "male"]

#: The oldest age accepted, in years.
MAX_AGE_YEARS: Final = 125.0
#: Youngest age at which pregnancy or lactation is accepted, in years.
MIN_REPRODUCTIVE_AGE_YEARS: Final = 10.0
#: Oldest age at which pregnancy or lactation is accepted, in years. The Dietary Reference
#: Intakes set pregnancy and lactation values for ages 14-50 (IOM 2001, life-stage groups
#: "<= 18", "19-30" and "31-50" years); a few years beyond are accepted (a guideline
#: without a value for the age then says so), and older ages are refused as likely slips.
MAX_REPRODUCTIVE_AGE_YEARS: Final = 55.0

_SEXES: Final[dict[str, Sex]] = {
    "female": "female",
    "f": "female",
    "woman": "female",
    "girl": "female",
    "male": "male",
    "m": "male",
    "man": "male",
    "boy": "male",
}


class PersonError(K2NutritionError, ValueError):
    """A person that cannot exist, or a field of the wrong form."""


def _age_years(value: Any) -> float:
    if isinstance(value, bool):
        raise PersonError(f"age needs a number of years or a time such as '7 months'; got {value}")
    if isinstance(value, numbers.Real):
        try:
            years = float(value)
        except OverflowError:
            raise PersonError(f"age of {value} years is beyond {MAX_AGE_YEARS:g} years") from None
    else:
        try:
            q = parse_amount(value, "age", "time")
        except K2NutritionError as exc:
            raise PersonError(str(exc)) from None
        years = float(q.to("year").magnitude)
    if not math.isfinite(years):
        raise PersonError(f"age must be a finite number of years; got {value!r}")
    if years < 0:
        raise PersonError(f"age must not be negative; got {value!r}")
    if years > MAX_AGE_YEARS:
        raise PersonError(f"age of {years:g} years is beyond {MAX_AGE_YEARS:g} years")
    return years


def _sex(value: Any) -> Sex:
    if not isinstance(value, str) or value.strip().casefold() not in _SEXES:
        raise PersonError(f"sex must be 'female' or 'male'; got {value!r}")
    return _SEXES[value.strip().casefold()]


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise PersonError(f"expected True or False; got {value!r}")
    return value


def _body_weight(value: Any) -> Quantity | None:
    if value is None:
        return None
    try:
        return parse_amount(value, "body_weight", "mass", allow_zero=False, unit_hint="kg").to("kg")
    except K2NutritionError as exc:
        raise PersonError(str(exc)) from None


def _trimester(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value not in (1, 2, 3):
        raise PersonError(f"trimester must be 1, 2 or 3; got {value!r}")
    return value


#: Ages (years) at which the plausible body-weight bounds change.
WEIGHT_BAND_AGES: Final = (1.0, 5.0, 12.0)


def _weight_range_kg(age: float) -> tuple[float, float]:
    # Generous bounds on both sides, to catch unit slips (g for kg, lb for kg) rather than
    # to judge anyone: a very preterm newborn weighs about 0.4 kg.
    if age < 1:
        return 0.3, 20.0
    if age < 5:
        return 3.0, 60.0
    if age < 12:
        return 8.0, 150.0
    return 20.0, 400.0


def _max_weight_kg(age: float) -> float:
    return _weight_range_kg(age)[1]


def _min_weight_kg(age: float) -> float:
    return _weight_range_kg(age)[0]


@attrs.frozen
class Person:
    """A person whose intake is checked.

    Parameters
    ----------
    age : float or str or pint.Quantity [time]
        Age in years (a number), or a time such as ``"7 months"``.
    sex : {"female", "male"}
    pregnant, lactating : bool, default False
    body_weight : str or pint.Quantity [mass], optional
        Used by guidelines set per kg of body weight.
    on_anticoagulant : bool, default False
        Takes a vitamin K antagonist (warfarin, acenocoumarol, ...).
    trimester : {1, 2, 3}, optional
        For guidelines that set values by trimester.

    Raises
    ------
    PersonError
        For a person that cannot exist (a pregnant male, pregnancy at age 5 or 60, a 300 kg
        infant, a 70 g adult) or a field of the wrong form; the message names the field.

    Notes
    -----
    Pregnancy and lactation are accepted from 10 to 55 years (the reference tables give
    values for 14-50), and not both at once: guidelines set one value for each state.
    Body weight must lie in a generous range for the age (0.3-20 kg under one year,
    20-400 kg from 12 years), which catches unit slips such as ``"70 g"``.
    """

    age: float = attrs.field(converter=_age_years)
    sex: Sex = attrs.field(converter=_sex)
    pregnant: bool = attrs.field(default=False, converter=_flag)
    lactating: bool = attrs.field(default=False, converter=_flag)
    body_weight: Quantity | None = attrs.field(default=None, converter=_body_weight)
    on_anticoagulant: bool = attrs.field(default=False, converter=_flag)
    trimester: int | None = attrs.field(default=None, converter=_trimester)

    def __attrs_post_init__(self) -> None:
        for field, state in (("pregnant", self.pregnant), ("lactating", self.lactating)):
            if not state:
                continue
            if self.sex == "male":
                raise PersonError(f"{field}: a person of sex 'male' cannot be {field}")
            if not MIN_REPRODUCTIVE_AGE_YEARS <= self.age <= MAX_REPRODUCTIVE_AGE_YEARS:
                raise PersonError(
                    f"{field}: accepted from age {MIN_REPRODUCTIVE_AGE_YEARS:g} to "
                    f"{MAX_REPRODUCTIVE_AGE_YEARS:g} years; got {self.age:g} years"
                )
        if self.pregnant and self.lactating:
            raise PersonError(
                "pregnant and lactating: give one; guidelines set separate values for "
                "pregnancy and for lactation (for someone breastfeeding while pregnant, "
                "check each state in turn)"
            )
        if self.trimester is not None and not self.pregnant:
            raise PersonError("trimester: given for a person who is not pregnant")
        if self.body_weight is not None:
            kg = float(self.body_weight.to("kg").magnitude)
            low, high = _weight_range_kg(self.age)
            if not low <= kg <= high:
                raise PersonError(
                    f"body_weight: {kg:g} kg is not plausible at age {self.age:g} years "
                    f"(accepted {low:g}-{high:g} kg); was it given in the wrong unit?"
                )

    @property
    def life_stage(self) -> str:
        """A short description such as ``"female, 55 y"`` or ``"male, 7 mo"``."""
        age = f"{format_number(self.age, 6)} y" if self.age >= 1 else f"{self.age * 12:.0f} mo"
        states = [s for s, on in (("pregnant", self.pregnant), ("lactating", self.lactating)) if on]
        return ", ".join([self.sex, age, *states])
