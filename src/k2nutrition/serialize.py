"""JSON round trips for k2nutrition's records, through a cattrs converter.

Every record of the library (people, diets, foods, sources, vitamin K profiles, targets,
assessments and check reports) becomes plain JSON data and comes back equal, units and
sources included: ``from_json(to_json(x), type(x)) == x``.

JSON shapes
-----------
quantity
    ``{"magnitude": 40, "units": "gram"}``, the unit in pint's long form. A quantity from
    any pint registry is written this way and read back into this library's registry. A
    numpy array magnitude is written as a (nested) list of numbers and read back as a
    numpy array; magnitudes must be finite real numbers.
vitamer, pool, confidence, status
    Their labels: ``"MK-7"``, ``"total_K"``, ``"high"``, ``"adequacy likely"``.
vitamin K profile
    ``{"kind": "content", "unit": "µg/100 g", "values": {"MK-7": 939.0},
    "pools": {"total_MK": 12.0}}``, numbers in the kind's unit (µg/100 g, µg or µg/day).
    When reading, ``unit`` may be any unit of the right dimension (numbers are then
    converted), ``values`` and ``pools`` may be left out when empty.
guideline
    A reference to the built-in catalogue: ``{"id": "iom-2001", "edition": "..."}``.
diet
    ``{"items": [...]}``, each item tagged with its type:
    ``{"type": "portion", "food": {...}, "amount": {...}, "per": "2/week"}`` or
    ``{"type": "supplement", "nutrient": "MK-7", "dose": {...}, "per": "daily"}``.
    A portion holds its whole food record, so that foods outside the built-in table
    survive; fields computed by a class (such as ``per_day``) are not written.
every other record
    An object with one member per field, named as the field.

Reading is strict: a member of the wrong JSON type, an unknown member, a missing field
or a value a class refuses raises :class:`SerializationError`, whose message names
every bad field by its path (``items[2].dose: ...``).

Examples
--------
>>> from k2nutrition import Diet, Person, Portion, Supplement
>>> from k2nutrition.serialize import from_json, to_json
>>> person = Person(age=55, sex="female", body_weight="62 kg")
>>> text = to_json(person)
>>> text
'{"age": 55.0, "sex": "female", ..., "body_weight": {"magnitude": 62, "units": "kilogram"}, ...}'
>>> from_json(text, Person) == person
True
>>> diet = Diet([Portion("natto", "40 g", per="2/week"), Supplement("MK-7", "90 µg")])
>>> from_json(to_json(diet), Diet) == diet
True
>>> from_json('{"age": -3, "sex": "female"}', Person)
Traceback (most recent call last):
...
k2nutrition.serialize.SerializationError: cannot read a Person: age: age must not be negative...
"""

from __future__ import annotations

import json
import math
import re
import types
import typing
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Final, Literal, TypeVar, cast, get_args, get_origin

import attrs
import pint
from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override
from cattrs.preconf.json import JsonConverter, make_converter

from k2nutrition.checks import Assessment, CheckReport, Status
from k2nutrition.errors import K2NutritionError
from k2nutrition.food import Food, FoodValue, foods
from k2nutrition.guideline import Guideline, GuidelineValue, Target, guidelines
from k2nutrition.intake import Diet, Portion, Supplement
from k2nutrition.people import Person
from k2nutrition.profile import Kind, Pool, VitaminK
from k2nutrition.sources import Confidence, Source
from k2nutrition.units import Q_, Dimension, Quantity, conversion_factor, parse_amount, ureg
from k2nutrition.vitamers import Vitamer

__all__ = [
    "SerializationError",
    "converter",
    "from_json",
    "structure",
    "to_json",
    "unstructure",
]

T = TypeVar("T")

#: A cattrs structure hook: (JSON data, target type) -> object.
_Hook = Callable[[Any, Any], Any]


