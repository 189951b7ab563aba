from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from k2nutrition import Pool, Vitamer, VitaminK
from k2nutrition.measures import (
    JAPAN_MK4_EQ,
    K1_ONLY,
    MEASURES,
    MENAQUINONES,
    TOTAL_K,
    UnknownMeasureError,
    get_measure,
)

from .helpers import assert_quantity_close


def test_natto_alone_meets_nothing_under_k1_only() -> None:
    natto = VitaminK({"MK-7": "107.3 µg/day"})
    assert_quantity_close(K1_ONLY(natto), 0, "µg/day")
    assert_quantity_close(MENAQUINONES(natto), 107.3, "µg/day")


def test_japan_counts_90_ug_mk7_as_61_7_ug_mk4() -> None:
    assert_quantity_close(JAPAN_MK4_EQ(VitaminK({"MK-7": "90 µg/day"})), 61.66, "µg/day", rel=1e-3)
    mixed = VitaminK({"K1": "10 µg/day", "MK-4": "5 µg/day", "MK-9": "50 µg/day"})
    assert_quantity_close(JAPAN_MK4_EQ(mixed), 15, "µg/day")  # MK-9 is not counted


def test_pools() -> None:
    cheese = VitaminK({}, pools={"total_K": "84 µg/day", "total_MK": "10 µg/day"})
    assert_quantity_close(TOTAL_K(cheese), 94, "µg/day")
    assert_quantity_close(MENAQUINONES(cheese), 10, "µg/day")
    assert_quantity_close(MENAQUINONES.unattributed(cheese), 84, "µg/day")
    assert_quantity_close(K1_ONLY.unattributed(cheese), 94, "µg/day")
    assert_quantity_close(TOTAL_K.unattributed(cheese), 0, "µg/day")


def test_lookup() -> None:
    assert get_measure("k1_only") is K1_ONLY
    assert set(MEASURES) >= {"K1_ONLY", "MENAQUINONES", "TOTAL_K", "JAPAN_MK4_EQ"}
    with pytest.raises(UnknownMeasureError, match="known measures"):
        get_measure("K3")


values = st.dictionaries(
    st.sampled_from(list(Vitamer)), st.floats(min_value=0, max_value=1e5), max_size=8
)
pools = st.dictionaries(
    st.sampled_from(list(Pool)), st.floats(min_value=0, max_value=1e5), max_size=2
)


@given(values=values, pools=pools)
def test_measures_never_exceed_total_and_parts_add_up(
    values: dict[Vitamer, float], pools: dict[Pool, float]
) -> None:
    p = VitaminK.from_magnitudes(values, "intake", pools=pools)
    total = TOTAL_K(p).magnitude
    for m in (K1_ONLY, MENAQUINONES, JAPAN_MK4_EQ):
        assert m(p).magnitude <= total * (1 + 1e-12) + 1e-9
    k1, k2 = K1_ONLY(p).magnitude, MENAQUINONES(p).magnitude
    rest = p.amount(Vitamer.DIHYDRO_K1).magnitude + pools.get(Pool.TOTAL_K, 0.0)
    assert k1 + k2 + rest == pytest.approx(total, rel=1e-9, abs=1e-9)
