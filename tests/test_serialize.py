from __future__ import annotations

import json
from fractions import Fraction
from typing import Any

import attrs
import numpy as np
import pint
import pytest
from hypothesis import given
from hypothesis import strategies as st

from k2nutrition import (
    Q_,
    Confidence,
    Diet,
    Food,
    Person,
    Pool,
    Portion,
    Source,
    Supplement,
    Vitamer,
    VitaminK,
    check,
    check_all,
    foods,
    guidelines,
)
from k2nutrition.checks import Assessment, CheckReport, Status
from k2nutrition.errors import K2NutritionError
from k2nutrition.food import FoodValue
from k2nutrition.guideline import GuidelineValue, NoTargetError, Target
from k2nutrition.serialize import (
    SerializationError,
    converter,
    from_json,
    structure,
    to_json,
    unstructure,
)
from k2nutrition.sources import get_source

from .helpers import other_registry


def round_trip(obj: Any) -> Any:
    text = to_json(obj)
    json.loads(text)  # strict JSON
    return from_json(text, type(obj))


def problem_paths(exc: pytest.ExceptionInfo[SerializationError]) -> list[str]:
    return [path for path, _text in exc.value.problems]


def custom_food() -> Food:
    """A food that is not in the built-in table, with every optional field set."""
    source = Source(
        id="my-lab-2024",
        kind="report",
        authors="Doe J; Roe R",
        year=2024,
        title="Vitamin K in home-made kefir",
        url="https://example.org/kefir",
        notes="Table 1",
    )
    values = (
        FoodValue("MK-9", "0.6", "ug/(100 g)", low="0.4", high=0.9, location="Table 1"),
        FoodValue("total_MK", 1.25, "ng/g", confidence="medium", notes="sum of MK-10 to MK-13"),
    )
    content = VitaminK(
        {"MK-9": "0.6 µg/100 g", "K1": Q_(0.1, "µg/hg")}, pools={"total_MK": "0.125 µg/100 g"}
    )
    return Food(
        id="kefir-my-lab-2024",
        food="home kefir",
        name="Home-made kefir",
        content=content,
        source=source,
        values=values,
        group="milk",
        basis="as analysed",
        country="Nowhere",
        aliases=("kefir", "克菲尔"),
        name_zh="克菲尔",
        name_ja="ケフィア",
        serving=Q_(250, "g"),
        serving_label="1 cup",
        density=Q_(1.03, "g/mL"),
        notes="made up for a test",
    )


# -- round trips, type by type --------------------------------------------------------------


@pytest.mark.parametrize(
    "person",
    [
        Person(age=55, sex="female"),
        Person(age="7 months", sex="male", body_weight="8.2 kg"),
        Person(age=31.5, sex="female", pregnant=True, trimester=2, body_weight="150 lb"),
        Person(age=28, sex="f", lactating=True, on_anticoagulant=True),
        Person(age=125, sex="male", body_weight=Q_(70_000, "g")),
    ],
)
def test_person_round_trip(person: Person) -> None:
    assert round_trip(person) == person


def test_person_shape() -> None:
    data = unstructure(Person(age=40, sex="male", body_weight="80 kg"))
    assert data == {
        "age": 40.0,
        "sex": "male",
        "pregnant": False,
        "lactating": False,
        "body_weight": {"magnitude": 80, "units": "kilogram"},
        "on_anticoagulant": False,
        "trimester": None,
    }
    # Fields with defaults may be left out.
    assert structure({"age": 40, "sex": "male"}, Person) == Person(age=40, sex="male")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Vitamer.MK7, "MK-7"),
        (Vitamer.MK9_4H, "MK-9(4H)"),
        (Vitamer.DIHYDRO_K1, "dihydro-K1"),
        (Pool.TOTAL_K, "total_K"),
        (Confidence.MEDIUM, "medium"),
        (Status.ADEQUACY_LIKELY, "adequacy likely"),
        (Status.NOT_APPLICABLE, "not applicable"),
    ],
)
def test_labels_round_trip(value: Any, expected: str) -> None:
    assert unstructure(value) == expected
    assert to_json(value) == json.dumps(expected)
    assert round_trip(value) is value


