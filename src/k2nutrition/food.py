"""Foods: sourced vitamin K content, vitamer by vitamer, and a table to look foods up.

A :class:`Food` is one *record*: one source's figures for one food. Where sources
disagree, the table keeps each record under the same food key (``food``), and marks one
of them preferred; names and aliases (English, Chinese, Japanese) lead to the preferred
record, and :meth:`FoodTable.records` lists them all.

Examples
--------
>>> from k2nutrition import foods
>>> natto = foods["纳豆"]
>>> natto is foods["  NATTO "] is foods["natto"]
True
>>> natto.portion("40 g")
VitaminK({MK-7: 375.6 µg}; not analysed: all but MK-7)
>>> natto.source.citation
'Kamao M, Suhara Y, Tsugawa N, et al. Vitamin K content of foods...'
>>> foods.get("no such food") is None
True
"""

from __future__ import annotations

import csv
import enum
import functools
import io
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from importlib import resources
from typing import TYPE_CHECKING, Any, Final, cast, overload

import attrs
import pint

from k2nutrition._data import Lazy, read_csv
from k2nutrition.errors import (
    AmountError,
    AmountTypeError,
    DataError,
    DimensionError,
    K2NutritionError,
    UnknownFoodError,
)
from k2nutrition.profile import Pool, VitaminK
from k2nutrition.sources import Confidence, Source, get_source
from k2nutrition.units import (
    Q_,
    Dimension,
    Quantity,
    QuantityLike,
    conversion_factor,
    format_number,
    parse_amount,
    split_amount,
    ureg,
)
from k2nutrition.vitamers import Vitamer

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "AmbiguousCountError",
    "AmbiguousFoodError",
    "Cofactor",
    "Food",
    "FoodTable",
    "FoodValue",
    "HouseholdMeasureError",
    "fold_name",
    "fold_names",
    "foods",
]

FOOD_GROUPS: Final = frozenset(
    {
        "fermented-soy",
        "cheese",
        "milk",
        "yoghurt",
        "cream",
        "butter",
        "eggs",
        "poultry",
        "beef",
        "pork",
        "processed-meat",
        "offal",
        "fish",
        "shellfish",
        "vegetables",
        "fermented-vegetables",
        "spices",
        "meat",
        "legumes",
        "plant-based",
        "fermented-foods",
        "fats-oils",
        "cereals",
        "fruit",
        "drinks",
        "sweets",
    }
)
BASES: Final = frozenset({"raw", "cooked", "as sold", "as analysed"})

FOOD_COLUMNS: Final = (
    "id",
    "food",
    "preferred",
    "name",
    "aliases",
    "name_zh",
    "aliases_zh",
    "name_ja",
    "aliases_ja",
    "group",
    "basis",
    "country",
    "serving_g",
    "serving_label",
    "serving_source_id",
    "serving_location",
    "density_g",
    "density_volume",
    "density_source_id",
    "density_location",
    "notes",
)
VALUE_COLUMNS: Final = (
    "food_id",
    "component",
    "value",
    "unit",
    "value_low",
    "value_high",
    "source_id",
    "location",
    "confidence",
    "notes",
)

#: Units of Food.calcium and Food.vitamin_d (1 hg = 100 g).
CALCIUM_UNIT: Final = "milligram / hectogram"
VITAMIN_D_UNIT: Final = "microgram / hectogram"

_LATIN_LIMIT: Final = "\u0250"  # combining marks are dropped only after Latin letters
_KANA: Final = re.compile("[\u3041-\u3096\u30a1-\u30f6]")  # hiragana and katakana letters
_TO_HIRAGANA: Final = {c: c - 0x60 for c in range(0x30A1, 0x30F7)}


def _hiragana(folded: str) -> str:
    """Return a folded name with its katakana letters as hiragana (ナットウ: なっとう)."""
    return folded.translate(_TO_HIRAGANA)


def fold_name(text: str) -> str:
    """Fold a food name for lookup: case, accents, width, hyphens, commas and whitespace.

    Accents are dropped from Latin letters only, so Japanese kana keep their marks.

    Examples
    --------
    >>> fold_name("  Crème  Fraîche ")
    'creme fraiche'
    >>> fold_name("ＮＡＴＴＯ")
    'natto'
    >>> fold_name("semi-soft cheese")
    'semi soft cheese'
    >>> fold_name("Kale, raw")
    'kale raw'
    """
    if text.isascii():  # the common case: no width, accents or kana to fold
        return " ".join(
            text.casefold().replace("-", " ").replace("_", " ").replace(",", " ").split()
        )
    text = unicodedata.normalize("NFKC", text).casefold()
    kept: list[str] = []
    for ch in unicodedata.normalize("NFD", text):
        if unicodedata.combining(ch) and kept and kept[-1] < _LATIN_LIMIT:
            continue
        kept.append(ch)
    text = unicodedata.normalize("NFC", "".join(kept))
    text = re.sub(r"[-_,，、]", " ", text)
    return " ".join(text.split())


def fold_names(texts: Sequence[str]) -> list[str]:
    """Fold many names at once: ``[fold_name(t) for t in texts]``, faster for ASCII text.

    Examples
    --------
    >>> fold_names(["Kale, raw", "  Crème  Fraîche ", "semi-soft_cheese"])
    ['kale raw', 'creme fraiche', 'semi soft cheese']
    """
    joined = "\x00".join(texts)  # ASCII text is folded in one go, between NUL characters
    if not texts or not joined.isascii() or joined.count("\x00") != len(texts) - 1:
        return [fold_name(t) for t in texts]
    joined = joined.casefold().replace("-", " ").replace("_", " ").replace(",", " ")
    joined = " ".join(joined.split()).replace(" \x00", "\x00").replace("\x00 ", "\x00")
    return joined.split("\x00")


class AmbiguousFoodError(UnknownFoodError):
    """A word that names a class of foods (``cheese``, ``奶酪``), not one food.

    ``suggestions`` lists the foods it may mean, most common first.
    """

    def __init__(self, key: str, suggestions: Sequence[str] = ()) -> None:
        super().__init__(key, suggestions)
        shown = ", ".join(repr(s) for s in self.suggestions)
        self.args = (f"{key!r} names several foods, not one; did you mean {shown}?",)


class Cofactor(enum.Enum):
    """A bone cofactor of vitamin K that a food record may carry."""

    CALCIUM = "calcium"
    VITAMIN_D = "vitamin_D"

    def __str__(self) -> str:
        return self.value

    @property
    def label(self) -> str:
        """The name in words: ``"calcium"``, ``"vitamin D"``."""
        return "calcium" if self is Cofactor.CALCIUM else "vitamin D"


Component = Vitamer | Pool | Cofactor


def _component(text: str | Vitamer | Pool | Cofactor) -> Component:
    if isinstance(text, Vitamer | Pool | Cofactor):
        return text
    folded = text.strip().casefold()
    for cofactor in Cofactor:
        if folded == cofactor.value.casefold():
            return cofactor
    if folded.startswith("total"):
        return Pool.parse(text)
    return Vitamer.parse(text)


#: How sources print "analysed, not detected".
NOT_DETECTED: Final = "nd"


def _figure(value: str | float | None) -> float | None:
    if value is None or (isinstance(value, str) and value.strip().casefold() == NOT_DETECTED):
        return None
    return float(value)


def _confidence(value: Confidence | str) -> Confidence:
    return Confidence.parse(value)


def _optional_float(value: str | float | None) -> float | None:
    if value is None or value == "":
        return None
    return float(value)


def _optional_source(value: Source | str | None) -> Source | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, Source) else get_source(value)


@attrs.frozen
class FoodValue:
    """One figure of a food record, exactly as its source printed it.

    A record holds a figure only for what its source analysed; a component with no
    figure was not analysed (unknown, never zero). A figure is either a value (a measured
    zero included) or "analysed, not detected" (printed ``nd``; ``value`` is ``None``),
    which counts as zero in sums and keeps the limit of detection or quantification in
    ``high`` when the source gives one.

    Attributes
    ----------
    component : Vitamer, Pool or Cofactor
        The vitamer measured, a pool (``total_K``, ``total_MK``) for a sum of forms, or a
        bone cofactor (``calcium``, ``vitamin_D``).
    value : float or None
        The figure as printed, in ``unit``; ``None`` for "not detected" (give ``"nd"``).
    unit : str
        The source's own unit, such as ``"ug/(100 g)"`` or ``"ng/g"``.
    low, high : float or None
        A spread printed by the source (for example a range over products); for a
        figure not detected, ``high`` is the limit, where the source gives one.
    location : str
        Where in the source: table, page or abstract.
    confidence : Confidence
    notes : str
    source : Source or None
        The figure's own source, for a calcium or vitamin D figure that comes from
        another source than the record's vitamin K figures (a source id is looked up in
        ``sources.csv``); ``None``, the default, means the record's :attr:`Food.source`.

    Examples
    --------
    >>> FoodValue("calcium", 123, "mg/(100 g)", source="fdc-fndds").source.id
    'fdc-fndds'
    """

    component: Component = attrs.field(converter=_component)
    value: float | None = attrs.field(converter=_figure)
    unit: str
    low: float | None = attrs.field(converter=_optional_float, default=None)
    high: float | None = attrs.field(converter=_optional_float, default=None)
    location: str = ""
    confidence: Confidence = attrs.field(converter=_confidence, default=Confidence.LOW)
    notes: str = ""
    source: Source | None = attrs.field(converter=_optional_source, default=None)

    @property
    def not_detected(self) -> bool:
        """Whether the source analysed the component and did not detect it."""
        return self.value is None

    @property
    def limit(self) -> float | None:
        """For a figure not detected, the limit (in ``unit``) where the source gives one."""
        return self.high if self.value is None else None

    @property
    def quantity(self) -> Quantity:
        """The figure as a quantity in its source's unit; zero when not detected.

        Examples
        --------
        >>> FoodValue("MK-4", "nd", "ug/(100 g)", high=0.5).quantity
        <Quantity(0.0, 'microgram / gram')>
        """
        value = 0.0 if self.value is None else self.value
        return cast("Quantity", value * _unit_quantity(self.unit))


