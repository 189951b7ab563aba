"""Cohorts: vitamin K intake and guideline checks for many people, at numpy speed.

Records are a pandas DataFrame with one row per eaten item (24-hour recalls, food
diaries); persons a DataFrame with one row per person. Foods are looked up once per
distinct name, content is a matrix, and sums run through ``numpy.bincount``: there is no
Python loop per record or per person. A Dask DataFrame is processed partition by
partition (partition the records by person so that each person's days sit together).

Examples
--------
>>> import pandas as pd
>>> from k2nutrition import cohort
>>> records = pd.DataFrame({
...     "person_id": [1, 1, 2],
...     "day": [1, 2, 1],
...     "food": ["natto", "spinach", "MK-7"],
...     "amount": [40, 50, 90],
...     "unit": ["g", "g", "µg"],
... })
>>> cohort.daily_intake(records)[["person_id", "day", "K1", "MK-7"]]
   person_id  day     K1   MK-7
0          1    1    0.0  375.6
1          1    2  249.0    0.0
2          2    1    0.0   90.0
>>> persons = pd.DataFrame({"person_id": [1, 2], "age": [55, 30], "sex": ["female", "male"]})
>>> result = cohort.assess(records, persons, guidelines=["china-osteoporosis-2013"])
>>> result.per_person[["person_id", "intake", "status"]]
   person_id  intake        status
0          1   187.8   above range
1          2    90.0  within range
"""

from __future__ import annotations

import contextlib
import csv
import functools
import math
import re
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import IO, TYPE_CHECKING, Any, Final, Literal, cast, overload

import attrs
import numpy as np
import pandas as pd
import pint

from k2nutrition.checks import Status
from k2nutrition.display import counted
from k2nutrition.errors import (
    AmbiguousVitamerError,
    AmountError,
    K2NutritionError,
    MissingDependencyError,
    UnknownVitamerError,
)
from k2nutrition.food import _COUNT_WORDS, Food, FoodTable, _is_count, _measure_key
from k2nutrition.food import foods as builtin_foods
from k2nutrition.guideline import Guideline, NoTargetError, Target
from k2nutrition.guideline import guidelines as catalogue
from k2nutrition.intake import (
    _IU_WORDS,
    MAX_PORTION,
    VITAMIN_D_IU_PER_UG,
    _cofactor,
    max_dose,
)
from k2nutrition.measures import JAPAN_MK4_EQ, K1_ONLY, MENAQUINONES, TOTAL_K, Measure
from k2nutrition.people import (
    MAX_AGE_YEARS,
    MAX_REPRODUCTIVE_AGE_YEARS,
    MIN_REPRODUCTIVE_AGE_YEARS,
    WEIGHT_BAND_AGES,
    Person,
    _max_weight_kg,
    _min_weight_kg,
)
from k2nutrition.profile import Pool
from k2nutrition.units import (
    Quantity,
    RefusedUnitError,
    conversion_factor,
    format_unit,
    parse_amount,
    split_amount,
    ureg,
)
from k2nutrition.vitamers import _MENAQUINONE_NAME, Vitamer

if TYPE_CHECKING:
    import numpy.typing as npt

__all__ = ["CohortError", "CohortResult", "assess", "daily_intake"]

Component = Vitamer | Pool
#: Every column a daily-intake frame can have, in order.
COMPONENTS: Final[tuple[Component, ...]] = (*Vitamer, *Pool)
#: Measures added to a daily-intake frame.
MEASURE_COLUMNS: Final[tuple[Measure, ...]] = (K1_ONLY, MENAQUINONES, TOTAL_K, JAPAN_MK4_EQ)
Errors = Literal["raise", "report"]

_SHOWN: Final = 5


class CohortError(K2NutritionError, ValueError):
    """Records or persons that cannot be used; the message lists the first rows and the count."""


def _categorical(codes: npt.NDArray[Any], categories: Sequence[Any]) -> pd.Categorical:
    """Build a categorical from integer codes (-1 for missing) and its categories."""
    return pd.Categorical.from_codes(codes, categories=pd.Index(list(categories)))


def _label(c: Component) -> str:
    return c.label if isinstance(c, Vitamer) else c.value


@attrs.frozen
class _Resolved:
    """What each distinct food name resolves to."""

    content: npt.NDArray[np.float64]  # (n_names, n_components) µg per g
    density: npt.NDArray[np.float64]  # (n_names,) g per mL, NaN when unknown
    supplement: npt.NDArray[np.bool_]  # (n_names,) the name is a vitamer (a supplement row)
    reason: list[str]  # "" when resolved
    components: tuple[Component, ...]
    cofactors: npt.NDArray[np.float64]  # (n_names, 2) calcium mg/g, vitamin D µg/g; NaN: unknown
    unknown: dict[str, npt.NDArray[np.bool_]]  # per measure or cofactor: not analysed by source
    limit_g: npt.NDArray[np.float64]  # (n_names,) largest plausible amount of one record
    # (g for a food; in ``dose_unit`` for a supplement)
    limit_why: list[str]  # (n_names,) what the limit is, for the reason of a record above it
    measures: list[dict[str, float]] = attrs.field(factory=list)  # household: grams of one
    dose_unit: list[str] = attrs.field(factory=list)  # a supplement's unit ("" for a food)


#: Bone cofactors, their daily-intake columns and units.
COFACTORS: Final = (("calcium", "calcium", "mg"), ("vitamin D", "vitamin_D", "µg"))
_VITAMIN_D: Final = [c[0] for c in COFACTORS].index("vitamin D")  # its column of cofactors


#: The components of the last few tables, worked out once (a table's records do not change);
#: by identity, holding the table so that its id is not reused.
_COMPONENTS_OF: dict[int, tuple[FoodTable, tuple[Component, ...]]] = {}


def _table_components(table: FoodTable) -> list[Component]:
    known = _COMPONENTS_OF.get(id(table))
    if known is not None and known[0] is table:
        return list(known[1])
    present = table._vitamin_k_components()
    found = tuple(c for c in COMPONENTS if c in present)
    if len(_COMPONENTS_OF) >= 8:
        _COMPONENTS_OF.clear()
    _COMPONENTS_OF[id(table)] = (table, found)
    return list(found)


def _lookup(names: Sequence[object], table: FoodTable) -> tuple[list[_Found], list[str]]:
    """Look each name up: a food, a vitamer or a cofactor (supplements), or the reason not."""
    found: list[_Found] = []
    reasons: list[str] = []
    suggested = 0
    for name in names:
        item: _Found = None
        why = ""
        if not isinstance(name, str):
            why = f"food is not a name: {_shown(name)}"
        elif (record := table.get(name)) is not None:
            item = record
        else:
            try:
                item = Vitamer.parse(name)
            except AmbiguousVitamerError as exc:  # "K2", "menaquinone": which form?
                why = str(exc)
            except UnknownVitamerError as exc:
                try:
                    item = _cofactor(name)  # a calcium or vitamin D supplement
                except UnknownVitamerError:
                    several = table._candidates(name)
                    if _MENAQUINONE_NAME.fullmatch(name.strip()):  # "MK-14"
                        why = str(exc)
                    elif len(several) > 1:  # a word for several foods ("cheese", "牛油")
                        shown = ", ".join(repr(c) for c in several)
                        why = f"{_shown(name)} names several foods, not one: {shown}"
                    else:
                        # suggestions take a few ms a name: for the first names only,
                        # which are the ones an error shows
                        close = table.suggest(name) if suggested < _SUGGESTED else []
                        suggested += 1
                        close = several + [c for c in close if c not in several]
                        hint = ", ".join(repr(c) for c in close)
                        why = f"unknown food {_shown(name)}" + (
                            f" (did you mean {hint}?)" if close else ""
                        )
        found.append(item)
        reasons.append(why)
    return found, reasons


_Found = Food | Vitamer | str | None
#: How many unknown food names get spelling suggestions.
_SUGGESTED: Final = 20


def _examples(values: Any) -> str:
    """Return the first few values as a plain list ([1, 2], not [np.int64(1), ...])."""
    shown = pd.Index(values[:_SHOWN]).tolist()
    return repr([v[:55] + "…" if isinstance(v, str) and len(v) > 60 else v for v in shown])


def _shown(value: object, width: int = 60) -> str:
    """Return ``repr(value)``, cut to about ``width`` characters (a name may be megabytes)."""
    text = repr(value)
    return text if len(text) <= width else f"{text[: width - 5]}…{text[-4:]}"


#: The last few resolutions, by table (identity) and names (with their types): a table's
#: records do not change, and a cohort's food names are the same from call to call.
_RESOLVED: dict[tuple[int, tuple[object, ...]], tuple[FoodTable, _Resolved]] = {}


def _resolve(names: Sequence[object], table: FoodTable) -> _Resolved:
    """Resolve distinct food names (cached: the arrays returned are read-only)."""
    try:
        key: tuple[int, tuple[object, ...]] | None = (
            id(table),
            tuple((type(n), n) for n in names),
        )
        hash(key)
    except TypeError:
        key = None
    if key is not None and (known := _RESOLVED.get(key)) is not None and known[0] is table:
        return known[1]
    resolved = _resolve_names(names, table)
    for value in (*attrs.astuple(resolved, recurse=False), *resolved.unknown.values()):
        if isinstance(value, np.ndarray):
            value.flags.writeable = False
    if key is not None:
        if len(_RESOLVED) >= 16:
            _RESOLVED.clear()
        _RESOLVED[key] = (table, resolved)
    return resolved


def _resolve_names(names: Sequence[object], table: FoodTable) -> _Resolved:
    components = _table_components(table)
    found, reasons = _lookup(names, table)
    supplements = [v for v in dict.fromkeys(found) if isinstance(v, Vitamer)]
    components += supplements
    components = [c for c in COMPONENTS if c in set(components)]
    index = {c: j for j, c in enumerate(components)}
    content = np.zeros((len(names), len(components)))
    density = np.full(len(names), np.nan)
    supplement = np.zeros(len(names), dtype=bool)
    cofactors = np.zeros((len(names), len(COFACTORS)))
    unknown = {key: np.zeros(len(names), dtype=bool) for key in _UNKNOWN_KEYS}
    limit_g = np.full(len(names), math.inf)
    limit_why = [""] * len(names)
    # A supplement row's amount is read in its nutrient's unit, not in grams, so that a
    # dose equal to a target (90 µg) is not 89.99999999999999 µg after a round trip.
    dose_unit = ["µg" if isinstance(item, Vitamer) else _cofactor_unit(item) for item in found]
    for i, item in enumerate(found):
        if isinstance(item, Vitamer | str):  # a supplement: the bound of Supplement's dose
            limit = max_dose(item)
            limit_g[i] = parse_amount(limit, "limit", "mass").to(dose_unit[i]).magnitude
            limit_why[i] = f"more than {limit}, which is not plausible for a dose of {item}"
            if isinstance(item, Vitamer):
                limit_why[i] += " (was it given in the wrong unit, µg rather than mg)"
        elif isinstance(item, Food):  # a portion: the bound of Portion's amount
            limit_g[i] = parse_amount(MAX_PORTION, "limit", "mass").to("g").magnitude
            limit_why[i] = f"more than {MAX_PORTION}, which is not plausible for one portion"
        if isinstance(item, Vitamer):
            supplement[i] = True
            content[i, index[item]] = 1.0  # a supplement row's amount is the vitamer's, in µg
        elif isinstance(item, str):
            supplement[i] = True
            j = [c[0] for c in COFACTORS].index(item)
            cofactors[i, j] = 1.0  # in the cofactor's unit
        elif isinstance(item, Food):
            for v, m in item.content.magnitudes().items():
                content[i, index[v]] = float(m) / 100.0  # µg/100 g -> µg/g
            for p, q in item.content.pools.items():
                content[i, index[p]] = float(q.magnitude) / 100.0
            if item.density is not None:
                density[i] = float(item.density.to("g/mL").magnitude)
            for j, (_nutrient, column, unit) in enumerate(COFACTORS):
                amount = item.cofactor(column)
                cofactors[i, j] = np.nan if amount is None else amount.to(f"{unit}/g").magnitude
                unknown[column][i] = amount is None
            for measure in MEASURE_COLUMNS:  # not analysed, or in a sum it cannot split
                unknown[measure.name][i] = bool(
                    measure.not_analysed(item.content) or measure.unsplit(item.content)
                )
    return _Resolved(
        content,
        density,
        supplement,
        reasons,
        tuple(components),
        cofactors,
        unknown,
        limit_g,
        limit_why,
        [item.measures if isinstance(item, Food) else {} for item in found],
        dose_unit,
    )


def _cofactor_unit(item: object) -> str:
    """Return the unit a bone cofactor's supplement is counted in ("" for anything else)."""
    return next((unit for nutrient, _c, unit in COFACTORS if nutrient == item), "")


#: Keys of the not-analysed flags: one per measure and per cofactor.
_UNKNOWN_KEYS: Final = (*(m.name for m in MEASURE_COLUMNS), *(c[1] for c in COFACTORS))


