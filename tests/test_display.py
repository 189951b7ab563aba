from __future__ import annotations

import html
import math
from html.parser import HTMLParser

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from k2nutrition import (
    Diet,
    Person,
    Portion,
    Supplement,
    VitaminK,
    check,
    check_all,
    foods,
    guidelines,
)
from k2nutrition import display as d
from k2nutrition.checks import DISCLAIMER, CheckReport
from k2nutrition.cohort import assess, example_cohort
from k2nutrition.food import Food, FoodTable, FoodValue
from k2nutrition.guideline import GuidelineCatalogue
from k2nutrition.sources import Source
from k2nutrition.vitamers import Vitamer

_VOID = {"br", "hr", "img", "meta", "link", "input", "col", "wbr"}


class _Checker(HTMLParser):
    """Collect tags, links and cell texts, and check that tags nest."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.tags: list[str] = []
        self.hrefs: list[str] = []
        self.cells: list[str] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag not in _VOID:
            self.stack.append(tag)
        self.hrefs += [v or "" for k, v in attrs if k == "href"]
        if tag in {"td", "th"}:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        assert self.stack, f"</{tag}> closes nothing"
        assert self.stack[-1] == tag, f"</{tag}> closes <{self.stack[-1]}>"
        self.stack.pop()
        if tag in {"td", "th"} and self._cell is not None:
            self.cells.append("".join(self._cell))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def parse(page: str) -> _Checker:
    checker = _Checker()
    checker.feed(page)
    checker.close()
    assert checker.stack == [], f"unclosed tags: {checker.stack}"
    assert "<script" not in page.casefold()
    return checker


ADULT = Person(age=55, sex="female")
DIET = Diet(
    [
        Portion("natto", "40 g", per="2/week"),
        Portion("douchi", "20 g"),
        Supplement("MK-7", "90 µg"),
    ]
)


@pytest.fixture
def evil_food() -> Food:
    source = Source(
        id="evil",
        kind="web-page",
        title="<b>Bold</b> & co",
        url="javascript:alert(1)",
    )
    value = FoodValue(
        component="K1",
        value=10,
        unit="ug/(100 g)",
        location="<i>p. 1</i>",
        confidence="high",
        notes='a "quoted" <note>',
    )
    return Food(
        id="evil-1",
        food="evil",
        name="<script>alert('x')</script>",
        content=VitaminK({"K1": "10 µg/100 g"}),
        source=source,
        values=[value],
        name_zh="<zh>",
        name_ja="日本&語",
        notes="<img src=x onerror=alert(1)>",
    )


# -- foods -----------------------------------------------------------------------------------


def test_food_html_has_names_figures_sources_and_link() -> None:
    natto = foods["natto"]
    page = natto._repr_html_()
    assert page == d.food_html(natto)
    found = parse(page)
    assert "Natto (fermented soybeans)" in page
    assert '<span lang="zh">纳豆</span>' in page
    assert '<span lang="ja">納豆</span>' in page
    # the vitamin K source, then the source of its calcium and vitamin D figures
    assert found.hrefs == ["https://doi.org/10.3177/jnsv.53.464", "https://fdc.nal.usda.gov/"]
    assert "<p>Source of calcium, vitamin D: " in page
    header = ["form", "µg/100 g", "as printed", "location", "confidence", "notes"]
    assert found.cells[: len(header)] == header
    assert found.cells[len(header) : 2 * len(header)] == [
        "MK-7",
        "939",
        "939 ug/(100 g)",
        "abstract",
        "high",
        "",
    ]
    assert html.escape(natto.source.citation) in page


def test_food_html_shows_pools_with_their_meaning() -> None:
    page = d.food_html(foods["douchi"])
    cells = parse(page).cells
    assert "total_MK (menaquinones, homologues not separated)" in cells
    assert "437.6" in cells


def test_food_text_is_str() -> None:
    natto = foods["natto"]
    text = str(natto)
    assert text == d.food_text(natto)
    assert text.splitlines()[0] == "Natto (fermented soybeans)  [natto-kamao-2007]"
    assert "Chinese: 纳豆; Japanese: 納豆" in text
    assert "MK-7   939" in text
    assert "doi:10.3177/jnsv.53.464" in text
    assert repr(natto).startswith("Food('natto-kamao-2007'")


def test_food_html_escapes_everything(evil_food: Food) -> None:
    page = d.food_html(evil_food)
    found = parse(page)
    assert "<script" not in page
    assert "<img" not in page
    assert "<b>" not in page
    assert "<i>" not in page
    assert "<zh>" not in page
    assert "<note>" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "日本&amp;語" in page
    assert "&quot;quoted&quot;" in page
    assert found.hrefs == []  # a javascript: address is never a link
    assert "<script>alert('x')</script>" in d.food_text(evil_food)


def test_link_only_for_http_addresses() -> None:
    ok = Source(id="ok", kind="web-page", title="T", url="https://example.org/a?b=1&c=2")
    assert d._source_html(ok) == (
        '<a href="https://example.org/a?b=1&amp;c=2" target="_blank" '
        'rel="noopener noreferrer">T. https://example.org/a?b=1&amp;c=2</a>'
    )
    pubmed = Source(id="pm", kind="journal-article", title="T", pmid="123")
    assert d._source_text(pubmed) == "T. https://pubmed.ncbi.nlm.nih.gov/123/"
    bare = Source(id="bare", kind="book")
    assert d._source_html(bare) == "bare"


# -- profiles --------------------------------------------------------------------------------


def test_vitamin_k_html_text_and_frame() -> None:
    profile = VitaminK({"K1": "10 µg/day", "MK-7": "90 µg/day"}, pools={"total_MK": "5 µg/day"})
    page = profile._repr_html_()
    found = parse(page)
    assert "Vitamin K (intake, µg/day)" in page
    assert found.cells == [
        "form",
        "µg/day",
        "K1",
        "10",
        "MK-7",
        "90",
        "total_MK (menaquinones, homologues not separated)",
        "5",
        "total",
        "105",
    ]
    assert "never under one vitamer" in page
    text = str(profile)
    assert text.splitlines()[0] == "Vitamin K (intake, µg/day)"
    assert text.splitlines()[-1].split() == ["total", "105"]
    assert repr(profile) == "VitaminK({K1: 10 µg/day, MK-7: 90 µg/day, total_MK: 5 µg/day})"

    frame = profile.to_frame()
    assert list(frame.index) == ["K1", "MK-7", "total_MK"]
    assert list(frame.columns) == ["form", "value", "unit", "description"]
    assert frame["value"].tolist() == [10.0, 90.0, 5.0]
    assert frame["form"].tolist() == ["vitamer", "vitamer", "pool"]
    assert set(frame["unit"]) == {"µg/day"}
    assert frame.loc["K1", "description"] == "phylloquinone"


def test_vitamin_k_display_of_kinds_empty_and_arrays() -> None:
    amount = VitaminK({"K1": "10 µg"})
    assert "Vitamin K (amount, µg)" in str(amount)
    content = foods["natto"].content
    assert "µg/100 g" in content._repr_html_()
    empty = VitaminK({}, kind="intake")
    assert parse(empty._repr_html_()).cells == ["form", "µg/day", "total", "0"]
    assert empty.to_frame().empty
    arrays = VitaminK.from_magnitudes({Vitamer.K1: np.array([1.0, 2.5])}, "intake")
    assert "[1, 2.5]" in arrays._repr_html_()
    many = VitaminK.from_magnitudes({Vitamer.K1: np.arange(10.0)}, "intake")
    assert "10 values, 0-9" in str(many)


# -- checks ----------------------------------------------------------------------------------


def test_assessment_html_fields_and_disclaimer() -> None:
    a = check(DIET, ADULT, "china-osteoporosis-2013")
    page = a._repr_html_()
    assert page == d.assessment_html(a)
    cells = parse(page).cells
    fields = dict(zip(cells[0::2], cells[1::2], strict=True))
    assert fields["guideline"] == "china-osteoporosis-2013 (2013 edition)"
    assert fields["measure"].startswith("MENAQUINONES: ")
    assert fields["person"] == "female, 55 y"
    assert a.intake_is_lower_bound  # natto's and Gouda's sources left forms unanalysed
    assert fields["intake"] == f"≥ {a.intake.magnitude:.4g} µg/d"
    assert fields["target"].startswith("range 50-120 µg/d")
    assert fields["status"] == "above range"
    assert fields["gap"] == "0 µg/d"
    assert fields["confidence"] == "low"
    assert html.escape(a.citation) in page
    assert html.escape(DISCLAIMER) in page
    assert "not medical advice" in page


def test_assessment_not_applicable_and_notes() -> None:
    a = check(DIET, ADULT, "uk-nhs-2020")
    page = a._repr_html_()
    cells = parse(page).cells
    fields = dict(zip(cells[0::2], cells[1::2], strict=True))
    assert fields["status"] == "not applicable"
    assert fields["target"] == "-"
    assert fields["gap"] == "-"
    assert "<li>" in page
    assert html.escape(a.notes[0]) in page
    text = str(a)
    assert "not applicable" in text
    assert DISCLAIMER in text
    assert a.notes[0] in text


def test_assessment_shows_what_cannot_be_counted() -> None:
    a = check(DIET, ADULT, "efsa-2017")
    assert a.unattributed is not None
    assert a.unattributed.magnitude > 0
    assert "not countable (forms not separated)" in d.assessment_text(a)


def test_report_html_one_row_per_guideline() -> None:
    report = check_all(DIET, Person(age=55, sex="female", on_anticoagulant=True))
    page = report._repr_html_()
    assert page == d.report_html(report)
    found = parse(page)
    assert page.count("<tr>") == len(report) + 1
    header = list(d._REPORT_HEADER)
    assert found.cells[: len(header)] == header
    rows = [found.cells[i : i + len(header)] for i in range(len(header), len(found.cells), 6)]
    assert [r[0].split(" (")[0] for r in rows] == [a.guideline.id for a in report]
    by_id = {r[0].split(" (")[0]: r for r in rows}
    assert by_id["iom-2001"][3] == "AI 90 µg/d"
    assert by_id["iom-2001"][5] == "iom-2001 (high)"
    assert by_id["uk-nhs-2020"][4] == "not applicable"
    assert by_id["theuwissen-2013-vka"][4] == "caution"
    assert page.count(html.escape(DISCLAIMER)) == 1
    assert "female, 55 y" in page
    assert "https://doi.org/10.17226/10026" in found.hrefs


def test_report_text_and_disclaimer_always_present() -> None:
    report = check_all(DIET, ADULT)
    text = str(report)
    assert text == d.report_text(report)
    assert text.count(DISCLAIMER) == 1
    for a in report:
        assert a.guideline.id in text
    bare = CheckReport((check(DIET, ADULT, "iom-2001"),))
    assert DISCLAIMER in str(bare)
    assert html.escape(DISCLAIMER) in bare._repr_html_()


# -- food tables -----------------------------------------------------------------------------


def test_food_table_summary_and_first_rows(evil_food: Food) -> None:
    page = foods._repr_html_()
    found = parse(page)
    assert f"{len(foods):,} records, {len(foods.keys):,} foods" in page
    assert page.count("<tr>") == d.DEFAULT_ROWS + 1
    assert "natto-kamao-2007" in found.cells
    text = str(foods)
    assert text.startswith(f"FoodTable: {len(foods):,} records")
    assert f"... {len(foods) - d.DEFAULT_ROWS:,} more records" in text
    assert repr(foods).startswith("FoodTable(")

    small = FoodTable([foods["natto"], evil_food])
    page = d.food_table_html(small, rows=5)
    parse(page)
    assert page.count("<tr>") == 3
    assert "2 records, 2 foods, 1 food group, 2 sources, 0 records with unresolved pools" in page
    assert "more records" not in str(small)


# -- guidelines ------------------------------------------------------------------------------


def test_guideline_html_and_text() -> None:
    g = guidelines["iom-2001"]
    page = g._repr_html_()
    assert page == d.guideline_html(g)
    found = parse(page)
    assert page.count("<tr>") == 7 + 1 + 1 + len(g.values)  # fields, source, header, rows
    assert "adult_female_19_30" in found.cells
    assert "TOTAL_K: all forms of vitamin K: phylloquinone and menaquinones" in found.cells
    assert "not set" in found.cells  # the UL the IOM did not set
    assert "https://doi.org/10.17226/10026" in found.hrefs
    text = str(g)
    assert text.splitlines()[0].startswith("iom-2001: Dietary Reference Intakes")
    assert "pregnancy_19_30" in text
    assert "19 to <31 y" in text  # the upper age is not in the band
    assert "71+ y" in text
    assert "0 to <6 mo" in text


def test_guideline_ages_under_a_year_in_months_and_bands_unambiguous() -> None:
    text = str(guidelines["dach"])
    assert "0 to <4 mo" in text
    assert "4 to <12 mo" in text
    assert "1 to <4 y" in text
    assert "0.333333" not in text
    assert "1-4 y" not in text  # read as "1 to 4 years", which includes the next band's 4


def test_guideline_to_frame() -> None:
    g = guidelines["japan-dri-2025"]
    frame = g.to_frame()
    assert len(frame) == len(g.values)
    assert list(frame.columns) == [
        "life_stage",
        "sex",
        "age_from",
        "age_to",
        "pregnant",
        "lactating",
        "trimesters",
        "value_type",
        "value",
        "unit",
        "location",
        "confidence",
        "notes",
    ]
    catalogue = guidelines.to_frame()
    same = catalogue[catalogue["guideline"] == g.id].reset_index(drop=True)
    pd.testing.assert_series_equal(same["value"], frame["value"])
    pd.testing.assert_series_equal(same["unit"], frame["unit"])
    iom = guidelines["iom-2001"].to_frame()
    assert math.isnan(iom.loc[iom["value_type"] == "UL", "value"].iloc[0])


def test_catalogue_html_and_text() -> None:
    page = guidelines._repr_html_()
    found = parse(page)
    assert page.count("<tr>") == len(guidelines) + 1
    assert set(guidelines.ids) <= set(found.cells)
    text = str(guidelines)
    assert text.startswith(f"Guidelines: {len(guidelines)}")
    assert repr(guidelines) == f"GuidelineCatalogue({len(guidelines)} guidelines)"
    small = GuidelineCatalogue([guidelines["efsa-2017"]])
    assert d.catalogue_html(small).count("<tr>") == 2


# -- cohorts ---------------------------------------------------------------------------------


def test_cohort_html_and_text() -> None:
    records, persons = example_cohort(600)
    records["food"] = records["food"].astype(object)
    records.loc[0, "food"] = "<no such food>"
    result = assess(records, persons, guidelines=["iom-2001", "efsa-2017"], errors="report")
    page = result._repr_html_()
    assert page == d.cohort_html(result)
    found = parse(page)
    people = result.per_person["person_id"].nunique()
    assert f"people assessed: {people}; guidelines: 2; rows: {2 * people}" in page
    assert "share_meeting" in found.cells
    assert "Left out (first 1)" in page
    assert "unknown food '&lt;no such food&gt;'" in page
    assert "<no such food>" not in page
    assert "not medical advice" in page
    text = str(result)
    assert text.startswith(f"Cohort result: people assessed: {people}")
    assert "%" in text  # shares as percentages
    assert "Left out" in text


# -- generic text helpers -------------------------------------------------------------------

_TEXT = st.text(
    alphabet=st.sampled_from(list("ab cdef-()") + list("纳豆維生素ナットウ，。")), max_size=60
)


@given(_TEXT, st.integers(min_value=1, max_value=40))
def test_truncate_fits_and_marks_every_cut(text: str, width: int) -> None:
    out = d.truncate(text, width)
    assert d.text_width(out) <= width
    if out != text:
        assert out.endswith(d.ELLIPSIS)
        kept = out.removesuffix(d.ELLIPSIS).rstrip()
        assert text.startswith(kept)


@given(_TEXT, st.integers(min_value=2, max_value=40))
def test_wrap_fits_and_keeps_every_word(text: str, width: int) -> None:
    lines = d.wrap(text, width)
    assert all(d.text_width(line) <= width for line in lines)
    assert "".join("".join(lines).split()) == "".join(text.split())


@given(
    st.lists(st.tuples(_TEXT, _TEXT, _TEXT), min_size=1, max_size=5),
    st.integers(min_value=30, max_value=90),
)
def test_text_table_fits_and_aligns(rows: list[tuple[str, str, str]], width: int) -> None:
    table = d.text_table(["a", "b", "c"], rows, max_width=width, wrap_columns=[1], shrink=[0, 2])
    lines = table.splitlines()
    assert all(d.text_width(line) <= width for line in lines)
    # every line's second column starts at the same display column
    dashes = lines[1]
    start = dashes.index("  -") + 2
    for line in lines[2:]:
        if d.text_width(line) <= start:
            continue  # the rest of this line is empty
        cut = ""
        for ch in line:
            if d.text_width(cut) >= start:
                break
            cut += ch
        assert d.text_width(cut) == start
        assert cut.endswith("  ")


def test_text_width_counts_wide_characters_twice() -> None:
    assert d.text_width("纳豆 40克") == 9
    assert d.text_width("natto") == 5
    assert d.pad("纳豆", 6) == "纳豆  "


def test_a_figure_not_detected_shows_as_nd() -> None:
    record = next(f for f in foods if any(v.value is None for v in f.values))
    text = d.food_text(record)
    assert " nd" in text
    assert "nd" in d.food_html(record)


# -- counts agree in number; targets print the figure as stored -----------------------------


@pytest.mark.parametrize(
    ("n", "noun", "plural", "expected"),
    [
        (0, "record", None, "0 records"),
        (1, "record", None, "1 record"),
        (2, "person", None, "2 persons"),
        (1_234_567, "record", None, "1,234,567 records"),
        (1, "record or person", "records or persons", "1 record or person"),
        (3, "record or person", "records or persons", "3 records or persons"),
    ],
)
def test_counted_agrees_in_number(n: int, noun: str, plural: str | None, expected: str) -> None:
    assert d.counted(n, noun, plural) == expected


def test_food_table_of_one_record_says_record() -> None:
    one = FoodTable([foods["natto"]])
    text, page = d.food_table_text(one), d.food_table_html(one)
    for shown in (text, page):
        assert "1 record," in shown
        assert "1 food," in shown
        assert "1 source," in shown
        assert "1 records" not in shown
        assert "1 foods" not in shown
    assert "first 1 of 1 record " in page
    two = FoodTable([foods["natto"], foods["kale"]])
    more = d.food_table_text(two, rows=1)
    assert more.endswith("... 1 more record")


def test_report_html_of_one_guideline_says_guideline() -> None:
    report = check_all(Diet([Portion("natto", "40 g")]), Person(age=55, sex="female"))
    one = CheckReport(report.assessments[:1], report.notes)
    page = d.report_html(one)
    assert "(1 guideline, " in page
    assert "1 guidelines" not in page
