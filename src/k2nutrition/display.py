"""Display: HTML for notebooks and readable text for k2nutrition's objects.

Each object has a pair of pure functions here, one returning HTML (what Jupyter shows
through the object's ``_repr_html_``) and one returning plain text (what ``str()`` and
``print()`` show). Every piece of text taken from the data is escaped with
:func:`html.escape`, and links are only made for ``http`` and ``https`` addresses.

Checks are informational: the HTML and text of an :class:`~k2nutrition.checks.Assessment`
or a :class:`~k2nutrition.checks.CheckReport` always carry
:data:`~k2nutrition.checks.DISCLAIMER`.

Examples
--------
>>> from k2nutrition import foods
>>> from k2nutrition.display import food_text
>>> print(food_text(foods["natto"]))
Natto (fermented soybeans)  [natto-kamao-2007]
Chinese: 纳豆; Japanese: 納豆
food key: natto; group: fermented-soy; basis: as sold; country: Japan; serving: 85.05 g (3 oz); ...
form   µg/100 g  as printed      location  confidence
-----  --------  --------------  --------  ----------
MK-7   939       939 ug/(100 g)  abstract  high
total  939
Source: Kamao M, Suhara Y, Tsugawa N, et al. Vitamin K content of foods ... doi:10.3177/jnsv.53.464
Source of calcium, vitamin D: U.S. Department of Agriculture, ... FoodData Central: SR Legacy ...
Notes: Market natto analysed by HPLC. ...
"""

from __future__ import annotations

import html
import math
import numbers
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    import pandas as pd

    from k2nutrition.checks import Assessment, CheckReport
    from k2nutrition.cohort import CohortResult
    from k2nutrition.food import Food, FoodTable, FoodValue
    from k2nutrition.guideline import Guideline, GuidelineCatalogue, GuidelineValue
    from k2nutrition.profile import Pool, VitaminK
    from k2nutrition.sources import Source
    from k2nutrition.units import Quantity
    from k2nutrition.vitamers import Vitamer

__all__ = [
    "ELLIPSIS",
    "assessment_html",
    "assessment_text",
    "catalogue_html",
    "catalogue_text",
    "cohort_html",
    "cohort_text",
    "content_summary",
    "counted",
    "exact_number",
    "exact_quantity",
    "food_html",
    "food_row",
    "food_table_frame",
    "food_table_html",
    "food_table_text",
    "food_text",
    "guideline_frame",
    "guideline_html",
    "guideline_text",
    "pad",
    "report_frame",
    "report_html",
    "report_text",
    "text_table",
    "text_width",
    "truncate",
    "vitamin_k_frame",
    "vitamin_k_html",
    "vitamin_k_text",
    "wrap",
]

#: The unit each kind of profile is shown in.
SHOWN_UNITS: Final[Mapping[str, str]] = {
    "content": "µg/100 g",
    "amount": "µg",
    "intake": "µg/day",
}
#: How many rows of a food table are shown by default.
DEFAULT_ROWS: Final = 10

_DASH: Final = "-"


# -- helpers ------------------------------------------------------------------------------


class _Html(str):
    """A fragment of HTML that is already safe: table cells of this type are not escaped."""

    __slots__ = ()


def _e(value: object) -> str:
    """Escape ``value`` (any object, as text) for HTML, quotes included."""
    return html.escape(str(value), quote=True)


def _cell(value: object) -> str:
    return str(value) if isinstance(value, _Html) else _e(value)


def _number(value: Any) -> str:
    """Format a magnitude in four significant figures; an array as its values or range."""
    from k2nutrition.units import format_number

    if isinstance(value, int | float):
        if isinstance(value, float) and math.isnan(value):
            return _DASH
        return format_number(value, 4)
    size = getattr(value, "size", None)
    if size is None:
        return str(value)
    if size == 0:
        return "[]"
    flat = value.ravel()
    if size <= 4:
        return "[" + ", ".join(format_number(float(x), 4) for x in flat) + "]"
    low, high = format_number(float(flat.min()), 4), format_number(float(flat.max()), 4)
    return f"{size} values, {low}-{high}"


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """Return a count with its noun in agreement: ``"1 record"``, ``"1,234 records"``.

    ``plural`` is the noun's plural where adding an ``s`` is wrong (``"records or
    persons"``).

    Examples
    --------
    >>> counted(1, "record"), counted(0, "record"), counted(2_500, "person")
    ('1 record', '0 records', '2,500 persons')
    >>> counted(1, "record or person", "records or persons")
    '1 record or person'
    """
    return f"{n:,} {noun if n == 1 else plural or noun + 's'}"


#: Magnitudes written out in positional notation by :func:`exact_number`; others keep an
#: exponent (``1e-07``), which no figure of a guideline or a food comes near.
_POSITIONAL: Final = (1e-6, 1e16)


def exact_number(value: Any) -> str:
    """Write a stored figure with every digit it holds: no rounding, no exponent.

    Python's shortest form that reads back as the same float, written out in positional
    notation from 10^-6 to 10^16; a whole number without ``.0``. A float needing more than
    15 significant digits holds the noise of binary arithmetic (140 lb in kg is
    63.50293180000001), which is dropped: a figure a source printed or a user typed has
    fewer. As in :func:`~k2nutrition.units.format_number`, a number that could be read as
    thousands (``1.125``) gets a fourth decimal. For tables that show measured or computed
    amounts, :func:`~k2nutrition.units.format_number` with four significant figures stays
    the rule; this is for figures as given (a guideline's value, a food's value).

    Examples
    --------
    >>> exact_number(1000.0), exact_number(1234567.0), exact_number(12.3456789)
    ('1000', '1234567', '12.3456789')
    >>> exact_number(2e-05), exact_number(1.125), exact_number(90)
    ('0.00002', '1.1250', '90')
    >>> exact_number(140 * 0.45359237), exact_number(0.1 + 0.2)
    ('63.5029318', '0.3')
    """
    from decimal import Decimal

    from k2nutrition.units import _unambiguous

    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"a figure is a real number, not {type(value).__name__}")
    if isinstance(value, numbers.Integral):
        return str(int(value))
    x = float(value)
    if not math.isfinite(x):
        return str(x)
    x = float(f"{x:.15g}")  # at most 15 significant digits: the rest is arithmetic noise
    if x.is_integer() and abs(x) < _POSITIONAL[1]:
        return str(int(x))
    text = repr(x)
    if _POSITIONAL[0] <= abs(x) < _POSITIONAL[1]:
        text = format(Decimal(text), "f")
    return _unambiguous(text)


