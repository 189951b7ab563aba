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

``food_nutrient.csv`` and ``food.csv`` are read in pieces of whole lines, each checked with
numpy and parsed from memory by pyarrow's CSV reader (``pip install 'k2nutrition[fdc]'``)
on two threads, every field as bytes; the vitamin K rows (and the foods they name) are
picked out by comparing whole columns and sorted by numpy, so memory does not grow with the
file and no value can stop the load (a bad value rejects its row). Line numbers are lines
of the file (the header is line 1); a row whose quoted field spans several lines is
numbered by its first line (pyarrow counts records, not lines: where a piece's rows are not
its lines, the file is read again by the :mod:`csv` module to number the rows). Lines
longer than ``max_line`` bytes, files longer than ``max_size``, lone carriage returns and
damaged zip members stop the load with :class:`FdcError` as they are read. Every value is
checked by the load; the table indexes its names, and builds each record, on first use.

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

import csv
import functools
import io
import itertools
import re
import zipfile
import zlib
from collections import deque
from collections.abc import Callable, Collection, Generator, Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from os import PathLike
from pathlib import Path, PurePosixPath
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final, Literal, NamedTuple, cast

import attrs

from k2nutrition.display import counted
from k2nutrition.errors import DataError, K2NutritionError, MissingDependencyError
from k2nutrition.food import Food, FoodTable, FoodValue, fold_name, fold_names, unknown_vitamers
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
_BLOCK_SIZE = 1 << 22  # bytes of a file read at a time, and parsed by pyarrow as one piece
_WORKERS: Final = 2  # threads that check and parse the pieces
_RING: Final = 2 * _WORKERS + 2  # buffers a file is read into in turn (see _pieces)
_BATCH: Final = 1 << 16  # rows of a file read by the csv module handed to pick at a time
#: The longest line and the most bytes of food_nutrient.csv that load reads by default.
MAX_LINE: Final = 1 << 20
MAX_SIZE: Final = 1 << 36
# Numbers, for pyarrow (RE2) and re, with ASCII white space around: the groups, joined,
# are the number as pyarrow reads it.
_SPACE: Final = r"[\t\n\v\f\r ]*"
_INTEGER: Final = rf"^{_SPACE}(?:\+|(?P<sign>-))?0*(?P<n>[0-9]{{1,18}})(?:\.0*)?{_SPACE}$"
_VITAMIN_K_ID: Final = rf"^{_SPACE}(?P<n>118[345])(?:\.0*)?{_SPACE}$"  # food_nutrient.csv
_DECIMAL: Final = (
    rf"^{_SPACE}(?P<n>[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?){_SPACE}$"
)
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
    return mapping if isinstance(mapping, _Imported) else MappingProxyType(dict(mapping))


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
            f"FdcResult({counted(len(self.table), 'food')}, "
            f"{counted(self.report.rows_kept, 'value')} kept, "
            f"{self.report.rows_rejected:,} rejected, source={self.source.id!r})"
        )


# -- opening the download ---------------------------------------------------------------


class _Download:
    """The three files of a download, in a folder or a zip file."""

    def __init__(self, path: Path, archive: zipfile.ZipFile | None, base: str) -> None:
        self.path = path
        self.archive = archive
        self.base = base  # folder path (or zip member prefix) holding the files

    def open(self, name: str) -> io.BufferedIOBase:
        """Open the file ``name`` of the download, for reading bytes."""
        if self.archive is not None:
            member = f"{self.base}/{name}" if self.base else name
            try:
                return cast(io.BufferedIOBase, self.archive.open(member))  # a ZipExtFile
            except KeyError:
                pass  # no such member
            except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError) as exc:
                # damaged, encrypted or compressed in a way zipfile cannot read
                raise FdcError(f"{self.path.name}: {name} cannot be read ({exc})") from None
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
    try:
        archive = zipfile.ZipFile(p)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise FdcError(f"{p.name} is a damaged zip file ({exc})") from None
    with archive:
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


class _ReadError(Exception):
    """What stops the read at a line of a piece (1 is its first line; None: no line)."""

    def __init__(self, line: int | None, what: str) -> None:
        super().__init__(what)
        self.line, self.what = line, what


