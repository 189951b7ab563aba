"""Vitamin K profiles: amounts of each vitamer, as one immutable mapping.

A :class:`VitaminK` maps each :class:`~k2nutrition.vitamers.Vitamer` to a quantity. All
its quantities are of one *kind*:

``"content"``
    mass per mass, such as a food's µg per 100 g (kept in µg/hg; 1 hg = 100 g);
``"amount"``
    mass, such as what a portion or a dose holds (kept in µg);
``"intake"``
    mass per time, such as an average daily intake (kept in µg/day).

A profile also says what is *unknown*. :attr:`VitaminK.not_analysed` is the set of
vitamers whose amount is not (or not wholly) known because a source did not analyse
them: a food record that reports K1 only does not say its MK-4 is zero. Not analysed is
never zero: the amounts held are what was analysed, a lower bound for a vitamer in
``not_analysed``; sums (``+``) keep the union of the unknowns, and scaling keeps them.
A profile built from figures you give (a supplement's label) has none unless you name
them. "Analysed, not detected" (``nd`` in a source) is a measured absence: it is held
as zero, and the food record keeps the figure as printed, with its limit.

Some sources report only a sum of forms: "total vitamin K" (K1 and menaquinones
together) or "total menaquinones" (homologues not separated). Such a sum is never filed
under one vitamer: it is kept as an *unresolved pool* (:class:`Pool`), reported by
:attr:`VitaminK.pools`, counted in :attr:`VitaminK.total` (and, for menaquinones, in
:attr:`VitaminK.k2`), but never in a single vitamer's amount.

Examples
--------
>>> from k2nutrition import VitaminK
>>> natto = VitaminK({"MK-7": "939 µg/100 g"})
>>> portion = natto * "40 g"
>>> portion
VitaminK({MK-7: 375.6 µg})
>>> portion.kind
'amount'
>>> (portion + VitaminK({"K1": "10 µg"})).total
<Quantity(385.6, 'microgram')>
>>> kale = VitaminK({"K1": "389.6 µg/100 g"}, not_analysed=["MK-4"])
>>> kale * "50 g" + portion
VitaminK({K1: 194.8 µg, MK-7: 375.6 µg}; not analysed: MK-4)
"""

from __future__ import annotations

import enum
import math
import numbers
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Final, Literal, TypeAlias, cast, final

import pint

from k2nutrition.errors import (
    AmountError,
    DimensionError,
    K2NutritionError,
    NonFiniteError,
    ShapeError,
)
from k2nutrition.units import (
    Q_,
    Dimension,
    Quantity,
    QuantityLike,
    conversion_factor,
    format_number,
    has_zero,
    parse_amount,
    ureg,
)
from k2nutrition.vitamers import (
    MK4_EQUIVALENT_FACTORS,
    MK4EquivalentError,
    Vitamer,
    _no_mk4_equivalent,
)

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    import pandas as pd

    Magnitude: TypeAlias = float | npt.NDArray[np.float64]

__all__ = ["Kind", "Pool", "UnresolvedFormsError", "VitaminK", "describe_vitamers"]

#: The kind of a profile: what its quantities measure.
Kind: TypeAlias = Literal["content", "amount", "intake"]

_UNITS: Final[dict[str, str]] = {
    "content": "microgram / hectogram",
    "amount": "microgram",
    "intake": "microgram / day",
}
_DIMENSION: Final[dict[str, Dimension]] = {
    "content": "content",
    "amount": "mass",
    "intake": "mass rate",
}
_SHOWN_UNIT: Final[dict[str, str]] = {
    "content": "µg/100 g",
    "amount": "µg",
    "intake": "µg/day",
}