def _unit_factors(
    food_codes: npt.NDArray[np.intp],
    unit_codes: npt.NDArray[np.intp],
    units: Sequence[pint.Unit | str],
    resolved: _Resolved,
    cells: Sequence[object] = (),
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.intp], list[str]]:
    """Return grams per unit for each row, and a reason index per row (-1: usable).

    ``unit_codes`` index ``units`` (-1 for a missing unit). Conversions are worked out once
    per distinct (food, unit) pair. ``cells`` are the unit cells as written: a household
    measure of the food (``large``, ``slice``, ``cup``) is read first, as ``check`` does.
    """
    width = len(units) + 1
    pair_codes, pair_uniques = pd.factorize(food_codes.astype(np.int64) * width + unit_codes + 1)
    factors = np.empty(len(pair_uniques))
    reason_of_pair = np.full(len(pair_uniques), -1, dtype=np.intp)
    reasons: dict[str, int] = {}
    for k, key in enumerate(pair_uniques):
        f_code, u_code = divmod(int(key), width)
        unit = units[u_code - 1] if u_code > 0 else None
        known = f_code >= 0
        density = float(resolved.density[f_code]) if known else math.nan
        supplement = bool(resolved.supplement[f_code]) if known else False
        cell = cells[u_code - 1] if cells and u_code > 0 else None
        measures = resolved.measures[f_code] if known and resolved.measures else {}
        measure = _measure_key(cell, measures) if isinstance(cell, str) and measures else None
        if measure:
            factors[k] = measures[measure]
            continue
        counted = isinstance(cell, str) and cell.strip().casefold() in _COUNT_WORDS
        if isinstance(cell, str) and (counted or measure == "") and measures:  # "eggs" too
            sizes = {g: m for m, g in measures.items() if _is_count(m)}  # as check reads
            if len(sizes) == 1:
                factors[k] = next(iter(sizes))
                continue
            unit = (
                f"a count ({cell.strip()}) of a food that comes in {len(sizes)} sizes; give "
                f"the size ({', '.join(sizes.values())}) or grams"
                if sizes
                else f"a count ({cell.strip()}) of a food with no measure of one piece"
            )
        dose = resolved.dose_unit[f_code] if known else ""
        vitamin_d = supplement and resolved.cofactors[f_code, _VITAMIN_D] == 1.0
        if vitamin_d and isinstance(cell, str) and cell.strip() in _IU_WORDS:
            factors[k] = 1.0 / VITAMIN_D_IU_PER_UG  # µg per IU, as Supplement reads a dose
            continue
        factors[k], why = _grams_per(unit, density, supplement, cell, dose)
        if measures and why.startswith("unknown unit"):
            why += f", nor a measure of this food (its measures: {', '.join(measures)})"
        if why:
            reason_of_pair[k] = reasons.setdefault(why, len(reasons))
    return factors[pair_codes], reason_of_pair[pair_codes], list(reasons)


#: A unit cell holds one unit name: no digits, spaces, signs or arithmetic.
_UNIT_CELL: Final = re.compile(r"[^\W\d]+|fl oz|fl\. oz\.", re.UNICODE | re.IGNORECASE)


def _unit_of_cell(cell: object) -> pint.Unit | str:
    """Return the unit of a ``unit`` cell, or the reason it cannot be used (a str)."""
    text = cell.strip() if isinstance(cell, str) else None
    if text == "" or cell is None or (isinstance(cell, float) and math.isnan(cell)):
        return "missing unit"
    if text is None or not _UNIT_CELL.fullmatch(text):  # a number is not a unit either
        return (
            f"unit {_shown(cell)} is not one unit: a unit cell holds a unit only, such as 'g' "
            "or 'mL', and the number goes in the amount column"
        )
    try:
        q = parse_amount(f"1 {text}", "unit", "mass or volume")
    except RefusedUnitError as exc:  # 'Mg', '斤': refused with the reason
        return f"unit {_shown(cell)}: " + str(exc).partition(f"in {'1 ' + text!r}, ")[2]
    except K2NutritionError:
        return f"unknown unit {_shown(cell)}"
    if q.magnitude != 1:  # pragma: no cover - the grammar above leaves no room for a factor
        return f"unit {cell!r} is not one unit"
    return cast("pint.Unit", q.units)


def _grams_per(
    unit: pint.Unit | str | None,
    density: float,
    supplement: bool,
    cell: object = None,
    dose_unit: str = "",
) -> tuple[float, str]:
    """Return the factor to grams (to ``dose_unit`` for a supplement), or why there is none."""
    if unit is None:
        return math.nan, "missing unit"
    if isinstance(unit, str):
        return math.nan, unit
    dims = unit.dimensionality
    if dims == ureg.get_dimensionality("[mass]"):
        return conversion_factor(unit, dose_unit or "g"), ""
    # the unit as written ('cup'), not pint's symbol for it ('cp')
    shown = cell.strip() if isinstance(cell, str) else format_unit(unit)
    if supplement:
        return math.nan, f"a supplement dose needs a mass unit, not {shown}"
    if math.isnan(density):
        return math.nan, f"a volume ({shown}) for a food with no known density"
    return conversion_factor(unit, "mL") * density, ""


def _pint_units(column: pd.Series[Any], name: str) -> pint.Unit | None:
    """Return the unit of a pint-pandas column (from any registry), or None for other dtypes."""
    dtype = column.dtype
    if not type(dtype).__module__.startswith("pint_pandas"):
        return None
    text = str(getattr(dtype, "units", ""))
    try:
        units = ureg.Unit(text)
    except (pint.errors.UndefinedUnitError, ValueError, AttributeError):
        raise CohortError(
            f"records column {name!r} is in {text!r}, a unit this library does not know"
        ) from None
    mass = units.dimensionality == ureg.get_dimensionality("[mass]")
    volume = units.dimensionality == ureg.get_dimensionality("[length] ** 3")
    if not (mass or volume):
        raise CohortError(
            f"records column {name!r} is in {text!r}, which is neither a mass nor a volume; "
            "give amounts eaten as a mass (g) or a volume (mL, for foods with a known density)"
        )
    return cast("pint.Unit", units)


def _magnitudes(column: pd.Series[Any], name: str) -> npt.NDArray[np.float64]:
    """Return the numbers of an amount column; a True or False cell is not a number (NaN)."""
    if type(column.dtype).__module__.startswith("pint_pandas"):
        magnitude = column.pint.magnitude
        values = magnitude.to_numpy(float, na_value=np.nan)
        return cast("npt.NDArray[np.float64]", np.asarray(values))
    if column.dtype == np.float64:  # numbers already: read them in place, never written to
        values = column.to_numpy().view()
        values.flags.writeable = False
        return values
    if pd.api.types.is_bool_dtype(column.dtype):
        raise CohortError(
            f"column {name!r} holds True/False values, not numbers: give numbers"
            + (", such as grams in amount_g" if "amount" in name else "")
        )
    if getattr(column.dtype, "kind", "") in ("m", "M", "c"):  # times, dates, complex numbers
        raise CohortError(
            f"column {name!r} holds {column.dtype} values, not amounts: give real numbers"
        )
    numbers = pd.to_numeric(column, errors="coerce").to_numpy(float, na_value=np.nan)
    if column.dtype == object and pd.api.types.infer_dtype(column, skipna=True) != "string":
        is_bool = np.fromiter(
            (isinstance(v, bool | np.bool_) for v in column.to_numpy()), bool, len(column)
        )
        numbers = np.where(is_bool, np.nan, numbers)  # pandas would read True as 1
    ambiguous = _two_way_numbers(column)
    if ambiguous is not None:
        numbers = np.where(ambiguous, np.nan, numbers)
    return numbers


#: A number written as text that reads two ways: "1.200" is 1.2, or 1200 where the point
#: separates thousands (the rule of the amount grammar, :func:`~k2nutrition.units.parse_amount`).
_TWO_WAY_NUMBER: Final = r"\s*[-+]?[1-9][0-9]{0,2}\.[0-9]{3}\s*"


def _is_text(column: pd.Series[Any]) -> bool:
    """Tell whether a column is of a text dtype (object, str, or strings of pyarrow)."""
    dtype = column.dtype
    if isinstance(dtype, pd.ArrowDtype):  # pyarrow is there, then
        import pyarrow as pa

        return bool(pa.types.is_string(dtype.pyarrow_dtype)) or bool(
            pa.types.is_large_string(dtype.pyarrow_dtype)
        )
    return pd.api.types.is_object_dtype(dtype) or isinstance(dtype, pd.StringDtype)


def _as_text(column: pd.Series[Any]) -> pd.Series[Any]:
    """Return a categorical column of text, or one of pyarrow strings, as an object column.

    Their cells are then read as the cells of any text column (``"40 g"``, ``"1.200"``).
    """
    dtype = column.dtype
    if (isinstance(dtype, pd.CategoricalDtype) and _is_text(pd.Series(dtype.categories))) or (
        isinstance(dtype, pd.ArrowDtype) and _is_text(column)
    ):
        return column.astype(object).where(column.notna(), None)
    return column


def _two_way_numbers(column: pd.Series[Any]) -> npt.NDArray[np.bool_] | None:
    """Mark the text cells of a column that read two ways (None for a column of numbers)."""
    if not _is_text(column):
        return None
    text = column.map(lambda v: v if isinstance(v, str) else "")
    return text.str.fullmatch(_TWO_WAY_NUMBER).to_numpy(dtype=bool, na_value=False)


def _amounts(
    records: pd.DataFrame,
    cols: dict[str, str],
    food_codes: npt.NDArray[np.intp],
    resolved: _Resolved,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.intp] | None, list[str]]:
    """Return grams per row, and (for unit conversions) a reason index per row and reasons.

    ``amount_g`` is grams, unless its dtype carries a pint unit; ``amount`` needs a ``unit``
    column or a pint dtype, never both.
    """
    for key in ("amount_g", "amount"):
        name = cols[key]
        if name not in records.columns:
            continue
        column = _as_text(records[name])
        units = _pint_units(column, name)
        if units is not None:
            if key == "amount" and cols["unit"] in records.columns:
                raise CohortError(
                    f"records column {name!r} carries the unit {format_unit(units)} and there is a "
                    f"column {cols['unit']!r} too: the amounts could be read two ways. "
                    f"Drop one of them"
                )
            unit_codes = np.zeros(len(records), dtype=np.intp)
            factor, reason, reasons = _unit_factors(food_codes, unit_codes, [units], resolved)
            reasons = [f"column {name!r} in {format_unit(units)}: {why}" for why in reasons]
            return _magnitudes(column, name) * factor, reason, reasons
        if key == "amount_g":
            return _magnitudes(column, name), None, []
        if cols["unit"] not in records.columns:
            if _is_text(column):  # "40 g", "1 cup", "2 large": a number and its unit
                return _amounts_with_units(column, name, food_codes, resolved)
            raise CohortError(
                f"records column {name!r} holds bare numbers and there is no column "
                f"{cols['unit']!r}: give the unit in a column {cols['unit']!r} (such as 'g' or "
                f"'mL'), or as the column's dtype with pint-pandas "
                f"(records[{name!r}].astype('pint[g]')), or write each amount with its "
                "unit ('40 g')"
            )
        codes, cells = pd.factorize(records[cols["unit"]], use_na_sentinel=True)
        units_read = [_unit_of_cell(c) for c in cells]
        factor, reason, reasons = _unit_factors(
            food_codes, codes, units_read, resolved, list(cells)
        )
        return _magnitudes(column, name) * factor, reason, reasons
    raise CohortError(
        f"records needs a column {cols['amount_g']!r} (grams), or {cols['amount']!r} "
        f"with {cols['unit']!r}"
    )


def _text_not_number(column: pd.Series[Any]) -> npt.NDArray[np.bool_]:
    """Mark the text cells of a column that are not plain numbers ("40 g", "forty")."""
    is_text = column.map(lambda v: isinstance(v, str)).to_numpy(bool)
    number = pd.to_numeric(column.where(is_text), errors="coerce").to_numpy(float)
    return cast("npt.NDArray[np.bool_]", is_text & np.isnan(number))


_GIVE_UNIT: Final = "write it with its unit ('40 g'), or give the units in a column of their own"


def _amounts_with_units(
    column: pd.Series[Any],
    name: str,
    food_codes: npt.NDArray[np.intp],
    resolved: _Resolved,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.intp], list[str]]:
    """Read amounts written with their unit ("40 g", "1 cup", "2 large"), as ``check`` does.

    Each distinct cell is split once by the amount grammar
    (:func:`~k2nutrition.units.split_amount`: "1,5 g" and "1.200 g" are refused, with the
    reason); the unit is then read as a ``unit`` cell is, household measures of the food
    first. A cell that is a bare number, or that the grammar refuses, rejects its row.
    """
    codes, cells = pd.factorize(column, use_na_sentinel=True)
    magnitudes = np.full(len(cells) + 1, math.nan)  # the last: a missing cell (-1)
    word_of_cell = np.full(len(cells) + 1, -1, dtype=np.intp)  # -1: a missing cell
    words: dict[str, int] = {}  # unit words, then the reasons of refused cells
    for i, cell in enumerate(cells):
        try:
            if not isinstance(cell, str):
                raise AmountError(f"amount {_shown(cell)} has no unit; {_GIVE_UNIT}")
            magnitude, word = split_amount(cell, f"column {name!r}")
            if not word:
                raise AmountError(f"amount {_shown(cell)} has no unit; {_GIVE_UNIT}")
            magnitudes[i] = magnitude
        except AmountError as exc:
            word = "\0" + str(exc)  # a reason, never a unit word
        word_of_cell[i] = words.setdefault(word, len(words))
    word_of_cell[-1] = words.setdefault("\0amount is missing", len(words))  # a missing cell
    # each distinct unit word is read once, and converted once per food
    units = [w[1:] if w.startswith("\0") else _unit_of_cell(w) for w in words]
    cells_as_written: list[object] = [None if w.startswith("\0") else w for w in words]
    factor, reason, reasons = _unit_factors(
        food_codes, word_of_cell[codes], units, resolved, cells_as_written
    )
    return magnitudes[codes] * factor, reason, reasons


def _fail_or_collect(
    bad: npt.NDArray[np.bool_],
    reason_index: npt.NDArray[np.integer[Any]],
    reasons: list[str],
    index: pd.Index[Any],
    what: str,
    errors: Errors,
) -> pd.DataFrame:
    rows = np.flatnonzero(bad)
    unique = list(dict.fromkeys(reasons))
    if len(unique) < len(reasons):  # the same words from two checks: one category
        remap = np.array([unique.index(r) for r in reasons], dtype=reason_index.dtype)
        reason_index = np.where(reason_index >= 0, remap[reason_index], -1)
        reasons = unique
    frame = pd.DataFrame(
        {
            "row": index[rows],
            "reason": _categorical(reason_index[rows], reasons) if reasons else pd.Categorical([]),
        }
    )
    if len(rows) and errors == "raise":
        shown = "; ".join(
            f"row {r}: {why}" for r, why in frame.head(_SHOWN).itertuples(index=False)
        )
        more = f" (and {len(rows) - _SHOWN} more)" if len(rows) > _SHOWN else ""
        raise CohortError(
            f"{len(rows)} {what.removesuffix('s') if len(rows) == 1 else what} cannot be "
            f"used: {shown}{more}. "
            "Fix them, or pass errors='report' to leave them out and list them"
        )
    return frame