class SerializationError(K2NutritionError, ValueError):
    """JSON text or data that cannot be read as the requested type, or an unwritable object.

    Parameters
    ----------
    message : str
        The whole message; when reading, it lists every problem as ``path: description``.
    problems : iterable of (str, str), optional
        The problems as ``(path, description)`` pairs, such as
        ``("items[2].dose", "dose needs a mass, ...")``; ``"$"`` is the document itself.

    Attributes
    ----------
    problems : tuple of (str, str)
    """

    def __init__(self, message: str, problems: Iterable[tuple[str, str]] = ()) -> None:
        super().__init__(message)
        self.problems: tuple[tuple[str, str], ...] = tuple(problems)


#: The converter: cattrs' JSON preset, strict, with hooks for k2nutrition's types.
converter: JsonConverter = make_converter(detailed_validation=True, forbid_extra_keys=True)


# -- describing JSON values and building errors -----------------------------------------


def _show(value: object) -> str:
    """Describe a JSON value for an error message."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        shown = value if len(value) <= 60 else value[:57] + "..."
        return f"the string {shown!r}"
    if isinstance(value, int | float):
        return f"the number {value!r}"
    names: dict[type, str] = {dict: "an object", list: "a list", tuple: "a list"}
    return names.get(type(value), f"an object of type {type(value).__name__}")


def _with_field_note(exc: Exception, name: str) -> Exception:
    exc.add_note(AttributeValidationNote(f"Structuring @ attribute {name}", name, None))
    return exc


def _with_index_note(exc: Exception, index: int | str) -> Exception:
    exc.add_note(IterableValidationNote(f"Structuring @ index {index!r}", index, None))
    return exc


_MISSING: Final = object()


class _Members:
    """Read the members of a JSON object one by one, collecting errors field by field."""

    def __init__(self, data: object, what: type, allowed: Sequence[str]) -> None:
        if not isinstance(data, dict):
            raise TypeError(f"expected an object; got {_show(data)}")
        self.data: dict[str, Any] = data
        self.what = what
        self.errors: list[Exception] = []
        extra = set(data) - set(allowed)
        if extra:
            self.errors.append(ForbiddenExtraKeysError(None, what, extra))

    def get(self, name: str, read: Callable[[Any], T], default: Any = _MISSING) -> T:
        """Return ``read(data[name])``; on error, record it and return ``None``."""
        if name not in self.data:
            if default is _MISSING:
                self.errors.append(_with_field_note(KeyError(name), name))
            return cast("T", None if default is _MISSING else default)
        try:
            return read(self.data[name])
        except Exception as exc:  # every failure is reported with the member's path
            self.errors.append(_with_field_note(exc, name))
            return cast("T", None)

    def fail(self, name: str, exc: Exception) -> None:
        """Record an error found in member ``name`` after reading it."""
        self.errors.append(_with_field_note(exc, name))

    def done(self) -> None:
        """Raise every error recorded so far, as one cattrs validation group."""
        if self.errors:
            raise ClassValidationError(
                f"While structuring {self.what.__name__}", self.errors, self.what
            )


def _problems(exc: BaseException, path: str, last: str = "") -> list[tuple[str, str]]:
    """Walk a cattrs validation error into ``(path, description)`` pairs."""
    if isinstance(exc, ForbiddenExtraKeysError):
        allowed = _field_names(exc.cl)
        hint = f" (expected {', '.join(allowed)})" if allowed else ""
        extra = sorted(str(k) for k in exc.extra_fields)
        return [(_join(path, k), f"unknown field{hint}") for k in extra]
    if isinstance(exc, BaseExceptionGroup):
        found: list[tuple[str, str]] = []
        for sub in exc.exceptions:
            sub_path, sub_last = path, last
            notes = [n for n in getattr(sub, "__notes__", ()) if _is_path_note(n)]
            for note in reversed(notes):  # notes are added innermost first
                if isinstance(note, AttributeValidationNote):
                    sub_path, sub_last = _join(sub_path, note.name), note.name
                elif isinstance(note, IterableValidationNote):
                    sub_path, sub_last = f"{sub_path}[{note.index!r}]", ""
            found += _problems(sub, sub_path, sub_last)
        return found
    return [(path or "$", _describe(exc, last))]


def _is_path_note(note: object) -> bool:
    return isinstance(note, AttributeValidationNote | IterableValidationNote)


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _describe(exc: BaseException, field: str) -> str:
    if isinstance(exc, KeyError) and not isinstance(exc, K2NutritionError):
        return "required field missing"
    args = exc.args
    # attrs' validators raise ValueError(message, attribute, ...): show the message only.
    text = args[0] if len(args) > 1 and isinstance(args[0], str) else str(exc)
    text = text or type(exc).__name__
    if field and text.startswith(f"{field}: "):
        text = text[len(field) + 2 :]
    return text


def _field_names(cls: object) -> list[str]:
    if isinstance(cls, type) and attrs.has(cls):
        return [a.name for a in attrs.fields(cls) if a.init]
    return list(_MEMBERS.get(cls, ())) if isinstance(cls, type) else []


def _message(what: str, problems: Sequence[tuple[str, str]]) -> str:
    if len(problems) == 1:
        path, text = problems[0]
        return f"cannot read {what}: {path}: {text}"
    lines = "\n".join(f"  {path}: {text}" for path, text in problems)
    return f"cannot read {what}, {len(problems)} problems:\n{lines}"


def _article(cls: object) -> str:
    name = getattr(cls, "__name__", None) or repr(cls)
    return f"an {name}" if name[:1].lower() in "aeiou" else f"a {name}"


# -- JSON primitives, strictly typed ------------------------------------------------------


def _structure_str(value: Any, _: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected a string; got {_show(value)}")
    return value


def _structure_bool(value: Any, _: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"expected true or false; got {_show(value)}")
    return value


def _structure_int(value: Any, _: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"expected a whole number; got {_show(value)}")
    return value


def _structure_float(value: Any, _: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"expected a number; got {_show(value)}")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"expected a finite number; got {value!r}")
    return number


def _is_union(t: Any) -> bool:
    return get_origin(t) in (typing.Union, types.UnionType)


def _is_optional(t: Any) -> bool:
    args = get_args(t)
    return _is_union(t) and len(args) == 2 and type(None) in args


def _optional_hook(t: Any) -> _Hook:
    inner = next(a for a in get_args(t) if a is not type(None))
    hook = converter.get_structure_hook(inner)

    def structure(value: Any, _: Any) -> Any:
        return None if value is None else hook(value, inner)

    return structure


def _is_literal(t: Any) -> bool:
    return get_origin(t) is Literal


def _literal_hook(t: Any) -> _Hook:
    options = get_args(t)

    def structure(value: Any, _: Any) -> Any:
        for option in options:
            if type(value) is type(option) and value == option:
                return option
        shown = ", ".join(repr(o) for o in options)
        raise ValueError(f"expected one of {shown}; got {_show(value)}")

    return structure


def _is_variadic_tuple(t: Any) -> bool:
    args = get_args(t)
    return get_origin(t) is tuple and len(args) == 2 and args[1] is Ellipsis


def _is_set(t: Any) -> bool:
    return get_origin(t) in (frozenset, set)


def _elements(t: Any, value: Any) -> list[Any]:
    if not isinstance(value, list | tuple):
        raise TypeError(f"expected a list; got {_show(value)}")
    element = get_args(t)[0]
    hook = converter.get_structure_hook(element)
    out: list[Any] = []
    errors: list[Exception] = []
    for i, item in enumerate(value):
        try:
            out.append(hook(item, element))
        except Exception as exc:  # reported with the element's index
            errors.append(_with_index_note(exc, i))
    if errors:
        raise IterableValidationError(f"While structuring {t!r}", errors, tuple)
    return out


def _tuple_hook(t: Any) -> _Hook:
    return lambda value, _: tuple(_elements(t, value))


def _set_hook(t: Any) -> _Hook:
    return lambda value, _: frozenset(_elements(t, value))


def _unstructure_tuple_hook(t: Any) -> Callable[[Any], Any]:
    hook = converter.get_unstructure_hook(get_args(t)[0])
    return lambda value: [hook(v) for v in value]


def _unstructure_set_hook(t: Any) -> Callable[[Any], Any]:
    hook = converter.get_unstructure_hook(get_args(t)[0])

    def unstructure(value: Any) -> list[Any]:
        try:
            ordered = sorted(value)
        except TypeError:
            ordered = list(value)
        return [hook(v) for v in ordered]

    return unstructure


# -- quantities --------------------------------------------------------------------------


def _magnitude_to_json(magnitude: Any) -> Any:
    if isinstance(magnitude, bool):
        raise SerializationError(f"cannot write the magnitude {magnitude!r}: not a number")
    if isinstance(magnitude, int):
        return magnitude
    if isinstance(magnitude, float):
        if not math.isfinite(magnitude):
            raise SerializationError(f"cannot write the magnitude {magnitude!r} as JSON")
        return float(magnitude)
    if type(magnitude).__module__.split(".")[0] == "numpy":
        import numpy as np

        arr = np.asarray(magnitude)
        if arr.dtype.kind not in "iuf":
            raise SerializationError(f"cannot write a magnitude of dtype {arr.dtype} as JSON")
        if not bool(np.isfinite(arr).all()):
            raise SerializationError("cannot write a magnitude holding NaN or infinity as JSON")
        return arr.tolist()
    raise SerializationError(
        f"cannot write a magnitude of type {type(magnitude).__name__} as JSON; "
        "use a float, an int or a numpy array"
    )


def _check_leaves(value: list[Any]) -> None:
    for item in value:
        if isinstance(item, list):
            _check_leaves(item)
        elif isinstance(item, bool) or not isinstance(item, int | float):
            raise TypeError(f"expected a list of numbers; it holds {_show(item)}")
        elif not math.isfinite(item):
            raise ValueError(f"expected finite numbers; got {item!r}")


def _magnitude_from_json(value: Any) -> Any:
    if isinstance(value, list):
        _check_leaves(value)
        import numpy as np

        try:
            arr = np.asarray(value)
        except ValueError:
            raise ValueError("expected a rectangular (nested) list of numbers") from None
        if arr.dtype.kind not in "iuf":
            raise ValueError("expected a rectangular (nested) list of numbers")
        return arr
    number = _structure_float(value, None)
    return value if isinstance(value, int) else number


def _units_from_json(value: Any) -> pint.Unit:
    text = _structure_str(value, None)
    try:
        return cast("pint.Unit", ureg.Unit(text))
    except pint.errors.UndefinedUnitError:
        raise ValueError(f"unknown unit {text!r}") from None
    except Exception:  # pint's parser fails in many ways; all mean the same here
        raise ValueError(f"{text!r} is not a unit") from None


def _unstructure_quantity(q: Quantity) -> dict[str, Any]:
    return {"magnitude": _magnitude_to_json(q.magnitude), "units": f"{q.units:D}"}


def _structure_quantity(value: Any, _: Any) -> Quantity:
    members = _Members(value, pint.Quantity, _MEMBERS[pint.Quantity])
    magnitude = members.get("magnitude", _magnitude_from_json)
    units = members.get("units", _units_from_json)
    members.done()
    return cast("Quantity", Q_(magnitude, units))


# -- vitamers, pools and labelled enums --------------------------------------------------


def _structure_vitamer(value: Any, _: Any) -> Vitamer:
    return Vitamer.parse(_structure_str(value, None))


def _structure_pool(value: Any, _: Any) -> Pool:
    return Pool.parse(_structure_str(value, None))


def _structure_confidence(value: Any, _: Any) -> Confidence:
    return Confidence.parse(_structure_str(value, None))


def _structure_status(value: Any, _: Any) -> Status:
    text = _structure_str(value, None)
    for status in Status:
        if status.value == text:
            return status
    known = ", ".join(repr(s.value) for s in Status)
    raise ValueError(f"unknown status {text!r}; known: {known}")


# -- vitamin K profiles --------------------------------------------------------------------

_KINDS: Final[dict[str, tuple[str, Dimension]]] = {
    "content": ("µg/100 g", "content"),
    "amount": ("µg", "mass"),
    "intake": ("µg/day", "mass rate"),
}


def _unstructure_profile(profile: VitaminK) -> dict[str, Any]:
    out: dict[str, Any] = {
        "kind": profile.kind,
        "unit": _KINDS[profile.kind][0],
        "values": {v.label: _magnitude_to_json(m) for v, m in profile.magnitudes().items()},
        "pools": {p.value: _magnitude_to_json(q.magnitude) for p, q in profile.pools.items()},
    }
    if profile.not_analysed:
        out["not_analysed"] = [v.label for v in Vitamer if v in profile.not_analysed]
    return out


def _vitamer_list(value: Any) -> list[Vitamer]:
    if not isinstance(value, list):
        raise TypeError(f"expected a list of vitamer names; got {_show(value)}")
    return [Vitamer.parse(_structure_str(v, None)) for v in value]


def _profile_factor(kind: Kind, value: Any) -> float:
    text = _structure_str(value, None)
    shown, dimension = _KINDS[kind]
    if text in {shown, f"{VitaminK({}, kind=kind).units:D}"}:
        return 1.0
    try:
        q = parse_amount(f"1 {text}", "unit", dimension)
    except K2NutritionError:
        raise ValueError(
            f"expected a unit of {dimension} such as {shown!r}; got {text!r}"
        ) from None
    return float(q.magnitude) * conversion_factor(q.units, VitaminK({}, kind=kind).units)


def _non_negative(value: Any) -> Any:
    magnitude = _magnitude_from_json(value)
    if bool((magnitude < 0).any() if not isinstance(magnitude, int | float) else magnitude < 0):
        raise ValueError(f"must not be negative; got {value!r}")
    return magnitude


def _entries(value: Any, parse_key: Callable[[str], T]) -> dict[T, Any]:
    if not isinstance(value, dict):
        raise TypeError(f"expected an object of names and numbers; got {_show(value)}")
    out: dict[T, Any] = {}
    errors: list[Exception] = []
    for key, magnitude in value.items():
        try:
            parsed = parse_key(key)
            if parsed in out:
                raise ValueError(f"{parsed} is given twice")
            out[parsed] = _non_negative(magnitude)
        except Exception as exc:  # reported with the entry's key
            errors.append(_with_index_note(exc, key))
    if errors:
        raise IterableValidationError("While structuring a mapping", errors, dict)
    return out


def _structure_profile(value: Any, _: Any) -> VitaminK:
    members = _Members(value, VitaminK, _MEMBERS[VitaminK])
    structure_kind = _literal_hook(Kind)
    kind = members.get("kind", lambda v: structure_kind(v, None))
    factor = 1.0
    if kind is not None:
        factor = members.get("unit", lambda u: _profile_factor(kind, u), default=1.0)
    values = members.get("values", lambda v: _entries(v, Vitamer.parse), default={})
    pools = members.get("pools", lambda v: _entries(v, Pool.parse), default={})
    unknown = members.get("not_analysed", _vitamer_list, default=[])
    members.done()
    if factor != 1.0:
        values = {k: m * factor for k, m in values.items()}
        pools = {k: m * factor for k, m in pools.items()}
    return VitaminK.from_magnitudes(values, kind, pools=pools, not_analysed=unknown)


# -- guidelines, by reference to the built-in catalogue -----------------------------------


def _unstructure_guideline(guideline: Guideline) -> dict[str, str]:
    return {"id": guideline.id, "edition": guideline.edition}


def _structure_guideline(value: Any, _: Any) -> Guideline:
    members = _Members(value, Guideline, _MEMBERS[Guideline])
    found = members.get("id", lambda v: guidelines[_structure_str(v, None)])
    edition = members.get("edition", lambda v: _structure_str(v, None))
    if found is not None and edition is not None and edition != found.edition:
        members.fail(
            "edition",
            ValueError(
                f"the built-in catalogue holds {found.id} in edition {found.edition!r}, "
                f"not {edition!r}"
            ),
        )
    members.done()
    return found


# -- diet items, tagged ----------------------------------------------------------------

_ITEM_TAGS: Final[dict[str, type[Portion | Supplement]]] = {
    "portion": Portion,
    "supplement": Supplement,
}


def _is_item_union(t: Any) -> bool:
    return _is_union(t) and set(get_args(t)) == {Portion, Supplement}


def _structure_item(value: Any, _: Any) -> Portion | Supplement:
    if not isinstance(value, dict):
        raise TypeError(
            f"expected an object with a 'type' of 'portion' or 'supplement'; got {_show(value)}"
        )
    tag = value.get("type", _MISSING)
    cls = _ITEM_TAGS.get(tag) if isinstance(tag, str) else None
    if cls is None:
        error: Exception = (
            KeyError("type")
            if tag is _MISSING
            else ValueError(f"expected 'portion' or 'supplement'; got {_show(tag)}")
        )
        raise ClassValidationError(
            "While structuring a diet item", [_with_field_note(error, "type")], Diet
        )
    rest = {k: v for k, v in value.items() if k != "type"}
    return cast("Portion | Supplement", converter.get_structure_hook(cls)(rest, cls))


def _unstructure_item(item: Portion | Supplement) -> dict[str, Any]:
    tag = "portion" if isinstance(item, Portion) else "supplement"
    return {"type": tag, **converter.unstructure(item, unstructure_as=type(item))}


# -- attrs records -------------------------------------------------------------------------


def _structure_str_or_quantity(value: Any, _: Any) -> str | Quantity:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return _structure_quantity(value, None)
    raise TypeError(
        f"expected a frequency such as '2/week', or a quantity object; got {_show(value)}"
    )


#: Field hooks that replace the hook of the field's type.
_FIELD_HOOKS: Final[dict[type, dict[str, _Hook]]] = {
    Portion: {"per": _structure_str_or_quantity},
    Supplement: {"per": _structure_str_or_quantity, "nutrient": _structure_str},
    FoodValue: {"component": _structure_str},
}

_FIELD_AT_START = re.compile(r"^(?:Length of )?'?(?:[A-Z]\w*\.)?([a-z_]\w*)'?(?=[\s:\[.,;]|$)")


def _field_of(exc: BaseException, names: Sequence[str]) -> str | None:
    """Return the field an error raised by a class's ``__init__`` is about, if it says."""
    for arg in exc.args:
        if isinstance(arg, attrs.Attribute):
            return arg.name
    match = _FIELD_AT_START.match(str(exc))
    if match and match.group(1) in names:
        return match.group(1)
    return None


