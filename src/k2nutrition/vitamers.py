"""The vitamers of vitamin K, their molar masses, and mass <-> amount conversions.

Vitamin K is a family of 2-methyl-1,4-naphthoquinones that differ in their side chain:
phylloquinone (K1) has a phytyl chain, and the menaquinones MK-n ("K2") have n isoprene
units. Molar masses are derived from each chemical formula with the standard atomic
weights [1]_, never typed in, so that MK-7 and MK-4 are converted consistently.

References
----------
.. [1] Prohaska T, Irrgeher J, Benefield J, et al. Standard atomic weights of the
   elements 2021 (IUPAC Technical Report). Pure Appl Chem 2022;94(5):573-600.
   doi:10.1515/pac-2019-0603. Conventional atomic weights of H, C and O (Table 3).

Examples
--------
>>> from k2nutrition import Q_, Vitamer, to_amount
>>> Vitamer.MK7.formula
'C46H64O2'
>>> round(Vitamer.MK7.molar_mass.magnitude, 3)
649.016
>>> to_amount(Q_(100, "µg"), Vitamer.MK7)
<Quantity(154.079..., 'nanomole')>
"""

from __future__ import annotations

import enum
import re
import unicodedata
from collections.abc import Mapping
from functools import cached_property
from types import MappingProxyType
from typing import Final, cast

import pint

from k2nutrition.errors import (
    AmbiguousVitamerError,
    DimensionError,
    K2NutritionError,
    NonFiniteError,
    UnknownVitamerError,
)
from k2nutrition.units import Q_, Quantity, QuantityLike, _magnitudes_ok, parse_amount

__all__ = [
    "ATOMIC_WEIGHTS",
    "MK4_EQUIVALENT_FACTORS",
    "MK4EquivalentError",
    "Vitamer",
    "mk4_equivalent",
    "to_amount",
    "to_mass",
]

#: Conventional standard atomic weights (g/mol) of the elements in vitamin K, from
#: Prohaska et al. 2022 (IUPAC Technical Report), Table 3.
ATOMIC_WEIGHTS: Final[dict[str, float]] = {"C": 12.011, "H": 1.008, "O": 15.999}

_FORMULA_TOKEN = re.compile(r"([A-Z][a-z]?)(\d*)")

#: A menaquinone's name by its chain length, known or not: "MK-14", "MK21", and with a
#: space up to 20, "menaquinone 14" (not "MK 90": the amount of a form not named).
_MENAQUINONE_NAME: Final = re.compile(
    r"(?i)(?:mk|menaquinone)(?:-?[0-9]{1,2}|\s+(?:0?[0-9]|1[0-9]|20))"
)


def _formula(carbon: int, hydrogen: int, oxygen: int) -> str:
    return f"C{carbon}H{hydrogen}O{oxygen}"


