"""Exceptions raised by k2nutrition.

Every error the library raises on purpose is a :class:`K2NutritionError`, and also an
instance of the built-in exception a Python user would expect (``ValueError``,
``TypeError`` or ``LookupError``), so that both ``except K2NutritionError`` and
``except ValueError`` work.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "AmbiguousVitamerError",
    "AmountError",
    "AmountTypeError",
    "DataError",
    "DimensionError",
    "K2NutritionError",
    "MissingDependencyError",
    "NonFiniteError",
    "ShapeError",
    "UnknownFoodError",
    "UnknownVitamerError",
]


class K2NutritionError(Exception):
    """Base class of every error that k2nutrition raises on purpose."""


class AmountError(K2NutritionError, ValueError):
    """An amount that cannot be used: unparsable, NaN, infinite or negative."""


class AmountTypeError(K2NutritionError, TypeError):
    """An amount of the wrong type, such as a bare number where a quantity is needed."""


class DimensionError(AmountError):
    """An amount of the wrong dimension, such as a volume where a mass is needed."""


class NonFiniteError(AmountError, OverflowError):
    """A calculation whose result would not be a finite number (it overflowed)."""


class ShapeError(AmountError):
    """Arrays whose shapes do not broadcast together, or an array where one value is needed."""


class MissingDependencyError(K2NutritionError, ImportError):
    """An optional dependency that a feature needs is not installed."""

    def __init__(self, what: str, package: str, extra: str) -> None:
        super().__init__(f"{what} needs {package}: pip install 'k2nutrition[{extra}]'")


class DataError(K2NutritionError, ValueError):
    """A bundled or user-supplied data file that breaks the data rules."""


class UnknownVitamerError(K2NutritionError, LookupError, ValueError):
    """A vitamer name that k2nutrition does not know."""


class AmbiguousVitamerError(UnknownVitamerError):
    """A name that stands for several vitamers, such as "K2" (MK-4 or MK-7 ...)."""


class UnknownFoodError(K2NutritionError, LookupError):
    """A food that is not in the table.

    Parameters
    ----------
    key : str
        What was looked up.
    suggestions : sequence of str
        Close matches among the table's names, best first (may be empty).
    """

    def __init__(self, key: str, suggestions: Sequence[str] = ()) -> None:
        self.key = key
        self.suggestions = tuple(suggestions)
        message = f"no food matches {key!r}"
        if self.suggestions:
            message += "; did you mean " + ", ".join(repr(s) for s in self.suggestions) + "?"
        else:
            message += "; use foods.search(...) to list what the table holds"
        super().__init__(message)

    def __str__(self) -> str:
        # LookupError subclasses such as KeyError would repr() the message; keep it readable.
        return str(self.args[0])