class Pool(enum.Enum):
    """A sum of vitamin K forms that a source reports without separating them."""

    #: Vitamin K, all forms together (phylloquinone and menaquinones), as reported.
    TOTAL_K = "total_K"
    #: Menaquinones together, homologues not separated, as reported.
    TOTAL_MK = "total_MK"

    def __str__(self) -> str:
        return self.value

    @property
    def description(self) -> str:
        """What the pool holds, in words."""
        if self is Pool.TOTAL_K:
            return "vitamin K, forms not separated (phylloquinone and menaquinones)"
        return "menaquinones, homologues not separated"

    def may_hold(self, vitamer: Vitamer) -> bool:
        """Whether the pool may hold some of ``vitamer`` (in a share nobody knows).

        Examples
        --------
        >>> Pool.TOTAL_MK.may_hold(Vitamer.MK7), Pool.TOTAL_MK.may_hold(Vitamer.K1)
        (True, False)
        >>> Pool.TOTAL_K.may_hold(Vitamer.K1)
        True
        """
        return self is Pool.TOTAL_K or vitamer.is_menaquinone

    @classmethod
    def parse(cls, text: Pool | str) -> Pool:
        """Return the pool named ``text`` (``"total_K"`` or ``"total_MK"``)."""
        if isinstance(text, Pool):
            return text
        for pool in cls:
            if isinstance(text, str) and text.strip().casefold() == pool.value.casefold():
                return pool
        raise UnresolvedFormsError(f"unknown pool {text!r}; known pools: total_K, total_MK")


class UnresolvedFormsError(K2NutritionError, ValueError):
    """A calculation needs single vitamers, but the profile holds an unresolved pool."""


def _is_number(value: object) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _freeze(magnitude: Any) -> Magnitude:
    if isinstance(magnitude, numbers.Real):
        return float(magnitude)
    import numpy as np

    arr = np.array(magnitude, dtype=float)
    arr.setflags(write=False)
    return arr


def _infer_kind(q: Quantity) -> Kind:
    if q.dimensionality == ureg.get_dimensionality("[mass]"):
        return "amount"
    if q.dimensionality == ureg.get_dimensionality("[mass] / [time]"):
        return "intake"
    return "content"