def _header(first: bytes, file: str, columns: tuple[tuple[str, ...], ...]) -> dict[str, int]:
    """Read the header line; return the index of each required and present optional column.

    ``columns`` holds the required and the optional columns; ``"width"`` is the header's.
    """
    text = first.decode("utf-8-sig")
    if not text.strip():
        what = ": line 1 is blank (the header must be the first line)" if text else " is empty"
        raise FdcError(f"{file}{what}; it needs a header line")
    try:
        header = [c.strip() for c in next(csv.reader([text]))]
    except csv.Error as exc:  # such as a name longer than the csv module's field limit
        raise FdcError(f"{file}, line 1: {exc}") from None
    missing = [c for c in columns[0] if c not in header]
    if missing:
        raise FdcError(
            f"{file}: missing column(s) {missing}; found {header}. FDC's {file} has "
            f"{', '.join(repr(c) for c in columns[0])} (other columns may follow)"
        )
    return {
        **{c: header.index(c) for c in (*columns[0], *columns[1]) if c in header},
        "width": len(header),
    }


def _field(row: list[str], index: int | None) -> str:
    return row[index].strip() if index is not None and index < len(row) else ""


def _integer(text: str) -> int | None:
    match = re.fullmatch(_INTEGER, text)
    return int("".join(n for n in match.groups() if n)) if match else None


def _text(raw: bytes | None) -> str:
    return raw.decode("utf-8", "replace").strip() if raw else ""


def _pyarrow() -> Any:
    try:
        import numpy  # noqa: F401 (load needs it too)
        import pyarrow as pa
        import pyarrow.compute
        import pyarrow.csv
    except ImportError:
        raise MissingDependencyError("fdc.load", "pyarrow", "fdc") from None
    return pa


class _Piece(NamedTuple):
    """Whole lines of a file, and the last of them again.

    ``data[:end]`` are the lines (the last may lack its line end); ``data[end:again]`` is
    the last line again, where the buffer had room for it (see :func:`_parse`).
    """

    data: bytes | bytearray
    end: int
    again: int


def _read_block(raw: io.BufferedIOBase, data: bytearray, start: int) -> int:
    """Read up to ``_BLOCK_SIZE`` bytes into ``data`` at ``start``; return how many.

    ``data`` is a buffer of the ring, or (when it has no room) the bytes held, extended.
    """
    if len(data) >= start + _BLOCK_SIZE:
        return raw.readinto(memoryview(data)[start : start + _BLOCK_SIZE])
    more = raw.read(_BLOCK_SIZE)
    data += more
    return len(more)


def _pieces(raw: io.BufferedIOBase, max_line: int, max_size: int) -> Iterator[_Piece | _ReadError]:
    """Cut a file into pieces of whole lines; the last may lack its line end.

    The file is read ``_BLOCK_SIZE`` bytes at a time, and each piece ends at the last line
    end read. After the first block, the file is read into ``_RING`` buffers in turn, so
    that reading allocates no memory: a piece must be done with before ``_RING - 1`` more
    are cut. A line without end longer than ``max_line``, more than ``max_size`` bytes or
    a damaged zip member end the pieces with a :class:`_ReadError`, so that memory stays
    bounded.
    """
    ring: list[bytearray] = []
    size, turn, held = 0, 0, bytearray()  # held: the start of a line, read but not yet cut
    while True:
        start, data = len(held), held
        if size and start <= _BLOCK_SIZE >> 2:  # into the next buffer of the ring
            if len(ring) <= turn:
                ring.append(bytearray(_BLOCK_SIZE + (_BLOCK_SIZE >> 1)))
            data = ring[turn]
            data[:start] = held
        try:
            got = _read_block(raw, data, start)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
            yield _ReadError(None, f"cannot be read ({exc})")
            return
        size += got
        end = start + got - max(size - max_size, 0)
        last, ringed = data.rfind(b"\n", start, end) + 1, data is not held
        if last:
            held = data[last:end]
            line = last - data.rfind(b"\n", 0, last - 1) - 1  # the last line's length
            again = last + line if ringed and last + line <= len(data) else last
            data[last:again] = data[last - line : again - line]
            yield _Piece(data, last, again)
            turn = (turn + ringed) % _RING
        elif ringed:
            held = data[:end]
        else:
            del held[end:]
        if len(held) > max_line:
            yield _ReadError(1, f"a line longer than {max_line:,} bytes")
        elif size > max_size:
            yield _ReadError(1, f"the file is longer than {max_size:,} bytes")
        elif got:
            continue
        elif held:
            yield _Piece(held, len(held), len(held))
        return


