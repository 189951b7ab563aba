"""Units: the one registry, and the checking of amounts at the edge of the library.

k2nutrition shares pint's *application registry* with the code that uses it, so a
quantity made with ``pint.get_application_registry()`` (or with :data:`Q_`) and one made
by this library interoperate. k2nutrition needs no unit definitions of its own: the micro
prefix spellings ``mcg``, ``ug``, ``µg`` (U+00B5) and ``μg`` (U+03BC) are all pint's from
version 0.24.2 on, which is why that version is the minimum. Quantities from any other
``pint.UnitRegistry`` are accepted too: they are rebuilt in this registry from their
magnitude and unit name.

Every public function that takes an amount passes it through :func:`parse_amount` once,
which gives one clear error for each way an amount can be wrong, naming the argument.

Examples
--------
>>> from k2nutrition.units import parse_amount
>>> parse_amount("90 mcg", "dose", "mass")
<Quantity(90, 'microgram')>
>>> parse_amount(90, "dose", "mass")
Traceback (most recent call last):
...
k2nutrition.errors.AmountTypeError: dose needs a mass, ... got the bare number 90. ...
"""

from __future__ import annotations

import math
import numbers
import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Final, Literal, TypeAlias, cast

import pint

from k2nutrition.errors import AmountError, AmountTypeError, DimensionError

if TYPE_CHECKING:
    from pint.registry import ApplicationRegistry

__all__ = [
    "Q_",
    "Dimension",
    "Quantity",
    "QuantityLike",
    "conversion_factor",
    "parse_amount",
    "ureg",
]

#: The unit registry k2nutrition uses: pint's application registry, shared with user code.
ureg: ApplicationRegistry = pint.get_application_registry()  # type: ignore[no-untyped-call]

#: Build a quantity in :data:`ureg`: ``Q_(40, "g")``.
Q_ = ureg.Quantity

if TYPE_CHECKING:
    #: The type of a pint quantity (from any registry).
    Quantity: TypeAlias = pint.Quantity[Any]
else:
    Quantity = pint.Quantity

#: What a public function accepts as an amount: a string such as ``"40 g"`` or a quantity.
QuantityLike: TypeAlias = "str | Quantity"

#: The kinds of amount the library checks for.
Dimension: TypeAlias = Literal[
    "mass",
    "volume",
    "mass or volume",
    "time",
    "frequency",
    "substance",
    "mass rate",
    "mass or mass rate",
    "substance or rate",
    "content",
]

_DIMENSIONALITY: Final[dict[str, tuple[str, ...]]] = {
    "mass": ("[mass]",),
    "volume": ("[length] ** 3",),
    "mass or volume": ("[mass]", "[length] ** 3"),
    "time": ("[time]",),
    "frequency": ("1 / [time]",),
    "substance": ("[substance]",),
    "mass rate": ("[mass] / [time]",),
    "mass or mass rate": ("[mass]", "[mass] / [time]"),
    "substance or rate": ("[substance]", "[substance] / [time]"),
    # Mass per mass (µg/100 g): dimensionless for pint, so also checked by its units.
    "content": ("",),
}

_EXAMPLES: Final[dict[str, str]] = {
    "mass": "'40 g' or Q_(40, 'g')",
    "volume": "'250 mL' or Q_(250, 'mL')",
    "mass or volume": "'40 g', '250 mL' or Q_(40, 'g')",
    "time": "'7 months' or Q_(7, 'month')",
    "frequency": "'2/week' or Q_(2, '1/week')",
    "substance": "'150 nmol' or Q_(150, 'nmol')",
    "mass rate": "'90 µg/day' or Q_(90, 'µg/day')",
    "mass or mass rate": "'90 µg' or '90 µg/day'",
    "substance or rate": "'150 nmol' or '150 nmol/day'",
    "content": "'939 µg/100 g' or Q_(9.39, 'µg/g')",
}

