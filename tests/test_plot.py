from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

from k2nutrition import (
    Diet,
    K2NutritionError,
    Person,
    Portion,
    Supplement,
    VitaminK,
    check_all,
    foods,
    guidelines,
    plot,
)
from k2nutrition.checks import CheckReport, Status
from k2nutrition.cohort import CohortResult, assess, example_cohort
from k2nutrition.vitamers import Vitamer

ADULT = Person(age=55, sex="female")
DIET = Diet(
    [
        Portion("natto", "40 g", per="2/week"),
        Portion("spinach", "50 g"),
        Portion("douchi", "20 g"),
        Supplement("MK-7", "90 µg"),
    ]
)


@pytest.fixture
def mpl() -> Iterator[Any]:
    """matplotlib on the Agg backend; every figure is closed afterwards."""
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    yield matplotlib
    plt.close("all")


@pytest.fixture(scope="module")
def cohort() -> CohortResult:
    return assess(*example_cohort(3000), guidelines=["iom-2001", "china-osteoporosis-2013"])


def with_gid(artists: Any, gid: str) -> list[Any]:
    return [a for a in artists if a.get_gid() == gid]


def tick_texts(labels: Any) -> list[str]:
    return [t.get_text() for t in labels]


def legend_texts(ax: Any) -> list[str]:
    legend = ax.get_legend()
    assert legend is not None
    return tick_texts(legend.get_texts())


# -- import and dependencies -----------------------------------------------------------------


def test_import_does_not_load_matplotlib() -> None:
    code = "import sys, k2nutrition.plot; print('matplotlib' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "False"


def test_missing_matplotlib_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    report = check_all(DIET, ADULT)
    with pytest.raises(K2NutritionError, match=r"pip install 'k2nutrition\[plot\]'"):
        plot.intake_vs_guidelines(report)
    with pytest.raises(K2NutritionError, match="matplotlib"):
        plot.vitamers(DIET)


def test_plots_leave_global_settings_alone(mpl: Any, cohort: CohortResult) -> None:
    before = dict(mpl.rcParams)
    backend = mpl.get_backend()
    plot.intake_vs_guidelines(check_all(DIET, ADULT))
    plot.vitamers(DIET)
    plot.cohort_distribution(cohort, "iom-2001")
    assert dict(mpl.rcParams) == before
    assert mpl.get_backend() == backend


# -- intake against guidelines ---------------------------------------------------------------


def test_intake_vs_guidelines_bars_labels_and_targets(mpl: Any) -> None:
    report = check_all(DIET, Person(age=55, sex="female", on_anticoagulant=True))
    ax = plot.intake_vs_guidelines(report)
    ids = [a.guideline.id for a in report]
    assert tick_texts(ax.get_yticklabels()) == ids
    bars = with_gid(ax.patches, "intake")
    assert len(bars) == len(report)
    # the bars stand at the intakes, in µg/day, in the report's order (top to bottom)
    by_row = sorted(bars, key=lambda b: b.get_y())
    assert [b.get_width() for b in by_row] == pytest.approx(
        [a.intake.to("µg/day").magnitude for a in report]
    )
    assert "µg/day" in ax.get_xlabel()

    # one shaded band for the one range (the Chinese 2013 K2 range, 50-120 µg/day)
    (band,) = with_gid(ax.patches, "target-range")
    assert band.get_x() == pytest.approx(50.0)
    assert band.get_width() == pytest.approx(70.0)
    row = ids.index("china-osteoporosis-2013")
    assert band.get_y() < row < band.get_y() + band.get_height()

    # lines for the AIs, the RNI and the caution doses, one segment per guideline
    ai = with_gid(ax.collections, "target-AI")
    assert len(ai) == 1
    n_ai = sum(1 for a in report if a.target and a.target.value_type in {"AI", "per_kg_bw"})
    assert len(ai[0].get_segments()) == n_ai
    iom = ai[0].get_segments()[0]
    assert iom[0][0] == pytest.approx(90.0)
    assert len(with_gid(ax.collections, "target-RNI / RDA")[0].get_segments()) == 1
    caution = with_gid(ax.collections, "target-caution dose (with an anticoagulant)")
    assert len(caution[0].get_segments()) == 2

    # not applicable: hatched grey, and the status column says so
    nhs = by_row[ids.index("uk-nhs-2020")]
    assert nhs.get_hatch() == "//"
    (status_axis,) = ax.child_axes
    statuses = tick_texts(status_axis.get_yticklabels())
    assert statuses == [str(a.status) for a in report]
    assert statuses[ids.index("uk-nhs-2020")] == "not applicable"

    legend = legend_texts(ax)
    assert "intake counted as K1 only" in legend
    assert "target range" in legend
    assert "target: AI" in legend
    assert legend[0].startswith("intake")


