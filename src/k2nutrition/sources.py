"""Sources: the citations behind every figure in k2nutrition's data.

Every value in the bundled data names a :class:`Source` (a published work, database or
official page), the part of it where the figure stands (a table, page or the abstract),
and a :class:`Confidence`:

``high``
    the figure was read in the primary text (the paper, report or the authority's own page);
``medium``
    a careful secondary text or a database redistribution that names its source;
``low``
    a weak secondary or tertiary text (a quotation of a quotation).

Examples
--------
>>> from k2nutrition.sources import get_source
>>> src = get_source("kamao-2007")
>>> src.year
2007
>>> src.link
'https://doi.org/10.3177/jnsv.53.464'
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Mapping

import attrs

from k2nutrition._data import Lazy, read_csv
from k2nutrition.errors import DataError, K2NutritionError

__all__ = ["Confidence", "Source", "all_sources", "get_source"]

SOURCE_KINDS = frozenset(
    {"journal-article", "conference-abstract", "book", "report", "database", "web-page"}
)
SOURCE_COLUMNS = (
    "id",
    "kind",
    "authors",
    "year",
    "title",
    "container",
    "volume",
    "pages",
    "doi",
    "pmid",
    "url",
    "notes",
)


@functools.total_ordering
class Confidence(enum.Enum):
    """How directly a figure was read from its source. Orders ``low < medium < high``."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"

    def __str__(self) -> str:
        return self.value

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Confidence):
            return NotImplemented
        return _RANK[self] < _RANK[other]

    @classmethod
    def parse(cls, text: Confidence | str) -> Confidence:
        """Return the confidence named ``text`` (``"high"``, ``"medium"`` or ``"low"``)."""
        if isinstance(text, Confidence):
            return text
        try:
            return cls(str(text).strip().casefold())
        except ValueError:
            raise DataError(f"confidence must be 'high', 'medium' or 'low'; got {text!r}") from None


_RANK = {Confidence.LOW: 0, Confidence.MEDIUM: 1, Confidence.HIGH: 2}


def _authors(value: str | tuple[str, ...] | list[str]) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(a.strip() for a in value.split(";") if a.strip())
    return tuple(value)


def _year(value: int | str | None) -> int | None:
    if value is None or value == "":
        return None
    return int(value)


@attrs.frozen
class Source:
    """A citation: the published work, database or page a figure comes from.

    Attributes
    ----------
    id : str
        A short slug such as ``"kamao-2007"``.
    kind : str
        ``journal-article``, ``conference-abstract``, ``book``, ``report``, ``database``
        or ``web-page``.
    authors : tuple of str
        Authors ("Kamao M") or the organisation.
    year : int or None
    title, container, volume, pages : str
        Title; journal or publisher; volume (issue); pages or article number.
    doi, pmid, url : str
        Identifiers; empty when there is none.
    notes : str
        What part was read, and any caveat.
    """

    id: str = attrs.field(validator=attrs.validators.min_len(1))
    kind: str = attrs.field(validator=attrs.validators.in_(SOURCE_KINDS))
    authors: tuple[str, ...] = attrs.field(converter=_authors, factory=tuple)
    year: int | None = attrs.field(converter=_year, default=None)
    title: str = ""
    container: str = ""
    volume: str = ""
    pages: str = ""
    doi: str = ""
    pmid: str = ""
    url: str = ""
    notes: str = ""

    @property
    def link(self) -> str:
        """A URL for the source: its DOI resolver link, else its URL, else ``""``."""
        if self.doi:
            return f"https://doi.org/{self.doi}"
        if self.pmid:
            return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/"
        return self.url

    @property
    def citation(self) -> str:
        """The citation as one line of text (Vancouver-like)."""
        parts = []
        if self.authors:
            shown = list(self.authors[:3]) + (["et al"] if len(self.authors) > 3 else [])
            parts.append(", ".join(shown) + ".")
        if self.title:
            parts.append(self.title.rstrip(".") + ".")
        where = self.container
        if self.year is not None:
            where = f"{where} {self.year}" if where else str(self.year)
        if self.volume:
            where += f";{self.volume}"
        if self.pages:
            where += f":{self.pages}"
        if where:
            parts.append(where + ".")
        if self.doi:
            parts.append(f"doi:{self.doi}")
        elif self.url:
            parts.append(self.url)
        return " ".join(parts)

    def __str__(self) -> str:
        return self.citation


def _load() -> Mapping[str, Source]:
    table: dict[str, Source] = {}
    for row in read_csv("sources.csv", SOURCE_COLUMNS):
        line = row.pop("_line")
        try:
            source = Source(**row)
        except (TypeError, ValueError) as exc:
            raise DataError(f"sources.csv, line {line}: {exc}") from None
        if source.id in table:
            raise DataError(f"sources.csv, line {line}: duplicate source id {source.id!r}")
        table[source.id] = source
    return table


_SOURCES: Lazy[Mapping[str, Source]] = Lazy(_load)


class UnknownSourceError(K2NutritionError, LookupError):
    """A source id that is not in the bundled sources."""


def get_source(source_id: str) -> Source:
    """Return the bundled source with id ``source_id``.

    Raises
    ------
    UnknownSourceError
        If there is no such source.
    """
    try:
        return _SOURCES.get()[source_id]
    except KeyError:
        raise UnknownSourceError(f"no source with id {source_id!r}") from None


def all_sources() -> Mapping[str, Source]:
    """Return every bundled source, keyed by id."""
    return _SOURCES.get()
