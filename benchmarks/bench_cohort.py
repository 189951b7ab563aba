"""Benchmark of k2nutrition.cohort.assess against the obvious alternatives, in one run.

For each size it prints the time and peak traced memory of:

- ``assess``: ``k2nutrition.cohort.assess`` over every vitamin K adequacy guideline
  (per-person intakes, targets, statuses and the summary);
- ``floor``: a hand-written pandas merge + groupby computing the same per-person mean daily
  intakes (no targets or statuses): the least any pandas implementation has to do;
- ``naive``: ``Diet`` + ``check()`` per person, timed on a sample of people and
  extrapolated to the whole cohort;

and the ratios assess/floor and naive/assess. Wall times are the best of ``--repeat``
runs; memory is measured in a separate run under ``tracemalloc`` (numpy and pandas report
their buffers to it).

Run ``python benchmarks/bench_cohort.py`` (10^4 to 10^6 records) or add ``--full`` for
10^7, or ``--sizes 10000`` for a quick run.
"""

from __future__ import annotations

import argparse
import gc
import time
import tracemalloc
from collections.abc import Callable
from functools import partial
from typing import Any

import numpy as np
import pandas as pd

from k2nutrition import Diet, Person, Portion, Supplement, check, foods
from k2nutrition.cohort import assess, example_cohort
from k2nutrition.measures import MEASURES


def floor(records: pd.DataFrame, persons: pd.DataFrame) -> pd.DataFrame:
    """Per-person mean daily intake of every component, written by hand in pandas."""
    names = list(records["food"].cat.categories)
    rows: dict[str, dict[str, float]] = {}
    for name in names:
        if name == "MK-7":
            rows[name] = {"MK-7": 1e6}
            continue
        f = foods[name]
        row = {v.label: float(m) / 100 for v, m in f.content.magnitudes().items()}
        row.update({p.value: float(q.magnitude) / 100 for p, q in f.content.pools.items()})
        rows[name] = row
    content = pd.DataFrame.from_dict(rows, orient="index").fillna(0.0)
    merged = records.merge(content, left_on="food", right_index=True, how="left")
    merged[content.columns] = merged[content.columns].mul(merged["amount_g"], axis=0)
    per_day = merged.groupby(["person_id", "day"], observed=True)[list(content.columns)].sum()
    per_person = per_day.groupby(level="person_id").mean()
    for name, m in MEASURES.items():
        weights = {v.label: w for v, w in m.weights.items() if v.label in per_person.columns}
        pools = [p.value for p in m.pools if p.value in per_person.columns]
        per_person[name] = per_person[list(weights)].mul(pd.Series(weights)).sum(axis=1)
        if pools:
            per_person[name] += per_person[pools].sum(axis=1)
    return per_person


def naive_per_person(records: pd.DataFrame, persons: pd.DataFrame, sample: int) -> float:
    """Seconds per person for Diet + check() over every guideline, on a sample."""
    ids = persons["person_id"].to_numpy()[:sample]
    chosen = set(ids)
    subset = records[records["person_id"].isin(chosen)]
    by_person = dict(tuple(subset.groupby("person_id", observed=True)))
    guideline_ids = list(
        assess(subset, persons[persons["person_id"].isin(chosen)])
        .per_person["guideline"]
        .cat.categories
    )
    start = time.perf_counter()
    for _, row in persons[persons["person_id"].isin(chosen)].iterrows():
        rec = by_person[row["person_id"]]
        days = rec["day"].nunique()
        items: list[Portion | Supplement] = []
        for food, grams in zip(rec["food"].astype(str), rec["amount_g"], strict=True):
            if food == "MK-7":
                items.append(Supplement("MK-7", f"{grams * 1e6!r} µg", per=f"1/{days} days"))
            else:
                items.append(Portion(food, f"{grams!r} g", per=f"1/{days} days"))
        weight = row["body_weight_kg"]
        person = Person(
            age=float(row["age"]),
            sex=row["sex"],
            pregnant=bool(row["pregnant"]),
            lactating=bool(row["lactating"]),
            body_weight=None if np.isnan(weight) else f"{weight!r} kg",
        )
        diet = Diet(items)
        for gid in guideline_ids:
            check(diet, person, gid)
    return (time.perf_counter() - start) / len(ids)


def best_time(fn: Callable[[], Any], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def peak_mib(fn: Callable[[], Any]) -> float:
    gc.collect()
    tracemalloc.start()
    try:
        fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10**4, 10**5, 10**6])
    parser.add_argument("--full", action="store_true", help="also 10^7 records")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sample", type=int, default=100, help="people timed on the naive path")
    args = parser.parse_args()
    sizes = list(args.sizes) + ([10**7] if args.full else [])

    # warm the lazy tables and pint's registry outside the timings
    records, persons = example_cohort(1_000)
    assess(records, persons)

    header = (
        f"{'records':>10} {'persons':>9} | {'assess s':>9} {'MiB':>7} | {'floor s':>8} {'MiB':>7}"
        f" | {'naive s (extrap.)':>17} | {'assess/floor':>12} {'naive/assess':>12}"
        f" | {'input MiB':>9} {'peak/input':>10}"
    )
    print(header)
    print("-" * len(header))
    for n in sizes:
        records, persons = example_cohort(n, seed=1)
        input_mib = records.memory_usage(deep=True).sum() / 2**20
        repeat = 1 if n >= 10**7 else args.repeat
        run_assess = partial(assess, records, persons)
        run_floor = partial(floor, records, persons)
        t_assess = best_time(run_assess, repeat)
        t_floor = best_time(run_floor, repeat)
        m_assess = peak_mib(run_assess)
        m_floor = peak_mib(run_floor)
        per_person = naive_per_person(records, persons, min(args.sample, len(persons)))
        t_naive = per_person * len(persons)
        print(
            f"{n:>10,} {len(persons):>9,} | {t_assess:>9.3f} {m_assess:>7.1f} | {t_floor:>8.3f}"
            f" {m_floor:>7.1f} | {t_naive:>17.1f} | {t_assess / t_floor:>12.2f}"
            f" {t_naive / t_assess:>12.0f} | {input_mib:>9.1f} {m_assess / input_mib:>10.2f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