def test_intake_vs_guidelines_on_given_axes_leaves_out_calcium(mpl: Any) -> None:
    import matplotlib.pyplot as plt

    diet = Diet([*DIET, Supplement("calcium", "500 mg"), Supplement("vitamin D", "10 µg")])
    report = check_all(diet, ADULT)
    assert any(a.guideline.nutrient == "calcium" for a in report)
    _fig, given = plt.subplots()
    ax = plot.intake_vs_guidelines(report, ax=given)
    assert ax is given
    vitamin_k = [a.guideline.id for a in report if a.guideline.measure is not None]
    assert tick_texts(ax.get_yticklabels()) == vitamin_k
    assert len(with_gid(ax.patches, "intake")) == len(vitamin_k)


def test_intake_vs_guidelines_upper_level_and_nothing_to_plot(mpl: Any) -> None:
    only_calcium = check_all(Diet([Supplement("calcium", "500 mg")]), ADULT, nutrients=["calcium"])
    with pytest.raises(K2NutritionError, match="nothing to plot"):
        plot.intake_vs_guidelines(only_calcium)
    with pytest.raises(K2NutritionError, match="nothing to plot"):
        plot.intake_vs_guidelines(CheckReport(()))
    infant = check_all(Diet([Supplement("MK-7", "90 µg")]), Person(age=0.3, sex="male"))
    ax = plot.intake_vs_guidelines(infant)
    hatched = [p for p in with_gid(ax.patches, "intake") if p.get_hatch() == "//"]
    n_na = sum(1 for a in infant if a.status is Status.NOT_APPLICABLE)
    assert n_na > 1
    assert len(hatched) == n_na
    assert "male, 4 mo" in ax.get_title()


# -- vitamers --------------------------------------------------------------------------------


def test_vitamers_of_a_diet_stack_by_form(mpl: Any) -> None:
    ax = plot.vitamers(DIET)
    labels = tick_texts(ax.get_yticklabels())
    assert labels == [str(i) for i in DIET] + ["total"]
    forms = [c.get_label() for c in ax.containers]
    # spinach's source analysed MK-4 and did not detect it: a zero-width segment
    assert forms == ["K1", "MK-4", "MK-7", "total_MK (forms not separated)"]
    for container in ax.containers:
        assert len(container) == len(labels)
    assert ax.containers[1][-1].get_width() == 0
    mk7 = ax.containers[2]
    total = DIET.vitamin_k
    assert mk7[-1].get_width() == pytest.approx(total.amount("MK-7").magnitude)
    # segments stack: MK-7 starts where K1 ends
    assert mk7[-1].get_x() == pytest.approx(total.k1.magnitude)
    pool = ax.containers[3]
    assert all(p.get_hatch() == "//" for p in pool)
    assert ax.get_xlabel() == "vitamin K (µg/day)"
    totals = [t.get_text() for t in ax.texts]
    assert totals[-1] == f"{total.total.magnitude:.4g}"