def _check(piece: _Piece, max_line: int, text: bool) -> int:
    """Return the number of line ends in ``piece``.

    Raise :class:`_ReadError` at its first line longer than ``max_line`` bytes, carriage
    return that does not end a line with a line feed, or (for a ``text`` file) byte that
    is not UTF-8.
    """
    import numpy as np

    data, end = piece.data, piece.end
    problems: list[tuple[int, str]] = []  # (where in the piece, what)
    start = 0
    while end - start > max_line:  # the line at start must end within max_line
        stop = data.rfind(b"\n", start, start + max_line + 1)
        if stop < 0:
            problems.append((start, f"a line longer than {max_line:,} bytes"))
            break
        start = stop + 1
    codes = np.frombuffer(data, np.uint8, end)
    if data.find(b"\r", 0, end) >= 0:
        returns = np.flatnonzero(codes == 13)
        lone = returns[codes[np.minimum(returns + 1, end - 1)] != 10]
        problems += [
            (int(at), "a carriage return alone ends a line (use LF or CRLF)") for at in lone[:1]
        ]
    if text:
        try:
            str(memoryview(data)[:end], "utf-8")
        except UnicodeDecodeError as exc:
            problems.append((exc.start, "not UTF-8 text"))
    if problems:
        at, what = min(problems)
        raise _ReadError(data.count(b"\n", 0, at) + 1, what)
    return int(np.count_nonzero(codes == 10))


def _each(
    download: _Download,
    file: str,
    caps: tuple[int, int],
    columns: tuple[tuple[str, ...], ...],
    work: Callable[[dict[str, int], _Piece, int], Any] | None = None,
) -> Generator[Any, None, None]:
    """Yield the columns of ``file``'s header, then ``(line, work(columns, piece, ends))``.

    Each piece of ``file`` after the header line (see :func:`_pieces`) is checked by
    :func:`_check` and handed to ``work`` (without it: decoded) on ``_WORKERS`` threads,
    at most ``2 * _WORKERS`` pieces ahead of the one yielded, so that memory stays
    bounded; ``line`` is the piece's first line in the file. What :func:`_check` or
    :func:`_pieces` finds wrong raises :class:`FdcError` with its line, in file order.
    """
    text = file != "food_nutrient.csv"  # a bad value there rejects its row only

    def job(piece: _Piece | _ReadError) -> tuple[int, Any]:
        if isinstance(piece, _ReadError):
            raise piece
        ends = _check(piece, caps[0], text)
        if work is None:
            return ends, str(memoryview(piece.data)[: piece.end], "utf-8", "replace")
        return ends, work(cols, piece, ends)

    line = 1
    with download.open(file) as raw, ThreadPoolExecutor(_WORKERS) as pool:
        pieces = _pieces(raw, *caps)
        pending: deque[Any] = deque()
        try:
            first = next(pieces, None)
            if isinstance(first, _ReadError):
                raise first
            # the header line, and the rows after it
            head, end, rest = bytes(first.data[: first.end] if first else b"").partition(b"\n")
            line += _check(_Piece(head + end, len(head + end), len(head + end)), caps[0], True)
            cols = _header(head + end, file, columns)
            yield cols
            after = [_Piece(rest, len(rest), len(rest))] if rest else []
            for piece in itertools.chain(after, pieces, [None]):
                if piece is not None:
                    pending.append(pool.submit(job, piece))
                while len(pending) > (0 if piece is None else 2 * _WORKERS):
                    ends, value = pending.popleft().result()
                    yield line, value
                    line += ends
        except _ReadError as bad:
            where = "" if bad.line is None else f", line {line + bad.line - 1}"
            raise FdcError(f"{file}{where}: {bad.what}") from None
        finally:
            for future in pending:
                future.cancel()


