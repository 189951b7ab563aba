from __future__ import annotations

import itertools

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from k2nutrition import Person, guidelines
from k2nutrition.guideline import NoTargetError, Target, UnknownGuidelineError
from k2nutrition.units import Q_, parse_amount

from .helpers import assert_quantity_close

# (guideline, person kwargs, value type, µg/day) read from the source tables cited in the data.
GRID = [
    ("iom-2001", {"age": 55, "sex": "female"}, "AI", 90),
    ("iom-2001", {"age": 55, "sex": "male"}, "AI", 120),
    ("iom-2001", {"age": 2, "sex": "male"}, "AI", 30),
    ("iom-2001", {"age": "3 months", "sex": "female"}, "AI", 2.0),
    ("iom-2001", {"age": 16, "sex": "female", "pregnant": True}, "AI", 75),
    ("iom-2001", {"age": 25, "sex": "female", "lactating": True}, "AI", 90),
    ("efsa-2017", {"age": 40, "sex": "male"}, "AI", 70),
    ("efsa-2017", {"age": 12, "sex": "female"}, "AI", 45),
    ("efsa-2017", {"age": 30, "sex": "female", "pregnant": True}, "AI", 70),
    ("who-fao-2004", {"age": 30, "sex": "male"}, "RNI", 65),
    ("who-fao-2004", {"age": 30, "sex": "female"}, "RNI", 55),
    ("who-fao-2004", {"age": "9 months", "sex": "male"}, "RNI", 10),
    ("china-dri-2013", {"age": 30, "sex": "female"}, "AI", 80),
    ("china-dri-2013", {"age": 30, "sex": "female", "lactating": True}, "AI", 85),
    ("china-dri-2023", {"age": 10, "sex": "male"}, "AI", 60),
    ("china-osteoporosis-2013", {"age": 55, "sex": "female"}, "range", 50),
    ("japan-dri-2020", {"age": 13, "sex": "female"}, "AI", 170),
    ("japan-dri-2025", {"age": 13, "sex": "female"}, "AI", 150),
    ("japan-dri-2025", {"age": 40, "sex": "male"}, "AI", 150),
    ("nnr-2023", {"age": 60, "sex": "male"}, "AI", 70),
    ("nnr-2023", {"age": 30, "sex": "female", "pregnant": True, "trimester": 1}, "AI", 65),
    ("dach", {"age": 60, "sex": "female"}, "AI", 65),
    ("dach", {"age": "2 months", "sex": "male"}, "AI", 4),
    ("anz-2006", {"age": 30, "sex": "male"}, "AI", 70),
    ("korea-2020", {"age": 16, "sex": "male"}, "AI", 80),
]


@pytest.mark.parametrize(("gid", "who", "kind", "value"), GRID)
def test_targets_match_source_tables(
    gid: str, who: dict[str, object], kind: str, value: float
) -> None:
    target = guidelines[gid].target_for(Person(**who))
    assert target.value_type == kind
    assert target.low is not None
    assert_quantity_close(target.low, value, "µg/day")


def test_range_bounds() -> None:
    t = guidelines["china-osteoporosis-2013"].target_for(Person(age=55, sex="female"))
    assert t.high is not None
    assert_quantity_close(t.high, 120, "µg/day")


@pytest.mark.parametrize(("sex", "low", "high"), [("female", 35, 55), ("male", 35, 65)])
def test_rni_printed_as_a_range_uses_its_upper_end(sex: str, low: float, high: float) -> None:
    # WHO/FAO print the RNI for 10-18 years as 35-55 (girls) and 35-65 (boys): an RNI
    # that varies within the ages, not a range to stay within (500 µg is not "above")
    t = guidelines["who-fao-2004"].target_for(Person(age=15, sex=sex))
    assert t.value_type == "RNI"
    assert t.high is None
    assert t.low is not None
    assert_quantity_close(t.low, high, "µg/day")
    assert sorted(r.value_type for r in t.rows) == ["RNI_high", "RNI_low"]
    assert [float(r.value.magnitude) for r in t.rows if r.value is not None] == [high, low]
    assert any(f"as a range, {low} to {high} µg/d" in n for n in t.notes)


def test_not_applicable_with_reason() -> None:
    with pytest.raises(NoTargetError, match="efsa-2017 sets no value"):
        guidelines["efsa-2017"].target_for(Person(age="3 months", sex="male"))
    with pytest.raises(NoTargetError, match="body_weight"):
        guidelines["uk-nhs-2020"].target_for(Person(age=40, sex="male"))


def test_per_kg_with_body_weight() -> None:
    t = guidelines["uk-nhs-2020"].target_for(Person(age=40, sex="male", body_weight="80 kg"))
    assert t.value_type == "per_kg_bw"
    assert t.low is not None
    assert_quantity_close(t.low, 80, "µg/day")


