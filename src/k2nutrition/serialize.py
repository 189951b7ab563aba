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
    converted) and is required when there is a number; ``values`` and ``pools`` may be
    left out when empty; a vitamer in ``values`` must not be in ``not_analysed`` too.
units
    pint's long form as written here (``"microgram / day"``), or a unit of the amount
    grammar (``"µg/day"``); pint's other aliases (``"ct"``, the carat) are refused.
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

Reading is strict: a member of the wrong JSON type, an unknown member, a missing field,
a value a class refuses, a negative intake or a ``units`` text that is not a unit (such
as ``"2 mg"``) raises :class:`SerializationError`, whose message names every bad field by
its path (``items[2].dose: ...``). The paths come from cattrs' own validation
(:func:`cattrs.transform_error`); the hooks here are only those for k2nutrition's own
shapes: quantities, vitamin K profiles, the guideline reference and the diet item tag.

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
from collections.abc import Callable, Iterable, Sequence
from collections.abc import Set as AbstractSet
from typing import Any, Final, Literal, NewType, TypeVar, cast, get_args, get_origin

import attrs
import pint
from cattrs import transform_error
from cattrs.cols import homogenous_tuple_structure_factory, is_any_set, is_sequence
from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.gen import make_dict_structure_fn, override
from cattrs.preconf.json import JsonConverter, make_converter

from k2nutrition.checks import Assessment, CheckReport, Status
from k2nutrition.errors import K2NutritionError
from k2nutrition.food import Food, FoodValue, foods
from k2nutrition.guideline import Guideline, GuidelineValue, Target, guidelines
from k2nutrition.intake import Diet, Portion, Supplement
from k2nutrition.people import Person
from k2nutrition.profile import Kind, Pool, VitaminK
from k2nutrition.sources import Confidence, Source
from k2nutrition.units import Q_, Dimension, Quantity, conversion_factor, parse_unit, ureg
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


def _sorted_list(values: AbstractSet[Any]) -> list[Any]:
    try:
        return sorted(values)
    except TypeError:
        return list(values)


#: The converter: cattrs' JSON preset, strict, with hooks for k2nutrition's types.
converter: JsonConverter = make_converter(
    detailed_validation=True,
    forbid_extra_keys=True,
    unstruct_collection_overrides={AbstractSet: _sorted_list, tuple: list},
)


# -- errors: cattrs' paths, our descriptions ------------------------------------------------


def _show(value: object) -> str:
    """Describe a JSON value for an error message."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f"the string {value if len(value) <= 60 else value[:57] + '...'!r}"
    if isinstance(value, int | float):
        return f"the number {value!r}"
    names: dict[type, str] = {dict: "an object", list: "a list", tuple: "a list"}
    return names.get(type(value), f"an object of type {type(value).__name__}")


def _in_field(exc: Exception, name: str) -> Exception:
    """Mark ``exc`` as raised by field ``name``, for cattrs' error paths."""
    exc.add_note(AttributeValidationNote(f"Structuring @ attribute {name}", name, None))
    return exc


def _fail(cls: type, errors: Sequence[Exception]) -> None:
    if errors:
        raise ClassValidationError(f"While structuring {cls.__name__}", list(errors), cls)


_EXTRA: Final = "\0"  # separates the names of unknown fields in a description


def _describe(exc: BaseException, _type: object = None) -> str:
    """Describe one error (cattrs' ``format_exception``): the library's own message."""
    if isinstance(exc, ForbiddenExtraKeysError):
        allowed = [a.name for a in attrs.fields(exc.cl) if a.init] if attrs.has(exc.cl) else []
        hint = f" (expected {', '.join(allowed)})" if allowed else ""
        return _EXTRA.join([f"unknown field{hint}", *sorted(map(str, exc.extra_fields))])
    if isinstance(exc, KeyError) and not isinstance(exc, K2NutritionError):
        return "required field missing"
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    args = exc.args
    # attrs' validators raise ValueError(message, attribute, ...): show the message only
    text = args[0] if len(args) > 1 and isinstance(args[0], str) else str(exc)
    return text or type(exc).__name__


def _problems(exc: BaseException) -> list[tuple[str, str]]:
    """Turn a cattrs validation error into ``(path, description)`` pairs."""
    found = []
    for line in transform_error(exc, "$", _describe):
        text, _at, path = line.rpartition(" @ ")
        path = path.removeprefix("$").removeprefix(".") or "$"
        if _EXTRA in text:
            text, *names = text.split(_EXTRA)
            found += [(name if path == "$" else f"{path}.{name}", text) for name in names]
            continue
        last = path.rpartition(".")[2]
        found.append((path, text.removeprefix(f"{last}: ") if last != "$" else text))
    return found