def test_vitamers_of_a_profile_a_food_and_items(mpl: Any) -> None:
    profile = VitaminK({"K1": "10 µg", "MK-4": "5 µg"})
    ax = plot.vitamers(profile)
    assert tick_texts(ax.get_yticklabels()) == ["amount"]
    assert [c.get_label() for c in ax.containers] == ["K1", "MK-4"]
    assert ax.get_xlabel() == "vitamin K (µg)"

    food = foods["natto-schurgers-vermeer-2000"]
    ax = plot.vitamers(food)
    assert ax.get_xlabel() == "vitamin K (µg/100 g)"
    assert [c.get_label() for c in ax.containers] == [v.label for v in food.content]

    items = [Supplement("MK-7", "90 µg"), Supplement("calcium", "500 mg")]
    ax = plot.vitamers(items)
    assert tick_texts(ax.get_yticklabels()) == [str(items[0])]  # calcium holds no vitamin K


def test_vitamers_refuses_arrays_and_empty_diets(mpl: Any) -> None:
    arrays = VitaminK.from_magnitudes({Vitamer.K1: np.array([1.0, 2.0])}, "intake")
    with pytest.raises(K2NutritionError, match="array"):
        plot.vitamers(arrays)
    with pytest.raises(K2NutritionError, match="nothing to plot"):
        plot.vitamers(Diet([Supplement("calcium", "500 mg")]))


# -- cohorts ---------------------------------------------------------------------------------


def test_cohort_distribution_histogram_and_range(mpl: Any, cohort: CohortResult) -> None:
    gid = "china-osteoporosis-2013"
    ax = plot.cohort_distribution(cohort, gid)
    rows = cohort.per_person[cohort.per_person["guideline"] == gid]
    statuses = [s.value for s in Status if (rows["status"] == s.value).any()]
    assert len(ax.containers) == len(statuses)
    # stacked: the top layer's heights count everybody
    top = ax.containers[-1]
    assert sum(p.get_y() + p.get_height() for p in top) == pytest.approx(len(rows))
    (band,) = with_gid(ax.patches, "target-range")
    assert band.get_x() == pytest.approx(50.0)
    assert band.get_width() == pytest.approx(70.0)
    legend = legend_texts(ax)
    assert "target range 50-120 µg/day" in legend
    assert "within range" in legend
    assert ax.get_ylabel() == "people"
    assert "counted as K2 (menaquinones)" in ax.get_xlabel()
    assert gid in ax.get_title()
    assert f"{len(rows):,} people" in ax.get_title()


def test_cohort_distribution_lines_or_band_for_targets(mpl: Any, cohort: CohortResult) -> None:
    g = guidelines["iom-2001"]
    ax = plot.cohort_distribution(cohort, g)  # AIs from 2 to 120 µg/day: too many lines
    (band,) = with_gid(ax.patches, "target-AI")
    assert band.get_x() == pytest.approx(2.0)
    assert band.get_x() + band.get_width() == pytest.approx(120.0)
    assert with_gid(ax.lines, "target-AI") == []

    stage = "adult_female_31_50"
    ax = plot.cohort_distribution(cohort, g, life_stage=stage)
    (line,) = with_gid(ax.lines, "target-AI")
    assert line.get_xdata()[0] == pytest.approx(90.0)
    assert "target: AI 90 µg/day" in legend_texts(ax)
    assert stage in ax.get_title()


def test_cohort_distribution_unknown_guideline(mpl: Any, cohort: CohortResult) -> None:
    with pytest.raises(K2NutritionError, match=r"efsa-2017.*iom-2001"):
        plot.cohort_distribution(cohort, "efsa-2017")
    with pytest.raises(K2NutritionError, match="life stage 'no_such_stage'"):
        plot.cohort_distribution(cohort, "iom-2001", life_stage="no_such_stage")


# -- sources on every figure, distinct status colours, labels clear of targets -------------


def footnotes(ax: Any) -> list[str]:
    return [a.get_text() for a in with_gid(ax.figure.get_children(), "sources")]