def test_trimester_note_and_ul() -> None:
    t = guidelines["nnr-2023"].target_for(Person(age=30, sex="female", pregnant=True))
    assert t.low is not None
    assert_quantity_close(t.low, 75, "µg/day")
    assert any("trimester" in n for n in t.notes)
    assert guidelines["iom-2001"].target_for(Person(age=30, sex="male")).ul_not_set
    ca = guidelines["iom-2011-calcium"].target_for(Person(age=60, sex="female"))
    assert ca.upper_limit is not None
    assert_quantity_close(ca.upper_limit, 2000, "mg/day")
    assert_quantity_close(ca.low, 1200, "mg/day")


def test_catalogue() -> None:
    for gid in [
        "iom-2001",
        "efsa-2017",
        "who-fao-2004",
        "china-dri-2013",
        "china-dri-2023",
        "china-osteoporosis-2013",
        "japan-dri-2020",
        "japan-dri-2025",
        "nnr-2023",
        "dach",
        "anz-2006",
        "korea-2020",
        "schurgers-2007-vka",
        "theuwissen-2013-vka",
    ]:
        assert gid in guidelines
        assert guidelines[gid].source.citation
    assert guidelines["efsa-2017"].measure is not None
    assert guidelines["efsa-2017"].measure.name == "K1_ONLY"
    japan = guidelines["japan-dri-2025"].measure
    assert japan is not None
    assert japan.name == "JAPAN_MK4_EQ"
    assert {g.id for g in guidelines.filter(nutrient="calcium")} >= {"iom-2011-calcium"}
    assert all(g.purpose == "safety" for g in guidelines.filter(purpose="safety"))
    assert guidelines.filter(authority="efsa")[0].id == "efsa-2017"
    with pytest.raises(UnknownGuidelineError, match="did you mean 'iom-2001'"):
        guidelines["iom-2010"]
    frame = guidelines.to_frame()
    assert len(frame) == sum(len(g.values) for g in guidelines)


def test_life_stage_tables_have_no_gaps_or_overlaps() -> None:
    for g in guidelines:
        if g.purpose != "adequacy":
            continue
        for sex in ("female", "male"):
            rows = sorted(
                (
                    r
                    for r in g.values
                    if r.matches_sex(sex)
                    and not r.pregnant
                    and not r.lactating
                    and r.value_type in {"AI", "RNI", "RDA", "range_low", "RNI_low"}
                ),
                key=lambda r: r.age_from or 0.0,
            )
            for a, b in itertools.pairwise(rows):
                assert a.age_to is not None, (g.id, sex, a.life_stage)
                assert a.age_to == pytest.approx(b.age_from), (
                    g.id,
                    sex,
                    a.life_stage,
                    b.life_stage,
                )


# -- pregnancy and lactation: increments on the same-age value, trimesters, teens ----------

# (guideline, person kwargs, value type, value, unit): the tables print these states as an
# increment on the value for the woman's own age (China, Korea) or by trimester.
PREGNANCY = [
    ("china-dri-2013", {"age": 16, "pregnant": True}, "AI", 75, "µg/day"),  # 14-17 y 75 +0
    ("china-dri-2013", {"age": 16, "lactating": True}, "AI", 80, "µg/day"),  # 75 +5
    ("china-dri-2013", {"age": 12, "pregnant": True}, "AI", 70, "µg/day"),  # 11-13 y 70 +0
    ("china-dri-2013", {"age": 30, "pregnant": True}, "AI", 80, "µg/day"),
    ("china-dri-2013", {"age": 30, "lactating": True}, "AI", 85, "µg/day"),
    ("china-dri-2023", {"age": 16, "lactating": True}, "AI", 80, "µg/day"),  # 15-17 y 75 +5
    ("china-dri-2023", {"age": 13, "pregnant": True}, "AI", 70, "µg/day"),  # 12-14 y 70 +0
    ("china-dri-2023", {"age": 40, "lactating": True}, "AI", 85, "µg/day"),
    ("korea-2020", {"age": 16, "pregnant": True}, "AI", 65, "µg/day"),
    ("korea-2020", {"age": 13, "lactating": True}, "AI", 65, "µg/day"),
    ("china-dri-2013-calcium", {"age": 30, "pregnant": True, "trimester": 1}, "RNI", 800, "mg/day"),
    (
        "china-dri-2013-calcium",
        {"age": 30, "pregnant": True, "trimester": 2},
        "RNI",
        1000,
        "mg/day",
    ),
    (
        "china-dri-2013-calcium",
        {"age": 30, "pregnant": True, "trimester": 3},
        "RNI",
        1000,
        "mg/day",
    ),
    ("china-dri-2013-calcium", {"age": 30, "lactating": True}, "RNI", 1000, "mg/day"),
    ("china-dri-2023-calcium", {"age": 30, "pregnant": True, "trimester": 1}, "RNI", 800, "mg/day"),
    ("china-dri-2023-vitamin-d", {"age": 30, "lactating": True}, "RNI", 10, "µg/day"),
    ("nnr-2023", {"age": 30, "pregnant": True, "trimester": 2}, "AI", 70, "µg/day"),
    ("nnr-2023", {"age": 30, "pregnant": True, "trimester": 3}, "AI", 75, "µg/day"),
    ("iom-2001", {"age": 17, "lactating": True}, "AI", 75, "µg/day"),
    ("anz-2006", {"age": 16, "pregnant": True}, "AI", 60, "µg/day"),
    ("efsa-2017", {"age": 16, "pregnant": True}, "AI", 65, "µg/day"),  # adolescent value
]


