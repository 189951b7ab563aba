r"""Import vitamin K values from a USDA FoodData Central (FDC) CSV download.

FDC publishes its data as CSV files: ``food.csv`` (one row per food), ``nutrient.csv``
(one row per nutrient) and ``food_nutrient.csv`` (one row per food and nutrient, tens of
millions of rows in the full download). :func:`load` reads a folder or a ``.zip`` holding
them and keeps the three vitamin K nutrients FDC reports:

=======  ============  =========================  ==========================
FDC id   nutrient_nbr  FDC name                   vitamer
=======  ============  =========================  ==========================
1185     430           Vitamin K (phylloquinone)  :attr:`Vitamer.K1`
1183     428           Vitamin K (Menaquinone-4)  :attr:`Vitamer.MK4`
1184     429           Vitamin K                  :attr:`Vitamer.DIHYDRO_K1`
                       (Dihydrophylloquinone)
=======  ============  =========================  ==========================

Amounts are per 100 g of the food as FDC describes it, in the unit ``nutrient.csv``
gives (``UG``: µg, ``MG``: mg). The result is a :class:`~k2nutrition.food.FoodTable` of
one record per FDC food with at least one usable vitamin K value, and an
:class:`FdcReport` that accounts for every vitamin K row: kept, skipped (a data type left
out on request) or rejected, with its line in ``food_nutrient.csv`` and the reason.

``food_nutrient.csv`` is streamed by pyarrow's CSV reader (``pip install
'k2nutrition[fdc]'``) in blocks of a few MiB, every field read as bytes; the vitamin K rows
are picked out by comparing whole columns, and only they become Python objects, so memory
does not grow with the file and no value can stop the load (a bad value rejects its row).
Line numbers are lines of the file (the header is line 1); a row whose quoted field spans
several lines is numbered by its first line (pyarrow counts records, not lines: where the
two differ, the file is read again by the :mod:`csv` module to number the rows). Lines
longer than ``max_line`` bytes, files longer than ``max_size``, lone carriage returns and
damaged zip members stop the load with :class:`FdcError` as they are read.

:func:`combine` joins an imported table to another one (such as the built-in
:data:`~k2nutrition.food.foods`), the first table's names winning where both use one.

Examples
--------
A made-up download of two foods (the figures are invented for the example):

>>> import pathlib, tempfile
>>> from k2nutrition import fdc, foods
>>> files = {
...     "food.csv": '"fdc_id","data_type","description","food_category_id","publication_date"\n'
...     '"9001","sr_legacy_food","Kale, raw","11","2019-04-01"\n'
...     '"9002","sr_legacy_food","Natto","16","2019-04-01"\n',
...     "nutrient.csv": '"id","name","unit_name","nutrient_nbr","rank"\n'
...     '"1185","Vitamin K (phylloquinone)","UG","430","6300"\n'
...     '"1183","Vitamin K (Menaquinone-4)","UG","428","6310"\n',
...     "food_nutrient.csv": '"id","fdc_id","nutrient_id","amount"\n'
...     '"1","9001","1003","4.3"\n'
...     '"2","9001","1185","390.0"\n'
...     '"3","9002","1185","23.1"\n'
...     '"4","9003","1185","12"\n',
... }
>>> with tempfile.TemporaryDirectory() as tmp:
...     folder = pathlib.Path(tmp, "FoodData_Central_csv_2024-10-31")
...     folder.mkdir()
...     for name, text in files.items():
...         _ = (folder / name).write_text(text, encoding="utf-8")
...     result = fdc.load(folder)
>>> print(result.report)
food_nutrient.csv: 4 rows read, 3 of vitamin K: 2 kept, 0 skipped (data type), 1 rejected
(1 unknown food)
>>> result.report.rejected
(Rejection(line=5, reason='unknown food'),)
>>> result.source.id
'usda-fdc-2024-10-31'
>>> kale = result.table["Kale, raw (FDC 9001)"]
>>> kale.id, kale.content
('fdc-9001', VitaminK({K1: 390 µg/100 g}; not analysed: all but K1))
>>> both = fdc.combine(foods, result.table)
>>> both["natto"] is foods["natto"], both["fdc-9002"].name
(True, 'Natto (FDC 9002)')
"""

from __future__ import annotations

import bisect
import csv
import functools
import io
import math
import re
import zipfile
import zlib
from collections.abc import Collection, Iterable, Iterator, Mapping
from contextlib import contextmanager
from os import PathLike
from pathlib import Path, PurePosixPath
from types import MappingProxyType
from typing import IO, TYPE_CHECKING, Any, Final, Literal, NamedTuple, NoReturn

import attrs

from k2nutrition.errors import DataError, K2NutritionError, MissingDependencyError
from k2nutrition.food import Food, FoodTable, FoodValue, fold_name, unknown_vitamers
from k2nutrition.profile import VitaminK
from k2nutrition.sources import Confidence, Source
from k2nutrition.vitamers import Vitamer

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "DUPLICATE",
    "MAX_LINE",
    "MAX_SIZE",
    "NEGATIVE_AMOUNT",
    "NOT_A_NUMBER",
    "NUTRIENTS",
    "UNKNOWN_FOOD",
    "UNKNOWN_UNIT",
    "FdcError",
    "FdcFood",
    "FdcNutrient",
    "FdcReport",
    "FdcResult",
    "Rejection",
    "combine",
    "load",
]

Errors = Literal["raise", "report"]