def test_every_vitamer_round_trips() -> None:
    for vitamer in Vitamer:
        assert round_trip(vitamer) is vitamer


def test_vitamer_read_with_other_spellings() -> None:
    assert from_json('"menaquinone-7"', Vitamer) is Vitamer.MK7


def test_sources_round_trip() -> None:
    source = get_source("kamao-2007")
    assert round_trip(source) == source
    minimal = Source(id="x", kind="web-page")
    assert round_trip(minimal) == minimal
    assert unstructure(minimal)["authors"] == []


def test_every_builtin_food_round_trips_to_the_same_record() -> None:
    # every curated record, and FoodData Central records of each data type (with portions,
    # calcium, vitamin D and unreported figures)
    fdc = ["fdc-foundation-kale-raw", "fdc-sr-legacy-natto", "fdc-fndds-milk-whole"]
    for food in [*foods.subset(data_sets=["curated"]), *(foods[i] for i in fdc)]:
        back = round_trip(food)
        assert back == food
        assert back is food  # an equal built-in record is given back itself
        for value in food.values:
            assert round_trip(value) == value


def test_custom_food_round_trip() -> None:
    food = custom_food()
    assert food.id not in foods
    back = round_trip(food)
    assert back == food
    assert back.content == food.content
    assert back.content.pools == food.content.pools
    assert back.source == food.source
    assert back.values == food.values
    assert str(back.density.units) == "gram / milliliter"


def test_portion_of_a_custom_food_survives() -> None:
    portion = Portion(custom_food(), "250 mL", per="3/week")  # a volume, through the density
    back = round_trip(portion)
    assert back == portion
    assert back.per_day == portion.per_day
    assert back.vitamin_k == portion.vitamin_k
    assert "per_day" not in unstructure(portion)


@pytest.mark.parametrize(
    "item",
    [
        Portion("natto", "40 g", per="2/week"),
        Portion("spinach", Q_(0.1, "kg"), per=Q_(3, "1/week")),
        Supplement("MK-7", "90 µg"),
        Supplement("K1", "1 mg", per="1/month"),
        Supplement("vitamin D", "1000 IU", per="daily"),
        Supplement("calcium", "500 mg", per=Q_(2, "1/day")),
    ],
)
def test_portions_and_supplements_round_trip(item: Portion | Supplement) -> None:
    back = round_trip(item)
    assert back == item
    assert back.vitamin_k == item.vitamin_k


def test_diet_round_trip_and_shape() -> None:
    diet = Diet(
        [
            Portion("natto", "40 g", per="2/week"),
            Portion(custom_food(), "200 g"),
            Supplement("MK-7", "90 µg"),
            Supplement("vitamin D", "400 IU"),
        ]
    )
    back = round_trip(diet)
    assert back == diet
    assert back.vitamin_k == diet.vitamin_k
    data = unstructure(diet)
    assert [item["type"] for item in data["items"]] == [
        "portion",
        "portion",
        "supplement",
        "supplement",
    ]
    assert data["items"][0]["food"]["id"] == "natto-kamao-2007"  # the whole record
    assert data["items"][0]["amount"] == {"magnitude": 40, "units": "gram"}
    assert data["items"][3] == {
        "type": "supplement",
        "nutrient": "vitamin D",
        "dose": {"magnitude": 10.0, "units": "microgram"},
        "per": "daily",
    }
    assert round_trip(Diet([])) == Diet([])


def test_vitamin_k_not_analysed_shape() -> None:
    kale = VitaminK({"K1": "389.6 µg/100 g"}, not_analysed=["MK-7", "MK-4"])
    assert unstructure(kale)["not_analysed"] == ["MK-4", "MK-7"]
    assert structure(unstructure(kale), VitaminK).not_analysed == kale.not_analysed


def test_food_not_detected_and_cofactors_round_trip() -> None:
    natto = foods["natto"]
    made = attrs.evolve(
        natto,
        id="natto-test",
        values=(
            *(v for v in natto.values if v.source is None),
            FoodValue("MK-4", "nd", "ug/(100 g)", high=0.2),
        ),
        calcium="90 mg/(100 g)",
        vitamin_d=None,
    )
    back = round_trip(made)
    assert back == made
    assert back.not_detected[0].limit == 0.2
    assert back.calcium == made.calcium
    assert back.vitamin_d is None


