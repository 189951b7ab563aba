"""Dask against pandas for ``assess`` on a LocalCluster, and glibc's malloc trim threshold.

distributed starts its workers with ``MALLOC_TRIM_THRESHOLD_=65536`` (the Dask config
``distributed.nanny.pre-spawn-environ``). Setting that variable turns off glibc's dynamic
mmap threshold, so every temporary array above 128 KiB is mapped and unmapped anew, and
the engine, which works on whole columns, pays page faults for each. This script times
``assess`` (every vitamin K guideline, summary included, computed with
``CohortResult.compute()``) with pandas, and on a LocalCluster of ``--workers`` processes
with distributed's default and with the variables that remove the penalty
(``MALLOC_MMAP_THRESHOLD_`` raised, so that glibc keeps such arrays on its heap); records
are indexed by person (``set_index``), so that no shuffle is timed. Best of ``--repeat``;
the machine is shared, so figures are noisy.
"""

from __future__ import annotations

import argparse
import time
from typing import Any

import dask
import dask.dataframe as dd
from distributed import Client, LocalCluster

from k2nutrition.cohort import assess, example_cohort


def best(fn: Any, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10**6)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--partitions", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    records, persons = example_cohort(args.records, seed=1)
    t_pandas = best(lambda: assess(records, persons), args.repeat)
    print(f"pandas: {t_pandas:.3f} s")
    # indexed by the person id, with known divisions: the engine needs no shuffle
    ddf = dd.from_pandas(
        records.set_index("person_id", drop=False), npartitions=args.partitions, sort=True
    )
    settings: dict[str, dict[str, Any]] = {
        "distributed default (MALLOC_TRIM_THRESHOLD_=65536)": {},
        "MALLOC_TRIM_THRESHOLD_ unset": {
            "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None
        },
        "MALLOC_MMAP_THRESHOLD_=2**26 as well": {
            "distributed.nanny.pre-spawn-environ.MALLOC_MMAP_THRESHOLD_": 2**26
        },
    }
    for name, config in settings.items():
        with (
            dask.config.set(config),
            LocalCluster(
                n_workers=args.workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=":0",
            ) as cluster,
            Client(cluster) as client,
        ):
            client.scatter(persons, broadcast=True)
            result = assess(ddf, persons)
            result.compute()  # warm the workers (imports, the food table)
            t = best(result.compute, args.repeat)
        print(f"{name}: {t:.3f} s, Dask/pandas {t / t_pandas:.2f}")


if __name__ == "__main__":
    main()