def _rows(
    download: _Download, file: str, caps: tuple[int, int], columns: tuple[tuple[str, ...], ...]
) -> Iterator[Any]:
    """Yield the columns of ``file``'s header, then ``(line, fields)`` of each row.

    The rows are parsed by the :mod:`csv` module; blank lines are skipped, and a row over
    several lines is numbered by its first line.
    """
    pieces = _each(download, file, caps, columns)
    yield next(pieces)
    reader = csv.reader(line for _, text in pieces for line in io.StringIO(text, newline=""))
    line = 2
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise FdcError(f"{file}, line {line}: {exc}") from None
        start, line = line, 2 + reader.line_num
        if row:
            yield start, row


class _Picked(NamedTuple):
    rows_read: int
    columns: dict[str, Any]  # column name -> the picked rows' fields (a pyarrow binary array)
    lines: Any  # numpy int64: the line each picked row starts on


def _picked(
    rows: list[tuple[int, list[str]]], cols: dict[str, int], pick: Callable[[Any], Any]
) -> tuple[Any, Any]:
    """Return the ``(line, fields)`` rows that ``pick`` selects: a table, and their lines."""
    import numpy as np

    pa = _pyarrow()
    fields = {c: [r[i] if i < len(r) else "" for _, r in rows] for c, i in cols.items()}
    table = pa.table({c: pa.array(f, pa.binary()) for c, f in fields.items() if c != "width"})
    picked = pick(table).to_numpy()
    return table.take(picked), np.array([n for n, _ in rows], np.int64)[picked]


def _parse(cols: dict[str, int], piece: _Piece, ends: int, pick: Callable[[Any], Any]) -> Any:
    """Parse a piece by pyarrow, every field as bytes; return its rows and the picked ones.

    The result is the number of rows, and the rows ``pick`` selects (a table of the
    columns read) with their indices in the piece; or None if the piece's rows are not
    its lines (a blank line, a quoted field over several lines). Rows of another width
    are parsed by the :mod:`csv` module.
    """
    import numpy as np

    pa = _pyarrow()
    names = [f"c{i}" for i in range(cols["width"])]
    read_cols = [c for c in cols if c != "width"]
    odd: list[tuple[int, str]] = []  # the rows of another width: index, and text

    def odd_row(row: Any) -> str:
        odd.append((row.number - 1, row.text))
        return "skip"

    # a piece ending with a line end (all but the last) is read with its last line again:
    # that line is then one more row, unless it ends inside a quoted field
    data: Any = memoryview(piece.data)[: piece.again]
    whole = piece.data[piece.end - 1] == 10
    if whole and piece.again == piece.end:  # no room for it in the buffer
        data = bytes(data) + bytes(data[piece.data.rfind(b"\n", 0, piece.end - 1) + 1 :])
    if np.frombuffer(data, np.uint8).max(initial=0) > 127:
        try:  # pyarrow cannot hand a row of another width that is not UTF-8 to odd_row:
            str(data, "utf-8")
        except UnicodeDecodeError:  # such bytes (not a number anyway) read as U+FFFD
            data = str(data, "utf-8", "replace").encode()
    try:
        table = pa.csv.read_csv(
            pa.py_buffer(data),
            pa.csv.ReadOptions(use_threads=False, block_size=len(data) + 1, column_names=names),
            pa.csv.ParseOptions(newlines_in_values=True, invalid_row_handler=odd_row),
            pa.csv.ConvertOptions(
                include_columns=[names[cols[c]] for c in read_cols],
                column_types=dict.fromkeys(names, pa.binary()),
            ),
        )
    except pa.ArrowInvalid:
        return None
    if table.num_rows + len(odd) != ends + 1:
        return None
    if whole and odd and odd[-1][0] == ends:  # the row read again
        odd.pop()
    elif whole:
        table = table.slice(0, table.num_rows - 1)
    table = table.rename_columns(read_cols)
    rows = pick(table).to_numpy().astype(np.int64)
    if not odd:
        return table.num_rows, table.take(rows), rows
    shift = np.array([n for n, _ in odd], np.int64) - np.arange(len(odd))  # rows before
    try:
        split = [(n, next(csv.reader([text]), [])) for n, text in odd]
    except csv.Error:  # a field over the csv module's limit: let it say where, reading again
        return None
    more, lines = _picked(split, cols, pick)
    at = np.concatenate([rows + np.searchsorted(shift, rows, "right"), lines])
    order = np.argsort(at, kind="stable")
    picked = pa.concat_tables([table.take(rows), more]).take(order)
    return table.num_rows + len(odd), picked, at[order]


