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

from k2nutrition.errors import (
    AmbiguousVitamerError,
    AmountError,
    DimensionError,
    K2NutritionError,
    UnknownVitamerError,
)
from k2nutrition.food import Food, foods
from k2nutrition.profile import VitaminK
from k2nutrition.units import (
    Q_,
    Quantity,
    QuantityLike,
    _unambiguous,
    format_quantity,
    parse_amount,
    split_amount,
)
from k2nutrition.vitamers import Vitamer

__all__ = [
    "Diet",
    "FrequencyError",
    "Nutrient",
    "Portion",
    "Supplement",
    "max_dose",
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
    "钙": "calcium",
    "鈣": "calcium",
    "カルシウム": "calcium",
    "维生素d": "vitamin D",
    "维生素d3": "vitamin D",
    "維生素d": "vitamin D",
    "維生素d3": "vitamin D",
    "ビタミンd": "vitamin D",
    "ビタミンd3": "vitamin D",
}

_MONTH_DAYS: Final = 365.25 / 12
_PERIODS: Final[dict[str, float]] = {
    "d": 1.0,
    "day": 1.0,
    "days": 1.0,
    "w": 7.0,
    "wk": 7.0,
    "week": 7.0,
    "weeks": 7.0,
    "fortnight": 14.0,
    "month": _MONTH_DAYS,
    "months": _MONTH_DAYS,
    "mo": _MONTH_DAYS,
    # Chinese and Japanese
    "天": 1.0,
    "日": 1.0,
    "周": 7.0,
    "週": 7.0,
    "星期": 7.0,
    "礼拜": 7.0,
    "週間": 7.0,
    "月": _MONTH_DAYS,
    "个月": _MONTH_DAYS,
    "個月": _MONTH_DAYS,
    "か月": _MONTH_DAYS,
    "ヶ月": _MONTH_DAYS,
    "カ月": _MONTH_DAYS,
}
_ADVERBS: Final[dict[str, str]] = {
    "daily": "day",
    "weekly": "week",
    "fortnightly": "fortnight",
    "monthly": "month",
}
_COUNT_WORDS: Final[dict[str, float]] = {
    "once": 1.0,
    "twice": 2.0,
    "thrice": 3.0,
    "one": 1.0,
    "two": 2.0,
    "three": 3.0,
    "four": 4.0,
    "five": 5.0,
    "six": 6.0,
    "seven": 7.0,
    "eight": 8.0,
    "nine": 9.0,
    "ten": 10.0,
}
_CJK_NUMBERS: Final[dict[str, float]] = {
    "一": 1.0,
    "二": 2.0,
    "两": 2.0,
    "兩": 2.0,
    "三": 3.0,
    "四": 4.0,
    "五": 5.0,
    "六": 6.0,
    "七": 7.0,
    "八": 8.0,
    "九": 9.0,
    "十": 10.0,
}
_NUM: Final = r"[0-9]+(?:\.[0-9]+)?"
_COUNT: Final = rf"(?:(?P<n>{_NUM}|{'|'.join(_COUNT_WORDS)}) ?(?:x|times)?)"
_UNIT: Final = r"(?P<unit>[a-z]+)"
#: "2/week", "3x/week", "twice a week", "3 times per week", "every other day", "weekly".
_FREQUENCY: Final = re.compile(
    rf"(?:{_COUNT} ?)?(?:(?:/|per |a |an |each |every ) ?(?P<k>{_NUM}|other)? ?{_UNIT}"
    rf"|(?P<adverb>{'|'.join(_ADVERBS)}))"
)
_CJK_NUM: Final = rf"{_NUM}|[{''.join(_CJK_NUMBERS)}]"
_CJK_UNIT: Final = "|".join(sorted((k for k in _PERIODS if not k.isascii()), key=len, reverse=True))
#: "每天", "每周2次", "每周两次", "每2天1次", "毎日", "週2回", "週に2回", "1日2回", "一周两次".
_CJK_FREQUENCY: Final = re.compile(
    rf"(?:[每毎](?P<k1>{_CJK_NUM})?(?P<u1>{_CJK_UNIT})(?:(?P<n1>{_CJK_NUM})[次回])?"
    rf"|(?P<k2>{_CJK_NUM})?(?P<u2>{_CJK_UNIT})に?(?P<n2>{_CJK_NUM})[次回])"
)
#: The longest frequency text that is read.
_MAX_FREQUENCY_LENGTH: Final = 100
#: The most times a day that a portion or a dose is accepted (more is taken for a slip).
MAX_TIMES_PER_DAY: Final = 50.0
_FULLWIDTH: Final = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


