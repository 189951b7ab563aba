"""Test helpers: compare quantities in the expected unit; shared test foods."""

from __future__ import annotations

import math
import subprocess
import sys
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


def make_test_milk() -> Any:
    """Return a milk-like test food: natto's vitamin K figures, calcium, no vitamin D figure."""
    import attrs

    from k2nutrition import foods

    natto = foods["natto"]
    return attrs.evolve(
        natto,
        id="milk-test",
        name="Test milk",
        values=[v for v in natto.values if v.source is None],  # its vitamin K figures
        calcium="120 mg/(100 g)",
        vitamin_d=None,
    )


def run_into_full_device(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the command line with its standard output on ``/dev/full`` (every write fails)."""
    with open("/dev/full", "w", encoding="utf-8") as full:
        return subprocess.run(
            [sys.executable, "-m", "k2nutrition", *args],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
