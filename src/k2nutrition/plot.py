"""Plots: intakes against guidelines, the vitamers behind an intake, cohort distributions.

Needs matplotlib (``pip install 'k2nutrition[plot]'``). matplotlib is imported when a
function here is first called, never when this module is imported, and no function
changes matplotlib's global settings or backend. Each function draws on the Axes it is
given, or on a new figure's Axes (made with :func:`matplotlib.pyplot.subplots`), and
returns that Axes.

Examples
--------
>>> from k2nutrition import Diet, Person, Portion, Supplement, check_all
>>> from k2nutrition import plot
>>> diet = Diet([Portion("natto", "40 g", per="2/week"), Supplement("MK-7", "90 µg")])
>>> report = check_all(diet, Person(age=55, sex="female"))
>>> ax = plot.intake_vs_guidelines(report)  # doctest: +SKIP
>>> ax = plot.vitamers(diet)  # doctest: +SKIP
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Final

from k2nutrition.errors import K2NutritionError, MissingDependencyError

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from k2nutrition.checks import Assessment, CheckReport
    from k2nutrition.cohort import CohortResult
    from k2nutrition.food import Food
    from k2nutrition.guideline import Guideline
    from k2nutrition.intake import Diet, Portion, Supplement
    from k2nutrition.profile import Pool, VitaminK
    from k2nutrition.vitamers import Vitamer

__all__ = ["cohort_distribution", "intake_vs_guidelines", "vitamers"]

#: Guideline value types drawn as a line at the target, and how each is named.
POINT_TARGETS: Final = {
    "AI": "AI",
    "per_kg_bw": "AI",
    "RNI": "RNI / RDA",
    "RDA": "RNI / RDA",
    "caution_threshold": "caution dose (with an anticoagulant)",
    "pharmacological_dose": "therapeutic dose (reference only)",
}
#: How many distinct targets of one type a cohort plot draws as lines (more: a band).
MAX_TARGET_LINES: Final = 6

_TARGET_STYLE: Final[dict[str, dict[str, Any]]] = {
    "AI": {"color": "#222222", "linestyles": "solid"},
    "RNI / RDA": {"color": "#1f4e9c", "linestyles": "solid"},
    "caution dose (with an anticoagulant)": {"color": "#d62728", "linestyles": "dashed"},
    "therapeutic dose (reference only)": {"color": "#7b3f9e", "linestyles": "dotted"},
    "UL": {"color": "#d62728", "linestyles": "dotted"},
}
_RANGE_COLOR: Final = "#2ca02c"
_NOT_APPLICABLE_COLOR: Final = "#c8c8c8"

_MEASURE_LABELS: Final = {
    "K1_ONLY": "K1 only",
    "TOTAL_K": "total K (K1 + K2)",
    "MENAQUINONES": "K2 (menaquinones)",
    "JAPAN_MK4_EQ": "K1 + MK-4 equivalents (Japanese rule)",
    "MK7": "MK-7 from supplements",
    "MK4": "MK-4",
}
_MEASURE_COLORS: Final = {
    "K1_ONLY": "#66a61e",
    "TOTAL_K": "#7f9fbf",
    "MENAQUINONES": "#e6ab02",
    "JAPAN_MK4_EQ": "#e7298a",
    "MK7": "#d95f02",
    "MK4": "#7570b3",
}
_COMPONENT_COLORS: Final = {
    "K1": "#2e7d32",
    "dihydro-K1": "#8bc34a",
    "MK-4": "#1565c0",
    "MK-5": "#42a5f5",
    "MK-6": "#26c6da",
    "MK-7": "#ef6c00",
    "MK-8": "#ffa726",
    "MK-9": "#8d6e63",
    "MK-9(4H)": "#bcaaa4",
    "MK-10": "#ab47bc",
    "MK-11": "#ce93d8",
    "MK-12": "#ec407a",
    "MK-13": "#f48fb1",
    "total_K": "#9e9e9e",
    "total_MK": "#d7a86e",
}
#: One colour per status, each distinct (the Okabe-Ito palette, safe for colour blindness).
_STATUS_COLORS: Final = {
    "adequacy likely": "#009e73",
    "meets recommendation": "#0072b2",
    "within range": "#56b4e9",
    "above range": "#e69f00",
    "above upper level": "#d55e00",
    "adequacy cannot be judged": "#666666",
    "below recommendation": "#cc79a7",
    "below range": "#f0e442",
    "caution": "#d55e00",
    "below caution dose": "#0072b2",
    "reference only": "#999999",
    "not applicable": _NOT_APPLICABLE_COLOR,
    "unknown: not analysed": "#bbbbbb",
}
_UNIT: Final = "µg/day"


def _pyplot() -> Any:
    """Import and return :mod:`matplotlib.pyplot`, or say how to install it."""
    try:
        import matplotlib.pyplot as plt
    except ImportError:
        raise MissingDependencyError("plotting", "matplotlib", "plot") from None
    return plt


def _axes(ax: Axes | None, size: tuple[float, float]) -> Axes:
    plt = _pyplot()  # also checks that matplotlib is there when an Axes is given
    if ax is not None:
        return ax
    _figure, new = plt.subplots(figsize=size, layout="constrained")
    return new  # type: ignore[no-any-return]


def _ug_per_day(q: Any) -> float:
    return float(q.to(_UNIT).magnitude)


def _legend_below(ax: Axes, ncols: int, *, first: str = "") -> None:
    """Put the legend under the x-axis label; entries starting with ``first`` come first."""
    from matplotlib.transforms import ScaledTranslation

    handles, labels = ax.get_legend_handles_labels()
    order = sorted(range(len(labels)), key=lambda i: not (first and labels[i].startswith(first)))
    below = ax.transAxes + ScaledTranslation(0.0, -0.5, ax.figure.dpi_scale_trans)
    ax.legend(
        [handles[i] for i in order],
        [labels[i] for i in order],
        loc="upper center",
        bbox_to_anchor=(0.5, 0.0),
        bbox_transform=below,
        ncols=ncols,
        fontsize=8,
        frameon=False,
    )


def _footnote(ax: Axes, text: str, below: Any) -> None:
    """Write ``text`` (sources and editions) in small type under the artist ``below``."""
    import textwrap

    from matplotlib.text import Annotation

    wrapped = "\n".join(textwrap.wrap(text, 135, break_on_hyphens=False))
    note = Annotation(
        wrapped,
        xy=(0.0, 0.0),
        xycoords=(ax.transAxes, below),
        xytext=(0, -8),
        textcoords="offset points",
        va="top",
        ha="left",
        fontsize=7,
        color="#444444",
        annotation_clip=False,
    )
    note.set_gid("sources")
    ax.figure.add_artist(note)


def _guideline_sources(items: Iterable[Guideline], also: str = "") -> str:
    """Name each guideline's edition and source (ids and editions: no glyphs a font lacks)."""
    from k2nutrition.i18n import DISCLAIMER

    named = [f"{g.id} ({g.edition or g.year}; source {g.source.id})" for g in dict.fromkeys(items)]
    return "Guidelines: " + "; ".join(named) + (f"; {also}" if also else "") + ". " + DISCLAIMER