def _columns(records: pd.DataFrame, mapping: Mapping[str, str]) -> dict[str, str]:
    cols = {
        "person_id": "person_id",
        "day": "day",
        "food": "food",
        "amount_g": "amount_g",
        "amount": "amount",
        "unit": "unit",
    }
    cols.update(mapping)
    return cols


def _check_errors(errors: object) -> None:
    if errors not in ("raise", "report"):
        raise CohortError(f"errors must be 'raise' or 'report'; got {errors!r}")


def _check_frames(records: object, persons: object = None) -> None:
    """Refuse records that are not a pandas or Dask DataFrame, and persons not a pandas one."""
    if not (isinstance(records, pd.DataFrame) or _is_dask(records)):
        raise CohortError(
            f"records must be a pandas or Dask DataFrame; got {type(records).__name__}"
        )
    if persons is not None and not isinstance(persons, pd.DataFrame):
        hint = " (compute a Dask one first: persons are one row each)" if _is_dask(persons) else ""
        raise CohortError(f"persons must be a pandas DataFrame; got {type(persons).__name__}{hint}")


def _is_dask(frame: object) -> bool:
    return type(frame).__module__.startswith("dask")


def _one_type(column: pd.Series[Any], where: str) -> None:
    """Refuse a key column whose values mix Python types (``1`` and ``"1"`` are two keys).

    Integers mixed with floats are one type here: ``1`` and ``1.0`` are the same key.
    """
    values: Any = column
    if isinstance(column.dtype, pd.CategoricalDtype):
        values = column.cat.categories
    elif column.dtype != object:
        return
    kind = pd.api.types.infer_dtype(values, skipna=True)
    if kind not in ("mixed", "mixed-integer", "date"):
        return
    found = sorted({type(v).__name__ for v in pd.Series(values, dtype=object).dropna()})
    if len(found) > 1:  # "date" may be dates and datetimes: two keys for one day
        raise CohortError(
            f"{where} mixes value types ({', '.join(found)}): the same key written two ways "
            "(such as 1 and '1', or a date and its text) would be read as two. "
            "Give the column one type"
        )


def _unique_columns(frame: pd.DataFrame, names: Iterable[str], what: str) -> None:
    """Refuse a frame that has one of ``names`` as two or more columns."""
    if frame.columns.is_unique:  # the usual case, known to pandas without counting
        return
    counts = frame.columns.value_counts()
    twice = [n for n in dict.fromkeys(names) if counts.get(n, 0) > 1]
    if twice:
        raise CohortError(
            f"{what} has {counted(len(twice), 'column')} more than once: "
            f"{', '.join(map(repr, twice))}; which one to read is unclear. Drop or rename one"
        )


def _check_keys_and_amounts(records: pd.DataFrame, cols: Mapping[str, str]) -> None:
    """Refuse records that can be read two ways: mixed key types, or two amount columns."""
    _unique_columns(records, cols.values(), "records")
    for key in ("person_id", "day"):
        _one_type(records[cols[key]], f"records column {cols[key]!r} ({key})")
    if cols["amount_g"] in records.columns and cols["amount"] in records.columns:
        raise CohortError(
            f"records has both a column {cols['amount_g']!r} (grams) and a column "
            f"{cols['amount']!r}: the amounts could be read two ways. Drop one of them"
        )
    if cols["amount_g"] in records.columns and cols["unit"] in records.columns:
        raise CohortError(
            f"records has a column {cols['amount_g']!r} (grams) and a column {cols['unit']!r}: "
            "the amounts could be read two ways. Give grams in "
            f"{cols['amount_g']!r} alone, or the amounts in {cols['amount']!r} with their "
            f"{cols['unit']!r}"
        )


@overload
def daily_intake(
    records: pd.DataFrame,
    foods: FoodTable | None = None,
    *,
    columns: Mapping[str, str] | None = None,
    include: Iterable[str] | str | None = None,
    errors: Errors = "raise",
) -> pd.DataFrame: ...
@overload
def daily_intake(
    records: Any,
    foods: FoodTable | None = None,
    *,
    columns: Mapping[str, str] | None = None,
    include: Iterable[str] | str | None = None,
    errors: Errors = "raise",
) -> Any: ...


def daily_intake(
    records: Any,
    foods: FoodTable | None = None,
    *,
    columns: Mapping[str, str] | None = None,
    include: Iterable[str] | str | None = None,
    errors: Errors = "raise",
) -> Any:
    """Return vitamin K intake per person and day, a column per vitamer and measure.

    Parameters
    ----------
    records : pandas.DataFrame or dask.dataframe.DataFrame
        One row per eaten item, with columns ``person_id``, ``day``, ``food`` (a food id,
        name or alias, or a vitamer such as ``"MK-7"`` for a supplement) and either
        ``amount_g`` or ``amount`` with ``unit`` (a mass, or a volume for foods with a known
        density; supplements in a mass unit such as µg), or ``amount`` alone with the unit
        in each cell (``"40 g"``, ``"1 cup"``, ``"2 large"``, read as ``check`` reads them).
        Records that could be read two ways are refused with :class:`CohortError`:
        ``amount_g`` and ``amount`` both present, or a ``person_id`` or ``day`` column whose
        values mix types (``1`` and ``"1"``, a date and its text; ``1`` and ``1.0`` are one
        key). A Dask DataFrame is checked per partition.
    foods : FoodTable, optional
        The table to look foods up in; the built-in one by default.
    columns : mapping, optional
        Other column names, e.g. ``{"person_id": "subject", "amount_g": "grams"}``.
    include : str or iterable of str, optional
        The intake columns to compute, in this order: vitamers (``"K1"``, ``"MK-7"``, ...),
        pools (``"total_MK"``, ...), measures (``"TOTAL_K"``, ``"JAPAN_MK4_EQ"``, ...),
        ``"calcium"``, ``"vitamin_D"``, ``"food_g"`` (grams of food, not supplements) or
        ``"not_analysed_g_"`` followed by a measure or cofactor (grams of food whose source
        did not analyse what it counts). Every column by default; fewer take less time and
        memory on a large cohort. An unknown name raises :class:`CohortError`.
    errors : {"raise", "report"}, default "raise"
        With ``"raise"``, any unusable row (unknown food, bad amount or unit) raises
        :class:`CohortError` listing the first rows and the count. With ``"report"``, they
        are left out and listed in ``frame.attrs["rejected"]``.

    Returns
    -------
    pandas.DataFrame
        One row per person and day: ``person_id``, ``day``, then (by default) calcium in
        mg/day, vitamin D in µg/day, ``food_g`` and the not-analysed grams, a column per
        vitamer and pool in µg/day, and the measures ``K1_ONLY``, ``MENAQUINONES``,
        ``TOTAL_K``, ``JAPAN_MK4_EQ``; or the ``include`` columns. A Dask DataFrame in
        gives a Dask DataFrame out (with a column for every vitamer, so that every
        partition has the same columns).

    Examples
    --------
    >>> import pandas as pd
    >>> from k2nutrition.cohort import daily_intake
    >>> records = pd.DataFrame(
    ...     {"person_id": [1, 1], "day": [1, 1], "food": ["natto", "MK-7"],
    ...      "amount": [40, 90], "unit": ["g", "µg"]}
    ... )
    >>> daily_intake(records, include=["MK-7", "food_g"])
       person_id  day   MK-7  food_g
    0          1    1  465.6    40.0
    """
    _check_errors(errors)
    _check_frames(records)
    table = foods if foods is not None else builtin_foods
    wanted = None if include is None else _included(include)
    if _is_dask(records):
        return _dask_daily(records, table, columns or {}, errors, wanted)
    cols = _columns(records, columns or {})
    return _daily(records, table, cols, errors, wanted)


def _included(include: Iterable[str] | str) -> list[str]:
    """Check the names of the columns asked for; return them once each, in order."""
    names = [include] if isinstance(include, str) else list(include)
    valid = [
        *_COFACTOR_COLUMNS,
        "food_g",
        *(f"not_analysed_g_{key}" for key in _UNKNOWN_KEYS),
        *(_label(c) for c in COMPONENTS),
        *_MEASURES,
    ]
    for name in names:
        if name not in valid:
            raise CohortError(f"include: unknown column {name!r}; choose from {', '.join(valid)}")
    if not names:
        raise CohortError("include is empty; give at least one column, or None for all")
    return list(dict.fromkeys(names))


@attrs.frozen
class _Records:
    """Usable records, checked: food rows, grams, person and day keys, and what was left out."""

    food_codes: npt.NDArray[np.intp]  # rows of ``resolved``
    grams: npt.NDArray[np.float64]
    persons: npt.NDArray[Any]
    days: npt.NDArray[Any]
    resolved: _Resolved
    rejected: pd.DataFrame


def _prepare(
    records: pd.DataFrame, table: FoodTable, cols: dict[str, str], errors: Errors
) -> _Records:
    """Check the records and return the usable ones (or raise, with ``errors="raise"``)."""
    for key in ("person_id", "day", "food"):
        if cols[key] not in records.columns:
            raise CohortError(f"records needs a column {cols[key]!r} ({key})")
    _check_keys_and_amounts(records, cols)
    food = records[cols["food"]]
    if isinstance(food.dtype, pd.CategoricalDtype):  # codes are there already: no hashing
        small_codes = food.cat.codes.to_numpy()  # int8 or int16: fastest to compare
        food_codes = small_codes.astype(np.intp)  # take is fastest with intp
        names: Any = food.cat.categories
    else:
        food_codes, names = pd.factorize(food, use_na_sentinel=True)
        small_codes = food_codes
    resolved = _resolve(list(names), table)
    grams, unit_reason, unit_reasons = _amounts(records, cols, food_codes, resolved)
    if unit_reason is None and resolved.supplement.any():  # plain grams, doses among them
        resolved = _per_gram(resolved)
    # the bounds of Portion and Supplement, per record: above them a unit slip is likelier
    unknown_name = np.array([bool(why) for why in resolved.reason], dtype=bool)
    # an unknown name, or none (-1): every amount is "over"
    limit = np.append(np.where(unknown_name, -np.inf, resolved.limit_g), -np.inf)
    bad, largest_grams = _out_of_bounds(grams, food_codes, small_codes, limit)
    id_columns = [records[cols[key]] for key in ("person_id", "day")]
    for column in id_columns:
        if not _never_missing(column):
            bad |= column.isna().to_numpy()
    if unit_reason is not None:
        bad |= unit_reason >= 0
    richest = float(resolved.content.max(initial=0.0))
    any_bad = bool(bad.any())
    with np.errstate(over="ignore", invalid="ignore"):
        if any_bad:
            largest_grams = float(np.max(np.where(bad, 0.0, grams), initial=0.0))
        largest = largest_grams * richest
    if not math.isfinite(largest):  # only then look row by row
        rich = np.append(resolved.content.max(axis=1, initial=0.0), 0.0)
        with np.errstate(over="ignore", invalid="ignore"):
            bad |= ~np.isfinite(rich[food_codes] * grams)
        any_bad = any_bad or bool(bad.any())
    rejected = _no_rejections()
    if any_bad:  # say why, row by row, only when some row is bad
        reason_index, reasons = _reasons(
            records, cols, food_codes, grams, resolved, unit_reason, unit_reasons
        )
        rejected = _fail_or_collect(bad, reason_index, reasons, records.index, "records", errors)
        good = ~bad
        return _Records(
            food_codes[good],
            grams[good],
            id_columns[0].to_numpy()[good]
            if _never_missing(id_columns[0])
            else id_columns[0][good].to_numpy(),
            id_columns[1].to_numpy()[good]
            if _never_missing(id_columns[1])
            else id_columns[1][good].to_numpy(),
            resolved,
            rejected,
        )
    persons, days = (c.to_numpy() for c in id_columns)
    return _Records(food_codes, grams, persons, days, resolved, rejected)


def _out_of_bounds(
    grams: npt.NDArray[np.float64],
    codes: npt.NDArray[np.intp],
    small_codes: npt.NDArray[np.integer[Any]],
    limit: npt.NDArray[np.float64],
) -> tuple[npt.NDArray[np.bool_], float]:
    """Return where an amount is missing, negative or above its food's bound, and the largest.

    ``limit[code]`` is the bound of each food (its last entry for a missing food, code -1);
    ``small_codes`` are ``codes`` in their narrowest type. When no amount is negative or
    missing, only the records of the few foods whose bound the largest amount passes can be
    out of bounds: those are compared, not every record.
    """
    high = float(grams.max()) if len(grams) else 0.0
    with np.errstate(invalid="ignore"):
        low_ok = bool(grams.min() >= 0) if len(grams) else True
        passed = np.flatnonzero(limit < high)  # nothing passes a bound of NaN or +inf
        if not low_ok or len(passed) > _FEW_FOODS + 1:  # every record
            bad = ~(grams >= 0)  # missing, not a number or negative
            bad |= grams > limit.take(codes)  # above the bound, infinite, or no food (-1)
            return bad, high
        bad = np.zeros(len(grams), dtype=bool)
        missing_food = len(limit) - 1
        if len(grams) and small_codes.min() < 0:  # the food is missing: no bound
            bad |= small_codes < 0
        for code in passed[passed != missing_food]:
            of_food = small_codes == small_codes.dtype.type(code)  # no upcast
            of_food &= grams > limit[code]
            bad |= of_food
    return bad, high


#: The most foods whose records :func:`_out_of_bounds` compares one food at a time.
_FEW_FOODS: Final = 4


def _per_gram(resolved: _Resolved) -> _Resolved:
    """Return ``resolved`` with supplements' contents and bounds per gram of the dose.

    Supplement rows are counted in their dose unit (µg, or mg of calcium); an ``amount_g``
    column gives them in grams. Scaling the few rows of the table, not every record, keeps
    an amount given in µg exact (90 µg is 90, not 89.99999999999999).
    """
    scale = np.array([conversion_factor("g", u) if u else 1.0 for u in resolved.dose_unit])
    return attrs.evolve(
        resolved,
        content=resolved.content * scale[:, None],
        cofactors=resolved.cofactors * scale[:, None],
        limit_g=resolved.limit_g / scale,
    )