#: Reasons a row of ``food_nutrient.csv`` is rejected, in the order they are checked.
UNKNOWN_FOOD: Final = "unknown food"
UNKNOWN_UNIT: Final = "unknown unit"
NOT_A_NUMBER: Final = "amount is not a number"
NEGATIVE_AMOUNT: Final = "negative amount"
DUPLICATE: Final = "duplicate value for this food and nutrient"

FILES: Final = ("food.csv", "nutrient.csv", "food_nutrient.csv")
FOOD_COLUMNS: Final = ("fdc_id", "data_type", "description")
NUTRIENT_COLUMNS: Final = ("id", "name", "unit_name", "nutrient_nbr")
FOOD_NUTRIENT_COLUMNS: Final = ("fdc_id", "nutrient_id", "amount")

_SHOWN: Final = 5
_BLOCK_SIZE = 1 << 22  # bytes of food_nutrient.csv that pyarrow parses at a time
#: The longest line and the most bytes of food_nutrient.csv that load reads by default.
MAX_LINE: Final = 1 << 20
MAX_SIZE: Final = 1 << 36
_LONE_CR: Final = re.compile(rb"\r(?!\n)")
_INTEGER: Final = re.compile(r"[+-]?[0-9]+(?:\.0*)?")
_DECIMAL: Final = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_RELEASE: Final = re.compile(r"fooddata_central.*?([0-9]{4}-[0-9]{2}(?:-[0-9]{2})?)", re.I)
_YEAR: Final = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})(?![0-9])")


class FdcError(K2NutritionError, ValueError):
    """An FDC download that cannot be read, or (with ``errors="raise"``) rejected rows.

    Attributes
    ----------
    rejected : tuple of Rejection
        The rejected rows, when that is the reason (empty otherwise).
    """

    def __init__(self, message: str, rejected: Iterable[Rejection] = ()) -> None:
        super().__init__(message)
        self.rejected = tuple(rejected)


@attrs.frozen
class FdcNutrient:
    """A vitamin K nutrient of FDC, and the vitamer it is stored as.

    Attributes
    ----------
    id : int
        The nutrient's id (``nutrient.csv`` ``id``, ``food_nutrient.csv`` ``nutrient_id``).
    nutrient_nbr : int
        The older USDA nutrient number (``nutrient.csv`` ``nutrient_nbr``).
    name : str
        FDC's name of the nutrient.
    vitamer : Vitamer
    """

    id: int
    nutrient_nbr: int
    name: str
    vitamer: Vitamer

    def matches(self, name: str) -> bool:
        """Whether ``name`` (from ``nutrient.csv``) names this nutrient."""
        folded = re.sub(r"[^0-9a-z]", "", fold_name(name))
        if self.vitamer is Vitamer.DIHYDRO_K1:
            return "dihydrophylloquinone" in folded
        if self.vitamer is Vitamer.MK4:
            return "menaquinone4" in folded
        return "phylloquinone" in folded and "dihydro" not in folded


#: The vitamin K nutrients kept from an FDC download, by FDC nutrient id.
NUTRIENTS: Final[Mapping[int, FdcNutrient]] = MappingProxyType(
    {
        n.id: n
        for n in (
            FdcNutrient(1185, 430, "Vitamin K (phylloquinone)", Vitamer.K1),
            FdcNutrient(1183, 428, "Vitamin K (Menaquinone-4)", Vitamer.MK4),
            FdcNutrient(1184, 429, "Vitamin K (Dihydrophylloquinone)", Vitamer.DIHYDRO_K1),
        )
    }
)
#: The units of ``nutrient.csv`` (``unit_name``), as written in FoodValue.unit, and to µg.
_UNITS: Final[Mapping[str, tuple[str, float]]] = {"UG": ("ug", 1.0), "MG": ("mg", 1000.0)}
# The nutrient ids as written in food_nutrient.csv; other spellings (" 1185 ", "1185.0")
# are rare, and only rows whose nutrient id holds _NEEDLE are checked for them.
_NUTRIENT_TEXT: Final = {str(i): i for i in NUTRIENTS}
_ID_WIDTH: Final = 4
_NEEDLE: Final = "118"  # what every vitamin K nutrient id starts with
assert all(len(t) == _ID_WIDTH and t.startswith(_NEEDLE) for t in _NUTRIENT_TEXT)


class Rejection(NamedTuple):
    """A row of ``food_nutrient.csv`` that was not kept.

    Attributes
    ----------
    line : int
        The row's line in the file (1-based; the header is line 1).
    reason : str
        One of ``"unknown food"`` (its ``fdc_id`` is not in ``food.csv``),
        ``"unknown unit"`` (its nutrient is missing from ``nutrient.csv``, or its
        ``unit_name`` is neither ``UG`` nor ``MG``), ``"amount is not a number"``,
        ``"negative amount"`` and ``"duplicate value for this food and nutrient"``.
    """

    line: int
    reason: str


def _rejections(rows: Iterable[Rejection]) -> tuple[Rejection, ...]:
    return tuple(sorted(Rejection(*r) for r in rows))


