"""The ``k2nutrition`` command: check a diet against the guidelines, list foods and guidelines.

Examples
--------
.. code-block:: console

    $ k2nutrition check "natto 40 g 2/week" "hard cheese 30 g" "MK-7 90 µg" --age 55 --sex female
    $ k2nutrition check "spinach 50 g" --age 30 --sex male --guideline efsa-2017 --json
    $ k2nutrition foods cheese
    $ k2nutrition guidelines
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Sequence
from typing import TextIO

from k2nutrition._version import __version__
from k2nutrition.errors import K2NutritionError, MissingDependencyError

__all__ = ["main", "parse_item"]

_ITEM = re.compile(
    r"^(?P<name>.+?)\s+(?P<amount>[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?\s*[^\s\d./][^\s]*)"
    r"(?:\s+(?P<per>.+))?$",
    re.IGNORECASE,
)


class ItemError(K2NutritionError, ValueError):
    """A diet item on the command line that cannot be read."""


def parse_item(text: str) -> object:
    """Read one command-line item: ``"natto 40 g 2/week"``, ``"MK-7 90 µg"``, ...

    The name comes first, then the amount with its unit, then an optional frequency
    (daily when left out). A name that is a vitamer, ``calcium`` or ``vitamin D`` makes a
    supplement; any other name is looked up in the food table.

    Examples
    --------
    >>> parse_item("natto 40 g 2/week")
    Portion(food=Food('natto-kamao-2007', ...), amount=<Quantity(40, 'gram')>, per='2/week', ...)
    >>> parse_item("vitamin D 1000 IU")
    Supplement(nutrient='vitamin D', dose=<Quantity(25.0, 'microgram')>, per='daily', ...)
    """
    from k2nutrition.errors import UnknownVitamerError
    from k2nutrition.intake import Portion, Supplement, _nutrient

    match = _ITEM.match(" ".join(text.split()))
    if not match:
        raise ItemError(
            f"item {text!r}: write the name, the amount with a unit, and optionally how often, "
            "e.g. 'natto 40 g 2/week' or 'MK-7 90 µg'"
        )
    name, amount, per = match.group("name"), match.group("amount"), match.group("per") or "daily"
    try:
        _nutrient(name)
    except UnknownVitamerError:
        return Portion(name, amount, per=per)
    return Supplement(name, amount, per=per)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="k2nutrition",
        description="Vitamin K (K1 and K2) intake against published guidelines. "
        "Informational only, not medical advice.",
    )
    parser.add_argument("--version", action="version", version=f"k2nutrition {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    check = sub.add_parser("check", help="check a diet against the guidelines")
    check.add_argument(
        "items",
        nargs="+",
        metavar="ITEM",
        help="'FOOD AMOUNT [FREQUENCY]' or 'NUTRIENT DOSE [FREQUENCY]', "
        "e.g. 'natto 40 g 2/week', 'MK-7 90 µg', 'vitamin D 1000 IU'",
    )
    check.add_argument("--age", required=True, help="years, or a time such as '7 months'")
    check.add_argument("--sex", required=True, choices=["female", "male"])
    check.add_argument("--pregnant", action="store_true")
    check.add_argument("--lactating", action="store_true")
    check.add_argument("--trimester", type=int, choices=[1, 2, 3])
    check.add_argument("--weight", help="body weight, e.g. '62 kg'")
    check.add_argument(
        "--anticoagulant", action="store_true", help="takes a vitamin K antagonist (warfarin)"
    )
    check.add_argument("--guideline", metavar="ID", help="check one guideline only")
    check.add_argument("--json", action="store_true", help="machine-readable output")

    foods = sub.add_parser("foods", help="list foods and their vitamin K content")
    foods.add_argument("query", nargs="?", help="part of a name, in any language")
    foods.add_argument("--json", action="store_true")

    cohort = sub.add_parser(
        "cohort", help="assess many people from CSV food records (streams large files)"
    )
    cohort.add_argument("records", help="CSV: person_id, day, food, amount_g (or amount, unit)")
    cohort.add_argument("persons", help="CSV: person_id, age, sex[, pregnant, lactating, ...]")
    cohort.add_argument("-o", "--output", required=True, help="CSV file for per-person results")
    cohort.add_argument(
        "--guideline", action="append", metavar="ID", help="a guideline (repeatable); default all"
    )
    cohort.add_argument(
        "--report-rejected",
        action="store_true",
        help="leave unusable records out and list them, instead of stopping",
    )
    cohort.add_argument("--chunksize", type=int, default=1_000_000, help="records per chunk")
    cohort.add_argument("--quiet", action="store_true", help="no progress bar")

    guidelines = sub.add_parser("guidelines", help="list the guidelines")
    guidelines.add_argument("--nutrient", help="vitamin_k, vitamin_k2, mk7, calcium, ...")
    guidelines.add_argument("--json", action="store_true")
    return parser


def _age(text: str) -> float | str:
    try:
        return float(text)
    except ValueError:
        return text


def _table(rows: list[list[str]], out: TextIO) -> None:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for n, row in enumerate(rows):
        out.write("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
        out.write("\n")
        if n == 0:
            out.write("  ".join("-" * w for w in widths) + "\n")


def _run_check(args: argparse.Namespace, out: TextIO) -> None:
    from k2nutrition.checks import DISCLAIMER, CheckReport, check, check_all
    from k2nutrition.intake import Diet
    from k2nutrition.people import Person

    person = Person(
        age=_age(args.age),
        sex=args.sex,
        pregnant=args.pregnant,
        lactating=args.lactating,
        body_weight=args.weight,
        on_anticoagulant=args.anticoagulant,
        trimester=args.trimester,
    )
    diet = Diet([parse_item(i) for i in args.items])  # type: ignore[misc]
    if args.guideline:
        report = CheckReport((check(diet, person, args.guideline),), (DISCLAIMER,))
    else:
        report = check_all(diet, person)
    if args.json:
        payload = {
            "person": person.life_stage,
            "items": [str(i) for i in diet],
            "vitamin_k_per_day": {
                v.label: round(float(m), 6) for v, m in diet.vitamin_k.magnitudes().items()
            },
            "assessments": [a.as_dict() for a in report],
            "notes": list(report.notes),
        }
        json.dump(payload, out, ensure_ascii=False, indent=2)
        out.write("\n")
        return
    out.write(f"Person: {person.life_stage}\n")
    out.write("Diet (average per day): ")
    out.write(", ".join(f"{v.label} {m:.4g} µg" for v, m in diet.vitamin_k.magnitudes().items()))
    pools = diet.vitamin_k.pools
    if pools:
        out.write(", " + ", ".join(f"{p.value} {q.magnitude:.4g} µg" for p, q in pools.items()))
    out.write("\n\n")
    rows = [["guideline", "counts", "intake/day", "target", "status", "source (confidence)"]]
    for a in report:
        g = a.guideline
        counts = g.measure.name if g.measure else g.nutrient
        rows.append(
            [
                g.id,
                counts,
                f"{a.intake.magnitude:.4g} {a.intake.units:~P}",
                a.target.describe() if a.target else "-",
                str(a.status),
                f"{g.source.id} ({a.target.confidence if a.target else g.confidence})",
            ]
        )
    _table(rows, out)
    out.write("\nNotes:\n")
    for a in report:
        for note in a.notes:
            out.write(f"  [{a.guideline.id}] {note}\n")
    for note in report.notes:
        out.write(f"  {note}\n")
    out.write("\nSources:\n")
    for source in dict.fromkeys(a.guideline.source for a in report):
        out.write(f"  {source.id}: {source.citation}\n")


class _Progress:
    """A one-line progress bar on a terminal's standard error; silent otherwise."""

    def __init__(self, total: int, *, enabled: bool) -> None:
        self.total = max(total, 1)
        self.enabled = enabled and sys.stderr.isatty()

    def update(self, done: int, records: int) -> None:
        if not self.enabled:
            return
        share = min(done / self.total, 1.0)
        bar = "#" * int(share * 30)
        sys.stderr.write(f"\r[{bar:<30}] {share:4.0%}  {records:,} records")
        sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\n")


