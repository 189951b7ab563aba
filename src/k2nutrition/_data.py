"""Reading the bundled data files, lazily and once."""

from __future__ import annotations

import csv
import io
import threading
from collections.abc import Callable
from importlib import resources
from typing import Generic, TypeVar

from k2nutrition.errors import DataError

__all__ = ["Lazy", "read_csv"]

T = TypeVar("T")


def read_csv(name: str, columns: tuple[str, ...]) -> list[dict[str, str]]:
    """Read ``data/<name>`` and check that its header is exactly ``columns``.

    Returns one dict per row; the row's line number is under the key ``"_line"``.
    """
    text = resources.files("k2nutrition").joinpath("data", name).read_text(encoding="utf-8")
    return parse_csv(text, columns, name)


def parse_csv(text: str, columns: tuple[str, ...], name: str) -> list[dict[str, str]]:
    """Parse CSV ``text`` whose header must be exactly ``columns``."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise DataError(f"{name}: the file is empty") from None
    if tuple(header) != columns:
        raise DataError(f"{name}: expected the columns {list(columns)}, found {header}")
    rows = []
    for row in reader:
        if not any(cell.strip() for cell in row):
            continue
        line = reader.line_num
        if len(row) != len(columns):
            raise DataError(
                f"{name}, line {line}: expected {len(columns)} fields, found {len(row)}"
            )
        record = {key: cell.strip() for key, cell in zip(columns, row, strict=True)}
        record["_line"] = str(line)
        rows.append(record)
    return rows


class Lazy(Generic[T]):
    """A value computed on first use, once, even when many threads ask at the same time."""

    __slots__ = ("_factory", "_lock", "_value")

    def __init__(self, factory: Callable[[], T]) -> None:
        self._factory = factory
        self._lock = threading.Lock()
        self._value: T | None = None

    def get(self) -> T:
        """Return the value, computing it first if no thread has yet."""
        value = self._value
        if value is None:
            with self._lock:
                value = self._value
                if value is None:
                    value = self._factory()
                    self._value = value
        return value

    @property
    def loaded(self) -> bool:
        """Whether the value has been computed."""
        return self._value is not None