_UNIT_HINT: Final[dict[str, str]] = {
    "mass": "'{n} g', '{n} µg', ...",
    "volume": "'{n} mL', '{n} cup', ...",
    "mass or volume": "'{n} g', '{n} mL', ...",
    "time": "'{n} years', '{n} months', ...",
    "frequency": "'{n}/day', '{n}/week', ...",
    "substance": "'{n} nmol', '{n} µmol', ...",
    "mass rate": "'{n} µg/day', '{n} mg/day', ...",
    "mass or mass rate": "'{n} µg', '{n} µg/day', ...",
    "substance or rate": "'{n} nmol', '{n} nmol/day', ...",
    "content": "'{n} µg/100 g', '{n} µg/kg', ...",
}

# "µg/100g" would parse as (µg/100)*g; make a number after "/" a parenthesised divisor.
_PER_NUMBER = re.compile(r"/\s*(\d+(?:\.\d+)?)\s*([^\W\d][\w]*)")

# pint's string parser can fail with many exception types (tokenize.TokenError, KeyError,
# AttributeError, ...); any failure to read a user's string becomes one AmountError.
_PINT_PARSE_ERRORS: Final = (Exception,)


def _describe(q: Quantity) -> str:
    dim = q.dimensionality
    for name, dims in _DIMENSIONALITY.items():
        if " or " in name or name == "content":
            continue
        if any(dim == ureg.get_dimensionality(d) for d in dims):
            return f"a {name}"
    if q.dimensionless:
        return "a pure number" if _is_unitless(q) else "a ratio"
    return f"units of {dim}"


def _is_unitless(q: Quantity) -> bool:
    return not any(exponent for _name, exponent in q.unit_items())


def _is_mass_per_mass(q: Quantity) -> bool:
    signs = set()
    for name, exponent in q.unit_items():
        if ureg.get_dimensionality(name) != ureg.get_dimensionality("[mass]"):
            return False
        signs.add(float(exponent.real) > 0)
    return signs == {True, False}


@lru_cache(maxsize=4096)
def _parse_text(text: str) -> tuple[Any, Any]:
    normalised = _PER_NUMBER.sub(r"/(\1 \2)", text)
    parsed = ureg.parse_expression(normalised)
    if not isinstance(parsed, pint.Quantity):  # a bare number such as "40"
        return parsed, ureg.dimensionless
    return parsed.magnitude, parsed.units


def _is_bare_number(value: object) -> bool:
    if isinstance(value, bool | numbers.Number):
        return True
    module = type(value).__module__
    return module == "numpy" or module.startswith("numpy.")


def _magnitudes_ok(magnitude: Any) -> tuple[bool, bool]:
    """Return (all finite, all non-negative) for a scalar or array magnitude."""
    if isinstance(magnitude, int | float):
        m = float(magnitude)
        return math.isfinite(m), not m < 0
    import numpy as np

    arr = np.asarray(magnitude)
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"magnitude of type {arr.dtype} is not a real number")
    arr = arr.astype(float, copy=False)
    return bool(np.isfinite(arr).all()), bool((arr >= 0).all())