@functools.lru_cache(maxsize=256)
def _unit_quantity(unit: str) -> Quantity:
    # one unit of the amount grammar, such as "ug/(100 g)" or "ng/g": never pint's parser
    try:
        return parse_amount(f"1 {unit}", "unit", "content")
    except K2NutritionError as exc:
        raise DataError(f"unit {unit!r}: {exc}") from None


def _names(value: str | Iterable[str]) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(n.strip() for n in value.split("|") if n.strip())
    return tuple(value)


def _food_values(values: Iterable[FoodValue]) -> tuple[FoodValue, ...]:
    return tuple(values)


def _check_value_sources(
    instance: Food, attribute: attrs.Attribute[Any], value: tuple[FoodValue, ...]
) -> None:
    for fv in value:
        if fv.source not in (None, instance.source) and not isinstance(fv.component, Cofactor):
            raise DataError(
                f"Food.values: the {fv.component} figure of {instance.id!r} names "
                f"{fv.source.id!r}; only calcium and vitamin D may name another source "
                f"than the record's ({instance.source.id!r})"
            )


def _check_content(instance: Food, attribute: attrs.Attribute[VitaminK], value: VitaminK) -> None:
    if value.kind != "content":
        raise DimensionError(f"Food.content must be a content per 100 g; got kind {value.kind!r}")


def _check_optional(
    dimension: Dimension, *, allow_zero: bool = False
) -> Callable[[Any, Any, Quantity | None], None]:
    def check(instance: Any, attribute: attrs.Attribute[Any], value: Quantity | None) -> None:
        if value is not None:
            parse_amount(value, f"Food.{attribute.name}", dimension, allow_zero=allow_zero)

    return check


def _optional_content(value: QuantityLike | None, name: str, unit: str) -> Quantity | None:
    if value is None:
        return None
    q = parse_amount(value, name, "content")
    return cast("Quantity", Q_(float(q.magnitude) * conversion_factor(q.units, unit), unit))


def _calcium(value: QuantityLike | None) -> Quantity | None:
    return _optional_content(value, "calcium", CALCIUM_UNIT)


def _vitamin_d(value: QuantityLike | None) -> Quantity | None:
    return _optional_content(value, "vitamin_d", VITAMIN_D_UNIT)


class HouseholdMeasureError(AmountError):
    """An amount in a household measure that the food does not have."""


class AmbiguousCountError(HouseholdMeasureError):
    """A count of a food (``"2"``, ``"2个"``) that comes in more than one size."""


#: Words that count pieces without saying which size: read as a bare count.
_COUNT_WORDS: Final = frozenset({"each", "个", "個", "只", "隻", "颗", "顆", "枚", "パック"})


def _household(value: Iterable[Any] | Mapping[str, float]) -> tuple[tuple[str, float], ...]:
    items: Iterable[Any] = value.items() if isinstance(value, Mapping) else value
    out = []
    for pair in items:
        measure, grams = tuple(pair)
        out.append((" ".join(str(measure).casefold().split()), float(grams)))
    return tuple(out)


def _check_household(
    instance: Any, attribute: attrs.Attribute[Any], value: tuple[tuple[str, float], ...]
) -> None:
    for measure, grams in value:
        if not measure or not math.isfinite(grams) or grams <= 0:
            raise AmountError(
                f"Food.household: {measure!r} needs a positive number of grams; got {grams!r}"
            )


#: Spellings of the household measures that USDA abbreviates.
_MEASURE_SYNONYMS: Final = {
    "tablespoon": "tbsp",
    "tablespoons": "tbsp",
    "tbsps": "tbsp",
    "tbs": "tbsp",
    "teaspoon": "tsp",
    "teaspoons": "tsp",
    "tsps": "tsp",
    "cups": "cup",
    "fluid ounce": "fl oz",
    "fluid ounces": "fl oz",
    "fl. oz": "fl oz",
    "fl. oz.": "fl oz",
    "servings": "serving",
}
_MASS_OR_VOLUME_WORDS: Final = frozenset(
    {"g", "gram", "grams", "mg", "kg", "oz", "ounce", "ounces", "lb", "pound", "pounds"}
    | {"ml", "l", "cup", "cups", "tbsp", "tsp", "fl oz", "liter", "litre", "milliliter"}
)


def _measure_key(unit: str, measures: Mapping[str, float]) -> str | None:
    """Return the measure ``unit`` names among ``measures`` (plurals read), or None.

    ``""`` means a count of the food's pieces in words ("2 eggs"), read as a bare count.
    """
    word = " ".join(unit.casefold().split()).rstrip(".")
    word = _MEASURE_SYNONYMS.get(word, word)
    if word in measures:
        return word
    singular = [word[: -len(cut)] for cut in ("es", "s") if word.endswith(cut)]
    for one in singular:  # "slices", "large eggs"
        if one in measures:
            return one
    # "2 eggs" names the food's pieces ("large egg"): a count (""), which says a size only
    # when the pieces weigh the same; "oz" is not "fl oz" (a volume is not a piece)
    for one in (word, *singular):
        if any(m.endswith(f" {one}") and _is_count(m) for m in measures):
            return ""
    return None


def _label_count(label: str) -> float:
    head = label.split(maxsplit=1)[0] if label.strip() else "1"
    try:
        count = float(head)
    except ValueError:
        return 1.0
    return count if count > 0 and math.isfinite(count) else 1.0


def _count_word(label: str) -> str:
    """Return the word a serving label counts (``"1 large egg"``: ``"large egg"``), or ""."""
    parts = label.split(maxsplit=1)
    if len(parts) != 2:
        return ""
    try:
        float(parts[0])
    except ValueError:
        return ""
    word = " ".join(parts[1].casefold().split())
    return "" if word in _MASS_OR_VOLUME_WORDS else word


def _is_count(measure: str) -> bool:
    """Whether a measure counts pieces (``large``, ``slice``), not a volume or a serving."""
    first = measure.split(maxsplit=1)[0]
    volume = measure in _MASS_OR_VOLUME_WORDS or first in _MASS_OR_VOLUME_WORDS
    return not volume and not measure.startswith("fl oz") and measure != "serving"


def _counted(food: Food, text: str, name: str, number: float) -> float:
    """Return the grams of one piece for a bare count of ``food``, or raise.

    A count says which size only when the food has one weight of piece: an egg
    (small, medium, large, ...) does not, an egg yolk (large) does.
    """
    counts: dict[float, str] = {}
    for measure, grams in food.measures.items():
        if _is_count(measure) and len(measure) < len(counts.get(grams, measure + "_")):
            counts[grams] = measure  # "large" rather than "large egg" of the same weight
    if len(counts) == 1:
        return next(iter(counts))
    if not counts:
        raise AmountTypeError(
            f"{name}: {text!r} is a count of pieces, and {food.name!r} has no measure of "
            f"one piece; {_known_measures(food)}"
        )
    n = format_number(number)
    sizes = ", ".join(f"'{n} {m}' ({format_number(g, 4)} g)" for g, m in counts.items())
    raise AmbiguousCountError(
        f"{name}: {text!r} counts {food.name!r} without saying which size, and it comes "
        f"in {len(counts)}; write {sizes}, or a mass such as '40 g'"
    )


def _known_measures(food: Food) -> str:
    shown = ", ".join(f"{m} ({format_number(g, 4)} g)" for m, g in food.measures.items())
    volume = ", a volume ('250 mL')" if food.density is not None else ""
    known = f"its measures: {shown}" if shown else "it has no household measures"
    return f"{known}; or give a mass ('40 g'){volume}"