@attrs.frozen
class FdcReport:
    """What became of the rows of ``food_nutrient.csv``.

    Every vitamin K row is counted once:
    ``rows_vitamin_k == rows_kept + rows_skipped + rows_rejected``.

    Attributes
    ----------
    rows_read : int
        Data rows in ``food_nutrient.csv`` (every nutrient; blank lines not counted).
    rows_vitamin_k : int
        Rows of the vitamin K nutrients (:data:`NUTRIENTS`).
    rows_kept : int
        Vitamin K rows stored in the table.
    rows_skipped : int
        Vitamin K rows of foods whose data type was left out with ``data_types``.
    rejected : tuple of Rejection
        The other vitamin K rows, as ``(line, reason)`` named tuples sorted by line. A row
        is rejected for the first reason that applies, checked in the order "unknown food",
        "unknown unit", "amount is not a number", "negative amount", "duplicate value for
        this food and nutrient" (the first usable row of a food and nutrient is kept, and
        later ones rejected).
    """

    rows_read: int
    rows_vitamin_k: int
    rows_kept: int
    rows_skipped: int
    rejected: tuple[Rejection, ...] = attrs.field(converter=_rejections, factory=tuple)

    @property
    def rows_rejected(self) -> int:
        """The number of rejected rows."""
        return len(self.rejected)

    def counts(self) -> dict[str, int]:
        """Return the number of rejected rows per reason, most frequent first."""
        counts: dict[str, int] = {}
        for r in self.rejected:
            counts[r.reason] = counts.get(r.reason, 0) + 1
        return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))

    def to_frame(self) -> pd.DataFrame:
        """Return the rejected rows as a DataFrame with columns ``line`` and ``reason``.

        Needs pandas (``pip install k2nutrition[pandas]``).
        """
        try:
            import pandas as pd
        except ImportError:  # pragma: no cover - depends on the environment
            raise MissingDependencyError("FdcReport.to_frame", "pandas", "pandas") from None
        return pd.DataFrame(
            {
                "line": pd.array([r.line for r in self.rejected], dtype="int64"),
                "reason": pd.Categorical([r.reason for r in self.rejected]),
            }
        )

    def __str__(self) -> str:
        text = (
            f"food_nutrient.csv: {self.rows_read} rows read, {self.rows_vitamin_k} of "
            f"vitamin K: {self.rows_kept} kept, {self.rows_skipped} skipped (data type), "
            f"{self.rows_rejected} rejected"
        )
        if self.rejected:
            text += " (" + ", ".join(f"{n} {why}" for why, n in self.counts().items()) + ")"
        return text


@attrs.frozen
class FdcFood:
    """What ``food.csv`` says of an imported food.

    Attributes
    ----------
    fdc_id : int
    data_type : str
        Such as ``"sr_legacy_food"``, ``"foundation_food"`` or ``"survey_fndds_food"``.
    description : str
    food_category_id, publication_date : str
        As written in ``food.csv`` (empty when the column is absent).
    """

    fdc_id: int
    data_type: str
    description: str
    food_category_id: str = ""
    publication_date: str = ""


def _frozen(mapping: Mapping[str, FdcFood]) -> Mapping[str, FdcFood]:
    return MappingProxyType(dict(mapping))


@attrs.frozen(eq=False)
class FdcResult:
    """An imported FDC download.

    Attributes
    ----------
    table : FoodTable
        One record per FDC food with at least one kept vitamin K value, with id and food
        key ``"fdc-<fdc_id>"`` and name ``"<description> (FDC <fdc_id>)"``.
    report : FdcReport
        Rows read, kept, skipped and rejected.
    source : Source
        The one source of every record of :attr:`table`.
    release : str or None
        The release, as given to :func:`load` or read from the download's name.
    foods : mapping of str to FdcFood
        ``food.csv``'s description of each record of :attr:`table`, by record id.
    """

    table: FoodTable
    report: FdcReport
    source: Source
    release: str | None
    foods: Mapping[str, FdcFood] = attrs.field(converter=_frozen, factory=dict)

    def __repr__(self) -> str:
        return (
            f"FdcResult({len(self.table)} foods, {self.report.rows_kept} values kept, "
            f"{self.report.rows_rejected} rejected, source={self.source.id!r})"
        )


# -- opening the download ---------------------------------------------------------------


class _Download:
    """The three files of a download, in a folder or a zip file."""

    def __init__(self, path: Path, archive: zipfile.ZipFile | None, base: str) -> None:
        self.path = path
        self.archive = archive
        self.base = base  # folder path (or zip member prefix) holding the files

    def open(self, name: str) -> IO[bytes]:
        """Open the file ``name`` of the download, for reading bytes."""
        if self.archive is not None:
            member = f"{self.base}/{name}" if self.base else name
            try:
                return self.archive.open(member)
            except KeyError:
                pass  # no such member
        elif (self.path / self.base / name).is_file():
            return (self.path / self.base / name).open("rb")
        where = self.path.name + (f" ({self.base})" if self.base else "")
        raise FdcError(f"{where} has no {name}; an FDC CSV download holds {', '.join(FILES)}")

    @property
    def names(self) -> list[str]:
        """The names that may tell the release: the file's, then the inner folder's."""
        names = [self.path.stem if self.archive is not None else self.path.name]
        if self.base:
            names.append(PurePosixPath(self.base).name)
        return names


