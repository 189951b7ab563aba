from __future__ import annotations

import pickle

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from k2nutrition import Q_, Pool, Vitamer, VitaminK, mk4_equivalent
from k2nutrition.errors import AmountError, AmountTypeError, DimensionError, K2NutritionError
from k2nutrition.measures import JAPAN_MK4_EQ
from k2nutrition.profile import Kind, UnresolvedFormsError, describe_vitamers
from k2nutrition.vitamers import MK4_EQUIVALENT_FACTORS, MK4EquivalentError

from .helpers import assert_quantity_close


def test_content_times_mass_is_an_amount() -> None:
    natto = VitaminK({"MK-7": "939 µg/100 g"})
    assert natto.kind == "content"
    portion = natto * "40 g"
    assert portion.kind == "amount"
    assert_quantity_close(portion[Vitamer.MK7], 375.6, "µg")
    assert_quantity_close(portion["mk7"], 375.6, "µg")


def test_amount_times_frequency_and_divided_by_time_are_intakes() -> None:
    dose = VitaminK({"MK-7": "90 µg"})
    assert_quantity_close((dose * "2/week").k2, 180 / 7, "µg/day")
    assert_quantity_close((dose / "1 week").k2, 90 / 7, "µg/day")
    assert_quantity_close(((dose / "1 week") * "7 day").k2, 90, "µg")


def test_kinds_are_inferred_and_checked() -> None:
    assert VitaminK({"K1": "90 µg/day"}).kind == "intake"
    assert VitaminK({}, kind="amount").kind == "amount"
    with pytest.raises(AmountError, match="empty VitaminK needs its kind"):
        VitaminK({})
    with pytest.raises(DimensionError, match="values\\['MK-7'\\] needs a mass"):
        VitaminK({"K1": "1 µg", "MK-7": "1 µg/day"})
    with pytest.raises(DimensionError, match="cannot add"):
        _ = VitaminK({"K1": "1 µg"}) + VitaminK({"K1": "1 µg/day"})
    with pytest.raises(DimensionError, match="cannot multiply"):
        _ = VitaminK({"K1": "1 µg"}) * "3 g"
    with pytest.raises(DimensionError):
        VitaminK({"K1": "3 mL"})


def test_bad_values() -> None:
    with pytest.raises(AmountTypeError, match="values\\['K1'\\] needs"):
        VitaminK({"K1": 3})  # type: ignore[dict-item]
    with pytest.raises(AmountError, match="negative"):
        VitaminK({"K1": "-3 µg"})
    with pytest.raises(AmountError, match="negative"):
        _ = VitaminK({"K1": "3 µg"}) * -1
    with pytest.raises(AmountError, match="zero"):
        _ = VitaminK({"K1": "3 µg"}) / 0
    with pytest.raises(AmountError, match="finite"):
        VitaminK.from_magnitudes({Vitamer.K1: float("nan")}, "amount")


def test_k1_k2_total_and_pools() -> None:
    cheese = VitaminK({"K1": "2 µg/100 g", "MK-4": "9 µg/100 g"}, pools={"total_MK": "70 µg/100 g"})
    assert not cheese.is_resolved
    assert_quantity_close(cheese.k1, 2, "µg/hg")
    assert_quantity_close(cheese.k2, 79, "µg/hg")
    assert_quantity_close(cheese.total, 81, "µg/hg")
    assert list(cheese) == [Vitamer.K1, Vitamer.MK4]  # pools are not vitamers
    assert set(cheese.pools) == {Pool.TOTAL_MK}
    assert cheese.menaquinones == VitaminK(
        {"MK-4": "9 µg/100 g"}, pools={"total_MK": "70 µg/100 g"}
    )


def test_a_total_k_pool_counts_in_total_only() -> None:
    milk = VitaminK({}, pools={"total_K": "38.1 µg/100 g"})
    assert_quantity_close(milk.total, 38.1, "µg/hg")
    assert_quantity_close(milk.k1, 0, "µg/hg")
    assert_quantity_close(milk.k2, 0, "µg/hg")
    with pytest.raises(UnresolvedFormsError, match="total_K"):
        milk.in_mk4_equivalents()


