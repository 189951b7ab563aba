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
import unicodedata
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Final, Literal, NamedTuple, TypeAlias, cast

import pint

from k2nutrition.errors import AmountError, AmountTypeError, DimensionError

if TYPE_CHECKING:
    from pint.registry import ApplicationRegistry

__all__ = [
    "MAX_AMOUNT_LENGTH",
    "Q_",
    "AmountText",
    "Dimension",
    "Quantity",
    "QuantityLike",
    "RefusedUnitError",
    "conversion_factor",
    "format_number",
    "format_quantity",
    "format_unit",
    "parse_amount",
    "parse_unit",
    "split_amount",
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
    "volume rate": ("[length] ** 3 / [time]",),
    "mass or mass rate": ("[mass]", "[mass] / [time]"),
    "substance or rate": ("[substance]", "[substance] / [time]"),
    # Mass per mass (µg/100 g): dimensionless for pint, so also checked by its units.
    "content": ("",),
}

#: The longest amount text that is read; a longer one is refused before it is parsed.
MAX_AMOUNT_LENGTH: Final = 100

_EXAMPLES: Final[dict[str, str]] = {
    "mass": "'40 g'",
    "volume": "'250 mL'",
    "mass or volume": "'40 g' or '250 mL'",
    "time": "'7 months' or '55 years'",
    "frequency": "'2/week'",
    "substance": "'150 nmol'",
    "mass rate": "'90 µg/day'",
    "mass or mass rate": "'90 µg' or '90 µg/day'",
    "substance or rate": "'150 nmol' or '150 nmol/day'",
    "content": "'939 µg/100 g'",
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

# -- the amount grammar -----------------------------------------------------------------
#
# amount   := [sign] number [" "] unit
# number   := digits ["." [digits]] [exponent] | "." digits [exponent]    (ASCII digits)
# exponent := ("e" | "E") ["+" | "-"] digits  |  "×10" superscript digits  (as pint prints)
# unit     := atom | [atom] "/" [number [" "]] atom | atom "/(" number [" "] atom ")"
# atom     := one spelling from _SYMBOLS (case-sensitive) or _WORDS (any case)
#
# "per" between two units is read as "/". Nothing else: no arithmetic, no implicit
# multiplication, no digit separators, no decimal comma.
#
# A number with a non-zero integer part of one to three digits and exactly three digits
# after the point, and no exponent ("1.200", "12.500", "2.125"), is refused: where the
# point separates thousands (de, fr, es, pt, id, ...), "1.200 mg" is 1200 mg. A leading
# zero ("0.125"), fewer or more decimals ("1.2", "1.2500"), four or more integer digits
# ("1234.567", which no thousands grouping writes) or an exponent ("1.200e0") read one way.
# The library's printers (format_number) never write the refused shape.

_NUMBER_RE: Final = r"(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?"
_LEADING_NUMBER: Final = re.compile(rf"(?P<sign>[-+\u2212]?)(?P<number>{_NUMBER_RE})(?P<rest>.*)")
# The scientific notation that pint's pretty format prints ("1×10⁻⁷ g"): one number, read
# as "1e-7" so that what the library prints, it reads back.
_PRETTY_EXPONENT: Final = re.compile(r"([-+\u2212]?[0-9.]+)×10([⁻⁺]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)(?![⁰-⁹])")
_SUPERSCRIPTS: Final = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺", "0123456789-+")
#: A number that reads two ways: decimal point, or thousands separator ("1.200").
_THOUSANDS_OR_DECIMAL: Final = re.compile(r"[1-9][0-9]{0,2}\.[0-9]{3}")
_DIVISOR: Final = re.compile(rf"(?:(?P<number>{_NUMBER_RE}) ?)?(?P<atom>[^\s0-9()/][^()/]*)")
_PER: Final = re.compile(r"(?:^| )per ")

#: Unit symbols, read with their case exactly as written (``Mg`` is not ``mg``).
_SYMBOLS: Final[dict[str, str]] = {
    # mass
    "g": "gram",
    "mg": "milligram",
    "µg": "microgram",  # U+00B5 MICRO SIGN
    "μg": "microgram",  # U+03BC GREEK SMALL LETTER MU
    "ug": "microgram",
    "mcg": "microgram",
    "ng": "nanogram",
    "hg": "hectogram",
    "kg": "kilogram",
    "oz": "ounce",
    "lb": "pound",
    "lbs": "pound",
    "克": "gram",
    "毫克": "milligram",
    "微克": "microgram",
    "纳克": "nanogram",
    "千克": "kilogram",
    "公斤": "kilogram",
    # volume
    "mL": "milliliter",
    "ml": "milliliter",
    "dL": "deciliter",
    "dl": "deciliter",
    "cL": "centiliter",
    "cl": "centiliter",
    "L": "liter",
    "l": "liter",
    "毫升": "milliliter",
    "升": "liter",
    # time
    "y": "year",
    "yr": "year",
    "yrs": "year",
    "mo": "month",
    "wk": "week",
    "wks": "week",
    "d": "day",
    "h": "hour",
    "min": "minute",
    "s": "second",
    "岁": "year",
    "歲": "year",
    "歳": "year",
    "个月": "month",
    "個月": "month",
    "か月": "month",
    "ヶ月": "month",
    "カ月": "month",
    "ケ月": "month",
    "周": "week",
    "週": "week",
    "天": "day",
    "日": "day",
    # amount of substance
    "mol": "mole",
    "mmol": "millimole",
    "µmol": "micromole",
    "μmol": "micromole",
    "umol": "micromole",
    "nmol": "nanomole",
    "pmol": "picomole",
}


def _plurals(*pairs: tuple[str, str]) -> dict[str, str]:
    words: dict[str, str] = {}
    for word, unit in pairs:
        words[word] = unit
        words[word + "s"] = unit
    return words


#: Unit words, read in any case (``Grams``, ``CUP``).
_WORDS: Final[dict[str, str]] = {
    **_plurals(
        ("gram", "gram"),
        ("milligram", "milligram"),
        ("microgram", "microgram"),
        ("nanogram", "nanogram"),
        ("hectogram", "hectogram"),
        ("kilogram", "kilogram"),
        ("ounce", "ounce"),
        ("pound", "pound"),
        ("milliliter", "milliliter"),
        ("millilitre", "milliliter"),
        ("deciliter", "deciliter"),
        ("decilitre", "deciliter"),
        ("centiliter", "centiliter"),
        ("centilitre", "centiliter"),
        ("liter", "liter"),
        ("litre", "liter"),
        ("cup", "cup"),
        ("tablespoon", "tablespoon"),
        ("teaspoon", "teaspoon"),
        ("fluid ounce", "fluid_ounce"),
        ("fluid_ounce", "fluid_ounce"),
        ("year", "year"),
        ("month", "month"),
        ("week", "week"),
        ("day", "day"),
        ("hour", "hour"),
        ("minute", "minute"),
        ("second", "second"),
        ("mole", "mole"),
        ("millimole", "millimole"),
        ("micromole", "micromole"),
        ("nanomole", "nanomole"),
        ("picomole", "picomole"),
    ),
    "tbsp": "tablespoon",
    "tsp": "teaspoon",
    "fl oz": "fluid_ounce",
    "floz": "fluid_ounce",
}

_SYMBOLS_BY_FOLD: Final[dict[str, tuple[str, ...]]] = {}
for _symbol in _SYMBOLS:
    _SYMBOLS_BY_FOLD[_symbol.casefold()] = (*_SYMBOLS_BY_FOLD.get(_symbol.casefold(), ()), _symbol)

#: Spellings refused with a word of explanation, because they mean something else.
_MEANS_OTHER: Final[dict[str, str]] = {
    "Mg": "'Mg' is the megagram (1000 kg); for milligrams write mg",
    "MG": "'MG' is ambiguous (mg is the milligram, Mg the megagram); write mg",
    "ML": "'ML' is the megalitre; for millilitres write mL",
    "G": "'G' is not a unit (it is the giga prefix); for grams write g",
    "IU": "IU (international units) is read only for a vitamin D dose; give a mass such as '25 µg'",
    "iu": "IU (international units) is read only for a vitamin D dose; give a mass such as '25 µg'",
    "%": "a percentage is not read as an amount; give a mass such as '5 g' or a content "
    "such as '5 g/100 g'",
    # Traditional Chinese weights differ by region: refused, never converted.
    "斤": "斤 (jin, catty) is not one weight: the 市斤 of mainland China is 500 g, the 台斤 of "
    "Taiwan 600 g and the catty of Hong Kong about 605 g; write grams (克) or kilograms (公斤)",
    "两": "两 (liang, tael) is not one weight: 50 g in mainland China, 37.5 g in Taiwan and about "
    "37.8 g in Hong Kong; write grams (克)",
    "兩": "兩 (liang, tael) is not one weight: 50 g in mainland China, 37.5 g in Taiwan and about "
    "37.8 g in Hong Kong; write grams (克)",
    "杯": "杯 (a cup) has no one size (a Japanese cup is 200 mL, a US cup about 240 mL); "
    "write millilitres (毫升, mL) or grams (克)",
    "碗": "碗 (a bowl) has no one size; write grams (克) or millilitres (毫升)",
    **dict.fromkeys(
        ("个", "個", "只", "隻", "颗", "顆", "枚", "パック", "each"),
        "a count of pieces has a weight only for a food with one size of piece; give a "
        "mass such as '50 g'",
    ),
}

#: The units read for each dimension, as shown in error messages.
_KNOWN: Final[dict[str, str]] = {
    "mass": "g, mg, µg (mcg, ug), ng, kg, oz, lb, 克, 毫克, 微克, 千克, 公斤",
    "volume": "mL, dL, L, cup, tbsp, tsp, fl oz, 毫升, 升",
    "time": "years (y), months (mo), weeks (wk), days (d), 岁, 个月, 周, 天",
    "substance": "mol, mmol, µmol, nmol, pmol",
}
_KNOWN_FOR: Final[dict[str, tuple[str, ...]]] = {
    "mass": ("mass",),
    "volume": ("volume",),
    "mass or volume": ("mass", "volume"),
    "time": ("time",),
    "frequency": ("time",),
    "substance": ("substance",),
    "mass rate": ("mass", "time"),
    "mass or mass rate": ("mass", "time"),
    "substance or rate": ("substance", "time"),
    "content": ("mass",),
    "unit": ("mass", "volume", "time", "substance"),
}

_FULLWIDTH: Final = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


class RefusedUnitError(AmountError):
    """A unit word that is refused because it means something else or reads several ways.

    ``Mg`` (the megagram, not mg), ``斤`` (500 g in mainland China, 600 g in Taiwan), a
    count such as ``个`` with no food to weigh it.
    """


class AmountText(NamedTuple):
    """An amount text split into its number and its unit word (see :func:`split_amount`)."""

    #: The number: an ``int`` when written with digits only, else a ``float``.
    magnitude: int | float
    #: What follows the number, with runs of whitespace made one space (may be empty).
    unit: str


def split_amount(text: str, name: str, *, allow_negative: bool = False) -> AmountText:
    """Split an amount text into one number and the unit word that follows it, strictly.

    This is the first half of the amount grammar, for code that resolves its own unit
    words (household measures such as ``"1 serving"`` or ``"2 large"`` for a food, or
    ``"1000 IU"`` for vitamin D). The number is digits with an optional decimal point and
    exponent; a decimal comma, digit separators, fractions and arithmetic are refused with
    a hint. The unit word is not checked here.

    Parameters
    ----------
    text : str
        At most :data:`MAX_AMOUNT_LENGTH` characters. Full-width characters (``４０ｇ``)
        are read as their ASCII forms.
    name : str
        The argument's name, for error messages.
    allow_negative : bool, default False
        Whether a leading minus sign is accepted.

    Raises
    ------
    AmountError
        For text that is not one number followed by an optional unit word.

    Examples
    --------
    >>> split_amount("2 large", "amount")
    AmountText(magnitude=2, unit='large')
    >>> split_amount("40克", "amount")
    AmountText(magnitude=40, unit='克')
    >>> split_amount("1,5 g", "amount")
    Traceback (most recent call last):
    ...
    k2nutrition.errors.AmountError: amount: '1,5 g' has a comma in the number; write a ...
    """
    if not isinstance(text, str):
        raise AmountTypeError(f"{name} needs a text such as '40 g'; got {type(text).__name__}")
    if len(text) > MAX_AMOUNT_LENGTH:
        raise AmountError(
            f"{name}: the text is {len(text):,} characters long; an amount is at most "
            f"{MAX_AMOUNT_LENGTH} (one number and one unit, such as '40 g')"
        )
    folded = " ".join(text.translate(_FULLWIDTH).split())
    if not folded:
        raise AmountError(f"{name}: got an empty string; write an amount such as '40 g'")
    if pretty := _PRETTY_EXPONENT.match(folded):
        exponent = pretty.group(2).translate(_SUPERSCRIPTS)
        folded = f"{pretty.group(1)}e{exponent}{folded[pretty.end() :]}"
    match = _LEADING_NUMBER.fullmatch(folded)
    if match is None:
        raise AmountError(f"{name}: {text!r} {_no_number_reason(folded)}")
    sign, number, rest = match.group("sign", "number", "rest")
    _refuse_after_number(text, rest, name)
    if _THOUSANDS_OR_DECIMAL.fullmatch(number):
        decimal, thousands = sign + _unambiguous(number), sign + number.replace(".", "")
        unit = f" {rest.strip()}" if rest.strip() else ""
        raise AmountError(
            f"{name}: {text!r} can be read two ways (the point may be a decimal point or a "
            f"thousands separator); write {decimal}{unit} or {thousands}{unit}"
        )
    if sign == "+":
        raise AmountError(f"{name}: {text!r} has a '+' sign; write the amount without it")
    magnitude: int | float = int(number) if number.isdigit() else float(number)
    if not math.isfinite(magnitude):
        raise AmountError(f"{name}: {text!r} is too large to be a finite number")
    if sign:
        if not allow_negative:
            raise AmountError(f"{name}: {text!r} is negative")
        magnitude = -magnitude
    return AmountText(magnitude, rest.strip())


def _unambiguous(number: str) -> str:
    """Write a decimal number so that it cannot be read as thousands ("1.200" -> "1.2")."""
    sign = number[:1] if number[:1] in "-\u2212" else ""
    digits = number[len(sign) :]
    if not _THOUSANDS_OR_DECIMAL.fullmatch(digits):
        return number
    short = digits.rstrip("0").rstrip(".")
    # "2.125": no zero to drop, so one is added; four decimals are never thousands
    return sign + (short if short != digits else digits + "0")


def format_number(value: Any, digits: int | None = None) -> str:
    """Write a magnitude as text that :func:`parse_amount` reads back as one number.

    ``digits`` significant figures (``:g`` formatting), or Python's shortest exact form
    when ``None``. A number that would read two ways (``1.125``: a decimal point, or a
    thousands separator) gets a fourth decimal, ``1.1250``, which is the same number.

    Examples
    --------
    >>> format_number(1.2), format_number(1.125), format_number(1.12549, 4)
    ('1.2', '1.1250', '1.1250')
    >>> format_number(0.125), format_number(1125.0), format_number(40)
    ('0.125', '1125.0', '40')
    """
    if isinstance(value, bool):
        raise TypeError("a magnitude is not True or False")
    if isinstance(value, numbers.Integral):
        return str(int(value))
    text = f"{value}" if digits is None else f"{value:.{digits}g}"
    return _unambiguous(text)


#: Unit symbols that pint prints and the grammar does not read, and what it reads instead.
_PRINTED_AS: Final = {"cp": "cup", "a": "year"}


def format_quantity(q: Quantity, digits: int | None = None) -> str:
    """Write a quantity as an amount text that :func:`parse_amount` reads back.

    The magnitude by :func:`format_number`, the unit in pint's short form, except the
    symbols the grammar does not read (pint's ``cp`` for the cup, ``a`` for the year).

    Examples
    --------
    >>> format_quantity(Q_(2.125, "g")), format_quantity(Q_(90, "µg/day"))
    ('2.1250 g', '90 µg/d')
    >>> format_quantity(Q_(85.04856937500001, "g"), 4), format_quantity(Q_(1, "cup"))
    ('85.05 g', '1 cup')
    """
    return f"{format_number(q.magnitude, digits)} {format_unit(q.units)}".rstrip()


def format_unit(unit: Any) -> str:
    """Write a unit in pint's short form as the amount grammar reads it (``cup``, not ``cp``).

    Examples
    --------
    >>> format_unit("cup"), format_unit("microgram / day"), format_unit("milliliter")
    ('cup', 'µg/d', 'ml')
    """
    text = f"{ureg.Unit(unit) if isinstance(unit, str) else unit:~P}"
    return re.sub(r"[^\W\d]+", lambda m: _PRINTED_AS.get(m.group(), m.group()), text)


def _no_number_reason(folded: str) -> str:
    if folded.lstrip("+-").casefold().startswith(("nan", "inf")):
        return "is not a finite number"
    if not any(c.isdigit() for c in folded):
        if any(unicodedata.numeric(c, None) is not None for c in folded):
            return "has no number in digits; write it with the digits 0-9, as in '0.5 cup'"
        return "has no number; write one number and one unit, such as '40 g'"
    if folded[0].isdigit():  # a digit outside 0-9, such as an Arabic-Indic digit
        return "has digits other than 0-9; write the number with the digits 0-9"
    return "does not start with a number; write the number first, then the unit, as in '40 g'"


def _refuse_after_number(text: str, rest: str, name: str) -> None:
    """Refuse what may follow a number but would make the amount mean two things."""
    head = rest.lstrip()
    if not head:
        return
    after = head[1:].lstrip()[:1]
    reason = ""
    if head[0] == ",":
        reason = (
            "has a comma in the number; write a decimal point (1.5, not 1,5) and no digit "
            "separators (1500, not 1,500)"
        )
    elif head[0] in "_'" or head[0].isdigit():
        reason = "has digit separators or two numbers; write one number, such as '1500 g'"
    elif head[0] == "/" and after.isdigit():
        reason = "is a fraction; write it as one decimal number, such as '0.5 cup'"
    elif head[0] in "*×^+()" or (head[0] in "xX-\u2212~" and (after.isdigit() or after == ".")):
        reason = "is arithmetic or a range; write one number and one unit, such as '40 g'"
    elif head[0] == ".":
        reason = "is not one number; write a number such as '1.5'"
    if reason:
        raise AmountError(f"{name}: {text!r} {reason}")


def _atom(word: str, text: str, need: str, dimension: str) -> str:
    """Return the pint unit name of one unit spelling, or raise."""
    found = _SYMBOLS.get(word) or _WORDS.get(word.casefold())
    if found is not None:
        return found
    if any(c.isdigit() or c in "+*^×=" for c in word):
        raise AmountError(
            f"{need}; {text!r} is not one number and one unit (no arithmetic, no second amount)"
        )
    if word in _MEANS_OTHER:
        raise RefusedUnitError(f"{need}; in {text!r}, {_MEANS_OTHER[word]}")
    same_letters = _SYMBOLS_BY_FOLD.get(word.casefold())
    if same_letters:
        raise AmountError(
            f"{need}; in {text!r}, unit symbols are case-sensitive and {word!r} is not one; "
            f"write {' or '.join(same_letters)}"
        )
    known = "; ".join(_KNOWN[k] for k in _KNOWN_FOR[dimension])
    raise AmountError(f"{need}; {text!r} has an unknown unit {word!r} (units read: {known})")


def _read_unit(unit: str, text: str, need: str, dimension: str) -> tuple[float | None, str]:
    """Return (divisor or None, pint unit expression) for the unit part of an amount."""
    unit = _PER.sub("/", unit)
    if "/" not in unit:
        if "(" in unit or ")" in unit:
            raise AmountError(f"{need}; could not read {text!r}: it has brackets")
        return None, _atom(unit, text, need, dimension)
    top, _slash, bottom = unit.partition("/")
    top, bottom = top.strip(), bottom.strip()
    if bottom.startswith("(") and bottom.endswith(")"):
        bottom = bottom[1:-1].strip()
    match = _DIVISOR.fullmatch(bottom)
    if "/" in bottom or "(" in top or ")" in top or match is None:
        raise AmountError(
            f"{need}; could not read the unit of {text!r}: write one unit, or one unit per "
            "another, such as 'µg/100 g' or 'µg/day'"
        )
    numerator = _atom(top, text, need, dimension) if top else "1"
    denominator = _atom(match.group("atom").strip(), text, need, dimension)
    divisor: float | None = None
    if match.group("number") is not None:
        if _THOUSANDS_OR_DECIMAL.fullmatch(match.group("number")):
            number = match.group("number")
            raise AmountError(
                f"{need}; {text!r} divides by {number}, which can be read two ways (the point "
                f"may be a decimal point or a thousands separator); write "
                f"{_unambiguous(number)} or {number.replace('.', '')}"
            )
        divisor = float(match.group("number"))
        if not (math.isfinite(divisor) and divisor > 0):
            raise AmountError(f"{need}; {text!r} divides by {match.group('number')}")
    return divisor, f"{numerator} / {denominator}"


def parse_unit(text: str, name: str) -> pint.Unit:
    """Read a unit alone (``"µg/day"``, ``"mg"``, ``"cup"``) by the amount grammar, or raise.

    The unit part of the grammar of :func:`parse_amount`: one spelling of the allow-list,
    or one per another; no number, so ``"µg/100 g"`` (an amount per 100 g) is not a unit.
    Nothing is read through pint's own parser, whose aliases read ``"ct"`` as the carat
    and ``"pc"`` as the parsec.

    Raises
    ------
    AmountError
        For text that is not one unit of the allow-list.

    Examples
    --------
    >>> parse_unit("µg/day", "units")
    <Unit('microgram / day')>
    >>> parse_unit("ct", "units")
    Traceback (most recent call last):
    ...
    k2nutrition.errors.AmountError: units needs a unit, e.g. 'µg/day'; 'ct' has an unknown unit...
    """
    if not isinstance(text, str):
        raise AmountTypeError(f"{name} needs a unit such as 'µg/day'; got {type(text).__name__}")
    folded = " ".join(text.translate(_FULLWIDTH).split())
    need = f"{name} needs a unit, e.g. 'µg/day'"
    if not folded or len(folded) > MAX_AMOUNT_LENGTH:
        raise AmountError(f"{need}; got {text[:MAX_AMOUNT_LENGTH]!r}")
    divisor, expression = _read_unit(folded, text, need, "unit")
    if divisor is not None:
        raise AmountError(f"{need}; {text!r} divides by a number: it is an amount, not a unit")
    return cast("pint.Unit", ureg.Unit(expression))


# A quantity from another registry is rebuilt from its unit name, which this registry may
# not know; pint can fail with many exception types, and each becomes one DimensionError.
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
    unit_hint: str | None = None,
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
    unit_hint : str, optional
        The unit that error messages suggest (``"kg"`` for a body weight), instead of the
        dimension's usual ones.

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
    example = _EXAMPLES[dimension] if unit_hint is None else f"'70 {unit_hint}'"
    hints = _UNIT_HINT[dimension] if unit_hint is None else f"'{{n}} {unit_hint}'"
    need = f"{name} needs a {dimension}, e.g. {example}"
    q: Quantity
    if isinstance(value, str):
        if not value.translate(_FULLWIDTH).strip():
            raise AmountError(f"{name}: got an empty string; write an amount such as {example}")
        magnitude, unit = split_amount(value, name, allow_negative=allow_negative)
        if not unit:
            hint = hints.format(n=" ".join(value.split()))
            raise AmountTypeError(f"{need}; got {value!r}, a number without a unit. Write {hint}")
        divisor, expression = _read_unit(unit, value, need, dimension)
        if divisor is not None:
            magnitude = magnitude / divisor
        q = Q_(magnitude, expression)
    elif isinstance(value, pint.Quantity):
        q = _adopt(value, name, need)
    elif _is_bare_number(value):
        shown = value if isinstance(value, numbers.Number) else type(value).__name__
        hint = hints.format(n=shown)
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
        elif dimension in {"mass", "mass or volume"} and q.dimensionality in (
            ureg.get_dimensionality("[mass] / [time]"),
            ureg.get_dimensionality("[length] ** 3 / [time]"),
        ):  # "40 g/day": the frequency belongs apart
            alone = value.partition("/")[0].partition(" per ")[0] if isinstance(value, str) else ""
            alone = f", '{alone.strip()}'," if alone.strip() else ""
            extra = f" (give the amount alone{alone} and how often apart, such as '2/week')"
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