def _then(hook: _Hook, convert: Callable[[Any], Any]) -> _Hook:
    def structure(value: Any, t: Any) -> Any:
        return convert(hook(value, t))

    return structure


def _record_structure_hook(cls: type) -> _Hook:
    """Build the structure hook of an attrs record.

    Each field is read by the hook of its type and then passed through the field's own
    attrs converter, so that the library's errors name the field; errors raised by the
    class itself (validators, cross-field checks) are filed under the field their
    message names.
    """
    hints = typing.get_type_hints(cls)
    special = _FIELD_HOOKS.get(cls, {})
    overrides: dict[str, Any] = {}
    names: list[str] = []
    for a in attrs.fields(cls):
        if not a.init:
            overrides[a.name] = override(omit=True)
            continue
        names.append(a.name)
        hook = special.get(a.name) or converter.get_structure_hook(hints[a.name])
        convert = getattr(a.converter, "converter", a.converter)  # attrs.Converter wraps one
        plain = not (
            getattr(a.converter, "takes_self", False) or getattr(a.converter, "takes_field", False)
        )
        if convert is not None and plain:
            hook = _then(hook, convert)
        overrides[a.name] = override(struct_hook=hook)
    generated: _Hook = make_dict_structure_fn(
        cls,
        converter,
        _cattrs_forbid_extra_keys=True,
        _cattrs_detailed_validation=True,
        **overrides,
    )

    def structure(value: Any, _: Any) -> Any:
        if not isinstance(value, dict):
            raise TypeError(
                f"expected an object (the fields of {_article(cls)}); got {_show(value)}"
            )
        try:
            made = generated(value, cls)
        except ClassValidationError as exc:
            for sub in exc.exceptions:
                if isinstance(sub, ForbiddenExtraKeysError) or any(
                    _is_path_note(n) for n in getattr(sub, "__notes__", ())
                ):
                    continue
                name = _field_of(sub, names)
                if name is not None:
                    _with_field_note(sub, name)
            raise
        return _builtin_food(made) if cls is Food else made

    return structure


