"""The ``k2nutrition`` command: check a diet against the guidelines, list foods and guidelines.

Text output fits the terminal (its width, or ``COLUMNS``; 100 columns when the output is not
a terminal): each note is said once with the guidelines it applies to, and long names and
citations are cut with an ellipsis; ``--verbose`` prints everything in full. ``--lang zh``
or ``--lang ja`` gives headings, statuses, notes and food names in Chinese or Japanese,
from the gettext catalogues in ``k2nutrition/locale``.

Examples
--------
.. code-block:: console

    $ k2nutrition check "natto 40 g 2/week" "hard cheese 30 g" "MK-7 90 µg" --age 55 --sex female
    $ k2nutrition check "纳豆 40克 每周2次" "维生素D 10 µg" --age 55 --sex female --lang zh
    $ k2nutrition check "spinach 50 g" --age 30 --sex male --guideline efsa-2017 --json
    $ k2nutrition foods cheese --verbose
    $ k2nutrition guidelines --lang ja
"""

from __future__ import annotations

import argparse
import codecs
import contextlib
import functools
import io
import json
import math
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Final, NoReturn, TextIO, cast

from k2nutrition._version import __version__
from k2nutrition.display import counted, text_table, truncate, wrap
from k2nutrition.errors import (
    AmountError,
    AmountTypeError,
    DimensionError,
    K2NutritionError,
    MissingDependencyError,
)
from k2nutrition.i18n import LANGUAGES, N_, Localized, localize

if TYPE_CHECKING:
    from k2nutrition.checks import Assessment, CheckReport
    from k2nutrition.food import Food
    from k2nutrition.guideline import Guideline
    from k2nutrition.intake import Diet
    from k2nutrition.people import Person

__all__ = ["main", "parse_item"]

#: The longest item text that is read.
MAX_ITEM_LENGTH = 200
# A token that starts an amount: a number (a sign is read only to say it is negative).
_AMOUNT_START = re.compile(r"[-+\u2212]?(?:[0-9０-９]|\.[0-9])")


class ItemError(K2NutritionError, ValueError):
    """A diet item on the command line that cannot be read."""


class OptionError(K2NutritionError, ValueError):
    """An option's value on the command line that cannot be read one way only."""


def split_item(text: str) -> tuple[str, list[tuple[str, str]]]:
    """Split an item into its name and the ways its rest splits into amount and frequency.

    The name is every word before the first word that starts with a number. The rest is
    an amount (that number and up to three more words: ``"8 fl oz"``, ``"1 serving"``,
    ``"40克"``) and a frequency (what is left; daily when nothing is). The first split is
    the usual one, the number and one word.

    Examples
    --------
    >>> split_item("natto 40 g 2/week")
    ('natto', [('40 g', '2/week'), ('40', 'g 2/week'), ('40 g 2/week', 'daily')])
    >>> split_item("纳豆 40克 每周2次")
    ('纳豆', [('40克', '每周2次'), ('40克 每周2次', 'daily')])
    """
    if len(text) > MAX_ITEM_LENGTH:
        raise ItemError(
            f"item: the text is {len(text):,} characters long; an item is at most "
            f"{MAX_ITEM_LENGTH}, such as 'natto 40 g 2/week'"
        )
    words = text.split()
    start = next((i for i, w in enumerate(words) if i and _AMOUNT_START.match(w)), None)
    if start is None:
        raise ItemError(
            f"item {text!r}: write the name, the amount with a unit, and optionally how often, "
            "e.g. 'natto 40 g 2/week' or 'MK-7 90 µg'"
        )
    return " ".join(words[:start]), _splits(words[start:])


def _splits(rest: list[str]) -> list[tuple[str, str]]:
    """Return the ways the words after an item's name split into amount and frequency."""
    splits = [(" ".join(rest[:k]), " ".join(rest[k:]) or "daily") for k in range(1, 5)]
    splits = list(dict.fromkeys(s for k, s in enumerate(splits, 1) if k <= len(rest)))
    usual = 1 if len(rest) > 1 and not re.search(r"[^\d.]\Z", rest[0]) else 0
    return [splits[usual], *splits[:usual], *splits[usual + 1 :]]


def parse_item(text: str) -> object:
    """Read one command-line item: ``"natto 40 g 2/week"``, ``"MK-7 90 µg"``, ...

    The name comes first, then the amount with its unit (or a household measure of the
    food), then an optional frequency (daily when left out). A name that is a vitamer,
    ``calcium`` or ``vitamin D`` makes a supplement; any other name is looked up in the
    food table. The name ends before the first word that starts with a number, or before
    a later one where the longer name is a food's or a vitamer's (``"danbo 20 30 g"``,
    ``"Kale (Schurgers 2000) 100 g"``, ``"menaquinone 7 90 µg"``). ``"K2"`` is refused
    as ambiguous (MK-4 and MK-7 differ in molar mass). An item that can be read in two
    ways is refused.

    Examples
    --------
    >>> parse_item("natto 40 g 2/week")
    Portion(food=Food('natto-kamao-2007', ...), amount=<Quantity(40, 'gram')>, per='2/week', ...)
    >>> parse_item("vitamin D 1000 IU")
    Supplement(nutrient='vitamin D', dose=<Quantity(25.0, 'microgram')>, per='daily', ...)
    """
    from k2nutrition.food import AmbiguousCountError
    from k2nutrition.intake import FrequencyError
    from k2nutrition.units import RefusedUnitError

    read: list[object] = []
    errors: list[K2NutritionError] = []
    for make, name, splits in _names(text):
        for amount, per in splits:
            try:
                read.append(make(name, amount, per=per))
            except (AmountError, AmountTypeError) as exc:
                errors.append(exc)
    if len(read) > 1:
        shown = "; ".join(map(str, read))
        raise ItemError(f"item {text!r} can be read in more than one way: {shown}")
    if not read:
        # the error of the split that got furthest: a known unit of the wrong kind, a unit
        # refused for what it means, a count of a food that comes in several sizes, then a
        # frequency, then the usual split's
        furthest = (DimensionError, RefusedUnitError, AmbiguousCountError, FrequencyError)
        raise next(
            e for kind in (*furthest, K2NutritionError) for e in errors if isinstance(e, kind)
        )
    return read[0]


_Reading = tuple[Any, str, list[tuple[str, str]]]


