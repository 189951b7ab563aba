"""Benchmark of k2nutrition.fdc.load against the obvious pandas alternatives, in one run.

It writes an FDC-like CSV download to a temporary folder: ``food_nutrient.csv`` with
``--rows`` rows (default 10^7), every field quoted as FDC writes them, 40 nutrient rows per
food; phylloquinone for 1 food in 5, menaquinone-4 and dihydrophylloquinone for 1 in 10
each (on other foods than phylloquinone, so that 2 foods in 5 get a record), so that 1% of
the rows are vitamin K (most rows are other nutrients, as in real downloads); plus the
matching ``food.csv`` and ``nutrient.csv``. The share of vitamin K rows is printed. Then it
times:

- ``load``: ``k2nutrition.fdc.load(folder)`` (report, line numbers, and the table, whose
  name index and records are made on first use);
- ``lookup``: ``load``, then one lookup by name (which indexes the table's names);
- ``records``: ``load``, then every record built (``list(result.table)``);
- ``pandas``: ``pandas.read_csv`` of the whole ``food_nutrient.csv``, then keeping the
  vitamin K nutrient ids and joining ``food.csv``: the obvious alternative (no records,
  no report);
- ``chunks``: the same with ``usecols`` and ``chunksize`` (10^6 rows), filtering each chunk;
- ``polars`` (the floor): ``polars.scan_csv(...).filter(...).collect(engine="streaming")`` of
  the vitamin K rows of ``food_nutrient.csv`` (three columns; no food.csv, records or report);
- ``pyarrow``: pyarrow's streaming CSV reader (one thread, 2 MiB blocks) keeping the
  vitamin K rows of ``food_nutrient.csv`` with ``is_in``: the library ``load`` is built on
  (``load`` parses pieces of the file with pyarrow on two threads).

Timings on a shared machine are noisy: run with ``--repeat 3`` for the best of three
(the approaches are run in turn, round after round, so that each shares the machine's
load with the others). For each it prints the wall time (best of ``--repeat``, each in a
fresh process, after an untimed run on a 1,000-row download so that first-use costs such
as building the unit registry are left out), the peak resident memory of that process
(``ru_maxrss``, interpreter and imports included; the baseline of a process that only
imports is printed too), the peak traced memory (``tracemalloc``, in another fresh
process), and the ratios of ``load``, ``lookup`` and ``records`` to each of the others.

Run ``python benchmarks/bench_fdc.py`` or ``--rows 1000000`` for a quick run.
"""

from __future__ import annotations

import argparse
import gc
import math
import multiprocessing
import resource
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import pandas as pd

from k2nutrition import fdc

ROWS_PER_FOOD = 40
FIRST_FDC_ID = 300_000
# Real FDC nutrient ids of other nutrients (protein, fat, minerals, vitamins, ...).
OTHER_NUTRIENTS = (
    1003, 1004, 1005, 1008, 1051, 1079, 1087, 1089, 1090, 1091, 1092, 1093, 1095, 1098,
    1101, 1103, 1104, 1106, 1109, 1110, 1114, 1162, 1165, 1166, 1167, 1170, 1175, 1177,
    1178, 1180, 1190, 1253, 1257, 1258, 1292, 1293, 2000, 1009, 1018, 1057,
)  # fmt: skip
VITAMIN_K = (1185, 1183, 1184)
REST = ',"3","1"' + ',""' * 5 + "\n"  # data_points ... min_year_acquired


