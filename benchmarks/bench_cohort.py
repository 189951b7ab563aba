"""Benchmark of k2nutrition.cohort against the fastest hand-written floors, in one run.

For each size (records of ``example_cohort``: 15 items per person over 3 days, a compact
frame with a categorical ``food`` column) it times, best of ``--repeat``:

- three floors computing the per-person mean daily intake that ``assess`` gives for one
  guideline (iom-2001), with nothing else (no checks of input, no targets, no statuses):
  ``numpy bincount`` (dense integer ids, ``np.bincount``), ``numpy reduceat`` (records sorted
  by person, ``np.add.reduceat``) and ``polars`` (``group_by``); each is checked to give the
  same numbers as ``assess``;
- ``daily_intake`` of that guideline's measure only (``include=[...]``), per person and day;
- ``daily_intake`` of every column, beside a floor that computes the same columns
  (``numpy reduceat`` per column, per person and day, checked to give the same numbers);
- ``assess`` with one guideline, and with every guideline and the summary;

and prints the ratios against the goals: ``daily_intake`` within 2x of the best floor,
``assess`` (one guideline) within 3x, every guideline within 1.5x of one guideline times
their number, and the peak traced memory (tracemalloc) of ``assess`` with every guideline
at most 3x the input frame. The machine is shared and busy: every figure is the best of
several runs, and single figures are noisy.

Run ``python benchmarks/bench_cohort.py`` (10^5 and 10^6 records) or add ``--full`` for
10^7, or ``--sizes 10000 --repeat 1`` for a quick run.
"""

from __future__ import annotations

import argparse
import gc
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from k2nutrition import foods
from k2nutrition.cohort import _default_guidelines, assess, daily_intake, example_cohort
from k2nutrition.guideline import guidelines

GUIDELINE = "iom-2001"


def content_per_gram(names: list[str]) -> np.ndarray[Any, np.dtype[np.float64]]:
    """µg per g that the guideline's measure counts, for each food name (µg per µg for MK-7)."""
    measure = guidelines[GUIDELINE].measure
    assert measure is not None
    out = np.zeros(len(names))
    for i, name in enumerate(names):
        if name == "MK-7":
            out[i] = 1e6 * measure.weights.get(
                next(v for v in measure.weights if v.label == "MK-7"), 0
            )
            continue
        out[i] = float(measure(foods[name].content).to("µg/g").magnitude)
    return out


def every_column_per_gram(records: pd.DataFrame, columns: list[str]) -> np.ndarray:
    """What one gram of each food adds to each daily column (the engine's own lookup)."""
    from k2nutrition.cohort import _per_name, _resolve
    from k2nutrition.units import conversion_factor

    resolved = _resolve(list(records["food"].cat.categories), foods)
    # the engine counts a supplement row in its dose unit (µg), the floor in grams
    to_dose = np.array([conversion_factor("g", u) if u else 1.0 for u in resolved.dose_unit])
    return np.column_stack([_per_name(resolved, c) for c in columns]) * to_dose[:, None]


def floor_bincount(records: pd.DataFrame, per_gram: np.ndarray) -> np.ndarray:
    """Dense ids 1..n and days 1..d: one bincount for the sums, one for the days."""
    person = records["person_id"].to_numpy() - 1
    day = records["day"].to_numpy() - 1
    weight = per_gram.take(records["food"].cat.codes.to_numpy()) * records["amount_g"].to_numpy()
    n, d = int(person.max()) + 1, int(day.max()) + 1
    total = np.bincount(person, weights=weight, minlength=n)
    days = (np.bincount(person * d + day, minlength=n * d).reshape(n, d) > 0).sum(axis=1)
    return total / days


def floor_reduceat(records: pd.DataFrame, per_gram: np.ndarray) -> np.ndarray:
    """Records sorted by person (and day within a person): np.add.reduceat over the runs."""
    person = records["person_id"].to_numpy()
    day = records["day"].to_numpy()
    weight = per_gram.take(records["food"].cat.codes.to_numpy()) * records["amount_g"].to_numpy()
    new_person = np.empty(len(person), dtype=bool)
    new_person[0] = True
    np.not_equal(person[1:], person[:-1], out=new_person[1:])
    new_day = new_person.copy()
    new_day[1:] |= day[1:] != day[:-1]
    starts = np.flatnonzero(new_person)
    total = np.add.reduceat(weight, starts)
    days = np.add.reduceat(new_day.astype(np.int64), starts)
    return total / days


def floor_every_column(records: pd.DataFrame, per_gram: np.ndarray) -> np.ndarray:
    """Records sorted by person and day: each column of ``per_gram`` summed per day."""
    person = records["person_id"].to_numpy()
    day = records["day"].to_numpy()
    codes = records["food"].cat.codes.to_numpy()
    grams = records["amount_g"].to_numpy()
    new_day = np.empty(len(person), dtype=bool)
    new_day[0] = True
    np.not_equal(person[1:], person[:-1], out=new_day[1:])
    new_day[1:] |= day[1:] != day[:-1]
    starts = np.flatnonzero(new_day)
    out = np.empty((per_gram.shape[1], len(starts)))
    weight = np.empty(len(grams))
    for j in range(per_gram.shape[1]):
        np.take(per_gram[:, j], codes, out=weight, mode="clip")
        weight *= grams
        np.add.reduceat(weight, starts, out=out[j])
    return out