@attrs.frozen(eq=False)
class Food:
    """One source's vitamin K figures for one food.

    Attributes
    ----------
    id : str
        The record's unique id, such as ``"natto-kamao-2007"``.
    food : str
        The food's key, shared by every record of the same food (``"natto"``).
    name : str
        English display name.
    content : VitaminK
        Content per 100 g (kind ``"content"``), converted from the source's units.
    source : Source
        Where the vitamin K figures come from, and any other figure that names no
        source of its own.
    values : tuple of FoodValue
        The figures as printed, with their location and confidence. A calcium or
        vitamin D figure may come from another source than the vitamin K figures (where
        the vitamin K source did not analyse it); it then names its own
        (:attr:`FoodValue.source`, and :meth:`source_of`).
    group, basis, country : str
        Food group, the basis of the figures (raw, cooked, as sold, as analysed), and the
        country the samples came from.
    preferred : bool
        Whether this is the record that the food's names lead to.
    aliases : tuple of str
        Other names, in any language.
    name_zh, name_ja : str
        Chinese and Japanese names (may be empty).
    serving : pint.Quantity [mass] or None
        A typical serving in grams, where a source gives one.
    serving_label : str
        The serving as the source describes it (``"3 oz"``, ``"1 cup"``).
    density : pint.Quantity [mass]/[volume] or None
        For liquids, where a source gives one; lets portions be given as volumes.
    notes : str
    calcium : pint.Quantity [mass]/[mass] or None
        Calcium per 100 g, in mg/hg (1 hg = 100 g); ``None`` when the source did not
        analyse it (unknown, not zero).
    vitamin_d : pint.Quantity [mass]/[mass] or None
        Vitamin D (D2 + D3) per 100 g, in µg/hg; ``None`` when not analysed.

    Examples
    --------
    >>> from k2nutrition import foods
    >>> natto = foods["natto"]
    >>> natto.calcium                  # FoodData Central's figure: Kamao 2007 did not analyse it
    <Quantity(217.0, 'milligram / hectogram')>
    >>> natto.source.id, natto.source_of("calcium").id
    ('kamao-2007', 'fdc-sr-legacy')
    >>> foods["miso"].calcium is None  # not analysed (unknown, not zero)
    True
    >>> "K1" in natto.not_analysed
    True
    """

    id: str = attrs.field(validator=attrs.validators.min_len(1))
    food: str = attrs.field(validator=attrs.validators.min_len(1))
    name: str = attrs.field(validator=attrs.validators.min_len(1))
    content: VitaminK = attrs.field(validator=_check_content)
    source: Source
    values: tuple[FoodValue, ...] = attrs.field(
        converter=_food_values, factory=tuple, validator=_check_value_sources
    )
    group: str = ""
    basis: str = ""
    country: str = ""
    preferred: bool = True
    aliases: tuple[str, ...] = attrs.field(converter=_names, factory=tuple)
    name_zh: str = ""
    name_ja: str = ""
    serving: Quantity | None = attrs.field(default=None, validator=_check_optional("mass"))
    serving_label: str = ""
    density: Quantity | None = attrs.field(default=None)
    notes: str = ""
    calcium: Quantity | None = attrs.field(
        default=None,
        converter=_calcium,
        validator=_check_optional("content", allow_zero=True),
    )
    vitamin_d: Quantity | None = attrs.field(
        default=None,
        converter=_vitamin_d,
        validator=_check_optional("content", allow_zero=True),
    )
    household: tuple[tuple[str, float], ...] = attrs.field(
        factory=tuple, converter=_household, validator=_check_household
    )

    @property
    def measures(self) -> dict[str, float]:
        """Household measures of the food: measure name -> grams of one measure.

        From the food's household weights (``food_measures.csv``, each with its source),
        a FoodData Central portion weight, and the food's typical serving (``"serving"``,
        and its label's word, such as ``"large egg"`` or ``"slice"``). :meth:`to_mass`
        reads ``"1 cup"``, ``"2 large"``, ``"1 serving"`` and a bare count (``"2"``, of
        the serving's unit) with them.

        Examples
        --------
        >>> from k2nutrition import foods
        >>> foods["egg"].measures["large"]
        50.3
        """
        found: dict[str, float] = {}
        if self.serving is not None:
            grams = float(self.serving.to("g").magnitude)
            found["serving"] = grams
            unit = _count_word(self.serving_label)
            if unit:
                found[unit] = grams / _label_count(self.serving_label)
        found.update(self.household)
        return found

    @property
    def count_unit(self) -> str | None:
        """The word of the food's serving label (``"large egg"``), if the serving counts pieces.

        A bare count (``"2"``) is read only when all the food's count measures weigh the
        same (see :meth:`to_mass`).
        """
        unit = _count_word(self.serving_label) if self.serving is not None else ""
        return unit or None

    def cofactor(self, which: Cofactor | str) -> Quantity | None:
        """Return :attr:`calcium` or :attr:`vitamin_d` by name (``None``: not analysed)."""
        component = _component(which) if isinstance(which, str) else which
        if component is Cofactor.CALCIUM:
            return self.calcium
        if component is Cofactor.VITAMIN_D:
            return self.vitamin_d
        raise DataError(f"{which!r} is not a bone cofactor; use 'calcium' or 'vitamin_D'")

    def source_of(self, component: Component | str) -> Source | None:
        """Return the source of the record's figure for ``component`` (``None``: no figure).

        Examples
        --------
        >>> from k2nutrition import foods
        >>> milk = foods["milk"]
        >>> milk.source_of("K1").id, milk.source_of("calcium").id
        ('k2viewer', 'fdc-fndds')
        """
        wanted = _component(component) if isinstance(component, str) else component
        for value in self.values:
            if value.component == wanted:
                return value.source or self.source
        return None

    @property
    def sources(self) -> tuple[Source, ...]:
        """Every source of the record's figures: :attr:`source` first, then the others."""
        found = [self.source, *(v.source for v in self.values if v.source is not None)]
        return tuple(dict.fromkeys(found))

    @property
    def not_analysed(self) -> tuple[str, ...]:
        """What the record's source did not analyse: vitamers, then calcium and vitamin D.

        Unknown, not zero: a guideline that counts one of these cannot count it here,
        and :func:`~k2nutrition.check` says so.
        """
        names = [v.label for v in Vitamer if v in self.content.not_analysed]
        names += [c.label for c in Cofactor if self.cofactor(c) is None]
        return tuple(names)

    @property
    def not_detected(self) -> tuple[FoodValue, ...]:
        """The figures the source reports as analysed and not detected (counted as zero)."""
        return tuple(v for v in self.values if v.not_detected)

    @property
    def confidence(self) -> Confidence:
        """The lowest confidence among the figures of the record's own :attr:`source`.

        A calcium or vitamin D figure of another source keeps its own confidence
        (:attr:`FoodValue.confidence`) and does not lower the record's.
        """
        own = [v.confidence for v in self.values if v.source in (None, self.source)]
        return min(own, default=Confidence.LOW)

    @property
    def names(self) -> tuple[str, ...]:
        """Every name of the food: English name, aliases, Chinese and Japanese names."""
        found = [self.name, self.name_zh, self.name_ja, *self.aliases]
        return tuple(dict.fromkeys(n for n in found if n))

    def to_mass(self, amount: QuantityLike, name: str = "amount") -> Quantity:
        """Return ``amount`` as a mass: a household measure, a mass, or a volume.

        A text ``"<number> <measure>"`` of one of :attr:`measures` (``"1 cup"``,
        ``"2 large"``, ``"1 serving"``; plurals and ``tablespoon``/``teaspoon`` read too)
        or a count of pieces is read first; anything else goes to
        :func:`~k2nutrition.units.parse_amount`, and a volume is converted through the
        food's density. A count without a size (``"2"``, or with a counter that names no
        size: ``each``, ``个``/``個``, ``只``, ``颗``, ``枚``, ``パック``) is read only when the
        food's count measures (``large``, ``slice``, ..., not volumes or ``serving``) all
        weigh the same: two eggs could be small or jumbo, so ``"2"`` is refused for an egg
        with its sizes as the hint, while an egg yolk (only ``large``) reads.

        Raises
        ------
        HouseholdMeasureError
            For a word that is neither a unit nor one of the food's measures; the message
            names the food's measures.
        AmbiguousCountError
            For a count of a food that comes in more than one size; the message names
            the sizes.
        DimensionError
            For a volume when the food has no known density, or for any other dimension.

        Examples
        --------
        >>> from k2nutrition import foods
        >>> foods["milk"].to_mass("1 cup")
        <Quantity(244.0, 'gram')>
        >>> foods["egg yolk"].to_mass("2")
        <Quantity(34.0, 'gram')>
        >>> foods["egg"].to_mass("2")
        Traceback (most recent call last):
        ...
        k2nutrition.food.AmbiguousCountError: amount: '2' counts 'Egg, whole, barn' without ...
        """
        if isinstance(amount, str):
            grams = self._measured(amount, name)
            if grams is not None:
                return grams
        q = parse_amount(amount, name, "mass or volume")
        if q.dimensionality == ureg.get_dimensionality("[mass]"):
            return q
        if self.density is None:
            raise DimensionError(
                f"{name} is a volume ({amount!r}), but no density is known for "
                f"{self.name!r} ({self.id}); give the portion as a mass, e.g. '250 g'"
            )
        return cast("Quantity", (q * self.density).to("g"))

    def _measured(self, text: str, name: str) -> Quantity | None:
        """Read ``text`` as a count of a household measure, or return None (not one)."""
        try:
            number, unit = split_amount(text, name)
        except AmountError:
            return None  # parse_amount says what is wrong
        measures = self.measures
        counted = not unit or unit.casefold() in _COUNT_WORDS
        key = "" if counted else _measure_key(unit, measures)
        if key == "":  # a count of pieces: which size?
            grams = number * _counted(self, text, name, number)
        else:
            if key is None:
                try:
                    parse_amount(f"1 {unit}", name, "mass or volume")
                except DimensionError:
                    return None
                except AmountError as exc:
                    if "unknown unit" not in str(exc):
                        return None  # a unit refused for its own reason: parse_amount says it
                    raise HouseholdMeasureError(
                        f"{name}: {text!r}: {unit!r} is not a unit, nor a measure of "
                        f"{self.name!r}; {_known_measures(self)}"
                    ) from None
                return None  # a unit: parse_amount reads it
            grams = number * measures[key]
        return parse_amount(Q_(grams, "g"), name, "mass")

    def portion(self, amount: QuantityLike) -> VitaminK:
        """Return the vitamin K in a portion of this food.

        Parameters
        ----------
        amount : str or pint.Quantity [mass] or [volume]
            For example ``"40 g"``, ``Q_([10, 40], "g")``, or ``"250 mL"`` for a food with
            a known density.

        Returns
        -------
        VitaminK
            Of kind ``"amount"`` (µg), with the same pools as :attr:`content`.

        Examples
        --------
        >>> from k2nutrition import foods
        >>> foods["natto"].portion("100 g").amount("MK-7")
        <Quantity(939.0, 'microgram')>
        """
        mass = self.to_mass(amount)
        return self.content * mass

    def __repr__(self) -> str:
        return f"Food({self.id!r}, {self.name!r}, {self.content!r}, source={self.source.id!r})"

    def __str__(self) -> str:
        from k2nutrition.display import food_text

        return food_text(self)

    def _repr_html_(self) -> str:
        from k2nutrition.display import food_html

        return food_html(self)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Food):
            return NotImplemented
        return attrs.astuple(self, recurse=False) == attrs.astuple(other, recurse=False)

    def __hash__(self) -> int:
        return hash(self.id)