@contextmanager
def _open(path: str | PathLike[str]) -> Iterator[_Download]:
    p = Path(path)
    if p.is_dir():
        if (p / "food_nutrient.csv").is_file():
            yield _Download(p, None, "")
            return
        inner = sorted(d.name for d in p.iterdir() if (d / "food_nutrient.csv").is_file())
        if len(inner) != 1:
            found = f"; it has several: {inner}" if inner else ""
            raise FdcError(
                f"{p.name} holds no food_nutrient.csv (nor does exactly one folder in it)"
                f"{found}; an FDC CSV download holds {', '.join(FILES)}"
            )
        yield _Download(p, None, inner[0])
        return
    if not p.exists():
        raise FdcError(f"no FDC download at {str(path)!r}: no such file or folder")
    if not zipfile.is_zipfile(p):
        raise FdcError(f"{p.name} is neither a folder nor a zip file")
    with zipfile.ZipFile(p) as archive:
        members = [
            PurePosixPath(m)
            for m in archive.namelist()
            if PurePosixPath(m).name == "food_nutrient.csv" and not m.startswith("__MACOSX/")
        ]
        if len(members) != 1:
            problem = "no food_nutrient.csv"
            if members:
                problem = f"several food_nutrient.csv: {[str(m) for m in members]}"
            raise FdcError(
                f"{p.name} holds {problem}; an FDC CSV download holds {', '.join(FILES)}"
            )
        parent = str(members[0].parent)
        yield _Download(p, archive, "" if parent == "." else parent)


def _guess_release(names: Iterable[str]) -> str | None:
    for name in names:
        match = _RELEASE.search(name)
        if match:
            return match.group(1)
    return None


# -- reading CSV ------------------------------------------------------------------------


def _header(
    first: bytes, file: str, required: tuple[str, ...], optional: tuple[str, ...] = ()
) -> dict[str, int]:
    """Read the header line; return the index of each required and present optional column."""
    if not first.strip():
        raise FdcError(f"{file} is empty (it needs a header line)")
    try:
        text = first.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FdcError(f"{file}, line 1: not UTF-8 text") from None
    header = [c.strip() for c in next(csv.reader([text]))]
    missing = [c for c in required if c not in header]
    if missing:
        raise FdcError(
            f"{file}: missing column(s) {missing}; found {header}. FDC's {file} has "
            f"{', '.join(repr(c) for c in required)} (other columns may follow)"
        )
    columns = {c: header.index(c) for c in (*required, *optional) if c in header}
    return {**columns, "width": len(header)}


def _rows(lines: Iterable[bytes], file: str, first_line: int) -> Iterator[tuple[int, list[str]]]:
    """Parse CSV ``lines`` (one physical line each); yield ``(line number, fields)``.

    ``first_line`` is the number of the first line. Blank lines are skipped.
    """
    line = first_line
    text = _decoded(lines, file, first_line)
    reader = csv.reader(text)
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise FdcError(f"{file}, line {line}: {exc}") from None
        start = line
        line = first_line + reader.line_num
        if row:
            yield start, row


def _decoded(lines: Iterable[bytes], file: str, first_line: int) -> Iterator[str]:
    for n, raw in enumerate(lines, first_line):
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError:
            raise FdcError(f"{file}, line {n}: not UTF-8 text") from None


def _field(row: list[str], index: int) -> str:
    return row[index].strip() if index < len(row) else ""


def _integer(text: str) -> int | None:
    text = text.strip()
    if text.isascii() and text.isdigit():
        return int(text)
    if not _INTEGER.fullmatch(text):
        return None
    return int(float(text)) if "." in text else int(text)


def _amount(text: str) -> float | None:
    """Return the amount as a finite number, or None."""
    text = text.strip()
    if not _DECIMAL.fullmatch(text):
        return None
    value = float(text)
    return value if math.isfinite(value) else None


class _VitaminKRow(NamedTuple):
    line: int
    fdc_id: int | None
    nutrient_id: int
    amount: str


class _Scan(NamedTuple):
    rows_read: int
    rows: list[_VitaminKRow]
    records: int  # lines the rows would take if no row spanned lines (the header included)
    empty: int  # rows without a nutrient id (blank lines among them)


def _nutrient_id(text: str) -> int | None:
    """Return the vitamin K nutrient that ``text`` names (``" 1185"``, ``"1185.0"``), or None."""
    head, dot, zeros = text.strip(" \t").partition(".")
    if dot and zeros.strip("0"):
        return None
    return _NUTRIENT_TEXT.get(head)


def _text(raw: bytes | None) -> str:
    return raw.decode("utf-8", "replace").strip() if raw else ""


def _vitamin_k_row(line: int, fields: list[str], cols: Mapping[str, int]) -> _VitaminKRow | None:
    """Return the row if it is of a vitamin K nutrient (``fields`` as the csv module gives)."""
    if cols["nutrient_id"] >= len(fields):
        return None
    nutrient = _nutrient_id(fields[cols["nutrient_id"]])
    if nutrient is None:
        return None
    return _VitaminKRow(
        line, _integer(_field(fields, cols["fdc_id"])), nutrient, _field(fields, cols["amount"])
    )


