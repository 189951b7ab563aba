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

import difflib
import enum
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Final, cast, overload

import attrs
import pint

from k2nutrition._data import Lazy, read_csv
from k2nutrition.errors import (
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
    parse_amount,
    ureg,
)
from k2nutrition.vitamers import Vitamer

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Cofactor", "Food", "FoodTable", "FoodValue", "fold_name", "foods"]

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


def fold_name(text: str) -> str:
    """Fold a food name for lookup: case, accents, width, hyphens and whitespace.

    Accents are dropped from Latin letters only, so Japanese kana keep their marks.

    Examples
    --------
    >>> fold_name("  Crème  Fraîche ")
    'creme fraiche'
    >>> fold_name("ＮＡＴＴＯ")
    'natto'
    >>> fold_name("semi-soft cheese")
    'semi soft cheese'
    """
    if text.isascii():  # the common case: no width, accents or kana to fold
        return " ".join(text.casefold().replace("-", " ").replace("_", " ").split())
    text = unicodedata.normalize("NFKC", text).casefold()
    kept: list[str] = []
    for ch in unicodedata.normalize("NFD", text):
        if unicodedata.combining(ch) and kept and kept[-1] < _LATIN_LIMIT:
            continue
        kept.append(ch)
    text = unicodedata.normalize("NFC", "".join(kept))
    text = re.sub(r"[-_]", " ", text)
    return " ".join(text.split())


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
    """

    component: Component = attrs.field(converter=_component)
    value: float | None = attrs.field(converter=_figure)
    unit: str
    low: float | None = attrs.field(converter=_optional_float, default=None)
    high: float | None = attrs.field(converter=_optional_float, default=None)
    location: str = ""
    confidence: Confidence = attrs.field(converter=_confidence, default=Confidence.LOW)
    notes: str = ""

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
        Where the figures come from.
    values : tuple of FoodValue
        The figures as printed, with their location and confidence.
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
    >>> natto.calcium is None          # not analysed by the record's source
    True
    >>> "K1" in natto.not_analysed
    True
    """

    id: str = attrs.field(validator=attrs.validators.min_len(1))
    food: str = attrs.field(validator=attrs.validators.min_len(1))
    name: str = attrs.field(validator=attrs.validators.min_len(1))
    content: VitaminK = attrs.field(validator=_check_content)
    source: Source
    values: tuple[FoodValue, ...] = attrs.field(converter=_food_values, factory=tuple)
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

    def cofactor(self, which: Cofactor | str) -> Quantity | None:
        """Return :attr:`calcium` or :attr:`vitamin_d` by name (``None``: not analysed)."""
        component = _component(which) if isinstance(which, str) else which
        if component is Cofactor.CALCIUM:
            return self.calcium
        if component is Cofactor.VITAMIN_D:
            return self.vitamin_d
        raise DataError(f"{which!r} is not a bone cofactor; use 'calcium' or 'vitamin_D'")

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
        """The lowest confidence among the record's figures."""
        return min((v.confidence for v in self.values), default=Confidence.LOW)

    @property
    def names(self) -> tuple[str, ...]:
        """Every name of the food: English name, aliases, Chinese and Japanese names."""
        found = [self.name, self.name_zh, self.name_ja, *self.aliases]
        return tuple(dict.fromkeys(n for n in found if n))

    def to_mass(self, amount: QuantityLike, name: str = "amount") -> Quantity:
        """Return ``amount`` as a mass, converting a volume through the food's density.

        Raises
        ------
        DimensionError
            For a volume when the food has no known density, or for any other dimension.
        """
        q = parse_amount(amount, name, "mass or volume")
        if q.dimensionality == ureg.get_dimensionality("[mass]"):
            return q
        if self.density is None:
            raise DimensionError(
                f"{name} is a volume ({amount!r}), but no density is known for "
                f"{self.name!r} ({self.id}); give the portion as a mass, e.g. '250 g'"
            )
        return cast("Quantity", (q * self.density).to("g"))

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