def floor_polars(records: Any, per_gram: np.ndarray) -> np.ndarray:
    """polars: group by person, sum of weights over the number of distinct days."""
    import polars as pl

    weight = per_gram[records["food"].to_physical().to_numpy()] * records["amount_g"].to_numpy()
    frame = records.select("person_id", "day").with_columns(pl.Series("w", weight))
    out = (
        frame.group_by("person_id")
        .agg(pl.col("w").sum(), pl.col("day").n_unique())
        .sort("person_id")
    )
    return (out["w"] / out["day"]).to_numpy()


def best_time(fn: Callable[[], Any], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def peak_mib(fn: Callable[[], Any]) -> tuple[float, float]:
    """Peak traced memory of ``fn`` and what its result still holds at the end, in MiB."""
    gc.collect()
    tracemalloc.start()
    try:
        result = fn()
        kept, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    del result
    return peak / 2**20, kept / 2**20


def run(n: int, repeat: int) -> None:
    records, persons = example_cohort(n, seed=1)
    names = [str(c) for c in records["food"].cat.categories]
    per_gram = content_per_gram(names)
    input_mib = records.memory_usage(deep=True).sum() / 2**20
    expected = assess(records, persons, GUIDELINE).per_person["intake"].to_numpy()
    floors: dict[str, Callable[[], Any]] = {
        "numpy bincount": lambda: floor_bincount(records, per_gram),
        "numpy reduceat": lambda: floor_reduceat(records, per_gram),
    }
    try:
        import polars as pl

        # the food column as an Enum of the same categories: its physical codes are pandas'
        frame = pl.from_pandas(records.astype({"food": str})).with_columns(
            pl.col("food").cast(pl.Enum(names))
        )
        floors["polars group_by"] = lambda: floor_polars(frame, per_gram)
    except ImportError:  # pragma: no cover - polars is an optional benchmark dependency
        pass
    times: dict[str, float] = {}
    for name, fn in floors.items():
        got = fn()
        assert np.allclose(got, expected, rtol=1e-9, atol=1e-9), name  # the same numbers
        times[name] = best_time(fn, repeat)
    n_guidelines = len(_default_guidelines())
    measure = guidelines[GUIDELINE].measure
    assert measure is not None
    one_column = [measure.name]
    got = daily_intake(records, include=one_column)
    per_person = got.groupby("person_id", sort=True)[measure.name].mean().to_numpy()
    assert np.allclose(per_person, expected, rtol=1e-9, atol=1e-9)  # the same numbers
    times["daily_intake, one measure"] = best_time(
        lambda: daily_intake(records, include=one_column), repeat
    )
    every = daily_intake(records)
    columns = [c for c in every.columns if c not in ("person_id", "day")]
    per_gram_every = every_column_per_gram(records, columns)
    got_every = floor_every_column(records, per_gram_every)
    assert np.allclose(got_every, every[columns].to_numpy().T, rtol=1e-9, atol=1e-9)
    times[f"floor: {len(columns)} columns per day"] = best_time(
        lambda: floor_every_column(records, per_gram_every), repeat
    )
    times["daily_intake, every column"] = best_time(lambda: daily_intake(records), repeat)
    times["assess, one guideline"] = best_time(lambda: assess(records, persons, GUIDELINE), repeat)
    times[f"assess, {n_guidelines} guidelines + summary"] = best_time(
        lambda: assess(records, persons), repeat
    )
    peak, kept = peak_mib(lambda: assess(records, persons))
    floor = min(times[k] for k in floors)
    one = times["assess, one guideline"]
    every = times[f"assess, {n_guidelines} guidelines + summary"]
    print(f"\n{n:,} records, {len(persons):,} persons, input frame {input_mib:.1f} MiB")
    for name, t in times.items():
        print(f"  {name:<36} {t * 1e3:9.1f} ms   {t / floor:6.2f}x best floor")
    one_measure = times["daily_intake, one measure"] / floor
    print(f"  daily_intake (one measure) / best floor    {one_measure:6.2f}   (goal <= 2)")
    every_ratio = (
        times["daily_intake, every column"] / times[f"floor: {len(columns)} columns per day"]
    )
    print(f"  daily_intake (every column) / its floor    {every_ratio:6.2f}")
    print(f"  assess one / best floor                    {one / floor:6.2f}   (goal <= 3)")
    label = f"assess all / (one x {n_guidelines})"
    print(f"  {label:<42} {every / (one * n_guidelines):6.2f}   (goal <= 1.5)")
    print(f"  peak memory / input frame                  {peak / input_mib:6.2f}   (goal <= 3;"
          f" peak {peak:.1f} MiB; the per-person frame alone: {kept / input_mib:.2f})")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10**5, 10**6])
    parser.add_argument("--full", action="store_true", help="also 10^7 records")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--sample", type=int, default=0, help="(kept for old command lines)")
    args = parser.parse_args()
    sizes = list(args.sizes) + ([10**7] if args.full else [])
    records, persons = example_cohort(1_000)  # warm the lazy tables and pint
    assess(records, persons)
    for n in sizes:
        run(n, min(args.repeat, 3) if n >= 10**7 else args.repeat)


if __name__ == "__main__":
    main()
