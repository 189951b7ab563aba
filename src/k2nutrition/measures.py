"""Measures: how a guideline counts vitamin K.

Authorities differ in what their values count. EFSA (2017) sets its values for
phylloquinone only; the Chinese osteoporosis handbook speaks of vitamin K2 (the
menaquinones); the Japanese DRIs count phylloquinone and MK-4 by mass and MK-7 converted
to MK-4 equivalents by molar mass, as the Japanese food tables do. A :class:`Measure`
turns a vitamin K profile into the one mass that a guideline's value is compared with,
and reports what it could not attribute (sums of forms that a source did not separate).

Examples
--------
>>> from k2nutrition import VitaminK
>>> from k2nutrition.measures import JAPAN_MK4_EQ, K1_ONLY
>>> intake = VitaminK({"MK-7": "90 µg/day"})
>>> K1_ONLY(intake)
<Quantity(0.0, 'microgram / day')>
>>> JAPAN_MK4_EQ(intake)
<Quantity(61.66..., 'microgram / day')>
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final, cast

import attrs

from k2nutrition.errors import K2NutritionError
from k2nutrition.profile import Pool, VitaminK
from k2nutrition.units import Q_, Quantity
from k2nutrition.vitamers import MK4_EQUIVALENT_FACTORS, Vitamer

__all__ = [
    "JAPAN_MK4_EQ",
    "K1_ONLY",
    "MEASURES",
    "MENAQUINONES",
    "MK4",
    "MK7",
    "TOTAL_K",
    "Measure",
    "UnknownMeasureError",
    "get_measure",
]


class UnknownMeasureError(K2NutritionError, LookupError):
    """A measure name that is not defined."""


@attrs.frozen
class Measure:
    """A rule that turns a vitamin K profile into one mass.

    Attributes
    ----------
    name : str
        ``"K1_ONLY"``, ``"TOTAL_K"``, ...
    description : str
        What the measure counts, in words.
    weights : mapping of Vitamer to float
        The factor each vitamer's mass is counted with (absent: not counted).
    pools : frozenset of Pool
        The unresolved pools that the measure counts in full.
    """

    name: str
    description: str
    weights: Mapping[Vitamer, float] = attrs.field(eq=False)
    pools: frozenset[Pool] = frozenset()

    def __call__(self, profile: VitaminK) -> Quantity:
        """Return the measured amount of ``profile``, in its kind's unit."""
        total: Any = 0.0
        for vitamer, magnitude in profile.magnitudes().items():
            weight = self.weights.get(vitamer)
            if weight:
                total = total + magnitude * weight
        for pool, q in profile.pools.items():
            if pool in self.pools:
                total = total + q.magnitude
        return cast("Quantity", Q_(total, profile.units))

    def unattributed(self, profile: VitaminK) -> Quantity:
        """Return the amount in pools this measure cannot count (forms not separated).

        A food that reports only "total vitamin K" holds phylloquinone and menaquinones
        in unknown shares; a K1-only measure can count none of it.
        """
        total: Any = 0.0
        for pool, q in profile.pools.items():
            if pool not in self.pools:
                total = total + q.magnitude
        return cast("Quantity", Q_(total, profile.units))

    def not_analysed(self, profile: VitaminK) -> frozenset[Vitamer]:
        """Return the vitamers this measure counts that ``profile`` leaves unknown.

        They were not analysed by the source, so the measured amount is a lower bound.

        Examples
        --------
        >>> from k2nutrition import VitaminK
        >>> kale = VitaminK({"K1": "389.6 µg/100 g"}, not_analysed={"MK-4"})
        >>> MENAQUINONES.not_analysed(kale) == {Vitamer.MK4}
        True
        >>> K1_ONLY.not_analysed(kale)
        frozenset()
        """
        return frozenset(v for v in profile.not_analysed if self.weights.get(v))

    def unsplit(self, profile: VitaminK) -> frozenset[Pool]:
        """Return the pools of ``profile`` that may hold forms this measure counts.

        The measure cannot count such a pool (it holds other forms too, in shares nobody
        knows), so, like a vitamer in :meth:`not_analysed`, it makes the measured amount a
        lower bound.

        Examples
        --------
        >>> from k2nutrition import VitaminK
        >>> douchi = VitaminK({}, pools={"total_MK": "437.6 µg/100 g"})
        >>> JAPAN_MK4_EQ.unsplit(douchi) == {Pool.TOTAL_MK}
        True
        >>> K1_ONLY.unsplit(douchi), MENAQUINONES.unsplit(douchi)
        (frozenset(), frozenset())
        """
        counted = [v for v, w in self.weights.items() if w]
        return frozenset(
            pool
            for pool, q in profile.pools.items()
            if pool not in self.pools
            and any(pool.may_hold(v) for v in counted)
            and bool((q.magnitude > 0).any() if hasattr(q.magnitude, "any") else q.magnitude > 0)
        )

    def __str__(self) -> str:
        return self.name


def _weights(predicate: Callable[[Vitamer], float]) -> dict[Vitamer, float]:
    return {v: w for v in Vitamer if (w := predicate(v))}


#: Phylloquinone only (EFSA 2017; FAO/WHO 2004).
K1_ONLY: Final = Measure(
    "K1_ONLY",
    "phylloquinone (vitamin K1) only",
    {Vitamer.K1: 1.0},
)
#: Every menaquinone (vitamin K2), including reported totals of menaquinones.
MENAQUINONES: Final = Measure(
    "MENAQUINONES",
    "menaquinones (vitamin K2), all chain lengths",
    _weights(lambda v: 1.0 if v.is_menaquinone else 0.0),
    frozenset({Pool.TOTAL_MK}),
)
#: Everything: phylloquinone, dihydrophylloquinone and every menaquinone, and every pool.
TOTAL_K: Final = Measure(
    "TOTAL_K",
    "all forms of vitamin K: phylloquinone and menaquinones",
    _weights(lambda v: 1.0),
    frozenset({Pool.TOTAL_K, Pool.TOTAL_MK}),
)
#: The Japanese rule: K1 + MK-4 by mass, plus MK-7 as MK-4 equivalents (x 444.659/649.016),
#: with the one set of factors, :data:`~k2nutrition.vitamers.MK4_EQUIVALENT_FACTORS`.
JAPAN_MK4_EQ: Final = Measure(
    "JAPAN_MK4_EQ",
    "phylloquinone + MK-4 + MK-7 converted to MK-4 equivalents by molar mass "
    "(the Japanese food composition tables' rule)",
    dict(MK4_EQUIVALENT_FACTORS),
)
#: MK-7 alone (supplement safety figures).
MK7: Final = Measure("MK7", "menaquinone-7 only", {Vitamer.MK7: 1.0})
#: MK-4 alone (menatetrenone doses).
MK4: Final = Measure("MK4", "menaquinone-4 only", {Vitamer.MK4: 1.0})

#: Every measure, by name.
MEASURES: Final[Mapping[str, Measure]] = {
    m.name: m for m in (K1_ONLY, MENAQUINONES, TOTAL_K, JAPAN_MK4_EQ, MK7, MK4)
}


def get_measure(name: str | Measure) -> Measure:
    """Return the measure called ``name``."""
    if isinstance(name, Measure):
        return name
    try:
        return MEASURES[name.strip().upper()]
    except (KeyError, AttributeError):
        raise UnknownMeasureError(
            f"unknown measure {name!r}; known measures: {', '.join(MEASURES)}"
        ) from None