def _content_magnitude(
    value: FoodValue, density: Quantity | None, where: str, unit: str = _CONTENT_UNIT
) -> float:
    q = value.quantity
    if q.dimensionless:
        return float(q.magnitude * conversion_factor(q.units, unit))
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
    row: dict[str, str], where: str
) -> tuple[Quantity | None, Quantity | None]:
    density = None
    if row["density_g"]:
        volume = parse_amount(row["density_volume"], f"{where} density_volume", "volume")
        density = (Q_(float(row["density_g"]), "g") / volume).to("g/mL")
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


def _food_from_rows(row: dict[str, str], value_rows: list[dict[str, str]]) -> Food:
    where = f"foods.csv, line {row['_line']}"
    if row["group"] not in FOOD_GROUPS:
        raise DataError(f"{where}: unknown food group {row['group']!r}")
    if row["basis"] not in BASES:
        raise DataError(f"{where}: unknown basis {row['basis']!r}")
    if not value_rows:
        raise DataError(f"{where}: food record {row['id']!r} has no values in food_values.csv")
    source_ids = {v["source_id"] for v in value_rows}
    if len(source_ids) != 1:
        raise DataError(f"{where}: the values of {row['id']!r} name several sources {source_ids}")
    source = get_source(source_ids.pop())
    for extra in ("serving_source_id", "density_source_id"):
        if row[extra]:
            get_source(row[extra])  # must exist

    density, serving = _density_and_serving(row, where)

    values: list[FoodValue] = []
    resolved: dict[Vitamer, float] = {}
    pools: dict[Pool, float] = {}
    cofactors: dict[Cofactor, Quantity] = {}
    for v in value_rows:
        vwhere = f"food_values.csv, line {v['_line']}"
        fv = _value_from_row(v, vwhere)
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
        )
    except (TypeError, ValueError) as exc:
        raise DataError(f"{where}: {exc}") from None


def _load_builtin() -> list[Food]:
    value_rows: dict[str, list[dict[str, str]]] = {}
    food_rows = read_csv("foods.csv", FOOD_COLUMNS)
    known = {row["id"] for row in food_rows}
    for v in read_csv("food_values.csv", VALUE_COLUMNS):
        if v["food_id"] not in known:
            raise DataError(f"food_values.csv, line {v['_line']}: unknown food {v['food_id']!r}")
        value_rows.setdefault(v["food_id"], []).append(v)
    return [_food_from_rows(row, value_rows.get(row["id"], [])) for row in food_rows]


@attrs.frozen
class _Index:
    records: tuple[Food, ...]
    by_id: Mapping[str, Food]
    by_key: Mapping[str, Food]
    by_food: Mapping[str, tuple[Food, ...]]


def _build_index(records: Iterable[Food]) -> _Index:
    ordered = tuple(records)
    by_id: dict[str, Food] = {}
    by_food: dict[str, list[Food]] = {}
    for f in ordered:
        if f.id in by_id:
            raise DataError(f"duplicate food record id {f.id!r}")
        by_id[f.id] = f
        by_food.setdefault(f.food, []).append(f)
    by_key: dict[str, Food] = {}
    owner: dict[str, str] = {}

    def claim(name: str, food: Food) -> None:
        key = fold_name(name)
        if not key:
            return
        previous = by_key.get(key)
        if previous is not None and previous.food != food.food:
            raise DataError(f"the name {name!r} leads to two foods: {owner[key]!r} and {food.id!r}")
        if previous is None or food.preferred:
            by_key[key] = food
            owner[key] = food.id

    for key, group in by_food.items():
        preferred = [f for f in group if f.preferred]
        if len(preferred) != 1:
            ids = [f.id for f in group]
            raise DataError(f"food {key!r} needs exactly one preferred record; records: {ids}")
        claim(key, preferred[0])
        for name in preferred[0].names:
            claim(name, preferred[0])
    for f in ordered:  # record ids and record names lead to the record itself
        by_key[fold_name(f.id)] = f
        owner[fold_name(f.id)] = f.id
        if fold_name(f.name) not in by_key:
            claim(f.name, f)
    # preferred records first within each food
    grouped = {k: tuple(sorted(v, key=lambda f: not f.preferred)) for k, v in by_food.items()}
    return _Index(ordered, by_id, by_key, grouped)


#: Names longer than this are not searched for close matches (no name is this long).
_MAX_NAME_LENGTH: Final = 200