@pytest.mark.parametrize(("gid", "who", "kind", "value", "unit"), PREGNANCY)
def test_pregnancy_and_lactation_by_age_and_trimester(
    gid: str, who: dict[str, object], kind: str, value: float, unit: str
) -> None:
    target = guidelines[gid].target_for(Person(sex="female", **who))
    assert target.value_type == kind
    assert target.low is not None
    assert_quantity_close(target.low, value, unit)


def test_calcium_early_pregnancy_has_its_ul_and_ear() -> None:
    early = Person(age=28, sex="female", pregnant=True, trimester=1)
    t = guidelines["china-dri-2013-calcium"].target_for(early)
    assert t.upper_limit is not None
    assert t.ear is not None
    assert_quantity_close(t.upper_limit, 2000, "mg/day")
    assert_quantity_close(t.ear, 650, "mg/day")
    late = guidelines["china-dri-2013-calcium"].target_for(
        Person(age=28, sex="female", pregnant=True, trimester=3)
    )
    assert late.ear is not None
    assert_quantity_close(late.ear, 810, "mg/day")  # 650 +160
    # with no trimester the highest is used, and its EAR comes with it
    unknown = guidelines["china-dri-2013-calcium"].target_for(
        Person(age=28, sex="female", pregnant=True)
    )
    assert unknown.low is not None
    assert unknown.ear is not None
    assert_quantity_close(unknown.low, 1000, "mg/day")
    assert_quantity_close(unknown.ear, 810, "mg/day")
    assert any("trimester" in n for n in unknown.notes)


def test_increments_keep_the_printed_increment_in_the_notes() -> None:
    teen = Person(age=16, sex="female", lactating=True)
    t = guidelines["china-dri-2013"].target_for(teen)
    (row,) = [r for r in t.rows if r.value_type == "AI"]
    assert row.lactating
    assert row.age_from == 14
    assert row.age_to == 18
    assert "+5" in row.notes
    assert "adolescent_14_17" in row.notes


def test_teen_without_a_pregnancy_value_gets_the_value_for_her_age() -> None:
    t = guidelines["iom-2001"].target_for(Person(age=13, sex="female", pregnant=True))
    assert t.low is not None
    assert_quantity_close(t.low, 60, "µg/day")  # IOM 9-13 y; pregnancy rows start at 14
    assert any("no pregnancy value at 13" in n for n in t.notes)


INCREMENTS = [
    "china-dri-2013",
    "china-dri-2023",
    "korea-2020",
    "china-dri-2013-calcium",
    "china-dri-2023-calcium",
    "china-dri-2023-vitamin-d",
]


@pytest.mark.parametrize("gid", INCREMENTS)
def test_increments_never_lower_the_same_age_value(gid: str) -> None:
    # Where the table prints an increment, pregnancy and lactation add to the value for the
    # woman's own age (tables with absolute pregnancy values, such as Japan's 150 µg
    # against 170 µg at 12-14 y, may print less).
    g = guidelines[gid]
    for age in (12, 15, 16, 17, 19, 25, 35, 45):
        base = Person(age=age, sex="female")
        for state in (
            {"pregnant": True, "trimester": 1},
            {"pregnant": True, "trimester": 3},
            {"lactating": True},
        ):
            try:
                usual = g.target_for(base)
                special = g.target_for(Person(age=age, sex="female", **state))
            except NoTargetError:
                continue
            if usual.low is None or special.low is None or usual.value_type == "per_kg_bw":
                continue
            # every authority raises or keeps the value in pregnancy and lactation
            assert special.low.to(usual.low.units).magnitude >= usual.low.magnitude - 1e-9, (
                gid,
                age,
                state,
            )


# -- the nutrient filter reads the usual spellings; targets print the figure as stored ------


