"""Test helpers: compare quantities in the expected unit."""

from __future__ import annotations

import math
from typing import Any

import pint


def assert_quantity_close(
    actual: Any, expected: float, unit: str, *, rel: float = 1e-9, abs_tol: float = 0.0
) -> None:
    """Assert ``actual`` (a quantity) equals ``expected`` ``unit``, converting first."""
    assert isinstance(actual, pint.Quantity), f"expected a pint quantity, got {actual!r}"
    try:
        value = float(actual.to(unit).magnitude)
    except pint.DimensionalityError:
        raise AssertionError(
            f"units are not compatible: {actual.units} cannot be expressed in {unit}"
        ) from None
    assert math.isclose(value, expected, rel_tol=rel, abs_tol=abs_tol), (
        f"{value} {unit} != {expected} {unit}"
    )


def other_registry() -> Any:
    """Return a new unit registry, as a user might make one of their own."""
    return pint.UnitRegistry()