def _bool(text: str, where: str) -> bool:
    folded = text.strip().casefold()
    if folded in {"true", "yes", "1"}:
        return True
    if folded in {"false", "no", "0", ""}:
        return False
    raise DataError(f"{where}: expected true or false, got {text!r}")


_CONTENT_UNIT: Final = "microgram / hectogram"


@functools.lru_cache(maxsize=256)
def _content_factor(source_unit: str, unit: str) -> float | None:
    """Return the factor from a mass-per-mass ``source_unit`` to ``unit`` (None otherwise)."""
    q = _unit_quantity(source_unit)
    if not q.dimensionless:
        return None
    return float(q.magnitude * conversion_factor(q.units, unit))


def _content_magnitude(
    value: FoodValue, density: Quantity | None, where: str, unit: str = _CONTENT_UNIT
) -> float:
    factor = _content_factor(value.unit, unit)
    if factor is not None:
        return (0.0 if value.value is None else value.value) * factor
    q = value.quantity
    if q.dimensionality == ureg.get_dimensionality("[mass] / [length] ** 3"):
        if density is None:
            raise DataError(f"{where}: a content per volume ({value.unit}) needs a density")
        return float((q / density).to(unit).magnitude)
    raise DataError(f"{where}: {value.unit!r} is not a content (mass per mass or per volume)")


def unknown_vitamers(resolved: Iterable[Vitamer], pools: Iterable[Pool]) -> frozenset[Vitamer]:
    """Return the vitamers a record leaves unknown, given what it reports.

    A vitamer is known when the record reports it (a value or "not detected"), or when
    it reports a pool that holds it: ``total_K`` holds every form, ``total_MK`` every
    menaquinone.

    Examples
    --------
    >>> sorted(v.label for v in unknown_vitamers([Vitamer.K1], [Pool.TOTAL_MK]))
    ['dihydro-K1']
    >>> unknown_vitamers([], [Pool.TOTAL_K])
    frozenset()
    """
    pools = set(pools)
    if Pool.TOTAL_K in pools:
        return frozenset()
    known = set(resolved)
    return frozenset(
        v for v in Vitamer if v not in known and not (v.is_menaquinone and Pool.TOTAL_MK in pools)
    )


def _density_and_serving(
    row: dict[str, str], where: str, household: Iterable[tuple[str, float]] = ()
) -> tuple[Quantity | None, Quantity | None]:
    density = None
    if row["density_g"]:
        volume = parse_amount(row["density_volume"], f"{where} density_volume", "volume")
        density = (Q_(float(row["density_g"]), "g") / volume).to("g/mL")
    else:
        density = _density_from(household)
    serving = None
    if row["serving_g"]:
        serving = Q_(float(row["serving_g"]), "g")
    elif row["serving_label"] and row["serving_source_id"]:
        label = parse_amount(row["serving_label"], f"{where} serving_label", "mass or volume")
        if label.dimensionality == ureg.get_dimensionality("[mass]"):
            serving = label.to("g")
        elif density is not None:
            serving = (label * density).to("g")
        # else: a volume with no known density; the label is kept as text only
    return density, serving


def _value_from_row(v: dict[str, str], where: str) -> FoodValue:
    try:
        return FoodValue(
            component=v["component"],
            value=v["value"],
            unit=v["unit"],
            low=v["value_low"],
            high=v["value_high"],
            location=v["location"],
            confidence=v["confidence"],
            notes=v["notes"],
        )
    except (K2NutritionError, ValueError, pint.errors.PintError) as exc:
        raise DataError(f"{where}: {exc}") from None


_COFACTOR_NAMES: Final = frozenset(c.value for c in Cofactor)


def _record_source(record: str, value_rows: list[dict[str, str]], where: str) -> Source:
    """Return the source of a record: the one its vitamin K figures share.

    A calcium or vitamin D figure may name its own (where the vitamin K source did not
    analyse it); a record of cofactors only has the one source they share.
    """
    source_ids = {v["source_id"] for v in value_rows if v["component"] not in _COFACTOR_NAMES}
    if not source_ids:
        source_ids = {v["source_id"] for v in value_rows}
    if len(source_ids) != 1:
        raise DataError(f"{where}: the values of {record!r} name several sources {source_ids}")
    return get_source(source_ids.pop())


def _food_from_rows(
    row: dict[str, str],
    value_rows: list[dict[str, str]],
    household: tuple[tuple[str, float], ...] = (),
) -> Food:
    where = f"foods.csv, line {row['_line']}"
    if row["group"] not in FOOD_GROUPS:
        raise DataError(f"{where}: unknown food group {row['group']!r}")
    if row["basis"] not in BASES:
        raise DataError(f"{where}: unknown basis {row['basis']!r}")
    if not value_rows:
        raise DataError(f"{where}: food record {row['id']!r} has no values in food_values.csv")
    source = _record_source(row["id"], value_rows, where)
    for extra in ("serving_source_id", "density_source_id"):
        if row[extra]:
            get_source(row[extra])  # must exist

    density, serving = _density_and_serving(row, where, household)

    values: list[FoodValue] = []
    resolved: dict[Vitamer, float] = {}
    pools: dict[Pool, float] = {}
    cofactors: dict[Cofactor, Quantity] = {}
    for v in value_rows:
        vwhere = f"food_values.csv, line {v['_line']}"
        fv = _value_from_row(v, vwhere)
        if v["source_id"] != source.id:  # a cofactor of its own source
            fv = attrs.evolve(fv, source=_optional_source(v["source_id"]))
        component = fv.component
        if component in resolved or component in pools or component in cofactors:
            raise DataError(f"{vwhere}: {component} appears twice for {row['id']!r}")
        if isinstance(component, Cofactor):
            unit = CALCIUM_UNIT if component is Cofactor.CALCIUM else VITAMIN_D_UNIT
            cofactors[component] = Q_(_content_magnitude(fv, density, vwhere, unit), unit)
        elif isinstance(component, Pool):
            pools[component] = _content_magnitude(fv, density, vwhere)
        else:
            resolved[component] = _content_magnitude(fv, density, vwhere)
        values.append(fv)
    content = VitaminK.from_magnitudes(
        resolved, "content", pools=pools, not_analysed=unknown_vitamers(resolved, pools)
    )
    aliases = _names(row["aliases"]) + _names(row["aliases_zh"]) + _names(row["aliases_ja"])
    try:
        return Food(
            id=row["id"],
            food=row["food"],
            name=row["name"],
            content=content,
            source=source,
            values=tuple(values),
            group=row["group"],
            basis=row["basis"],
            country=row["country"],
            preferred=_bool(row["preferred"], where),
            aliases=aliases,
            name_zh=row["name_zh"],
            name_ja=row["name_ja"],
            serving=serving,
            serving_label=row["serving_label"],
            density=density,
            notes=row["notes"],
            calcium=cofactors.get(Cofactor.CALCIUM),
            vitamin_d=cofactors.get(Cofactor.VITAMIN_D),
            household=household,
        )
    except (TypeError, ValueError) as exc:
        raise DataError(f"{where}: {exc}") from None


def _read_curated() -> list[Food]:
    value_rows: dict[str, list[dict[str, str]]] = {}
    food_rows = read_csv("foods.csv", FOOD_COLUMNS)
    known = {row["id"] for row in food_rows}
    for v in read_csv("food_values.csv", VALUE_COLUMNS):
        if v["food_id"] not in known:
            raise DataError(f"food_values.csv, line {v['_line']}: unknown food {v['food_id']!r}")
        value_rows.setdefault(v["food_id"], []).append(v)
    household = _read_household()
    return [
        _food_from_rows(row, value_rows.get(row["id"], []), household.get(row["food"], ()))
        for row in food_rows
    ]


MEASURE_COLUMNS: Final = (
    "food",
    "measure",
    "amount",
    "grams",
    "source_id",
    "location",
    "confidence",
    "notes",
)


@functools.lru_cache(maxsize=1)
def _read_household() -> dict[str, tuple[tuple[str, float], ...]]:
    """Read ``food_measures.csv``: food key or FDC id -> (measure, grams of one measure)."""
    if not resources.files("k2nutrition").joinpath("data", "food_measures.csv").is_file():
        return {}
    found: dict[str, dict[str, float]] = {}
    for row in read_csv("food_measures.csv", MEASURE_COLUMNS):
        where = f"food_measures.csv, line {row['_line']}"
        try:
            amount, grams = float(row["amount"]), float(row["grams"])
        except ValueError:
            raise DataError(f"{where}: amount and grams must be numbers") from None
        if not (amount > 0 and grams > 0):
            raise DataError(f"{where}: amount and grams must be positive")
        found.setdefault(row["food"], {})[" ".join(row["measure"].casefold().split())] = (
            grams / amount
        )
    return {food: tuple(measures.items()) for food, measures in found.items()}


#: Volumes of the household measures a density is read from, largest first (US customary,
#: as USDA uses them; pint's definitions).
_VOLUME_MEASURES: Final = ("cup", "fl oz", "tbsp", "tsp")


def _density_from(household: Iterable[tuple[str, float]]) -> Quantity | None:
    """Return a liquid's density from the weight of a volume measure (a cup of milk: 244 g).

    Only for liquids, which USDA measures in fluid ounces: the cup of a solid (chopped
    kale, natto) is a bulk measure, not a density, and a volume in mL of it is refused.
    """
    measures = dict(household)
    if "fl oz" not in measures:
        return None
    for measure in _VOLUME_MEASURES:
        if measure in measures:
            volume = parse_amount(f"1 {measure}", "measure", "volume")
            return cast("Quantity", (Q_(measures[measure], "g") / volume).to("g/mL"))
    return None