def _read(
    download: _Download,
    file: str,
    caps: tuple[int, int],
    columns: tuple[tuple[str, ...], ...],
    pick: Callable[[Any], Any],
) -> _Picked:
    """Read the rows of ``file`` that ``pick`` selects (of a pyarrow table, by index).

    ``columns`` holds the required and the optional columns read (others are ignored);
    ``pick`` is given tables of those columns, every field as bytes. pyarrow parses the
    file piece by piece (:func:`_each`, :func:`_parse`). Where a piece's rows are not its
    lines, the :mod:`csv` module reads the whole file again, to number the rows by their
    lines, ``_BATCH`` rows at a time. No reader is left mid-file: pyarrow parses whole
    pieces held in memory (a streaming reader left before the end may crash the process,
    apache/arrow#43604).
    """
    import numpy as np

    pa = _pyarrow()
    pieces = _each(download, file, caps, columns, functools.partial(_parse, pick=pick))
    names = [c for c in next(pieces) if c != "width"]
    parts: list[tuple[Any, Any]] = []  # the rows picked in each piece, and their lines
    rows_read = 0
    for line, part in pieces:
        if part is None:  # read again, by the csv module
            pieces.close()
            rows = _rows(download, file, caps, columns)
            cols, parts, rows_read = next(rows), [], 0
            while batch := list(itertools.islice(rows, _BATCH)):
                parts.append(_picked(batch, cols, pick))
                rows_read += len(batch)
            break
        rows_read += part[0]
        parts.append((part[1], part[2] + line))
    return _Picked(
        rows_read,
        {
            c: pa.chunked_array(
                [a for p, _ in parts for a in p.column(k).chunks], pa.binary()
            ).combine_chunks()
            for k, c in enumerate(names)
        },
        np.concatenate([np.zeros(0, np.int64), *(n for _, n in parts)]),
    )


def _numbers(column: Any, pattern: str, kind: str) -> tuple[Any, Any]:
    """Return the numbers of a binary column (numpy), and where they are finite numbers.

    A field is a number if ``pattern`` (:data:`_INTEGER` or :data:`_DECIMAL`) matches it
    whole; its group, the number without the spaces around, is converted by pyarrow. A
    column of plain numbers (decimals pyarrow converts as they are, such as ``"12.5"``;
    integers of 1 to 18 digits) is converted without the pattern, to the same numbers.
    """
    import numpy as np

    pa = _pyarrow()
    numbers = None
    if pattern in (_INTEGER, _DECIMAL):
        try:
            text = column.cast(pa.string())
            if pattern == _DECIMAL or (  # pyarrow reads "0x10" as 16: only digits, then
                pa.compute.all(pa.compute.ascii_is_decimal(text)).as_py() is not False
                and (pa.compute.max(pa.compute.utf8_length(text)).as_py() or 0) <= 18
            ):
                numbers = text.cast(kind)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            pass
    if numbers is None:
        groups = pa.compute.extract_regex(column, pattern)
        text = [pa.compute.struct_field(groups, [i]) for i in range(groups.type.num_fields)]
        numbers = pa.compute.binary_join_element_wise(*text, b"").cast(pa.string()).cast(kind)
    values = numbers.fill_null(0).to_numpy()
    return values, numbers.is_valid().to_numpy(zero_copy_only=False) & np.isfinite(values)