class Vitamer(enum.Enum):
    """A form of vitamin K.

    The value of each member is its usual label (``"MK-7"``); :meth:`parse` also reads
    common spellings such as ``"mk7"``, ``"menaquinone-7"`` or ``"phylloquinone"``.
    """

    K1 = "K1"
    DIHYDRO_K1 = "dihydro-K1"
    MK4 = "MK-4"
    MK5 = "MK-5"
    MK6 = "MK-6"
    MK7 = "MK-7"
    MK8 = "MK-8"
    MK9 = "MK-9"
    MK9_4H = "MK-9(4H)"
    MK10 = "MK-10"
    MK11 = "MK-11"
    MK12 = "MK-12"
    MK13 = "MK-13"

    def __str__(self) -> str:
        return self.value

    @property
    def label(self) -> str:
        """The usual label, such as ``"MK-7"``."""
        return self.value

    @property
    def chain_length(self) -> int | None:
        """The number of isoprene units of a menaquinone; ``None`` for K1 forms."""
        match = re.fullmatch(r"MK-(\d+)(?:\(4H\))?", self.value)
        return int(match.group(1)) if match else None

    @property
    def is_menaquinone(self) -> bool:
        """Whether this is a menaquinone (a form of vitamin K2)."""
        return self.chain_length is not None

    @property
    def chemical_name(self) -> str:
        """The common chemical name, such as ``"menaquinone-7"``."""
        if self is Vitamer.K1:
            return "phylloquinone"
        if self is Vitamer.DIHYDRO_K1:
            return "2',3'-dihydrophylloquinone"
        if self is Vitamer.MK9_4H:
            return "tetrahydromenaquinone-9"
        return f"menaquinone-{self.chain_length}"

    @property
    def formula(self) -> str:
        """The molecular formula in Hill notation, such as ``"C46H64O2"``."""
        if self is Vitamer.K1:
            return _formula(31, 46, 2)
        if self is Vitamer.DIHYDRO_K1:
            return _formula(31, 48, 2)
        n = self.chain_length
        assert n is not None  # every other member is a menaquinone
        extra_hydrogen = 4 if self is Vitamer.MK9_4H else 0
        return _formula(11 + 5 * n, 8 + 8 * n + extra_hydrogen, 2)

    @cached_property
    def molar_mass(self) -> Quantity:
        """The molar mass in g/mol, from :attr:`formula` and :data:`ATOMIC_WEIGHTS`."""
        return cast("Quantity", Q_(self.molar_mass_g_per_mol, "g/mol"))

    @cached_property
    def molar_mass_g_per_mol(self) -> float:
        """The molar mass as a plain number of g/mol (for array work)."""
        total = 0.0
        for element, count in _FORMULA_TOKEN.findall(self.formula):
            total += ATOMIC_WEIGHTS[element] * (int(count) if count else 1)
        return total

    @classmethod
    def parse(cls, text: Vitamer | str) -> Vitamer:
        """Return the vitamer that ``text`` names.

        Parameters
        ----------
        text : Vitamer or str
            A vitamer, or a name such as ``"MK-7"``, ``"mk7"``, ``"menaquinone 7"``,
            ``"K1"``, ``"phylloquinone"`` or ``"MK-9(4H)"``.

        Raises
        ------
        UnknownVitamerError
            If the name is not a known vitamer.
        AmbiguousVitamerError
            For a name of several vitamers, such as ``"K2"`` or ``"vitamin K2"``: the
            menaquinones differ in molar mass (MK-7 649 g/mol, MK-4 445 g/mol), so a dose of
            "K2" cannot be converted or counted.

        Examples
        --------
        >>> Vitamer.parse("menaquinone-7")
        <Vitamer.MK7: 'MK-7'>
        >>> Vitamer.parse("vitamin K1")
        <Vitamer.K1: 'K1'>
        """
        if isinstance(text, Vitamer):
            return text
        if not isinstance(text, str):
            raise UnknownVitamerError(
                f"vitamer needs a name such as 'MK-7' or 'K1'; got {type(text).__name__}"
            )
        if len(text) > _MAX_NAME_LENGTH:
            raise UnknownVitamerError(
                f"vitamer name is {len(text):,} characters long; a name is at most "
                f"{_MAX_NAME_LENGTH}, such as 'MK-7'"
            )
        key = _fold_vitamer(text)
        found = _ALIASES.get(key)
        if key in _AMBIGUOUS:
            raise AmbiguousVitamerError(
                f"{text!r} is ambiguous: {_AMBIGUOUS[key]}; write the form, such as MK-7 or "
                "MK-4 (a supplement's label names it)"
            )
        if found is None:
            known = ", ".join(v.label for v in cls)
            raise UnknownVitamerError(f"unknown vitamer {text!r}; known vitamers: {known}")
        return found


_MAX_NAME_LENGTH: Final = 100

_K2_FAMILY: Final = (
    "vitamin K2 is a family of menaquinones whose molar masses differ (MK-4 445 g/mol, "
    "MK-7 649 g/mol), so guidelines and conversions need the form"
)
#: Folded names that stand for several vitamers.
_AMBIGUOUS: Final[dict[str, str]] = {
    "k2": _K2_FAMILY,
    "menaquinone": _K2_FAMILY,
    "menaquinones": _K2_FAMILY,
    "mk": _K2_FAMILY,
    "甲萘醌": _K2_FAMILY,
    "k": "vitamin K is K1 (phylloquinone) and the K2 menaquinones",
}