# -- FoodData Central rows, indexed raw and built on first access ---------------------------

#: FoodData Central data types of ``fdc_foods.csv``, with their source ids in
#: ``sources.csv`` and their rank in the preference rule: Foundation Foods and SR Legacy
#: are analyses and compilations of analyses; FNDDS survey foods take their figures from
#: them and from recipes, so they come after.
FDC_DATA_TYPES: Final[Mapping[str, tuple[str, int]]] = {
    "foundation_food": ("fdc-foundation", 0),
    "sr_legacy_food": ("fdc-sr-legacy", 1),
    "survey_fndds_food": ("fdc-fndds", 2),
}
#: The data set of the curated literature records (``foods.csv``, ``food_values.csv``).
CURATED: Final = "curated"
#: The data set of records given to a table by hand (not built-in).
GIVEN: Final = "given"

FDC_COLUMNS: Final = (
    "id",
    "description",
    "data_type",
    "category",
    "K1_ug",
    "MK4_ug",
    "calcium_mg",
    "vitamin_D_ug",
    "portion_label",
    "portion_g",
)
#: The vitamers of ``fdc_foods.csv``, and their columns.
_FDC_VITAMERS: Final = (
    (Vitamer.K1, FDC_COLUMNS.index("K1_ug")),
    (Vitamer.MK4, FDC_COLUMNS.index("MK4_ug")),
)
NAME_COLUMNS: Final = ("food", "lang", "name", "primary")
GENERIC_COLUMNS: Final = ("name", "lang", "candidates")
_LANGS: Final = ("en", "zh", "ja")
_FDC_SOURCE_IDS: Final = {source: data_type for data_type, (source, _r) in FDC_DATA_TYPES.items()}


@attrs.frozen
class _Names:
    """Names of one food from ``food_names.csv``: primary per language, then aliases."""

    primary: dict[str, str] = attrs.field(factory=dict)
    aliases: list[str] = attrs.field(factory=list)


class _Meta:
    """What the index knows of a record without building it."""

    __slots__ = (
        "confidence",
        "country",
        "data_set",
        "food",
        "group",
        "id",
        "keys",
        "named",
        "names",
        "preferred",
        "primary",
        "resolved",
        "source",
    )

    def __init__(
        self,
        id: str,
        food: str,
        data_set: str,
        source: str,
        country: str,
        preferred: bool,
        resolved: int,
        confidence: int,
        names: tuple[str, ...],
        primary: frozenset[str],
        group: str = "",
        keys: tuple[str, ...] | None = None,
        named: frozenset[str] | None = None,
    ) -> None:
        self.id = id
        self.food = food
        self.data_set = data_set
        self.source = source
        self.country = country
        self.preferred = preferred
        #: 2: reports single vitamers; 1: only pools; 0: no vitamin K figure.
        self.resolved = resolved
        self.confidence = confidence
        #: Display names (the English name first), then aliases, as written.
        self.names = names
        #: The names folded, without repeats.
        if keys is None:
            keys = tuple(dict.fromkeys(k for k in map(fold_name, names) if k))
        self.keys = keys
        #: Folded names given by a names table (not read from a description).
        self.named = frozenset(keys) if named is None else named
        #: Folded primary names (English, Chinese, Japanese display names).
        self.primary = primary
        self.group = group


_CONFIDENCE_RANK: Final = {"low": 0, "medium": 1, "high": 2}


def _meta_of(food: Food, data_set: str | None = None, extra: _Names | None = None) -> _Meta:
    resolved = 2 if len(food.content) else 1 if food.content.pools else 0
    primary = frozenset(fold_name(n) for n in (food.name, food.name_zh, food.name_ja) if n)
    names = (*food.names, food.food)
    if extra is not None and food.preferred:
        names = (*names, *extra.primary.values(), *extra.aliases)
    return _Meta(
        id=food.id,
        food=food.food,
        data_set=data_set or _FDC_SOURCE_IDS.get(food.source.id, GIVEN),
        source=food.source.id,
        country=food.country,
        preferred=food.preferred,
        resolved=resolved,
        confidence=_CONFIDENCE_RANK.get(food.confidence.value, 0),
        names=names,
        primary=primary,
        group=food.group,
    )