#: A number in a frequency that reads two ways, as in the amount grammar ("1.500/week").
_THOUSANDS_OR_DECIMAL: Final = re.compile(r"(?<![0-9.])[1-9][0-9]{0,2}\.[0-9]{3}(?![0-9.eE])")


class FrequencyError(AmountError):
    """A frequency that cannot be read."""


def _count(text: str | None) -> float:
    if text is None:
        return 1.0
    if text in _COUNT_WORDS:
        return _COUNT_WORDS[text]
    if text in _CJK_NUMBERS:
        return _CJK_NUMBERS[text]
    return float(text)


def _read_frequency(text: str) -> float | None:
    """Return times per day for a frequency text (folded), or None if it is not one."""
    match = _FREQUENCY.fullmatch(text)
    if match:
        unit = _ADVERBS.get(match.group("adverb") or "", match.group("unit"))
        if unit not in _PERIODS:
            return None
        every = 2.0 if match.group("k") == "other" else _count(match.group("k"))
        return _count(match.group("n")) / (every * _PERIODS[unit])
    match = _CJK_FREQUENCY.fullmatch(text.replace(" ", ""))
    if match:
        k, unit, n = (
            match.group("k1", "u1", "n1") if match.group("u1") else match.group("k2", "u2", "n2")
        )
        return _count(n) / (_count(k) * _PERIODS[unit])
    return None


def parse_frequency(value: object, name: str = "per") -> float:
    """Return how many times a day ``value`` means.

    Parameters
    ----------
    value : str or pint.Quantity [1/time]
        ``"daily"``, ``"/day"``, ``"2/week"``, ``"3x/week"``, ``"2 per week"``,
        ``"twice a week"``, ``"3 times a week"``, ``"once a day"``, ``"every other day"``,
        ``"weekly"``, ``"1/month"``; in Chinese or Japanese ``"每天"``, ``"每周2次"``,
        ``"每周两次"``, ``"毎日"``, ``"週2回"``; or a quantity such as ``Q_(2, "1/week")``.
    name : str
        The argument's name, for error messages.

    Raises
    ------
    FrequencyError
        For a text that is not a frequency, and for zero, negative or absurd frequencies
        (more than :data:`MAX_TIMES_PER_DAY` times a day).

    Examples
    --------
    >>> parse_frequency("2/week")
    0.2857...
    >>> parse_frequency("daily")
    1.0
    >>> parse_frequency("每周两次") == parse_frequency("twice a week")
    True
    """
    if isinstance(value, str):
        if len(value) > _MAX_FREQUENCY_LENGTH:
            raise FrequencyError(
                f"{name}: the text is {len(value):,} characters long; a frequency is at most "
                f"{_MAX_FREQUENCY_LENGTH}, such as '2/week'"
            )
        text = " ".join(value.translate(_FULLWIDTH).casefold().split())
        if two_ways := _THOUSANDS_OR_DECIMAL.search(text):  # "1.500/week": 1.5, or 1500?
            number = two_ways.group()
            decimal, thousands = _unambiguous(number), number.replace(".", "")
            raise FrequencyError(
                f"{name}: {value!r} can be read two ways (the point may be a decimal point or "
                f"a thousands separator); write {text.replace(number, decimal, 1)} or "
                f"{text.replace(number, thousands, 1)}"
            )
        try:
            per_day = _read_frequency(text)
        except ZeroDivisionError:
            raise FrequencyError(f"{name}: {value!r} divides by a zero period") from None
        if per_day is None:
            hint = ""
            if re.search(r"[0-9],[0-9]", text):
                hint = " (write a decimal point: 1.5, not 1,5)"
            elif text.startswith("-"):
                hint = " (a frequency cannot be negative)"
            raise FrequencyError(
                f"{name} needs a frequency such as 'daily', '2/week', 'twice a week' or "
                f"'每周2次'; got {value!r}{hint}"
            )
    else:
        try:
            q = parse_amount(value, name, "frequency", allow_negative=True)
        except K2NutritionError as exc:
            raise FrequencyError(str(exc)) from None
        per_day = float(q.to("1/day").magnitude)
    if not math.isfinite(per_day) or per_day <= 0:
        raise FrequencyError(f"{name}: {value!r} is not a usable frequency (it must be above 0)")
    if per_day > MAX_TIMES_PER_DAY:
        raise FrequencyError(
            f"{name}: {value!r} is {per_day:g} times a day; more than "
            f"{MAX_TIMES_PER_DAY:g} is not plausible (was the period left out?)"
        )
    return per_day


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
        _at_most(self.amount, MAX_PORTION, "amount", "one portion")
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
        return f"{self.food.name} {format_quantity(self.amount)} x {self.per_day:.3g}/day"