def parse_amount(
    value: object,
    name: str,
    dimension: Dimension,
    *,
    allow_negative: bool = False,
    allow_zero: bool = True,
) -> Quantity:
    """Turn a user's amount into a quantity of this library's registry, or raise.

    Parameters
    ----------
    value : str or pint.Quantity
        A string such as ``"40 g"``, ``"90 mcg"``, ``"90 µg"``, ``"939 µg/100 g"``, or a
        quantity from any pint registry. Magnitudes may be scalars or arrays.
    name : str
        The argument's name, used in error messages.
    dimension : {"mass", "volume", "mass or volume", "time", "substance", "mass rate", \
"content"}
        What the argument must be. ``"content"`` is a mass per mass (µg/100 g).
    allow_negative : bool, default False
        Whether negative magnitudes are accepted.
    allow_zero : bool, default True
        Whether a zero magnitude is accepted.

    Returns
    -------
    pint.Quantity
        The amount in :data:`ureg`, in the units it was given in.

    Raises
    ------
    AmountTypeError
        For a bare number or an object that is neither a string nor a quantity.
    DimensionError
        For an amount of the wrong dimension.
    AmountError
        For an unparsable string, NaN, infinity, or a negative (or zero) amount.

    Examples
    --------
    >>> parse_amount("0.09 mg", "dose", "mass").to("µg")
    <Quantity(90.0, 'microgram')>
    >>> parse_amount("40 mL", "amount", "mass")
    Traceback (most recent call last):
    ...
    k2nutrition.errors.DimensionError: amount needs a mass, ...; got '40 mL', which is a volume...
    """
    need = f"{name} needs a {dimension}, e.g. {_EXAMPLES[dimension]}"
    q: Quantity
    if isinstance(value, str):
        text = value.strip()
        if not text:
            raise AmountError(f"{need}; got an empty string")
        try:
            magnitude, units = _parse_text(text)
        except _PINT_PARSE_ERRORS as exc:
            raise AmountError(f"{need}; could not read {value!r} ({_reason(exc)})") from None
        if _is_bare_number(magnitude) and units == ureg.dimensionless:
            hint = _UNIT_HINT[dimension].format(n=text)
            raise AmountTypeError(f"{need}; got {value!r}, a number without a unit. Write {hint}")
        q = Q_(magnitude, units)
    elif isinstance(value, pint.Quantity):
        q = _adopt(value, name, need)
    elif _is_bare_number(value):
        shown = value if isinstance(value, numbers.Number) else type(value).__name__
        hint = _UNIT_HINT[dimension].format(n=shown)
        raise AmountTypeError(f"{need}; got the bare number {shown}. Give it a unit: {hint}")
    else:
        raise AmountTypeError(f"{need}; got an object of type {type(value).__name__}")

    _check_dimension(q, dimension, need, value)
    try:
        finite, non_negative = _magnitudes_ok(q.magnitude)
    except TypeError:
        raise AmountTypeError(
            f"{need}; got a quantity whose magnitude is not a real number"
        ) from None
    if not finite:
        raise AmountError(f"{need}; got {_show(value)}, which is not a finite number")
    if not non_negative and not allow_negative:
        raise AmountError(f"{need}; got {_show(value)}, which is negative")
    if not allow_zero and has_zero(q.magnitude):
        raise AmountError(f"{need}; got {_show(value)}, which is zero")
    return q


def has_zero(magnitude: Any) -> bool:
    """Whether a scalar or array magnitude is (or holds) zero; numpy only for arrays."""
    if isinstance(magnitude, int | float):
        return magnitude == 0
    import numpy as np

    return bool((np.asarray(magnitude) == 0).any())


def _reason(exc: BaseException) -> str:
    if isinstance(exc, pint.errors.UndefinedUnitError):
        return f"unknown unit {', '.join(repr(u) for u in exc.unit_names)}"
    return "not an amount with a unit"


def _show(value: object) -> str:
    return repr(value) if isinstance(value, str) else str(value)


def _adopt(value: Quantity, name: str, need: str) -> Quantity:
    """Return ``value`` as a quantity of :data:`ureg` (rebuilt if from another registry)."""
    if value._REGISTRY is ureg.get():  # type: ignore[no-untyped-call]
        return value
    units = str(value.units)
    try:
        return cast("Quantity", Q_(value.magnitude, units))
    except _PINT_PARSE_ERRORS:
        raise DimensionError(
            f"{need}; got a quantity in {units!r} from another unit registry, "
            "which this library's registry does not know"
        ) from None


def _check_dimension(q: Quantity, dimension: Dimension, need: str, value: object) -> None:
    if dimension == "content":
        ok = _is_mass_per_mass(q) and q.dimensionless
    else:
        ok = any(q.dimensionality == ureg.get_dimensionality(d) for d in _DIMENSIONALITY[dimension])
    if not ok:
        extra = ""
        if dimension == "mass" and q.dimensionality == ureg.get_dimensionality("[length] ** 3"):
            extra = " (a volume can be used only where the food's density is known)"
        raise DimensionError(f"{need}; got {_show(value)}, which is {_describe(q)}{extra}")


@lru_cache(maxsize=1024)
def conversion_factor(from_units: pint.Unit | str, to_units: pint.Unit | str) -> float:
    """Return the number that converts magnitudes in ``from_units`` to ``to_units``.

    Cached, so that converting many values costs one pint conversion per pair of units.

    Examples
    --------
    >>> conversion_factor("mg", "µg")
    1000.0
    """
    return float(Q_(1.0, from_units).to(to_units).magnitude)