def test_a_cofactor_of_another_source_round_trips_with_it() -> None:
    natto = foods["natto"]
    calcium = next(v for v in natto.values if str(v.component) == "calcium")
    assert calcium.source is not None
    assert round_trip(natto) is natto  # the built-in record itself
    data = unstructure(natto)
    (shown,) = [v for v in data["values"] if v["component"] == "calcium"]
    assert shown["source"]["id"] == "fdc-sr-legacy"
    made = attrs.evolve(natto, id="natto-copy")
    back = round_trip(made)
    assert back == made
    assert back.source_of("calcium") == get_source("fdc-sr-legacy")
    assert back.source.id == "kamao-2007"
    assert round_trip(calcium) == calcium
    plain = FoodValue("MK-7", 939, "ug/(100 g)")
    assert unstructure(plain)["source"] is None
    assert round_trip(plain) == plain


def test_vitamin_k_shape() -> None:
    content = VitaminK({"MK-7": "939 µg/100 g"}, pools={"total_K": "12 µg/100 g"})
    assert unstructure(content) == {
        "kind": "content",
        "unit": "µg/100 g",
        "values": {"MK-7": 939.0},
        "pools": {"total_K": 12.0},
    }
    assert unstructure(VitaminK({}, kind="intake")) == {
        "kind": "intake",
        "unit": "µg/day",
        "values": {},
        "pools": {},
    }


@pytest.mark.parametrize(
    "profile",
    [
        VitaminK({"MK-7": "939 µg/100 g", "K1": "10 µg/100 g"}),
        VitaminK({"MK-4": "0.1 mg"}, pools={"total_MK": "3 µg", "total_K": "1 µg"}),
        VitaminK({"K1": "90 µg/day"}) * 0.3,
        VitaminK({}, kind="amount"),
        VitaminK({}, pools={"total_K": "437.55 µg/100 g"}),
        VitaminK({"K1": "389.6 µg/100 g"}, not_analysed=["MK-4", "MK-7"]),
    ],
)
def test_vitamin_k_round_trip(profile: VitaminK) -> None:
    back = round_trip(profile)
    assert back == profile
    assert back.kind == profile.kind
    assert back.pools == profile.pools


def test_vitamin_k_read_in_other_units() -> None:
    text = '{"kind": "intake", "unit": "mg/day", "values": {"mk7": 0.5}}'
    profile = from_json(text, VitaminK)
    assert profile == VitaminK({"MK-7": "500 µg/day"})
    assert from_json('{"kind": "amount"}', VitaminK) == VitaminK({}, kind="amount")


def test_vitamin_k_with_array_magnitudes() -> None:
    profile = VitaminK({"MK-7": Q_(np.array([1.0, 2.5]), "µg")}, pools={"total_K": "3 µg"})
    data = unstructure(profile)
    assert data["values"] == {"MK-7": [1.0, 2.5]}
    back = round_trip(profile)
    assert back == profile
    assert isinstance(back.magnitudes()[Vitamer.MK7], np.ndarray)


# -- quantities -----------------------------------------------------------------------------


def test_quantity_shape() -> None:
    assert unstructure(Q_(9.39, "µg/g")) == {
        "magnitude": 9.39,
        "units": "microgram / gram",
    }
    assert unstructure(Q_(2, "1/week")) == {"magnitude": 2, "units": "1 / week"}
    q = from_json('{"magnitude": 90, "units": "µg/day"}', pint.Quantity)
    assert q == Q_(90, "µg/day")


@pytest.mark.parametrize(
    "q", [Q_(40, "g"), Q_(0.09, "mg/day"), Q_(1.5e-7, "mol"), Q_(3, "dimensionless")]
)
def test_quantity_round_trip(q: Any) -> None:
    back = round_trip(q)
    assert back._REGISTRY is Q_(1, "g")._REGISTRY
    assert back.magnitude == q.magnitude
    assert type(back.magnitude) is type(q.magnitude)
    assert back.units == q.units