def _names(text: str) -> list[_Reading]:
    """Return the ways to read an item's name: (maker, name, splits of the rest) each.

    A name ends before a word that starts with a number: the first such word, or a later
    one where the longer name is a food's (each of its further words holding a letter or
    digit, none signed: ``"danbo 20 - 30 g"`` is not Danbo 20); a vitamer's name may take
    the one word after it (``"MK 7"``). Raise the error of the first name when no name
    reads: a name for several vitamers (``"menaquinone"``), a menaquinone that is not known
    (``"MK 14"``).
    """
    from k2nutrition.errors import AmbiguousVitamerError, UnknownVitamerError
    from k2nutrition.food import foods
    from k2nutrition.intake import Portion, Supplement, _nutrient
    from k2nutrition.vitamers import _MENAQUINONE_NAME

    first, splits = split_item(text)
    words = text.split()
    start = len(first.split())
    ends = [i for i, w in enumerate(words) if i and _AMOUNT_START.match(w)]
    readings: list[_Reading] = []
    refused: Exception | None = None
    # a vitamer's number ("MK 7 90 µg"), where a number follows it ("menaquinone 10 µg" is
    # 10 µg of a form not named)
    vitamer_end = {start + 1} if any(e > start + 1 for e in ends) else set()
    for end in sorted({*ends, *vitamer_end} - {len(words)}):
        name = " ".join(words[:end])
        rest = splits if end == start else _splits(words[end:])
        if end > start and not all(_PLAIN_WORD.fullmatch(w) for w in words[start:end]):
            continue  # "20 -", "-20": a range or a sign, not a name
        if end <= start + 1:  # a vitamer's name takes one more word at most
            try:
                _nutrient(name)
            except AmbiguousVitamerError as exc:
                refused = refused or exc
                continue
            except UnknownVitamerError:
                pass
            else:
                readings.append((Supplement, name, rest))
                continue
        if _MENAQUINONE_NAME.fullmatch(name):  # "MK-14", "MK 14": said before "'MK' is ..."
            refused = _no_such_vitamer(text, name)
        elif end in ends and foods.get(name) is not None:
            readings.append((Portion, name, rest))
    if readings:
        return readings
    if refused is not None:
        raise refused
    return [(Portion, first, splits)]  # no such food: Portion says so, with suggestions


#: A word that may continue a name past a number: a letter or digit in it, no sign first
#: and no separator last ("-20", "20,", "-": a range, a sign or a list, not a name).
_PLAIN_WORD: Final = re.compile(r"(?![-+\u2212])(?=.*[^\W_]).*(?<![-_,，、])")


def _no_such_vitamer(text: str, name: str) -> ItemError:
    from k2nutrition.vitamers import Vitamer

    known = ", ".join(v.label for v in Vitamer)
    return ItemError(f"item {text!r}: no vitamer {name!r} is known; the vitamers are {known}")


_CHECK_EPILOG = """examples:
  k2nutrition check "natto 40 g 2/week" "hard cheese 30 g" "MK-7 90 µg" --age 55 --sex female
  k2nutrition check "spinach 50 g" "vitamin D 10 µg" --age 30 --sex female --pregnant \\
      --trimester 2 --body-weight "62 kg"
  k2nutrition check "natto 40 g 2/week" --age 55 --sex male --guideline efsa-2017 --lang zh

Each ITEM is a food or a supplement, its amount with a unit, and optionally how often
("2/week"; daily when left out). Results compare the intake with each guideline's value
for the person's life stage, name the guideline and its edition, and are informational
only, not medical advice."""


def _output_options() -> _Parser:
    """Options shared by the listing commands: language and detail of the text output."""
    common = _Parser(add_help=False)
    common.add_argument(
        "--lang",
        type=_folded,
        choices=LANGUAGES,
        default="en",
        help="language of headings, statuses, notes and food names (default: en)",
    )
    common.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="every note in full for each guideline, full citations, nothing cut to fit",
    )
    return common


