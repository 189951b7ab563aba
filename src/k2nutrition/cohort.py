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

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final, Literal, overload

import attrs
import numpy as np
import pandas as pd

from k2nutrition.checks import Status
from k2nutrition.errors import K2NutritionError, UnknownVitamerError
from k2nutrition.food import Food, FoodTable
from k2nutrition.food import foods as builtin_foods
from k2nutrition.guideline import Guideline, NoTargetError, Target
from k2nutrition.guideline import guidelines as catalogue
from k2nutrition.measures import JAPAN_MK4_EQ, K1_ONLY, MENAQUINONES, TOTAL_K, Measure
from k2nutrition.people import MAX_AGE_YEARS, MIN_REPRODUCTIVE_AGE_YEARS, Person, _max_weight_kg
from k2nutrition.profile import Pool
from k2nutrition.units import conversion_factor, parse_amount, ureg
from k2nutrition.vitamers import Vitamer

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


def _table_components(table: FoodTable) -> list[Component]:
    present: set[Component] = set()
    for f in table:
        present.update(f.content)
        present.update(f.content.pools)
    return [c for c in COMPONENTS if c in present]


def _resolve(names: Sequence[object], table: FoodTable) -> _Resolved:
    components = _table_components(table)
    supplements: list[Vitamer] = []
    found: list[Food | Vitamer | None] = []
    reasons: list[str] = []
    for name in names:
        if not isinstance(name, str):
            found.append(None)
            reasons.append(f"food is not a name: {name!r}")
            continue
        record = table.get(name)
        if record is not None:
            found.append(record)
            reasons.append("")
            continue
        try:
            vitamer = Vitamer.parse(name)
        except UnknownVitamerError:
            found.append(None)
            close = table.suggest(name)
            hint = f" (did you mean {', '.join(repr(c) for c in close)}?)" if close else ""
            reasons.append(f"unknown food {name!r}{hint}")
            continue
        found.append(vitamer)
        reasons.append("")
        if vitamer not in components and vitamer not in supplements:
            supplements.append(vitamer)
    components += supplements
    components = [c for c in COMPONENTS if c in set(components)]
    index = {c: j for j, c in enumerate(components)}
    content = np.zeros((len(names), len(components)))
    density = np.full(len(names), np.nan)
    supplement = np.zeros(len(names), dtype=bool)
    for i, item in enumerate(found):
        if isinstance(item, Vitamer):
            supplement[i] = True
            content[i, index[item]] = 1e6  # a supplement row's amount is the vitamer's mass
        elif isinstance(item, Food):
            for v, m in item.content.magnitudes().items():
                content[i, index[v]] = float(m) / 100.0  # µg/100 g -> µg/g
            for p, q in item.content.pools.items():
                content[i, index[p]] = float(q.magnitude) / 100.0
            if item.density is not None:
                density[i] = float(item.density.to("g/mL").magnitude)
    return _Resolved(content, density, supplement, reasons, tuple(components))


def _unit_factors(
    food_codes: npt.NDArray[np.intp], units: pd.Series[Any], resolved: _Resolved
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.intp], list[str]]:
    """Return grams per unit for each row, and a reason index per row (-1: usable).

    Conversions are worked out once per distinct (food, unit) pair.
    """
    unit_codes, unit_names = pd.factorize(units, use_na_sentinel=True)
    width = len(unit_names) + 1
    pair_codes, pair_uniques = pd.factorize(food_codes.astype(np.int64) * width + unit_codes + 1)
    factors = np.empty(len(pair_uniques))
    reason_of_pair = np.full(len(pair_uniques), -1, dtype=np.intp)
    reasons: list[str] = []
    for k, key in enumerate(pair_uniques):
        f_code, u_code = divmod(int(key), width)
        unit = unit_names[u_code - 1] if u_code > 0 else None
        known = f_code >= 0
        density = float(resolved.density[f_code]) if known else math.nan
        supplement = bool(resolved.supplement[f_code]) if known else False
        factors[k], why = _grams_per(unit, density, supplement)
        if why:
            reason_of_pair[k] = len(reasons)
            reasons.append(why)
    return factors[pair_codes], reason_of_pair[pair_codes], reasons