def _message(what: str, problems: Sequence[tuple[str, str]]) -> str:
    if len(problems) == 1:
        path, text = problems[0]
        return f"cannot read {what}: {path}: {text}"
    lines = "\n".join(f"  {path}: {text}" for path, text in problems)
    return f"cannot read {what}, {len(problems)} problems:\n{lines}"


def _article(cls: object) -> str:
    name = getattr(cls, "__name__", None) or repr(cls)
    return f"an {name}" if name[:1].lower() in "aeiou" else f"a {name}"


# -- JSON scalars, strictly typed (cattrs' preset would turn "30" into 30) --------------


def _strict(kind: type | tuple[type, ...], expected: str) -> Callable[[Any, Any], Any]:
    def structure(value: Any, _: Any) -> Any:
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
            raise TypeError(f"expected {expected}; got {_show(value)}")
        return value

    return structure


_structure_str = _strict(str, "a string")


def _structure_float(value: Any, _: Any) -> float:
    number = float(_strict((int, float), "a number")(value, None))
    if not math.isfinite(number):
        raise ValueError(f"expected a finite number; got {value!r}")
    return number


def _literal_hook(t: Any) -> Callable[[Any, Any], Any]:
    options = get_args(t)

    def structure(value: Any, _: Any) -> Any:
        for option in options:
            if type(value) is type(option) and value == option:
                return option
        shown = ", ".join(repr(o) for o in options)
        raise ValueError(f"expected one of {shown}; got {_show(value)}")

    return structure


def _lists_only(make: Callable[[Any], Callable[[Any, Any], Any]]) -> Any:
    """Wrap cattrs' hook for a collection so that it reads JSON lists only (not strings)."""

    def factory(t: Any) -> Callable[[Any, Any], Any]:
        hook = make(t)

        def structure(value: Any, t: Any) -> Any:
            if not isinstance(value, list):
                raise TypeError(f"expected a list; got {_show(value)}")
            return hook(value, t)

        return structure

    return factory


def _tuple_of(t: Any) -> Callable[[Any, Any], Any]:
    element: Any = get_args(t)[0]
    return homogenous_tuple_structure_factory(cast("type", tuple[element, ...]), converter)


def _set_of(t: Any) -> Callable[[Any, Any], Any]:
    as_tuple = _tuple_of(t)
    return lambda value, _: frozenset(as_tuple(value, None))


# -- quantities: {"magnitude": ..., "units": ...} ------------------------------------------

#: A JSON magnitude: a finite number, or a rectangular nested list of them (numpy array).
_Magnitude = NewType("_Magnitude", object)
#: The name of a unit, and only a unit: ``"2 mg"`` is a quantity, not a unit.
_Unit = NewType("_Unit", object)


@attrs.frozen
class _QuantityData:
    magnitude: _Magnitude
    units: _Unit


def _magnitude_from_json(value: Any, _: Any = None) -> Any:
    if not isinstance(value, list):
        number = _structure_float(value, None)
        return value if isinstance(value, int) else number
    import numpy as np

    try:
        arr = np.asarray(value)  # numpy refuses ragged lists and nesting beyond 64
    except ValueError:
        arr = np.asarray("ragged")
    if arr.dtype.kind not in "iuf" or not bool(np.isfinite(arr).all()):
        raise ValueError("expected a rectangular (nested) list of finite numbers")
    return arr


def _unit_from_json(value: Any, _: Any = None) -> pint.Unit:
    """Read a unit: pint's long form, as :func:`to_json` writes it, or the amount grammar's.

    Nothing else: pint's parser alone reads aliases such as ``"ct"`` (the carat) or
    ``"pc"`` (the parsec), which a JSON writer may have meant as a count or a piece.
    """
    text = _structure_str(value, None)
    try:
        unit = ureg.Unit(text)
        if f"{unit:D}" == " ".join(text.split()):
            return cast("pint.Unit", unit)
    except Exception:  # pint's parser fails in many ways; the grammar below says why
        pass
    try:
        return parse_unit(text, "units")
    except K2NutritionError:
        if any(c.isdigit() or c in "*^+()" for c in text):
            raise ValueError(f"{text!r} is not a unit") from None
        raise ValueError(
            f"unknown unit {text!r}; write pint's long form, as to_json does "
            "('microgram / day'), or a unit such as 'µg/day'"
        ) from None