def _run_cohort(args: argparse.Namespace, out: TextIO) -> None:
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover - depends on the environment
        raise MissingDependencyError("the cohort command", "pandas", "pandas") from None
    from k2nutrition.cohort import CohortError, Errors, _assess_daily, _chosen, _columns, _daily
    from k2nutrition.food import foods

    if args.chunksize < 1:
        raise CohortError("--chunksize must be at least 1")
    errors: Errors = "report" if args.report_rejected else "raise"
    chosen = _chosen(args.guideline)
    try:
        persons = pd.read_csv(args.persons)
        size = os.path.getsize(args.records)
        progress = _Progress(size, enabled=not args.quiet)
        dailies, rejected, count = [], [], 0
        with open(args.records, encoding="utf-8", newline="") as handle:
            reader = pd.read_csv(handle, chunksize=args.chunksize)
            for chunk in reader:
                cols = _columns(chunk, {})
                daily = _daily(chunk, foods, cols, errors)
                rejected.append(daily.attrs.pop("rejected"))
                dailies.append(daily)
                count += len(chunk)
                progress.update(handle.tell(), count)
        progress.close()
    except (OSError, ValueError, pd.errors.ParserError) as exc:
        if isinstance(exc, K2NutritionError):
            raise
        raise CohortError(f"cannot read the input: {exc}") from None
    if not dailies:
        raise CohortError(f"{args.records} holds no records")
    daily = pd.concat(dailies, ignore_index=True)
    # a person's day may straddle two chunks: add those partial sums together
    daily = daily.groupby(["person_id", "day"], sort=False, as_index=False).sum()
    result = _assess_daily(
        daily, persons, chosen, {}, errors, rejected=pd.concat(rejected, ignore_index=True)
    )
    result.per_person.to_csv(args.output, index=False)
    out.write(f"{count:,} records, {len(persons):,} persons; results in {args.output}\n")
    if len(result.rejected):
        out.write(f"{len(result.rejected):,} records or persons left out (first ones below)\n")
        for row, why in result.rejected.head(10).itertuples(index=False):
            out.write(f"  {row}: {why}\n")
    out.write("\n")
    summary = result.summary
    rows = [["guideline", "sex", "life stage", "people", "at/above", "p5", "p50", "p95"]]
    for r in summary.itertuples(index=False):
        rows.append(
            [
                str(r.guideline),
                str(r.sex),
                str(r.life_stage),
                f"{r.people:,}",
                f"{r.share_at_or_above:.0%}",
                f"{r.p5:.0f}",
                f"{r.p50:.0f}",
                f"{r.p95:.0f}",
            ]
        )
    _table(rows, out)
    out.write("\nIntakes in µg/day. Informational only, not medical advice.\n")


