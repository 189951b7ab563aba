from __future__ import annotations

import itertools

import pytest

from k2nutrition import Person, guidelines
from k2nutrition.guideline import NoTargetError, UnknownGuidelineError

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
    t = guidelines["who-fao-2004"].target_for(Person(age=15, sex="female"))
    assert t.value_type == "range"
    assert t.high is not None
    assert_quantity_close(t.high, 55, "µg/day")


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
                    and r.value_type in {"AI", "RNI", "RDA", "range_low"}
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