class _Checked(io.RawIOBase):
    """A byte stream that counts lines and refuses long lines, lone CRs and too much data.

    Reading stops with :class:`FdcError` at the first line longer than ``max_line``
    bytes, at a carriage return that does not end a line with a line feed, once more than
    ``max_size`` bytes were read, or at a damaged zip member (such as a bad CRC), so that
    memory stays bounded whatever the file holds.
    """

    def __init__(self, raw: IO[bytes], file: str, max_line: int, max_size: int) -> None:
        super().__init__()
        self.raw, self.file, self.max_line, self.max_size = raw, file, max_line, max_size
        self.size = self.newlines = self.since = 0
        self.last = b""  # the last byte read

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        try:
            data = self.raw.read(min(len(buffer), 1 << 24))
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
            raise FdcError(f"{self.file}: cannot be read ({exc})") from None
        self._check(data)
        buffer[: len(data)] = data
        return len(data)

    def _fail(self, line: int, what: str) -> NoReturn:
        raise FdcError(f"{self.file}, line {line}: {what}")

    def _check(self, data: bytes) -> None:
        self.size += len(data)
        if self.size > self.max_size:
            self._fail(self.newlines + 1, f"the file is longer than {self.max_size:,} bytes")
        if b"\r" in data or self.last == b"\r":
            joined = self.last + data
            lone = _LONE_CR.search(joined)
            if lone is not None and (lone.end() < len(joined) or not data):  # CR, then LF?
                line = self.newlines + joined.count(b"\n", 0, lone.start()) + 1
                self._fail(line, "a carriage return alone ends a line (use LF or CRLF)")
        for at in range(0, len(data), self.max_line):
            piece = data[at : at + self.max_line]
            end = piece.rfind(b"\n")
            if end < 0 or self.since + piece.find(b"\n") > self.max_line:
                self.since += len(piece) if end < 0 else self.max_line + 1
            else:
                self.since = len(piece) - end - 1
            if self.since > self.max_line:
                self._fail(self.newlines + 1, f"a line longer than {self.max_line:,} bytes")
            self.newlines += piece.count(b"\n")
        self.last = data[-1:] or self.last


def _buffered(raw: IO[bytes], file: str, max_line: int, max_size: int) -> io.BufferedReader:
    return io.BufferedReader(_Checked(raw, file, max_line, max_size), 1 << 16)


def _pyarrow() -> Any:
    try:
        import pyarrow as pa
        import pyarrow.compute
        import pyarrow.csv
    except ImportError:
        raise MissingDependencyError("fdc.load", "pyarrow", "fdc") from None
    return pa


def _scan_food_nutrient(stream: io.BufferedReader, file: str) -> _Scan:
    """Read the vitamin K rows of ``food_nutrient.csv`` with pyarrow's streaming reader.

    Every field is read as bytes, so no value can stop the load; vitamin K rows are found
    by comparing whole columns, and only they are turned into Python objects.
    """
    pa = _pyarrow()
    cols = _header(stream.readline(), file, FOOD_NUTRIENT_COLUMNS)
    if not stream.peek(1):
        return _Scan(0, [], 1, 0)
    names = [f"c{i}" for i in range(cols["width"])]
    odd: list[tuple[int, str]] = []  # (record, text) of rows with another number of fields

    def invalid(row: Any) -> str:
        odd.append((row.number, row.text))
        return "skip"

    try:
        reader = pa.csv.open_csv(
            stream,
            read_options=pa.csv.ReadOptions(
                use_threads=False, block_size=_BLOCK_SIZE, column_names=names
            ),
            parse_options=pa.csv.ParseOptions(
                newlines_in_values=True,
                ignore_empty_lines=False,
                invalid_row_handler=invalid,
            ),
            convert_options=pa.csv.ConvertOptions(
                include_columns=[names[cols[c]] for c in FOOD_NUTRIENT_COLUMNS],
                column_types=dict.fromkeys(names, pa.binary()),
            ),
        )
        return _vitamin_k_rows(reader, cols, odd)
    except pa.ArrowInvalid as exc:
        raise FdcError(f"{file}: {exc}") from None


def _vitamin_k_rows(reader: Any, cols: Mapping[str, int], odd: list[tuple[int, str]]) -> _Scan:
    pa = _pyarrow()
    pc = pa.compute
    ids = pa.array([str(i).encode() for i in NUTRIENTS], pa.binary())
    found: list[tuple[int, int, bytes | None, bytes | None]] = []  # (row, nutrient, id, amount)
    records = empty = 0
    for batch in reader:
        nutrients = batch.column(1)
        width = pc.binary_length(nutrients)
        empty += pc.sum(pc.equal(width, 0)).as_py() or 0
        # other spellings (" 1185 ", "1185.0") are rare: those rows are checked one by one
        near = pc.indices_nonzero(pc.not_equal(width, _ID_WIDTH))
        near = near.filter(pc.match_substring(nutrients.take(near), _NEEDLE))
        for rows, check in ((pc.indices_nonzero(pc.is_in(nutrients, ids)), False), (near, True)):
            part = batch.take(rows).to_pydict().values()
            for row, fdc_id, nutrient, amount in zip(rows.to_pylist(), *part, strict=True):
                number = _nutrient_id(_text(nutrient)) if check else int(nutrient)
                if number is not None:
                    found.append((records + row, number, fdc_id, amount))
        records += batch.num_rows
    # records are numbered from 1 after the header; pyarrow skipped the odd ones
    shift = [n - 1 - k for k, n in enumerate(sorted(n for n, _ in odd))]
    rows_out = [
        _VitaminKRow(row + bisect.bisect_right(shift, row) + 2, _integer(_text(i)), n, _text(a))
        for row, n, i, a in found
    ]
    for n, text in odd:  # the csv module parses them as the old rows of the file
        row = _vitamin_k_row(n + 1, next(csv.reader([text]), []), cols)
        rows_out += [row] if row is not None else []
    return _Scan(records + len(odd), sorted(rows_out), records + len(odd) + 1, empty)


