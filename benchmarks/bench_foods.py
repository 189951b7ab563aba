"""Benchmark of the built-in food table: import, first lookup, warm lookup, search, misses.

Each timing of a first use runs in a fresh Python process (``subprocess``), so that
nothing is cached; the best of ``--repeat`` runs is kept (the minimum is the least noisy
figure on a shared machine; timings here are noisy, read the ratios). It prints:

- ``import k2nutrition``: the package import alone (it reads no data and builds no
  registry);
- ``pint baseline``: ``import pint`` plus ``pint.UnitRegistry()``, in the same run;
- ``first foods["kale"]``: ``import k2nutrition`` and the first lookup, which imports
  pint, builds the registry, reads the data files and indexes every name; and its ratio
  to the pint baseline (the goal is at most 1.5);
- ``warm lookup``: ``foods["kale"]`` again (mean over many calls, in µs);
- ``search``: ``foods.search("kale")``, warm;
- ``did you mean``: a miss (``foods["kael"]``) with its suggestions, by rapidfuzz (what
  the library uses) and by :func:`difflib.get_close_matches` over the same names.

Run ``python benchmarks/bench_foods.py`` from the repository root (``PYTHONPATH=src`` if
the package is not installed).
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

SRC = str(Path(__file__).resolve().parents[1] / "src")

_CHILD = {
    "import": "import k2nutrition",
    "pint": "import pint\npint.UnitRegistry()",
    "first": "import k2nutrition\nk2nutrition.foods[{food!r}]",
}


def fresh(what: str, repeat: int, food: str = "kale") -> float:
    """Return the best wall time, in ms, of ``what`` in a fresh process."""
    code = (
        "import time\nt0 = time.perf_counter()\n"
        + _CHILD[what].format(food=food)
        + "\nprint((time.perf_counter() - t0) * 1000)"
    )
    env = {**os.environ, "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", "")}
    best = float("inf")
    for _ in range(repeat):
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
        )
        best = min(best, float(out.stdout.strip()))
    return best


def per_call(fn: Callable[[], object], calls: int) -> float:
    """Return the best mean time of one call of ``fn``, in µs, over 5 rounds."""
    best = float("inf")
    for _ in range(5):
        t0 = time.perf_counter()
        for _ in range(calls):
            fn()
        best = min(best, (time.perf_counter() - t0) / calls * 1e6)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--repeat", type=int, default=7, help="fresh processes per timing")
    parser.add_argument("--food", default="kale", help="the name looked up")
    args = parser.parse_args()
    food = args.food

    imp = fresh("import", args.repeat)
    base = fresh("pint", args.repeat)
    first = fresh("first", args.repeat, food)
    print(f"import k2nutrition            {imp:8.1f} ms   (goal < 30 ms)")
    print(f"pint baseline                 {base:8.1f} ms   (import pint + UnitRegistry())")
    print(f"first foods[{food!r}]{'':<{17 - len(food)}}{first:8.1f} ms   ratio {first / base:.2f}")
    print("                                           (goal <= 1.5)")

    sys.path.insert(0, SRC)
    from rapidfuzz import fuzz, process

    from k2nutrition import UnknownFoodError, foods
    from k2nutrition.food import fold_name

    foods[food]
    warm = per_call(lambda: foods[food], 20000)
    search = per_call(lambda: foods.search("kale"), 5) / 1000
    print(f"warm lookup                   {warm:8.2f} µs   (goal < 50 µs)")
    print(f"foods.search('kale')          {search:8.2f} ms")
    print("  first hits:", ", ".join(f.name for f in foods.search("kale", limit=4)))

    def miss() -> None:
        with contextlib.suppress(UnknownFoodError):
            foods["kael"]

    names = list(foods._index.get().by_key)
    query = fold_name("kael")
    fuzzy = per_call(
        lambda: process.extract(query, names, scorer=fuzz.ratio, limit=9, score_cutoff=60), 20
    )
    plain = per_call(lambda: difflib.get_close_matches(query, names, n=9, cutoff=0.6), 3)
    print(f"names to suggest from         {len(names):8d}")
    print(f"did you mean: foods['kael']   {per_call(miss, 20) / 1000:8.2f} ms   (rapidfuzz)")
    print(f"  rapidfuzz extract           {fuzzy / 1000:8.2f} ms")
    print(f"  difflib get_close_matches   {plain / 1000:8.2f} ms   ratio {plain / fuzzy:.0f}x")
    try:
        foods["kael"]
    except UnknownFoodError as exc:
        print("  ", exc)


if __name__ == "__main__":
    main()