def _magnitude_to_json(magnitude: Any) -> Any:
    if isinstance(magnitude, int | float) and not isinstance(magnitude, bool):
        if not math.isfinite(magnitude):
            raise SerializationError(f"cannot write the magnitude {magnitude!r} as JSON")
        return magnitude
    if type(magnitude).__module__.split(".")[0] == "numpy":
        import numpy as np

        arr = np.asarray(magnitude)
        if arr.dtype.kind not in "iuf":
            raise SerializationError(f"cannot write a magnitude of dtype {arr.dtype} as JSON")
        if not bool(np.isfinite(arr).all()):
            raise SerializationError("cannot write a magnitude holding NaN or infinity as JSON")
        return arr.tolist()
    raise SerializationError(
        f"cannot write the magnitude {magnitude!r} (a {type(magnitude).__name__}) as JSON; "
        "use a float, an int or a numpy array"
    )


def _unstructure_quantity(q: Quantity) -> dict[str, Any]:
    return {"magnitude": _magnitude_to_json(q.magnitude), "units": f"{q.units:D}"}


def _structure_quantity(value: Any, _: Any) -> Quantity:
    data = converter.structure(value, _QuantityData)
    return cast("Quantity", Q_(data.magnitude, data.units))


def _non_negative_quantity(value: Any, _: Any) -> Quantity:
    q = _structure_quantity(value, None)
    if bool((q.magnitude < 0).any() if hasattr(q.magnitude, "any") else q.magnitude < 0):
        raise ValueError(f"must not be negative; got {q.magnitude!r} {q.units:~P}")
    return q


# -- vitamers, pools and labelled enums -----------------------------------------------------


def _label_hook(parse: Callable[[str], T]) -> Callable[[Any, Any], T]:
    return lambda value, _: parse(_structure_str(value, None))


def _status(text: str) -> Status:
    for status in Status:
        if status.value == text:
            return status
    known = ", ".join(repr(s.value) for s in Status)
    raise ValueError(f"unknown status {text!r}; known: {known}")


# -- vitamin K profiles ------------------------------------------------------------------------

_KINDS: Final[dict[str, tuple[str, Dimension]]] = {
    "content": ("µg/100 g", "content"),
    "amount": ("µg", "mass"),
    "intake": ("µg/day", "mass rate"),
}
_Entries = NewType("_Entries", dict)  # type: ignore[type-arg]
_PoolEntries = NewType("_PoolEntries", dict)  # type: ignore[type-arg]


@attrs.frozen
class _ProfileData:
    kind: Kind
    unit: str | None = None
    values: _Entries = attrs.field(factory=lambda: _Entries({}))
    pools: _PoolEntries = attrs.field(factory=lambda: _PoolEntries({}))
    not_analysed: tuple[Vitamer, ...] = ()


def _entries(parse_key: Callable[[str], Any]) -> Callable[[Any, Any], dict[Any, Any]]:
    """Read ``{"MK-7": 939}``: each name once (``"mk7"`` and ``"MK-7"`` are one), no negatives."""

    def structure(value: Any, _: Any) -> dict[Any, Any]:
        if not isinstance(value, dict):
            raise TypeError(f"expected an object of names and numbers; got {_show(value)}")
        out: dict[Any, Any] = {}
        errors: list[Exception] = []
        for key, magnitude in value.items():
            try:
                parsed = parse_key(key)
                if parsed in out:
                    raise ValueError(f"{parsed} is given twice")
                number = _magnitude_from_json(magnitude)
                if bool((number < 0).any() if hasattr(number, "any") else number < 0):
                    raise ValueError(f"must not be negative; got {magnitude!r}")
                out[parsed] = number
            except Exception as exc:  # reported with the entry's key
                exc.add_note(IterableValidationNote(f"Structuring @ key {key!r}", key, None))
                errors.append(exc)
        if errors:
            raise IterableValidationError("While structuring a mapping", errors, dict)
        return out

    return structure


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


def _profile_factor(kind: Kind, text: str) -> float:
    """Return the factor from ``text`` (a unit, never an amount) to the kind's own unit."""
    shown, dimension = _KINDS[kind]
    own = VitaminK({}, kind=kind).units
    if text in {shown, f"{own:D}"}:
        return 1.0
    try:
        unit = _unit_from_json(text)
        return conversion_factor(unit, own)
    except (ValueError, K2NutritionError, pint.errors.PintError):
        raise ValueError(
            f"expected a unit of {dimension} such as {shown!r}; got {text!r}"
        ) from None