def test_every_figure_names_its_sources_and_editions(mpl: Any, cohort: CohortResult) -> None:
    report = check_all(DIET, ADULT)
    ax = plot.intake_vs_guidelines(report)
    [note] = footnotes(ax)
    flat = " ".join(note.split())
    for a in report:
        if a.guideline.measure is not None:
            assert a.guideline.id in flat
            assert a.guideline.source.id in flat
    assert "who-fao-2004 (2nd edition" in flat
    assert "not medical advice" in flat
    ax = plot.vitamers(DIET)
    [note] = footnotes(ax)
    assert "natto-kamao-2007 (source kamao-2007, 2007)" in " ".join(note.split())
    ax = plot.cohort_distribution(cohort, "iom-2001")
    [note] = footnotes(ax)
    assert "iom-2001 (2001; source iom-2001)" in " ".join(note.split())
    ax.figure.canvas.draw()  # the footnote is placed below the x-axis label
    label_box = ax.xaxis.label.get_window_extent()
    note_box = with_gid(ax.figure.get_children(), "sources")[0].get_window_extent()
    assert note_box.y1 <= label_box.y0


def test_status_colours_are_distinct() -> None:
    from matplotlib.colors import to_rgb

    from k2nutrition.plot import _STATUS_COLORS

    # statuses that can share a histogram (one guideline's type) never share a colour
    groups = [
        ["adequacy likely", "adequacy cannot be judged", "above upper level", "not applicable"],
        ["meets recommendation", "below recommendation", "above upper level", "not applicable"],
        ["within range", "below range", "above range", "above upper level", "not applicable"],
    ]
    for group in groups:
        colours = [to_rgb(_STATUS_COLORS[s]) for s in group]
        for i, a in enumerate(colours):
            for b in colours[i + 1 :]:
                assert sum(abs(x - y) for x, y in zip(a, b, strict=True)) > 0.3, group


def test_cohort_histogram_colours_each_status(mpl: Any, cohort: CohortResult) -> None:
    ax = plot.cohort_distribution(cohort, "iom-2001")
    faces = {}
    for container in ax.containers:
        colours = {tuple(p.get_facecolor()) for p in container}
        faces[container.get_label()] = colours
    assert len(faces) >= 2
    seen = [c for cs in faces.values() for c in cs]
    assert len(seen) == len(set(seen))  # one colour per status, none shared


def test_value_labels_clear_of_target_lines(mpl: Any) -> None:
    report = check_all(DIET, ADULT)
    ax = plot.intake_vs_guidelines(report)
    ax.figure.canvas.draw()
    renderer = ax.figure.canvas.get_renderer()  # type: ignore[attr-defined]
    labels = with_gid(ax.texts, "intake-label")
    assert labels
    marks = [c for c in ax.collections if str(c.get_gid()).startswith("target-")]
    boxes = [b for m in marks for b in _segment_boxes(m, ax)]
    for label in labels:
        box = label.get_window_extent(renderer)
        for mark in boxes:
            assert not box.overlaps(mark), label.get_text()


def _segment_boxes(collection: Any, ax: Any) -> list[Any]:
    from matplotlib.transforms import Bbox

    out = []
    for segment in collection.get_segments():
        points = ax.transData.transform(segment)
        out.append(Bbox.from_extents(*points.min(axis=0), *points.max(axis=0)).padded(1))
    return out


def test_cohort_distribution_share_meeting_is_the_summarys(mpl: Any) -> None:
    # above the UL and above the RDA: the summary counts it as meeting, so must the title
    import pandas as pd

    from k2nutrition.cohort import assess

    records = pd.DataFrame(
        {"person_id": [1, 2], "day": 1, "food": "calcium", "amount": ["3000 mg", "200 mg"]}
    )
    persons = pd.DataFrame({"person_id": [1, 2], "age": 40, "sex": "female"})
    result = assess(records, persons, "iom-2011-calcium")
    share = float(result.summary["share_meeting"].iloc[0])
    assert share == pytest.approx(0.5)
    ax = plot.cohort_distribution(result, "iom-2011-calcium")
    assert f"{share:.0%} of the 2 with a target meeting it" in ax.get_title()