def _nutrient(value: Vitamer | str) -> Vitamer | Nutrient:
    if isinstance(value, Vitamer):
        return value
    if not isinstance(value, str):
        raise UnknownVitamerError(f"nutrient needs a name such as 'MK-7'; got {value!r}")
    folded = " ".join(value.strip().casefold().replace("-", " ").split())
    folded = re.sub(r"(?<=[a-z]) (?=[0-9]+$)", "", folded)  # "vitamin D 3" as "vitamin D3"
    if folded in _NUTRIENTS:
        return _NUTRIENTS[folded]
    try:
        return Vitamer.parse(value)
    except AmbiguousVitamerError:
        raise
    except UnknownVitamerError:
        raise UnknownVitamerError(
            f"nutrient {value!r} is not a vitamin K vitamer, calcium or vitamin D"
        ) from None


def _cofactor(value: object) -> Nutrient:
    found = _nutrient(value) if isinstance(value, str) else value
    if found in {"calcium", "vitamin D"}:
        return found
    raise UnknownVitamerError(f"nutrient needs 'calcium' or 'vitamin D'; got {value!r}")


_IU_WORDS: Final = ("IU", "iu", "Iu", "IUs", "ius", "I.U.", "i.u.")


def _iu_rate(unit: str) -> bool:
    """Tell whether ``unit`` is IU per a time (``IU/day``, ``IU per day``)."""
    for sep in ("/", " per "):
        first, found, _ = unit.partition(sep)
        if found and first.strip() in _IU_WORDS:
            return True
    return False


#: The largest dose of calcium or vitamin D accepted at one time; above it a unit slip is more
#: likely than a dose. Vitamin K has a bound per vitamer, :data:`MAX_VITAMIN_K_DOSE`.
MAX_DOSE: Final[dict[str, str]] = {"calcium": "10 g", "vitamin D": "25 mg"}
#: The largest dose of a vitamin K vitamer accepted at one time. These are plausibility limits
#: against unit slips (µg typed as mg), not safety limits. MK-4 (menatetrenone) is approved in
#: Japan for osteoporosis at 45 mg/day (Iwamoto J, Takeda T, Ichimura S. J Orthop Sci
#: 2000;5:546-551; Shiraki M, et al. J Bone Miner Res 2000;15:515-521), hence 100 mg.
#: Phylloquinone (phytonadione) is taken orally in milligram doses: the US label of
#: Mephyton (phytonadione tablets, 5 mg) gives 2.5-10 mg or up to 25 mg, rarely 50 mg, as
#: the initial dose for anticoagulant-induced prothrombin deficiency; hence 50 mg.
#: Other menaquinones (MK-7 etc.) are supplements taken in microgram doses: at most 10 mg
#: (:data:`MAX_OTHER_VITAMIN_K_DOSE`).
MAX_VITAMIN_K_DOSE: Final[dict[Vitamer, str]] = {Vitamer.MK4: "100 mg", Vitamer.K1: "50 mg"}
#: The largest dose accepted of a vitamin K vitamer not in :data:`MAX_VITAMIN_K_DOSE`.
MAX_OTHER_VITAMIN_K_DOSE: Final = "10 mg"
#: The largest portion of a food accepted at one time.
MAX_PORTION: Final = "10 kg"


