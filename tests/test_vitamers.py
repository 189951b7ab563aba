from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from k2nutrition import Q_, Vitamer, mk4_equivalent, to_amount, to_mass
from k2nutrition.errors import AmountTypeError, DimensionError, UnknownVitamerError
from k2nutrition.measures import JAPAN_MK4_EQ
from k2nutrition.vitamers import ATOMIC_WEIGHTS, MK4_EQUIVALENT_FACTORS, MK4EquivalentError

from .helpers import assert_quantity_close, other_registry


@pytest.mark.parametrize(
    ("vitamer", "formula", "molar_mass"),
    [
        # Molar masses computed by hand from the IUPAC 2021 conventional atomic weights.
        (Vitamer.K1, "C31H46O2", 450.707),
        (Vitamer.MK4, "C31H40O2", 444.659),
        (Vitamer.MK6, "C41H56O2", 580.897),
        (Vitamer.MK7, "C46H64O2", 649.016),
        (Vitamer.MK9_4H, "C56H84O2", 789.286),
        (Vitamer.DIHYDRO_K1, "C31H48O2", 452.723),
    ],
)
def test_formula_and_molar_mass(vitamer: Vitamer, formula: str, molar_mass: float) -> None:
    assert vitamer.formula == formula
    assert_quantity_close(vitamer.molar_mass, molar_mass, "g/mol", rel=1e-6)


def test_menaquinone_formula_rule() -> None:
    for v in Vitamer:
        n = v.chain_length
        if n is None or v is Vitamer.MK9_4H:
            continue
        assert v.formula == f"C{11 + 5 * n}H{8 + 8 * n}O2"
        assert v.is_menaquinone


def test_atomic_weights_are_the_conventional_values() -> None:
    assert ATOMIC_WEIGHTS == {"C": 12.011, "H": 1.008, "O": 15.999}


def test_k1_is_not_a_menaquinone() -> None:
    assert not Vitamer.K1.is_menaquinone
    assert Vitamer.K1.chain_length is None
    assert Vitamer.K1.chemical_name == "phylloquinone"


@pytest.mark.parametrize(
    ("text", "vitamer"),
    [
        ("MK-7", Vitamer.MK7),
        ("mk7", Vitamer.MK7),
        ("MK 7", Vitamer.MK7),
        ("menaquinone-7", Vitamer.MK7),
        ("Vitamin K2 MK-7", Vitamer.MK7),
        ("K1", Vitamer.K1),
        ("vitamin K1", Vitamer.K1),
        ("phylloquinone", Vitamer.K1),
        ("menatetrenone", Vitamer.MK4),
        ("MK-9(4H)", Vitamer.MK9_4H),
        ("ＭＫ－７", Vitamer.MK7),
        (Vitamer.MK4, Vitamer.MK4),
    ],
)
def test_parse(text: str, vitamer: Vitamer) -> None:
    assert Vitamer.parse(text) is vitamer


@pytest.mark.parametrize("text", ["MK-99", "K3", "", "vitamin D"])
def test_parse_unknown(text: str) -> None:
    with pytest.raises(UnknownVitamerError, match="unknown vitamer") as info:
        Vitamer.parse(text)
    assert isinstance(info.value, LookupError)
    assert isinstance(info.value, ValueError)


def test_to_amount_of_100_ug_mk7() -> None:
    assert_quantity_close(to_amount(Q_(100, "µg"), Vitamer.MK7), 154.079, "nmol", rel=1e-5)


def test_to_amount_matches_pints_chemistry_context() -> None:
    for v in Vitamer:
        ours = to_amount("250 µg", v)
        theirs = Q_(250, "µg").to("nmol", "chemistry", mw=v.molar_mass)
        assert_quantity_close(ours, theirs.magnitude, "nmol", rel=1e-12)


