from __future__ import annotations

import pickle

import pytest

from k2nutrition import Q_, Person
from k2nutrition.errors import K2NutritionError
from k2nutrition.people import PersonError

from .helpers import other_registry


def test_age_as_years_or_time() -> None:
    assert Person(age=55, sex="female").age == 55
    assert Person(age="7 months", sex="male").age == pytest.approx(7 / 12)
    assert Person(age=Q_(18, "month"), sex="male").age == pytest.approx(1.5)
    assert Person(age=other_registry().Quantity(2, "year"), sex="male").age == pytest.approx(2)


def test_sex_spellings() -> None:
    assert Person(age=30, sex=" Female ").sex == "female"
    assert Person(age=30, sex="M").sex == "male"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"age": 30, "sex": "male", "pregnant": True}, "pregnant"),
        ({"age": 30, "sex": "male", "lactating": True}, "lactating"),
        ({"age": 5, "sex": "female", "pregnant": True}, "pregnant"),
        ({"age": -1, "sex": "female"}, "age"),
        ({"age": float("nan"), "sex": "female"}, "age"),
        ({"age": 200, "sex": "female"}, "age"),
        ({"age": "40 g", "sex": "female"}, "age"),
        ({"age": True, "sex": "female"}, "age"),
        ({"age": 30, "sex": "other"}, "sex"),
        ({"age": 30, "sex": None}, "sex"),
        ({"age": 0.5, "sex": "female", "body_weight": "300 kg"}, "body_weight"),
        ({"age": 30, "sex": "female", "body_weight": 60}, "body_weight"),
        ({"age": 30, "sex": "female", "body_weight": "0 kg"}, "body_weight"),
        ({"age": 30, "sex": "female", "trimester": 2}, "trimester"),
        ({"age": 30, "sex": "female", "pregnant": True, "trimester": 4}, "trimester"),
        ({"age": 30, "sex": "female", "pregnant": "yes"}, "True or False"),
    ],
)
def test_impossible_people_name_the_field(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(PersonError, match=field) as info:
        Person(**kwargs)
    assert isinstance(info.value, ValueError)
    assert isinstance(info.value, K2NutritionError)


def test_life_stage_and_pickle() -> None:
    p = Person(age=30, sex="female", pregnant=True, body_weight="62 kg")
    assert p.life_stage == "female, 30 y, pregnant"
    assert Person(age="4 months", sex="male").life_stage == "male, 4 mo"
    assert pickle.loads(pickle.dumps(p)) == p


@pytest.mark.parametrize("age", [10, 30, 55])
def test_pregnancy_is_accepted_from_10_to_55(age: float) -> None:
    assert Person(age=age, sex="female", pregnant=True).pregnant


@pytest.mark.parametrize("age", [9.9, 55.5, 60, 80, 125])
def test_pregnancy_outside_10_to_55_is_refused(age: float) -> None:
    with pytest.raises(PersonError, match=r"^pregnant: accepted from age 10 to 55"):
        Person(age=age, sex="female", pregnant=True)


def test_pregnant_and_lactating_at_once_is_refused() -> None:
    with pytest.raises(PersonError, match=r"^pregnant and lactating: give one"):
        Person(age=30, sex="female", pregnant=True, lactating=True)


@pytest.mark.parametrize(
    ("age", "weight"), [(40, "70 g"), (40, "19 kg"), (40, "401 kg"), (0.5, "200 g"), (3, "2 kg")]
)
def test_body_weight_is_checked_on_both_sides(age: float, weight: str) -> None:
    with pytest.raises(PersonError, match=r"^body_weight: .* not plausible"):
        Person(age=age, sex="female", body_weight=weight)


@pytest.mark.parametrize(("age", "weight"), [(40, "20 kg"), (40, "400 kg"), (0.1, "0.4 kg")])
def test_body_weight_bounds_are_inclusive(age: float, weight: str) -> None:
    assert Person(age=age, sex="female", body_weight=weight).body_weight is not None


def test_age_with_a_decimal_comma_asks_for_a_point() -> None:
    with pytest.raises(PersonError, match="decimal point"):
        Person(age="1,5 years", sex="female")
    assert Person(age="1.5 years", sex="female").age == 1.5


@pytest.mark.parametrize("weight", [62, "62"])
def test_a_body_weight_without_a_unit_is_told_to_write_kg(weight: object) -> None:
    # The hint names kilograms: "62 g" would be refused as implausible next.
    with pytest.raises(PersonError, match=r"body_weight .*Write '62 kg'|Give it a unit: '62 kg'$"):
        Person(age=50, sex="female", body_weight=weight)