def _grams_per(unit: object, density: float, supplement: bool) -> tuple[float, str]:
    if not isinstance(unit, str) or not unit.strip():
        return math.nan, "missing unit"
    try:
        q = parse_amount(f"1 {unit}", "unit", "mass or volume")
    except K2NutritionError:
        return math.nan, f"unknown unit {unit!r}"
    if q.dimensionality == ureg.get_dimensionality("[mass]"):
        return conversion_factor(q.units, "g"), ""
    if supplement:
        return math.nan, f"a supplement dose needs a mass unit, not {unit!r}"
    if math.isnan(density):
        return math.nan, f"a volume ({unit!r}) for a food with no known density"
    return conversion_factor(q.units, "mL") * density, ""


def _fail_or_collect(
    bad: npt.NDArray[np.bool_],
    reason_index: npt.NDArray[np.integer[Any]],
    reasons: list[str],
    index: pd.Index[Any],
    what: str,
    errors: Errors,
) -> pd.DataFrame:
    rows = np.flatnonzero(bad)
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
            f"{len(rows)} {what} cannot be used: {shown}{more}. "
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


def _is_dask(frame: object) -> bool:
    return type(frame).__module__.startswith("dask")


@overload
def daily_intake(
    records: pd.DataFrame,
    foods: FoodTable | None = None,
    *,
    columns: Mapping[str, str] | None = None,
    errors: Errors = "raise",
) -> pd.DataFrame: ...
@overload
def daily_intake(
    records: Any,
    foods: FoodTable | None = None,
    *,
    columns: Mapping[str, str] | None = None,
    errors: Errors = "raise",
) -> Any: ...


def daily_intake(
    records: Any,
    foods: FoodTable | None = None,
    *,
    columns: Mapping[str, str] | None = None,
    errors: Errors = "raise",
) -> Any:
    """Return vitamin K intake per person and day, a column per vitamer and measure.

    Parameters
    ----------
    records : pandas.DataFrame or dask.dataframe.DataFrame
        One row per eaten item, with columns ``person_id``, ``day``, ``food`` (a food id,
        name or alias, or a vitamer such as ``"MK-7"`` for a supplement) and either
        ``amount_g`` or ``amount`` with ``unit`` (a mass, or a volume for foods with a known
        density; supplements in a mass unit such as µg).
    foods : FoodTable, optional
        The table to look foods up in; the built-in one by default.
    columns : mapping, optional
        Other column names, e.g. ``{"person_id": "subject", "amount_g": "grams"}``.
    errors : {"raise", "report"}, default "raise"
        With ``"raise"``, any unusable row (unknown food, bad amount or unit) raises
        :class:`CohortError` listing the first rows and the count. With ``"report"``, they
        are left out and listed in ``frame.attrs["rejected"]``.

    Returns
    -------
    pandas.DataFrame
        One row per person and day: ``person_id``, ``day``, a column per vitamer and pool
        in µg/day, and the measures ``K1_ONLY``, ``MENAQUINONES``, ``TOTAL_K``,
        ``JAPAN_MK4_EQ``. A Dask DataFrame in gives a Dask DataFrame out.
    """
    table = foods if foods is not None else builtin_foods
    if _is_dask(records):
        return _dask_daily(records, table, columns or {}, errors)
    cols = _columns(records, columns or {})
    return _daily(records, table, cols, errors)