def _vitamin_k(table: Any) -> Any:
    """Return the indices of the rows of a food_nutrient.csv table of vitamin K nutrients."""
    import numpy as np

    pa = _pyarrow()
    nutrients = table.column("nutrient_id").combine_chunks()
    widths = pa.compute.min_max(pa.compute.binary_length(nutrients))
    if widths["min"].as_py() != 4 or widths["max"].as_py() != 4:  # " 1185 ", "1185.0"
        return pa.array(np.flatnonzero(_numbers(nutrients, _VITAMIN_K_ID, "int64")[1]))
    # nearly always "1185": the ids' bytes, 4 by 4 from the first, compared as numbers
    start = np.frombuffer(nutrients.buffers()[1], np.int32, 1, 4 * nutrients.offset)[0]
    ids = np.frombuffer(nutrients.buffers()[2], np.uint32, len(nutrients), start)
    return pa.array(np.flatnonzero(np.isin(ids, np.frombuffer(b"118311841185", np.uint32))))


def _read_nutrients(
    download: _Download, caps: tuple[int, int]
) -> dict[int, tuple[str, float] | None]:
    """Check the vitamin K rows of ``nutrient.csv``; return their unit and factor to µg."""
    file = "nutrient.csv"
    rows = _rows(download, file, caps, (NUTRIENT_COLUMNS, ()))
    cols = next(rows)
    units: dict[int, tuple[str, float] | None] = {}
    for line, row in rows:
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


_FOOD_MORE: Final = ("food_category_id", "publication_date")  # optional columns of food.csv


def _read_foods(download: _Download, wanted: Any, caps: tuple[int, int]) -> tuple[Any, Any]:
    """Return the fdc_ids in ``wanted`` (numpy) that ``food.csv`` has, sorted, and their rows."""
    import numpy as np

    pa = _pyarrow()

    def pick(table: Any) -> Any:
        ids, whole = _numbers(table.column("fdc_id"), _INTEGER, "int64")
        return pa.compute.indices_nonzero(pa.array(whole & np.isin(ids, wanted)))

    found = _read(download, "food.csv", caps, (FOOD_COLUMNS, _FOOD_MORE), pick)
    ids = _numbers(found.columns["fdc_id"], _INTEGER, "int64")[0]
    order = np.argsort(ids, kind="stable")
    first: dict[int, int] = {}
    if (np.diff(ids[order]) == 0).any():  # the first fdc_id that is there twice
        for fdc_id, line in zip(ids.tolist(), found.lines.tolist(), strict=True):
            if first.setdefault(fdc_id, line) != line:
                raise FdcError(
                    f"food.csv, line {line}: fdc_id {fdc_id} is also on line {first[fdc_id]}"
                )
    return ids[order], {c: col.take(order) for c, col in found.columns.items()}