def _never_missing(column: pd.Series[Any]) -> bool:
    """Tell whether a column cannot hold a missing value (numpy integers and booleans).

    pandas' nullable ``Int64`` and ``boolean`` and pyarrow integers have the kind ``i`` or
    ``b`` too, but can hold NA.
    """
    return isinstance(column.dtype, np.dtype) and column.dtype.kind in "iub"


def _reasons(
    records: pd.DataFrame,
    cols: dict[str, str],
    food_codes: npt.NDArray[np.intp],
    grams: npt.NDArray[np.float64],
    resolved: _Resolved,
    unit_reason: npt.NDArray[np.intp] | None,
    unit_reasons: list[str],
) -> tuple[npt.NDArray[np.int32], list[str]]:
    """Return why each record cannot be used (an index into the reasons; -1: usable)."""
    names = len(resolved.reason)
    reasons: list[str] = ["missing food"]
    name_reason = np.zeros(names + 1, dtype=np.int32)  # the last: a missing food (-1)
    for i, why in enumerate(resolved.reason):
        name_reason[i] = -1
        if why:
            name_reason[i] = len(reasons)
            reasons.append(why)
    reason_index = name_reason[food_codes]
    if unit_reason is not None:
        offset = len(reasons)
        reasons += unit_reasons
        unit_bad = (unit_reason >= 0) & (reason_index < 0)
        reason_index[unit_bad] = unit_reason[unit_bad] + offset
    amount_name = next(cols[k] for k in ("amount_g", "amount") if cols[k] in records.columns)
    amount_column = _as_text(records[amount_name])
    two_way = _two_way_numbers(amount_column)
    if two_way is not None:
        reason_index[two_way & (reason_index < 0)] = len(reasons)
    reasons.append(
        f"amount in column {amount_name!r} can be read two ways (the point may be a decimal "
        "point or a thousands separator: 1.200 is 1.2 or 1200); write 1.2 or 1200"
    )
    if cols["unit"] in records.columns and _is_text(amount_column):
        text_bad = _text_not_number(amount_column)
        reason_index[text_bad & (reason_index < 0)] = len(reasons)
    reasons.append(
        f"amount in column {amount_name!r} is text that is not a number: with a column "
        f"{cols['unit']!r}, the amount is a number only ('40', unit 'g')"
    )
    with np.errstate(invalid="ignore"):
        amount_bad = ~(grams >= 0) | np.isinf(grams)
    reason_index[amount_bad & (reason_index < 0)] = len(reasons)
    reasons.append("amount is missing, not a number, infinite or negative")
    limit_codes, limit_whys = pd.factorize(pd.Series(resolved.limit_why, dtype=object))
    with np.errstate(invalid="ignore"):
        over = (grams > np.append(resolved.limit_g, np.inf)[food_codes]) & (reason_index < 0)
    reason_index[over] = limit_codes[food_codes[over]] + len(reasons)
    reasons += [f"amount in column {amount_name!r} is {why}" for why in limit_whys]
    richest = np.append(resolved.content.max(axis=1, initial=0.0), 0.0)  # -1: no food
    with np.errstate(over="ignore", invalid="ignore"):
        huge = ~np.isfinite(richest[food_codes] * grams) & (reason_index < 0)
    reason_index[huge] = len(reasons)
    reasons.append("amount is so large that the intake is not a finite number")
    missing_id = [
        records[cols[key]].isna().to_numpy()
        for key in ("person_id", "day")
        if not _never_missing(records[cols[key]])
    ]
    if missing_id:
        id_bad = np.logical_or.reduce(missing_id) & (reason_index < 0)
        reason_index[id_bad] = len(reasons)
    reasons.append("missing person_id or day")
    return reason_index, reasons


_COMPONENT_LABELS: Final = frozenset(_label(c) for c in COMPONENTS)
#: Columns of a daily-intake frame besides the vitamers and pools, in order.
_COFACTOR_COLUMNS: Final = tuple(c[1] for c in COFACTORS)


def _all_columns(components: Iterable[Component]) -> list[str]:
    """List the columns :func:`daily_intake` gives by default, in order (after the keys)."""
    return [
        *_COFACTOR_COLUMNS,
        "food_g",
        *(f"not_analysed_g_{key}" for key in _UNKNOWN_KEYS),
        *(_label(c) for c in components),
        *(m.name for m in MEASURE_COLUMNS),
    ]


def _wanted(chosen: Sequence[Guideline]) -> list[str]:
    """List the daily columns that assessing ``chosen`` needs, and no others."""
    wanted = ["food_g"]
    for g in chosen:
        if g.measure is None:
            key = "calcium" if g.nutrient == "calcium" else "vitamin_D"
            wanted += [key]
        else:
            key = g.measure.name
            wanted += [key, f"unattributed_{key}"]
        wanted.append(f"not_analysed_g_{key}")
    return list(dict.fromkeys(wanted))


def _per_name(resolved: _Resolved, column: str) -> npt.NDArray[np.float64]:
    """Return what one gram of each food (or supplement) adds to ``column`` of a daily frame."""
    labels = [_label(c) for c in resolved.components]
    if column in labels:
        return resolved.content[:, labels.index(column)]
    if column in _COMPONENT_LABELS:  # a vitamer or pool that no food here holds
        return np.zeros(len(resolved.reason))
    if column in _COFACTOR_COLUMNS:
        return np.nan_to_num(resolved.cofactors[:, _COFACTOR_COLUMNS.index(column)])
    if column == "food_g":
        return np.where(resolved.supplement, 0.0, 1.0)
    if column.startswith("not_analysed_g_"):
        flags = resolved.unknown[column.removeprefix("not_analysed_g_")]
        return np.where(flags & ~resolved.supplement, 1.0, 0.0)
    unattributed = column.startswith("unattributed_")
    measure = _MEASURES[column.removeprefix("unattributed_")]
    weights = np.array(
        [
            (not unattributed and measure.weights.get(c, 0.0))
            if isinstance(c, Vitamer)
            else float((c in measure.pools) != unattributed)
            for c in resolved.components
        ],
        dtype=float,
    )
    return cast("npt.NDArray[np.float64]", resolved.content @ weights)


def _sum_columns(
    recs: _Records, columns: Sequence[str], reduce: Callable[..., Any], n_groups: int
) -> npt.NDArray[np.float64]:
    """Sum each column's per-record intake into groups: an array (len(columns), n_groups)."""
    out = np.zeros((len(columns), n_groups))
    weights = np.empty(len(recs.grams))  # one buffer for every column: no page faults
    for j, column in enumerate(columns):
        per_name = _per_name(recs.resolved, column)
        if per_name.size and (per_name == 1.0).all():  # each record adds its grams (food_g)
            reduce(recs.grams, out[j])
        elif per_name.any():
            np.take(per_name, recs.food_codes, out=weights, mode="clip")  # codes are valid
            weights *= recs.grams
            reduce(weights, out[j])
    with np.errstate(invalid="ignore"):
        if not np.isfinite(out.sum(axis=1)).all():
            raise CohortError(
                "a day's intake is not a finite number: amounts so large that their sum overflows"
            )
    return out