def _read_food_nutrient(download: _Download, max_line: int, max_size: int) -> _Scan:
    """Read the vitamin K rows of ``food_nutrient.csv``, checking its lines as they stream by.

    pyarrow numbers records, not lines: where a quoted field spans lines (the line count
    and the record count differ) or a line is blank, the file is read again by the csv
    module, which gives each row the line it starts on.
    """
    file = "food_nutrient.csv"
    with download.open(file) as raw:
        stream = _buffered(raw, file, max_line, max_size)
        scan = _scan_food_nutrient(stream, file)
        checked = stream.raw
        assert isinstance(checked, _Checked)
        checked._check(b"")  # a lone CR at the very end
        lines = checked.newlines + (checked.last not in {b"", b"\n"})
    if lines == scan.records and not scan.empty:
        return scan
    with download.open(file) as raw:
        stream = _buffered(raw, file, max_line, max_size)
        cols = _header(stream.readline(), file, FOOD_NUTRIENT_COLUMNS)
        rows = list(_rows(stream, file, 2))
    kept = [_vitamin_k_row(line, fields, cols) for line, fields in rows]
    return _Scan(len(rows), [r for r in kept if r is not None], scan.records, 0)


def _read_nutrients(stream: IO[bytes]) -> dict[int, tuple[str, float] | None]:
    """Check the vitamin K rows of ``nutrient.csv``; return their unit and factor to µg."""
    file = "nutrient.csv"
    cols = _header(stream.readline(), file, NUTRIENT_COLUMNS)
    units: dict[int, tuple[str, float] | None] = {}
    for line, row in _rows(stream, file, 2):
        nutrient_id = _integer(_field(row, cols["id"]))
        expected = NUTRIENTS.get(nutrient_id) if nutrient_id is not None else None
        if expected is None:
            continue
        if expected.id in units:
            raise FdcError(f"{file}, line {line}: nutrient {expected.id} appears twice")
        name = _field(row, cols["name"])
        number_text = _field(row, cols["nutrient_nbr"])
        number = _integer(number_text)
        if not expected.matches(name) or (number_text and number != expected.nutrient_nbr):
            raise FdcError(
                f"{file}, line {line}: nutrient {expected.id} is {name!r} with nutrient_nbr "
                f"{number_text!r}; FDC's nutrient {expected.id} is {expected.name!r} "
                f"(nutrient_nbr {expected.nutrient_nbr}). Is this an FDC download?"
            )
        units[expected.id] = _UNITS.get(_field(row, cols["unit_name"]).upper())
    return units


def _read_foods(stream: IO[bytes], wanted: set[int]) -> dict[int, FdcFood]:
    """Read the rows of ``food.csv`` whose fdc_id is in ``wanted``."""
    file = "food.csv"
    cols = _header(stream.readline(), file, FOOD_COLUMNS, ("food_category_id", "publication_date"))
    if not wanted:
        return {}
    keys = {str(i): i for i in wanted}
    found: dict[int, FdcFood] = {}
    lines: dict[int, int] = {}
    optional = cols.get("food_category_id"), cols.get("publication_date")
    for line, row in _rows(stream, file, 2):
        text = _field(row, cols["fdc_id"])
        fdc_id = keys.get(text)
        if fdc_id is None:
            if text.isdigit() and not text.startswith("0"):
                continue
            fdc_id = _integer(text)
            if fdc_id not in wanted:
                continue
        assert fdc_id is not None
        if fdc_id in found:
            raise FdcError(f"{file}, line {line}: fdc_id {fdc_id} is also on line {lines[fdc_id]}")
        lines[fdc_id] = line
        found[fdc_id] = FdcFood(
            fdc_id=fdc_id,
            data_type=_field(row, cols["data_type"]),
            description=_field(row, cols["description"]),
            food_category_id=_field(row, optional[0]) if optional[0] is not None else "",
            publication_date=_field(row, optional[1]) if optional[1] is not None else "",
        )
    return found


# -- load -------------------------------------------------------------------------------


def _source(release: str | None) -> Source:
    year = _YEAR.search(release) if release else None
    return Source(
        id="usda-fdc" + (f"-{release}" if release else ""),
        kind="database",
        authors=("U.S. Department of Agriculture, Agricultural Research Service",),
        year=int(year.group(1)) if year else None,
        title="FoodData Central",
        container="USDA Agricultural Research Service",
        url="https://fdc.nal.usda.gov/",
        notes=f"CSV download, release {release}" if release else "CSV download, release unknown",
    )


def _data_types(data_types: Collection[str] | str | None) -> frozenset[str] | None:
    if data_types is None:
        return None
    if isinstance(data_types, str):
        return frozenset({data_types})
    chosen = frozenset(data_types)
    if not all(isinstance(t, str) for t in chosen):
        raise FdcError(f"data_types must be FDC data type names; got {sorted(map(repr, chosen))}")
    return chosen