def _structure_profile(value: Any, _: Any) -> VitaminK:
    data = converter.structure(value, _ProfileData)
    factor = 1.0
    errors: list[Exception] = []
    if data.unit is not None:
        try:
            factor = _profile_factor(data.kind, data.unit)
        except ValueError as exc:
            errors.append(_in_field(exc, "unit"))
    elif data.values or data.pools:  # numbers without their unit: µg, or mg, or ...?
        shown = _KINDS[data.kind][0]
        missing = ValueError(
            f"required field missing: the numbers of values and pools need their unit, "
            f"such as {shown!r}"
        )
        errors.append(_in_field(missing, "unit"))
    both = [v for v in data.not_analysed if v in data.values]
    if both:
        names = ", ".join(v.label for v in both)
        errors.append(
            _in_field(
                ValueError(
                    f"{names} has a value in values and is listed as not analysed; "
                    "a vitamer is one or the other"
                ),
                "not_analysed",
            )
        )
    _fail(VitaminK, errors)
    values = {k: m * factor for k, m in data.values.items()}
    pools = {k: m * factor for k, m in data.pools.items()}
    return VitaminK.from_magnitudes(values, data.kind, pools=pools, not_analysed=data.not_analysed)


# -- guidelines, by reference to the built-in catalogue ---------------------------------------


@attrs.frozen
class _GuidelineRef:
    id: str
    edition: str


def _structure_guideline(value: Any, _: Any) -> Guideline:
    ref = converter.structure(value, _GuidelineRef)
    try:
        found = guidelines[ref.id]
    except LookupError as exc:
        _fail(Guideline, [_in_field(exc, "id")])
        raise  # pragma: no cover - _fail raised
    if ref.edition != found.edition:
        error = ValueError(
            f"the built-in catalogue holds {found.id} in edition {found.edition!r}, "
            f"not {ref.edition!r}"
        )
        _fail(Guideline, [_in_field(error, "edition")])
    return found


# -- diet items, tagged with their type ----------------------------------------------------------

_ITEM_TAGS: Final[dict[str, type[Portion | Supplement]]] = {
    "portion": Portion,
    "supplement": Supplement,
}


def _structure_item(value: Any, _: Any) -> Portion | Supplement:
    if not isinstance(value, dict):
        raise TypeError(
            f"expected an object with a 'type' of 'portion' or 'supplement'; got {_show(value)}"
        )
    tag = value.get("type")
    cls = _ITEM_TAGS.get(tag) if isinstance(tag, str) else None
    if cls is None:
        error: Exception = (
            KeyError("type")
            if "type" not in value
            else ValueError(f"expected 'portion' or 'supplement'; got {_show(tag)}")
        )
        _fail(Diet, [_in_field(error, "type")])
    rest = {k: v for k, v in value.items() if k != "type"}
    return cast("Portion | Supplement", converter.structure(rest, cast("type", cls)))


def _unstructure_item(item: Portion | Supplement) -> dict[str, Any]:
    tag = "portion" if isinstance(item, Portion) else "supplement"
    return {"type": tag, **converter.unstructure(item, unstructure_as=type(item))}


# -- attrs records: cattrs' generated hooks, errors of __init__ filed under their field ------


def _per(value: Any, _: Any) -> str | Quantity:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return _structure_quantity(value, None)
    raise TypeError(
        f"expected a frequency such as '2/week', or a quantity object; got {_show(value)}"
    )


#: Field hooks that replace the hook of the field's type.
_FIELD_HOOKS: Final[dict[type, dict[str, Callable[[Any, Any], Any]]]] = {
    Portion: {"per": _per},
    Supplement: {"per": _per, "nutrient": _structure_str},
    FoodValue: {"component": _structure_str},
    Assessment: {
        "intake": _non_negative_quantity,
        "gap": lambda v, _: None if v is None else _non_negative_quantity(v, None),
        "unattributed": lambda v, _: None if v is None else _non_negative_quantity(v, None),
    },
}


def _field_of(exc: BaseException, names: Sequence[str]) -> str | None:
    """Return the field that an error raised by a class's ``__init__`` is about."""
    for arg in exc.args:
        if isinstance(arg, attrs.Attribute):  # attrs' validators pass the attribute
            return arg.name
    text = str(exc).removeprefix("Length of ").lstrip("'")
    head = text.split(".", 1)[1] if text[:1].isupper() and "." in text[:40] else text
    word = head.split(":")[0].split("'")[0].split(" ")[0]  # "Food.content must..." too
    return word if word in names else None


def _then(hook: Callable[[Any, Any], Any], convert: Any) -> Callable[[Any, Any], Any]:
    takes = getattr(convert, "takes_self", False) or getattr(convert, "takes_field", False)
    return hook if takes else lambda value, t: convert(hook(value, t))