def exact_quantity(q: Quantity) -> str:
    """Write a quantity's magnitude by :func:`exact_number`, then its unit in short form.

    Examples
    --------
    >>> from k2nutrition.units import Q_
    >>> exact_quantity(Q_(1000.0, "mg/day")), exact_quantity(Q_(2.5, "µg/day"))
    ('1000 mg/d', '2.5 µg/d')
    """
    from k2nutrition.units import format_unit

    return f"{exact_number(q.magnitude)} {format_unit(q.units)}".rstrip()


def _quantity(q: Quantity | None) -> str:
    if q is None:
        return _DASH
    if isinstance(q.magnitude, int | float):
        from k2nutrition.units import format_quantity

        return format_quantity(q, 4)
    return f"{_number(q.magnitude)} {q.units:~P}"


def _safe_link(url: str) -> str:
    """``url`` when it is an http(s) address, else ``""`` (no javascript: or data: links)."""
    return url if url.strip().casefold().startswith(("https://", "http://")) else ""


def _source_html(source: Source) -> _Html:
    citation = source.citation or source.id
    link = _safe_link(source.link)
    if not link:
        return _Html(_e(citation))
    return _Html(
        f'<a href="{_e(link)}" target="_blank" rel="noopener noreferrer">{_e(citation)}</a>'
    )


def _source_text(source: Source) -> str:
    citation = source.citation or source.id
    link = _safe_link(source.link)
    if not link or source.doi or link in citation:
        return citation  # the citation already holds the DOI or the address
    return f"{citation} {link}"


def _table_html(
    header: Sequence[str], rows: Iterable[Sequence[object]], *, caption: str = ""
) -> str:
    parts = ["<table>"]
    if caption:
        parts.append(f"<caption>{_e(caption)}</caption>")
    parts.append("<thead><tr>" + "".join(f"<th>{_e(h)}</th>" for h in header) + "</tr></thead>")
    parts.append("<tbody>")
    for row in rows:
        parts.append("<tr>" + "".join(f"<td>{_cell(c)}</td>" for c in row) + "</tr>")
    parts.append("</tbody></table>")
    return "".join(parts)


def _fields_html(fields: Iterable[tuple[str, object]]) -> str:
    """Return a two-column table of named fields, the names as row headers."""
    rows = "".join(f'<tr><th scope="row">{_e(k)}</th><td>{_cell(v)}</td></tr>' for k, v in fields)
    return f"<table><tbody>{rows}</tbody></table>"


def text_width(text: str) -> int:
    """Return the columns ``text`` takes in a terminal: wide East Asian characters take two.

    Examples
    --------
    >>> text_width("natto"), text_width("纳豆"), text_width("ﾅｯﾄｳ")
    (5, 4, 4)
    """
    return sum(
        0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        for ch in text
    )


_width = text_width
ELLIPSIS: Final = "…"


def pad(text: str, width: int) -> str:
    """Return ``text`` padded with spaces to ``width`` terminal columns.

    Examples
    --------
    >>> pad("纳豆", 6) + "|"
    '纳豆  |'
    """
    return text + " " * max(width - text_width(text), 0)


_pad = pad


def _cut(text: str, width: int) -> str:
    """Return the longest start of ``text`` that takes at most ``width`` columns."""
    out, used = [], 0
    for ch in text:
        w = text_width(ch)
        if used + w > width:
            break
        out.append(ch)
        used += w
    return "".join(out)


def truncate(text: str, width: int) -> str:
    """Return ``text`` cut to ``width`` columns, ending in an ellipsis where it was cut.

    A cut falls between words when that keeps at least half the room; otherwise inside a
    word, and the ellipsis says so. Text that fits is returned unchanged.

    Examples
    --------
    >>> truncate("Hard cheese (category mean)", 16)
    'Hard cheese …'
    >>> truncate("china-osteoporosis-2013", 12)
    'china-osteo…'
    >>> truncate("中国居民膳食营养素", 9)
    '中国居民…'
    """
    if text_width(text) <= width:
        return text
    if width <= 1:
        return ELLIPSIS[:width]
    head = _cut(text, width - 1)
    if not text[len(head)].isspace() and not head.endswith(" "):
        space = head.rfind(" ")
        if space >= len(head) // 2:  # drop the cut word rather than most of the text
            return head[:space].rstrip() + " " + ELLIPSIS
    return head.rstrip() + ELLIPSIS


def _tokens(text: str) -> list[str]:
    """Split text into pieces a line may break between: words, and wide characters."""
    tokens: list[str] = []
    word = ""
    for ch in text:
        if ch == " ":
            if word:
                tokens.append(word)
            tokens.append(" ")
            word = ""
        elif text_width(ch) == 2 and ch not in "，。；：、）」』】":
            if word:
                tokens.append(word)
            word = ch
            if ch in "（「『【":
                continue
            tokens.append(word)
            word = ""
        else:
            word += ch
    if word:
        tokens.append(word)
    return tokens


def wrap(text: str, width: int, indent: str = "", subsequent: str | None = None) -> list[str]:
    """Wrap ``text`` to lines of at most ``width`` terminal columns.

    Lines break between words, and between wide East Asian characters (never before
    closing punctuation). A word longer than a line is cut across lines.
    ``indent`` starts the first line, ``subsequent`` (default: as many spaces) the others.

    Examples
    --------
    >>> wrap("below the Adequate Intake; not evidence of deficiency", 30, "- ")
    ['- below the Adequate Intake;', '  not evidence of deficiency']
    >>> wrap("低于适宜摄入量，但这并不表示缺乏", 16)
    ['低于适宜摄入量，', '但这并不表示缺乏']
    """
    rest = " " * text_width(indent) if subsequent is None else subsequent
    lines: list[str] = []
    line, prefix = "", indent
    for token in _tokens(" ".join(text.split())):
        if token == " ":
            line += " " if line else ""
            continue
        room = width - text_width(prefix)
        if line and text_width(line) + text_width(token) > room:
            lines.append(prefix + line.rstrip())
            prefix, line = rest, ""
            room = width - text_width(prefix)
        piece = token
        while not line and text_width(piece) > room:
            cut = _cut(piece, max(room, 1))
            if "-" in cut[:-1]:  # "china-osteoporosis-" | "2013"
                cut = cut[: cut.rindex("-") + 1]
            lines.append(prefix + cut)
            prefix, piece = rest, piece[len(cut) :]
            room = width - text_width(prefix)
        line += piece
    if line.strip() or not lines:
        lines.append(prefix + line.rstrip())
    return lines