def _daily(  # noqa: PLR0912, PLR0915 - one pass of checks, kept together for clarity
    records: pd.DataFrame, table: FoodTable, cols: dict[str, str], errors: Errors
) -> pd.DataFrame:
    n = len(records)
    for key in ("person_id", "day", "food"):
        if cols[key] not in records.columns:
            raise CohortError(f"records needs a column {cols[key]!r} ({key})")
    food_codes, names = pd.factorize(records[cols["food"]], use_na_sentinel=True)
    resolved = _resolve(list(names), table)
    reasons: list[str] = ["missing food"]
    reason_index = np.full(n, -1, dtype=np.int32)
    name_reason = np.array([-1] * len(names), dtype=np.int32)
    for i, why in enumerate(resolved.reason):
        if why:
            name_reason[i] = len(reasons)
            reasons.append(why)
    known = food_codes >= 0
    reason_index[~known] = 0
    reason_index[known] = name_reason[food_codes[known]]
    if cols["amount_g"] in records.columns:
        grams = pd.to_numeric(records[cols["amount_g"]], errors="coerce").to_numpy(float)
    elif cols["amount"] in records.columns and cols["unit"] in records.columns:
        amount = pd.to_numeric(records[cols["amount"]], errors="coerce").to_numpy(float)
        factor, unit_reason, unit_reasons = _unit_factors(
            food_codes, records[cols["unit"]], resolved
        )
        grams = amount * factor
        offset = len(reasons)
        reasons += unit_reasons
        unit_bad = (unit_reason >= 0) & (reason_index < 0)
        reason_index[unit_bad] = unit_reason[unit_bad] + offset
    else:
        raise CohortError(
            f"records needs a column {cols['amount_g']!r} (grams), or {cols['amount']!r} "
            f"with {cols['unit']!r}"
        )
    amount_bad = ~np.isfinite(grams) | (grams < 0)
    amount_bad &= reason_index < 0
    reason_index[amount_bad] = len(reasons)
    reasons.append("amount is missing, not a number, infinite or negative")
    person_na = (
        records[cols["person_id"]].isna().to_numpy() | records[cols["day"]].isna().to_numpy()
    )
    id_bad = person_na & (reason_index < 0)
    reason_index[id_bad] = len(reasons)
    reasons.append("missing person_id or day")

    bad = reason_index >= 0
    rejected = _fail_or_collect(bad, reason_index, reasons, records.index, "records", errors)
    good = ~bad
    if not good.all():
        food_codes, grams = food_codes[good], grams[good]
        persons = records[cols["person_id"]].to_numpy()[good]
        days = records[cols["day"]].to_numpy()[good]
    else:
        persons = records[cols["person_id"]].to_numpy()
        days = records[cols["day"]].to_numpy()

    del reason_index, bad, good
    p_codes, p_uniques = pd.factorize(persons)
    d_codes, d_uniques = pd.factorize(days)
    del persons, days
    group_key = p_codes.astype(np.int64, copy=False) * max(len(d_uniques), 1)
    group_key += d_codes
    del p_codes, d_codes
    g_codes, g_keys = pd.factorize(group_key)
    del group_key
    n_groups = len(g_keys)
    out: dict[str, Any] = {
        "person_id": p_uniques.take(g_keys // max(len(d_uniques), 1)),
        "day": d_uniques.take(g_keys % max(len(d_uniques), 1)),
    }
    sums: dict[Component, npt.NDArray[np.float64]] = {}
    for j, component in enumerate(resolved.components):
        per_name = resolved.content[:, j]
        if not per_name.any():
            sums[component] = np.zeros(n_groups)
            continue
        weights = per_name[food_codes]
        weights *= grams
        sums[component] = np.bincount(g_codes, weights=weights, minlength=n_groups).astype(
            float, copy=False
        )
        del weights
    for component, values in sums.items():
        out[_label(component)] = values
    for measure in MEASURE_COLUMNS:
        out[measure.name] = _apply_measure(measure, sums, n_groups)
    frame = pd.DataFrame(out)
    frame.attrs["rejected"] = rejected
    return frame


def _apply_measure(
    measure: Measure, sums: Mapping[Component, npt.NDArray[np.float64]], n: int
) -> npt.NDArray[np.float64]:
    total = np.zeros(n)
    for component, values in sums.items():
        if isinstance(component, Vitamer):
            weight = measure.weights.get(component, 0.0)
        else:
            weight = 1.0 if component in measure.pools else 0.0
        if weight:
            total += weight * values
    return total


def _unattributed(
    measure: Measure, means: Mapping[Component, npt.NDArray[np.float64]], n: int
) -> npt.NDArray[np.float64]:
    total = np.zeros(n)
    for component, values in means.items():
        if isinstance(component, Pool) and component not in measure.pools:
            total += values
    return total


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


def _bool_column(frame: pd.DataFrame, name: str) -> npt.NDArray[np.bool_]:
    """Read an optional yes/no column; a missing column or a blank cell means no."""
    if name not in frame.columns:
        return np.zeros(len(frame), dtype=bool)
    column = frame[name]
    if column.dtype == bool:
        return column.to_numpy()
    blank = column.isna().to_numpy()
    text = column.astype("string").str.strip().str.casefold()
    mapped = text.map(_TRUTH).to_numpy(dtype=object)
    bad = ~blank & pd.isna(mapped)
    if bad.any():
        rows = list(frame.index[bad][:_SHOWN])
        raise CohortError(f"persons column {name!r} needs true/false; bad rows: {rows}")
    mapped[blank] = False
    return mapped.astype(bool)


def _persons(persons: pd.DataFrame, cols: Mapping[str, str]) -> _Persons:
    def col(key: str) -> str:
        return cols.get(key, key)

    for key in ("person_id", "age", "sex"):
        if col(key) not in persons.columns:
            raise CohortError(f"persons needs a column {col(key)!r} ({key})")
    ids = pd.Index(persons[col("person_id")])
    if ids.has_duplicates:
        dup = ids[ids.duplicated()].unique()
        raise CohortError(
            f"persons has {len(dup)} duplicate person_id values, e.g. {list(dup[:_SHOWN])}"
        )
    age = pd.to_numeric(persons[col("age")], errors="coerce").to_numpy(float)
    sex_text = persons[col("sex")].astype("string").str.strip().str.casefold()
    sex = sex_text.map(_SEX_CODES).to_numpy(dtype=float, na_value=np.nan)
    pregnant = _bool_column(persons, col("pregnant"))
    lactating = _bool_column(persons, col("lactating"))
    weight_col = col("body_weight_kg")
    weight = (
        pd.to_numeric(persons[weight_col], errors="coerce").to_numpy(float)
        if weight_col in persons.columns
        else np.full(len(persons), np.nan)
    )
    trimester = (
        pd.to_numeric(persons[col("trimester")], errors="coerce").fillna(0).to_numpy(np.int8)
        if col("trimester") in persons.columns
        else np.zeros(len(persons), dtype=np.int8)
    )
    problems = {
        "age is missing, negative or beyond 125 years": ~np.isfinite(age)
        | (age < 0)
        | (age > MAX_AGE_YEARS),
        "sex must be female or male": np.isnan(sex),
        "a person of sex 'male' cannot be pregnant or lactating": (sex == 1)
        & (pregnant | lactating),
        "pregnancy or lactation below 10 years": (pregnant | lactating)
        & (age < MIN_REPRODUCTIVE_AGE_YEARS),
        "body_weight_kg is not a plausible weight": ~np.isnan(weight)
        & ((weight <= 0) | (weight > _weight_limits(age))),
        "trimester must be 1, 2 or 3, and only when pregnant": (trimester != 0)
        & (~pregnant | (trimester < 0) | (trimester > 3)),
    }
    messages = []
    for why, mask in problems.items():
        rows = np.flatnonzero(mask)
        if len(rows):
            shown = ", ".join(str(persons.index[r]) for r in rows[:_SHOWN])
            messages.append(f"{why}: {len(rows)} rows (e.g. rows {shown})")
    if messages:
        raise CohortError("persons cannot be used: " + "; ".join(messages))
    return _Persons(ids, age, sex.astype(np.int8), pregnant, lactating, weight, trimester)


def _weight_limits(age: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    bounds = np.array([1.0, 5.0, 12.0])
    limits = np.array(
        [_max_weight_kg(0.0), _max_weight_kg(1.0), _max_weight_kg(5.0), _max_weight_kg(12.0)]
    )
    return limits[np.searchsorted(bounds, np.nan_to_num(age), side="right")]


# -- targets --------------------------------------------------------------------------------

_STATUS_ORDER: Final = tuple(Status)
_STATUS_CODE: Final = {s: i for i, s in enumerate(_STATUS_ORDER)}


@attrs.frozen
class _Targets:
    kind: npt.NDArray[np.int8]  # index into _KINDS, -1 when not applicable
    low: npt.NDArray[np.float64]
    high: npt.NDArray[np.float64]
    ul: npt.NDArray[np.float64]
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


def _signature(g: Guideline, people: _Persons) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """Group people whose target from ``g`` must be the same; return codes and one row each."""
    bounds = sorted({b for r in g.values for b in (r.age_from, r.age_to) if b is not None})
    band = np.searchsorted(np.array(bounds, dtype=float), people.age, side="right")
    state = np.where(people.pregnant, 2, np.where(people.lactating, 1, 0))
    key = ((band.astype(np.int64) * 2 + people.sex) * 3 + state) * 4 + people.trimester
    codes, uniques = pd.factorize(key)
    first = np.full(len(uniques), -1, dtype=np.intp)
    order = np.arange(len(codes))[::-1]
    first[codes[order]] = order  # the first person of each group
    return codes, first


def _targets(g: Guideline, people: _Persons) -> _Targets:
    codes, first = _signature(g, people)
    n_groups = len(first)
    kind = np.full(n_groups, -1, dtype=np.int8)
    low = np.full(n_groups, np.nan)
    high = np.full(n_groups, np.nan)
    ul = np.full(n_groups, np.nan)
    per_kg = np.zeros(n_groups, dtype=bool)
    stages: list[str] = [""]
    stage_code: dict[str, int] = {"": 0}
    stage = np.zeros(n_groups, dtype=np.intp)
    unit = "mg/day" if g.nutrient in {"calcium", "mk4"} else "µg/day"
    for k, row in enumerate(first):
        person = Person(
            age=float(people.age[row]),
            sex="male" if people.sex[row] else "female",
            pregnant=bool(people.pregnant[row]),
            lactating=bool(people.lactating[row]),
            trimester=int(people.trimester[row]) or None,
        )
        target: Target | None
        try:
            target = g.target_for(person)
        except NoTargetError:
            try:
                target = g.target_for(attrs.evolve(person, body_weight="1 kg"))
            except NoTargetError:
                continue
            per_kg[k] = True
        kind[k] = _KINDS.index(target.value_type)
        if target.low is not None:
            low[k] = float(target.low.to(unit).magnitude)
        if target.high is not None:
            high[k] = float(target.high.to(unit).magnitude)
        if target.upper_limit is not None:
            ul[k] = float(target.upper_limit.to(unit).magnitude)
        if target.life_stage not in stage_code:
            stage_code[target.life_stage] = len(stages)
            stages.append(target.life_stage)
        stage[k] = stage_code[target.life_stage]
    person_low = low[codes]
    scale = np.where(per_kg[codes], people.weight, 1.0)
    person_kind = kind[codes]
    person_kind = np.where(per_kg[codes] & np.isnan(people.weight), -1, person_kind).astype(np.int8)
    return _Targets(person_kind, person_low * scale, high[codes], ul[codes], stage[codes], stages)


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
        ``target_type``, ``target_low``, ``target_high``, ``upper_limit``, ``status``,
        ``gap``, ``ratio``, ``unattributed``, ``life_stage``, ``days``.
    summary : pandas.DataFrame
        Per guideline and life stage: people, share at or above target, intake percentiles.
    rejected : pandas.DataFrame
        Records left out (with ``errors="report"``): row label and reason.
    """

    per_person: pd.DataFrame
    summary: pd.DataFrame
    rejected: pd.DataFrame

    def __str__(self) -> str:
        from k2nutrition.display import cohort_text

        return cohort_text(self)

    def _repr_html_(self) -> str:
        from k2nutrition.display import cohort_html

        return cohort_html(self)


#: Statuses that count as "at or above target" in the summary.
AT_OR_ABOVE: Final = frozenset(
    {
        Status.ADEQUACY_LIKELY,
        Status.MEETS_RECOMMENDATION,
        Status.WITHIN_RANGE,
        Status.ABOVE_RANGE,
        Status.ABOVE_UL,
    }
)
PERCENTILES: Final = (5, 25, 50, 75, 95)


def _default_guidelines() -> list[Guideline]:
    return [
        g
        for g in catalogue
        if g.purpose == "adequacy" and g.nutrient in {"vitamin_k", "vitamin_k2"}
    ]


def _chosen(items: Iterable[Guideline | str] | None) -> list[Guideline]:
    chosen = _default_guidelines() if items is None else [catalogue[g] for g in items]
    for g in chosen:
        if g.measure is None or g.purpose != "adequacy":
            raise CohortError(
                f"{g.id}: cohort assessment covers vitamin K adequacy guidelines; "
                "check calcium, vitamin D and supplement-safety guidelines per person with check()"
            )
    return chosen


@overload
def assess(
    records: pd.DataFrame,
    persons: pd.DataFrame,
    guidelines: Iterable[Guideline | str] | None = None,
    *,
    foods: FoodTable | None = None,
    columns: Mapping[str, str] | None = None,
    errors: Errors = "raise",
) -> CohortResult: ...
@overload
def assess(
    records: Any,
    persons: pd.DataFrame,
    guidelines: Iterable[Guideline | str] | None = None,
    *,
    foods: FoodTable | None = None,
    columns: Mapping[str, str] | None = None,
    errors: Errors = "raise",
) -> Any: ...


def assess(
    records: Any,
    persons: pd.DataFrame,
    guidelines: Iterable[Guideline | str] | None = None,
    *,
    foods: FoodTable | None = None,
    columns: Mapping[str, str] | None = None,
    errors: Errors = "raise",
) -> Any:
    """Assess every person's mean daily intake against each guideline.

    Parameters
    ----------
    records : pandas.DataFrame or dask.dataframe.DataFrame
        As for :func:`daily_intake`.
    persons : pandas.DataFrame
        One row per person: ``person_id``, ``age`` (years), ``sex`` (``female``/``male``),
        and optionally ``pregnant``, ``lactating``, ``body_weight_kg``, ``trimester``.
    guidelines : iterable of Guideline or str, optional
        Vitamin K adequacy guidelines; all of them by default.
    foods, columns, errors
        As for :func:`daily_intake`; ``columns`` may also rename persons' columns.

    Returns
    -------
    CohortResult
        For a pandas DataFrame of records (for a Dask DataFrame: a Dask DataFrame of the
        per-person rows, computed partition by partition). ``per_person`` gives, for each
        person and guideline, what :func:`~k2nutrition.check` would say for that person;
        ``summary`` the shares and percentiles.

    Notes
    -----
    A person's intake is the mean over the days recorded for that person. Every person in
    the records must be in ``persons``; people without records are reported in
    ``rejected`` and not assessed.
    """
    chosen = _chosen(guidelines)
    if _is_dask(records):
        return _dask_assess(records, persons, chosen, foods, columns or {}, errors)
    cols = _columns(records, columns or {})
    daily = _daily(records, foods if foods is not None else builtin_foods, cols, errors)
    return _assess_daily(daily, persons, chosen, columns or {}, errors)


def _assess_daily(
    daily: pd.DataFrame,
    persons: pd.DataFrame,
    chosen: list[Guideline],
    columns: Mapping[str, str],
    errors: Errors,
    *,
    rejected: pd.DataFrame | None = None,
    summarize: bool = True,
) -> CohortResult:
    people = _persons(persons, columns)
    rejected_records = daily.attrs.get("rejected", pd.DataFrame({"row": [], "reason": []}))
    if rejected is not None:
        rejected_records = rejected
    position = people.ids.get_indexer(pd.Index(daily["person_id"]))
    missing = position < 0
    if missing.any():
        ids = pd.unique(daily["person_id"].to_numpy()[missing])
        raise CohortError(
            f"{len(ids)} person_id values in the records are not in persons, "
            f"e.g. {list(ids[:_SHOWN])}"
        )
    n = len(people.ids)
    days = np.bincount(position, minlength=n).astype(float)
    no_records = days == 0
    if no_records.any():
        ids = people.ids[no_records]
        if errors == "raise":
            raise CohortError(
                f"{len(ids)} persons have no records, e.g. {list(ids[:_SHOWN])}; "
                "pass errors='report' to leave them out"
            )
        extra = pd.DataFrame({"row": [f"person {i}" for i in ids], "reason": "no records"})
        rejected_records = pd.concat([rejected_records, extra], ignore_index=True)
    components = [c for c in COMPONENTS if _label(c) in daily.columns]
    with np.errstate(invalid="ignore", divide="ignore"):
        means = {
            c: np.bincount(position, weights=daily[_label(c)].to_numpy(float), minlength=n) / days
            for c in components
        }
    assessed = np.flatnonzero(~no_records)
    m, n_g = len(assessed), len(chosen)
    # Output columns are allocated once and filled guideline by guideline.
    out = {key: np.empty(m * n_g) for key in _FLOAT_COLUMNS}
    kind_codes = np.empty(m * n_g, dtype=np.int8)
    status_codes = np.empty(m * n_g, dtype=np.int8)
    stage_codes = np.empty(m * n_g, dtype=np.int16)
    stage_index: dict[str, int] = {}
    for i, g in enumerate(chosen):
        assert g.measure is not None
        part = slice(i * m, (i + 1) * m)
        intake = _apply_measure(g.measure, means, n)
        targets = _targets(g, people)
        code, gap, ratio = _statuses(targets, intake)
        remap = np.array([stage_index.setdefault(s, len(stage_index)) for s in targets.stages])
        out["intake"][part] = intake[assessed]
        out["target_low"][part] = targets.low[assessed]
        out["target_high"][part] = targets.high[assessed]
        out["upper_limit"][part] = targets.ul[assessed]
        out["gap"][part] = gap[assessed]
        out["ratio"][part] = ratio[assessed]
        out["unattributed"][part] = _unattributed(g.measure, means, n)[assessed]
        kind_codes[part] = targets.kind[assessed]
        status_codes[part] = code[assessed]
        stage_codes[part] = remap[targets.life_stage[assessed]]
    g_codes = np.repeat(np.arange(n_g, dtype=np.int16), m)
    per_person = pd.DataFrame(
        {
            "person_id": np.tile(people.ids.to_numpy()[assessed], n_g),
            "guideline": _categorical(g_codes, [g.id for g in chosen]),
            "edition": pd.Categorical([g.edition for g in chosen]).take(g_codes),
            "intake": out["intake"],
            "unit": _categorical(np.zeros(m * n_g, dtype=np.int8), ["µg/day"]),
            "target_type": _categorical(kind_codes, list(_KINDS)),
            "target_low": out["target_low"],
            "target_high": out["target_high"],
            "upper_limit": out["upper_limit"],
            "status": _categorical(status_codes, [st.value for st in _STATUS_ORDER]),
            "gap": out["gap"],
            "ratio": out["ratio"],
            "unattributed": out["unattributed"],
            "life_stage": _categorical(stage_codes, list(stage_index)),
            "days": np.tile(days[assessed].astype(np.int32), n_g),
        },
        copy=False,
    )
    summary = (
        _summary(per_person, g_codes, np.tile(people.sex[assessed], n_g), chosen)
        if summarize
        else pd.DataFrame()
    )
    return CohortResult(per_person, summary, rejected_records)


_FLOAT_COLUMNS: Final = (
    "intake",
    "target_low",
    "target_high",
    "upper_limit",
    "gap",
    "ratio",
    "unattributed",
)


def _summary(
    per_person: pd.DataFrame,
    g_codes: npt.NDArray[np.int16],
    sex: npt.NDArray[np.int8],
    chosen: list[Guideline],
) -> pd.DataFrame:
    """Per guideline, sex and life stage: people, share at or above target, percentiles."""
    status = per_person["status"].cat.codes.to_numpy()
    stage = per_person["life_stage"].cat.codes.to_numpy().astype(np.int64)
    intake = per_person["intake"].to_numpy()
    applicable = status != _STATUS_CODE[Status.NOT_APPLICABLE]
    good = np.isin(status, [_STATUS_CODE[st] for st in AT_OR_ABOVE])
    n_stages = max(len(per_person["life_stage"].cat.categories), 1)
    key = (g_codes.astype(np.int64) * 2 + sex) * n_stages + stage
    key, intake, good = key[applicable], intake[applicable], good[applicable]
    order = np.lexsort((intake, key))
    key, intake, good = key[order], intake[order], good[order]
    groups, starts, counts = np.unique(key, return_index=True, return_counts=True)
    share = np.add.reduceat(good.astype(np.int64), starts) / counts if len(starts) else counts
    rows = []
    stages = per_person["life_stage"].cat.categories
    for group, start, count, frac in zip(groups, starts, counts, share, strict=True):
        g, rest = divmod(int(group), 2 * n_stages)
        sex_code, stage_code = divmod(rest, n_stages)
        values = intake[start : start + count]  # sorted within the group
        quantiles = np.quantile(values, [p / 100 for p in PERCENTILES])
        rows.append(
            [chosen[g].id, "male" if sex_code else "female", stages[stage_code], int(count),
             float(frac), *quantiles.tolist()]
        )  # fmt: skip
    return pd.DataFrame(
        rows,
        columns=["guideline", "sex", "life_stage", "people", "share_at_or_above"]
        + [f"p{p}" for p in PERCENTILES],
    )


# -- dask -------------------------------------------------------------------------------------


def _dask_daily(records: Any, table: FoodTable, columns: Mapping[str, str], errors: Errors) -> Any:
    cols = _columns(records, columns)
    meta_source = records._meta
    meta = _daily(meta_source, table, cols, "report")
    meta = meta.iloc[:0]
    return records.map_partitions(
        _daily_partition, table, cols, errors, meta=meta, enforce_metadata=False
    )


def _daily_partition(
    part: pd.DataFrame, table: FoodTable, cols: dict[str, str], errors: Errors
) -> pd.DataFrame:
    frame = _daily(part, table, cols, errors)
    frame.attrs = {}
    return frame


def _dask_assess(
    records: Any,
    persons: pd.DataFrame,
    chosen: list[Guideline],
    foods: FoodTable | None,
    columns: Mapping[str, str],
    errors: Errors,
) -> Any:
    table = foods if foods is not None else builtin_foods
    cols = _columns(records, columns)
    _persons(persons, columns)  # validate once, before any partition runs
    sample = _assess_partition(records._meta, persons, chosen, table, cols, columns)
    return records.map_partitions(
        _assess_partition, persons, chosen, table, cols, columns,
        meta=sample.iloc[:0], enforce_metadata=False,
    )  # fmt: skip


def _assess_partition(
    part: pd.DataFrame,
    persons: pd.DataFrame,
    chosen: list[Guideline],
    table: FoodTable,
    cols: dict[str, str],
    columns: Mapping[str, str],
) -> pd.DataFrame:
    """Assess the persons whose records are in this partition (all of their records)."""
    daily = _daily(part, table, cols, "raise")
    id_column = columns.get("person_id", "person_id")
    present = persons[persons[id_column].isin(pd.unique(daily["person_id"]))]
    return _assess_daily(daily, present, chosen, columns, "raise", summarize=False).per_person


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
    supplement); ages, sexes, pregnancy and body weights are drawn at random within
    plausible bounds. The numbers describe no real population.

    Examples
    --------
    >>> records, persons = example_cohort(1000)
    >>> len(records), len(persons)
    (1000, 67)
    """
    rng = np.random.default_rng(seed)
    table = foods if foods is not None else builtin_foods
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