@final
class VitaminK(Mapping[Vitamer, Quantity]):
    """An immutable mapping from vitamer to quantity, all of one kind.

    Parameters
    ----------
    values : mapping of Vitamer or str to str or pint.Quantity, optional
        For example ``{"MK-7": "939 µg/100 g"}`` or ``{Vitamer.K1: Q_(10, "µg")}``.
        Magnitudes may be scalars or arrays (broadcastable to one another).
    pools : mapping of Pool or str to str or pint.Quantity, optional
        Sums of forms a source did not separate, such as ``{"total_MK": "437.55 µg/100 g"}``.
    kind : {"content", "amount", "intake"}, optional
        Required for an empty profile; otherwise inferred from the quantities' dimension.
    not_analysed : iterable of Vitamer or str, optional
        Vitamers whose amount is unknown (not analysed by the source). A vitamer may be
        both held and not analysed: in a sum, the part that was analysed is held.

    Notes
    -----
    ``profile[v]`` raises ``KeyError`` for a vitamer the profile does not hold, as any
    mapping does; ``profile.get(v)`` returns ``None`` and :meth:`amount` returns the
    analysed amount (zero when none was). Check :attr:`not_analysed` before reading a
    missing vitamer as an absence.
    """

    __slots__ = ("_kind", "_not_analysed", "_pools", "_values")

    _kind: Kind
    _values: dict[Vitamer, Magnitude]
    _pools: dict[Pool, Magnitude]
    _not_analysed: frozenset[Vitamer]

    def __init__(
        self,
        values: Mapping[Vitamer | str, QuantityLike] | None = None,
        /,
        *,
        pools: Mapping[Pool | str, QuantityLike] | None = None,
        kind: Kind | None = None,
        not_analysed: Iterable[Vitamer | str] = (),
    ) -> None:
        if kind is not None and kind not in _UNITS:
            raise AmountError(f"kind must be one of {sorted(_UNITS)}; got {kind!r}")
        parsed: dict[Vitamer, Quantity] = {}
        for key, value in (values or {}).items():
            vitamer = Vitamer.parse(key)
            if vitamer in parsed:
                raise AmountError(
                    f"values[{key!r}]: {vitamer.label} is given twice, under two spellings; "
                    "give each vitamer once"
                )
            parsed[vitamer] = self._parse(value, f"values[{vitamer.label!r}]", kind)
            kind = kind or _infer_kind(parsed[vitamer])
        parsed_pools: dict[Pool, Quantity] = {}
        for pool_key, value in (pools or {}).items():
            pool = Pool.parse(pool_key)
            if pool in parsed_pools:
                raise AmountError(
                    f"pools[{pool_key!r}]: {pool.value} is given twice, under two spellings"
                )
            parsed_pools[pool] = self._parse(value, f"pools[{pool.value!r}]", kind)
            kind = kind or _infer_kind(parsed_pools[pool])
        if kind is None:
            raise AmountError(
                "an empty VitaminK needs its kind: VitaminK({}, kind='intake') "
                "(one of 'content', 'amount', 'intake')"
            )
        _check_shapes([q.magnitude for q in (*parsed.values(), *parsed_pools.values())])
        unit = _UNITS[kind]
        self._kind = kind
        self._not_analysed = _vitamers(not_analysed, "not_analysed")
        self._values = {
            v: _freeze(q.magnitude * conversion_factor(q.units, unit)) for v, q in parsed.items()
        }
        self._pools = {
            p: _freeze(q.magnitude * conversion_factor(q.units, unit))
            for p, q in parsed_pools.items()
        }

    @staticmethod
    def _parse(value: object, name: str, kind: Kind | None) -> Quantity:
        if kind is not None:
            return parse_amount(value, name, _DIMENSION[kind])
        for dimension in ("mass", "mass rate", "content"):
            try:
                return parse_amount(value, name, dimension)
            except DimensionError:
                continue
        raise DimensionError(
            f"{name} needs a mass ('40 µg'), a mass per day ('90 µg/day') or a content "
            f"('939 µg/100 g'); got {value!r}"
        )

    # -- construction without parsing ---------------------------------------------------

    @classmethod
    def from_magnitudes(
        cls,
        values: Mapping[Vitamer, Magnitude],
        kind: Kind,
        *,
        pools: Mapping[Pool, Magnitude] | None = None,
        not_analysed: Iterable[Vitamer | str] = (),
    ) -> VitaminK:
        """Build a profile from plain numbers in the kind's unit, without parsing.

        The unit is µg/100 g for ``"content"``, µg for ``"amount"`` and µg/day for
        ``"intake"``. Magnitudes must be finite and non-negative. ``not_analysed`` names
        the vitamers whose amount is unknown.

        Examples
        --------
        >>> VitaminK.from_magnitudes({Vitamer.MK7: 90.0}, "intake")
        VitaminK({MK-7: 90 µg/day})
        """
        if kind not in _UNITS:
            raise AmountError(f"kind must be one of {sorted(_UNITS)}; got {kind!r}")
        self = object.__new__(cls)
        self._kind = kind
        self._not_analysed = _vitamers(not_analysed, "not_analysed")
        self._values = {Vitamer.parse(v): _checked(m, str(v)) for v, m in values.items()}
        self._pools = {Pool.parse(p): _checked(m, str(p)) for p, m in (pools or {}).items()}
        return self

    def _new(
        self,
        values: dict[Vitamer, Any],
        pools: dict[Pool, Any],
        kind: Kind,
        not_analysed: frozenset[Vitamer] | None = None,
    ) -> VitaminK:
        new = object.__new__(VitaminK)
        new._kind = kind
        new._not_analysed = self._not_analysed if not_analysed is None else not_analysed
        new._values = {v: _freeze(m) for v, m in values.items()}
        new._pools = {p: _freeze(m) for p, m in pools.items()}
        for key, m in (*new._values.items(), *new._pools.items()):
            if not _all_finite(m):
                raise NonFiniteError(
                    f"the {key} of the result is too large to be a finite number; check the "
                    "amounts and units"
                )
        return new

    # -- the mapping ----------------------------------------------------------------------

    def __getitem__(self, key: Vitamer | str) -> Quantity:
        vitamer = Vitamer.parse(key)
        return cast("Quantity", Q_(self._values[vitamer], _UNITS[self._kind]))

    def __iter__(self) -> Iterator[Vitamer]:
        return iter(sorted(self._values, key=_ORDER.__getitem__))

    def __len__(self) -> int:
        return len(self._values)

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, Vitamer | str):
            return False
        try:
            return Vitamer.parse(key) in self._values
        except K2NutritionError:
            return False

    # -- properties -----------------------------------------------------------------------

    @property
    def kind(self) -> Kind:
        """What the quantities measure: ``"content"``, ``"amount"`` or ``"intake"``."""
        return self._kind

    @property
    def units(self) -> pint.Unit:
        """The unit every quantity of this profile is expressed in."""
        return cast("pint.Unit", ureg.Unit(_UNITS[self._kind]))

    @property
    def pools(self) -> Mapping[Pool, Quantity]:
        """Sums of forms that the source did not separate (empty when fully resolved)."""
        unit = _UNITS[self._kind]
        return {p: Q_(m, unit) for p, m in self._pools.items()}

    @property
    def not_analysed(self) -> frozenset[Vitamer]:
        """Vitamers whose amount is unknown, wholly or in part: the source did not analyse them.

        Their amounts (where held) count only what was analysed. Empty when everything is
        known. A vitamer inside a reported pool (``total_K``, ``total_MK``) is not listed:
        it was analysed, as part of the sum.

        Examples
        --------
        >>> fndds_kale = VitaminK({"K1": "389.6 µg/100 g"}, not_analysed={"MK-4"})
        >>> sorted(v.label for v in fndds_kale.not_analysed)
        ['MK-4']
        >>> (fndds_kale * "100 g").not_analysed == fndds_kale.not_analysed
        True
        """
        return self._not_analysed

    @property
    def is_resolved(self) -> bool:
        """Whether every amount is attributed to a single vitamer (no pools)."""
        return not self._pools

    def amount(self, vitamer: Vitamer | str) -> Quantity:
        """Return the quantity of ``vitamer``, zero when the profile does not hold it.

        For a vitamer in :attr:`not_analysed` this is what was analysed: a lower bound.
        """
        magnitude = self._values.get(Vitamer.parse(vitamer), 0.0)
        return cast("Quantity", Q_(magnitude, _UNITS[self._kind]))

    def magnitudes(self) -> dict[Vitamer, Magnitude]:
        """Return the plain magnitudes, in :attr:`units`, keyed by vitamer."""
        return {v: self._values[v] for v in self}

    def _sum(self, values: list[Magnitude]) -> Quantity:
        total: Any = 0.0
        for m in values:
            total = total + m
        return cast("Quantity", Q_(total, _UNITS[self._kind]))

    @property
    def k1(self) -> Quantity:
        """Phylloquinone (vitamin K1) resolved as such; zero if not reported.

        Zero is not an absence when K1 is in :attr:`not_analysed` (then this is a lower
        bound), nor when a ``total_K`` pool may hold some.
        """
        return self.amount(Vitamer.K1)

    @property
    def k2(self) -> Quantity:
        """All menaquinones: the resolved homologues plus any ``total_MK`` pool."""
        parts = [m for v, m in self._values.items() if v.is_menaquinone]
        parts += [m for p, m in self._pools.items() if p is Pool.TOTAL_MK]
        return self._sum(parts)

    @property
    def menaquinones(self) -> VitaminK:
        """The part of the profile that is menaquinones (with any ``total_MK`` pool)."""
        values = {v: m for v, m in self._values.items() if v.is_menaquinone}
        pools: dict[Pool, Any] = {p: m for p, m in self._pools.items() if p is Pool.TOTAL_MK}
        unknown = frozenset(v for v in self._not_analysed if v.is_menaquinone)
        return self._new(values, pools, self._kind, unknown)

    @property
    def total(self) -> Quantity:
        """Everything in the profile: every vitamer and every pool."""
        return self._sum([*self._values.values(), *self._pools.values()])

    def in_mk4_equivalents(self) -> Quantity:
        """Return the profile's vitamin K in MK-4 equivalents, by the Japanese rule.

        Phylloquinone and MK-4 count by mass and MK-7 by molar mass (x 444.659 / 649.016),
        with :data:`~k2nutrition.vitamers.MK4_EQUIVALENT_FACTORS`, the factors of
        :data:`~k2nutrition.measures.JAPAN_MK4_EQ`: for a profile that this method
        accepts, both give the same amount. Where K1, MK-4 or MK-7 is in
        :attr:`not_analysed`, the result is a lower bound.

        Raises
        ------
        UnresolvedFormsError
            If the profile holds an unresolved pool, whose molar mass is unknown.
        MK4EquivalentError
            If the profile holds an amount of a vitamer that the rule does not count (such
            as the MK-9 of a cheese): leaving it out would understate the profile. The
            guideline measure ``JAPAN_MK4_EQ(profile)`` counts the Japanese way and leaves
            such vitamers out, by that rule.

        Examples
        --------
        >>> VitaminK({"MK-7": "90 µg", "K1": "10 µg"}).in_mk4_equivalents()
        <Quantity(71.66..., 'microgram')>
        """
        if self._pools:
            names = ", ".join(p.value for p in self._pools)
            raise UnresolvedFormsError(
                f"cannot convert to MK-4 equivalents: the profile holds {names}, a sum of "
                "forms whose molar mass is unknown"
            )
        outside = [
            v for v in self if v not in MK4_EQUIVALENT_FACTORS and _any_positive(self._values[v])
        ]
        if outside:
            raise MK4EquivalentError(f"cannot convert the profile: {_no_mk4_equivalent(outside)}")
        return self._sum(
            [m * f for v, m in self._values.items() if (f := MK4_EQUIVALENT_FACTORS.get(v))]
        )

    # -- arithmetic -----------------------------------------------------------------------

    def __add__(self, other: object) -> VitaminK:
        if not isinstance(other, VitaminK):
            return NotImplemented
        if other._kind != self._kind:
            raise DimensionError(
                f"cannot add a VitaminK of kind {other._kind!r} to one of kind {self._kind!r}"
            )
        _check_shapes([*self._values.values(), *self._pools.values(), *other._values.values()])
        _check_shapes([*self._values.values(), *other._pools.values()])
        values: dict[Vitamer, Any] = dict(self._values)
        for v, m in other._values.items():
            values[v] = values[v] + m if v in values else m
        pools: dict[Pool, Any] = dict(self._pools)
        for p, m in other._pools.items():
            pools[p] = pools[p] + m if p in pools else m
        return self._new(values, pools, self._kind, self._not_analysed | other._not_analysed)

    def __radd__(self, other: object) -> VitaminK:
        # Lets sum() start from its default 0.
        if isinstance(other, int) and other == 0:
            return self
        return NotImplemented

    def _scaled(self, factor: Any, kind: Kind) -> VitaminK:
        values = {v: m * factor for v, m in self._values.items()}
        pools = {p: m * factor for p, m in self._pools.items()}
        return self._new(values, pools, kind)

    def __mul__(self, other: object) -> VitaminK:
        if _is_number(other) or _is_array(other):
            return self._scaled(_checked_factor(other, "factor"), self._kind)
        if isinstance(other, str | pint.Quantity):
            return self._times_quantity(other, divide=False)
        return NotImplemented

    __rmul__ = __mul__

    def __truediv__(self, other: object) -> VitaminK:
        if _is_number(other) or _is_array(other):
            factor = _checked_factor(other, "divisor", allow_zero=False)
            return self._scaled(1.0 / factor, self._kind)
        if isinstance(other, str | pint.Quantity):
            return self._times_quantity(other, divide=True)
        return NotImplemented

    def _times_quantity(self, other: str | Quantity, *, divide: bool) -> VitaminK:
        name = "divisor" if divide else "factor"
        rules = _DIVIDE_RULES if divide else _MULTIPLY_RULES
        for dimension, result_kind in rules.get(self._kind, {}).items():
            try:
                q = parse_amount(other, name, dimension, allow_zero=not divide)
            except DimensionError:
                continue
            unit = _UNITS[self._kind]
            combined = Q_(1.0, unit) / Q_(1.0, q.units) if divide else Q_(1.0, unit) * q.units
            factor = conversion_factor(combined.units, _UNITS[result_kind]) * combined.magnitude
            magnitude = 1.0 / q.magnitude if divide else q.magnitude
            return self._scaled(magnitude * factor, result_kind)
        allowed = " or ".join(rules.get(self._kind, {})) or "a plain number"
        op = "divide" if divide else "multiply"
        raise DimensionError(
            f"cannot {op} a VitaminK of kind {self._kind!r} by {other!r}; "
            f"{name} needs {allowed} here"
        )

    # -- equality, hashing, display --------------------------------------------------------

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, VitaminK):
            return NotImplemented
        if self._kind != other._kind or self._not_analysed != other._not_analysed:
            return False
        return _same(self._values, other._values) and _same(self._pools, other._pools)

    def __hash__(self) -> int:
        items = (*self._values.items(), *self._pools.items())
        if any(not isinstance(m, float) for _k, m in items):
            raise TypeError("a VitaminK holding arrays is not hashable")
        return hash((self._kind, frozenset(items), self._not_analysed))

    def __repr__(self) -> str:
        unit = _SHOWN_UNIT[self._kind]
        parts = [f"{v.label}: {_fmt(self._values[v])} {unit}" for v in self]
        parts += [f"{p.value}: {_fmt(m)} {unit}" for p, m in self._pools.items()]
        unknown = ""
        if self._not_analysed:
            unknown = f"; not analysed: {describe_vitamers(self._not_analysed)}"
        if not parts:
            return f"VitaminK({{}}, kind={self._kind!r}{unknown})"
        return "VitaminK({" + ", ".join(parts) + "}" + unknown + ")"

    def __str__(self) -> str:
        from k2nutrition.display import vitamin_k_text

        return vitamin_k_text(self)

    def _repr_html_(self) -> str:
        from k2nutrition.display import vitamin_k_html

        return vitamin_k_html(self)

    def to_frame(self) -> pd.DataFrame:
        """Return one row per vitamer and pool, in the profile's unit (needs pandas).

        See :func:`k2nutrition.display.vitamin_k_frame` for the columns.
        """
        from k2nutrition.display import vitamin_k_frame

        return vitamin_k_frame(self)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self._kind, self._values, self._pools, self._not_analysed))