def test_quantities_from_another_registry() -> None:
    other = other_registry()
    q = other.Quantity(62.5, "kilogram")
    data = unstructure(q)
    assert data == {"magnitude": 62.5, "units": "kilogram"}
    back = structure(data, pint.Quantity)
    assert back._REGISTRY is Q_(1, "g")._REGISTRY
    assert back == Q_(62.5, "kg")

    person = Person(age=40, sex="female", body_weight=other.Quantity(140, "lb"))
    assert round_trip(person) == person
    supplement = Supplement("MK-7", other.Quantity(0.1, "mg"), per=other.Quantity(2, "1/week"))
    back_supplement = round_trip(supplement)
    assert back_supplement.dose == supplement.dose
    assert back_supplement.per_day == supplement.per_day


def test_numpy_magnitudes() -> None:
    q = Q_(np.array([[1.5, 2.0], [3.0, 4.0]]), "g")
    assert unstructure(q)["magnitude"] == [[1.5, 2.0], [3.0, 4.0]]
    back = round_trip(q)
    assert isinstance(back.magnitude, np.ndarray)
    assert back.magnitude.dtype == np.float64
    assert np.array_equal(back.magnitude, q.magnitude)
    assert unstructure(Q_(np.float64(2.5), "g"))["magnitude"] == 2.5
    assert unstructure(Q_(np.int64(3), "g"))["magnitude"] == 3


@pytest.mark.parametrize(
    "magnitude",
    [Fraction(1, 3), complex(1, 2), float("nan"), float("inf"), np.array([1.0, np.nan])],
)
def test_unwritable_magnitudes_are_refused(magnitude: Any) -> None:
    with pytest.raises(SerializationError, match="magnitude"):
        to_json(Q_(magnitude, "g"))


def test_unwritable_object_is_refused() -> None:
    with pytest.raises(SerializationError, match="cannot write an object as JSON"):
        to_json(object())


# -- guidelines, targets, assessments, reports ----------------------------------------------


def test_guidelines_are_references() -> None:
    for guideline in guidelines:
        data = unstructure(guideline)
        assert data == {"id": guideline.id, "edition": guideline.edition}
        assert round_trip(guideline) is guideline


PEOPLE = [
    Person(age=55, sex="female"),
    Person(age=60, sex="male", body_weight="80 kg", on_anticoagulant=True),
    Person(age=30, sex="female", pregnant=True, trimester=3),
    Person(age=0.5, sex="male", body_weight="7 kg"),
    Person(age=16, sex="female", lactating=True),
]


def test_targets_and_rows_round_trip() -> None:
    seen = 0
    for guideline in guidelines:
        for row in guideline.values:
            assert round_trip(row) == row
        for person in PEOPLE:
            try:
                target = guideline.target_for(person)
            except NoTargetError:
                continue
            back = round_trip(target)
            assert back == target
            assert back.guideline is guideline
            assert back.describe() == target.describe()
            seen += 1
    assert seen > 50


def test_target_shape() -> None:
    target = guidelines["iom-2001"].target_for(Person(age=55, sex="female"))
    data = unstructure(target)
    assert data["guideline"] == {"id": "iom-2001", "edition": guidelines["iom-2001"].edition}
    assert data["low"] == {"magnitude": 90.0, "units": "microgram / day"}
    assert data["rows"][0]["trimesters"] == []
    assert isinstance(round_trip(target.rows[0]), GuidelineValue)


def test_assessment_round_trip() -> None:
    diet = Diet([Portion("natto", "40 g", per="2/week"), Supplement("K1", "90 µg")])
    for guideline in ("china-osteoporosis-2013", "efsa-2017", "japan-dri-2025"):
        for person in PEOPLE:
            assessment = check(diet, person, guideline)
            back = round_trip(assessment)
            assert isinstance(back, Assessment)
            assert back == assessment
            assert back.summary() == assessment.summary()
            assert back.as_dict() == assessment.as_dict()


def test_check_all_report_round_trip() -> None:
    diet = Diet(
        [
            Portion("natto", "40 g", per="2/week"),
            Portion("hard cheese", "30 g"),
            Supplement("MK-7", "90 µg"),
            Supplement("calcium", "500 mg"),
            Supplement("vitamin D", "400 IU"),
        ]
    )
    for person in PEOPLE:
        report = check_all(diet, person)
        back = round_trip(report)
        assert isinstance(back, CheckReport)
        assert back == report
        assert back.notes == report.notes
        assert [a.status for a in back] == [a.status for a in report]
    statuses = {a.status for a in check_all(diet, PEOPLE[1])}
    assert len(statuses) > 2