def _fold_vitamer(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).casefold()
    folded = re.sub(r"[\s\-_.]", "", folded)
    for prefix in ("vitamin", "维生素", "維生素", "ビタミン"):
        folded = folded.removeprefix(prefix)
    return folded


def _build_aliases() -> dict[str, Vitamer]:
    aliases: dict[str, Vitamer] = {}
    for v in Vitamer:
        aliases[_fold_vitamer(v.label)] = v
        aliases[_fold_vitamer(v.chemical_name)] = v
        aliases[_fold_vitamer(v.name)] = v
        if v.chain_length is not None and v is not Vitamer.MK9_4H:
            aliases[f"k2mk{v.chain_length}"] = v
            aliases[f"mk{v.chain_length}"] = v
    aliases.update(
        {
            "pk": Vitamer.K1,
            "phytonadione": Vitamer.K1,
            "phytomenadione": Vitamer.K1,
            "menatetrenone": Vitamer.MK4,
            "dk": Vitamer.DIHYDRO_K1,
            "dihydrophylloquinone": Vitamer.DIHYDRO_K1,
            "mk9(h4)": Vitamer.MK9_4H,
            "mk94h": Vitamer.MK9_4H,
            "叶绿醌": Vitamer.K1,
            "葉綠醌": Vitamer.K1,
        }
    )
    return aliases


_ALIASES: Final[dict[str, Vitamer]] = _build_aliases()


def _default_unit(q: Quantity, base: str) -> str:
    """Return ``base``, or ``base`` per day for a rate (the dimension is already checked)."""
    return f"{base}/day" if "[time]" in q.dimensionality else base


def to_amount(quantity: QuantityLike, vitamer: Vitamer | str, unit: str | None = None) -> Quantity:
    """Convert a mass (or a mass per day) of a vitamer to an amount of substance.

    Dividing by the molar mass is what pint's ``chemistry`` context does for a plain
    mass; done directly it also serves rates such as µg/day.

    Parameters
    ----------
    quantity : str or pint.Quantity [mass] or [mass]/[time]
        For example ``"100 µg"`` or ``Q_(90, "µg/day")``; scalar or array.
    vitamer : Vitamer or str
        The vitamer the mass is of.
    unit : str, optional
        The unit of the result; by default nmol (or nmol/day).

    Returns
    -------
    pint.Quantity [substance] or [substance]/[time]

    Examples
    --------
    >>> to_amount("100 µg", "MK-7")
    <Quantity(154.079..., 'nanomole')>
    >>> to_amount(Q_(45, "mg/day"), Vitamer.MK4, "µmol/day")
    <Quantity(101.201..., 'micromole / day')>
    """
    v = Vitamer.parse(vitamer)
    q = parse_amount(quantity, "quantity", "mass or mass rate")
    target = unit if unit is not None else _default_unit(q, "nmol")
    return _finite(_convert(q / v.molar_mass, target, "an amount of substance"), "to_amount")


def to_mass(quantity: QuantityLike, vitamer: Vitamer | str, unit: str | None = None) -> Quantity:
    """Convert an amount of substance (or per day) of a vitamer to a mass.

    Parameters
    ----------
    quantity : str or pint.Quantity [substance] or [substance]/[time]
        For example ``"154 nmol"``; scalar or array.
    vitamer : Vitamer or str
        The vitamer the amount is of.
    unit : str, optional
        The unit of the result; by default µg (or µg/day).

    Returns
    -------
    pint.Quantity [mass] or [mass]/[time]

    Examples
    --------
    >>> to_mass("1 µmol", Vitamer.K1)
    <Quantity(450.707, 'microgram')>
    """
    v = Vitamer.parse(vitamer)
    q = parse_amount(quantity, "quantity", "substance or rate")
    target = unit if unit is not None else _default_unit(q, "µg")
    return _finite(_convert(q * v.molar_mass, target, "a mass"), "to_mass")


class MK4EquivalentError(K2NutritionError, ValueError):
    """A vitamer that the MK-4-equivalent rule does not count (MK-9, dihydro-K1, ...)."""