def _rebuild(
    kind: Kind,
    values: dict[Vitamer, Any],
    pools: dict[Pool, Any],
    not_analysed: frozenset[Vitamer] = frozenset(),
) -> VitaminK:
    return VitaminK.from_magnitudes(values, kind, pools=pools, not_analysed=not_analysed)


def _vitamers(values: Iterable[Vitamer | str], name: str) -> frozenset[Vitamer]:
    if isinstance(values, str | Vitamer):
        raise AmountError(
            f"{name} needs a collection of vitamers, such as ['MK-4']; got {values!r}"
        )
    if isinstance(values, frozenset) and all(isinstance(v, Vitamer) for v in values):
        return cast("frozenset[Vitamer]", values)
    return frozenset(v if isinstance(v, Vitamer) else Vitamer.parse(v) for v in values)


def describe_vitamers(vitamers: Iterable[Vitamer]) -> str:
    """Name a set of vitamers shortly, in the usual order.

    Examples
    --------
    >>> describe_vitamers([Vitamer.MK4, Vitamer.K1])
    'K1, MK-4'
    >>> describe_vitamers(v for v in Vitamer if v is not Vitamer.MK7)
    'all but MK-7'
    >>> describe_vitamers(Vitamer)
    'all vitamers'
    """
    chosen = set(vitamers)
    ordered = [v.label for v in Vitamer if v in chosen]
    others = [v.label for v in Vitamer if v not in chosen]
    if not others:
        return "all vitamers"
    if len(others) < len(ordered) and len(ordered) > 3:
        return "all but " + ", ".join(others)
    return ", ".join(ordered)