def test_converter_is_a_cattrs_converter() -> None:
    person = Person(age=20, sex="male")
    assert converter.structure(converter.unstructure(person), Person) == person


# -- property tests ---------------------------------------------------------------------------


@st.composite
def people(draw: st.DrawFn) -> Person:
    sex = draw(st.sampled_from(["female", "male"]))
    age = draw(st.floats(min_value=0, max_value=125))
    can_bear = sex == "female" and 10 <= age <= 55
    pregnant = can_bear and draw(st.booleans())
    lactating = can_bear and not pregnant and draw(st.booleans())
    trimester = draw(st.none() | st.sampled_from([1, 2, 3])) if pregnant else None
    body_weight = None
    if draw(st.booleans()):
        kg = draw(st.floats(min_value=25, max_value=60) if age >= 1 else st.floats(0.4, 20))
        unit, factor = draw(st.sampled_from([("kg", 1.0), ("g", 1000.0), ("lb", 2.0)]))
        body_weight = Q_(kg * factor, unit)
    return Person(
        age=age,
        sex=sex,
        pregnant=pregnant,
        lactating=lactating,
        body_weight=body_weight,
        on_anticoagulant=draw(st.booleans()),
        trimester=trimester,
    )


@given(people())
def test_random_people_round_trip_exactly(person: Person) -> None:
    back = round_trip(person)
    assert back == person
    assert back.age == person.age
    if person.body_weight is not None:
        assert back.body_weight.magnitude == person.body_weight.magnitude


magnitudes = st.floats(min_value=0, max_value=1e300, allow_nan=False, allow_infinity=False)


@given(
    st.dictionaries(st.sampled_from(list(Vitamer)), magnitudes),
    st.dictionaries(st.sampled_from(list(Pool)), magnitudes),
    st.sampled_from(["content", "amount", "intake"]),
)
def test_random_profiles_round_trip_exactly(
    values: dict[Vitamer, float], pools: dict[Pool, float], kind: Any
) -> None:
    profile = VitaminK.from_magnitudes(values, kind, pools=pools)
    back = round_trip(profile)
    assert back == profile
    assert back.kind == kind
    assert back.magnitudes() == profile.magnitudes()
    assert {p: q.magnitude for p, q in back.pools.items()} == pools


# -- malformed input ---------------------------------------------------------------------------


def test_serialization_error_is_a_library_error() -> None:
    assert issubclass(SerializationError, K2NutritionError)
    assert issubclass(SerializationError, ValueError)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "not valid JSON: Expecting value"),
        ('{"age": 30,', "not valid JSON"),
        ("{'age': 30}", "not valid JSON"),
        ('{"age": NaN, "sex": "male"}', "NaN is not a JSON number"),
        ('{"age": Infinity, "sex": "male"}', "Infinity is not a JSON number"),
        ('{"age": 30, "age": 31, "sex": "male"}', "the key 'age' appears twice"),
        (b"\xff\xfe\x00", "not valid JSON"),
    ],
)
def test_invalid_json_text(text: str | bytes, reason: str) -> None:
    with pytest.raises(SerializationError, match="cannot read a Person") as exc:
        from_json(text, Person)
    assert reason in str(exc.value)
    assert problem_paths(exc) == ["$"]


def test_json_text_must_be_text() -> None:
    with pytest.raises(SerializationError, match=r"\$: expected JSON text"):
        from_json(30, Person)  # type: ignore[arg-type]


def test_wrong_types_are_named_by_path() -> None:
    text = json.dumps(
        {"age": "thirty", "sex": 1, "pregnant": "no", "body_weight": 70, "trimester": 2.0}
    )
    with pytest.raises(SerializationError, match="5 problems") as exc:
        from_json(text, Person)
    assert problem_paths(exc) == ["age", "sex", "pregnant", "body_weight", "trimester"]
    message = str(exc.value)
    assert "age: expected a number; got the string 'thirty'" in message
    assert "pregnant: expected true or false; got the string 'no'" in message
    assert "body_weight: expected an object; got the number 70" in message
    assert "trimester: expected a whole number; got the number 2.0" in message