def load(
    path: str | PathLike[str],
    *,
    release: str | None = None,
    data_types: Collection[str] | str | None = None,
    errors: Errors = "report",
    max_line: int = MAX_LINE,
    max_size: int = MAX_SIZE,
) -> FdcResult:
    """Read the vitamin K values of a FoodData Central CSV download.

    Parameters
    ----------
    path : str or path-like
        A folder or a ``.zip`` file holding ``food.csv``, ``nutrient.csv`` and
        ``food_nutrient.csv`` (directly, or in one folder inside it, as FDC's zip files
        do). Columns are found by their header names; other columns are ignored.
    release : str, optional
        The FDC release, such as ``"2024-10-31"``; by default read from a name such as
        ``FoodData_Central_csv_2024-10-31`` (of the zip file, the folder, or the folder
        inside), else unknown. It is part of the source id (``"usda-fdc-2024-10-31"``).
    data_types : collection of str, optional
        Keep only foods of these FDC data types, such as
        ``{"sr_legacy_food", "foundation_food"}``. The vitamin K rows of other foods are
        counted in :attr:`FdcReport.rows_skipped`.
    errors : {"report", "raise"}, default "report"
        With ``"report"``, unusable vitamin K rows are left out and listed in
        :attr:`FdcReport.rejected`. With ``"raise"``, any such row raises
        :class:`FdcError` listing the first rows and the count.
    max_line, max_size : int, default 1 MiB and 64 GiB
        The longest line and the most bytes of each file read (decompressed): a file
        with a longer line, or longer, stops the load as soon as that much is read.

    Returns
    -------
    FdcResult
        ``.table``: one :class:`~k2nutrition.food.Food` per FDC food with at least one
        kept vitamin K value: id and food key ``"fdc-<fdc_id>"``, name
        ``"<description> (FDC <fdc_id>)"`` (so that FDC names do not collide with the
        built-in ones), content in µg per 100 g, each figure as printed
        (``"ug/(100 g)"`` or ``"mg/(100 g)"``) with its line of ``food_nutrient.csv``,
        confidence high, group ``""``, basis ``"as analysed"`` (the description tells
        raw, cooked or as sold), country ``"USA"``, notes ``"FDC data type <data_type>"``.
        ``.report``: the rows read, kept, skipped and rejected. ``.source``: the
        :class:`~k2nutrition.sources.Source` of every record. ``.foods``: the ``food.csv``
        entry of each record, by record id.

    Raises
    ------
    FdcError
        If a file or a required column is missing, ``food.csv`` or ``nutrient.csv`` is not
        UTF-8 CSV, a line is longer than ``max_line`` or a file longer than ``max_size``,
        a carriage return ends a line without a line feed, a zip member is damaged (bad
        CRC), the vitamin K nutrients of ``nutrient.csv`` are not FDC's (by name and
        ``nutrient_nbr``), or, with ``errors="raise"``, a vitamin K row is rejected.
    MissingDependencyError
        If pyarrow is not installed (``pip install 'k2nutrition[fdc]'``).

    Notes
    -----
    ``food_nutrient.csv`` is read by pyarrow's streaming reader in blocks of 4 MiB, and
    only the vitamin K rows become Python objects, so memory stays bounded by the block
    size and the vitamin K rows; ``food.csv`` is then read row by row, keeping the foods
    those rows name. A line of ``food_nutrient.csv`` is never parsed twice unless a quoted
    field spans lines (see the module's notes).
    """
    if errors not in {"raise", "report"}:
        raise FdcError(f"errors must be 'raise' or 'report'; got {errors!r}")
    if not isinstance(path, str | PathLike):
        raise FdcError(
            f"path needs a folder or a .zip file, as a str or a path; got {type(path).__name__}"
        )
    wanted_types = _data_types(data_types)
    for name, cap in (("max_line", max_line), ("max_size", max_size)):
        if not isinstance(cap, int) or isinstance(cap, bool) or cap < 1:
            raise FdcError(f"{name} must be a positive whole number of bytes; got {cap!r}")
    _pyarrow()  # before reading anything: the library is needed
    with _open(path) as download:
        release = release or _guess_release(download.names)
        with download.open("nutrient.csv") as raw:
            units = _read_nutrients(_buffered(raw, "nutrient.csv", max_line, max_size))
        scan = _read_food_nutrient(download, max_line, max_size)
        wanted = {r.fdc_id for r in scan.rows if r.fdc_id is not None}
        with download.open("food.csv") as raw:
            described = _read_foods(_buffered(raw, "food.csv", max_line, max_size), wanted)

    kept, skipped, rejected = _sort_rows(scan.rows, described, units, wanted_types)
    report = FdcReport(
        rows_read=scan.rows_read,
        rows_vitamin_k=len(scan.rows),
        rows_kept=sum(len(v) for v in kept.values()),
        rows_skipped=skipped,
        rejected=rejected,
    )
    if rejected and errors == "raise":
        shown = "; ".join(f"line {r.line}: {r.reason}" for r in report.rejected[:_SHOWN])
        more = f" (and {len(rejected) - _SHOWN} more)" if len(rejected) > _SHOWN else ""
        raise FdcError(
            f"{len(rejected)} vitamin K rows of food_nutrient.csv cannot be used: {shown}{more}. "
            "Fix them, or pass errors='report' to leave them out and list them",
            report.rejected,
        )
    source = _source(release)
    records = [
        _food(described[fdc_id], rows, units, source) for fdc_id, rows in sorted(kept.items())
    ]
    return FdcResult(
        table=FoodTable(records),
        report=report,
        source=source,
        release=release,
        foods={r.id: described[fdc_id] for r, fdc_id in zip(records, sorted(kept), strict=True)},
    )