def test_mapping_behaviour() -> None:
    p = VitaminK({"MK-7": "90 µg", "K1": "10 µg"})
    assert list(p) == [Vitamer.K1, Vitamer.MK7]
    assert len(p) == 2
    assert "MK-7" in p  # type: ignore[comparison-overlap]
    assert Vitamer.MK4 not in p
    assert "nonsense" not in p  # type: ignore[comparison-overlap]
    assert p.get(Vitamer.MK4) is None
    assert_quantity_close(p.amount("MK-4"), 0, "µg")
    with pytest.raises(KeyError):
        p[Vitamer.MK4]


def test_in_mk4_equivalents() -> None:
    p = VitaminK({"MK-7": "90 µg", "MK-4": "10 µg", "K1": "5 µg"})
    assert_quantity_close(p.in_mk4_equivalents(), 61.6615 + 10 + 5, "µg", rel=1e-5)


def test_in_mk4_equivalents_refuses_what_the_rule_does_not_count() -> None:
    # Gouda's MK-9 was once converted by molar mass here while JAPAN_MK4_EQ left it out,
    # 2.4 times apart; an amount the rule cannot count is refused, a measured zero is not
    gouda = VitaminK({"K1": "4 µg/100 g", "MK-4": "14.8 µg/100 g", "MK-9": "39.6 µg/100 g"})
    with pytest.raises(MK4EquivalentError, match="MK-9 has no MK-4 equivalent"):
        gouda.in_mk4_equivalents()
    zero_mk9 = VitaminK({"K1": "4 µg/100 g", "MK-9": "0 µg/100 g"})
    assert_quantity_close(zero_mk9.in_mk4_equivalents(), 4, "µg/hg")


_RULE = sorted(MK4_EQUIVALENT_FACTORS, key=list(Vitamer).index)
_amounts = st.floats(min_value=0, max_value=1e9, allow_nan=False, allow_infinity=False)


@given(
    mix=st.dictionaries(st.sampled_from(list(Vitamer)), _amounts, max_size=len(Vitamer)),
    kind=st.sampled_from(["content", "amount", "intake"]),
)
def test_in_mk4_equivalents_agrees_with_the_japanese_measure(
    mix: dict[Vitamer, float], kind: Kind
) -> None:
    profile = VitaminK.from_magnitudes(mix, kind)
    measured = JAPAN_MK4_EQ(profile)
    if any(m > 0 for v, m in mix.items() if v not in MK4_EQUIVALENT_FACTORS):
        with pytest.raises(MK4EquivalentError):
            profile.in_mk4_equivalents()
        return
    eq = profile.in_mk4_equivalents()
    assert eq.units == measured.units
    assert eq.magnitude == pytest.approx(measured.magnitude, rel=1e-12, abs=1e-9)
    by_vitamer = sum(
        (mk4_equivalent(Q_(m, "µg"), v).magnitude for v, m in mix.items() if m > 0),
        0.0,
    )
    assert eq.magnitude == pytest.approx(by_vitamer, rel=1e-12, abs=1e-9)


@given(st.lists(_amounts, min_size=len(_RULE), max_size=len(_RULE)))
def test_in_mk4_equivalents_of_rule_vitamers_always_agrees(values: list[float]) -> None:
    profile = VitaminK.from_magnitudes(dict(zip(_RULE, values, strict=True)), "intake")
    assert profile.in_mk4_equivalents().magnitude == pytest.approx(
        JAPAN_MK4_EQ(profile).magnitude, rel=1e-12, abs=1e-9
    )