def write_download(folder: Path, rows: int) -> int:
    """Write food.csv, nutrient.csv and food_nutrient.csv; return the vitamin K rows."""
    folder.mkdir(parents=True)
    n_foods = -(-rows // ROWS_PER_FOOD)
    with (folder / "nutrient.csv").open("w", encoding="utf-8", newline="") as f:
        f.write('"id","name","unit_name","nutrient_nbr","rank"\n')
        for n in fdc.NUTRIENTS.values():
            f.write(f'"{n.id}","{n.name}","UG","{n.nutrient_nbr}.0","8800.0"\n')
        for i in OTHER_NUTRIENTS:
            f.write(f'"{i}","Nutrient {i}","MG","{i - 800}.0","1000.0"\n')
    with (folder / "food.csv").open("w", encoding="utf-8", newline="") as f:
        f.write('"fdc_id","data_type","description","food_category_id","publication_date"\n')
        f.writelines(
            f'"{FIRST_FDC_ID + k}","sr_legacy_food","Food number {k}, raw","{k % 25}",'
            '"2019-04-01"\n'
            for k in range(n_foods)
        )
    amounts = [f"{(k * 7919) % 100_000 / 100:.2f}" for k in range(997)]
    written = vitamin_k = 0
    with (folder / "food_nutrient.csv").open("w", encoding="utf-8", newline="") as f:
        f.write(
            '"id","fdc_id","nutrient_id","amount","data_points","derivation_id","min","max",'
            '"median","footnote","min_year_acquired"\n'
        )
        for k in range(n_foods):
            nutrients = list(OTHER_NUTRIENTS[:ROWS_PER_FOOD])
            if k % 5 == 0:
                nutrients[-1] = 1185
            if k % 10 == 1:
                nutrients[-2] = 1183
            if k % 10 == 2:
                nutrients[-3] = 1184
            count = min(ROWS_PER_FOOD, rows - written)
            vitamin_k += sum(n in VITAMIN_K for n in nutrients[:count])
            fdc_id = FIRST_FDC_ID + k
            f.write(
                "".join(
                    f'"{10_000_000 + written + j}","{fdc_id}","{nutrients[j]}",'
                    f'"{amounts[(written + j) % 997]}"{REST}'
                    for j in range(count)
                )
            )
            written += count
    return vitamin_k


def run_load(folder: Path) -> int:
    return fdc.load(folder).report.rows_kept


def run_lookup(folder: Path) -> int:
    result = fdc.load(folder)
    first = next(iter(result.foods.values()))
    return len(result.table[f"{first.description} (FDC {first.fdc_id})"].values)


def run_records(folder: Path) -> int:
    return sum(len(f.values) for f in fdc.load(folder).table)


def run_pandas(folder: Path) -> int:
    frame = pd.read_csv(folder / "food_nutrient.csv")
    kept = frame[frame["nutrient_id"].isin(VITAMIN_K)]
    food = pd.read_csv(folder / "food.csv", usecols=["fdc_id", "data_type", "description"])
    return len(kept.merge(food, on="fdc_id", how="inner"))


def run_chunks(folder: Path) -> int:
    parts = [
        chunk[chunk["nutrient_id"].isin(VITAMIN_K)]
        for chunk in pd.read_csv(
            folder / "food_nutrient.csv",
            usecols=["fdc_id", "nutrient_id", "amount"],
            chunksize=1_000_000,
        )
    ]
    kept = pd.concat(parts)
    food = pd.read_csv(folder / "food.csv", usecols=["fdc_id", "data_type", "description"])
    return len(kept.merge(food, on="fdc_id", how="inner"))


def run_polars(folder: Path) -> int:
    import polars as pl

    types = {"fdc_id": pl.Int64, "nutrient_id": pl.Int64, "amount": pl.String}
    frame = (
        pl.scan_csv(folder / "food_nutrient.csv", schema_overrides=types)
        .select("fdc_id", "nutrient_id", "amount")
        .filter(pl.col("nutrient_id").is_in(VITAMIN_K))
        .collect(engine="streaming")
    )
    return frame.height


def run_pyarrow(folder: Path) -> int:
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv

    columns = ["fdc_id", "nutrient_id", "amount"]
    reader = pacsv.open_csv(
        folder / "food_nutrient.csv",
        read_options=pacsv.ReadOptions(use_threads=False, block_size=1 << 21),
        convert_options=pacsv.ConvertOptions(
            include_columns=columns, column_types=dict.fromkeys(columns, pa.binary())
        ),
    )
    ids = pa.array([str(i).encode() for i in VITAMIN_K], pa.binary())
    return sum(b.filter(pc.is_in(b.column(1), value_set=ids)).num_rows for b in reader)


APPROACHES: dict[str, Callable[[Path], int]] = {
    "load": run_load,
    "lookup": run_lookup,
    "records": run_records,
    "pandas": run_pandas,
    "chunks": run_chunks,
    "polars": run_polars,
    "pyarrow": run_pyarrow,
}


class Measure(NamedTuple):
    seconds: float
    peak_rss_mib: float  # ru_maxrss of the process
    peak_traced_mib: float  # tracemalloc peak, when traced
    result: int


def _child(name: str, folder: str, warmup: str, traced: bool, queue: Any) -> None:
    if name != "baseline":  # first use of the libraries (unit registry, parsers) off the clock
        APPROACHES[name](Path(warmup))
    gc.collect()
    if traced:
        tracemalloc.start()
    start = time.perf_counter()
    result = APPROACHES[name](Path(folder)) if name != "baseline" else 0
    elapsed = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1] / 2**20 if traced else math.nan
    rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    queue.put(Measure(elapsed, rss_mib, peak, result))