_ORDER: Final[dict[Vitamer, int]] = {v: i for i, v in enumerate(Vitamer)}

# kind -> {dimension of the other operand: resulting kind}
_MULTIPLY_RULES: Final[dict[str, dict[Dimension, Kind]]] = {
    "content": {"mass": "amount"},
    "amount": {"frequency": "intake"},
    "intake": {"time": "amount"},
}
_DIVIDE_RULES: Final[dict[str, dict[Dimension, Kind]]] = {
    "amount": {"time": "intake"},
}


def _is_array(value: object) -> bool:
    return type(value).__module__ == "numpy" and hasattr(value, "shape")


def _any_positive(magnitude: Any) -> bool:
    if isinstance(magnitude, float):
        return magnitude > 0
    import numpy as np

    return bool(np.any(magnitude > 0))


def _all_finite(magnitude: Any) -> bool:
    if isinstance(magnitude, float):
        return math.isfinite(magnitude)
    import numpy as np

    return bool(np.isfinite(magnitude).all())


def _check_shapes(magnitudes: list[Any]) -> None:
    """Raise ShapeError unless the array magnitudes broadcast together."""
    shapes = [m.shape for m in magnitudes if hasattr(m, "shape") and m.shape]
    if len(set(shapes)) < 2:
        return
    import numpy as np

    try:
        np.broadcast_shapes(*shapes)
    except ValueError:
        shown = ", ".join(str(s) for s in dict.fromkeys(shapes))
        raise ShapeError(
            f"values: arrays of shapes {shown} do not broadcast together; give every "
            "vitamer the same number of values"
        ) from None