def test_rates_and_units() -> None:
    assert_quantity_close(
        to_amount("45 mg/day", "MK-4", "µmol/day"), 101.20115, "µmol/day", rel=1e-6
    )
    assert_quantity_close(to_mass("1 µmol", Vitamer.K1), 450.707, "µg", rel=1e-9)
    assert_quantity_close(to_mass("2 nmol/day", "MK-7"), 1.298032, "µg/day", rel=1e-6)


def test_array_conversion() -> None:
    out = to_amount(Q_(np.array([0.0, 100.0, 200.0]), "µg"), Vitamer.MK7)
    np.testing.assert_allclose(out.to("nmol").magnitude, [0, 154.0794, 308.1588], rtol=1e-5)


def test_mk4_equivalent_of_90_ug_mk7() -> None:
    assert_quantity_close(mk4_equivalent("90 µg", "MK-7"), 61.6615, "µg", rel=1e-5)


def test_conversion_errors() -> None:
    with pytest.raises(AmountTypeError, match="quantity needs"):
        to_amount(100, Vitamer.MK7)  # type: ignore[arg-type]
    with pytest.raises(DimensionError, match="quantity needs"):
        to_amount("100 nmol", Vitamer.MK7)
    with pytest.raises(DimensionError, match="quantity needs"):
        to_mass("100 µg", Vitamer.MK7)
    with pytest.raises(UnknownVitamerError):
        to_amount("100 µg", "MK-99")


masses = st.floats(min_value=0, max_value=1e12, allow_nan=False, allow_infinity=False)


@given(
    value=masses, vitamer=st.sampled_from(list(Vitamer)), unit=st.sampled_from(["µg", "mg", "g"])
)
def test_mass_amount_mass_round_trip(value: float, vitamer: Vitamer, unit: str) -> None:
    back = to_mass(to_amount(Q_(value, unit), vitamer), vitamer, unit)
    assert back.magnitude == pytest.approx(value, rel=1e-12, abs=1e-300)


@given(value=masses, vitamer=st.sampled_from([Vitamer.MK4, Vitamer.MK7]))
def test_mk4_equivalent_of_a_menaquinone_preserves_moles(value: float, vitamer: Vitamer) -> None:
    eq = mk4_equivalent(Q_(value, "µg"), vitamer)
    assert to_amount(eq, Vitamer.MK4).magnitude == pytest.approx(
        to_amount(Q_(value, "µg"), vitamer).magnitude, rel=1e-12, abs=1e-300
    )


@given(value=masses)
def test_mk4_equivalent_counts_k1_by_mass(value: float) -> None:
    # the Japanese rule adds phylloquinone by mass; it does not convert it by molar mass
    assert mk4_equivalent(Q_(value, "µg"), Vitamer.K1).magnitude == value


def test_mk4_equivalent_factors_follow_the_japanese_rule() -> None:
    # K1 + MK-4 by mass, MK-7 x M(MK-4)/M(MK-7); the tables print 444.7/649.0
    assert set(MK4_EQUIVALENT_FACTORS) == {Vitamer.K1, Vitamer.MK4, Vitamer.MK7}
    assert MK4_EQUIVALENT_FACTORS[Vitamer.K1] == MK4_EQUIVALENT_FACTORS[Vitamer.MK4] == 1.0
    assert MK4_EQUIVALENT_FACTORS[Vitamer.MK7] == pytest.approx(444.7 / 649.0, rel=2e-4)
    assert dict(JAPAN_MK4_EQ.weights) == dict(MK4_EQUIVALENT_FACTORS)


@pytest.mark.parametrize("vitamer", [v for v in Vitamer if v not in MK4_EQUIVALENT_FACTORS])
def test_mk4_equivalent_refuses_a_vitamer_outside_the_rule(vitamer: Vitamer) -> None:
    with pytest.raises(MK4EquivalentError, match=f"{re.escape(vitamer.label)} has no MK-4"):
        mk4_equivalent("10 µg", vitamer)


def test_foreign_registry_quantity() -> None:
    other = other_registry()
    assert_quantity_close(
        to_amount(other.Quantity(100, "microgram"), "MK-7"), 154.0794, "nmol", rel=1e-5
    )