def _fdc_names(description: str, names: _Names | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Return (all names, display names) of an FDC record: English name first."""
    if names is None:
        return (description,), (description,)
    english = names.primary.get("en", description)
    shown = (english, *(names.primary[lang] for lang in ("zh", "ja") if lang in names.primary))
    found = (*shown, *names.aliases, description)
    return tuple(dict.fromkeys(n for n in found if n)), shown


def _fdc_meta(cells: list[str], names: _Names | None) -> _Meta:
    fid, description, data_type = cells[0], cells[1], cells[2]
    if data_type not in FDC_DATA_TYPES:
        raise DataError(f"fdc_foods.csv: {fid}: unknown data type {data_type!r}")
    if names is None:  # the common case, kept fast: one name, its own display name
        key = fold_name(description)
        return _Meta(
            fid,
            fid,
            data_type,
            FDC_DATA_TYPES[data_type][0],
            "USA",
            True,
            2 if cells[4] or cells[5] else 0,
            1,
            (description,),
            frozenset((key,)),
            "",
            (key,),
            frozenset(),
        )
    found, shown = _fdc_names(description, names)
    return _Meta(
        id=fid,
        food=fid,
        data_set=data_type,
        source=FDC_DATA_TYPES[data_type][0],
        country="USA",
        preferred=True,
        resolved=2 if cells[4] or cells[5] else 0,
        confidence=1,
        names=found,
        primary=frozenset(map(fold_name, shown)),
        named=frozenset(k for k in map(fold_name, (*names.primary.values(), *names.aliases)) if k),
    )


_VOLUME_WORDS: Final = frozenset({"cup", "cups", "tbsp", "tsp", "ml", "l", "fl oz", "floz"})


def _fdc_food(
    cells: list[str], names: _Names | None, household: tuple[tuple[str, float], ...] = ()
) -> Food:
    """Build the record of one row of ``fdc_foods.csv`` (values per 100 g, as printed)."""
    fid, description, data_type, category, k1, mk4, calcium, vitamin_d, label, grams = cells
    where = f"FoodData Central {data_type}: {description} ({fid})"
    values: list[FoodValue] = []
    resolved: dict[Vitamer, float] = {}
    for component, cell, unit in (
        (Vitamer.K1, k1, "ug/(100 g)"),
        (Vitamer.MK4, mk4, "ug/(100 g)"),
        (Cofactor.CALCIUM, calcium, "mg/(100 g)"),
        (Cofactor.VITAMIN_D, vitamin_d, "ug/(100 g)"),
    ):
        if not cell:
            continue  # not reported by the source: unknown, not zero
        values.append(FoodValue(component, cell, unit, location=where, confidence="medium"))
        if isinstance(component, Vitamer):
            resolved[component] = float(cell)
    serving = Q_(float(grams), "g") if label and grams else None
    measures = dict(household)
    if serving is not None:
        word = " ".join(label.split()[1:]).casefold()
        measures.setdefault(word, float(grams) / _label_count(label))
    density = _density_from(measures.items())
    if density is None and serving is not None and label.split()[-1].casefold() == "ml":
        density = cast("Quantity", (serving / parse_amount(label, "portion", "volume")).to("g/mL"))
    found, _shown = _fdc_names(description, names)
    english = found[0]
    return Food(
        id=fid,
        food=fid,
        name=english,
        content=VitaminK.from_magnitudes(
            resolved, "content", not_analysed=unknown_vitamers(resolved, ())
        ),
        source=get_source(FDC_DATA_TYPES[data_type][0]),
        values=tuple(values),
        group="",
        basis="as analysed",
        country="USA",
        preferred=True,
        aliases=found[1:],
        name_zh=names.primary.get("zh", "") if names else "",
        name_ja=names.primary.get("ja", "") if names else "",
        serving=serving,
        serving_label=label if serving is not None else "",
        density=density,
        notes=f"FoodData Central {data_type}; category: {category}",
        calcium=Q_(float(calcium), CALCIUM_UNIT) if calcium else None,
        vitamin_d=Q_(float(vitamin_d), VITAMIN_D_UNIT) if vitamin_d else None,
        household=tuple(measures.items()),
    )


def _read_names(curated_keys: Iterable[str], fdc_ids: Iterable[str]) -> dict[str, _Names]:
    try:
        text = resources.files("k2nutrition").joinpath("data", "food_names.csv")
        if not text.is_file():
            return {}
    except (FileNotFoundError, ModuleNotFoundError):  # pragma: no cover - packaging
        return {}
    known = set(curated_keys) | set(fdc_ids)
    out: dict[str, _Names] = {}
    for row in read_csv("food_names.csv", NAME_COLUMNS):
        where = f"food_names.csv, line {row['_line']}"
        if row["food"] not in known:
            raise DataError(f"{where}: unknown food {row['food']!r}")
        if row["lang"] not in _LANGS:
            raise DataError(f"{where}: unknown language {row['lang']!r}")
        names = out.setdefault(row["food"], _Names())
        if _bool(row["primary"], where):
            if row["lang"] in names.primary:
                raise DataError(f"{where}: a second primary {row['lang']} name")
            names.primary[row["lang"]] = row["name"]
        else:
            names.aliases.append(row["name"])
    return out


def _read_generic(known: Callable[[str], bool]) -> dict[str, tuple[str, ...]]:
    """Read ``generic_names.csv``: words that name a class of foods, and their candidates."""
    if not resources.files("k2nutrition").joinpath("data", "generic_names.csv").is_file():
        return {}
    out: dict[str, tuple[str, ...]] = {}
    for row in read_csv("generic_names.csv", GENERIC_COLUMNS):
        where = f"generic_names.csv, line {row['_line']}"
        candidates = tuple(c.strip() for c in row["candidates"].split("|") if c.strip())
        for c in candidates:
            if not known(c):
                raise DataError(f"{where}: unknown food {c!r}")
        out[fold_name(row["name"])] = candidates
    return out


def _read_fdc_rows() -> list[list[str]]:
    """Read ``fdc_foods.csv`` as plain rows (no quantities are made here: that is lazy)."""
    path = resources.files("k2nutrition").joinpath("data", "fdc_foods.csv")
    reader = csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline=""))
    header = next(reader, None)
    if header is None or tuple(header) != FDC_COLUMNS:
        raise DataError(f"fdc_foods.csv: expected the columns {list(FDC_COLUMNS)}")
    rows = [row for row in reader if row]
    for row in rows:
        if len(row) != len(FDC_COLUMNS):
            raise DataError(f"fdc_foods.csv: {row[0]!r}: expected {len(FDC_COLUMNS)} fields")
    return rows


def _share_names(
    curated: Sequence[Food], names: dict[str, _Names], fdc_rows: Sequence[Sequence[str]]
) -> None:
    """Give a curated food the names of each FoodData Central food that is the same food.

    A FoodData Central record whose English name (``kale``), else one of whose aliases
    (``scallop``), is a name of a curated food describes that food: its Chinese and Japanese
    names and aliases (``ケール``, ``curly kale``) then lead to the curated record first, as
    its English name does (the order of :meth:`FoodTable.records`), not to the FoodData
    Central record alone. A name another curated food holds stays that food's, and a
    record raw where the curated food is cooked (or the other way round) keeps its names.
    """
    own: dict[str, str] = {}  # folded name of a curated food -> its key
    state: dict[str, str | None] = {}  # the curated food's state: raw, cooked or not said
    for f in curated:
        if f.preferred:
            for name in (*f.names, f.food):
                own.setdefault(fold_name(name), f.food)
            state[f.food] = _state(f.basis)
    owner = dict(own)  # and the names given to them here
    description = {fid: text for fid, text, *_ in fdc_rows}
    for fid, entry in list(names.items()):
        english = [entry.primary.get("en", ""), *entry.aliases]
        food = next((own[k] for k in map(fold_name, english) if k in own), None)
        if food is None or fid == food:
            continue
        fdc_state = _state(description.get(fid, ""))
        if None not in (fdc_state, state[food]) and fdc_state != state[food]:
            continue  # raw brown rice is not the cooked brown rice of the curated table
        for name in (*entry.primary.values(), *entry.aliases):
            if owner.setdefault(fold_name(name), food) == food:
                names.setdefault(food, _Names()).aliases.append(name)


_RAW: Final = re.compile(r"\b(?:raw|uncooked|dry|dried)\b", re.IGNORECASE)
_COOKED: Final = re.compile(
    r"\b(?:cooked|boiled|roasted|fried|baked|braised|grilled|steamed|stewed|broiled)\b",
    re.IGNORECASE,
)


def _state(text: str) -> str | None:
    """Return "raw" or "cooked" where a description or basis says which (one only), else None."""
    raw, cooked = bool(_RAW.search(text)), bool(_COOKED.search(text))
    return "raw" if raw and not cooked else "cooked" if cooked and not raw else None


def _load_builtin() -> _Index:
    curated = _read_curated()
    rows = _read_fdc_rows()
    names = _read_names((f.food for f in curated), (r[0] for r in rows))
    _share_names(curated, names, rows)
    local = [_meta_of(f, CURATED, names.get(f.food)) for f in curated]
    raw: dict[str, tuple[list[str], _Names | None]] = {}
    fdc: list[tuple[str, tuple[str, ...]]] = []
    _read_household()  # read once, here, so that records built later need no file
    for cells in rows:
        fid = cells[0]
        entry = names.get(fid)
        if fid in raw:
            raise DataError(f"fdc_foods.csv: duplicate id {fid!r}")
        if cells[2] not in FDC_DATA_TYPES:
            raise DataError(f"fdc_foods.csv: {fid}: unknown data type {cells[2]!r}")
        raw[fid] = (cells, entry)
        if entry is None:  # the common case, kept fast: the description is the one name
            fdc.append((fid, (fold_name(cells[1]),)))
        else:
            fdc.append((fid, _fdc_meta(cells, entry).keys))
    built = {f.id: f for f in curated}
    keys = {f.food for f in curated}
    generic = _read_generic(lambda c: c in keys or c in raw)
    return _Index(local, fdc, built, raw, {}, generic=generic, check_preferred=True)


# -- the index ------------------------------------------------------------------------------


class _Index:
    """Names and ids to record ids; records built on first access and kept.

    ``local`` records (curated or given) are known in full; FoodData Central rows are
    indexed by their folded names only, and their metadata and records are made on
    first use. ``built``, ``raw`` and ``fdc_metas`` are caches shared by the tables made
    from one another (:meth:`FoodTable.subset`, :meth:`FoodTable.prefer`). With ``make``,
    the ``fdc`` entries are records that ``make(record_id)`` builds (see
    :meth:`FoodTable._deferred`), each checked to be led to by its names.
    """

    __slots__ = (
        "built",
        "by_food",
        "by_key",
        "country",
        "fdc",
        "fdc_keys",
        "fdc_metas",
        "generic",
        "ids",
        "kana",
        "local",
        "make",
        "raw",
    )

    def __init__(
        self,
        local: Iterable[_Meta],
        fdc: list[tuple[str, tuple[str, ...]]],
        built: dict[str, Food],
        raw: Mapping[str, tuple[list[str], _Names | None]],
        fdc_metas: dict[str, _Meta],
        *,
        generic: Mapping[str, tuple[str, ...]] | None = None,
        country: str | None = None,
        check_preferred: bool = False,
        make: Callable[[str], Food] | None = None,
    ) -> None:
        self.make = make
        self.local: dict[str, _Meta] = {}
        for m in local:
            if m.id in self.local:
                raise DataError(f"duplicate food record id {m.id!r}")
            self.local[m.id] = m
        self.fdc = fdc
        self.fdc_keys: dict[str, frozenset[str]] | None = None  # made when first needed
        self.ids: dict[str, None] = dict.fromkeys(self.local)
        for fid, _keys in fdc:
            if fid in self.ids:
                raise DataError(f"duplicate food record id {fid!r}")
            self.ids[fid] = None
        self.built = built
        self.raw = raw
        self.fdc_metas = fdc_metas
        self.generic: Mapping[str, tuple[str, ...]] = generic or {}
        self.country = country.casefold() if country else None
        by_food: dict[str, list[str]] = {}
        for m in self.local.values():
            by_food.setdefault(m.food, []).append(m.id)
        if check_preferred:
            for key, ids in by_food.items():
                preferred = [i for i in ids if self.local[i].preferred]
                if len(preferred) != 1:
                    raise DataError(
                        f"food {key!r} needs exactly one preferred record; records: {ids}"
                    )
        self.by_food = {
            k: tuple(sorted(v, key=lambda i: not self.local[i].preferred))
            for k, v in by_food.items()
        }
        self.by_key = self._name_index()
        self.kana: tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]] | None = None

    def meta(self, record_id: str) -> _Meta:
        """Return what the index knows of a record (made on first use for FDC rows)."""
        found = self.local.get(record_id) or self.fdc_metas.get(record_id)
        if found is None:
            if self.make is not None:
                return self.fdc_metas.setdefault(record_id, _meta_of(self.food(record_id)))
            cells, names = self.raw[record_id]
            found = self.fdc_metas.setdefault(record_id, _fdc_meta(cells, names))
        return found

    def metas(self) -> Iterator[_Meta]:
        """Every record's metadata, in table order."""
        return (self.meta(i) for i in self.ids)

    def siblings(self, record_id: str) -> tuple[str, ...]:
        """Return the records of the same food as ``record_id``, preferred first."""
        if record_id in self.local:
            return self.by_food[self.local[record_id].food]
        return (record_id,)

    def rank(self, meta: _Meta, key: str) -> tuple[Any, ...]:
        """Return the sort key of the preference rule (the record a name leads to first)."""
        return (
            0 if self.country is not None and meta.country.casefold() == self.country else 1,
            0 if meta.data_set in {CURATED, GIVEN} else 1,
            0 if meta.preferred else 1,
            0 if key in meta.named else 1,
            0 if key in meta.primary else 1,
            -meta.resolved,
            FDC_DATA_TYPES[meta.data_set][1] if meta.data_set in FDC_DATA_TYPES else -1,
            -meta.confidence,
            meta.id,
        )

    def _claim_local(self, claims: dict[str, list[str]]) -> None:
        """Let curated (or given) records claim their names; two foods may not share one."""
        owner: dict[str, str] = {}  # folded name -> the food claiming it
        local = [m for m in self.local.values() if m.data_set in {CURATED, GIVEN}]
        for m in local:  # preferred records claim every name
            if not m.preferred:
                continue
            for name in m.names:
                key = fold_name(name)
                if not key:
                    continue
                previous = owner.setdefault(key, m.food)
                if previous != m.food:
                    raise DataError(
                        f"the name {name!r} leads to two foods: {previous!r} and {m.food!r}"
                    )
                claims.setdefault(key, []).append(m.id)
        for m in local:  # other records: their own name, unless another food holds it
            if not m.preferred and m.keys and owner.setdefault(m.keys[0], m.food) == m.food:
                claims.setdefault(m.keys[0], []).append(m.id)

    def _name_index(self) -> dict[str, tuple[str, ...]]:
        claims: dict[str, list[str]] = {}
        self._claim_local(claims)
        index = {key: tuple(ids) for key, ids in claims.items()}
        shared = {key for key, ids in claims.items() if len(ids) > 1}
        # FoodData Central records (given as records, or indexed raw): every name, shared
        others = [(m.id, m.keys) for m in self.local.values() if m.data_set not in {CURATED, GIVEN}]
        for fid, keys in [*others, *self.fdc]:
            for key in keys:
                found = index.get(key)
                if found is None:
                    index[key] = (fid,)
                else:
                    index[key] = (*found, fid)
                    shared.add(key)
        for key in shared:
            unique = dict.fromkeys(index[key])
            index[key] = tuple(sorted(unique, key=lambda i: self.rank(self.meta(i), key)))
        return index

    def food(self, record_id: str) -> Food:
        found = self.built.get(record_id)
        if found is None and self.make is not None:
            made = self.make(record_id)
            keys = _meta_of(made).keys
            if self.fdc_keys is None:  # the names each record was indexed by (not by_key,
                # which may still be in the making: ranking a shared name builds records)
                self.fdc_keys = {fid: frozenset(k) for fid, k in self.fdc}
            if made.id != record_id or not set(keys) <= self.fdc_keys.get(record_id, set()):
                raise DataError(f"record {record_id!r} was built as {made.id!r}, named {keys}")
            found = self.built.setdefault(record_id, made)
        elif found is None:
            cells, names = self.raw[record_id]
            household = _read_household().get(record_id, ())
            found = self.built.setdefault(record_id, _fdc_food(cells, names, household))
        return found

    def lookup(self, key: str) -> tuple[str, ...]:
        if key in self.ids:
            return (key,)
        folded = fold_name(key)
        if folded in self.ids:
            return (folded,)
        if folded in self.generic:
            return ()
        found = self.by_key.get(folded, ())
        if found or not _KANA.search(folded):
            return found
        return self._kana()[0].get(_hiragana(folded), ())

    def _kana(self) -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
        """Return the kana names with katakana as hiragana: records, and candidates.

        The first mapping gives the records of each name; the second, the candidates of
        those whose spellings lead to several foods (or that name a class of foods). A
        name missed as written (``ナットウ``) is looked up as ``なっとう``: a name that reads
        one way in either script leads to its food; one whose spellings lead to different
        foods is refused, as a generic word is.
        """
        if self.kana is None:
            found: dict[str, tuple[str, ...]] = {}
            several: dict[str, tuple[str, ...]] = {}
            for key, ids in self.by_key.items():
                if _KANA.search(key):
                    kana = _hiragana(key)
                    first = found.setdefault(kana, ids)[0]
                    if first != ids[0]:  # the spellings lead to different records
                        several[kana] = (*several.get(kana, (first,)), ids[0])
            for key, candidates in self.generic.items():
                if _KANA.search(key):
                    several[_hiragana(key)] = candidates
            self.kana = {k: v for k, v in found.items() if k not in several}, several
        return self.kana

    def missing(self, key: str, suggest: Callable[[str], list[str]]) -> UnknownFoodError:
        """Return the error for a key that leads to no record.

        A word for several foods whose candidates this table holds fewer than two of is
        an unknown name, with those it holds among the suggestions.
        """
        shown = self.candidates(key)
        if len(shown) > 1:
            return AmbiguousFoodError(key, shown)
        return UnknownFoodError(key, shown + [s for s in suggest(key) if s not in shown])

    def candidates(self, key: str) -> list[str]:
        """Return the foods of this table that a word for several foods may mean."""
        folded = fold_name(key)
        found = self.generic.get(folded)
        if found is None and _KANA.search(folded):
            found = self._kana()[1].get(_hiragana(folded))
        shown = [self.display(c) for c in found or ()]
        return [c for c in dict.fromkeys(shown) if c]

    def display(self, food: str) -> str:
        """Return the name to offer for a food key or record id ("" if not in the table)."""
        if food in self.by_food:
            return food.replace("-", " ")
        if food in self.ids:
            return self.meta(food).names[0]
        return ""

    def derived(
        self, keep: Callable[[_Meta], bool] | None = None, country: str | None = None
    ) -> _Index:
        """Return an index of the records ``keep`` accepts, with a country preferred."""
        local = [m for m in self.local.values() if keep is None or keep(m)]
        fdc = [(fid, keys) for fid, keys in self.fdc if keep is None or keep(self.meta(fid))]
        return _Index(
            local,
            fdc,
            self.built,
            self.raw,
            self.fdc_metas,
            generic=self.generic,
            country=country if country is not None else self.country,
            make=self.make,
        )


#: Names longer than this are not searched for close matches (no name is this long).
_MAX_NAME_LENGTH: Final = 200


class FoodTable:
    """A table of food records, looked up by id, name or alias in any language.

    Parameters
    ----------
    records : iterable of Food, optional
        The records. Each ``food`` key needs exactly one preferred record, and no name
        may lead to two of these foods.
    loader : callable, optional
        Instead of ``records``: a function returning them, called on first use (once,
        thread-safe). The built-in :data:`foods` table is made this way.

    Notes
    -----
    Lookups fold case, accents, character width, hyphens, commas and whitespace, so
    ``"  NATTO "``, ``"ｎａｔｔｏ"`` and ``"natto"`` are the same key. A name in kana that is
    not a name as written is looked up in the other kana (``"ナットウ"`` as ``"なっとう"``),
    unless its spellings lead to different foods (``"かき"``: oyster or persimmon), which
    is refused as a word for several foods is. Iteration and ``len`` cover every record,
    preferred or not.

    **Which record a name leads to.** A name may lead to several records (the curated
    literature record of natto and FoodData Central's natto, say); ``table[name]`` gives
    the first by this rule, and :meth:`records` lists them all in this order:

    1. records of the country chosen with :meth:`prefer`, if any;
    2. curated, cited literature records (``foods.csv``) before FoodData Central's;
    3. within a curated food, its preferred record (primary text over secondary, single
       vitamers over totals, market means over laboratory products);
    4. records whose display name the name is, before those it is an alias of;
    5. vitamer-resolved records before records of totals only, before records with no
       vitamin K figure;
    6. primary before secondary data: FoodData Central Foundation Foods, then SR Legacy,
       then FNDDS survey foods (which take their figures from the other two and from
       recipes);
    7. higher confidence first; then the record id.

    :meth:`subset` keeps only some records (FoodData Central figures only, say).

    The built-in table holds over 7,000 records. It reads its files on first use and
    builds a record (with its quantities) only when it is asked for, then keeps it.
    """

    __slots__ = ("_index",)

    def __init__(
        self,
        records: Iterable[Food] | None = None,
        *,
        loader: Callable[[], Iterable[Food]] | None = None,
    ) -> None:
        if (records is None) == (loader is None):
            raise TypeError("FoodTable needs either records or loader, not both")
        if records is not None:
            index = _index_of(records)
            self._index: Lazy[_Index] = Lazy(lambda: index)
        else:
            assert loader is not None
            self._index = Lazy(lambda: _index_of(loader()))

    @classmethod
    def _deferred(
        cls, names: Callable[[], list[tuple[str, tuple[str, ...]]]], make: Callable[[str], Food]
    ) -> FoodTable:
        """Return a table whose names and records are made on first use, then kept.

        ``names()`` gives each record id, in table order, with the folded names that lead
        to it (:func:`fold_name` of its names and its food key, without repeats): it is
        called once, when the table is first used. ``make(record_id)`` builds a record
        when it is asked for; it must have that id and be led to by each of its names
        (else :class:`DataError`). Every record is its food's one, preferred record.
        """
        return cls._view(lambda: _Index([], names(), {}, {}, {}, make=make))

    @classmethod
    def _view(cls, make: Callable[[], _Index]) -> FoodTable:
        table = object.__new__(cls)
        table._index = Lazy(make)
        return table

    @property
    def loaded(self) -> bool:
        """Whether the records have been loaded."""
        return self._index.loaded

    def __reduce__(self) -> tuple[Any, ...]:
        # The built-in table pickles as a reference, so that worker processes load their own.
        if self is foods:
            return (_builtin_table, ())
        return (FoodTable, (list(self),))

    def __dask_tokenize__(self) -> object:
        """Return a deterministic token for Dask: the records' ids and contents."""
        return ("FoodTable", tuple((f.id, repr(f.content), f.source.id) for f in self))

    def __getitem__(self, key: str) -> Food:
        if not isinstance(key, str):
            raise UnknownFoodError(repr(key), ())
        index = self._index.get()
        found = index.lookup(key)
        if not found:
            if len(key) > _MAX_NAME_LENGTH:  # no name is this long: say so, without searching
                raise UnknownFoodError(f"{key[:40]}... ({len(key):,} characters)", ())
            raise index.missing(key, self.suggest)
        return index.food(found[0])

    @overload
    def get(self, key: str) -> Food | None: ...
    @overload
    def get(self, key: str, default: Food) -> Food: ...
    @overload
    def get(self, key: str, default: None) -> Food | None: ...

    def get(self, key: str, default: Food | None = None) -> Food | None:
        """Return the food ``key`` leads to, or ``default``."""
        if not isinstance(key, str):
            return default
        index = self._index.get()
        found = index.lookup(key)
        return index.food(found[0]) if found else default

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and bool(self._index.get().lookup(key))

    def __iter__(self) -> Iterator[Food]:
        index = self._index.get()
        return (index.food(i) for i in index.ids)

    def __len__(self) -> int:
        return len(self._index.get().ids)

    def _vitamin_k_components(self) -> frozenset[Vitamer | Pool]:
        """Return the vitamers and pools that any record holds a figure for.

        The same as building every record and collecting its ``content`` and
        ``content.pools``, but the rows of ``fdc_foods.csv`` not built yet are read from
        their K1 and MK-4 cells: the cohort engine asks this on its first call, and building
        the 7,000 records of the built-in table would take seconds.
        """
        index = self._index.get()
        present: set[Vitamer | Pool] = set()
        for record_id in index.ids:
            food = index.built.get(record_id)
            if food is None and index.make is None and record_id in index.raw:
                cells = index.raw[record_id][0]  # as _fdc_food reads them: a cell is a figure
                present.update(v for v, column in _FDC_VITAMERS if cells[column])
                continue
            food = index.food(record_id) if food is None else food
            present.update(food.content)
            present.update(food.content.pools)
        return frozenset(present)

    def __repr__(self) -> str:
        if not self.loaded:
            return "FoodTable(<not loaded>)"
        index = self._index.get()
        foods = len(index.by_food) + len(index.fdc)
        records = len(index.ids)
        return (
            f"FoodTable({records:,} record{'' if records == 1 else 's'} "
            f"of {foods:,} food{'' if foods == 1 else 's'})"
        )

    def __str__(self) -> str:
        from k2nutrition.display import food_table_text

        return food_table_text(self)

    def _repr_html_(self) -> str:
        from k2nutrition.display import food_table_html

        return food_table_html(self)

    @property
    def keys(self) -> tuple[str, ...]:
        """The food keys (one per food, however many records it has)."""
        index = self._index.get()
        return (*index.by_food, *(fid for fid, _keys in index.fdc))

    @property
    def data_sets(self) -> dict[str, int]:
        """How many records each data set holds: ``curated`` and the FDC data types.

        Examples
        --------
        >>> from k2nutrition import foods
        >>> sorted(foods.data_sets)
        ['curated', 'foundation_food', 'sr_legacy_food', 'survey_fndds_food']
        """
        counts: dict[str, int] = {}
        for m in self._index.get().metas():
            counts[m.data_set] = counts.get(m.data_set, 0) + 1
        return counts

    def records(self, key: str) -> tuple[Food, ...]:
        """Return every record ``key`` leads to, in the order of the preference rule.

        For a curated food, its records come first (the preferred one first), then any
        other record the name leads to (FoodData Central's, for example).

        Examples
        --------
        >>> from k2nutrition import foods
        >>> [f.id for f in foods.records("natto")][:2]
        ['natto-kamao-2007', 'natto-nih-ods']
        """
        index = self._index.get()
        found = index.lookup(key) if isinstance(key, str) else ()
        if not found:
            raise index.missing(str(key), self.suggest)
        ids: list[str] = []
        for record_id in found:
            for sibling in index.siblings(record_id):
                if sibling not in ids:
                    ids.append(sibling)
        return tuple(index.food(i) for i in ids)

    def _candidates(self, key: str) -> list[str]:
        """Return the foods of this table that ``key``, a word for several foods, may mean."""
        return self._index.get().candidates(key)

    def suggest(self, key: str, n: int = 3) -> list[str]:
        """Return up to ``n`` names close to ``key``, best first.

        Uses rapidfuzz's similarity ratio (Indel distance) over every name, which keeps
        a miss fast in a table of thousands of names (see ``benchmarks/bench_foods.py``).
        """
        if len(key) > _MAX_NAME_LENGTH:  # no name is this long
            return []
        index = self._index.get()
        folded = fold_name(key)
        if not folded:
            return []
        close = _close_names(folded, index.by_key, n * 3)
        names: list[str] = []
        for k in close:
            meta = index.meta(index.by_key[k][0])
            display = (
                k if k in index.by_food or meta.data_set not in {CURATED, GIVEN} else meta.food
            )
            if display not in names:
                names.append(display)
        return names[:n]

    def search(
        self, query: str, *, group: str | None = None, limit: int | None = None
    ) -> list[Food]:
        """Return the records whose names, aliases, id or group contain ``query``.

        Exact name matches come first, then names starting with the query, then names
        with a word starting with it, then the rest; within each, names with fewer other
        words first, then by the preference rule. A query with no letter or digit (``" "``)
        raises :class:`ValueError` rather than match every record, unless ``group`` is given
        (``search("", group="cheese")`` lists a group).

        Examples
        --------
        >>> from k2nutrition import foods
        >>> [f.food for f in foods.search("douchi")][:1]
        ['douchi']
        """
        q = fold_name(query)
        if not q and group is None:
            raise ValueError(
                f"search needs a query with a letter or digit; got {query!r} (to list every "
                "record, iterate over the table)"
            )
        index = self._index.get()
        ranked: list[tuple[Any, ...]] = []
        words = len(q.split())
        for m in index.metas():
            if group is not None and m.group != group:
                continue
            best: tuple[int, int] | None = None
            for n in (*m.keys, m.id):
                if n == q:
                    score = (0, 0)
                elif n.startswith(q):
                    score = (1, len(n.split()) - words)
                elif f" {q}" in n:
                    score = (2, len(n.split()) - words)
                elif q in n:
                    score = (3, len(n.split()) - words)
                else:
                    continue
                best = score if best is None or score < best else best
            if best is None and q and q in m.group:
                best = (3, 0)
            if best is not None:
                ranked.append((*best, index.rank(m, q), m.id))
        ranked.sort()
        chosen = ranked if limit is None else ranked[:limit]
        return [index.food(r[-1]) for r in chosen]

    def subset(
        self,
        *,
        data_sets: Iterable[str] | None = None,
        sources: Iterable[str] | None = None,
        countries: Iterable[str] | None = None,
        where: Callable[[Food], bool] | None = None,
    ) -> FoodTable:
        """Return a table of only some of the records, with the same names and rule.

        Parameters
        ----------
        data_sets : iterable of str, optional
            ``"curated"`` (the cited literature records) and FoodData Central's
            ``"foundation_food"``, ``"sr_legacy_food"``, ``"survey_fndds_food"``; ``"fdc"``
            stands for all three.
        sources : iterable of str, optional
            Source ids (``sources.csv``), such as ``"kamao-2007"`` or ``"fdc-sr-legacy"``.
        countries : iterable of str, optional
            Countries the samples came from (``"Japan"``, ``"USA"``; case folded).
        where : callable, optional
            A test of each record (this builds every record it is asked about).

        Examples
        --------
        >>> from k2nutrition import foods
        >>> us = foods.subset(data_sets=["fdc"])
        >>> us["natto"].source.id
        'fdc-sr-legacy'
        >>> len(us) < len(foods)
        True
        """
        wanted_sets = None
        if data_sets is not None:
            wanted_sets = set()
            for d in [data_sets] if isinstance(data_sets, str) else data_sets:
                if d == "fdc":
                    wanted_sets |= set(FDC_DATA_TYPES)
                elif d in FDC_DATA_TYPES or d in {CURATED, GIVEN}:
                    wanted_sets.add(d)
                else:
                    known = ", ".join([CURATED, GIVEN, "fdc", *FDC_DATA_TYPES])
                    raise DataError(f"unknown data set {d!r}; known: {known}")
        wanted_sources = _text_set(sources)
        wanted_countries = {c.casefold() for c in _text_set(countries) or ()}
        parent = self._index

        def keep(m: _Meta, index: _Index) -> bool:
            if wanted_sets is not None and m.data_set not in wanted_sets:
                return False
            if wanted_sources is not None and m.source not in wanted_sources:
                return False
            if countries is not None and m.country.casefold() not in wanted_countries:
                return False
            return where is None or bool(where(index.food(m.id)))

        def make() -> _Index:
            index = parent.get()
            return index.derived(lambda m: keep(m, index))

        return FoodTable._view(make)

    def prefer(self, *, country: str | None) -> FoodTable:
        """Return the same records, with those of ``country`` first where a name has several.

        Examples
        --------
        >>> from k2nutrition import foods
        >>> foods["natto"].country
        'Japan'
        >>> foods.prefer(country="USA")["natto"].id
        'natto-nih-ods'
        """
        parent = self._index

        def make() -> _Index:
            return parent.get().derived(country=country or "")

        return FoodTable._view(make)

    def to_frame(self) -> pd.DataFrame:
        """Return one row per record, with a column per vitamer and pool in µg/100 g.

        See :func:`k2nutrition.display.food_table_frame`. Needs pandas
        (``pip install k2nutrition[pandas]``).
        """
        from k2nutrition.display import food_table_frame

        order = [*(v.label for v in Vitamer), *(p.value for p in Pool)]
        return food_table_frame(self, order)


def _text_set(values: Iterable[str] | None) -> set[str] | None:
    if values is None:
        return None
    return {values} if isinstance(values, str) else set(values)


def _index_of(loaded: Iterable[Food] | _Index) -> _Index:
    if isinstance(loaded, _Index):
        return loaded
    records = list(loaded)
    built: dict[str, Food] = {}
    for f in records:
        if f.id in built:
            raise DataError(f"duplicate food record id {f.id!r}")
        built[f.id] = f
    return _Index([_meta_of(f) for f in records], [], built, {}, {}, check_preferred=True)


#: Suggestions keep the names whose similarity (0-100) is within this of the best one.
_SUGGEST_MARGIN: Final = 15.0


def _close_names(folded: str, names: Mapping[str, Any], n: int) -> list[str]:
    from rapidfuzz import fuzz, process  # imported on the first miss, not with the package

    # kana compared as hiragana: ナットー is close to なっとう
    fold = _hiragana if _KANA.search(folded) else None
    found = process.extract(
        folded, names.keys(), scorer=fuzz.ratio, limit=n, score_cutoff=60, processor=fold
    )
    if not found:
        return []
    # keep the names nearly as close as the best one: a typo of "natto" is not "atole"
    best = found[0][1]
    return [name for name, score, _i in found if score >= best - _SUGGEST_MARGIN]


#: The built-in food table, loaded from the bundled data on first use.
foods: FoodTable = FoodTable(loader=_load_builtin)  # type: ignore[arg-type]


def _builtin_table() -> FoodTable:
    return foods