def test_document_of_the_wrong_type() -> None:
    with pytest.raises(SerializationError, match=r"\$: expected an object .*; got a list"):
        from_json("[1, 2]", Diet)


def test_values_refused_by_the_classes_are_named_by_path() -> None:
    with pytest.raises(SerializationError, match="age: age must not be negative"):
        structure({"age": -3, "sex": "female"}, Person)
    with pytest.raises(SerializationError, match="pregnant: a person of sex 'male' cannot be"):
        structure({"age": 30, "sex": "male", "pregnant": True}, Person)
    data = unstructure(Person(age=30, sex="male", body_weight="80 kg"))
    data["body_weight"]["units"] = "gram / day"
    with pytest.raises(SerializationError, match="body_weight: body_weight needs a mass"):
        structure(data, Person)


def sample_diet() -> Diet:
    return Diet(
        [
            Portion("natto", "40 g", per="2/week"),
            Supplement("MK-7", "90 µg"),
            Supplement("calcium", "500 mg"),
        ]
    )


def test_negative_amounts_in_a_diet() -> None:
    data = unstructure(sample_diet())
    data["items"][2]["dose"]["magnitude"] = -500
    data["items"][0]["amount"]["magnitude"] = -40
    with pytest.raises(SerializationError) as exc:
        structure(data, Diet)
    assert problem_paths(exc) == ["items[0].amount", "items[2].dose"]
    assert "items[2].dose: dose needs a mass" in str(exc.value)
    assert "which is negative" in str(exc.value)


def test_negative_content_in_a_food() -> None:
    data = unstructure(sample_diet())
    data["items"][0]["food"]["content"]["values"]["MK-7"] = -1.0
    with pytest.raises(SerializationError, match="must not be negative") as exc:
        structure(data, Diet)
    assert problem_paths(exc) == ["items[0].food.content.values['MK-7']"]


def test_unknown_vitamers() -> None:
    data = unstructure(sample_diet())
    data["items"][1]["nutrient"] = "MK-99"
    data["items"][0]["food"]["values"][0]["component"] = "MK-42"
    data["items"][0]["food"]["content"]["values"]["vitamin Z"] = 1.0
    with pytest.raises(SerializationError) as exc:
        from_json(json.dumps(data), Diet)
    assert problem_paths(exc) == [
        "items[0].food.content.values['vitamin Z']",
        "items[0].food.values[0].component",
        "items[1].nutrient",
    ]
    assert "unknown vitamer 'vitamin Z'" in str(exc.value)
    with pytest.raises(SerializationError, match=r"\$: unknown vitamer 'K3'"):
        from_json('"K3"', Vitamer)


def test_unknown_or_changed_guideline() -> None:
    assessment = check(sample_diet(), Person(age=50, sex="female"), "iom-2001")
    data = unstructure(assessment)
    data["guideline"]["id"] = "iom-2099"
    data["target"]["guideline"]["edition"] = "1999"
    with pytest.raises(SerializationError) as exc:
        from_json(json.dumps(data), Assessment)
    assert problem_paths(exc) == ["guideline.id", "target.guideline.edition"]
    assert "no guideline with id 'iom-2099'" in str(exc.value)
    assert "not '1999'" in str(exc.value)


def test_missing_fields() -> None:
    with pytest.raises(SerializationError, match="sex: required field missing"):
        from_json('{"age": 30}', Person)
    data = unstructure(sample_diet())
    del data["items"][0]["food"]["source"]
    del data["items"][1]["dose"]["units"]
    del data["items"][2]["type"]
    with pytest.raises(SerializationError) as exc:
        structure(data, Diet)
    assert problem_paths(exc) == [
        "items[0].food.source",
        "items[1].dose.units",
        "items[2].type",
    ]
    assert all(text == "required field missing" for _p, text in exc.value.problems)
    with pytest.raises(SerializationError, match="kind: required field missing"):
        structure({"values": {}}, VitaminK)