def _room_for_labels(ax: Axes, largest: float) -> None:
    """Start the x-axis at zero and leave room right of the largest value for its label."""
    ax.set_xlim(0.0, max(largest, 1e-9) * 1.14)


# -- a person's intake against each guideline ------------------------------------------------


def _kind(a: Assessment) -> str | None:
    """Name the kind of target (``"AI"``, ``"range"``, ...) drawn for an assessment."""
    t = a.target
    if t is None or t.low is None:
        return None
    if t.value_type == "range" and t.high is not None:
        return "range"
    return POINT_TARGETS.get(t.value_type, t.value_type)


def intake_vs_guidelines(
    report: CheckReport | Iterable[Assessment], ax: Axes | None = None
) -> Axes:
    """Draw a person's intake under each guideline's measure against each target.

    One horizontal bar per guideline (labelled with its id) gives the intake counted
    the guideline's way, coloured by the measure; a vertical line marks each AI,
    RNI/RDA, caution dose or therapeutic dose, a shaded band each range, and a dotted
    line each upper level. Guidelines that set no value for the person are drawn grey
    and hatched; the status of each check is written on the right.

    Parameters
    ----------
    report : CheckReport or iterable of Assessment
        For example the result of :func:`~k2nutrition.check_all`. Calcium and vitamin D
        assessments (in other units) are left out.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure by default.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    K2NutritionError
        Without matplotlib, or when no vitamin K assessment is left to draw.

    Examples
    --------
    >>> from k2nutrition import Diet, Person, Portion, check_all
    >>> report = check_all(Diet([Portion("natto", "40 g")]), Person(age=55, sex="female"))
    >>> ax = intake_vs_guidelines(report)  # doctest: +SKIP
    >>> [t.get_text() for t in ax.get_yticklabels()][:2]  # doctest: +SKIP
    ['iom-2001', 'efsa-2017']
    """
    shown = [a for a in report if a.guideline.measure is not None]
    if not shown:
        raise K2NutritionError(
            "nothing to plot: the report holds no vitamin K assessment "
            "(calcium and vitamin D are in other units)"
        )
    ax = _axes(ax, (9.0, 1.9 + 0.42 * len(shown)))
    ys = list(range(len(shown)))
    _intake_bars(ax, shown, ys)
    largest = _target_marks(ax, shown, ys)
    right = max([largest, *(_ug_per_day(a.intake) for a in shown)])
    _room_for_labels(ax, right)
    _value_labels(ax, shown, ys, right)
    ax.set_yticks(ys, labels=[a.guideline.id for a in shown])
    ax.set_ylim(len(shown) - 0.5, -0.5)
    status_axis = ax.secondary_yaxis("right")
    status_axis.set_yticks(ys, labels=[str(a.status) for a in shown])
    status_axis.tick_params(length=0, labelsize=8)
    ax.set_xlabel(f"intake ({_UNIT}), counted the way each guideline counts")
    people = "; ".join(dict.fromkeys(a.person.life_stage for a in shown))
    ax.set_title(f"Vitamin K intake against guidelines ({people})")
    ax.grid(axis="x", alpha=0.3)
    ax.set_axisbelow(True)
    _legend_below(ax, 2, first="intake")
    _footnote(ax, _guideline_sources(a.guideline for a in shown), ax.get_legend())
    return ax