def test_sum_and_equality_and_hash() -> None:
    parts = [VitaminK({"K1": "1 µg"}), VitaminK({"MK-7": "2 µg"}), VitaminK({"K1": "3 µg"})]
    total = sum(parts, VitaminK({}, kind="amount"))
    assert total == VitaminK({"K1": "4 µg", "MK-7": "2 µg"})
    assert sum(parts) == total
    assert hash(total) == hash(VitaminK({"MK-7": "2000 ng", "K1": "0.004 mg"}))
    assert total != VitaminK({"K1": "4 µg/day", "MK-7": "2 µg/day"})


def test_repr() -> None:
    assert repr(VitaminK({"MK-7": "90 µg/day"})) == "VitaminK({MK-7: 90 µg/day})"
    assert repr(VitaminK({}, kind="content")) == "VitaminK({}, kind='content')"


def test_arrays() -> None:
    natto = VitaminK({"MK-7": "939 µg/100 g", "K1": "23 µg/100 g"})
    portions = natto * Q_(np.array([10.0, 40.0]), "g")
    np.testing.assert_allclose(portions[Vitamer.MK7].to("µg").magnitude, [93.9, 375.6])
    np.testing.assert_allclose(portions.total.to("µg").magnitude, [96.2, 384.8])
    with pytest.raises(TypeError, match="not hashable"):
        hash(portions)
    assert portions == natto * Q_(np.array([10.0, 40.0]), "g")


def test_pickle_round_trip() -> None:
    p = VitaminK({"MK-7": "90 µg"}, pools={"total_MK": "3 µg"})
    assert pickle.loads(pickle.dumps(p)) == p


def test_immutable() -> None:
    p = VitaminK({"MK-7": "90 µg"})
    with pytest.raises(AttributeError):
        p.x = 1  # type: ignore[attr-defined]


amounts = st.floats(min_value=0, max_value=1e6, allow_nan=False, allow_infinity=False)
vitamer_maps = st.dictionaries(st.sampled_from(list(Vitamer)), amounts, max_size=6)
pool_maps = st.dictionaries(st.sampled_from(list(Pool)), amounts, max_size=2)


@given(values=vitamer_maps, pools=pool_maps)
def test_parts_add_up_to_the_total(values: dict[Vitamer, float], pools: dict[Pool, float]) -> None:
    p = VitaminK.from_magnitudes(values, "amount", pools=pools)
    other = p.amount(Vitamer.DIHYDRO_K1) + Q_(pools.get(Pool.TOTAL_K, 0.0), "µg")
    assert (p.k1 + p.k2 + other).to("µg").magnitude == pytest.approx(
        p.total.to("µg").magnitude, rel=1e-9, abs=1e-9
    )
    assert sum(p[v].to("µg").magnitude for v in p) + sum(pools.values()) == pytest.approx(
        p.total.to("µg").magnitude, rel=1e-9, abs=1e-9
    )


@given(a=vitamer_maps, b=vitamer_maps)
def test_addition_commutes(a: dict[Vitamer, float], b: dict[Vitamer, float]) -> None:
    pa = VitaminK.from_magnitudes(a, "amount")
    pb = VitaminK.from_magnitudes(b, "amount")
    left, right = pa + pb, pb + pa
    assert set(left) == set(right)
    for v in left:
        assert left[v].magnitude == pytest.approx(right[v].magnitude)


@given(
    values=vitamer_maps,
    k=st.floats(min_value=0, max_value=1e3),
    m=st.floats(min_value=0, max_value=1e3),
)
def test_scaling_is_linear(values: dict[Vitamer, float], k: float, m: float) -> None:
    p = VitaminK.from_magnitudes(values, "content")
    lhs = (p * Q_(k + m, "g")).total.to("µg").magnitude
    rhs = ((p * Q_(k, "g")) + (p * Q_(m, "g"))).total.to("µg").magnitude
    assert lhs == pytest.approx(rhs, rel=1e-9, abs=1e-6)


# -- not analysed is not zero --------------------------------------------------------------