def test_unknown_fields_and_item_types() -> None:
    data = unstructure(sample_diet())
    data["items"][0]["type"] = "meal"
    data["items"][1]["doze"] = data["items"][1].pop("dose")
    data["items"].append("natto")
    with pytest.raises(SerializationError) as exc:
        structure(data, Diet)
    assert problem_paths(exc) == [
        "items[0].type",
        "items[1].dose",
        "items[1].doze",
        "items[3]",
    ]
    message = str(exc.value)
    assert "items[0].type: expected 'portion' or 'supplement'; got the string 'meal'" in message
    assert "items[1].doze: unknown field" in message
    with pytest.raises(SerializationError) as exc:
        structure({"age": 30, "sex": "male", 7: 1, "x": 2}, Person)
    assert problem_paths(exc) == ["7", "x"]


def test_bad_quantities_and_profiles() -> None:
    with pytest.raises(SerializationError, match="units: unknown unit 'bogon / day'"):
        structure({"magnitude": 1, "units": "bogon / day"}, pint.Quantity)
    with pytest.raises(SerializationError, match="units: 'µg/100 g' is not a unit"):
        structure({"magnitude": 1, "units": "µg/100 g"}, pint.Quantity)
    with pytest.raises(SerializationError, match="magnitude: expected a number"):
        structure({"magnitude": "1", "units": "g"}, pint.Quantity)
    with pytest.raises(SerializationError, match="rectangular"):
        structure({"magnitude": [1, [2]], "units": "g"}, pint.Quantity)
    profile = {"kind": "intake", "unit": "mg", "values": {"K1": 1}}
    with pytest.raises(SerializationError, match="unit: expected a unit of mass rate"):
        structure(profile, VitaminK)
    with pytest.raises(SerializationError, match="kind: expected one of 'content'"):
        structure({"kind": "dose"}, VitaminK)


def test_wrong_content_kind_in_a_food() -> None:
    data = unstructure(custom_food())
    data["content"]["kind"] = "amount"
    data["content"]["unit"] = "µg"
    with pytest.raises(SerializationError, match=r"content: Food\.content must be a content"):
        structure(data, Food)


def test_attrs_validators_name_their_field() -> None:
    data = unstructure(get_source("kamao-2007"))
    data["kind"] = "blog"
    data["id"] = ""
    with pytest.raises(SerializationError, match="id: Length of 'id' must be >= 1"):
        structure(data, Source)
    data["id"] = "x"
    with pytest.raises(SerializationError, match=r"^cannot read a Source: kind: 'kind' must be in"):
        structure(data, Source)


def test_target_with_a_bad_row() -> None:
    target = guidelines["efsa-2017"].target_for(Person(age=40, sex="male"))
    data = unstructure(target)
    data["rows"][0]["sex"] = "other"
    data["rows"][0]["trimesters"] = [1, "2"]
    with pytest.raises(SerializationError) as exc:
        structure(data, Target)
    assert problem_paths(exc) == ["rows[0].sex", "rows[0].trimesters[1]"]


# -- hostile JSON (issue: never silently wrong, never a raw exception) ----------------------


def test_assessment_with_a_negative_intake_is_refused() -> None:
    assessment = check(sample_diet(), Person(age=50, sex="female"), "iom-2001")
    data = unstructure(assessment)
    data["intake"]["magnitude"] = -5.0
    with pytest.raises(SerializationError, match="must not be negative") as exc:
        structure(data, Assessment)
    assert problem_paths(exc) == ["intake"]
    data = unstructure(assessment)
    data["gap"] = {"magnitude": -1, "units": "microgram / day"}
    with pytest.raises(SerializationError, match="must not be negative") as exc:
        structure(data, Assessment)
    assert problem_paths(exc) == ["gap"]


@pytest.mark.parametrize("unit", ["2 mg", "1e3 µg", "µg*2", "2", "mg mg"])
def test_profile_unit_must_be_a_unit_not_an_amount(unit: str) -> None:
    data = {"kind": "amount", "unit": unit, "values": {"K1": 1.0}}
    with pytest.raises(SerializationError) as exc:
        structure(data, VitaminK)
    assert problem_paths(exc) == ["unit"]


def test_profile_unit_may_be_any_unit_of_the_dimension() -> None:
    profile = structure({"kind": "amount", "unit": "mg", "values": {"K1": 1.0}}, VitaminK)
    assert profile.k1.to("µg").magnitude == pytest.approx(1000)
    profile = structure({"kind": "content", "unit": "µg/100 g", "values": {"K1": 5}}, VitaminK)
    assert profile.k1.magnitude == pytest.approx(5)