def max_dose(nutrient: Vitamer | Nutrient | str) -> str:
    """Return the largest plausible single dose of ``nutrient``, such as ``"10 mg"``.

    A plausibility limit against unit slips (µg typed as mg), not a safety limit; see
    :data:`MAX_VITAMIN_K_DOSE` for the vitamin K figures and their sources.

    Examples
    --------
    >>> max_dose(Vitamer.MK4), max_dose("K1"), max_dose("MK-7"), max_dose("calcium")
    ('100 mg', '50 mg', '10 mg', '10 g')
    """
    found = _nutrient(nutrient)
    if isinstance(found, Vitamer):
        return MAX_VITAMIN_K_DOSE.get(found, MAX_OTHER_VITAMIN_K_DOSE)
    return MAX_DOSE[found]


def _at_most(q: Quantity, limit: str, name: str, what: str, hint: str = "") -> None:
    """Refuse an amount above ``limit``: physically absurd for ``what``, likely a unit slip."""
    bound = parse_amount(limit, "limit", "mass")
    magnitude = q.to(bound.units).magnitude
    if isinstance(magnitude, int | float):
        too_much = magnitude > bound.magnitude
    else:
        import numpy as np

        too_much = bool(np.any(np.asarray(magnitude) > bound.magnitude))
    if too_much:
        raise AmountError(
            f"{name}: {q:~} is more than {limit}, which is not plausible for {what}; "
            f"was it given in the wrong unit{hint}?"
        )


@attrs.frozen
class Supplement:
    """A supplement of one nutrient: a vitamin K vitamer, calcium or vitamin D.

    Parameters
    ----------
    nutrient : Vitamer or str
        ``"MK-7"``, ``"K1"``, ``"calcium"``, ``"vitamin D"``, ...
    dose : str or pint.Quantity [mass]
        The dose each time. Vitamin D may also be given in IU (1 µg = 40 IU); IU is
        refused for every other nutrient. A dose above :func:`max_dose` is refused as a
        likely unit slip (a plausibility limit, not a safety limit): 100 mg of MK-4 (given
        at 45 mg/day for osteoporosis in Japan), 50 mg of K1, 10 mg of other menaquinones
        such as MK-7, 10 g of calcium, 25 mg of vitamin D.
    per : str or pint.Quantity [1/time], default "daily"
    """

    nutrient: Vitamer | Nutrient = attrs.field(converter=_nutrient)
    dose: Quantity = attrs.field(converter=_as_given)
    per: str | Quantity = "daily"
    per_day: float = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        dose: object = self.dose
        number, unit = split_amount(dose, "dose") if isinstance(dose, str) else (0.0, "")
        if unit in _IU_WORDS or _iu_rate(unit):
            if self.nutrient != "vitamin D":
                raise DimensionError(
                    f"dose: IU converts to mass only for vitamin D, not for {self.nutrient}; "
                    "give the dose as a mass, e.g. '90 µg'"
                )
            if unit not in _IU_WORDS:
                raise DimensionError(
                    f"dose: {dose!r} is a rate; give the dose alone, '{number:g} IU', and how "
                    "often apart, such as '2/week'"
                )
            dose = Q_(number / VITAMIN_D_IU_PER_UG, "µg")
        q = parse_amount(dose, "dose", "mass")
        if isinstance(self.nutrient, Vitamer):
            _at_most(
                q,
                max_dose(self.nutrient),
                "dose",
                f"a dose of {self.nutrient.label}",
                " (µg rather than mg)",
            )
        else:
            _at_most(q, max_dose(self.nutrient), "dose", f"one dose of {self.nutrient}")
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
        return f"{self.nutrient} {format_quantity(self.dose)} x {self.per_day:.3g}/day"


Item = Portion | Supplement


def _items(items: Iterable[Item]) -> tuple[Item, ...]:
    if isinstance(items, Portion | Supplement | str):
        raise DimensionError("items needs a list of Portion and Supplement objects")
    if not isinstance(items, Iterable):  # None, a number
        raise DimensionError(
            f"items needs a list of Portion and Supplement objects; got {type(items).__name__}"
        )
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
