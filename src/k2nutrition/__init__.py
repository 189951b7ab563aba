"""k2nutrition: vitamin K (K1 and the menaquinones) food data, quantities and checks.

Amounts are pint quantities of one shared registry (:data:`ureg`); foods carry their
vitamin K content vitamer by vitamer, each figure with its source.

The library is informational: it gives no medical advice.

Importing the package is cheap: pint, the data files and the registry are loaded on
first use of the names below.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from k2nutrition._version import __version__

if TYPE_CHECKING:
    from k2nutrition.checks import Assessment, Status, check, check_all, suggest
    from k2nutrition.errors import K2NutritionError, UnknownFoodError
    from k2nutrition.food import Food, FoodTable, foods
    from k2nutrition.guideline import Guideline, guidelines
    from k2nutrition.intake import Diet, Portion, Supplement
    from k2nutrition.people import Person
    from k2nutrition.profile import Pool, VitaminK
    from k2nutrition.sources import Confidence, Source
    from k2nutrition.units import Q_, ureg
    from k2nutrition.vitamers import Vitamer, mk4_equivalent, to_amount, to_mass

__all__ = [
    "Q_",
    "Assessment",
    "Confidence",
    "Diet",
    "Food",
    "FoodTable",
    "Guideline",
    "K2NutritionError",
    "Person",
    "Pool",
    "Portion",
    "Source",
    "Status",
    "Supplement",
    "UnknownFoodError",
    "Vitamer",
    "VitaminK",
    "__version__",
    "check",
    "check_all",
    "foods",
    "guidelines",
    "mk4_equivalent",
    "suggest",
    "to_amount",
    "to_mass",
    "ureg",
]

_LAZY: dict[str, str] = {
    "K2NutritionError": "errors",
    "UnknownFoodError": "errors",
    "Food": "food",
    "FoodTable": "food",
    "foods": "food",
    "Person": "people",
    "Diet": "intake",
    "Portion": "intake",
    "Supplement": "intake",
    "Guideline": "guideline",
    "guidelines": "guideline",
    "check": "checks",
    "check_all": "checks",
    "suggest": "checks",
    "Assessment": "checks",
    "Status": "checks",
    "Pool": "profile",
    "VitaminK": "profile",
    "Confidence": "sources",
    "Source": "sources",
    "Q_": "units",
    "ureg": "units",
    "Vitamer": "vitamers",
    "mk4_equivalent": "vitamers",
    "to_amount": "vitamers",
    "to_mass": "vitamers",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'k2nutrition' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"k2nutrition.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