@pytest.mark.parametrize(
    ("given", "nutrient"),
    [
        ("VITAMIN_K", "vitamin_k"),
        ("Vitamin K", "vitamin_k"),
        ("vitamin-k", "vitamin_k"),
        ("vit. K", "vitamin_k"),
        ("K", "vitamin_k"),
        ("vitamin K2", "vitamin_k2"),
        ("k2", "vitamin_k2"),
        ("MK-7", "mk7"),
        ("mk 4", "mk4"),
        ("Vitamin D", "vitamin_d"),
        ("CALCIUM", "calcium"),
        ("ｖｉｔａｍｉｎ＿ｋ", "vitamin_k"),
    ],
)
def test_filter_reads_a_nutrient_in_any_case_and_usual_spelling(given: str, nutrient: str) -> None:
    expected = [g.id for g in guidelines if g.nutrient == nutrient]
    assert expected
    assert [g.id for g in guidelines.filter(nutrient=given)] == expected


def test_filter_reads_a_purpose_in_any_case() -> None:
    assert guidelines.filter(purpose="SAFETY") == guidelines.filter(purpose="safety")


@pytest.mark.parametrize("given", ["K1", "vitamin", "", "vitamin_k_2x", "kk"])
def test_filter_refuses_an_unknown_nutrient_listing_the_valid_ones(given: str) -> None:
    with pytest.raises(UnknownGuidelineError) as info:
        guidelines.filter(nutrient=given)
    message = str(info.value)
    assert repr(given) in message
    for known in ("calcium", "mk4", "mk7", "vitamin_d", "vitamin_k", "vitamin_k2"):
        assert known in message


def test_catalogue_repr_agrees_in_number() -> None:
    from k2nutrition.guideline import GuidelineCatalogue

    assert repr(GuidelineCatalogue([guidelines["iom-2001"]])) == "GuidelineCatalogue(1 guideline)"
    assert repr(GuidelineCatalogue([])) == "GuidelineCatalogue(0 guidelines)"


def _target(value_type: str, low: str, high: str | None = None) -> Target:

    base = guidelines["iom-2001"].target_for(Person(age=55, sex="female"))
    return attrs.evolve(
        base,
        value_type=value_type,
        low=Q_(low),
        high=None if high is None else Q_(high),
    )


@pytest.mark.parametrize(
    ("value_type", "low", "high", "expected"),
    [
        ("AI", "90 µg/day", None, "AI 90 µg/d"),
        ("AI", "2.5 µg/day", None, "AI 2.5 µg/d"),
        ("AI", "1000 mg/day", None, "AI 1000 mg/d"),
        ("AI", "1000000 µg/day", None, "AI 1000000 µg/d"),
        ("AI", "1234567 µg/day", None, "AI 1234567 µg/d"),
        ("AI", "12.3456789 µg/day", None, "AI 12.3456789 µg/d"),
        ("AI", "0.00002 mg/day", None, "AI 0.00002 mg/d"),
        ("RDA", "1.125 mg/day", None, "RDA 1.1250 mg/d"),
        ("range", "50 µg/day", "120 µg/day", "range 50-120 µg/d"),
        ("range", "50 µg/day", "0.12 mg/day", "range 50-120 µg/d"),
        ("range", "0.1 mg/day", "0.3 mg/day", "range 0.1-0.3 mg/d"),
    ],
)
def test_target_describe_prints_the_figure_as_stored(
    value_type: str, low: str, high: str | None, expected: str
) -> None:
    assert _target(value_type, low, high).describe() == expected


@given(
    st.decimals(min_value="0.000001", max_value="1e15", places=6, allow_nan=False).filter(
        lambda d: len(d.normalize().as_tuple().digits) <= 15
    )
)
def test_target_describe_reads_back_as_the_figure_given(figure: object) -> None:
    # a figure as a source prints it (up to 15 significant digits) is written in full
    value = float(str(figure))
    base = _target("AI", "90 µg/day")
    text = attrs.evolve(base, low=Q_(value, "µg/day")).describe()
    number = text.split()[1]
    assert "e" not in number.lower()
    back = parse_amount(text.removeprefix("AI "), "target", "mass rate")
    assert back.to("µg/day").magnitude == value


@given(st.floats(min_value=1e-6, max_value=1e15, allow_nan=False, allow_infinity=False))
def test_target_describe_of_any_float_is_within_its_noise(value: float) -> None:
    base = _target("AI", "90 µg/day")
    text = attrs.evolve(base, low=Q_(value, "µg/day")).describe()
    assert "e" not in text.split()[1].lower()
    back = parse_amount(text.removeprefix("AI "), "target", "mass rate")
    assert back.to("µg/day").magnitude == pytest.approx(value, rel=1e-14)


def test_per_kg_target_and_note_without_conversion_noise() -> None:
    person = Person(age=30, sex="female", body_weight="140 lb")
    target = guidelines["uk-nhs-2020"].target_for(person)
    assert target.describe() == "63.5029318 µg/d (1 µg/kg)"
    assert "1 µg/kg body weight per day x 63.5029318 kg" in target.notes