def _parser() -> argparse.ArgumentParser:
    common = _output_options()
    parser = _Parser(
        prog="k2nutrition",
        description="Vitamin K (K1 and K2) intake against published guidelines. "
        "Informational only, not medical advice.",
        epilog=_EXIT_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"k2nutrition {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    check = sub.add_parser(
        "check",
        help="check a diet against the guidelines",
        parents=[common],
        epilog=_CHECK_EPILOG + "\n\n" + _EXIT_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    check.add_argument(
        "items",
        nargs="+",
        metavar="ITEM",
        help="'FOOD AMOUNT [FREQUENCY]' or 'NUTRIENT DOSE [FREQUENCY]', "
        "e.g. 'natto 40 g 2/week', 'MK-7 90 µg', 'vitamin D 1000 IU'",
    )
    check.add_argument("--age", required=True, help="years, or a time such as '7 months'")
    check.add_argument("--sex", required=True, type=_folded, choices=["female", "male"])
    check.add_argument(
        "--pregnant",
        action="store_true",
        help="use the guidelines' pregnancy values (female only)",
    )
    check.add_argument(
        "--lactating",
        action="store_true",
        help="use the guidelines' values for breastfeeding (female only)",
    )
    check.add_argument(
        "--trimester",
        type=int,
        choices=[1, 2, 3],
        help="trimester of pregnancy, for guidelines whose value changes with it",
    )
    check.add_argument(
        "--body-weight",
        "--weight",
        dest="weight",
        metavar="WEIGHT",
        help="body weight such as '62 kg', for guidelines set per kg of body weight "
        "(such as the NHS's 1 µg/kg a day), which are not applicable without it",
    )
    check.add_argument(
        "--anticoagulant", action="store_true", help="takes a vitamin K antagonist (warfarin)"
    )
    check.add_argument(
        "--guideline",
        action="append",
        metavar="ID",
        help="check this guideline only (repeatable); 'k2nutrition guidelines' lists them",
    )
    check.add_argument("--json", action="store_true", help="machine-readable output")

    foods = sub.add_parser("foods", help="list foods and their vitamin K content", parents=[common])
    foods.add_argument("query", nargs="?", help="part of a name, in any language")
    foods.add_argument("--json", action="store_true")

    cohort = sub.add_parser(
        "cohort", help="assess many people from CSV food records (streams large files)"
    )
    cohort.add_argument("records", help="CSV: person_id, day, food, amount_g (or amount, unit)")
    cohort.add_argument("persons", help="CSV: person_id, age, sex[, pregnant, lactating, ...]")
    cohort.add_argument(
        "-o", "--output", required=True, help="per-person results: a .csv or .parquet (.pq) file"
    )
    cohort.add_argument(
        "--format",
        choices=["csv", "parquet"],
        help="output format, for a file whose suffix is not .csv, .parquet or .pq "
        "(default: by the suffix); parquet needs pyarrow",
    )
    cohort.add_argument(
        "--guideline", action="append", metavar="ID", help="a guideline (repeatable); default all"
    )
    cohort.add_argument(
        "--report-rejected",
        action="store_true",
        help="leave unusable records out and list them, instead of stopping",
    )
    cohort.add_argument("--chunksize", type=_chunksize, default=1_000_000, help="records per chunk")
    cohort.add_argument("--quiet", action="store_true", help="no progress bar")

    guidelines = sub.add_parser("guidelines", help="list the guidelines", parents=[common])
    guidelines.add_argument(
        "--nutrient",
        help="vitamin_k, vitamin_k2, mk7, mk4, calcium or vitamin_d, in any case and the "
        "usual spellings ('Vitamin K', 'K2', 'MK-7')",
    )
    guidelines.add_argument("--json", action="store_true")
    return parser


def _folded(text: str) -> str:
    """Read a word of a fixed choice in any case: ``--sex Female``, ``--lang ZH``."""
    return text.strip().casefold()


#: The largest --chunksize read (eighteen digits).
_MAX_CHUNKSIZE: Final = 10**18 - 1


def _chunksize(text: str) -> int:
    """Read ``--chunksize``: a whole number of records, at least 1."""
    if re.fullmatch(r"[0-9]{19,}", text.strip()):
        raise argparse.ArgumentTypeError(
            f"chunk size {text[:30]!r} is too large: at most {_MAX_CHUNKSIZE:,} records, such "
            "as 100000"
        )
    if not re.fullmatch(r"[0-9]{1,18}", text.strip()) or int(text) < 1:
        raise argparse.ArgumentTypeError(
            f"chunk size {text!r} is not a whole number of records of at least 1, such as 100000"
        )
    return int(text)


def _age(text: str) -> float | str:
    """Return a bare number of years as a number; anything else for Person to read."""
    from k2nutrition.units import split_amount

    try:
        magnitude, unit = split_amount(text, "--age")
    except K2NutritionError:
        return text
    return text if unit else float(magnitude)


def _table(rows: list[list[str]], out: TextIO) -> None:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for n, row in enumerate(rows):
        out.write("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
        out.write("\n")
        if n == 0:
            out.write("  ".join("-" * w for w in widths) + "\n")


# -- text output ---------------------------------------------------------------------------

#: The narrowest layout offered; a narrower terminal gets lines of this width.
_MIN_WIDTH = 60


def _terminal_width() -> int:
    """Columns of the terminal (``COLUMNS`` first); 100 when the output is not a terminal."""
    return max(shutil.get_terminal_size((100, 24)).columns, _MIN_WIDTH)


#: What each measure counts, in a column's few characters (explained in the legend).
_COUNTS: dict[str, str] = {
    "TOTAL_K": N_("K1+K2"),
    "K1_ONLY": N_("K1"),
    "MENAQUINONES": N_("K2"),
    "JAPAN_MK4_EQ": N_("MK-4 eq"),
    "MK7": N_("MK-7"),
    "MK4": N_("MK-4"),
    "calcium": N_("calcium"),
    "vitamin_d": N_("vitamin D"),
}
_COUNTS_LEGEND: dict[str, str] = {
    "TOTAL_K": N_("all forms of vitamin K: phylloquinone and menaquinones"),
    "K1_ONLY": N_("phylloquinone (vitamin K1) only"),
    "MENAQUINONES": N_("menaquinones (vitamin K2), all chain lengths"),
    "JAPAN_MK4_EQ": N_(
        "phylloquinone + MK-4 + MK-7 converted to MK-4 equivalents by molar mass "
        "(the Japanese food composition tables' rule)"
    ),
    "MK7": N_("menaquinone-7 only"),
    "MK4": N_("menaquinone-4 only"),
    "calcium": N_("calcium from foods and supplements"),
    "vitamin_d": N_("vitamin D from foods and supplements"),
}
_CONFIDENCE_LEGEND = N_(
    "high = read in the primary text; medium = a careful secondary text; "
    "low = a weak secondary text"
)


def _counts_key(a: Assessment) -> str:
    g = a.guideline
    return g.measure.name if g.measure else g.nutrient


def _amount(q: object) -> str:
    from k2nutrition.units import format_number

    magnitude = getattr(q, "magnitude", q)
    units = getattr(q, "units", "")
    text = f"{format_number(magnitude, 4)} {units:~P}" if units else format_number(magnitude, 4)
    return text.replace("/d", "").replace(" / d", "")


def _target(a: Assessment, lang: str) -> str:
    """Write the target as :meth:`Target.describe` does, per day, its kind in ``lang``."""
    t = a.target
    if t is None or t.low is None:
        return "-" if t is None else localize(t.value_type, lang)
    text = t.describe()
    kind = "" if t.value_type == "per_kg_bw" else t.value_type  # "80 µg (1 µg/kg)"
    text = localize(_KIND_WORDS.get(kind, kind), lang) + text.removeprefix(t.value_type)
    return text.replace(" / d", "").replace("/d", "")


#: How a target's kind reads in the table where the data's word is an identifier.
_KIND_WORDS: Final = {
    "caution_threshold": N_("caution from"),
    "pharmacological_dose": N_("drug dose"),
}


def _food_name(food: Food, lang: str) -> str:
    return localize(Localized(food.name, zh=food.name_zh, ja=food.name_ja), lang)


def _item_text(item: object, lang: str) -> str:
    from k2nutrition.intake import Portion
    from k2nutrition.units import format_quantity

    q: Any
    if isinstance(item, Portion):
        name = _food_name(item.food, lang)
        q = item.amount
    else:
        name = str(getattr(item, "nutrient", ""))
        name = localize(getattr(name, "label", name), lang)
        q = getattr(item, "dose", None)
    # Four significant figures, as in the tables: a measure converted to grams prints
    # 85.05 g, not 85.04856937500001 g.
    amount = "" if q is None else format_quantity(q, 4)
    per = str(getattr(item, "per", "daily"))
    times = re.fullmatch(r"(\d+(?:\.\d+)?)\s*(?:x\s*)?/\s*(day|week|month)", per)
    if times and lang != "en":
        n, period = times.groups()
        per = localize(_PER[period], lang).format(n=n)
    return f"{name} {amount} {localize(per, lang)}"


#: Frequencies written "2/week" and so on, in words for other languages.
_PER: dict[str, str] = {
    "day": N_("{n} times a day"),
    "week": N_("{n} times a week"),
    "month": N_("{n} times a month"),
}


def _person_text(person: Person, lang: str) -> str:
    from k2nutrition.units import format_number

    age = (
        localize(N_("{years} y"), lang).format(years=format_number(person.age, 6))
        if person.age >= 1
        else (localize(N_("{months} mo"), lang).format(months=f"{person.age * 12:.0f}"))
    )
    states = [s for s, on in (("pregnant", person.pregnant), ("lactating", person.lactating)) if on]
    if person.trimester:
        states.append(localize(N_("trimester {n}"), lang).format(n=person.trimester))
    words = [localize(person.sex, lang), age, *(localize(s, lang) for s in states)]
    return localize(N_(", "), lang).join(words)


def _grouped_notes(report: CheckReport, lang: str, *, brief: bool) -> list[tuple[str, list[str]]]:
    """Each note once, with the guidelines it applies to (in the report's order)."""
    groups: dict[str, list[str]] = {}
    for a in report:
        for note in a.notes:
            text = localize(note, lang, brief=brief)
            ids = groups.setdefault(text, [])
            if a.guideline.id not in ids:
                ids.append(a.guideline.id)
    return list(groups.items())


def _which(ids: Sequence[str], everyone: Sequence[str], lang: str) -> str:
    """Name the guidelines a note applies to, briefly when it is nearly all of them."""
    others = [i for i in everyone if i not in ids]
    if len(ids) > 3 and not others:
        return localize(N_("all guidelines"), lang)
    if len(ids) > 3 and len(others) <= 2:
        return localize(N_("all guidelines but {ids}"), lang).format(ids=", ".join(others))
    return ", ".join(ids)


def _check_text(
    report: CheckReport, diet: Diet, person: Person, *, lang: str, verbose: bool
) -> str:
    """Return the ``check`` command's text: person, diet, a row per guideline, notes, sources."""
    from k2nutrition.i18n import DISCLAIMER
    from k2nutrition.units import format_number

    width = _terminal_width()
    _ = functools.partial(localize, lang=lang)
    lines = [f"{_(N_('Person'))}: {_person_text(person, lang)}"]
    items = _(N_("; ")).join(_item_text(i, lang) for i in diet)
    lines += wrap(items, width, f"{_(N_('Diet'))}: ")
    intake = diet.vitamin_k
    parts = [  # "≥": some food's source did not analyse the vitamer
        f"{v.label} {'≥ ' if v in intake.not_analysed else ''}{format_number(m, 4)} µg"
        for v, m in intake.magnitudes().items()
    ]
    parts += [
        f"{p.value} {format_number(q.magnitude, 4)} µg ({_(N_('sum of forms'))})"
        for p, q in intake.pools.items()
    ]
    lines += wrap(", ".join(parts) or "-", width, f"{_(N_('Vitamin K, average per day'))}: ")
    header = [
        _(N_("guideline")),
        _(N_("counts")),
        _(N_("intake/day")),
        _(N_("target/day")),
        _(N_("status")),
        _(N_("confidence")),
    ]
    rows = [
        [
            a.guideline.id,
            _(_COUNTS.get(_counts_key(a), _counts_key(a))),
            ("≥ " if a.intake_is_lower_bound else "") + _amount(a.intake),
            _target(a, lang),
            _(a.status.value),
            _(a.target.confidence.value) if a.target else "-",
        ]
        for a in report
    ]
    table = text_table(header, rows, max_width=None if verbose else width, wrap_columns=(0, 3, 4))
    lines += ["", table, ""]
    keys = list(dict.fromkeys(_counts_key(a) for a in report))
    legend = _(N_("; ")).join(
        f"{_(_COUNTS.get(k, k))} = {_(_COUNTS_LEGEND.get(k, k))}" for k in keys
    )
    lines += wrap(legend, width, f"{_(N_('counts'))}: ")
    lines += wrap(
        _(N_("of the guideline value used for this person")) + f" ({_(_CONFIDENCE_LEGEND)})",
        width,
        f"{_(N_('confidence'))}: ",
    )
    notes = _grouped_notes(report, lang, brief=not verbose)
    shared = [n for n in report.notes if n != DISCLAIMER]
    if notes or shared:
        lines += ["", f"{_(N_('Notes'))}:"]
        everyone = [a.guideline.id for a in report]
        for text, ids in notes:
            lines += wrap(f"{text} [{_which(ids, everyone, lang)}]", width, "  - ")
        for note in shared:
            lines += wrap(_(note), width, "  - ")
    lines += ["", f"{_(N_('Sources'))}:"]
    for source in dict.fromkeys(a.guideline.source for a in report):
        entry = f"{source.id}: {source.citation or source.id}"
        lines += wrap(entry, width, "  ") if verbose else [truncate("  " + entry, width)]
    lines += ["", *wrap(_(DISCLAIMER), width)]
    if not verbose:
        lines += wrap(_(N_("(--verbose: every note in full, full citations)")), width)
    return "\n".join(lines) + "\n"


def _foods_text(records: Sequence[Food], *, lang: str, verbose: bool) -> str:
    """Return the ``foods`` command's text: a row per record, cut to the terminal's width."""
    from k2nutrition.display import content_summary

    _ = functools.partial(localize, lang=lang)
    width = _terminal_width()
    other = "zh" if lang == "en" else "en"
    header = [
        "",
        _(N_("id")),
        _(N_("name")),
        _(N_("name (Chinese)")) if other == "zh" else _(N_("name (English)")),
        _(N_("µg per 100 g")),
        _(N_("confidence")),
    ]
    if verbose:
        header.append(_(N_("source")))
    rows = []
    for f in records:
        row = [
            "" if f.preferred else "*",
            f.id,
            _food_name(f, lang),
            _food_name(f, other) if other != "en" else f.name,
            content_summary(f),
            _(f.confidence.value),
        ]
        if verbose:
            row.append(f.source.id)
        rows.append(row)
    table = text_table(header, rows, max_width=None if verbose else width, shrink=(1, 2, 3, 4))
    lines = [table, ""]
    lines += wrap(
        _(N_("* another record of the same food; the record without a mark is preferred")),
        width,
    )
    lines += wrap(
        _(N_("of each record's figures")) + f" ({_(_CONFIDENCE_LEGEND)})",
        width,
        f"{_(N_('confidence'))}: ",
    )
    return "\n".join(lines) + "\n"


def _guidelines_text(items: Sequence[Guideline], *, lang: str, verbose: bool) -> str:
    """Return the ``guidelines`` command's text: a row per guideline, fit to the terminal."""
    _ = functools.partial(localize, lang=lang)
    width = _terminal_width()
    header = [
        _(N_("id")),
        _(N_("nutrient")),
        _(N_("counts")),
        _(N_("purpose")),
        _(N_("authority")),
        _(N_("edition")),
        _(N_("confidence")),
    ]
    rows = [
        [
            g.id,
            _(g.nutrient),
            _(_COUNTS.get(g.measure.name, g.measure.name)) if g.measure else "-",
            _(g.purpose),
            g.authority,
            g.edition,
            _(g.confidence.value),
        ]
        for g in items
    ]
    table = text_table(header, rows, max_width=None if verbose else width, shrink=(1, 2, 3, 4, 5))
    lines = [table, ""]
    keys = list(dict.fromkeys(g.measure.name for g in items if g.measure))
    legend = _(N_("; ")).join(
        f"{_(_COUNTS.get(k, k))} = {_(_COUNTS_LEGEND.get(k, k))}" for k in keys
    )
    lines += wrap(legend, width, f"{_(N_('counts'))}: ")
    lines += wrap(
        _(N_("of the guideline as a whole; each of its values has its own"))
        + f" ({_(_CONFIDENCE_LEGEND)})",
        width,
        f"{_(N_('confidence'))}: ",
    )
    return "\n".join(lines) + "\n"


def _split_by_the_shell(items: Sequence[str], index: int) -> str | None:
    """Return the item the shell may have split into words (``check natto 40 g``), or None.

    Item ``index`` has no amount; when an argument after it (past up to three more name
    words) starts with a number, the words were most likely one item typed without
    quotes. The guess takes the name words, the number, the unit word after a bare
    number, and a frequency (``2/week``) if one follows.
    """
    number = next(
        (j for j in range(index + 1, min(index + 5, len(items))) if _AMOUNT_START.match(items[j])),
        None,
    )
    if number is None:
        return None
    words, rest = list(items[index : number + 1]), list(items[number + 1 : number + 3])
    if rest and re.fullmatch(r"[^\W\d]+", rest[0]) and not re.search(r"[^\d.]\Z", words[-1]):
        words.append(rest.pop(0))  # the unit after a bare number
    if rest and "/" in rest[0]:
        words.append(rest[0])  # a frequency
    return " ".join(words)


def _item(text: str, items: Sequence[str] = (), index: int = 0) -> object:
    """Read one item, saying which item an error is about."""
    try:
        return parse_item(text)
    except ItemError as exc:
        guess = _split_by_the_shell(items, index) if "write the name" in str(exc) else None
        if guess is not None:
            raise ItemError(
                f"item {text!r} has no amount; the shell splits an item into words unless "
                f'it is quoted: give each item as one argument, as in "{guess}"'
            ) from None
        raise
    except K2NutritionError as exc:
        raise ItemError(f"item {text!r}: {_cli_message(exc)}") from None


def _run_check(args: argparse.Namespace, out: TextIO) -> None:
    from k2nutrition.checks import DISCLAIMER, CheckReport, check, check_all
    from k2nutrition.intake import Diet
    from k2nutrition.people import Person
    from k2nutrition.vitamers import Vitamer

    if args.pregnant and args.lactating:
        raise OptionError(
            "--pregnant and --lactating: give one or the other; the guidelines set separate "
            "values for pregnancy and for lactation (for someone breastfeeding while "
            "pregnant, run the check once with each)"
        )
    person = Person(
        age=_age(args.age),
        sex=args.sex,
        pregnant=args.pregnant,
        lactating=args.lactating,
        body_weight=args.weight,
        on_anticoagulant=args.anticoagulant,
        trimester=args.trimester,
    )
    diet = Diet([_item(text, args.items, n) for n, text in enumerate(args.items)])  # type: ignore[misc]
    if args.guideline:
        from k2nutrition.guideline import guidelines

        # a repeated --guideline is checked once, however it is spelled ("IOM-2001")
        ids = dict.fromkeys(guidelines[g].id for g in args.guideline)
        report = CheckReport(tuple(check(diet, person, g) for g in ids), (DISCLAIMER,))
    else:
        report = check_all(diet, person)
    if args.json:
        intake = diet.vitamin_k
        payload = {
            "person": person.life_stage,
            "items": [str(i) for i in diet],
            "vitamin_k_per_day": {
                **{v.label: round(float(m), 6) for v, m in intake.magnitudes().items()},
                **{p.value: round(float(q.magnitude), 6) for p, q in intake.pools.items()},
            },
            # vitamers some food's source did not analyse: their figures are lower bounds
            "vitamin_k_not_analysed": [v.label for v in Vitamer if v in intake.not_analysed],
            "assessments": [a.as_dict() for a in report],
            "notes": list(report.notes),
        }
        _write_json(payload, out)
        return
    out.write(_check_text(report, diet, person, lang=args.lang, verbose=args.verbose))


class _Progress:
    """A one-line progress bar on a terminal's standard error; silent otherwise."""

    def __init__(self, total: int, *, enabled: bool) -> None:
        self.total = max(total, 1)
        self.enabled = enabled and sys.stderr.isatty()
        self.drawn = False

    def update(self, done: int, records: int) -> None:
        if not self.enabled:
            return
        share = min(done / self.total, 1.0)
        bar = "#" * int(share * 30)
        sys.stderr.write(f"\r[{bar:<30}] {share:4.0%}  {counted(records, 'record')}")
        sys.stderr.flush()
        self.drawn = True

    def close(self) -> None:
        """End the bar's line, so that what follows (an error) starts on its own."""
        if self.drawn:
            sys.stderr.write("\n")
            self.drawn = False


def _share(value: float) -> str:
    return "-" if math.isnan(value) else f"{value:.0%}"


def _output_format(path: str, given: str | None) -> str:
    """Return the output format: the file's suffix, or ``--format``; refuse two readings.

    ``.csv`` is CSV, ``.parquet`` and ``.pq`` are Parquet; ``--format`` names the format of
    a file with another suffix or none (``-o /dev/stdout --format csv``). A suffix that
    says one format and ``--format`` another, or a suffix such as ``.xlsx`` with no
    ``--format``, is refused: the file would not be what its name says.
    """
    from k2nutrition.cohort import FORMATS

    suffix = os.path.splitext(path)[1]
    by_suffix = FORMATS.get(suffix.lower())
    known = ", ".join(FORMATS)
    if given is not None:
        if by_suffix is not None and by_suffix != given:
            raise OptionError(
                f"-o {path}: the suffix {suffix} says {by_suffix} but --format says {given}; "
                "make them agree"
            )
        return given
    if by_suffix is None:
        what = f"{suffix!r} is not a suffix of" if suffix else "the name has no suffix of"
        raise OptionError(
            f"-o {path}: {what} the formats written ({known}); name the file such as "
            "results.csv or results.parquet, or choose the format with --format"
        )
    return by_suffix


def _check_output(path: str) -> None:
    """Refuse an output path that cannot be written, before any work is done."""
    if not path:
        raise OptionError("-o: the file name is empty; give one such as results.csv")
    if path == "-":
        raise OptionError(
            "-o -: '-' names no file; to write the results to standard output, "
            "give -o /dev/stdout --format csv"
        )
    folder = os.path.dirname(path) or "."
    if os.path.isdir(path):
        raise OutputError(f"-o {path}: is a folder; give a file name such as results.csv")
    if not os.path.isdir(folder):
        raise OutputError(f"-o {path}: the folder {folder} does not exist")


#: Byte-order marks of the encodings that are not UTF-8, longest first.
_BOMS: Final = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)


def _check_input(path: str, what: str) -> None:
    """Refuse an input CSV that cannot be read as UTF-8 text, naming it, before any work.

    A regular file's first 64 KiB are looked at: a UTF-16 or UTF-32 byte-order mark, or a
    NUL byte (such text without a mark, or a file that is not text), would otherwise be
    reported as a missing column or a strange food. A pipe is read as it comes.
    """
    if path == "-":
        raise OptionError(f"{what} -: '-' names no file; to read standard input, give /dev/stdin")
    if os.path.isdir(path):
        raise OptionError(f"{what} {path}: is a folder; give a CSV file")
    if not os.path.isfile(path):
        return
    try:
        with open(path, "rb") as handle:
            head = handle.read(1 << 16)
    except OSError as exc:
        raise OptionError(f"{what} {path}: cannot read: {exc.strerror or exc}") from None
    if not head:
        raise OptionError(f"{what} {path}: is empty; it needs a header line of column names")
    encoding = next((name for bom, name in _BOMS if head.startswith(bom)), None)
    if encoding is not None:
        raise OptionError(
            f"{what} {path}: is {encoding} text (by its byte-order mark), not UTF-8; "
            "save it as UTF-8"
        )
    if b"\0" in head:
        raise OptionError(
            f"{what} {path}: holds NUL bytes (UTF-16 or UTF-32 text without a byte-order "
            "mark, or not text); save it as UTF-8 CSV"
        )


def _first_bad_utf8(path: str) -> tuple[int, int] | None:
    """Return the line and byte offset of a file's first byte that is not UTF-8."""
    offset = 0
    with open(path, "rb") as handle:
        for number, line in enumerate(handle, 1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError as exc:
                return number, offset + exc.start
            offset += len(line)
    return None


def _read_error(exc: Exception, what: str, path: str) -> K2NutritionError:
    """Return the error of reading input ``what`` (records, persons), naming the file."""
    from k2nutrition.cohort import CohortError

    if isinstance(exc, CohortError):  # the library's option, said the command's way
        return CohortError(str(exc).replace("pass errors='report'", "pass --report-rejected"))
    if isinstance(exc, K2NutritionError):
        return exc
    if isinstance(exc, UnicodeDecodeError):
        where = ""
        if os.path.isfile(path):
            with contextlib.suppress(OSError):
                found = _first_bad_utf8(path)
                if found is not None:
                    where = f" at line {found[0]:,}, byte {found[1]:,}"
        return CohortError(
            f"{what} {path}: is not UTF-8 text{where} ({exc.reason}); save it as UTF-8"
        )
    if isinstance(exc, OSError):
        return CohortError(f"{what} {path}: cannot read: {exc.strerror or exc}")
    message = str(exc)
    if type(exc).__name__ == "EmptyDataError":
        message = "the file is empty; it needs a header line of column names"
    message = re.sub(r"^Error tokenizing data\. C error: ", "", message)
    return CohortError(f"{what} {path}: cannot read: {message}")


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):
        return False


def _check_paths(records: str, persons: str, output: str) -> None:
    """Refuse an output that is an input, and a stream given as both inputs."""
    for what, path in (("records", records), ("persons", persons)):
        if os.path.isfile(path) and _same_file(path, output):
            raise OptionError(
                f"-o {output}: is the {what} file {path}; writing the results there would "
                "destroy it. Give another file name"
            )
    if not os.path.isfile(records) and _same_file(records, persons):
        raise OptionError(
            f"records {records} and persons {persons}: a stream can be read only once; "
            "give the persons as a file"
        )


def _is_stdout(path: str) -> bool:
    """Whether ``path`` is the process's standard output (``-o /dev/stdout``)."""
    try:
        here, there = os.stat(path), os.fstat(sys.stdout.fileno())
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        return False
    return (here.st_dev, here.st_ino) == (there.st_dev, there.st_ino)


def _write_replacing(frame: Any, path: str, fmt: str) -> None:
    """Write the results to a new file, then put it in place of ``path``.

    A write that fails (a full disk, an interruption) leaves the previous file as it was
    and no partial file; an existing file keeps its permissions. A stream (standard
    output, a device, a pipe) gets the finished file's bytes appended, so that the writer
    never holds its path: pyarrow removes the path of a Parquet file it fails to write,
    which for ``-o /dev/stdout`` would be ``/dev/stdout`` itself.
    """
    from k2nutrition.cohort import _write_per_person

    stream = os.path.exists(path) and (
        not os.path.isfile(path) or _is_stdout(path) or path.startswith(("/dev/", "/proc/"))
    )
    final = path if stream else os.path.realpath(path)  # through a link, not over it
    copy_mode = "ab" if stream else None
    prefix = f".{os.path.basename(final)}."
    try:
        handle, temporary = tempfile.mkstemp(
            prefix=prefix, suffix=".part", dir=None if stream else os.path.dirname(final)
        )
    except PermissionError:
        if not os.access(final, os.W_OK):
            raise
        # a file that may be written in a folder that may not be added to: written over
        copy_mode = "wb"
        handle, temporary = tempfile.mkstemp(prefix=prefix, suffix=".part")
    os.close(handle)
    try:
        _write_per_person(frame, temporary, fmt)
        if copy_mode is not None:
            with open(temporary, "rb") as source, open(path, copy_mode) as target:
                shutil.copyfileobj(source, target)
            return
        try:
            mode = os.stat(final).st_mode & 0o7777
        except OSError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(temporary, mode)
        os.replace(temporary, final)
    finally:
        with contextlib.suppress(OSError):  # gone once it is in place
            os.unlink(temporary)


def _write_error(path: str, exc: OSError) -> OutputError:
    """Return the error of writing ``-o``, in the system's words (pyarrow adds its own)."""
    # pyarrow: "Failed to open local file '...'. Detail: [errno 2] No such file or directory"
    number = re.search(r"\[errno (\d+)\]", str(exc), re.IGNORECASE)
    reason = os.strerror(int(number.group(1))) if number else exc.strerror or str(exc)
    return OutputError(f"-o {path}: cannot write: {reason}")


def _run_cohort(args: argparse.Namespace, out: TextIO) -> None:
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover - depends on the environment
        raise MissingDependencyError("the cohort command", "pandas", "pandas") from None
    from k2nutrition.cohort import Errors, _chosen, _read_persons_csv, _read_records_csv

    errors: Errors = "report" if args.report_rejected else "raise"
    chosen = _chosen(None if args.guideline is None else list(dict.fromkeys(args.guideline)))
    _check_output(args.output)
    output_format = _output_format(args.output, args.format)
    _check_input(args.records, "records")
    _check_input(args.persons, "persons")
    _check_paths(args.records, args.persons, args.output)
    if _is_stdout(args.output):  # the results are the output: the summary goes beside it
        out = sys.stderr
    read_errors = (OSError, ValueError, pd.errors.ParserError)
    try:
        persons = _read_persons_csv(args.persons)
    except read_errors as exc:
        raise _read_error(exc, "persons", args.persons) from None
    try:
        size = os.path.getsize(args.records)
    except OSError:
        size = 0  # reading it will say why
    progress = _Progress(size, enabled=not args.quiet)
    try:
        result, count = _read_records_csv(
            args.records,
            persons,
            chosen,
            chunksize=args.chunksize,
            errors=errors,
            progress=progress.update,
        )
    except read_errors as exc:
        raise _read_error(exc, "records", args.records) from None
    finally:  # also before an error or an interruption
        progress.close()
    try:
        _write_replacing(result.per_person, args.output, output_format)
    except OSError as exc:
        raise _write_error(args.output, exc) from None
    out.write(
        f"{counted(count, 'record')}, {counted(len(persons), 'person')}; results in {args.output}\n"
    )
    if len(result.rejected):
        left_out = counted(len(result.rejected), "record or person", "records or persons")
        out.write(f"{left_out} left out (first ones below)\n")
        for row, why in result.rejected.head(10).itertuples(index=False):
            out.write(f"  {row}: {why}\n")
    out.write("\n")
    header = ["guideline", "sex", "life stage", "people", "meeting", "unknown", ">range"]
    header += [">UL", "<EAR"]
    rows = [[*header, "p5", "p50", "p95", "per day"]]
    for r in result.summary.itertuples(index=False):
        shares = [
            r.share_meeting,
            r.share_unknown,
            r.share_above_range,
            r.share_above_ul,
            r.share_below_ear,
        ]
        unit = "mg" if math.isnan(float(r.p50_ug_per_day)) else "µg"  # type: ignore[arg-type]
        pct = [
            float(getattr(r, f"p{p}_{'mg' if unit == 'mg' else 'ug'}_per_day")) for p in (5, 50, 95)
        ]
        rows.append(
            [str(r.guideline), str(r.sex), str(r.life_stage), f"{r.people:,}"]
            + [_share(float(v)) for v in shares]  # type: ignore[arg-type]
            + [f"{v:.0f}" for v in pct]
            + [unit]
        )
    _table(rows, out)
    out.write(
        "\nmeeting: at or above the AI, RNI or RDA, or within the range; unknown: below the "
        "target, but some food was not analysed for what the guideline counts (a lower "
        "bound); <EAR: the EAR cut-point estimate of inadequacy. "
        "Informational only, not medical advice.\n"
    )


def _check_length(text: str | None, name: str) -> None:
    """Refuse a name longer than any real one before it is searched for or echoed."""
    if text is not None and len(text) > MAX_ITEM_LENGTH:
        raise OptionError(
            f"{name}: the text is {len(text):,} characters long; a name is at most "
            f"{MAX_ITEM_LENGTH}"
        )


def _run_foods(args: argparse.Namespace, out: TextIO) -> None:
    from k2nutrition.food import foods

    _check_length(args.query, "query")
    if args.query is not None and not args.query.strip():
        raise OptionError(
            "query: it is empty; give part of a food's name, or list every food with "
            "'k2nutrition foods' and no query"
        )
    records = foods.search(args.query) if args.query else list(foods)
    if args.json:  # the rows of FoodTable.to_frame(), with what was not analysed
        from k2nutrition.display import food_row

        _write_json([food_row(f) for f in records], out)
        return
    if not records:
        out.write(localize(N_("no food matches {query!r}"), args.lang).format(query=args.query))
        out.write("\n")
        return
    out.write(_foods_text(records, lang=args.lang, verbose=args.verbose))


def _run_guidelines(args: argparse.Namespace, out: TextIO) -> None:
    from k2nutrition.guideline import UnknownGuidelineError, guidelines

    _check_length(args.nutrient, "--nutrient")
    try:  # an empty --nutrient "" names no nutrient: refused, not read as "all"
        items = guidelines.filter(nutrient=args.nutrient)
    except UnknownGuidelineError as exc:
        raise OptionError("--" + str(exc)) from None
    if args.json:
        _write_json(
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
        )
        return
    out.write(_guidelines_text(items, lang=args.lang, verbose=args.verbose))


# -- input, errors, output: every failure is one line on standard error -------------------

#: Exit codes, as documented in ``--help``.
EXIT_OK, EXIT_IO, EXIT_INPUT = 0, 1, 2
_EXIT_HELP = """exit status:
  0  success
  1  the output could not be written (a missing folder, a folder, a full disk, a closed
     pipe); one line on standard error
  2  a bad command line or bad input (an unknown food, an amount without a unit, ...);
     one line on standard error"""


class OutputError(K2NutritionError, OSError):
    """The command's output could not be written."""


class _Once(argparse._StoreAction):
    """Store an option's value, refusing a second value: ``--age 30 --age 60`` reads two ways.

    A flag (``--pregnant``) may repeat, since it means the same each time; an option that
    collects values (``--guideline``) is declared with ``action="append"``.
    """

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        given: dict[str, str] = namespace.__dict__.setdefault("_given", {})
        if self.dest in given:
            raise argparse.ArgumentError(
                self,
                f"given more than once ({given[self.dest]!r}, then {values!r}); give it once",
            )
        given[self.dest] = values
        super().__call__(parser, namespace, values, option_string)


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line, exit status 2; options given once."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.register("action", None, _Once)
        self.register("action", "store", _Once)

    def _print_message(self, message: str, file: Any = None) -> None:
        # argparse ignores a failed write, so that "--help > /dev/full" exits 0 having
        # written nothing; a failed write to standard output is raised (and reported) here
        if not message:
            return
        stream = file if file is not None else sys.stderr
        if stream is sys.stderr:
            with contextlib.suppress(OSError, AttributeError, ValueError):
                stream.write(message)
            return
        stream.write(message)
        stream.flush()

    def error(self, message: str) -> NoReturn:
        # one line: a line break or other control character in an argument is shown escaped
        message = _CONTROL.sub(lambda m: repr(m.group())[1:-1], message)
        self.exit(EXIT_INPUT, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


_CONTROL: Final = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


# Python spellings in messages of the library, and what a command-line user types instead.
_CLI_TERMS: Final = (
    ("use foods.search(...) to list what the table holds", "list them with 'k2nutrition foods'"),
    ("(list them with guidelines.ids)", "(list them with 'k2nutrition guidelines')"),
    ("body_weight", "--body-weight"),
)
_PERSON_FIELDS: Final = ("age", "sex", "pregnant", "lactating", "trimester", "--body-weight")


def _cli_message(exc: BaseException) -> str:
    """Return an error's message in command-line terms."""
    message = str(exc)
    for python, command_line in _CLI_TERMS:
        message = message.replace(python, command_line)
    from k2nutrition.people import PersonError

    if isinstance(exc, PersonError):
        for field in _PERSON_FIELDS:
            if message.startswith(field):
                return "--" + message.removeprefix("--")
    return message


def _write_json(payload: object, out: TextIO) -> None:
    """Write strict JSON (no NaN or Infinity), ASCII-escaped where the output needs it."""
    try:
        text = json.dumps(
            payload, ensure_ascii=not _can_encode(out, "µ中"), indent=2, allow_nan=False
        )
    except ValueError:
        raise K2NutritionError(
            "the result holds a number that is not finite; nothing was written"
        ) from None
    out.write(text + "\n")


def _can_encode(stream: object, text: str) -> bool:
    encoding = getattr(stream, "encoding", None)
    if not isinstance(encoding, str):
        return True  # an in-memory stream takes any text
    try:
        text.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True


#: What the output writes for a sign its encoding lacks (cp1252 has µ but not ≥).
_FALLBACKS: Final = {"µ": "u", "μ": "u", "≥": ">=", "≤": "<=", "–": "-", "…": "..."}


class _Transliterating:
    """A text stream that writes the signs its encoding lacks in ASCII (µ as u, ≥ as >=)."""

    def __init__(self, stream: TextIO, table: dict[int, str]) -> None:
        self._stream = stream
        self._table = table

    def write(self, text: str) -> int:
        for sign in ("≥", "≤"):  # "≥ 5" as ">=5": as wide, so that tables stay aligned
            if ord(sign) in self._table:
                text = text.replace(f"{sign} ", self._table[ord(sign)])
        return self._stream.write(text.translate(self._table))

    def __getattr__(self, name: str) -> object:
        return getattr(self._stream, name)


#: Characters of each language's text, for telling whether an output can show it.
_SAMPLE: Final = {"en": "", "zh": "对象女性", "ja": "対象者女性"}


def _prepare_streams() -> TextIO:
    """Make standard output and error safe for any encoding; return the output to use.

    A character the encoding lacks (a Chinese food name in cp1252) is written as ``?``
    rather than failing; µ becomes ``u`` and ≥ ``>=`` where they cannot be written;
    ``--json`` escapes non-ASCII characters instead, so that JSON stays exact.
    """
    for stream, errors in ((sys.stdout, "replace"), (sys.stderr, "backslashreplace")):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and not _can_encode(stream, "µ中\udcff"):
            reconfigure(errors=errors)
    table = str.maketrans({c: a for c, a in _FALLBACKS.items() if not _can_encode(sys.stdout, c)})
    if not table:
        return sys.stdout
    return cast("TextIO", _Transliterating(sys.stdout, table))


def _error(message: str) -> None:
    folded = _CONTROL.sub(lambda m: repr(m.group())[1:-1], " ".join(message.split()))
    text = f"k2nutrition: error: {folded}\n"
    if sys.stderr is None:  # standard error closed too: the exit status says it
        return
    try:
        sys.stderr.write(text)
        sys.stderr.flush()
    except (OSError, ValueError):  # standard error itself is closed or unencodable
        pass


def _silence_stdout() -> None:
    """Point standard output at the null device, so that exiting flushes nothing more."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


#: How Python holds the bytes of an argument that are not UTF-8 (PEP 383).
_SURROGATES: Final = re.compile("[\udc80-\udcff]")


def _undecodable(argv: Sequence[str]) -> str | None:
    """Return the first argument holding bytes that are not UTF-8, shown with them escaped."""
    for arg in argv:
        if _SURROGATES.search(arg):
            raw = arg.encode("utf-8", "surrogateescape")
            return "'" + raw.decode("utf-8", "backslashreplace") + "'"
    return None


def _run(args: argparse.Namespace, out: TextIO) -> None:
    if args.command == "check":
        _run_check(args, out)
    elif args.command == "cohort":
        _run_cohort(args, out)
    elif args.command == "foods":
        _run_foods(args, out)
    else:
        _run_guidelines(args, out)
    out.flush()


def _output_failed(exc: OSError, *, real: bool) -> int:
    """Report output that could not be written (quietly for a closed pipe); return 1."""
    if real:
        _silence_stdout()
    if isinstance(exc, BrokenPipeError):  # piped into a command that stopped reading
        return EXIT_IO
    if isinstance(exc, K2NutritionError):
        _error(str(exc))
    else:
        _error(f"cannot write the output: {exc.strerror or exc}")
    return EXIT_IO


def _argv_refusal(argv: Sequence[str] | None) -> str | None:
    """Return why the arguments cannot be read (bytes that are not UTF-8), or None."""
    undecodable = _undecodable(sys.argv[1:] if argv is None else argv)
    if undecodable is None:
        return None
    return (
        f"the argument {undecodable} is not UTF-8 text; write it in UTF-8 (check the "
        "terminal's or the script's encoding)"
    )


def _output_refusal(args: argparse.Namespace) -> str | None:
    """Return why standard output cannot show the text asked for (``--lang``), or None."""
    lang = getattr(args, "lang", "en")
    if getattr(args, "json", False) or _can_encode(sys.stdout, _SAMPLE[lang]):
        return None
    return (
        f"--lang {lang}: the output's encoding ({sys.stdout.encoding}) cannot show "
        "the text; set PYTHONIOENCODING=utf-8, or use --json"
    )


def main(  # noqa: PLR0911 - one exit status for each kind of failure
    argv: Sequence[str] | None = None, out: TextIO | None = None
) -> int:
    """Run the command; return its exit status.

    0 on success; 2 for a bad command line or bad input; 1 when the output cannot be
    written. Every failure is one line on standard error, never a traceback.
    """
    real = out is None
    refused = _argv_refusal(argv)
    if refused is not None:
        _error(refused)
        return EXIT_INPUT
    if real and sys.stdout is None:  # started with standard output closed (>&-)
        _error("standard output is closed; nothing can be written")
        return EXIT_IO
    stdout = _prepare_streams() if out is None else out
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # --help, --version, or a usage error already reported
        return exc.code if isinstance(exc.code, int) else EXIT_INPUT
    except OSError as exc:  # --help or --version could not be written
        return _output_failed(exc, real=real)
    refused = _output_refusal(args) if real else None
    if refused is not None:
        _error(refused)
        return EXIT_IO
    try:
        _run(args, stdout)
    except OSError as exc:  # the output, or standard output, could not be written
        return _output_failed(exc, real=real)
    except UnicodeEncodeError as exc:
        _error(
            f"the output's encoding ({exc.encoding}) cannot show the result; "
            "set PYTHONIOENCODING=utf-8"
        )
        return EXIT_IO
    except K2NutritionError as exc:
        _error(_cli_message(exc))
        return EXIT_INPUT
    except KeyboardInterrupt:
        return 130
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