class _Imported(Mapping[str, FdcFood]):
    """The kept rows, by food: records made on first use, and ``food.csv``'s entries."""

    def __init__(
        self,
        foods: tuple[Any, dict[str, Any]],
        rows: tuple[Any, Any, Any, Any],
        units: Mapping[int, tuple[str, float] | None],
        source: Source,
    ) -> None:
        import numpy as np

        ids, self.columns = foods  # the rows of food.csv named, sorted by fdc_id
        at, lines, nutrients, amounts = rows  # by food (row of food.csv), in file order
        starts = np.flatnonzero(np.diff(at, prepend=-1))
        self.units, self.source = units, source
        self.foods = at[starts]  # each record's row of food.csv
        self.bounds = np.append(starts, len(at))  # and its kept rows
        self.fdc_ids = ids[self.foods]  # sorted: a record id is found by its fdc_id
        self.rows = (lines, nutrients, amounts)

    def at(self, record_id: str) -> int:
        """Return the position of the record ``record_id`` (``"fdc-<fdc_id>"``)."""
        try:
            fdc_id = int(record_id.removeprefix("fdc-"))
        except (AttributeError, TypeError, ValueError):
            raise KeyError(record_id) from None
        n = int(self.fdc_ids.searchsorted(fdc_id))
        if record_id != f"fdc-{fdc_id}" or n == len(self) or self.fdc_ids[n] != fdc_id:
            raise KeyError(record_id)
        return n

    def __getitem__(self, record_id: str) -> FdcFood:
        n = self.at(record_id)
        food = [
            self.columns[c][int(self.foods[n])].as_py() if c in self.columns else b""
            for c in (*FOOD_COLUMNS[1:], *_FOOD_MORE)
        ]
        return FdcFood(int(self.fdc_ids[n]), *map(_text, food))

    def __iter__(self) -> Iterator[str]:
        return (f"fdc-{i}" for i in self.fdc_ids.tolist())

    def __len__(self) -> int:
        return len(self.fdc_ids)

    def __repr__(self) -> str:
        shown = ", ".join(itertools.islice(self, 3)) + (", ..." if len(self) > 3 else "")
        return f"<{counted(len(self), 'FDC food')} of a download: {shown}>"

    def names(self) -> list[tuple[str, tuple[str, ...]]]:
        """Return each record id with its folded names: its name, then its food key."""
        texts = self.columns["description"].take(self.foods)
        fdc_ids = self.fdc_ids.tolist()
        names = [
            f"{text.strip()} (FDC {i})" if text.strip() else f"FDC {i}"
            for text, i in zip(texts.cast("string").to_pylist(), fdc_ids, strict=True)
        ]
        keys = [f"fdc {i}" if i >= 0 else fold_name(f"fdc-{i}") for i in fdc_ids]
        return [
            (i, (name, key) if name != key else (key,))
            for i, name, key in zip(self, fold_names(names), keys, strict=True)
        ]

    def record(self, record_id: str) -> Food:
        """Build the record ``record_id`` (when the table is first asked for it)."""
        n, food = self.at(record_id), self[record_id]
        rows = (r[self.bounds[n] : self.bounds[n + 1]].tolist() for r in self.rows)
        values: list[FoodValue] = []
        content: dict[Vitamer, float] = {}
        where = f"fdc_id {food.fdc_id}; data type {food.data_type}"
        for line, nutrient, amount in zip(*rows, strict=True):
            unit = self.units[nutrient]
            assert unit is not None
            vitamer = NUTRIENTS[nutrient].vitamer
            values.append(
                FoodValue(
                    vitamer,
                    amount,
                    f"{unit[0]}/(100 g)",
                    location=f"food_nutrient.csv line {line}; {where}",
                    confidence=Confidence.HIGH,
                )
            )
            content[vitamer] = amount * unit[1] + 0.0  # + 0.0 turns -0.0 into 0.0
        text = food.description
        return Food(
            id=record_id,
            food=record_id,
            name=f"{text} (FDC {food.fdc_id})" if text else f"FDC {food.fdc_id}",
            content=VitaminK.from_magnitudes(
                content, "content", not_analysed=_unknown(frozenset(content))
            ),
            source=self.source,
            values=tuple(values),
            group="",
            basis="as analysed",
            country="USA",
            preferred=True,
            notes=f"FDC data type {food.data_type}",
        )


@functools.cache
def _unknown(reported: frozenset[Vitamer]) -> frozenset[Vitamer]:
    return unknown_vitamers(reported, ())


#: Why a vitamin K row is not kept, in the order checked ("" is skipped for its data type).
_WHY: Final = (UNKNOWN_FOOD, "", UNKNOWN_UNIT, NOT_A_NUMBER, NEGATIVE_AMOUNT, DUPLICATE)