class FoodTable:
    """A table of food records, looked up by id, name or alias in any language.

    Parameters
    ----------
    records : iterable of Food, optional
        The records. Each ``food`` key needs exactly one preferred record, and no name
        may lead to two foods.
    loader : callable, optional
        Instead of ``records``: a function returning them, called on first use (once,
        thread-safe). The built-in :data:`foods` table is made this way.

    Notes
    -----
    Lookups fold case, accents, character width, hyphens and whitespace, so
    ``"  NATTO "``, ``"ｎａｔｔｏ"`` and ``"natto"`` are the same key. Iteration and
    ``len`` cover every record, preferred or not.
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
            index = _build_index(records)
            self._index: Lazy[_Index] = Lazy(lambda: index)
        else:
            assert loader is not None
            self._index = Lazy(lambda: _build_index(loader()))

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
        found = self._index.get().by_key.get(fold_name(key))
        if found is None:
            if len(key) > _MAX_NAME_LENGTH:  # no name is this long: say so, without searching
                raise UnknownFoodError(f"{key[:40]}... ({len(key):,} characters)", ())
            raise UnknownFoodError(key, self.suggest(key))
        return found

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
        return self._index.get().by_key.get(fold_name(key), default)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and fold_name(key) in self._index.get().by_key

    def __iter__(self) -> Iterator[Food]:
        return iter(self._index.get().records)

    def __len__(self) -> int:
        return len(self._index.get().records)

    def __repr__(self) -> str:
        if not self.loaded:
            return "FoodTable(<not loaded>)"
        index = self._index.get()
        return f"FoodTable({len(index.records)} records of {len(index.by_food)} foods)"

    def __str__(self) -> str:
        from k2nutrition.display import food_table_text

        return food_table_text(self)

    def _repr_html_(self) -> str:
        from k2nutrition.display import food_table_html

        return food_table_html(self)

    @property
    def keys(self) -> tuple[str, ...]:
        """The food keys (one per food, however many records it has)."""
        return tuple(self._index.get().by_food)

    def records(self, key: str) -> tuple[Food, ...]:
        """Return every record of the food ``key`` leads to, the preferred one first."""
        return self._index.get().by_food[self[key].food]

    def suggest(self, key: str, n: int = 3) -> list[str]:
        """Return up to ``n`` names close to ``key``, best first."""
        index = self._index.get()
        folded = fold_name(key)
        close = difflib.get_close_matches(folded, index.by_key.keys(), n=n * 3, cutoff=0.6)
        names: list[str] = []
        for k in close:
            display = k if k in index.by_food else index.by_key[k].food
            if display not in names:
                names.append(display)
        return names[:n]

    def search(self, query: str, *, group: str | None = None) -> list[Food]:
        """Return the records whose names, aliases, id or group contain ``query``.

        Exact name matches come first, then names starting with the query, then the rest;
        within each, preferred records first.

        Examples
        --------
        >>> from k2nutrition import foods
        >>> [f.food for f in foods.search("douchi")][:1]
        ['douchi']
        """
        q = fold_name(query)
        ranked: list[tuple[int, bool, str, Food]] = []
        for f in self._index.get().records:
            if group is not None and f.group != group:
                continue
            names = [fold_name(n) for n in (*f.names, f.id, f.food)]
            if any(n == q for n in names):
                rank = 0
            elif any(n.startswith(q) for n in names):
                rank = 1
            elif any(q in n for n in names) or q in f.group:
                rank = 2
            else:
                continue
            ranked.append((rank, not f.preferred, f.id, f))
        return [f for *_rest, f in sorted(ranked, key=lambda r: r[:3])]

    def to_frame(self) -> pd.DataFrame:
        """Return one row per record, with a column per vitamer and pool in µg/100 g.

        See :func:`k2nutrition.display.food_table_frame`. Needs pandas
        (``pip install k2nutrition[pandas]``).
        """
        from k2nutrition.display import food_table_frame

        order = [*(v.label for v in Vitamer), *(p.value for p in Pool)]
        return food_table_frame(self, order)


#: The built-in food table, loaded from the bundled data on first use.
foods: FoodTable = FoodTable(loader=_load_builtin)


def _builtin_table() -> FoodTable:
    return foods