def _builtin_food(food: Food) -> Food:
    """Return the built-in record equal to ``food``, if there is one, else ``food``."""
    builtin = foods.get(food.id)
    return builtin if builtin is not None and builtin.id == food.id and builtin == food else food


def _record_unstructure_hook(cls: type) -> Callable[[Any], Any]:
    omitted: dict[str, Any] = {a.name: override(omit=True) for a in attrs.fields(cls) if not a.init}
    return make_dict_unstructure_fn(cls, converter, **omitted)


_RECORDS: Final = (
    Person,
    Source,
    FoodValue,
    Food,
    Portion,
    Supplement,
    Diet,
    GuidelineValue,
    Target,
    Assessment,
    CheckReport,
)

#: Members of the JSON objects built by hand (not from attrs fields).
_MEMBERS: Final[dict[type, tuple[str, ...]]] = {
    pint.Quantity: ("magnitude", "units"),
    VitaminK: ("kind", "unit", "values", "pools", "not_analysed"),
    Guideline: ("id", "edition"),
}


def _exactly(cls: type) -> Callable[[Any], bool]:
    return lambda t: t is cls


def _configure(c: JsonConverter) -> None:
    for cls, structure_primitive in (
        (str, _structure_str),
        (bool, _structure_bool),
        (int, _structure_int),
        (float, _structure_float),
    ):
        c.register_structure_hook(cls, structure_primitive)
    c.register_structure_hook_factory(_is_optional, _optional_hook)
    c.register_structure_hook_factory(_is_literal, _literal_hook)
    c.register_structure_hook_factory(_is_variadic_tuple, _tuple_hook)
    c.register_structure_hook_factory(_is_set, _set_hook)
    c.register_unstructure_hook_factory(_is_variadic_tuple, _unstructure_tuple_hook)
    c.register_unstructure_hook_factory(_is_set, _unstructure_set_hook)

    c.register_structure_hook(pint.Quantity, _structure_quantity)
    c.register_unstructure_hook(pint.Quantity, _unstructure_quantity)
    c.register_structure_hook(Vitamer, _structure_vitamer)
    c.register_unstructure_hook(Vitamer, lambda v: v.label)
    c.register_structure_hook(Pool, _structure_pool)
    c.register_unstructure_hook(Pool, lambda p: p.value)
    c.register_structure_hook(Confidence, _structure_confidence)
    c.register_unstructure_hook(Confidence, lambda x: x.value)
    c.register_structure_hook(Status, _structure_status)
    c.register_unstructure_hook(Status, lambda s: s.value)
    c.register_structure_hook(VitaminK, _structure_profile)
    c.register_unstructure_hook(VitaminK, _unstructure_profile)
    c.register_structure_hook(Guideline, _structure_guideline)
    c.register_unstructure_hook(Guideline, _unstructure_guideline)
    c.register_structure_hook_factory(_is_item_union, lambda _: _structure_item)
    c.register_unstructure_hook_factory(_is_item_union, lambda _: _unstructure_item)

    for record in _RECORDS:
        c.register_structure_hook_factory(_exactly(record), _record_structure_hook)
        c.register_unstructure_hook_factory(_exactly(record), _record_unstructure_hook)