def _sort(
    found: _Picked,
    numbers: tuple[Any, Any],
    foods: tuple[Any, dict[str, Any]],
    units: Mapping[int, tuple[str, float] | None],
    wanted_types: frozenset[str] | None,
) -> tuple[tuple[Any, Any, Any, Any], int, list[Rejection]]:
    """Sort the vitamin K rows into kept (by food, then line), skipped and rejected."""
    import numpy as np

    nutrients = _numbers(found.columns["nutrient_id"], _INTEGER, "int64")[0]  # all 118[345]
    fdc_ids, whole = numbers  # found's fdc_ids, and where they are whole numbers
    amounts, decimal = _numbers(found.columns["amount"], _DECIMAL, "float64")
    types = foods[1]["data_type"].dictionary_encode()
    typed = [wanted_types is None or _text(t) in wanted_types for t in types.dictionary.to_pylist()]
    at = np.searchsorted(foods[0], fdc_ids)
    checks = (  # the reasons of _WHY, row by row
        ~whole | (np.append(foods[0], 0)[at] != fdc_ids) | (at == len(foods[0])),
        ~np.append(np.array(typed, bool)[types.indices.to_numpy()], True)[at],
        ~np.isin(nutrients, [i for i, unit in units.items() if unit is not None]),
        ~decimal,
        decimal & (amounts < 0),
    )
    why = np.full(len(fdc_ids), len(_WHY))
    for code in reversed(range(len(checks))):  # the first reason that applies
        why[checks[code]] = code
    usable = np.flatnonzero(why == len(_WHY))
    first = np.unique(at[usable] * 4 + nutrients[usable] % 4, return_index=True)[1]
    again = np.ones(len(usable), bool)
    again[first] = False
    why[usable[again]] = _WHY.index(DUPLICATE)
    out = np.flatnonzero((why < len(_WHY)) & (why != 1))
    rejected = [
        Rejection(line, _WHY[c])
        for line, c in zip(found.lines[out].tolist(), why[out].tolist(), strict=True)
    ]
    kept = np.sort(usable[first])
    kept = kept[np.argsort(at[kept], kind="stable")]
    return (
        (at[kept], found.lines[kept], nutrients[kept], amounts[kept]),
        int((why == 1).sum()),
        rejected,
    )


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
        a carriage return ends a line without a line feed, the zip file or a member is
        damaged (bad CRC), encrypted or compressed in a way :mod:`zipfile` cannot read, the
        vitamin K nutrients of ``nutrient.csv`` are not FDC's (by name and
        ``nutrient_nbr``), or, with ``errors="raise"``, a vitamin K row is rejected. Where
        the :mod:`csv` module reads (the header line, a row of another width, a file whose
        rows are not its lines), a field longer than its ``field_size_limit`` (131,072
        characters unless changed) stops the load too.
    MissingDependencyError
        If pyarrow is not installed (``pip install 'k2nutrition[fdc]'``).

    Notes
    -----
    Memory stays bounded by a few pieces of 4 MiB and the vitamin K rows (see the module's
    notes): ``food_nutrient.csv`` is parsed once, on two threads, unless a quoted field
    spans lines or a line is blank. The table is made when it is first used (its name
    index) and each record when it is first asked for; both are then kept.
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
    import numpy as np

    caps = (max_line, max_size)
    with _open(path) as download:
        release = release or _guess_release(download.names)
        units = _read_nutrients(download, caps)
        found = _read(
            download,
            "food_nutrient.csv",
            caps,
            (FOOD_NUTRIENT_COLUMNS, ()),
            _vitamin_k,
        )
        fdc_ids, whole = _numbers(found.columns["fdc_id"], _INTEGER, "int64")
        pool = _pyarrow().default_memory_pool()
        pool.release_unused()  # the blocks read: before reading on
        foods = _read_foods(download, np.unique(fdc_ids[whole]), caps)
    pool.release_unused()

    rows, skipped, rejected = _sort(found, (fdc_ids, whole), foods, units, wanted_types)
    report = FdcReport(
        rows_read=found.rows_read,
        rows_vitamin_k=len(found.lines),
        rows_kept=len(rows[0]),
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
    imported = _Imported(foods, rows, units, source)
    table = FoodTable._deferred(imported.names, imported.record)
    micrograms = rows[3].copy()
    with np.errstate(over="ignore"):
        for nutrient, unit in units.items():
            micrograms[rows[2] == nutrient] *= unit[1] if unit else 1.0
    for row in np.flatnonzero(~np.isfinite(micrograms)):  # too large in µg: raise now
        n = np.searchsorted(imported.bounds, row, "right") - 1
        imported.record(f"fdc-{imported.fdc_ids[n]}")
    return FdcResult(table=table, report=report, source=source, release=release, foods=imported)


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