def _daily(
    records: pd.DataFrame,
    table: FoodTable,
    cols: dict[str, str],
    errors: Errors,
    wanted: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Return the daily-intake frame of ``records``: every column, or the ``wanted`` ones."""
    recs = _prepare(records, table, cols, errors)
    reduce, person_out, day_out = _groups(recs.persons, recs.days)
    columns = _all_columns(recs.resolved.components) if wanted is None else list(wanted)
    sums = _sum_columns(recs, columns, reduce, len(person_out))
    frame = pd.DataFrame(  # the sums' rows are taken as they are, not copied
        {"person_id": person_out, "day": day_out, **dict(zip(columns, sums, strict=True))},
        copy=False,
    )
    frame.attrs["rejected"] = recs.rejected
    return frame


_Reduce = Callable[["npt.NDArray[np.float64]", "npt.NDArray[np.float64]"], object]


def _groups(persons: npt.NDArray[Any], days: npt.NDArray[Any]) -> tuple[_Reduce, Any, Any]:
    """Group records by person and day: a summing function, and each group's person and day.

    The summing function adds per-record weights into a given output array. Records sorted
    by person and day (numeric ids) are grouped by their runs and summed with
    ``np.add.reduceat``; any other order goes through hash factorization and
    ``np.bincount``. Groups come in the order of their first record either way.
    """
    runs = _sorted_runs(persons, days)
    if runs is not None:
        day_starts, _, _, run_days = runs
        return _reduceat(day_starts), persons[day_starts], run_days
    p_codes, p_uniques = pd.factorize(persons)
    d_codes, d_uniques = pd.factorize(days)
    width = max(len(d_uniques), 1)
    group_key = p_codes.astype(np.int64, copy=False) * width
    group_key += d_codes
    g_codes, g_keys = pd.factorize(group_key)
    return _bincount(g_codes), p_uniques.take(g_keys // width), d_uniques.take(g_keys % width)


def _sorted_runs(
    persons: npt.NDArray[Any], days: npt.NDArray[Any]
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp], npt.NDArray[Any], npt.NDArray[Any]] | None:
    """Return each day's first record, which days begin a person, the persons and the days.

    None unless the records are sorted by person and by day within a person (numeric ids).
    The first records of the persons are ``day_starts[person_days]``, their ids the third
    array; the fourth is the day of each day start. Records are sorted exactly when their
    runs of one person and day are: so the order is checked on the runs, which are fewer
    than the records.
    """
    n = len(persons)
    if not (n and persons.dtype.kind in "iuf" and days.dtype.kind in "iuf"):
        return None
    new_person = persons[1:] != persons[:-1]
    new_day = np.empty(n, dtype=bool)
    new_day[0] = True
    np.not_equal(days[1:], days[:-1], out=new_day[1:])
    new_day[1:] |= new_person
    day_starts = np.flatnonzero(new_day)
    begins = np.empty(len(day_starts), dtype=bool)  # the day begins a person
    begins[0] = True
    np.take(new_person, day_starts[1:] - 1, out=begins[1:])
    run_days = days.take(day_starts)
    person_days = np.flatnonzero(begins)
    run_persons = persons.take(day_starts.take(person_days))
    with np.errstate(invalid="ignore"):  # NaN keys are never in order
        if not (run_persons[1:] > run_persons[:-1]).all():
            return None
        if not (begins[1:] | (run_days[1:] > run_days[:-1])).all():
            return None
    return day_starts, person_days, run_persons, run_days


def _reduceat(starts: npt.NDArray[np.intp]) -> _Reduce:
    def reduceat(weights: npt.NDArray[np.float64], out: npt.NDArray[np.float64]) -> object:
        with np.errstate(over="ignore", invalid="ignore"):  # checked by the caller
            return np.add.reduceat(weights, starts, out=out)

    return reduceat


def _bincount(codes: npt.NDArray[np.intp]) -> _Reduce:
    def bincount(weights: npt.NDArray[np.float64], out: npt.NDArray[np.float64]) -> object:
        out[:] = np.bincount(codes, weights=weights, minlength=len(out))
        return out

    return bincount


def _person_sums(
    recs: _Records, columns: Sequence[str]
) -> tuple[npt.NDArray[Any], npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Return each person's id, number of recorded days, and sums (len(columns), persons)."""
    runs = _sorted_runs(recs.persons, recs.days)
    if runs is not None:
        day_starts, first_day, ids, _ = runs
        person_starts = day_starts[first_day]
        days = np.diff(first_day, append=len(day_starts)).astype(float)
        reduce = _reduceat(person_starts)
    else:
        p_codes, ids = pd.factorize(recs.persons)
        d_codes, d_uniques = pd.factorize(recs.days)
        width = max(len(d_uniques), 1)
        pairs = pd.unique(p_codes.astype(np.int64) * width + d_codes)
        days = np.bincount(pairs // width, minlength=len(ids)).astype(float)
        reduce = _bincount(p_codes)
    return ids, days, _sum_columns(recs, columns, reduce, len(ids))


# -- persons ------------------------------------------------------------------------------

_SEX_CODES: Final = {"female": 0, "male": 1, "f": 0, "m": 1}


@attrs.frozen
class _Persons:
    ids: pd.Index[Any]
    age: npt.NDArray[np.float64]
    sex: npt.NDArray[np.int8]  # 0 female, 1 male
    pregnant: npt.NDArray[np.bool_]
    lactating: npt.NDArray[np.bool_]
    weight: npt.NDArray[np.float64]  # kg, NaN when unknown
    trimester: npt.NDArray[np.int8]  # 0 when unknown


_TRUTH: Final = {"true": True, "false": False, "1": True, "0": False, "yes": True, "no": False}


def _map_words(
    column: pd.Series[Any], words: Mapping[str, float | bool]
) -> npt.NDArray[np.float64]:
    """Read a column of words (case and surrounding blanks aside): the value, NaN if none.

    Each distinct cell is read once: a column of a million rows holds a few words.
    """
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    read = [words.get(_word(u), math.nan) for u in uniques]
    return np.append(np.asarray(read, dtype=float), math.nan)[codes]


def _word(cell: object) -> str:
    """Return a cell as a word to look up: text folded; 1, 1.0 and True as '1', 'true'."""
    if isinstance(cell, bool | np.bool_):
        return str(bool(cell)).casefold()
    if isinstance(cell, int | float | np.integer | np.floating) and float(cell) in (0.0, 1.0):
        return str(int(cell))
    return str(cell).strip().casefold()


def _bool_column(frame: pd.DataFrame, name: str) -> npt.NDArray[np.bool_]:
    """Read an optional yes/no column; a missing column or a blank cell means no."""
    if name not in frame.columns:
        return np.zeros(len(frame), dtype=bool)
    column = frame[name]
    if column.dtype == bool:
        return column.to_numpy()
    blank = column.isna().to_numpy()
    mapped = _map_words(column, _TRUTH)
    bad = ~blank & np.isnan(mapped)
    if bad.any():
        rows = list(frame.index[bad][:_SHOWN])
        raise CohortError(f"persons column {name!r} needs true/false; bad rows: {rows}")
    return np.asarray(mapped == 1.0, dtype=bool)


def _persons(persons: pd.DataFrame, cols: Mapping[str, str]) -> _Persons:
    def col(key: str) -> str:
        return cols.get(key, key)

    for key in ("person_id", "age", "sex"):
        if col(key) not in persons.columns:
            raise CohortError(f"persons needs a column {col(key)!r} ({key})")
    keys = ("person_id", "age", "sex", "pregnant", "lactating", "body_weight_kg", "trimester")
    _unique_columns(persons, [col(k) for k in keys], "persons")
    _one_type(persons[col("person_id")], f"persons column {col('person_id')!r} (person_id)")
    ids = pd.Index(persons[col("person_id")])
    if ids.has_duplicates:
        dup = ids[ids.duplicated()].unique()
        raise CohortError(
            f"persons has {counted(len(dup), 'duplicate person_id value')}, e.g. {_examples(dup)}"
        )
    age_column = persons[col("age")]
    if pd.api.types.is_bool_dtype(age_column.dtype) or (
        age_column.dtype == object and any(isinstance(v, bool) for v in age_column)
    ):
        raise CohortError(
            f"persons column {col('age')!r} holds True/False values, not ages in years"
        )
    age = _in_unit(age_column, col("age"), "year", "a time such as years")  # months: years
    if age is None:
        age = pd.to_numeric(age_column, errors="coerce").to_numpy(float)
    sex = _map_words(persons[col("sex")], _SEX_CODES)
    pregnant = _bool_column(persons, col("pregnant"))
    lactating = _bool_column(persons, col("lactating"))
    weight, weight_text = _number_column(persons, col("body_weight_kg"), "kg")
    trimester_read, trimester_text = _number_column(persons, col("trimester"), None)
    trimester_bad = ~np.isnan(trimester_read) & ~np.isin(trimester_read, (1.0, 2.0, 3.0))
    trimester = np.where(trimester_bad | np.isnan(trimester_read), 0, trimester_read)
    trimester = trimester.astype(np.int8)
    low, high = _weight_limits(age)
    problems = {
        "age is missing, negative or beyond 125 years": ~np.isfinite(age)
        | (age < 0)
        | (age > MAX_AGE_YEARS),
        "sex must be female or male": np.isnan(sex),
        "a person of sex 'male' cannot be pregnant or lactating": (sex == 1)
        & (pregnant | lactating),
        "pregnancy or lactation outside 10-55 years": (pregnant | lactating)
        & ((age < MIN_REPRODUCTIVE_AGE_YEARS) | (age > MAX_REPRODUCTIVE_AGE_YEARS)),
        "pregnant and lactating at once (guidelines set one value for each state)": pregnant
        & lactating,
        f"{col('body_weight_kg')} is not a number of kilograms": weight_text,
        f"{col('body_weight_kg')} is not a plausible weight for the age": ~np.isnan(weight)
        & ((weight < low) | (weight > high)),
        "trimester must be 1, 2 or 3, and only when pregnant": trimester_text
        | trimester_bad
        | ((trimester != 0) & ~pregnant),
    }
    messages = []
    for why, mask in problems.items():
        rows = np.flatnonzero(mask)
        if len(rows):
            shown = ", ".join(str(persons.index[r]) for r in rows[:_SHOWN])
            label = "row" if len(rows) == 1 else "e.g. rows"
            messages.append(f"{why}: {counted(len(rows), 'row')} ({label} {shown})")
    if messages:
        raise CohortError("persons cannot be used: " + "; ".join(messages))
    sex_codes: npt.NDArray[np.int8] = np.nan_to_num(sex).astype(np.int8)
    return _Persons(ids, age, sex_codes, pregnant, lactating, weight, trimester)


def _number_column(
    frame: pd.DataFrame, name: str, unit: str | None
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]:
    """Read an optional numeric column: values (NaN when blank) and where a cell is not a number.

    A pint-pandas column is converted to ``unit``; text such as ``"70 kg"`` in a plain column
    is not read as a number (the column's name gives the unit).
    """
    if name not in frame.columns:
        return np.full(len(frame), np.nan), np.zeros(len(frame), dtype=bool)
    column = frame[name]
    converted = _in_unit(column, name, unit, "a mass") if unit is not None else None
    if converted is not None:
        return converted, np.zeros(len(frame), dtype=bool)
    values = _magnitudes(column, name)
    blank = column.isna().to_numpy()
    if column.dtype == object or isinstance(column.dtype, pd.StringDtype):
        blank = blank | column.astype("string").str.strip().eq("").fillna(True).to_numpy(bool)
    not_number = (np.isnan(values) & ~blank) | np.isinf(values)
    values = np.where(not_number | blank, np.nan, values)
    return values, not_number


def _in_unit(
    column: pd.Series[Any], name: str, unit: str, what: str
) -> npt.NDArray[np.float64] | None:
    """Return a pint-pandas persons column in ``unit`` (None for other dtypes)."""
    if not type(column.dtype).__module__.startswith("pint_pandas"):
        return None
    units = str(getattr(column.dtype, "units", ""))
    try:
        factor = conversion_factor(units, unit)
    except (pint.errors.PintError, ValueError, AttributeError):
        raise CohortError(f"persons column {name!r} is in {units!r}, not {what}") from None
    return _magnitudes(column, name) * factor


def _weight_limits(
    age: npt.NDArray[np.float64],
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Return the lowest and highest plausible body weight (kg) for each age, as ``Person``."""
    starts = (0.0, *WEIGHT_BAND_AGES)
    low = np.array([_min_weight_kg(a) for a in starts])
    high = np.array([_max_weight_kg(a) for a in starts])
    band = _band(WEIGHT_BAND_AGES, np.nan_to_num(age))
    return low[band], high[band]


def _band(bounds: Sequence[float], x: npt.NDArray[np.float64]) -> npt.NDArray[np.intp]:
    """Return ``np.searchsorted(bounds, x, side="right")`` for a few sorted ``bounds``.

    Counting the bounds each value reaches takes a compare per bound, several times faster
    than a binary search per value in random order. NaN goes last, as numpy sorts it.
    """
    if len(bounds) > 100:  # pragma: no cover - guidelines have a dozen age bounds
        return np.searchsorted(np.asarray(bounds, dtype=float), x, side="right")
    band = np.zeros(len(x), dtype=np.int8)
    for bound in bounds:
        band += x >= bound
    band[np.isnan(x)] = len(bounds)
    return band.astype(np.intp)


# -- targets --------------------------------------------------------------------------------

_STATUS_ORDER: Final = tuple(Status)
_STATUS_CODE: Final = {s: i for i, s in enumerate(_STATUS_ORDER)}
#: Below the target: for an intake that is a lower bound (something the guideline counts
#: not analysed, or in a sum it cannot split), the status is ``Status.UNKNOWN`` instead.
_BELOW_CODES: Final = tuple(
    _STATUS_CODE[s]
    for s in (
        Status.ADEQUACY_UNKNOWN,
        Status.BELOW_RECOMMENDATION,
        Status.BELOW_RANGE,
    )
)


@attrs.frozen
class _Targets:
    kind: npt.NDArray[np.int8]  # index into _KINDS, -1 when not applicable
    low: npt.NDArray[np.float64]
    high: npt.NDArray[np.float64]
    ul: npt.NDArray[np.float64]
    ear: npt.NDArray[np.float64]
    life_stage: npt.NDArray[np.intp]  # index into stages
    stages: list[str]


_KINDS: Final = (
    "AI",
    "RNI",
    "RDA",
    "range",
    "per_kg_bw",
    "caution_threshold",
    "pharmacological_dose",
)


def _signature(
    g: Guideline, people: _Persons
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp], npt.NDArray[np.int64]]:
    """Group people whose target from ``g`` must be the same.

    Returns each person's group, one person of each group, and each group's key (age band,
    sex, physiological state, trimester).
    """
    bounds = sorted({b for r in g.values for b in (r.age_from, r.age_to) if b is not None})
    band = _band(bounds, people.age)
    state = np.where(people.pregnant, 2, np.where(people.lactating, 1, 0))
    key = ((band.astype(np.int64) * 2 + people.sex) * 3 + state) * 4 + people.trimester
    # few distinct keys in a small range: dense codes without hashing
    present = np.bincount(key, minlength=1) > 0
    uniques = np.flatnonzero(present)
    dense = np.cumsum(present) - 1
    codes = dense[key]
    first = np.full(len(uniques), -1, dtype=np.intp)
    order = np.arange(len(codes))[::-1]
    first[codes[order]] = order  # the first person of each group
    return codes, first, uniques.astype(np.int64)


_TargetRow = tuple[int, float, float, float, float, str, bool]


@attrs.frozen(cache_hash=True)
class _GuidelineKey:
    """What a guideline's targets depend on, hashed once."""

    id: str
    nutrient: str
    values: tuple[Any, ...]


#: Targets by guideline and group key: the same in every call and on every Dask partition,
#: so each is looked up once per process. Guidelines are found by identity first (hashing
#: their values takes longer than the lookups), then by what they hold.
_TARGET_CACHE: dict[_GuidelineKey, dict[int, _TargetRow | None]] = {}
_KEY_OF: dict[int, tuple[Guideline, _GuidelineKey]] = {}


def _target_cache(g: Guideline) -> dict[int, _TargetRow | None] | None:
    """Return the cache of ``g``'s targets by group key (None if ``g`` cannot be hashed)."""
    known = _KEY_OF.get(id(g))
    if known is None or known[0] is not g:
        try:
            key = _GuidelineKey(g.id, g.nutrient, tuple(g.values))
            hash(key)
        except TypeError:  # pragma: no cover - a guideline with unhashable values: no cache
            return None
        if len(_KEY_OF) >= 256:
            _KEY_OF.clear()
        known = _KEY_OF[id(g)] = (g, key)
    if len(_TARGET_CACHE) >= 256 and known[1] not in _TARGET_CACHE:
        _TARGET_CACHE.clear()
    return _TARGET_CACHE.setdefault(known[1], {})


def _target_row(
    g: Guideline, people: _Persons, row: int, cache: dict[int, _TargetRow | None] | None, key: int
) -> _TargetRow | None:
    """Return (kind, low, high, UL, EAR, life stage, per kg) of ``g`` for the person at ``row``."""
    if cache is not None and key in cache:
        return cache[key]
    person = Person(
        age=float(people.age[row]),
        sex="male" if people.sex[row] else "female",
        pregnant=bool(people.pregnant[row]),
        lactating=bool(people.lactating[row]),
        trimester=int(people.trimester[row]) or None,
    )
    unit = "mg/day" if g.nutrient in {"calcium", "mk4"} else "µg/day"
    found: _TargetRow | None = None
    per_kg = False
    target: Target | None = None
    try:
        target = g.target_for(person)
    except NoTargetError:
        # a plausible weight that is a power of two, so that dividing it out is exact
        kg = 16.0 if person.age < 12 else 32.0
        try:
            target = g.target_for(attrs.evolve(person, body_weight=f"{kg:g} kg"))
            per_kg = True
            if target.low is not None:
                target = attrs.evolve(target, low=target.low / kg)
        except NoTargetError:
            target = None
    if target is not None:

        def value(q: Quantity | None) -> float:
            return math.nan if q is None else float(q.to(unit).magnitude)

        found = (
            _KINDS.index(target.value_type),
            value(target.low),
            value(target.high),
            value(target.upper_limit),
            value(target.ear),
            target.life_stage,
            per_kg,
        )
    if cache is not None:
        cache[key] = found
    return found


def _targets(g: Guideline, people: _Persons, rows: npt.NDArray[np.intp]) -> _Targets:
    """Return the targets of ``g`` for the persons at ``rows``."""
    codes, first, keys = _signature(g, people)
    n_groups = len(first)
    kind = np.full(n_groups, -1, dtype=np.int8)
    low = np.full(n_groups, np.nan)
    high = np.full(n_groups, np.nan)
    ul = np.full(n_groups, np.nan)
    ear = np.full(n_groups, np.nan)
    per_kg = np.zeros(n_groups, dtype=bool)
    stages: list[str] = [""]
    stage_code: dict[str, int] = {"": 0}
    stage = np.zeros(n_groups, dtype=np.intp)
    cache = _target_cache(g)
    for k, (row, key) in enumerate(zip(first, keys, strict=True)):
        found = _target_row(g, people, int(row), cache, int(key))
        if found is None:
            continue
        kind[k], low[k], high[k], ul[k], ear[k], life_stage, per_kg[k] = found
        if life_stage not in stage_code:
            stage_code[life_stage] = len(stages)
            stages.append(life_stage)
        stage[k] = stage_code[life_stage]
    codes = codes[rows]
    weight = people.weight[rows]
    person_low = low[codes]
    scale = np.where(per_kg[codes], weight, 1.0)
    person_kind = kind[codes]
    no_weight = per_kg[codes] & np.isnan(weight)  # a target per kg, and no body weight
    person_kind = np.where(no_weight, -1, person_kind).astype(np.int8)
    person_stage = np.where(no_weight, 0, stage[codes])  # no target: no life stage, as check()
    return _Targets(
        person_kind, person_low * scale, high[codes], ul[codes], ear[codes], person_stage, stages
    )


def _statuses(
    t: _Targets, x: npt.NDArray[np.float64]
) -> tuple[npt.NDArray[np.int8], npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Apply the rules of :func:`k2nutrition.checks.check` to whole arrays."""
    code = np.full(len(x), _STATUS_CODE[Status.NOT_APPLICABLE], dtype=np.int8)
    kind = t.kind
    lo, hi = t.low, t.high
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(lo > 0, x / lo, np.nan)
    gap = np.where(np.isnan(lo), np.nan, np.maximum(lo - x, 0.0))
    is_ai = (kind == _KINDS.index("AI")) | (kind == _KINDS.index("per_kg_bw"))
    is_rec = (kind == _KINDS.index("RNI")) | (kind == _KINDS.index("RDA"))
    is_range = kind == _KINDS.index("range")
    is_caution = kind == _KINDS.index("caution_threshold")
    is_drug = kind == _KINDS.index("pharmacological_dose")
    above = x >= lo
    code[is_ai] = np.where(
        above[is_ai], _STATUS_CODE[Status.ADEQUACY_LIKELY], _STATUS_CODE[Status.ADEQUACY_UNKNOWN]
    )
    code[is_rec] = np.where(
        above[is_rec],
        _STATUS_CODE[Status.MEETS_RECOMMENDATION],
        _STATUS_CODE[Status.BELOW_RECOMMENDATION],
    )
    range_code = np.where(
        x < lo, _STATUS_CODE[Status.BELOW_RANGE],
        np.where(x > hi, _STATUS_CODE[Status.ABOVE_RANGE], _STATUS_CODE[Status.WITHIN_RANGE]),
    )  # fmt: skip
    code[is_range] = range_code[is_range]
    code[is_caution] = np.where(
        above[is_caution], _STATUS_CODE[Status.CAUTION], _STATUS_CODE[Status.BELOW_CAUTION]
    )
    code[is_drug] = _STATUS_CODE[Status.REFERENCE_ONLY]
    over_ul = ~np.isnan(t.ul) & (x > t.ul) & ~is_drug & (kind >= 0)
    code[over_ul] = _STATUS_CODE[Status.ABOVE_UL]
    gap = np.where(is_caution | is_drug | (kind < 0), np.nan, gap)
    ratio = np.where(kind < 0, np.nan, ratio)
    return code, gap, ratio


# -- assess ---------------------------------------------------------------------------------


@attrs.frozen
class CohortResult:
    """The result of :func:`assess`.

    Attributes
    ----------
    per_person : pandas.DataFrame
        One row per person and guideline: ``person_id``, ``guideline``, ``edition``,
        ``intake`` (mean per recorded day, counted the guideline's way), ``unit``,
        ``target_type``, ``target_low``, ``target_high``, ``upper_limit``, ``ear`` (the
        estimated average requirement, where the guideline sets one), ``status``, ``gap``,
        ``ratio``, ``unattributed``, ``sex``, ``life_stage``, ``days``.
    summary : pandas.DataFrame
        Per guideline, sex and life stage: ``people``; ``share_meeting`` (at or above an
        AI, RNI or RDA; within a range); ``share_unknown`` (below the target, but a lower
        bound: status ``"unknown: not analysed"``); ``share_above_range``; ``share_above_ul``;
        ``share_below_ear`` (the EAR cut-point estimate of the prevalence of inadequacy);
        intake percentiles ``p5_ug_per_day`` … ``p95_ug_per_day`` for guidelines in µg/day
        and ``p5_mg_per_day`` … ``p95_mg_per_day`` for those in mg/day (calcium), each NaN
        in the other unit's rows. A share is NaN where it
        does not apply (no range, no UL, no EAR). Rows go by guideline, sex and life stage,
        the youngest first.
    rejected : pandas.DataFrame
        Records and persons left out (with ``errors="report"``): row label and reason.

    Notes
    -----
    From a Dask DataFrame of records, the three frames are Dask DataFrames (lazy);
    :meth:`compute` computes them together, sharing the work.
    """

    per_person: pd.DataFrame
    summary: pd.DataFrame
    rejected: pd.DataFrame

    def compute(self, **kwargs: Any) -> CohortResult:
        """Return the result with Dask frames computed (in one pass); pandas ones as they are."""
        if not _is_dask(self.per_person):
            return self
        from dask.base import compute

        per_person, summary, rejected = compute(  # type: ignore[no-untyped-call]
            self.per_person, self.summary, self.rejected, **kwargs
        )
        return CohortResult(per_person, summary, rejected)

    def __str__(self) -> str:
        from k2nutrition.display import cohort_text

        return cohort_text(self)

    def _repr_html_(self) -> str:
        from k2nutrition.display import cohort_html

        return cohort_html(self)


#: Statuses that mean the target is met: at or above an AI, RNI or RDA; within a range.
#: Above a range is not meeting it (``share_above_range``). A person above the UL has the
#: status "above upper level" and meets the target too when at or above it (within a
#: range): the summary's ``share_meeting`` counts such people, and ``share_above_ul`` too.
MEETING: Final = frozenset(
    {Status.ADEQUACY_LIKELY, Status.MEETS_RECOMMENDATION, Status.WITHIN_RANGE}
)
#: The former name of :data:`MEETING`; it no longer counts "above range" as success.
AT_OR_ABOVE: Final = MEETING
PERCENTILES: Final = (5, 25, 50, 75, 95)
SUMMARY_COLUMNS: Final = (
    "guideline",
    "sex",
    "life_stage",
    "people",
    "share_meeting",
    "share_unknown",
    "share_above_range",
    "share_above_ul",
    "share_below_ear",
    *(f"p{p}_ug_per_day" for p in PERCENTILES),
    *(f"p{p}_mg_per_day" for p in PERCENTILES),
)
#: The units of the percentile columns, in their order.
_PERCENTILE_UNITS: Final = ("µg/day", "mg/day")


def _in_unit_columns(percentiles: list[float], unit: str) -> list[float]:
    """Place percentiles in the columns of their unit; the other unit's columns are NaN."""
    out: list[float] = []
    for u in _PERCENTILE_UNITS:
        out += percentiles if u == unit else [math.nan] * len(PERCENTILES)
    return out


def _default_guidelines() -> list[Guideline]:
    return [
        g
        for g in catalogue
        if g.purpose == "adequacy" and g.nutrient in {"vitamin_k", "vitamin_k2"}
    ]


def _chosen(items: Iterable[Guideline | str] | Guideline | str | None) -> list[Guideline]:
    if isinstance(items, str | Guideline):
        items = [items]  # one guideline, not the characters of its id
    given = _default_guidelines() if items is None else [catalogue[g] for g in items]
    by_id: dict[str, Guideline] = {}
    for g in given:  # one guideline named twice ('iom-2001', 'IOM-2001') is assessed once
        if by_id.setdefault(g.id, g) != g:
            raise CohortError(
                f"two different guidelines have the id {g.id!r}; give each guideline once"
            )
    chosen = list(by_id.values())
    if not chosen:
        raise CohortError("guidelines is empty; give at least one guideline, or None for all")
    for g in chosen:
        cofactor = g.measure is None and g.nutrient in {"calcium", "vitamin_d"}
        measured = g.measure is not None and g.measure.name in _MEASURES
        if g.purpose != "adequacy" or not (cofactor or measured):
            raise CohortError(
                f"{g.id}: cohort assessment covers vitamin K, calcium and vitamin D adequacy "
                "guidelines; check supplement-safety guidelines per person with check()"
            )
    return chosen


_MEASURES: Final = {m.name: m for m in MEASURE_COLUMNS}


def _guideline_intake(
    g: Guideline, means: Mapping[str, npt.NDArray[np.float64]], n: int
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], str, str]:
    """Return the intake counted ``g``'s way, the part it cannot count, its unit, a flag key.

    The key names the not-analysed flags of the guideline's measure or cofactor.
    """
    if g.measure is None:  # calcium or vitamin D: foods (what was analysed) and supplements
        column = "calcium" if g.nutrient == "calcium" else "vitamin_D"
        unit = "mg/day" if column == "calcium" else "µg/day"
        return means.get(column, np.zeros(n)), np.zeros(n), unit, column
    key = g.measure.name
    return means[key], means.get(f"unattributed_{key}", np.zeros(n)), "µg/day", key


@overload
def assess(
    records: pd.DataFrame,
    persons: pd.DataFrame,
    guidelines: Iterable[Guideline | str] | Guideline | str | None = None,
    *,
    foods: FoodTable | None = None,
    columns: Mapping[str, str] | None = None,
    errors: Errors = "raise",
) -> CohortResult: ...
@overload
def assess(
    records: Any,
    persons: pd.DataFrame,
    guidelines: Iterable[Guideline | str] | Guideline | str | None = None,
    *,
    foods: FoodTable | None = None,
    columns: Mapping[str, str] | None = None,
    errors: Errors = "raise",
) -> CohortResult: ...


def assess(
    records: Any,
    persons: pd.DataFrame,
    guidelines: Iterable[Guideline | str] | Guideline | str | None = None,
    *,
    foods: FoodTable | None = None,
    columns: Mapping[str, str] | None = None,
    errors: Errors = "raise",
) -> CohortResult:
    """Assess every person's mean daily intake against each guideline.

    Parameters
    ----------
    records : pandas.DataFrame or dask.dataframe.DataFrame
        As for :func:`daily_intake`.
    persons : pandas.DataFrame
        One row per person: ``person_id``, ``age`` (years), ``sex`` (``female``/``male``),
        and optionally ``pregnant``, ``lactating``, ``body_weight_kg``, ``trimester``.
        Ids of mixed types (``1`` and ``"1"``) are refused with :class:`CohortError`.
    guidelines : Guideline, str, or iterable of them, optional
        Vitamin K adequacy guidelines (one id, or several); all of them by default.
    foods, columns, errors
        As for :func:`daily_intake`; ``columns`` may also rename persons' columns.

    Returns
    -------
    CohortResult
        ``per_person`` gives, for each person and guideline, what :func:`~k2nutrition.check`
        would say for that person; ``summary`` the shares and percentiles; ``rejected``
        what was left out. For a Dask DataFrame of records, each is a Dask DataFrame
        (see :meth:`CohortResult.compute`).

    Notes
    -----
    A person's intake is the mean over the days recorded for that person. Every person in
    the records must be in ``persons``; people without records are an error, or with
    ``errors="report"`` are listed in ``rejected`` and not assessed.

    ``share_below_ear`` is the EAR cut-point estimate of the prevalence of inadequacy: the
    share of the group whose intake is below the estimated average requirement. It
    assumes that the intakes are *usual* intakes (with one or a few recorded days, the
    day-to-day variation widens the distribution and biases the estimate; adjust the
    intakes for within-person variation first), that intake and requirement are
    independent, that the requirement distribution is symmetric, and that its spread is
    smaller than that of the intakes.
    """
    _check_errors(errors)
    _check_frames(records, persons)
    chosen = _chosen(guidelines)
    table = foods if foods is not None else builtin_foods
    if _is_dask(records):
        return _dask_assess(records, persons, chosen, table, columns or {}, errors)
    return _assess_frame(records, persons, chosen, table, columns or {}, errors)


def _assess_frame(
    records: pd.DataFrame,
    persons: pd.DataFrame,
    chosen: list[Guideline],
    table: FoodTable,
    columns: Mapping[str, str],
    errors: Errors,
    *,
    summarize: bool = True,
) -> CohortResult:
    """Assess records in memory: sum per person straight from the records."""
    recs = _prepare(records, table, _columns(records, columns), errors)
    wanted = _wanted(chosen)
    ids, days, sums = _person_sums(recs, wanted)
    rejected = recs.rejected
    del recs  # its per-record arrays are not needed any more
    by_column = dict(zip(wanted, sums, strict=True))
    return _assess_sums(ids, days, by_column, persons, chosen, columns, errors, rejected, summarize)


def _assess_daily(
    daily: pd.DataFrame,
    persons: pd.DataFrame,
    chosen: list[Guideline],
    columns: Mapping[str, str],
    errors: Errors,
    *,
    rejected: pd.DataFrame | None = None,
) -> CohortResult:
    """Assess a daily-intake frame (one row per person and day)."""
    rejected_records = daily.attrs.get("rejected", _no_rejections())
    if rejected is not None:
        rejected_records = rejected
    codes, ids = pd.factorize(daily["person_id"])
    n = len(ids)
    days = np.bincount(codes, minlength=n).astype(float)
    sums = {
        c: np.bincount(codes, weights=daily[c].to_numpy(float), minlength=n).astype(float)
        for c in daily.columns
        if c not in {"person_id", "day"}
    }
    return _assess_sums(ids, days, sums, persons, chosen, columns, errors, rejected_records)


def _assess_sums(  # noqa: PLR0915 - one pass over guidelines, kept together for clarity
    ids: Any,
    days: npt.NDArray[np.float64],
    sums: Mapping[str, npt.NDArray[np.float64]],
    persons: pd.DataFrame,
    chosen: list[Guideline],
    columns: Mapping[str, str],
    errors: Errors,
    rejected_records: pd.DataFrame,
    summarize: bool = True,
) -> CohortResult:
    """Assess persons from their sums over their records and their number of days."""
    people = _persons(persons, columns)
    ids = np.asarray(ids)
    person_ids = people.ids.to_numpy()
    if (  # the persons in the records' order, one to one (numeric ids): no hashing
        len(ids) == len(person_ids)
        and ids.dtype.kind in "iuf"
        and person_ids.dtype.kind in "iuf"
        and bool((ids == person_ids).all())
    ):
        position = np.arange(len(ids), dtype=np.intp)
    else:
        position = people.ids.get_indexer(pd.Index(ids))
    missing = position < 0
    if missing.any():
        unknown_ids = pd.unique(np.asarray(ids)[missing])
        as_text = pd.Index([str(i) for i in unknown_ids[:_SHOWN]])
        hint = ""
        if pd.Index([str(i) for i in people.ids[:100_000]]).isin(as_text).any():
            hint = (
                "; persons has the same ids as another type (1 and '1' are different ids): "
                "give person_id one type in both frames"
            )
        raise CohortError(
            f"{counted(len(unknown_ids), 'person_id value')} in the records "
            f"{'is' if len(unknown_ids) == 1 else 'are'} not in persons, "
            f"e.g. {_examples(unknown_ids)}{hint}"
        )
    no_records = np.ones(len(people.ids), dtype=bool)
    no_records[position] = False
    if no_records.any():
        absent = people.ids[no_records]
        if errors == "raise":
            raise CohortError(
                f"{counted(len(absent), 'person')} {'has' if len(absent) == 1 else 'have'} "
                f"no records, e.g. {_examples(absent)}; "
                "pass errors='report' to leave them out"
            )
        extra = pd.DataFrame({"row": [f"person {i}" for i in absent], "reason": "no records"})
        rejected_records = pd.concat(
            [rejected_records.astype({"reason": str}), extra], ignore_index=True
        ).astype({"reason": "category"})
    if len(position) > 1 and not (position[1:] > position[:-1]).all():
        order = np.argsort(position)  # persons in the order of the persons frame
        position, days = position[order], days[order]
        sums = {c: v[order] for c, v in sums.items()}
    assessed = position
    means = dict(sums)
    with np.errstate(invalid="ignore", divide="ignore"):
        for column in means.values():
            np.divide(column, days, out=column)  # in place: the sums are this function's own
    m, n_g = len(assessed), len(chosen)
    sex = people.sex[assessed]
    # Float columns are one block, allocated once and filled guideline by guideline.
    block = np.empty((len(_FLOAT_COLUMNS), m * n_g))
    out = dict(zip(_FLOAT_COLUMNS, block, strict=True))
    kind_codes = np.empty(m * n_g, dtype=np.int8)
    status_codes = np.empty(m * n_g, dtype=np.int8)
    stage_codes = np.empty(m * n_g, dtype=np.int16)
    stage_index: dict[str, int] = {}
    summary_rows: list[list[Any]] = []
    units: list[str] = []
    food = means.get("food_g", np.zeros(m))
    for i, g in enumerate(chosen):
        part = slice(i * m, (i + 1) * m)
        intake, unattributed, unit, key = _guideline_intake(g, means, m)
        units.append(unit)
        unknown = means.get(f"not_analysed_g_{key}", np.zeros(m))
        with np.errstate(invalid="ignore", divide="ignore"):
            np.divide(unknown, food, out=out["not_analysed_share"][part], where=food > 0)
        out["not_analysed_share"][part][~(food > 0)] = 0.0
        targets = _targets(g, people, assessed)
        code, gap, ratio = _statuses(targets, intake)
        code[(unknown > 0) & np.isin(code, _BELOW_CODES)] = _STATUS_CODE[Status.UNKNOWN]
        remap = np.array([stage_index.setdefault(s, len(stage_index)) for s in targets.stages])
        out["intake"][part] = intake
        out["target_low"][part] = targets.low
        out["target_high"][part] = targets.high
        out["upper_limit"][part] = targets.ul
        out["ear"][part] = targets.ear
        out["gap"][part] = gap
        out["ratio"][part] = ratio
        out["unattributed"][part] = unattributed
        kind_codes[part] = targets.kind
        status_codes[part] = code
        stage_codes[part] = remap[targets.life_stage]
        if summarize:
            unknown_status = code == _STATUS_CODE[Status.UNKNOWN]
            summary_rows += _summary_rows(g.id, sex, targets, intake, unknown_status, unit)
    g_codes = np.repeat(np.arange(n_g, dtype=np.int16), m)
    floats = dict(zip(_FLOAT_COLUMNS, block, strict=True))
    per_person = pd.DataFrame(  # from views of one block: no column is copied
        {
            "person_id": np.tile(people.ids.to_numpy()[assessed], n_g),
            "guideline": _categorical(g_codes, [g.id for g in chosen]),
            "edition": _repeated([g.edition for g in chosen], m),
            "intake": floats["intake"],
            "unit": _repeated(units, m),
            "target_type": _categorical(kind_codes, list(_KINDS)),
            **{c: floats[c] for c in ("target_low", "target_high", "upper_limit", "ear")},
            "status": _categorical(status_codes, [st.value for st in _STATUS_ORDER]),
            **{c: floats[c] for c in ("gap", "ratio", "unattributed", "not_analysed_share")},
            "sex": _categorical(np.tile(sex, n_g), list(_SEXES)),
            "life_stage": _categorical(stage_codes, list(stage_index)),
            "days": np.tile(days.astype(np.int32), n_g),
        },
        copy=False,
    )
    summary = _summary_frame(summary_rows)
    return CohortResult(per_person, summary, rejected_records)


def _repeated(labels: Sequence[str], m: int) -> pd.Categorical:
    """Return a categorical of ``labels`` (one per guideline), each repeated ``m`` times."""
    codes, uniques = pd.factorize(pd.Series(labels, dtype=object))
    return _categorical(np.repeat(codes.astype(np.int8), m), list(uniques))


_SEXES: Final = ("female", "male")
_FLOAT_COLUMNS: Final = (
    "intake",
    "target_low",
    "target_high",
    "upper_limit",
    "ear",
    "gap",
    "ratio",
    "unattributed",
    "not_analysed_share",
)


_NO_REJECTIONS: Final = pd.DataFrame(
    {"row": pd.Series([], dtype=object), "reason": pd.Categorical([])}
)


def _no_rejections() -> pd.DataFrame:
    """Return an empty frame of rejected rows (a copy: callers may add to it)."""
    return _NO_REJECTIONS.copy()


def _summary_frame(rows: list[list[Any]]) -> pd.DataFrame:
    """Build the summary frame from its rows, in the order of :func:`_ordered_summary`."""
    if len(rows) > 1:  # a few hundred rows at most: ordered here, before the frame is built
        ages = _youngest_ages()
        rank = {g: i for i, g in enumerate(dict.fromkeys(row[0] for row in rows))}
        rows = sorted(
            rows, key=lambda r: (rank[r[0]], r[1], ages.get((r[0], r[2]), math.inf), r[2])
        )
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(SUMMARY_COLUMNS)
    return pd.DataFrame(
        {
            name: np.asarray(values, dtype=np.int64 if name == "people" else float)
            if i >= 3
            else pd.Series(list(values), dtype=None if values else object)
            for i, (name, values) in enumerate(zip(SUMMARY_COLUMNS, columns, strict=True))
        }
    )


def _ordered_summary(frame: pd.DataFrame, guidelines: Sequence[str] = ()) -> pd.DataFrame:
    """Order summary rows by guideline (as given, else as they come), sex and life stage.

    Life stages go from the youngest; stages of the same age by name.
    """
    frame = frame.reset_index(drop=True)
    if len(frame) > 1:  # within a guideline and sex, life stages from the youngest
        ages = _youngest_ages()
        keys = zip(frame["guideline"], frame["life_stage"], strict=True)
        age_of = np.array([ages.get(k, math.inf) for k in keys])
        rank = pd.factorize(frame["guideline"])[0]
        if guidelines:
            rank = pd.Index(list(guidelines)).get_indexer(pd.Index(frame["guideline"]))
        stage = frame["life_stage"].to_numpy(str)  # ties of age: by name, in any partitioning
        order = np.lexsort((stage, age_of, frame["sex"].to_numpy(str), rank))
        frame = frame.iloc[order].reset_index(drop=True)
    return frame


@functools.cache
def _youngest_ages() -> dict[tuple[str, str], float]:
    """Return the youngest age of each life stage of each guideline in the catalogue."""
    ages: dict[tuple[str, str], float] = {}
    for g in catalogue:
        for v in g.values:
            age = v.age_from or 0.0
            ages[g.id, v.life_stage] = min(age, ages.get((g.id, v.life_stage), age))
    return ages


def _group_stats(
    x: npt.NDArray[np.float64],
    kind: npt.NDArray[np.int8],
    low: npt.NDArray[np.float64],
    high: npt.NDArray[np.float64],
    ul: npt.NDArray[np.float64],
    ear: npt.NDArray[np.float64],
    unknown: npt.NDArray[np.bool_],
) -> list[Any]:
    """People, shares and percentiles of one group (all of whom have a target).

    ``unknown`` marks the people whose status is unknown: a lower bound below the target.
    The numbers are :func:`_summary_rows`' for a single group (the Dask path's unit).
    """
    one = _Targets(kind, low, high, ul, ear, np.zeros(len(x), dtype=np.intp), [""])
    (row,) = _summary_rows("", np.zeros(len(x), dtype=np.int8), one, x, unknown, "µg/day")
    return row[3 : -len(PERCENTILES)]


_QUANTILES: Final = tuple(p / 100 for p in PERCENTILES)


def _percentiles(x: npt.NDArray[np.float64]) -> list[float]:
    """Return :data:`PERCENTILES` of ``x`` as ``np.quantile`` does (linear), in one partition.

    ``np.quantile`` costs about 0.1 ms a call whatever the size; a summary asks it for every
    group of every guideline. The few interpolations are done on Python floats, which are
    the same IEEE doubles, term for term as numpy does them: the same numbers to the last bit.
    """
    last = len(x) - 1
    spots = []
    for q in _QUANTILES:
        where = last * q
        below = math.floor(where)
        spots.append((below, min(below + 1, last), where - below))
    kth = sorted({i for below, above, _ in spots for i in (below, above)})
    at = dict(zip(kth, np.partition(x, kth)[kth].tolist(), strict=True))
    out = []
    for below, above, t in spots:
        a, b = at[below], at[above]
        out.append(b - (b - a) * (1 - t) if t >= 0.5 else a + (b - a) * t)
    return out


def _summary_rows(
    guideline: str,
    sex: npt.NDArray[np.int8],
    t: _Targets,
    x: npt.NDArray[np.float64],
    unknown: npt.NDArray[np.bool_],
    unit: str,
) -> list[list[Any]]:
    """Summary rows of one guideline, per sex and life stage (people with a target only).

    The same numbers as :func:`_group_stats` group by group, with the counts of every group
    taken at once (``np.bincount``) and one partition per group for the percentiles.
    """
    n_keys = 2 * len(t.stages)
    # a radix sort below: numpy sorts integers of 16 bits or fewer by counting
    key_type = np.int16 if n_keys <= 2**15 else np.intp
    key = cast("npt.NDArray[np.intp]", sex.astype(key_type) * len(t.stages))
    key += t.life_stage.astype(key_type)
    has = t.kind >= 0  # no target: not in the summary
    kind, low, high, ul, ear = t.kind, t.low, t.high, t.ul, t.ear
    if not has.all():
        key, x, unknown = key[has], x[has], unknown[has]
        kind, low, high, ul, ear = kind[has], low[has], high[has], ul[has], ear[has]
    is_range = kind == _KINDS.index("range")
    has_ul, has_ear = ~np.isnan(ul), ~np.isnan(ear)
    flags = (  # what is counted per group, a bit each, counted at once
        np.where(is_range, (x >= low) & (x <= high), x >= low) & ~unknown,
        unknown,
        is_range,
        is_range & (x > high),
        has_ul,
        has_ul & (x > ul),
        has_ear,
        has_ear & (x < ear),
    )
    packed = np.zeros(len(x), dtype=np.intp)
    for bit, flag in enumerate(flags):
        packed |= flag.astype(np.intp) << bit
    packed += key.astype(np.intp) << len(flags)
    by_pattern = np.bincount(packed, minlength=n_keys << len(flags)).reshape(n_keys, -1)
    patterns = np.arange(1 << len(flags))
    bits = (patterns[:, None] >> np.arange(len(flags))) & 1
    meeting, unknowns, ranges, above_range, uls, above_ul, ears, below_ear = (by_pattern @ bits).T
    counts = by_pattern.sum(axis=1)
    order = np.argsort(key, kind="stable")
    ordered = x[order]
    start = 0
    rows = []
    for k in np.flatnonzero(counts):
        n = int(counts[k])
        sex_code, stage = divmod(int(k), len(t.stages))
        rows.append(
            [
                guideline,
                _SEXES[sex_code],
                t.stages[stage],
                n,
                meeting[k] / n,
                unknowns[k] / n,
                above_range[k] / n if ranges[k] else np.nan,
                above_ul[k] / n if uls[k] else np.nan,
                below_ear[k] / n if ears[k] else np.nan,
                *_in_unit_columns(_percentiles(ordered[start : start + n]), unit),
            ]
        )
        start += n
    return rows


# -- dask -------------------------------------------------------------------------------------


def _by_person(records: Any, person: str) -> Any:
    """Return ``records`` with all rows of each person in one partition.

    A frame indexed by the person id with known divisions, keeping the column
    (``set_index(person_id, drop=False)``), already is; any other is shuffled by the person
    column with Dask's own shuffle.
    """
    if records.npartitions == 1 or (records.known_divisions and records.index.name == person):
        return records
    return records.shuffle(on=person)


def _dask_daily(
    records: Any,
    table: FoodTable,
    columns: Mapping[str, str],
    errors: Errors,
    wanted: list[str] | None,
) -> Any:
    if errors == "report":
        raise CohortError(
            "on a Dask DataFrame, daily_intake cannot list rejected records; use assess(), "
            "whose result lists them in `rejected`, or errors='raise'"
        )
    cols = _columns(records, columns)
    if wanted is None:  # every vitamer: a partition's supplements add none unknown to meta
        wanted = _all_columns(COMPONENTS)
    meta = _daily(records._meta, table, cols, "report", wanted).iloc[:0]
    meta.attrs = {}
    return _by_person(records, cols["person_id"]).map_partitions(
        _daily_partition, table, cols, errors, wanted, meta=meta, enforce_metadata=False
    )


def _daily_partition(
    part: pd.DataFrame, table: FoodTable, cols: dict[str, str], errors: Errors, wanted: list[str]
) -> pd.DataFrame:
    frame = _daily(part, table, cols, errors, wanted)
    frame.attrs = {}
    return frame


def _dask_assess(
    records: Any,
    persons: pd.DataFrame,
    chosen: list[Guideline],
    table: FoodTable,
    columns: Mapping[str, str],
    errors: Errors,
) -> CohortResult:
    import dask
    import dask.dataframe as dd
    from dask.delayed import delayed

    cols = _columns(records, columns)
    _persons(persons, columns)  # validate once, before any partition runs
    sample = _assess_partition(records._meta, persons, chosen, table, cols, columns, errors)
    shared = [delayed(x, traverse=False) for x in (persons, chosen, table)]
    parts = [
        delayed(_assess_partition)(p, *shared, cols, columns, errors)
        for p in _by_person(records, cols["person_id"]).to_delayed()
    ]
    per_person = dd.from_delayed(
        [p.per_person for p in parts], meta=sample.per_person.iloc[:0], verify_meta=False
    )
    unseen = delayed(_persons_without_records)(
        per_person["person_id"].unique(), shared[0], columns.get("person_id", "person_id"), errors
    )
    # row labels are the records' own (numbers, text, ...): not turned into strings
    with dask.config.set({"dataframe.convert-string": False}):
        rejected = dd.from_delayed(
            [*(p.rejected for p in parts), unseen], meta=_no_rejections(), verify_meta=False
        )
    slim = per_person.map_partitions(_summary_input, meta=_summary_input(sample.per_person))
    groups = slim.groupby("key").apply(_dask_group, meta=_summary_frame([]))
    # a few rows per guideline: one partition, in the order pandas gives
    summary = groups.repartition(npartitions=1).map_partitions(
        _ordered_summary, [g.id for g in chosen], meta=_summary_frame([])
    )
    return CohortResult(per_person, summary, rejected)


_TARGET_COLUMNS: Final = ("target_low", "target_high", "upper_limit", "ear")


def _summary_input(per_person: pd.DataFrame) -> pd.DataFrame:
    """Return the columns the summary needs, for people with a target, with one text key.

    The key joins guideline, sex and life stage; it is built per category, not per row.
    """
    rows = per_person[per_person["target_type"].notna().to_numpy()]
    key: Any = None
    for column in ("guideline", "sex", "life_stage"):
        values = rows[column].astype("category")
        labels = np.asarray([str(c) for c in values.cat.categories], dtype=object)
        part = labels[values.cat.codes.to_numpy()] if len(labels) else np.array([], dtype=object)
        key = part if key is None else key + _KEY_SEP + part
    range_rows = (rows["target_type"] == "range").to_numpy()
    return pd.DataFrame(
        {
            "key": pd.Series(key, index=rows.index, dtype=object),
            "range": range_rows,
            "intake": rows["intake"].to_numpy(),
            **{c: rows[c].to_numpy() for c in _TARGET_COLUMNS},
            "unknown": (rows["status"] == Status.UNKNOWN.value).to_numpy(bool),
            "unit": rows["unit"].astype(str).to_numpy(object),
        },
        index=rows.index,
    )


_KEY_SEP: Final = "\x1f"  # the unit separator: in no id, sex or life stage


def _dask_group(group: pd.DataFrame) -> pd.DataFrame:
    kind = np.where(group["range"].to_numpy(bool), _KINDS.index("range"), 0)
    low, high, ul, ear = (group[c].to_numpy(float) for c in _TARGET_COLUMNS)
    stats = _group_stats(
        group["intake"].to_numpy(float),
        kind.astype(np.int8),
        low,
        high,
        ul,
        ear,
        group["unknown"].to_numpy(bool),
    )
    guideline, sex, stage = str(group.name).split(_KEY_SEP)  # the group's key
    n = len(PERCENTILES)
    in_units = _in_unit_columns(stats[-n:], str(group["unit"].iloc[0]))
    return _summary_frame([[guideline, sex, stage, *stats[:-n], *in_units]])


def _persons_without_records(
    seen: Any, persons: pd.DataFrame, id_column: str, errors: Errors
) -> pd.DataFrame:
    ids = pd.Index(persons[id_column])
    unseen = ids[~ids.isin(pd.Index(np.asarray(seen)))]
    if len(unseen) and errors == "raise":
        raise CohortError(
            f"{counted(len(unseen), 'person')} {'has' if len(unseen) == 1 else 'have'} "
            f"no records, e.g. {_examples(unseen)}; "
            "pass errors='report' to leave them out"
        )
    frame = pd.DataFrame(
        {"row": pd.Series([f"person {i}" for i in unseen], dtype=object), "reason": "no records"}
    )
    return frame.astype({"reason": "category"})


def _assess_partition(
    part: pd.DataFrame,
    persons: pd.DataFrame,
    chosen: list[Guideline],
    table: FoodTable,
    cols: dict[str, str],
    columns: Mapping[str, str],
    errors: Errors,
) -> CohortResult:
    """Assess the persons whose records are in this partition (all of their records)."""
    recs = _prepare(part, table, cols, errors)
    wanted = _wanted(chosen)
    ids, days, sums = _person_sums(recs, wanted)
    id_column = columns.get("person_id", "person_id")
    present = persons[persons[id_column].isin(ids)]
    by_column = dict(zip(wanted, sums, strict=True))
    result = _assess_sums(
        ids, days, by_column, present, chosen, columns, "raise", recs.rejected, summarize=False
    )
    rejected = result.rejected.astype({"row": object, "reason": "category"})
    return CohortResult(result.per_person, result.summary, rejected)


# -- files ------------------------------------------------------------------------------------

#: Columns read as text, with one dtype for the whole file whatever the chunk size.
_TEXT_COLUMNS: Final = ("person_id", "day", "food", "unit")
#: Output formats of :func:`_write_per_person`, by file suffix.
FORMATS: Final = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet"}


def _position(handle: Any) -> int:
    """Where reading has got to, for a progress bar (0 for a pipe, which cannot tell)."""
    try:
        return int(handle.tell())
    except (OSError, ValueError):
        return 0


def _read_records_csv(
    path: str,
    persons: pd.DataFrame,
    chosen: list[Guideline],
    *,
    chunksize: int,
    errors: Errors,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[CohortResult, int]:
    """Assess a records CSV read in chunks; return the result and the number of records.

    Identifiers, days, foods and units are read as text (``007`` is not ``7``; no id
    becomes a float), amounts as numbers by the engine, so the answer does not depend on
    ``chunksize``. A person's day may straddle two chunks: partial sums are added.
    """
    if chunksize < 1:
        raise CohortError("chunksize must be at least 1")
    dailies, rejected, count = [], [], 0
    days_seen: dict[float, str] = {}
    with open(path, encoding="utf-8", newline="") as handle, _strict_csv(path):
        header = _csv_header(handle, path)
        reader = pd.read_csv(
            handle,
            chunksize=chunksize,
            dtype=dict.fromkeys(_TEXT_COLUMNS, str) | {"amount": str, "amount_g": str},
            names=header,
            header=None,
            **_CSV_OPTIONS,
        )
        for chunk in reader:
            if "day" in chunk.columns:
                _one_day_one_text(chunk["day"], days_seen, path)
            daily = _daily(chunk, builtin_foods, _columns(chunk, {}), errors, _wanted(chosen))
            rejected.append(daily.attrs.pop("rejected"))
            dailies.append(daily)
            count += len(chunk)
            if progress is not None:
                progress(_position(handle), count)
    if not dailies:
        raise CohortError(f"{path} holds no records")
    daily = pd.concat(dailies, ignore_index=True)
    if len(dailies) > 1:
        daily = daily.groupby(["person_id", "day"], sort=False, as_index=False).sum()
    reasons = pd.concat([r.astype({"reason": str}) for r in rejected], ignore_index=True)
    result = _assess_daily(
        daily, persons, chosen, {}, errors, rejected=reasons.astype({"reason": "category"})
    )
    return result, count


def _csv_header(handle: IO[str], path: str) -> list[str]:
    """Read a CSV file's header line; refuse a column named twice (pandas would rename one)."""
    line = handle.readline().removeprefix("\ufeff")  # a byte order mark, before any quote
    if line.count('"') % 2:  # a quoted name goes on past the line: pandas would split it
        raise CohortError(
            f"{path}: the header line {_shown(line.strip())} has a quoted name that goes on "
            "to the next line; write each column name on the header line"
        )
    try:
        header = next(csv.reader([line]), [])
    except csv.Error as exc:  # such as a name longer than the csv module's field limit
        raise CohortError(f"{path}: cannot read the header line ({exc})") from None
    if not header or header == [""]:
        raise CohortError(f"{path} has no header line")
    if len(header) == 1:
        for separator, name in ((";", "semicolons"), ("\t", "tabs"), ("|", "bars")):
            if separator in header[0]:
                raise CohortError(
                    f"{path}: the header line {_shown(line.strip())} is one column; the file "
                    f"seems to be separated by {name}. Save it with commas between columns"
                )
    twice = sorted({name for name in header if header.count(name) > 1})
    if twice:
        raise CohortError(
            f"{path}: {'the columns' if len(twice) > 1 else 'the column'} "
            f"{', '.join(repr(n) for n in twice)} {'are' if len(twice) > 1 else 'is'} named more "
            "than once; one would be read and the other left out. Name each column once"
        )
    return header


def _one_day_one_text(days: pd.Series[Any], seen: dict[float, str], path: str) -> None:
    """Refuse a day number written two ways in a file ('1' and '1.0', '1' and '01').

    Days are read as text (so that the answer does not depend on chunks); two texts of one
    number would be two days.
    """
    for text in pd.unique(days.dropna()):
        try:
            number = float(str(text))
        except ValueError:
            continue
        first = seen.setdefault(number, str(text))
        if first != text:
            raise CohortError(
                f"{path}: column 'day' writes one day two ways ({first!r} and {text!r}), "
                "which would be read as two days; write each day one way"
            )


#: Blank cells are missing, nothing else is ("NA" is a name); no column becomes an index.
_CSV_OPTIONS: Final[dict[str, Any]] = {
    "keep_default_na": False,
    "na_values": [""],
    "index_col": False,
}


@contextlib.contextmanager
def _strict_csv(path: str) -> Iterator[None]:
    """Turn pandas' warning for a row longer than the header (data lost) into an error."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", pd.errors.ParserWarning)
        try:
            yield
        except pd.errors.ParserWarning as exc:
            raise CohortError(f"cannot read {path}: {exc}") from None


def _read_persons_csv(path: str) -> pd.DataFrame:
    """Read a persons CSV with ids as text, like the records' ids."""
    with open(path, encoding="utf-8", newline="") as handle, _strict_csv(path):
        header = _csv_header(handle, path)  # a column named twice is refused
        frame: pd.DataFrame = pd.read_csv(
            handle, dtype={"person_id": str}, names=header, header=None, **_CSV_OPTIONS
        )
    return frame


def _write_per_person(frame: pd.DataFrame, path: str, fmt: str | None = None) -> str:
    """Write per-person rows as CSV or Parquet (by ``fmt``, else by the file's suffix).

    Both go through pyarrow where it is installed (``k2nutrition[parquet]``); CSV falls back
    to pandas' writer without it. Returns the format used.
    """
    import os.path

    if fmt is None:
        suffix = os.path.splitext(path)[1].lower()
        fmt = FORMATS.get(suffix, "csv")
    if fmt not in {"csv", "parquet"}:
        raise CohortError(f"format must be 'csv' or 'parquet'; got {fmt!r}")
    try:
        import pyarrow as pa
    except ImportError:
        if fmt == "parquet":
            raise MissingDependencyError("Parquet output", "pyarrow", "parquet") from None
        frame.to_csv(path, index=False)
        return fmt
    table = pa.Table.from_pandas(frame, preserve_index=False)
    if fmt == "parquet":
        import pyarrow.parquet as pq

        pq.write_table(table, path)
        return fmt
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv

    # plain text columns: CSV has no dictionaries
    table = pa.table(
        [
            pc.cast(c, c.type.value_type) if pa.types.is_dictionary(c.type) else c
            for c in table.columns
        ],
        names=table.column_names,
    )
    pacsv.write_csv(table, path)
    return fmt


def example_cohort(
    n_records: int,
    *,
    days: int = 3,
    items_per_day: int = 5,
    seed: int = 0,
    foods: FoodTable | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return random ``(records, persons)`` frames in the layout :func:`assess` reads.

    For trying the engine out, tests and benchmarks: every person has ``days`` recorded
    days of ``items_per_day`` items (foods of the table, and now and then an MK-7
    supplement), but the last person, who has the records left over when ``n_records`` is
    not a multiple of ``days * items_per_day``; ages, sexes, pregnancy and body weights are
    drawn at random within plausible bounds. The numbers describe no real population.
    ``n_records``, ``days`` and ``items_per_day`` are whole numbers of at least 1.

    Examples
    --------
    >>> records, persons = example_cohort(1000)
    >>> len(records), len(persons)
    (1000, 67)
    """
    for name, value in (("n_records", n_records), ("days", days), ("items_per_day", items_per_day)):
        if not isinstance(value, int | np.integer) or isinstance(value, bool) or value < 1:
            raise CohortError(f"{name} must be a whole number of at least 1; got {value!r}")
    rng = np.random.default_rng(seed)
    # by default the curated records (FoodData Central's thousands would drown them)
    table = foods if foods is not None else builtin_foods.subset(data_sets=["curated"])
    per_person = days * items_per_day
    n_persons = max(1, -(-n_records // per_person))
    ids = np.arange(1, n_persons + 1)
    age = np.round(rng.uniform(0.0, 90.0, n_persons), 1)
    female = rng.random(n_persons) < 0.5
    fertile = female & (age >= 18) & (age < 45)
    pregnant = fertile & (rng.random(n_persons) < 0.05)
    lactating = fertile & ~pregnant & (rng.random(n_persons) < 0.05)
    weight = np.where(age < 1, 8.0, np.where(age < 12, 10 + 3.5 * age, 70.0))
    weight = np.round(weight * rng.uniform(0.8, 1.2, n_persons), 1)
    weight[rng.random(n_persons) < 0.3] = np.nan
    persons = pd.DataFrame(
        {
            "person_id": ids,
            "age": age,
            "sex": np.where(female, "female", "male"),
            "pregnant": pregnant,
            "lactating": lactating,
            "body_weight_kg": weight,
        }
    )
    names = np.array([f.id for f in table if f.preferred] + ["MK-7"], dtype=object)
    choice = rng.integers(0, len(names), n_records)
    grams = np.round(rng.uniform(5.0, 200.0, n_records), 1)
    grams[names[choice] == "MK-7"] = 90e-6  # a 90 µg supplement, in grams
    row = np.arange(n_records)
    records = pd.DataFrame(
        {
            "person_id": ids[row // per_person],
            "day": (row % per_person) // items_per_day + 1,
            "food": _categorical(choice, list(names)),
            "amount_g": grams,
        }
    )
    return records, persons