_configure(converter)


# -- the public functions ------------------------------------------------------------------


def unstructure(obj: object) -> Any:
    """Return ``obj`` as plain JSON data: dicts, lists, strings, numbers, booleans, None.

    Parameters
    ----------
    obj : object
        A record of the library (see the module's list of shapes), a quantity, or a
        container of them.

    Returns
    -------
    dict or list or str or float or int or bool or None

    Raises
    ------
    SerializationError
        For a quantity whose magnitude cannot be written (NaN, infinity, a Fraction, a
        complex number).

    Examples
    --------
    >>> from k2nutrition import Q_
    >>> unstructure(Q_(90, "µg/day"))
    {'magnitude': 90, 'units': 'microgram / day'}
    """
    return converter.unstructure(obj)


def structure(data: Any, cls: type[T]) -> T:
    """Build an object of type ``cls`` from plain JSON data.

    Parameters
    ----------
    data : dict or list or str or float or int or bool or None
        As made by :func:`unstructure` (or by ``json.loads``).
    cls : type
        The type to build, such as ``Person``, ``Diet`` or ``pint.Quantity``.

    Returns
    -------
    cls

    Raises
    ------
    SerializationError
        For data of the wrong shape, or values the class refuses; the message names
        every bad field by its path.

    Examples
    --------
    >>> from k2nutrition import Person
    >>> structure({"age": 30, "sex": "male"}, Person)
    Person(age=30.0, sex='male', ...)
    >>> structure({"age": "thirty", "sex": "male", "pregnant": "no"}, Person)
    Traceback (most recent call last):
    ...
    k2nutrition.serialize.SerializationError: cannot read a Person, 2 problems:
      age: expected a number; got the string 'thirty'
      pregnant: expected true or false; got the string 'no'
    """
    problems: list[tuple[str, str]]
    try:
        return converter.structure(data, cls)
    except (ClassValidationError, IterableValidationError) as exc:
        problems = _problems(exc, "")
    except (K2NutritionError, ValueError, TypeError, LookupError) as exc:
        problems = [("$", _describe(exc, ""))]
    raise SerializationError(_message(_article(cls), problems), problems) from None