def _record_hook(cls: type) -> Callable[[Any, Any], Any]:
    special = _FIELD_HOOKS.get(cls, {})
    hooks = {}
    for a in attrs.fields(attrs.resolve_types(cls)):
        convert = getattr(a.converter, "converter", a.converter)  # attrs.Converter wraps one
        if a.init and (a.name in special or convert is not None):
            # the type's hook, then the field's converter: its errors get the field's path
            hook = special.get(a.name) or converter.get_structure_hook(a.type)
            hooks[a.name] = hook if convert is None else _then(hook, convert)
    overrides: dict[str, Any] = {name: override(struct_hook=h) for name, h in hooks.items()}
    generated: Callable[[Any, Any], Any] = make_dict_structure_fn(
        cls,
        converter,
        _cattrs_forbid_extra_keys=True,
        _cattrs_detailed_validation=True,
        **overrides,
    )
    names = [a.name for a in attrs.fields(cls) if a.init]

    def structure(value: Any, _: Any) -> Any:
        if not isinstance(value, dict):
            fields = "" if cls.__name__[0] == "_" else f" (the fields of {_article(cls)})"
            raise TypeError(f"expected an object{fields}; got {_show(value)}")
        try:
            made = generated(value, cls)
        except ClassValidationError as exc:  # errors of __init__ come without a path: add it
            for sub in exc.exceptions:
                notes = getattr(sub, "__notes__", ())
                if not isinstance(sub, ForbiddenExtraKeysError) and not any(
                    isinstance(n, AttributeValidationNote | IterableValidationNote) for n in notes
                ):
                    name = _field_of(sub, names)
                    if name is not None:
                        _in_field(sub, name)
            raise
        if cls is Food:  # the built-in record itself, when it is one
            builtin = foods.get(made.id)
            return builtin if builtin is not None and builtin == made else made
        return made

    return structure


_RECORDS: Final = (
    _QuantityData,
    _ProfileData,
    _GuidelineRef,
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


def _is_literal(t: Any) -> bool:
    return get_origin(t) is Literal


def _is_tuple(t: Any) -> bool:
    return is_sequence(t) and get_origin(t) is tuple


def _configure(c: JsonConverter) -> None:
    c.register_structure_hook(str, _structure_str)
    c.register_structure_hook(bool, _strict(bool, "true or false"))
    c.register_structure_hook(int, _strict(int, "a whole number"))
    c.register_structure_hook(float, _structure_float)
    c.register_structure_hook_factory(_is_literal, _literal_hook)
    c.register_structure_hook_factory(_is_tuple, _lists_only(_tuple_of))
    c.register_structure_hook_factory(is_any_set, _lists_only(_set_of))
    c.register_structure_hook(_Magnitude, _magnitude_from_json)
    c.register_structure_hook(_Unit, _unit_from_json)
    c.register_structure_hook(_Entries, _entries(Vitamer.parse))
    c.register_structure_hook(_PoolEntries, _entries(Pool.parse))
    c.register_structure_hook(pint.Quantity, _structure_quantity)
    c.register_unstructure_hook(pint.Quantity, _unstructure_quantity)
    c.register_structure_hook(Vitamer, _label_hook(Vitamer.parse))
    c.register_unstructure_hook(Vitamer, lambda v: v.label)
    c.register_structure_hook(Pool, _label_hook(Pool.parse))
    c.register_unstructure_hook(Pool, lambda p: p.value)
    c.register_structure_hook(Confidence, _label_hook(Confidence.parse))
    c.register_unstructure_hook(Confidence, lambda x: x.value)
    c.register_structure_hook(Status, _label_hook(_status))
    c.register_unstructure_hook(Status, lambda s: s.value)
    c.register_structure_hook(VitaminK, _structure_profile)
    c.register_unstructure_hook(VitaminK, _unstructure_profile)
    c.register_structure_hook(Guideline, _structure_guideline)
    c.register_unstructure_hook(Guideline, lambda g: {"id": g.id, "edition": g.edition})
    c.register_structure_hook(Portion | Supplement, _structure_item)
    c.register_unstructure_hook(Portion | Supplement, _unstructure_item)
    c.register_structure_hook_factory(lambda t: t in _RECORDS, _record_hook)


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
        problems = _problems(exc)
    except (K2NutritionError, ValueError, TypeError, LookupError, RecursionError) as exc:
        problems = [("$", _describe(exc))]
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
    except RecursionError:
        reason = "not readable: nested too deeply"
    else:
        return structure(data, cls)
    raise SerializationError(_message(what, [("$", reason)]), [("$", reason)])