def in_fresh_process(name: str, folder: Path, warmup: Path, *, traced: bool = False) -> Measure:
    """Run one approach in a new interpreter, after an untimed run on ``warmup``.

    Every measurement runs in its own process, started while this one is small: Linux
    keeps a process's peak RSS across fork and exec, so a child started by a process that
    once held a large frame would report that frame's size.
    """
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_child, args=(name, str(folder), str(warmup), traced, queue))
    process.start()
    out = queue.get()
    process.join()
    if process.exitcode != 0:
        raise RuntimeError(f"{name} failed with exit code {process.exitcode}")
    return out  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10**7, help="rows of food_nutrient.csv")
    parser.add_argument("--repeat", type=int, default=1, help="timed runs of each approach")
    parser.add_argument("--skip", nargs="*", default=[], choices=list(APPROACHES))
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        folder = Path(tmp) / "FoodData_Central_csv_2024-10-31"
        vitamin_k = write_download(folder, args.rows)
        warmup = Path(tmp) / "warmup"
        write_download(warmup, 1000)
        size = (folder / "food_nutrient.csv").stat().st_size
        print(
            f"food_nutrient.csv: {args.rows:,} rows, {size / 2**20:,.0f} MiB, "
            f"{vitamin_k:,} of vitamin K ({vitamin_k / args.rows:.2%}) "
            f"(written in {time.perf_counter() - start:.1f} s); "
            f"food.csv: {(folder / 'food.csv').stat().st_size / 2**20:,.1f} MiB"
        )
        print(f"python {sys.version.split()[0]}, pandas {pd.__version__}")
        baseline_rss = in_fresh_process("baseline", folder, warmup).peak_rss_mib
        print(f"baseline process (imports only): peak RSS {baseline_rss:,.0f} MiB")
        results: dict[str, tuple[float, float, float]] = {}
        names = [name for name in APPROACHES if name not in args.skip]
        rounds = [
            {n: in_fresh_process(n, folder, warmup) for n in names} for _ in range(args.repeat)
        ]
        for name in names:  # the runs went round by round, so that each floor shares the noise
            runs = [done[name] for done in rounds]
            seconds = min(r.seconds for r in runs)
            rss = max(r.peak_rss_mib for r in runs)
            kept = runs[0].result
            traced = in_fresh_process(name, folder, warmup, traced=True).peak_traced_mib
            results[name] = (seconds, rss, traced)
            print(
                f"{name:>7}: {seconds:7.2f} s  {args.rows / seconds / 1e6:6.2f} M rows/s  "
                f"peak RSS {rss:8,.0f} MiB  peak traced {traced:8,.1f} MiB  "
                f"({kept:,} vitamin K rows)"
            )
        ours = [n for n in ("load", "lookup", "records") if n in results]
        for mine in ours:
            base = results[mine]
            for name, (seconds, rss, traced) in results.items():
                if name in ours:
                    continue
                print(
                    f"{mine}/{name}: time x{base[0] / seconds:.2f}, "
                    f"peak RSS x{base[1] / rss:.2f}, peak traced x{base[2] / traced:.1f}"
                )


if __name__ == "__main__":
    main()