def _sort_rows(
    rows: list[_VitaminKRow],
    described: Mapping[int, FdcFood],
    units: Mapping[int, tuple[str, float] | None],
    wanted_types: frozenset[str] | None,
) -> tuple[dict[int, list[tuple[_VitaminKRow, float]]], int, list[Rejection]]:
    """Sort the vitamin K rows into kept (by food), skipped and rejected."""
    kept: dict[int, list[tuple[_VitaminKRow, float]]] = {}
    rejected: list[Rejection] = []
    skipped = 0
    seen: set[tuple[int, int]] = set()
    for row in rows:
        food = described.get(row.fdc_id) if row.fdc_id is not None else None
        if food is None:
            rejected.append(Rejection(row.line, UNKNOWN_FOOD))
            continue
        if wanted_types is not None and food.data_type not in wanted_types:
            skipped += 1
            continue
        value = _amount(row.amount)
        reason = ""
        if units.get(row.nutrient_id) is None:
            reason = UNKNOWN_UNIT
        elif value is None:
            reason = NOT_A_NUMBER
        elif value < 0:
            reason = NEGATIVE_AMOUNT
        elif (food.fdc_id, row.nutrient_id) in seen:
            reason = DUPLICATE
        if reason:
            rejected.append(Rejection(row.line, reason))
            continue
        assert value is not None
        seen.add((food.fdc_id, row.nutrient_id))
        kept.setdefault(food.fdc_id, []).append((row, value))
    return kept, skipped, rejected


@functools.cache
def _unknown(reported: frozenset[Vitamer]) -> frozenset[Vitamer]:
    return unknown_vitamers(reported, ())


def _food(
    food: FdcFood,
    rows: list[tuple[_VitaminKRow, float]],
    units: Mapping[int, tuple[str, float] | None],
    source: Source,
) -> Food:
    values: list[FoodValue] = []
    content: dict[Vitamer, float] = {}
    for row, value in rows:
        unit = units[row.nutrient_id]
        assert unit is not None
        label, to_microgram = unit
        vitamer = NUTRIENTS[row.nutrient_id].vitamer
        values.append(
            FoodValue(
                component=vitamer,
                value=value,
                unit=f"{label}/(100 g)",
                location=(
                    f"food_nutrient.csv line {row.line}; fdc_id {food.fdc_id}; "
                    f"data type {food.data_type}"
                ),
                confidence=Confidence.HIGH,
            )
        )
        content[vitamer] = value * to_microgram + 0.0  # + 0.0 turns -0.0 into 0.0
    key = f"fdc-{food.fdc_id}"
    name = f"{food.description} (FDC {food.fdc_id})" if food.description else f"FDC {food.fdc_id}"
    return Food(
        id=key,
        food=key,
        name=name,
        content=VitaminK.from_magnitudes(
            content, "content", not_analysed=_unknown(frozenset(content))
        ),
        source=source,
        values=tuple(values),
        group="",
        basis="as analysed",
        country="USA",
        preferred=True,
        notes=f"FDC data type {food.data_type}",
    )


# -- combine ----------------------------------------------------------------------------


def combine(primary: FoodTable, secondary: FoodTable) -> FoodTable:
    """Return a table holding the records of both tables; ``primary`` wins name clashes.

    Parameters
    ----------
    primary : FoodTable
        Its records are kept as they are, and every name, alias and id that leads to one
        of its foods still does.
    secondary : FoodTable
        Its records are added, adjusted where they would clash with ``primary``:

        - an alias, Chinese or Japanese name that leads to another food in ``primary`` is
          dropped from the record;
        - an English name that does is replaced by ``"<name> (<record id>)"``;
        - a record of a food key that ``primary`` has too joins that food, as a record
          that is not preferred (``primary``'s preferred record stays preferred);
        - a food key that is a name in ``primary`` is replaced by the food's preferred
          record id;
        - a record whose id is also in ``primary`` is left out if the two are equal.

        Every secondary record stays reachable by its id, and by its name where there is
        no clash.

    Returns
    -------
    FoodTable

    Raises
    ------
    DataError
        If a secondary record has the id of a different primary record, or an id that
        is a name in ``primary``.

    Notes
    -----
    To prefer the built-in table, pass it first: ``combine(foods, result.table)``. FDC
    records never clash with the built-in names (their names end in
    ``"(FDC <fdc_id>)"`` and they have no aliases), so either order keeps every record
    reachable; the order only matters for tables with shared names.

    Examples
    --------
    >>> from k2nutrition import foods
    >>> len(combine(foods, foods)) == len(foods)  # equal records are not added twice
    True
    """
    primary_records = list(primary)
    by_id = {f.id: f for f in primary_records}
    food_keys = {f.food for f in primary_records}
    owner: dict[str, str] = {}  # folded name -> the primary food it leads to
    for f in primary_records:
        names = (f.food, f.id, *(f.names if f.preferred else (f.name,)))
        for name in names:
            owner.setdefault(fold_name(name), f.food)

    renamed: dict[str, str] = {}
    for f in secondary:
        if f.preferred and f.food not in food_keys and fold_name(f.food) in owner:
            renamed[f.food] = f.id

    added: list[Food] = []
    for f in secondary:
        if f.id in by_id:
            if by_id[f.id] == f:
                continue
            raise DataError(f"combine: both tables have a record {f.id!r}, with different figures")
        if fold_name(f.id) in owner:
            raise DataError(
                f"combine: the secondary record id {f.id!r} is a name of "
                f"{owner[fold_name(f.id)]!r} in the primary table"
            )
        food = renamed.get(f.food, f.food)

        def free(name: str, food: str = food) -> bool:
            return owner.get(fold_name(name), food) == food

        adjusted = attrs.evolve(
            f,
            food=food,
            name=f.name if free(f.name) else f"{f.name} ({f.id})",
            name_zh=f.name_zh if free(f.name_zh) else "",
            name_ja=f.name_ja if free(f.name_ja) else "",
            aliases=tuple(a for a in f.aliases if free(a)),
            preferred=f.preferred and food not in food_keys,
        )
        added.append(f if adjusted == f else adjusted)
    return FoodTable([*primary_records, *added])