def _marks(a: Assessment) -> list[float]:
    """Return the x positions of what is drawn for a target on an assessment's row."""
    t = a.target
    if t is None or t.low is None or _kind(a) is None:
        return []
    marks = [_ug_per_day(t.low)]
    if t.high is not None and _kind(a) == "range":
        marks.append(_ug_per_day(t.high))
    if t.upper_limit is not None:
        marks.append(_ug_per_day(t.upper_limit))
    return marks


def _value_labels(ax: Axes, shown: Sequence[Assessment], ys: Sequence[int], right: float) -> None:
    """Write each intake right of its bar, moved past a target mark it would run into."""
    room = 0.09 * right  # about the width of a label such as "252.9"
    for y, a in zip(ys, shown, strict=True):
        x = _ug_per_day(a.intake)
        at = x
        for mark in sorted(_marks(a)):
            if at - 0.01 * right <= mark <= at + room:
                at = mark
        label = ax.annotate(
            f"{'≥ ' if a.intake_is_lower_bound else ''}{x:.4g}",
            (at, y),
            xytext=(4 if at > x else 3, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
        )
        label.set_gid("intake-label")


def _intake_bars(ax: Axes, shown: Sequence[Assessment], ys: Sequence[int]) -> None:
    """Draw the intake bars: one call per measure, so the legend names each measure once."""
    from k2nutrition.checks import Status

    intake = [_ug_per_day(a.intake) for a in shown]
    groups: dict[str, list[int]] = {}
    for i, a in enumerate(shown):
        measure = a.guideline.measure
        key = "n/a" if a.status is Status.NOT_APPLICABLE or measure is None else measure.name
        groups.setdefault(key, []).append(i)
    for key, rows in groups.items():
        if key == "n/a":
            style: dict[str, Any] = {
                "color": _NOT_APPLICABLE_COLOR,
                "hatch": "//",
                "edgecolor": "#808080",
                "label": "intake; the guideline sets no value for this person",
            }
        else:
            style = {
                "color": _MEASURE_COLORS.get(key, "#7f7f7f"),
                "label": f"intake counted as {_MEASURE_LABELS.get(key, key)}",
            }
        bars = ax.barh([ys[i] for i in rows], [intake[i] for i in rows], height=0.6, **style)
        for patch in bars:
            patch.set_gid("intake")


def _target_marks(ax: Axes, shown: Sequence[Assessment], ys: Sequence[int]) -> float:
    """Mark each target (a line, or a shaded band for a range); return the largest."""
    from matplotlib.patches import Rectangle

    lines: dict[str, tuple[list[float], list[float]]] = {}
    ranged = False
    largest = 0.0
    for y, a in zip(ys, shown, strict=True):
        t, kind = a.target, _kind(a)
        if t is None or t.low is None or kind is None:
            continue
        if kind == "range" and t.high is not None:
            low, high = _ug_per_day(t.low), _ug_per_day(t.high)
            band = Rectangle(
                (low, y - 0.42),
                high - low,
                0.84,
                facecolor=_RANGE_COLOR,
                alpha=0.25,
                edgecolor=_RANGE_COLOR,
                linewidth=1.5,
                zorder=3,
                label="_nolegend_" if ranged else "target range",
            )
            band.set_gid("target-range")
            ax.add_patch(band)
            ranged = True
            largest = max(largest, high)
        else:
            lines.setdefault(kind, ([], []))[0].append(_ug_per_day(t.low))
            lines[kind][1].append(y)
        if t.upper_limit is not None:
            lines.setdefault("UL", ([], []))[0].append(_ug_per_day(t.upper_limit))
            lines["UL"][1].append(y)
    for kind, (xs, rows_y) in lines.items():
        style = _TARGET_STYLE.get(kind, {"color": "#222222", "linestyles": "solid"})
        marks = ax.vlines(
            xs,
            [y - 0.42 for y in rows_y],
            [y + 0.42 for y in rows_y],
            linewidth=3,
            zorder=4,
            label="upper level (UL)" if kind == "UL" else f"target: {kind}",
            **style,
        )
        marks.set_gid(f"target-{kind}")
        largest = max([largest, *xs])
    return largest


# -- the vitamers behind an intake --------------------------------------------------------------


_SHOWN_UNITS: Final = {"content": "µg/100 g", "amount": "µg", "intake": "µg/day"}


def _profiles(
    source: VitaminK | Diet | Food | Portion | Supplement | Iterable[Portion | Supplement],
) -> tuple[list[tuple[str, VitaminK]], str]:
    """Return the rows to draw (label, profile) and a title."""
    from k2nutrition.food import Food
    from k2nutrition.intake import Diet, Portion, Supplement, diet_of
    from k2nutrition.profile import VitaminK

    if isinstance(source, VitaminK):
        return [(source.kind, source)], "Vitamin K by form"
    if isinstance(source, Food):
        return [(source.name, source.content)], f"Vitamin K by form: {source.name}"
    if isinstance(source, Portion | Supplement):
        return [(str(source), source.vitamin_k)], "Vitamin K by form (average per day)"
    diet = source if isinstance(source, Diet) else diet_of(source)
    rows = [(str(item), item.vitamin_k) for item in diet]
    rows = [(label, p) for label, p in rows if len(p) or p.pools]
    if len(rows) > 1:
        rows.append(("total", diet.vitamin_k))
    return rows, "Vitamin K by form and source (average per day)"


def _components(profiles: Iterable[VitaminK]) -> list[Vitamer | Pool]:
    from k2nutrition.profile import Pool
    from k2nutrition.vitamers import Vitamer

    present: set[Vitamer | Pool] = set()
    for p in profiles:
        present.update(p)
        present.update(p.pools)
    return [c for c in (*Vitamer, *Pool) if c in present]


def _widths(component: Vitamer | Pool, rows: Sequence[tuple[str, VitaminK]]) -> list[float]:
    """Return the amount of ``component`` in each row's profile (zero where absent)."""
    from k2nutrition.vitamers import Vitamer

    widths = []
    for label, p in rows:
        if isinstance(component, Vitamer):
            value: Any = p.magnitudes().get(component, 0.0)
        else:
            pool = p.pools.get(component)
            value = 0.0 if pool is None else pool.magnitude
        if not isinstance(value, int | float):
            raise K2NutritionError(
                f"vitamers() draws one profile at a time; {label} holds an array of amounts"
            )
        widths.append(float(value))
    return widths


def vitamers(
    profile_or_diet: VitaminK | Diet | Food | Portion | Supplement | Iterable[Portion | Supplement],
    ax: Axes | None = None,
) -> Axes:
    """Draw the vitamers (and unresolved pools) behind an intake as stacked bars.

    Parameters
    ----------
    profile_or_diet : VitaminK, Diet, Food, Portion, Supplement or iterable of items
        A profile gives one bar; a food its content per 100 g; a diet one bar per item
        that holds vitamin K (calcium and vitamin D supplements are left out) and a
        ``total`` bar.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure by default.

    Returns
    -------
    matplotlib.axes.Axes
        One bar segment per form and row, in the profile's unit (µg/day for a diet).
        Pools, sums of forms a source did not separate, are hatched.

    Raises
    ------
    K2NutritionError
        Without matplotlib, or for a profile whose amounts are arrays.

    Examples
    --------
    >>> from k2nutrition import Diet, Portion, Supplement
    >>> diet = Diet([Portion("spinach", "50 g"), Supplement("MK-7", "90 µg")])
    >>> ax = vitamers(diet)  # doctest: +SKIP
    >>> [t.get_text() for t in ax.get_yticklabels()]  # doctest: +SKIP
    ['Spinach, raw 50 g x 1/day', 'MK-7 90 µg x 1/day', 'total']
    """
    from k2nutrition.vitamers import Vitamer

    rows, title = _profiles(profile_or_diet)
    if not rows:
        raise K2NutritionError("nothing to plot: no item holds vitamin K")
    kinds = {p.kind for _label, p in rows}
    unit = _SHOWN_UNITS[kinds.pop()] if len(kinds) == 1 else "mixed units"
    segments = [(c, _widths(c, rows)) for c in _components(p for _label, p in rows)]
    ax = _axes(ax, (9.0, 1.8 + 0.45 * len(rows)))
    ys = list(range(len(rows)))
    lefts = [0.0] * len(rows)
    for component, widths in segments:
        name = component.label if isinstance(component, Vitamer) else component.value
        hatch = None if isinstance(component, Vitamer) else "//"
        legend = name if hatch is None else f"{name} (forms not separated)"
        bars = ax.barh(
            ys,
            widths,
            left=lefts,
            height=0.6,
            label=legend,
            hatch=hatch,
            color=_COMPONENT_COLORS.get(name, "#7f7f7f"),
            edgecolor="white",
            linewidth=0.5,
        )
        for patch in bars:
            patch.set_gid(name)
        lefts = [left + w for left, w in zip(lefts, widths, strict=True)]
    for y, total in zip(ys, lefts, strict=True):
        ax.annotate(
            f"{total:.4g}",
            (total, y),
            xytext=(3, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
        )
    labels = [label for label, _p in rows]
    ax.set_yticks(ys, labels=labels)
    if len(rows) > 1 and labels[-1] == "total":
        ax.axhline(len(rows) - 1.5, color="#808080", linewidth=0.8)
        ax.get_yticklabels()[-1].set_fontweight("bold")
    ax.set_ylim(len(rows) - 0.5, -0.5)
    _room_for_labels(ax, max(lefts))
    ax.set_xlabel(f"vitamin K ({unit})")
    ax.set_title(title)
    ax.grid(axis="x", alpha=0.3)
    ax.set_axisbelow(True)
    _legend_below(ax, 5)
    records = _foods_of(profile_or_diet)
    if records:
        named = [
            f"{f.id} (source {f.source.id}" + (f", {f.source.year})" if f.source.year else ")")
            for f in records
        ]
        _footnote(ax, "Food data: " + "; ".join(named), ax.get_legend())
    return ax


def _foods_of(profile_or_diet: Any) -> list[Food]:
    """Return the food records behind what :func:`vitamers` draws (none for a profile)."""
    from k2nutrition.food import Food
    from k2nutrition.intake import Diet, Portion

    if isinstance(profile_or_diet, Food):
        return [profile_or_diet]
    items = profile_or_diet if isinstance(profile_or_diet, Diet | list | tuple) else ()
    return list(dict.fromkeys(i.food for i in items if isinstance(i, Portion)))


# -- a cohort's distribution -------------------------------------------------------------------


def _format_values(values: Sequence[float]) -> str:
    return ", ".join(f"{v:g}" for v in values)


def cohort_distribution(
    result: CohortResult,
    guideline: Guideline | str,
    ax: Axes | None = None,
    *,
    life_stage: str | None = None,
    bins: int | str = "auto",
) -> Axes:
    """Draw a cohort's intake distribution for one guideline, with its targets marked.

    A histogram of ``result.per_person["intake"]``, stacked by status. Each distinct
    AI or RNI/RDA is a vertical line, each range a shaded band, each upper level a
    dotted line; when one type of target takes more than :data:`MAX_TARGET_LINES`
    values across life stages (values per kg of body weight, for example), its span
    is shaded instead.

    Parameters
    ----------
    result : CohortResult
        The result of :func:`k2nutrition.cohort.assess` (with pandas records).
    guideline : Guideline or str
        One of the guidelines assessed, or its id.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure by default.
    life_stage : str, optional
        Only the people of this life stage (a value of the ``life_stage`` column).
    bins : int or str, default "auto"
        As for :func:`numpy.histogram_bin_edges`.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    K2NutritionError
        Without matplotlib, or when the result holds nobody for the guideline.

    Examples
    --------
    >>> from k2nutrition.cohort import assess, example_cohort
    >>> result = assess(*example_cohort(3000), guidelines=["china-osteoporosis-2013"])
    >>> ax = cohort_distribution(result, "china-osteoporosis-2013")  # doctest: +SKIP
    """
    import numpy as np

    from k2nutrition.checks import Status
    from k2nutrition.cohort import MEETING
    from k2nutrition.guideline import guidelines

    gid = guideline if isinstance(guideline, str) else guideline.id
    frame = result.per_person
    rows = frame[(frame["guideline"] == gid).to_numpy(bool)]
    if life_stage is not None:
        rows = rows[(rows["life_stage"] == life_stage).to_numpy(bool)]
    intake = rows["intake"].to_numpy(float)
    keep = np.isfinite(intake)
    if not keep.any():
        held = ", ".join(str(g) for g in frame["guideline"].unique())
        where = f" and life stage {life_stage!r}" if life_stage is not None else ""
        raise K2NutritionError(
            f"nothing to plot: the result holds nobody for guideline {gid!r}{where} "
            f"(guidelines held: {held or 'none'})"
        )
    intake = intake[keep]
    status = rows["status"].astype(str).to_numpy()[keep]
    ax = _axes(ax, (9.0, 5.0))

    present = [s.value for s in Status if (status == s.value).any()]
    edges = np.histogram_bin_edges(intake, bins=bins)
    ax.hist(
        [intake[status == s] for s in present],
        bins=edges.tolist(),
        stacked=True,
        label=present,
        color=[_STATUS_COLORS.get(s, "#7f7f7f") for s in present],
        edgecolor="white",
        linewidth=0.4,
    )

    _mark_cohort_targets(ax, rows[keep])

    applicable = status != Status.NOT_APPLICABLE.value
    # as the summary's share_meeting: above the UL and at or above the target (within a
    # range) meets the target too
    low = rows["target_low"].to_numpy(float)[keep]
    high = rows["target_high"].to_numpy(float)[keep]
    above_ul_meeting = (status == Status.ABOVE_UL.value) & (intake >= low) & ~(intake > high)
    good = np.isin(status, [s.value for s in MEETING]) | above_ul_meeting
    share = ""
    if applicable.any():
        n_target = int(applicable.sum())
        share = f"; {good.sum() / n_target:.0%} of the {n_target:,} with a target meeting it"
    g = guideline if not isinstance(guideline, str) else guidelines.get(gid)
    counted = ""
    if g is not None and g.measure is not None:
        counted = f", counted as {_MEASURE_LABELS.get(g.measure.name, g.measure.name)}"
    label = f"{gid} ({g.edition})" if g is not None and g.edition else gid
    stage = f", {life_stage}" if life_stage is not None else ""
    ax.set_title(f"{label}{stage}: {len(intake):,} people{share}")
    ax.set_xlabel(f"mean daily intake ({_UNIT}){counted}")
    ax.set_ylabel("people")
    ax.set_xlim(left=0.0)
    ax.legend(fontsize=8)
    if g is not None:
        food = "food data: the food table, each record with its source (k2nutrition.foods)"
        _footnote(ax, _guideline_sources([g], food), ax.xaxis.label)
    return ax


def _band(color: str, alpha: float) -> dict[str, Any]:
    """Style a see-through band whose edges stay solid, drawn over the histogram."""
    from matplotlib.colors import to_rgba

    return {"facecolor": to_rgba(color, alpha), "edgecolor": color}


def _mark_cohort_targets(ax: Axes, rows: Any) -> None:
    """Mark the targets found in the per-person rows: lines, or bands where they vary."""
    import numpy as np

    kinds = rows["target_type"].astype(object).to_numpy()
    low = rows["target_low"].to_numpy(float)
    high = rows["target_high"].to_numpy(float)
    marks: dict[str, set[float]] = {}
    ranges: set[tuple[float, float]] = set()
    for kind, lo, hi in zip(kinds, low, high, strict=True):
        if not isinstance(kind, str) or math.isnan(lo):
            continue
        if kind == "range" and not math.isnan(hi):
            ranges.add((round(float(lo), 6), round(float(hi), 6)))
        else:
            marks.setdefault(POINT_TARGETS.get(kind, kind), set()).add(round(float(lo), 6))
    ul = rows["upper_limit"].to_numpy(float)
    if np.isfinite(ul).any():
        marks["UL"] = {round(float(v), 6) for v in ul[np.isfinite(ul)]}

    for i, (lo, hi) in enumerate(sorted(ranges)):
        label = f"target range {lo:g}-{hi:g} {_UNIT}" if len(ranges) == 1 else "target ranges"
        span = ax.axvspan(lo, hi, zorder=3, linewidth=1.5, **_band(_RANGE_COLOR, 0.2))
        span.set_label(label if i == 0 else "_nolegend_")
        span.set_gid("target-range")
    for kind, values in marks.items():
        ordered = sorted(values)
        style = _TARGET_STYLE.get(kind, {"color": "#222222", "linestyles": "solid"})
        name = "UL" if kind == "UL" else f"target: {kind}"
        if len(ordered) > MAX_TARGET_LINES:
            span = ax.axvspan(
                ordered[0],
                ordered[-1],
                zorder=3,
                linewidth=1.2,
                **_band(style["color"], 0.12),
                label=f"{name} {ordered[0]:g}-{ordered[-1]:g} {_UNIT} (by life stage)",
            )
            span.set_gid(f"target-{kind}")
            continue
        for i, x in enumerate(ordered):
            line = ax.axvline(
                x,
                color=style["color"],
                linestyle=style["linestyles"],
                linewidth=1.6,
                zorder=3,
                label=f"{name} {_format_values(ordered)} {_UNIT}" if i == 0 else "_nolegend_",
            )
            line.set_gid(f"target-{kind}")
