"""Generate the data reference pages from the bundled data at the start of each build.

Every food figure and every guideline value is listed with its source, location and
confidence, so the published documentation cannot drift from the data files.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from k2nutrition.food import foods
from k2nutrition.guideline import guidelines
from k2nutrition.sources import all_sources


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _foods_page() -> str:
    lines = [
        "# Reference: foods",
        "",
        "Generated from `src/k2nutrition/data/` at build time. Values as printed by each source,",
        "then per 100 g. `total_K` and `total_MK` are sums of forms a source did not separate.",
        "",
    ]
    for key in foods.keys:
        records = foods.records(key)
        first = records[0]
        names = ", ".join(n for n in (first.name_zh, first.name_ja) if n)
        lines += [f"## {first.name} (`{key}`)", ""]
        if names:
            lines += [f"Also: {names}", ""]
        lines += [
            "| record | form | as printed | µg/100 g | where | confidence | source |",
            "| --- | --- | --- | --- | --- | --- | --- |",
        ]
        for record in records:
            mark = " (preferred)" if record.preferred else ""
            for value in record.values:
                shown = _per_100g(record, value.component)
                lines.append(
                    f"| `{record.id}`{mark} | {value.component} | {_printed(value)} "
                    f"| {shown} | {_cell(value.location)} | {value.confidence} "
                    f"| {_cell((value.source or record.source).citation)} |"
                )
        lines.append("")
    return "\n".join(lines)


def _printed(value: Any) -> str:
    """Return the figure as the source printed it; "nd" (not detected) with any limit."""
    if value.value is None:
        limit = f" (limit {value.high:g} {value.unit})" if value.high is not None else ""
        return f"nd{limit}"
    return f"{value.value:g} {value.unit}"


def _per_100g(record: Any, component: Any) -> str:
    if component in record.content:
        return f"{record.content[component].magnitude:.4g}"
    if component in record.content.pools:
        return f"{record.content.pools[component].magnitude:.4g}"
    return "-"  # calcium and vitamin D are per 100 g in their own units, not µg of vitamin K


def _guidelines_page() -> str:
    lines = [
        "# Reference: guidelines",
        "",
        "Generated from `src/k2nutrition/data/` at build time. Ages in years, from inclusive,",
        "to exclusive.",
        "",
    ]
    for g in guidelines:
        measure = g.measure.name if g.measure else g.nutrient
        lines += [
            f"## `{g.id}`: {g.authority}, {g.edition}",
            "",
            f"{_cell(g.title)}. Counts: `{measure}`. Purpose: {g.purpose}. "
            f"Confidence: {g.confidence}.",
            "",
            f"Source: {_cell(g.source.citation)}",
            "",
            f"{_cell(g.notes)}",
            "",
            "| life stage | sex | ages | state | type | value | where | confidence |",
            "| --- | --- | --- | --- | --- | --- | --- | --- |",
        ]
        for v in g.values:
            ages = (
                "-"
                if v.age_from is None
                else f"{v.age_from:g}-" + (f"{v.age_to:g}" if v.age_to is not None else "")
            )
            state = "pregnant" if v.pregnant else "lactating" if v.lactating else ""
            value = "not set" if v.value is None else f"{v.value:~P}"
            lines.append(
                f"| {v.life_stage} | {v.sex} | {ages} | {state} | {v.value_type} | {value} "
                f"| {_cell(v.location)} | {v.confidence} |"
            )
        lines.append("")
    return "\n".join(lines)


def _sources_page() -> str:
    lines = ["# Reference: sources", "", "Every cited work, by id.", ""]
    for source in all_sources().values():
        lines += [f"- `{source.id}`: {_cell(source.citation)}"]
        if source.notes:
            lines += [f"  *{_cell(source.notes)}*"]
    return "\n".join(lines) + "\n"


def _write(app: Any) -> None:
    out = Path(app.srcdir) / "reference"
    out.mkdir(exist_ok=True)
    pages = {"foods.md": _foods_page(), "guidelines.md": _guidelines_page()}
    pages["sources.md"] = _sources_page()
    for name, text in pages.items():
        path = out / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")


def setup(app: Any) -> dict[str, Any]:
    """Register the page generator."""
    app.connect("builder-inited", _write)
    return {"version": "1", "parallel_read_safe": True}
