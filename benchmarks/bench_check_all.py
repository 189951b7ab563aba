"""Benchmark of ``check_all`` against one ``check()`` on the same diet (warm).

``check_all`` checks 13 guidelines; the diet's intake is worked out once per call, so the
goal is ``check_all`` at most 4x one ``check()``. Prints the best of ``--repeat`` timings
of ``--number`` calls each; the machine's load makes single figures noisy.
"""

from __future__ import annotations

import argparse
import timeit

import k2nutrition as k2


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--number", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    diet = k2.Diet(
        [
            k2.Portion("natto", "40 g", per="2/week"),
            k2.Portion("hard cheese", "30 g"),
            k2.Supplement("MK-7", "90 µg"),
        ]
    )
    person = k2.Person(age=55, sex="female")
    n_guidelines = len(k2.check_all(diet, person))

    def best(fn: object) -> float:
        times = timeit.repeat(fn, number=args.number, repeat=args.repeat)  # type: ignore[arg-type]
        return min(times) / args.number

    one = best(lambda: k2.check(diet, person, "iom-2001"))
    every = best(lambda: k2.check_all(diet, person))
    print(f"check():     {one * 1e3:8.3f} ms")
    print(f"check_all(): {every * 1e3:8.3f} ms for {n_guidelines} guidelines")
    print(f"ratio:       {every / one:8.1f} (goal: at most 4)")


if __name__ == "__main__":
    main()