@pytest.mark.parametrize("units", ["2 mg", "1e3 gram", "gram*2"])
def test_quantity_units_must_be_a_unit(units: str) -> None:
    with pytest.raises(SerializationError, match="is not a unit") as exc:
        structure({"magnitude": 1, "units": units}, pint.Quantity)
    assert problem_paths(exc) == ["units"]


@pytest.mark.parametrize("depth", [50, 5_000, 200_000])
def test_deeply_nested_json_is_a_serialization_error(depth: int) -> None:
    for text in ("[" * depth + "]" * depth, '{"a":' * depth + "1" + "}" * depth):
        with pytest.raises(SerializationError):
            from_json(text, Diet)
    if depth > 64:  # numpy holds up to 64 dimensions; deeper is refused, never a crash
        magnitude = '{"magnitude": ' + "[" * depth + "1" + "]" * depth + ', "units": "gram"}'
        with pytest.raises(SerializationError):
            from_json(magnitude, pint.Quantity)


def test_deeply_nested_data_is_a_serialization_error() -> None:
    data: list[Any] = []
    for _ in range(100_000):
        data = [data]
    with pytest.raises(SerializationError):
        structure({"magnitude": data, "units": "gram"}, pint.Quantity)
    with pytest.raises(SerializationError):
        structure({"items": data}, Diet)


@given(
    st.recursive(
        st.none() | st.booleans() | st.floats() | st.text(max_size=5),
        lambda inner: (
            st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
        ),
        max_leaves=20,
    )
)
def test_any_json_data_is_read_or_refused_cleanly(data: Any) -> None:
    for cls in (Diet, Person, VitaminK, Assessment, pint.Quantity):
        problems: tuple[tuple[str, str], ...] = (("", "read"),)
        try:
            structure(data, cls)
        except SerializationError as exc:  # any other exception fails the test
            problems = exc.problems
        assert problems, "every refusal names what was wrong"


def test_profile_numbers_without_their_unit_are_refused() -> None:
    for data in (
        {"kind": "content", "values": {"MK-7": 939}},
        {"kind": "intake", "pools": {"total_K": 12}},
    ):
        with pytest.raises(SerializationError, match="unit: required field missing") as exc:
            structure(data, VitaminK)
        assert problem_paths(exc) == ["unit"]
    assert structure({"kind": "content"}, VitaminK) == VitaminK({}, kind="content")
    food = unstructure(custom_food())
    del food["content"]["unit"]
    with pytest.raises(SerializationError) as exc:
        structure(food, Food)
    assert problem_paths(exc) == ["content.unit"]


def test_a_vitamer_with_a_value_and_not_analysed_is_refused() -> None:
    data = {"kind": "content", "unit": "µg/100 g", "values": {"MK-7": 939, "K1": 2}}
    data["not_analysed"] = ["K1", "MK-4"]
    with pytest.raises(SerializationError, match="K1 has a value") as exc:
        structure(data, VitaminK)
    assert problem_paths(exc) == ["not_analysed"]
    del data["unit"]
    with pytest.raises(SerializationError) as exc:
        structure(data, VitaminK)
    assert problem_paths(exc) == ["unit", "not_analysed"]


@pytest.mark.parametrize("units", ["ct", "pc", "cp", "pinch", "pat"])
def test_quantity_units_are_not_read_through_pint_aliases(units: str) -> None:
    # pint alone reads these as the carat, the parsec, the cup, the picoinch and the
    # picotechnical atmosphere: a count, a piece or a pat of butter must not be one
    with pytest.raises(SerializationError, match=f"unknown unit '{units}'") as exc:
        structure({"magnitude": 2, "units": units}, pint.Quantity)
    assert problem_paths(exc) == ["units"]


@pytest.mark.parametrize("units", ["gram", "µg/day", "mg", "cup", "microgram / day / kilogram"])
def test_quantity_units_in_long_form_or_the_grammar_are_read(units: str) -> None:
    q = structure({"magnitude": 2, "units": units}, pint.Quantity)
    assert q == Q_(2, units.replace("µg/day", "microgram / day"))
