"""Intake: portions of food and supplements, and the diet they make up.

A :class:`Diet` turns what a person eats and takes, each with a frequency, into an
average daily intake.

Examples
--------
>>> from k2nutrition import Diet, Portion, Supplement
>>> diet = Diet([Portion("natto", "40 g", per="2/week"), Supplement("MK-7", "90 µg")])
>>> diet.vitamin_k
VitaminK({MK-7: 197.3 µg/day}; not analysed: all but MK-7)
>>> Supplement("vitamin D", "1000 IU").daily_dose
<Quantity(25.0, 'microgram / day')>
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator
from typing import Any, Final, Literal, cast

import attrs

from k2nutrition.errors import AmountError, DimensionError, K2NutritionError, UnknownVitamerError
from k2nutrition.food import Food, foods
from k2nutrition.profile import VitaminK
from k2nutrition.units import Q_, Quantity, QuantityLike, parse_amount
from k2nutrition.vitamers import Vitamer

__all__ = [
    "Diet",
    "FrequencyError",
    "Nutrient",
    "Portion",
    "Supplement",
    "parse_frequency",
]

#: Nutrients other than vitamin K that a supplement may hold.
Nutrient = Literal["calcium", "vitamin D"]

#: International units of vitamin D per microgram (cholecalciferol or ergocalciferol):
#: IOM 2011, "400 International Units (IU) (10 µg)".
VITAMIN_D_IU_PER_UG: Final = 40.0

_NUTRIENTS: Final[dict[str, Nutrient]] = {
    "calcium": "calcium",
    "ca": "calcium",
    "vitamin d": "vitamin D",
    "vitamin d3": "vitamin D",
    "vitamin d2": "vitamin D",
    "d3": "vitamin D",
    "cholecalciferol": "vitamin D",
}

_PERIODS: Final[dict[str, float]] = {
    "d": 1.0,
    "day": 1.0,
    "days": 1.0,
    "w": 7.0,
    "wk": 7.0,
    "week": 7.0,
    "weeks": 7.0,
    "month": 365.25 / 12,
    "months": 365.25 / 12,
    "mo": 365.25 / 12,
}
_WORDS: Final[dict[str, float]] = {
    "daily": 1.0,
    "per day": 1.0,
    "a day": 1.0,
    "every day": 1.0,
    "weekly": 1 / 7,
    "per week": 1 / 7,
    "a week": 1 / 7,
    "monthly": 12 / 365.25,
    "per month": 12 / 365.25,
}
_FREQUENCY = re.compile(
    r"^(?P<n>\d+(?:\.\d+)?)?\s*(?:x|times)?\s*(?:/|per\s+|a\s+|every\s+)\s*"
    r"(?P<k>\d+(?:\.\d+)?)?\s*(?P<unit>[a-z]+)$"
)


class FrequencyError(AmountError):
    """A frequency that cannot be read."""


def parse_frequency(value: object, name: str = "per") -> float:
    """Return how many times a day ``value`` means.

    Parameters
    ----------
    value : str or pint.Quantity [1/time]
        ``"daily"``, ``"/day"``, ``"2/week"``, ``"3x/week"``, ``"2 per week"``,
        ``"weekly"``, ``"1/month"``, or a quantity such as ``Q_(2, "1/week")``.
    name : str
        The argument's name, for error messages.

    Examples
    --------
    >>> parse_frequency("2/week")
    0.2857...
    >>> parse_frequency("daily")
    1.0
    """
    if isinstance(value, str):
        text = " ".join(value.strip().casefold().split())
        if text in _WORDS:
            return _WORDS[text]
        match = _FREQUENCY.match(text)
        if match and match.group("unit") in _PERIODS:
            times = float(match.group("n") or 1)
            every = float(match.group("k") or 1)
            if every == 0:
                raise FrequencyError(f"{name}: {value!r} divides by a zero period")
            per_day = times / (every * _PERIODS[match.group("unit")])
            if not math.isfinite(per_day):
                raise FrequencyError(f"{name}: {value!r} is not a usable frequency")
            return per_day
        raise FrequencyError(
            f"{name} needs a frequency such as 'daily', '2/week' or '1/month'; got {value!r}"
        )
    try:
        q = parse_amount(value, name, "frequency")
    except K2NutritionError as exc:
        raise FrequencyError(str(exc)) from None
    return float(q.to("1/day").magnitude)


def _food(value: Food | str) -> Food:
    if isinstance(value, Food):
        return value
    if isinstance(value, str):
        return foods[value]
    raise DimensionError(f"food needs a Food or a food name; got {type(value).__name__}")


def _as_given(value: QuantityLike) -> Any:
    # Checked in __attrs_post_init__, where the food (density) or nutrient (IU) is known.
    return value


@attrs.frozen
class Portion:
    """An amount of a food, eaten with some frequency.

    Parameters
    ----------
    food : Food or str
        A record, or a name looked up in the built-in table.
    amount : str or pint.Quantity [mass] or [volume]
        A mass, or a volume for foods with a known density.
    per : str or pint.Quantity [1/time], default "daily"
        How often: ``"daily"``, ``"2/week"``, ...
    """

    food: Food = attrs.field(converter=_food)
    amount: Quantity = attrs.field(converter=_as_given)
    per: str | Quantity = "daily"
    per_day: float = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "amount", self.food.to_mass(self.amount, "amount"))
        object.__setattr__(self, "per_day", parse_frequency(self.per))

    @property
    def vitamin_k(self) -> VitaminK:
        """Average daily vitamin K from this portion (kind ``"intake"``)."""
        return cast("VitaminK", self.food.portion(self.amount) * Q_(self.per_day, "1/day"))

    def cofactor(self, nutrient: Nutrient | str) -> Quantity | None:
        """Average daily calcium (mg/day) or vitamin D (µg/day) from this portion.

        ``None`` when the food's source did not analyse the nutrient (unknown, not zero).
        """
        if _cofactor(nutrient) == "calcium":
            content, unit = self.food.calcium, "mg/day"
        else:
            content, unit = self.food.vitamin_d, "µg/day"
        if content is None:
            return None
        daily = content * self.amount * Q_(self.per_day, "1/day")
        return cast("Quantity", daily.to(unit))

    @property
    def calcium(self) -> Quantity | None:
        """Average daily calcium from this portion (mg/day); ``None`` if not analysed."""
        return self.cofactor("calcium")

    @property
    def vitamin_d(self) -> Quantity | None:
        """Average daily vitamin D from this portion (µg/day); ``None`` if not analysed."""
        return self.cofactor("vitamin D")

    def __str__(self) -> str:
        return f"{self.food.name} {self.amount:~P} x {self.per_day:.3g}/day"


def _nutrient(value: Vitamer | str) -> Vitamer | Nutrient:
    if isinstance(value, Vitamer):
        return value
    if not isinstance(value, str):
        raise UnknownVitamerError(f"nutrient needs a name such as 'MK-7'; got {value!r}")
    folded = " ".join(value.strip().casefold().replace("-", " ").split())
    if folded in _NUTRIENTS:
        return _NUTRIENTS[folded]
    try:
        return Vitamer.parse(value)
    except UnknownVitamerError:
        raise UnknownVitamerError(
            f"nutrient {value!r} is not a vitamin K vitamer, calcium or vitamin D"
        ) from None


def _cofactor(value: object) -> Nutrient:
    found = _nutrient(value) if isinstance(value, str) else value
    if found in {"calcium", "vitamin D"}:
        return found
    raise UnknownVitamerError(f"nutrient needs 'calcium' or 'vitamin D'; got {value!r}")


_IU = re.compile(r"^\s*(?P<n>[-+]?\d+(?:\.\d+)?(?:e[-+]?\d+)?)\s*(?:IU|iu|I\.U\.)\s*$")


@attrs.frozen
class Supplement:
    """A supplement of one nutrient: a vitamin K vitamer, calcium or vitamin D.

    Parameters
    ----------
    nutrient : Vitamer or str
        ``"MK-7"``, ``"K1"``, ``"calcium"``, ``"vitamin D"``, ...
    dose : str or pint.Quantity [mass]
        The dose each time. Vitamin D may also be given in IU (1 µg = 40 IU); IU is
        refused for every other nutrient.
    per : str or pint.Quantity [1/time], default "daily"
    """

    nutrient: Vitamer | Nutrient = attrs.field(converter=_nutrient)
    dose: Quantity = attrs.field(converter=_as_given)
    per: str | Quantity = "daily"
    per_day: float = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        dose: object = self.dose
        if isinstance(dose, str) and (match := _IU.match(dose)):
            if self.nutrient != "vitamin D":
                raise DimensionError(
                    f"dose: IU converts to mass only for vitamin D, not for {self.nutrient}; "
                    "give the dose as a mass, e.g. '90 µg'"
                )
            dose = f"{float(match.group('n')) / VITAMIN_D_IU_PER_UG!r} µg"
        q = parse_amount(dose, "dose", "mass")
        object.__setattr__(self, "dose", q)
        object.__setattr__(self, "per_day", parse_frequency(self.per))

    @property
    def daily_dose(self) -> Quantity:
        """The average dose per day."""
        return cast("Quantity", (self.dose * Q_(self.per_day, "1/day")).to("µg/day"))

    @property
    def vitamin_k(self) -> VitaminK:
        """Average daily vitamin K from this supplement (empty for calcium or vitamin D)."""
        if isinstance(self.nutrient, Vitamer):
            return VitaminK({self.nutrient: self.daily_dose})
        return VitaminK({}, kind="intake")

    def __str__(self) -> str:
        return f"{self.nutrient} {self.dose:~P} x {self.per_day:.3g}/day"


Item = Portion | Supplement


def _items(items: Iterable[Item]) -> tuple[Item, ...]:
    if isinstance(items, Portion | Supplement | str):
        raise DimensionError("items needs a list of Portion and Supplement objects")
    return tuple(items)


@attrs.frozen
class Diet:
    """What a person eats and takes: portions and supplements.

    Parameters
    ----------
    items : iterable of Portion or Supplement
    """

    items: tuple[Item, ...] = attrs.field(converter=_items, factory=tuple)

    @items.validator
    def _check_items(
        self, attribute: attrs.Attribute[tuple[Item, ...]], value: tuple[Item, ...]
    ) -> None:
        for i, item in enumerate(value):
            if not isinstance(item, Portion | Supplement):
                raise DimensionError(
                    f"items[{i}] needs a Portion or a Supplement; got {type(item).__name__}"
                )

    def __iter__(self) -> Iterator[Item]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    @property
    def vitamin_k(self) -> VitaminK:
        """Average daily vitamin K from foods and supplements (kind ``"intake"``)."""
        return sum((i.vitamin_k for i in self.items), VitaminK({}, kind="intake"))

    @property
    def from_foods(self) -> VitaminK:
        """Average daily vitamin K from foods alone."""
        portions = (i.vitamin_k for i in self.items if isinstance(i, Portion))
        return sum(portions, VitaminK({}, kind="intake"))

    @property
    def supplements(self) -> tuple[Supplement, ...]:
        """The supplements of the diet."""
        return tuple(i for i in self.items if isinstance(i, Supplement))

    def supplement_intake(self, nutrient: Vitamer | Nutrient | str) -> Quantity:
        """Average daily intake of ``nutrient`` from supplements alone."""
        wanted = _nutrient(nutrient)
        total = Q_(0.0, "µg/day")
        for s in self.supplements:
            if s.nutrient == wanted:
                total = total + s.daily_dose
        return cast("Quantity", total)

    def food_intake(self, nutrient: Nutrient | str) -> Quantity:
        """Average daily calcium or vitamin D from foods, counting what was analysed.

        Foods whose source did not analyse the nutrient add nothing here (they are not
        zero, they are unknown): :meth:`not_analysed` lists them.
        """
        wanted = _cofactor(nutrient)
        total = Q_(0.0, "mg/day" if wanted == "calcium" else "µg/day")
        for i in self.items:
            if isinstance(i, Portion) and (part := i.cofactor(wanted)) is not None:
                total = total + part
        return cast("Quantity", total)

    def intake(self, nutrient: Nutrient | str) -> Quantity:
        """Average daily calcium (mg/day) or vitamin D (µg/day) from foods and supplements.

        Examples
        --------
        >>> from k2nutrition import Diet, Supplement
        >>> Diet([Supplement("vitamin D", "400 IU")]).intake("vitamin D")
        <Quantity(10.0, 'microgram / day')>
        """
        wanted = _cofactor(nutrient)
        food = self.food_intake(wanted)
        return cast("Quantity", food + self.supplement_intake(wanted).to(food.units))

    @property
    def calcium(self) -> Quantity:
        """Average daily calcium from foods and supplements, in mg/day."""
        return self.intake("calcium")

    @property
    def vitamin_d(self) -> Quantity:
        """Average daily vitamin D from foods and supplements, in µg/day."""
        return self.intake("vitamin D")

    def not_analysed(self, nutrient: Nutrient | str) -> tuple[Food, ...]:
        """Return the foods whose source did not analyse ``nutrient`` (calcium, vitamin D)."""
        wanted = _cofactor(nutrient)
        found = [
            i.food for i in self.items if isinstance(i, Portion) and i.cofactor(wanted) is None
        ]
        return tuple(dict.fromkeys(found))

    def takes(self, nutrient: Vitamer | Nutrient | str) -> bool:
        """Whether any supplement of the diet is of ``nutrient``."""
        wanted = _nutrient(nutrient)
        return any(s.nutrient == wanted for s in self.supplements)


def diet_of(items: Diet | Iterable[Item]) -> Diet:
    """Return ``items`` as a :class:`Diet`."""
    return items if isinstance(items, Diet) else Diet(items)