def test_not_analysed_is_carried_through_sums_scaling_and_portions() -> None:
    kale = VitaminK({"K1": "389.6 µg/100 g"}, not_analysed=["MK-4"])
    natto = VitaminK({"MK-7": "939 µg/100 g"}, not_analysed={Vitamer.K1})
    assert kale.not_analysed == {Vitamer.MK4}
    portion = kale * "50 g"
    assert portion.not_analysed == {Vitamer.MK4}
    daily = portion * "2/week"
    assert daily.not_analysed == {Vitamer.MK4}
    both = kale * "50 g" + natto * "40 g"
    assert both.not_analysed == {Vitamer.MK4, Vitamer.K1}
    # the analysed part is held: a lower bound for a vitamer in not_analysed
    assert_quantity_close(both.k1, 194.8, "µg")
    assert (kale / 2).not_analysed == {Vitamer.MK4}
    assert both.menaquinones.not_analysed == {Vitamer.MK4}


def test_not_analysed_counts_in_equality_hash_pickle_and_repr() -> None:
    known = VitaminK({"K1": "10 µg"})
    unknown = VitaminK({"K1": "10 µg"}, not_analysed=["MK-4"])
    assert known != unknown
    assert hash(unknown) == hash(VitaminK({"K1": "10 µg"}, not_analysed=["mk4"]))
    assert pickle.loads(pickle.dumps(unknown)) == unknown
    assert repr(unknown) == "VitaminK({K1: 10 µg}; not analysed: MK-4)"
    assert repr(known) == "VitaminK({K1: 10 µg})"
    empty = VitaminK({}, kind="amount", not_analysed=list(Vitamer))
    assert repr(empty) == "VitaminK({}, kind='amount'; not analysed: all vitamers)"
    made = VitaminK.from_magnitudes({Vitamer.K1: 10.0}, "amount", not_analysed=["MK-4"])
    assert made == unknown


def test_not_analysed_must_be_a_collection_of_vitamers() -> None:
    with pytest.raises(AmountError, match="collection of vitamers"):
        VitaminK({"K1": "1 µg"}, not_analysed="MK-4")
    with pytest.raises(K2NutritionError):
        VitaminK({"K1": "1 µg"}, not_analysed=["vitamin C"])


def test_describe_vitamers() -> None:
    assert describe_vitamers([]) == ""
    assert describe_vitamers([Vitamer.MK7, Vitamer.K1]) == "K1, MK-7"
    assert describe_vitamers(Vitamer) == "all vitamers"
    rest = [v for v in Vitamer if v not in {Vitamer.K1, Vitamer.MK4}]
    assert describe_vitamers(rest) == "all but K1, MK-4"


_VITAMER_SETS = st.frozensets(st.sampled_from(list(Vitamer)))


@given(
    a=st.floats(0, 1e4, allow_nan=False),
    b=st.floats(0, 1e4, allow_nan=False),
    unknown_a=_VITAMER_SETS,
    unknown_b=_VITAMER_SETS,
    grams=st.floats(0, 1e3, allow_nan=False),
)
def test_sums_with_unknowns(
    a: float, b: float, unknown_a: frozenset[Vitamer], unknown_b: frozenset[Vitamer], grams: float
) -> None:
    x = VitaminK.from_magnitudes({Vitamer.K1: a}, "content", not_analysed=unknown_a)
    y = VitaminK.from_magnitudes({Vitamer.K1: b}, "content", not_analysed=unknown_b)
    total = x + y
    # the union of the unknowns, whatever the order; the known parts add up
    assert total.not_analysed == unknown_a | unknown_b
    assert total == y + x
    assert total.k1.magnitude == pytest.approx(a + b)
    # scaling (a portion) keeps the unknowns and is linear in the known parts
    portion = total * Q_(grams, "g")
    assert portion.not_analysed == total.not_analysed
    assert portion.k1.to("µg").magnitude == pytest.approx((a + b) * grams / 100)
    # a sum with a fully known profile adds no unknowns
    assert (x + VitaminK({}, kind="content")).not_analysed == unknown_a