def text_table(
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    max_width: int | None = None,
    shrink: Sequence[int] = (),
    wrap_columns: Sequence[int] = (),
) -> str:
    """Return a text table with columns aligned by terminal width (CJK counts two).

    When ``max_width`` is given and the table is wider, the columns listed in ``shrink``
    and ``wrap_columns`` (indices; all columns when both are empty) are narrowed, widest
    first, until it fits or they reach six columns. Cells of ``wrap_columns`` then wrap
    onto more lines; other cells are cut with an ellipsis (:func:`truncate`).

    Examples
    --------
    >>> print(text_table(["food", "µg"], [["纳豆", "375.6"], ["Hard cheese", "25.4"]]))
    food         µg
    -----------  -----
    纳豆         375.6
    Hard cheese  25.4
    >>> print(text_table(["food", "µg"], [["Hard cheese", "25.4"]], max_width=13,
    ...                  wrap_columns=[0]))
    food     µg
    -------  ----
    Hard     25.4
    cheese
    """
    cells = [[str(c) for c in row] for row in rows]
    widths = [text_width(h) for h in header]
    for row in cells:
        for i, c in enumerate(row):
            widths[i] = max(widths[i], text_width(c))
    wrapped = set(wrap_columns)
    if max_width is not None:
        flexible = [*shrink, *wrap_columns] or list(range(len(widths)))
        floor = 6
        while sum(widths) + 2 * (len(widths) - 1) > max_width:
            widest = max(flexible, key=lambda i: widths[i])
            if widths[widest] <= floor:
                break
            widths[widest] -= 1
    else:
        wrapped = set()

    def lines_of(row: Sequence[str]) -> list[str]:
        columns = [
            wrap(c, w) if i in wrapped else [truncate(c, w)]
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        height = max(len(c) for c in columns)
        return [
            "  ".join(
                pad(c[n] if n < len(c) else "", w) for c, w in zip(columns, widths, strict=True)
            )
            for n in range(height)
        ]

    lines = [*lines_of(header), "  ".join("-" * w for w in widths)]
    for row in cells:
        lines += lines_of(row)
    return "\n".join(line.rstrip() for line in lines)


def _table_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    return text_table(header, rows)


def _list_html(items: Iterable[object]) -> str:
    shown = [f"<li>{_e(i)}</li>" for i in items]
    return f"<ul>{''.join(shown)}</ul>" if shown else ""


def _div(kind: str, body: Iterable[str]) -> str:
    return f'<div class="k2nutrition k2nutrition-{kind}">' + "".join(body) + "</div>"


def _disclaimer() -> str:
    from k2nutrition.i18n import DISCLAIMER

    return DISCLAIMER


def _disclaimer_html() -> str:
    return f"<p><em>{_e(_disclaimer())}</em></p>"


# -- vitamin K profiles --------------------------------------------------------------------


def _component_label(component: Vitamer | Pool) -> str:
    from k2nutrition.vitamers import Vitamer

    if isinstance(component, Vitamer):
        return component.label
    return f"{component.value} ({component.description})"


def _profile_rows(profile: VitaminK) -> list[tuple[str, Any]]:
    rows: list[tuple[str, Any]] = [(v.label, m) for v, m in profile.magnitudes().items()]
    rows += [(_component_label(p), q.magnitude) for p, q in profile.pools.items()]
    return rows


def vitamin_k_html(profile: VitaminK) -> str:
    """Return a vitamin K profile as an HTML table: one row per vitamer and pool.

    Examples
    --------
    >>> from k2nutrition import VitaminK
    >>> print(vitamin_k_html(VitaminK({"MK-7": "90 µg/day"})))
    <div class="k2nutrition k2nutrition-vitamin-k">...<td>MK-7</td><td>90</td>...</div>
    """
    unit = SHOWN_UNITS[profile.kind]
    rows: list[list[object]] = [[label, _number(m)] for label, m in _profile_rows(profile)]
    rows.append(
        [
            _Html("<strong>total</strong>"),
            _Html(f"<strong>{_e(_number(profile.total.magnitude))}</strong>"),
        ]
    )
    caption = f"Vitamin K ({profile.kind}, {unit})"
    body = [_table_html(["form", unit], rows, caption=caption)]
    if not profile.is_resolved:
        body.append(
            "<p><small>Pools are sums of forms that the source did not separate; they count "
            "in the total, never under one vitamer.</small></p>"
        )
    return _div("vitamin-k", body)


def vitamin_k_text(profile: VitaminK) -> str:
    """Return a vitamin K profile as a small text table, with its kind and unit.

    Examples
    --------
    >>> from k2nutrition import VitaminK
    >>> print(vitamin_k_text(VitaminK({"K1": "10 µg", "MK-7": "90 µg"})))
    Vitamin K (amount, µg)
    form   µg
    -----  ---
    K1     10
    MK-7   90
    total  100
    """
    unit = SHOWN_UNITS[profile.kind]
    rows = [[label, _number(m)] for label, m in _profile_rows(profile)]
    rows.append(["total", _number(profile.total.magnitude)])
    return f"Vitamin K ({profile.kind}, {unit})\n" + _table_text(["form", unit], rows)


def vitamin_k_frame(profile: VitaminK) -> pd.DataFrame:
    """Return one row per vitamer and pool: ``form``, ``value``, ``unit``, ``description``.

    The index is the vitamer's label (``"MK-7"``) or the pool's name (``"total_MK"``);
    ``form`` is ``"vitamer"`` or ``"pool"``; ``value`` is in the profile's unit (µg/100 g,
    µg or µg/day). Needs pandas.

    Examples
    --------
    >>> from k2nutrition import VitaminK
    >>> frame = VitaminK({"MK-7": "90 µg/day"}, pools={"total_K": "5 µg/day"}).to_frame()
    >>> frame[["form", "value", "unit"]]
                  form  value    unit
    component
    MK-7       vitamer   90.0  µg/day
    total_K       pool    5.0  µg/day
    """
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover - depends on the environment
        raise _no_pandas("VitaminK.to_frame") from None
    unit = SHOWN_UNITS[profile.kind]
    rows: list[dict[str, Any]] = [
        {
            "component": v.label,
            "form": "vitamer",
            "value": m,
            "unit": unit,
            "description": v.chemical_name,
        }
        for v, m in profile.magnitudes().items()
    ]
    rows += [
        {
            "component": p.value,
            "form": "pool",
            "value": q.magnitude,
            "unit": unit,
            "description": p.description,
        }
        for p, q in profile.pools.items()
    ]
    columns = ["component", "form", "value", "unit", "description"]
    return pd.DataFrame(rows, columns=columns).set_index("component")


def _no_pandas(what: str) -> Exception:  # pragma: no cover - depends on the environment
    from k2nutrition.errors import MissingDependencyError

    return MissingDependencyError(what, "pandas", "pandas")


# -- foods ---------------------------------------------------------------------------------


def _printed(value: FoodValue | None) -> str:
    if value is None:
        return _DASH
    if value.value is None:  # analysed, not detected
        limit = f" (limit {exact_number(value.high)})" if value.high is not None else ""
        return f"nd{limit} {value.unit}"
    text = f"{exact_number(value.value)} {value.unit}"
    if value.low is not None or value.high is not None:
        low = _DASH if value.low is None else exact_number(value.low)
        high = _DASH if value.high is None else exact_number(value.high)
        text += f" (range {low}-{high})"
    return text


def _food_rows(food: Food) -> list[list[str]]:
    printed: dict[object, FoodValue] = {}
    for value in food.values:
        printed.setdefault(value.component, value)
    components: list[tuple[Vitamer | Pool, Any]] = list(food.content.magnitudes().items())
    components += [(p, q.magnitude) for p, q in food.content.pools.items()]
    rows = []
    for component, magnitude in components:
        fv = printed.get(component)
        rows.append(
            [
                _component_label(component),
                _number(magnitude),
                _printed(fv),
                fv.location if fv and fv.location else _DASH,
                str(fv.confidence) if fv else _DASH,
                fv.notes if fv else "",
            ]
        )
    return rows


def _food_facts(food: Food) -> list[str]:
    facts = [f"food key: {food.food}"]
    facts += [
        f"{k}: {v}"
        for k, v in (("group", food.group), ("basis", food.basis), ("country", food.country))
        if v
    ]
    if food.serving is not None:
        label = f" ({food.serving_label})" if food.serving_label else ""
        facts.append(f"serving: {_number(float(food.serving.to('g').magnitude))} g{label}")
    elif food.serving_label:
        facts.append(f"serving: {food.serving_label}")
    facts.append("preferred record" if food.preferred else "not the preferred record")
    return facts


def _other_names(food: Food) -> list[tuple[str, str, str]]:
    """Return the Chinese and Japanese names as (language tag, language, name)."""
    names = []
    if food.name_zh:
        names.append(("zh", "Chinese", food.name_zh))
    if food.name_ja:
        names.append(("ja", "Japanese", food.name_ja))
    return names


_COFACTOR_LABELS: Final = {"calcium": "calcium", "vitamin_D": "vitamin D"}


def _other_sources(food: Food) -> list[tuple[str, Source]]:
    """Return the figures that name another source than the record's, by source."""
    by_source: dict[str, list[str]] = {}
    found: dict[str, Source] = {}
    for value in food.values:
        if value.source is not None and value.source != food.source:
            c = value.component  # a calcium or vitamin D figure: only those may name one
            label = _COFACTOR_LABELS.get(str(c)) or _component_label(c)  # type: ignore[arg-type]
            by_source.setdefault(value.source.id, []).append(label)
            found[value.source.id] = value.source
    return [(", ".join(labels), found[sid]) for sid, labels in by_source.items()]


_FOOD_HEADER: Final = ("form", "µg/100 g", "as printed", "location", "confidence", "notes")


def food_html(food: Food) -> str:
    """Return a food record as HTML: names, figures with their sources, and the citation.

    The table has one row per vitamer and pool in µg/100 g, with the figure as its
    source printed it, where in the source it stands, and its confidence.

    Examples
    --------
    >>> from k2nutrition import foods
    >>> page = food_html(foods["natto"])
    >>> "納豆" in page and 'href="https://doi.org/10.3177/jnsv.53.464"' in page
    True
    """
    body = [f"<p><strong>{_e(food.name)}</strong> <code>{_e(food.id)}</code></p>"]
    others = [
        f'{_e(lang)}: <span lang="{tag}">{_e(name)}</span>'
        for tag, lang, name in _other_names(food)
    ]
    if others:
        body.append(f"<p>{'; '.join(others)}</p>")
    body.append(f"<p><small>{_e('; '.join(_food_facts(food)))}</small></p>")
    rows: list[list[object]] = [list(r) for r in _food_rows(food)]
    total = _number(food.content.total.magnitude)
    rows.append(
        [_Html("<strong>total</strong>"), _Html(f"<strong>{_e(total)}</strong>"), "", "", "", ""]
    )
    body.append(_table_html(_FOOD_HEADER, rows, caption="Vitamin K per 100 g"))
    body.append(f"<p>Source: {_source_html(food.source)}</p>")
    body += [
        f"<p>Source of {_e(labels)}: {_source_html(source)}</p>"
        for labels, source in _other_sources(food)
    ]
    if food.notes:
        body.append(f"<p><small>{_e(food.notes)}</small></p>")
    return _div("food", body)


def food_text(food: Food) -> str:
    """Return a food record as text: names, figures with their sources, and the citation."""
    lines = [f"{food.name}  [{food.id}]"]
    others = [f"{lang}: {name}" for _tag, lang, name in _other_names(food)]
    if others:
        lines.append("; ".join(others))
    lines.append("; ".join(_food_facts(food)))
    rows = [r[:5] for r in _food_rows(food)]
    rows.append(["total", _number(food.content.total.magnitude), "", "", ""])
    lines.append(_table_text(_FOOD_HEADER[:5], rows))
    lines.append(f"Source: {_source_text(food.source)}")
    lines += [f"  {r[0]}: {r[5]}" for r in _food_rows(food) if r[5]]
    lines += [f"Source of {labels}: {_source_text(s)}" for labels, s in _other_sources(food)]
    if food.notes:
        lines.append(f"Notes: {food.notes}")
    return "\n".join(lines)


# -- food tables ---------------------------------------------------------------------------


def _table_counts(table: FoodTable) -> list[tuple[str, int]]:
    """Each count of a food table with its noun in the singular (see :func:`counted`)."""
    records = list(table)
    return [
        ("record", len(records)),
        ("food", len(table.keys)),
        ("food group", len({f.group for f in records if f.group})),
        ("source", len({f.source.id for f in records})),
        ("record with unresolved pools", sum(1 for f in records if not f.content.is_resolved)),
    ]


def _counts_text(counts: list[tuple[str, int]]) -> str:
    plurals = {"record with unresolved pools": "records with unresolved pools"}
    return ", ".join(counted(n, what, plurals.get(what)) for what, n in counts)


def content_summary(food: Food) -> str:
    """Return a record's vitamin K per 100 g in one line: ``"K1 23.1, MK-7 939"``."""
    parts = [f"{v.label} {_number(m)}" for v, m in food.content.magnitudes().items()]
    parts += [f"{p.value} {_number(q.magnitude)}" for p, q in food.content.pools.items()]
    return ", ".join(parts) or _DASH


_content_summary = content_summary
_PER_100G: Final = " (µg/100 g)"


def food_row(food: Food) -> dict[str, Any]:
    """Return one food record as a flat row: the one row builder of the food listings.

    :meth:`FoodTable.to_frame` (:func:`food_table_frame`) and ``k2nutrition foods --json``
    are made from it. Keys: ``id``, ``food``, ``name``, ``name_zh``, ``name_ja``,
    ``preferred``, ``group``, ``basis``, ``country``; one key per vitamer and pool the
    record reports, its unit in its name (``"MK-7 (µg/100 g)"``); ``calcium (mg/100 g)``
    and ``vitamin_D (µg/100 g)`` (``None``: not analysed); ``source`` (of the vitamin K
    figures) and ``confidence``; ``calcium source`` and ``vitamin_D source`` (empty: not
    analysed); ``not analysed`` (the vitamers, then calcium and vitamin D, that the
    sources did not analyse: unknown, not zero) and ``sources`` (every source id).

    Examples
    --------
    >>> from k2nutrition import foods
    >>> row = food_row(foods["natto"])
    >>> row["MK-7 (µg/100 g)"], row["calcium (mg/100 g)"], row["not analysed"][:2]
    (939.0, 217.0, ['K1', 'dihydro-K1'])
    >>> food_row(foods.records("natto")[1])["calcium (mg/100 g)"] is None  # not analysed
    True
    """
    row: dict[str, Any] = {
        "id": food.id,
        "food": food.food,
        "name": food.name,
        "name_zh": food.name_zh,
        "name_ja": food.name_ja,
        "preferred": food.preferred,
        "group": food.group,
        "basis": food.basis,
        "country": food.country,
    }
    row.update({v.label + _PER_100G: m for v, m in food.content.magnitudes().items()})
    row.update({p.value + _PER_100G: q.magnitude for p, q in food.content.pools.items()})
    for name, label, per_hg in (  # per 100 g = per hectogram (hg)
        ("calcium", "calcium (mg/100 g)", "mg/hg"),
        ("vitamin_D", "vitamin_D (µg/100 g)", "µg/hg"),
    ):
        q = food.cofactor(name)
        row[label] = None if q is None else float(q.to(per_hg).magnitude)
    row["source"] = food.source.id
    row["confidence"] = food.confidence.value
    for name in ("calcium", "vitamin_D"):
        own = food.source_of(name)
        row[f"{name} source"] = "" if own is None else own.id
    row["not analysed"] = list(food.not_analysed)
    row["sources"] = [s.id for s in food.sources]
    return row


_TABLE_HEADER: Final = ("id", "name", "group", "µg/100 g", "total", "source", "confidence")


def _table_rows(table: FoodTable, rows: int) -> list[list[str]]:
    out = []
    for i, f in enumerate(table):
        if i >= rows:
            break
        total = _number(f.content.total.magnitude)
        summary = _content_summary(f)
        out.append([f.id, f.name, f.group, summary, total, f.source.id, str(f.confidence)])
    return out


def food_table_html(table: FoodTable, rows: int = DEFAULT_ROWS) -> str:
    """Return a food table as HTML: counts, then its first ``rows`` records.

    Examples
    --------
    >>> from k2nutrition import foods
    >>> "<td>natto-kamao-2007</td>" in food_table_html(foods, rows=200)
    True
    """
    counts = _table_counts(table)
    body = ["<p><strong>FoodTable</strong>: " + _e(_counts_text(counts)) + "</p>"]
    shown = _table_rows(table, rows)
    caption = f"first {len(shown)} of {counted(counts[0][1], 'record')} (vitamin K per 100 g)"
    body.append(_table_html(_TABLE_HEADER, shown, caption=caption))
    return _div("food-table", body)


def food_table_text(table: FoodTable, rows: int = DEFAULT_ROWS) -> str:
    """Return a food table as text: counts, then its first ``rows`` records."""
    counts = _table_counts(table)
    shown = _table_rows(table, rows)
    head = "FoodTable: " + _counts_text(counts)
    rest = counts[0][1] - len(shown)
    more = f"\n... {counted(rest, 'more record')}" if rest > 0 else ""
    return head + "\n" + _table_text(_TABLE_HEADER, shown) + more


def food_table_frame(table: Iterable[Food], components: Sequence[str] = ()) -> pd.DataFrame:
    """Return one row per food record, the columns always in the same order (needs pandas).

    ``id`` (the index), ``food``, ``name``, ``name_zh``, ``name_ja``, ``preferred``,
    ``group``, ``basis``, ``country``; then one column per vitamer and pool in the order
    of ``components`` (:meth:`FoodTable.to_frame` gives every vitamer in order, K1,
    dihydro-K1, MK-4 … MK-13, then the pools ``total_K`` and ``total_MK``), named like
    ``"MK-7 (µg/100 g)"``, NaN where the source did not report it (components that are
    not listed follow, sorted); ``calcium (mg/100 g)`` and
    ``vitamin_D (µg/100 g)`` (NaN: not analysed); ``source`` (of the vitamin K figures)
    and ``confidence``; ``calcium source`` and ``vitamin_D source`` (the source id of
    each cofactor figure, which may differ from ``source``; empty: not analysed).

    Examples
    --------
    >>> from k2nutrition import foods
    >>> frame = foods.to_frame()
    >>> list(frame.columns[7:11])
    ['country', 'K1 (µg/100 g)', 'dihydro-K1 (µg/100 g)', 'MK-4 (µg/100 g)']
    >>> natto = frame.loc["natto-kamao-2007"]
    >>> natto["name_zh"], float(natto["MK-7 (µg/100 g)"])
    ('纳豆', 939.0)
    """
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover - depends on the environment
        raise _no_pandas("FoodTable.to_frame") from None
    per_100g = _PER_100G
    records = list(table)
    found = {v.label for f in records for v in f.content.magnitudes()}
    found |= {p.value for f in records for p in f.content.pools}
    components = [*components, *sorted(found - set(components))]
    columns = [
        *("id", "food", "name", "name_zh", "name_ja", "preferred", "group", "basis", "country"),
        *(c + per_100g for c in components),
        "calcium (mg/100 g)",
        "vitamin_D (µg/100 g)",
        "source",
        "confidence",
        "calcium source",
        "vitamin_D source",
    ]
    rows = [food_row(f) for f in records]
    frame = pd.DataFrame(rows, columns=columns)
    numeric = [c for c in columns if c.endswith("100 g)")]
    return frame.astype(dict.fromkeys(numeric, float)).set_index("id")


# -- assessments and reports -----------------------------------------------------------------


def _confidence(a: Assessment) -> str:
    return str(a.target.confidence if a.target else a.guideline.confidence)


def _target_text(a: Assessment) -> str:
    t = a.target
    if t is None:
        return _DASH
    text = t.describe()
    if t.upper_limit is not None:
        text += f", UL {exact_quantity(t.upper_limit)}"
    return text


def _measure_text(g: Guideline) -> str:
    if g.measure is None:
        return f"{g.nutrient} from foods and supplements"
    return f"{g.measure.name}: {g.measure.description}"


def _intake_text(a: Assessment) -> str:
    """Return the intake, marked ``≥`` when it counts only what was analysed (a lower bound)."""
    return ("≥ " if a.intake_is_lower_bound else "") + _quantity(a.intake)


def _assessment_fields(a: Assessment) -> list[tuple[str, str]]:
    g = a.guideline
    fields = [
        ("guideline", f"{g.id} ({g.edition})" if g.edition else g.id),
        ("authority", g.authority),
        ("measure", _measure_text(g)),
        ("person", a.person.life_stage),
        ("intake", _intake_text(a)),
        ("target", _target_text(a) + (f" ({a.target.life_stage})" if a.target else "")),
        ("status", str(a.status)),
        ("gap", _quantity(a.gap)),
    ]
    if a.ratio is not None:
        fields.append(("intake / target", f"{a.ratio:.2f}"))
    if a.unattributed is not None and float(a.unattributed.magnitude) > 0:
        fields.append(("not countable (forms not separated)", _quantity(a.unattributed)))
    fields.append(("confidence", _confidence(a)))
    return fields


def assessment_html(assessment: Assessment) -> str:
    """Return an assessment as HTML, with its notes, citation and the disclaimer.

    The table shows the guideline and edition, the measure, intake, target, status and gap.

    Examples
    --------
    >>> from k2nutrition import Diet, Person, Supplement, check
    >>> a = check(Diet([Supplement("K1", "90 µg")]), Person(age=55, sex="female"), "efsa-2017")
    >>> page = assessment_html(a)
    >>> "adequacy likely" in page and "not medical advice" in page
    True
    """
    a = assessment
    body = [
        f"<p><strong>{_e(a.guideline.id)}</strong>: {_e(a.status)}</p>",
        _fields_html(_assessment_fields(a)),
    ]
    if a.notes:
        body += ["<p>Notes:</p>", _list_html(a.notes)]
    body.append(f"<p>Source: {_source_html(a.guideline.source)}</p>")
    body.append(_disclaimer_html())
    return _div("assessment", body)


def assessment_text(assessment: Assessment) -> str:
    """Return an assessment as text, with its notes, citation and the disclaimer."""
    a = assessment
    fields = _assessment_fields(a)
    width = max(_width(k) for k, _v in fields)
    lines = [f"{_pad(k, width)}  {v}" for k, v in fields]
    lines += [f"- {n}" for n in a.notes]
    lines.append(f"Source: {_source_text(a.guideline.source)}")
    lines.append(_disclaimer())
    return "\n".join(lines)


_REPORT_HEADER: Final = (
    "guideline",
    "counts",
    "intake/day",
    "target",
    "status",
    "source (confidence)",
)


def _report_rows(report: CheckReport) -> list[list[str]]:
    rows = []
    for a in report:
        g = a.guideline
        rows.append(
            [
                f"{g.id} ({g.edition})" if g.edition else g.id,
                g.measure.name if g.measure else g.nutrient,
                _intake_text(a),
                _target_text(a),
                str(a.status),
                f"{g.source.id} ({_confidence(a)})",
            ]
        )
    return rows


def _report_notes(report: CheckReport) -> tuple[list[str], list[str]]:
    """Per-assessment notes (prefixed by the guideline id) and the report's own notes."""
    own = [f"[{a.guideline.id}] {n}" for a in report for n in a.notes]
    shared = list(report.notes)
    disclaimer = _disclaimer()
    if disclaimer not in shared:
        shared.append(disclaimer)
    return own, shared


def _people(report: CheckReport) -> str:
    stages = list(dict.fromkeys(a.person.life_stage for a in report))
    return "; ".join(stages)


def report_html(report: CheckReport) -> str:
    """Return a check report as HTML: one row per guideline, then notes and the disclaimer.

    Examples
    --------
    >>> from k2nutrition import Diet, Person, Portion, check_all
    >>> report = check_all(Diet([Portion("natto", "40 g")]), Person(age=55, sex="female"))
    >>> page = report_html(report)
    >>> page.count("<tr>") == len(report) + 1, "not medical advice" in page
    (True, True)
    """
    own, shared = _report_notes(report)
    n_applicable = len(report.applicable)
    body = [
        f"<p><strong>Check report</strong>: {_e(_people(report))} "
        f"<small>({counted(len(report), 'guideline')}, {n_applicable} applicable)</small></p>",
        _table_html(_REPORT_HEADER, _report_rows(report)),
    ]
    if own:
        body += ["<p>Notes:</p>", _list_html(own)]
    sources = dict.fromkeys(a.guideline.source for a in report)
    if sources:
        items = "".join(f"<li><code>{_e(s.id)}</code>: {_source_html(s)}</li>" for s in sources)
        body.append(f"<p>Sources:</p><ul>{items}</ul>")
    body += [f"<p><em>{_e(n)}</em></p>" for n in shared]
    return _div("report", body)


def report_text(report: CheckReport) -> str:
    """Return a check report as text: a table, then notes, sources and the disclaimer."""
    own, shared = _report_notes(report)
    lines = [f"Check report: {_people(report)}", _table_text(_REPORT_HEADER, _report_rows(report))]
    if own:
        lines += ["", "Notes:", *(f"  {n}" for n in own)]
    sources = dict.fromkeys(a.guideline.source for a in report)
    if sources:
        lines += ["", "Sources:", *(f"  {s.id}: {_source_text(s)}" for s in sources)]
    lines += ["", *shared]
    return "\n".join(lines)


#: The amounts of an assessment, each in a column per unit: ``intake_ug_per_day``, ...
_AMOUNTS: Final = ("intake", "target_low", "target_high", "upper_limit", "gap", "unattributed")
#: Units of the amount columns: vitamin K and D in µg/day; calcium and drug doses in mg/day.
_FRAME_UNITS: Final = (("ug_per_day", "µg/day"), ("mg_per_day", "mg/day"))


def _amount_columns(name: str, q: Quantity | None, unit: str) -> dict[str, float]:
    """Return ``{name_ug_per_day: x, name_mg_per_day: NaN}`` with ``q`` in its unit's column."""
    out = dict.fromkeys((f"{name}_{slug}" for slug, _u in _FRAME_UNITS), math.nan)
    if q is not None:
        out[f"{name}_{unit}"] = float(q.to(dict(_FRAME_UNITS)[unit]).magnitude)
    return out


def report_frame(report: CheckReport) -> pd.DataFrame:
    """Return a check report as a tidy frame: one row per guideline (needs pandas).

    Every numeric column holds one unit, named in it: ``intake_ug_per_day`` for
    vitamin K and vitamin D, ``intake_mg_per_day`` for calcium and MK-4 drug doses (NaN in
    the other), and the same for ``target_low``, ``target_high``, ``upper_limit``, ``gap``
    and ``unattributed``. ``confidence`` is that of the guideline value used.

    Examples
    --------
    >>> from k2nutrition import Diet, Person, Portion, check_all
    >>> report = check_all(Diet([Portion("natto", "40 g")]), Person(age=55, sex="female"))
    >>> frame = report.to_frame()
    >>> frame.loc["iom-2001", ["intake_ug_per_day", "target_low_ug_per_day", "status"]]
    intake_ug_per_day                  375.6
    target_low_ug_per_day               90.0
    status                   adequacy likely
    Name: iom-2001, dtype: object
    """
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover - depends on the environment
        raise _no_pandas("CheckReport.to_frame") from None
    rows = []
    for a in report:
        g, t = a.guideline, a.target
        unit = "mg_per_day" if f"{a.intake.units:~P}".startswith("mg") else "ug_per_day"
        row: dict[str, Any] = {
            "guideline": g.id,
            "edition": g.edition,
            "authority": g.authority,
            "nutrient": g.nutrient,
            "measure": g.measure.name if g.measure else None,
            "status": a.status.value,
            "target_type": t.value_type if t else None,
            "intake_is_lower_bound": a.intake_is_lower_bound,
        }
        amounts = {
            "intake": a.intake,
            "target_low": t.low if t else None,
            "target_high": t.high if t else None,
            "upper_limit": t.upper_limit if t else None,
            "gap": a.gap,
            "unattributed": a.unattributed,
        }
        for name in _AMOUNTS:
            row.update(_amount_columns(name, amounts[name], unit))
        row["ratio"] = math.nan if a.ratio is None else a.ratio
        row["confidence"] = _confidence(a)
        row["source"] = g.source.id
        row["notes"] = " | ".join(a.notes)
        rows.append(row)
    return pd.DataFrame(rows).set_index("guideline")


# -- guidelines ----------------------------------------------------------------------------


def _ages(row: GuidelineValue) -> str:
    """Write a row's age band, upper age excluded: ``"1 to <4 y"``, ``"4 to <12 mo"``.

    "1-4 y" would read as including 4, which is the next band's first age.
    """
    if row.age_from is None and row.age_to is None:
        return _DASH
    start = 0.0 if row.age_from is None else row.age_from
    if row.age_to is None:
        return f"{exact_number(start)}+ y"
    if row.age_to <= 1:  # infants: months (4 months is 0.333... years)
        return f"{exact_number(start * 12)} to <{exact_number(row.age_to * 12)} mo"
    return f"{exact_number(start)} to <{exact_number(row.age_to)} y"


def _state(row: GuidelineValue) -> str:
    states = [s for s, on in (("pregnant", row.pregnant), ("lactating", row.lactating)) if on]
    if row.trimesters:
        states.append("trimester " + ", ".join(str(t) for t in sorted(row.trimesters)))
    return ", ".join(states) or _DASH


def _row_value(row: GuidelineValue) -> str:
    return "not set" if row.value is None else _quantity(row.value)


_GUIDELINE_HEADER: Final = (
    "life stage",
    "sex",
    "age",
    "state",
    "type",
    "value",
    "location",
    "confidence",
    "notes",
)


def _guideline_rows(g: Guideline) -> list[list[str]]:
    return [
        [
            r.life_stage,
            r.sex,
            _ages(r),
            _state(r),
            r.value_type,
            _row_value(r),
            r.location or _DASH,
            str(r.confidence),
            r.notes,
        ]
        for r in g.values
    ]


def _guideline_fields(g: Guideline) -> list[tuple[str, str]]:
    return [
        ("authority", g.authority),
        ("edition", g.edition or _DASH),
        ("year", str(g.year)),
        ("nutrient", g.nutrient),
        ("purpose", g.purpose),
        ("measure", _measure_text(g)),
        ("confidence", str(g.confidence)),
    ]


def guideline_html(guideline: Guideline) -> str:
    """Return a guideline as HTML: authority, edition, measure and its life-stage table.

    Examples
    --------
    >>> from k2nutrition import guidelines
    >>> page = guideline_html(guidelines["iom-2001"])
    >>> "<td>adult_female_19_30</td>" in page
    True
    """
    g = guideline
    fields: list[tuple[str, object]] = [*_guideline_fields(g), ("source", _source_html(g.source))]
    body = [f"<p><strong>{_e(g.id)}</strong>: {_e(g.title)}</p>", _fields_html(fields)]
    if g.notes:
        body.append(f"<p><small>{_e(g.notes)}</small></p>")
    body.append(_table_html(_GUIDELINE_HEADER, _guideline_rows(g), caption="Life-stage values"))
    return _div("guideline", body)


def guideline_text(guideline: Guideline) -> str:
    """Return a guideline as text: authority, edition, measure and its life-stage table."""
    g = guideline
    fields = [*_guideline_fields(g), ("source", _source_text(g.source))]
    width = max(_width(k) for k, _v in fields)
    lines = [f"{g.id}: {g.title}", *(f"{_pad(k, width)}  {v}" for k, v in fields)]
    if g.notes:
        lines.append(f"Notes: {g.notes}")
    rows = [r[:-1] for r in _guideline_rows(g)]
    lines += ["", _table_text(_GUIDELINE_HEADER[:-1], rows)]
    return "\n".join(lines)


def guideline_frame(guideline: Guideline) -> pd.DataFrame:
    """Return one row per life-stage value of a guideline (needs pandas).

    The columns follow :meth:`~k2nutrition.guideline.GuidelineCatalogue.to_frame`, with
    ``trimesters`` (such as ``"2|3"``) and ``notes`` added; ``value`` is ``NaN`` for a UL
    the authority did not set.

    Examples
    --------
    >>> from k2nutrition import guidelines
    >>> frame = guidelines["iom-2001"].to_frame()
    >>> frame.loc[frame["life_stage"] == "adult_female_19_30", ["value_type", "value", "unit"]]
       value_type  value             unit
    12         AI   90.0  microgram / day
    """
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover - depends on the environment
        raise _no_pandas("Guideline.to_frame") from None
    rows = [
        {
            "life_stage": v.life_stage,
            "sex": v.sex,
            "age_from": v.age_from,
            "age_to": v.age_to,
            "pregnant": v.pregnant,
            "lactating": v.lactating,
            "trimesters": "|".join(str(t) for t in sorted(v.trimesters)),
            "value_type": v.value_type,
            "value": math.nan if v.value is None else float(v.value.magnitude),
            "unit": "µg/day" if v.value is None else f"{v.value.units}",
            "location": v.location,
            "confidence": v.confidence.value,
            "notes": v.notes,
        }
        for v in guideline.values
    ]
    return pd.DataFrame(rows)


_CATALOGUE_HEADER: Final = (
    "id",
    "authority",
    "edition",
    "nutrient",
    "purpose",
    "measure",
    "values",
    "confidence",
    "source",
)


def _catalogue_rows(catalogue: GuidelineCatalogue, *, html_links: bool) -> list[list[object]]:
    return [
        [
            g.id,
            g.authority,
            g.edition,
            g.nutrient,
            g.purpose,
            g.measure.name if g.measure else _DASH,
            str(len(g.values)),
            str(g.confidence),
            _source_html(g.source) if html_links else g.source.id,
        ]
        for g in catalogue
    ]


def catalogue_html(catalogue: GuidelineCatalogue) -> str:
    """Return a guideline catalogue as HTML: one row per guideline.

    Examples
    --------
    >>> from k2nutrition import guidelines
    >>> catalogue_html(guidelines).count("<tr>") == len(guidelines) + 1
    True
    """
    body = [
        f"<p><strong>Guidelines</strong>: {len(catalogue)}</p>",
        _table_html(_CATALOGUE_HEADER, _catalogue_rows(catalogue, html_links=True)),
    ]
    return _div("catalogue", body)


def catalogue_text(catalogue: GuidelineCatalogue) -> str:
    """Return a guideline catalogue as text: one row per guideline."""
    rows = _catalogue_rows(catalogue, html_links=False)
    return f"Guidelines: {len(catalogue)}\n" + _table_text(_CATALOGUE_HEADER, rows)


# -- cohorts -------------------------------------------------------------------------------


def _cohort_counts(result: CohortResult) -> str:
    per_person = result.per_person
    counts = [
        ("people assessed", int(per_person["person_id"].nunique())),
        ("guidelines", int(per_person["guideline"].nunique())),
        ("rows", len(per_person)),
        ("records or persons left out", len(result.rejected)),
    ]
    return "; ".join(f"{what}: {n:,}" for what, n in counts)


def _share(value: object) -> str:
    share = float(value) if isinstance(value, int | float) else math.nan
    return _DASH if math.isnan(share) else f"{share:.0%}"


def cohort_html(result: CohortResult, rows: int = DEFAULT_ROWS) -> str:
    """Return a cohort result as HTML: counts, the summary frame, and what was left out.

    ``rows`` limits the rows of ``rejected`` shown.

    Examples
    --------
    >>> from k2nutrition.cohort import assess, example_cohort
    >>> result = assess(*example_cohort(300), guidelines=["iom-2001"])
    >>> page = cohort_html(result)
    >>> "people assessed" in page and "share_meeting" in page
    True
    """
    summary = result.summary.to_html(
        escape=True,
        index=False,
        float_format=_number,
        formatters={c: _share for c in result.summary.columns if str(c).startswith("share_")},
        border=0,
    )
    body = [f"<p><strong>Cohort result</strong>: {_e(_cohort_counts(result))}</p>", summary]
    if len(result.rejected):
        shown = result.rejected.head(rows)
        body.append(f"<p>Left out (first {len(shown)}):</p>")
        body.append(shown.to_html(escape=True, index=False, border=0))
    body.append(
        f"<p><small>Intakes in µg/day, mean per recorded day. {_e(_disclaimer())}</small></p>"
    )
    return _div("cohort", body)


def cohort_text(result: CohortResult, rows: int = DEFAULT_ROWS) -> str:
    """Return a cohort result as text: counts, the summary, and what was left out."""
    lines = [f"Cohort result: {_cohort_counts(result)}"]
    summary = result.summary
    header = [str(c) for c in summary.columns]
    shares = {i for i, c in enumerate(header) if c.startswith("share_")}
    table_rows = [
        [
            _share(v) if i in shares else _number(v) if isinstance(v, float) else str(v)
            for i, v in enumerate(row)
        ]
        for row in summary.itertuples(index=False)
    ]
    lines.append(_table_text(header, table_rows))
    if len(result.rejected):
        lines.append(f"Left out (first {min(rows, len(result.rejected))}):")
        lines += [f"  {r}: {why}" for r, why in result.rejected.head(rows).itertuples(index=False)]
    lines.append("Intakes in µg/day, mean per recorded day. " + _disclaimer())
    return "\n".join(lines)
