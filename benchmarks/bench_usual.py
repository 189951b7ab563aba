"""Benchmark of k2nutrition.usual.usual_intake on simulated cohorts with two days each.

For each size it prints the wall time of:

- ``simulate``: making the records (not part of an analysis);
- ``data``: the cohort engine's steps that ``usual_intake`` runs (``daily_intake`` for
  per-person-day totals and ``assess`` for targets and life stages);
- ``usual``: ``usual_intake`` as a whole, for the Chinese osteoporosis handbook
  (menaquinones: the episodic model) and EFSA 2017 (phylloquinone: the amount-only model);
- ``model``: ``usual - data``: choice of the Box-Cox lambda, the model fits, the Monte
  Carlo back-transformation and the summaries;

and, on a subsample, the amount-only model with the ANOVA estimator against
``statsmodels.MixedLM`` (REML), which is what decided the default. Times are the best of
``--repeat`` runs on a shared machine, so they are noisy; compare ratios.

Run ``python benchmarks/bench_usual.py`` (10^4 and 10^5 people) or ``--sizes 2000`` for a
quick run.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import Any

from k2nutrition import cohort
from k2nutrition.usual import simulate, usual_intake

GUIDELINES = ["china-osteoporosis-2013", "efsa-2017"]


def best(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--mixedlm-people", type=int, default=5_000)
    args = parser.parse_args()
    print(f"{'people':>8} {'records':>9} {'simulate':>9} {'data':>7} {'usual':>7} {'model':>7}")
    for n in args.sizes:
        t_sim, sim = best(lambda n=n: simulate(n, seed=1), 1)
        t_data, _ = best(
            lambda sim=sim: (
                cohort.daily_intake(sim.records),
                cohort.assess(sim.records, sim.persons, GUIDELINES),
            ),
            args.repeat,
        )
        t_usual, result = best(
            lambda sim=sim: usual_intake(sim.records, sim.persons, GUIDELINES), args.repeat
        )
        print(
            f"{n:>8} {len(sim.records):>9} {t_sim:>8.2f}s {t_data:>6.2f}s {t_usual:>6.2f}s "
            f"{t_usual - t_data:>6.2f}s"
        )
    n = args.mixedlm_people
    sim = simulate(n, seed=2)
    print(f"\namount-only model (efsa-2017), {n} people with two days each:")
    for fit in ("moments", "mixedlm"):
        t, result = best(
            lambda fit=fit: usual_intake(sim.records, sim.persons, ["efsa-2017"], fit=fit), 1
        )
        row = result.models.iloc[0]
        p50 = result.percentiles["p50_ug_per_day"].iloc[0]
        print(
            f"  {fit:>8}: {t:6.2f}s  var_between {row['var_between']:.4g}  "
            f"var_within {row['var_within']:.4g}  p50 of first group {p50:.1f} µg/day"
        )


if __name__ == "__main__":
    main()