def _run_foods(args: argparse.Namespace, out: TextIO) -> None:
    from k2nutrition.food import foods

    records = foods.search(args.query) if args.query else list(foods)
    if args.json:
        json.dump(
            [
                {
                    "id": f.id,
                    "food": f.food,
                    "name": f.name,
                    "name_zh": f.name_zh,
                    "preferred": f.preferred,
                    "content_ug_per_100g": {
                        **{v.label: m for v, m in f.content.magnitudes().items()},
                        **{p.value: q.magnitude for p, q in f.content.pools.items()},
                    },
                    "source": f.source.id,
                    "confidence": f.confidence.value,
                }
                for f in records
            ],
            out,
            ensure_ascii=False,
            indent=2,
        )
        out.write("\n")
        return
    rows = [["id", "name", "中文", "per 100 g", "source (confidence)"]]
    for f in records:
        parts = [f"{v.label} {m:.4g} µg" for v, m in f.content.magnitudes().items()]
        parts += [f"{p.value} {q.magnitude:.4g} µg" for p, q in f.content.pools.items()]
        mark = "" if f.preferred else " (alt.)"
        rows.append(
            [
                f.id + mark,
                f.name[:40],
                f.name_zh,
                ", ".join(parts),
                f"{f.source.id} ({f.confidence})",
            ]
        )
    if len(rows) == 1:
        out.write(f"no food matches {args.query!r}\n")
        return
    _table(rows, out)


def _run_guidelines(args: argparse.Namespace, out: TextIO) -> None:
    from k2nutrition.guideline import guidelines

    items = guidelines.filter(nutrient=args.nutrient) if args.nutrient else list(guidelines)
    if args.json:
        json.dump(
            [
                {
                    "id": g.id,
                    "authority": g.authority,
                    "edition": g.edition,
                    "year": g.year,
                    "nutrient": g.nutrient,
                    "measure": g.measure.name if g.measure else None,
                    "purpose": g.purpose,
                    "citation": g.source.citation,
                    "confidence": g.confidence.value,
                }
                for g in items
            ],
            out,
            ensure_ascii=False,
            indent=2,
        )
        out.write("\n")
        return
    rows = [["id", "nutrient", "counts", "purpose", "authority", "edition", "confidence"]]
    for g in items:
        rows.append(
            [
                g.id,
                g.nutrient,
                g.measure.name if g.measure else "-",
                g.purpose,
                g.authority[:40],
                g.edition,
                g.confidence.value,
            ]
        )
    _table(rows, out)


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run the command; return its exit code (0, or 2 for bad input)."""
    stdout = out if out is not None else sys.stdout
    args = _parser().parse_args(argv)
    try:
        if args.command == "check":
            _run_check(args, stdout)
        elif args.command == "cohort":
            _run_cohort(args, stdout)
        elif args.command == "foods":
            _run_foods(args, stdout)
        else:
            _run_guidelines(args, stdout)
    except K2NutritionError as exc:
        print(f"k2nutrition: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into a command that stopped reading (head)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