def _checked(magnitude: Any, name: str) -> Magnitude:
    frozen = _freeze(magnitude)
    if isinstance(frozen, float):
        ok_finite, ok_sign = math.isfinite(frozen), frozen >= 0
    else:
        import numpy as np

        ok_finite, ok_sign = bool(np.isfinite(frozen).all()), bool((frozen >= 0).all())
    if not ok_finite:
        raise AmountError(f"{name} must be a finite number; got {magnitude!r}")
    if not ok_sign:
        raise AmountError(f"{name} must not be negative; got {magnitude!r}")
    return frozen


def _checked_factor(value: Any, name: str, *, allow_zero: bool = True) -> Magnitude:
    factor = _checked(value, name)
    if not allow_zero and has_zero(factor):
        raise AmountError(f"{name} must not be zero")
    return factor


def _same(a: Mapping[Any, Any], b: Mapping[Any, Any]) -> bool:
    if a.keys() != b.keys():
        return False
    for key, m in a.items():
        n = b[key]
        if isinstance(m, float) and isinstance(n, float):
            if m != n:
                return False
        else:
            import numpy as np

            if not np.array_equal(m, n):
                return False
    return True


def _fmt(m: Any) -> str:
    if isinstance(m, float):
        return format_number(m, 4)
    return f"array{tuple(m.shape)}"