def _mk4_equivalent_factors() -> Mapping[Vitamer, float]:
    mk4 = Vitamer.MK4.molar_mass_g_per_mol
    return MappingProxyType(
        {Vitamer.K1: 1.0, Vitamer.MK4: 1.0, Vitamer.MK7: mk4 / Vitamer.MK7.molar_mass_g_per_mol}
    )


#: The one definition of "MK-4 equivalents" in k2nutrition: the Japanese DRIs' and food
#: composition tables' rule for "vitamin K". Phylloquinone and MK-4 count by mass; MK-7 is
#: converted to the mass of MK-4 with as many molecules (x 444.659/649.016 with the molar
#: masses derived here; the tables print 444.7/649.0); no other vitamer is defined.
#: :data:`k2nutrition.measures.JAPAN_MK4_EQ`, :meth:`k2nutrition.VitaminK.in_mk4_equivalents`
#: and :func:`mk4_equivalent` all use these factors.
MK4_EQUIVALENT_FACTORS: Final[Mapping[Vitamer, float]] = _mk4_equivalent_factors()


def mk4_equivalent(quantity: QuantityLike, vitamer: Vitamer | str) -> Quantity:
    """Return ``quantity`` of ``vitamer`` in MK-4 equivalents, by the Japanese rule.

    The Japanese DRIs count vitamin K as phylloquinone and MK-4 by mass plus MK-7
    converted to MK-4 equivalents by molar mass (MK-7 mass x 444.659 / 649.016), as the
    Japanese food composition tables do: :data:`MK4_EQUIVALENT_FACTORS`. Other vitamers
    have no MK-4 equivalent under that rule and are refused; for a conversion by molar
    mass of any vitamer, use :func:`to_amount` and :func:`to_mass`.

    Parameters
    ----------
    quantity : str or pint.Quantity [mass] or [mass]/[time]
    vitamer : Vitamer or str
        K1, MK-4 or MK-7.

    Returns
    -------
    pint.Quantity
        In the units of ``quantity``.

    Raises
    ------
    MK4EquivalentError
        For a vitamer that the rule does not count, such as MK-9.

    Examples
    --------
    >>> mk4_equivalent("90 µg", "MK-7")
    <Quantity(61.66..., 'microgram')>
    >>> mk4_equivalent("10 µg", "K1")
    <Quantity(10.0, 'microgram')>
    >>> to_mass(to_amount("90 µg", "MK-9"), "MK-4")  # a molar conversion instead
    <Quantity(50.96..., 'microgram')>
    """
    v = Vitamer.parse(vitamer)
    q = parse_amount(quantity, "quantity", "mass or mass rate")
    factor = MK4_EQUIVALENT_FACTORS.get(v)
    if factor is None:
        raise MK4EquivalentError(f"vitamer: {_no_mk4_equivalent([v])}")
    return _finite(q * factor, "mk4_equivalent")


def _no_mk4_equivalent(vitamers: list[Vitamer]) -> str:
    """Say that ``vitamers`` have no MK-4 equivalent, and what to use instead."""
    named = ", ".join(v.label for v in vitamers)
    return (
        f"{named} has no MK-4 equivalent: the Japanese rule counts K1 and MK-4 by mass and "
        "MK-7 by molar mass, nothing else; convert by molar mass with to_amount and to_mass"
    )


def _convert(q: Quantity, unit: object, what: str) -> Quantity:
    """Return ``q`` in ``unit``, or raise one of our errors naming the argument ``unit``."""
    if not isinstance(unit, str | pint.Unit):
        raise DimensionError(f"unit needs a unit name such as 'nmol'; got {type(unit).__name__}")
    try:
        converted: Quantity = q.to(unit)
        return converted
    except pint.DimensionalityError:
        raise DimensionError(
            f"unit {unit!r} is not a unit of {what} (or of {what} per day) here"
        ) from None
    except Exception:
        raise DimensionError(f"unit {unit!r} is not a unit this library reads") from None


def _finite(q: Quantity, name: str) -> Quantity:
    finite, _non_negative = _magnitudes_ok(q.magnitude)
    if not finite:
        raise NonFiniteError(f"{name}: the result is too large to be a finite number")
    return q