def to_json(obj: object, *, indent: int | str | None = None) -> str:
    """Return ``obj`` as JSON text; :func:`from_json` reads it back.

    Parameters
    ----------
    obj : object
        A record of the library, a quantity, or a container of them.
    indent : int or str, optional
        Passed to :func:`json.dumps`; by default the text is on one line.

    Returns
    -------
    str
        Strict JSON (no NaN or infinity); non-ASCII characters such as µ are kept.

    Raises
    ------
    SerializationError
        For an object that cannot be written as JSON.

    Examples
    --------
    >>> from k2nutrition import VitaminK
    >>> to_json(VitaminK({"MK-7": "939 µg/100 g"}))
    '{"kind": "content", "unit": "µg/100 g", "values": {"MK-7": 939.0}, "pools": {}}'
    """
    data = unstructure(obj)
    try:
        return json.dumps(data, indent=indent, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise SerializationError(f"cannot write {_article(type(obj))} as JSON: {exc}") from None


class _NotJsonError(ValueError):
    pass


def _reject_constant(name: str) -> Any:
    raise _NotJsonError(f"{name} is not a JSON number")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _NotJsonError(f"the key {key!r} appears twice in one object")
        out[key] = value
    return out


def from_json(text: str | bytes | bytearray, cls: type[T]) -> T:
    """Read JSON text written by :func:`to_json` as an object of type ``cls``.

    Parameters
    ----------
    text : str or bytes
        The JSON text.
    cls : type
        The type to build, such as ``Person``, ``Diet`` or ``CheckReport``.

    Returns
    -------
    cls

    Raises
    ------
    SerializationError
        For text that is not JSON (or holds NaN, infinity or a repeated key), and for
        data that :func:`structure` refuses; the message names every bad field by path.

    Examples
    --------
    >>> from k2nutrition import Vitamer
    >>> from_json('"MK-7"', Vitamer)
    <Vitamer.MK7: 'MK-7'>
    >>> from_json('{"age": 30,', Vitamer)
    Traceback (most recent call last):
    ...
    k2nutrition.serialize.SerializationError: cannot read a Vitamer: $: not valid JSON: ...
    """
    what = _article(cls)
    if not isinstance(text, str | bytes | bytearray):
        problem = ("$", f"expected JSON text (str or bytes); got {_show(text)}")
        raise SerializationError(_message(what, [problem]), [problem])
    try:
        data = json.loads(text, parse_constant=_reject_constant, object_pairs_hook=_no_duplicates)
    except json.JSONDecodeError as exc:
        reason = f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
    except _NotJsonError as exc:
        reason = f"not valid JSON: {exc}"
    except UnicodeDecodeError as exc:
        reason = f"not valid JSON: the bytes are not UTF-8, -16 or -32 ({exc.reason})"
    else:
        return structure(data, cls)
    raise SerializationError(_message(what, [("$", reason)]), [("$", reason)])
