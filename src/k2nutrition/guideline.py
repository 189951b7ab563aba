"""Guidelines: published intake values, life stage by life stage, with their sources.

The built-in catalogue :data:`guidelines` holds vitamin K values of the IOM (2001), EFSA
(2017), FAO/WHO (2004), the Chinese DRIs (2013, 2023), the Chinese 2013 osteoporosis
handbook's K2 range, the Japanese DRIs (2020, 2025), NNR 2023, D-A-CH, Australia/New
Zealand (2006), Korea (2020) and the NHS; calcium and vitamin D values of the IOM (2011)
and the Chinese DRIs; and the MK-7 doses reported to affect anticoagulation (Schurgers
2007, Theuwissen 2013). Each guideline names the :mod:`~k2nutrition.measures` measure
its authority counts with.

Examples
--------
>>> from k2nutrition import Person, guidelines
>>> iom = guidelines["iom-2001"]
>>> iom.target_for(Person(age=55, sex="female")).low
<Quantity(90.0, 'microgram / day')>
>>> guidelines["efsa-2017"].measure.name
'K1_ONLY'
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Final, Literal

import attrs

from k2nutrition._data import Lazy, read_csv
from k2nutrition.errors import DataError, K2NutritionError
from k2nutrition.i18n import Message
from k2nutrition.measures import Measure, get_measure
from k2nutrition.people import MIN_REPRODUCTIVE_AGE_YEARS, Person
from k2nutrition.sources import Confidence, Source, get_source
from k2nutrition.units import Q_, Quantity, parse_amount

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "Guideline",
    "GuidelineCatalogue",
    "GuidelineValue",
    "NoTargetError",
    "Target",
    "UnknownGuidelineError",
    "guidelines",
]

GUIDELINE_COLUMNS: Final = (
    "id",
    "authority",
    "title",
    "edition",
    "year",
    "nutrient",
    "measure",
    "purpose",
    "source_id",
    "confidence",
    "derived_from",
    "notes",
)
VALUE_COLUMNS: Final = (
    "guideline_id",
    "life_stage",
    "sex",
    "age_from",
    "age_to",
    "pregnant",
    "lactating",
    "trimester",
    "value_type",
    "value",
    "unit",
    "location",
    "confidence",
    "notes",
)
VALUE_TYPES: Final = frozenset(
    {
        "AI",
        "RNI",
        "RDA",
        "EAR",
        "UL",
        "range_low",
        "range_high",
        "RNI_low",
        "RNI_high",
        "per_kg_bw",
        "caution_threshold",
        "pharmacological_dose",
    }
)
NUTRIENTS: Final = frozenset({"vitamin_k", "vitamin_k2", "mk7", "mk4", "calcium", "vitamin_d"})
PURPOSES: Final = frozenset({"adequacy", "safety", "therapeutic"})
#: Value types that make an intake target, most specific first.
_MAIN_TYPES: Final = ("RDA", "RNI", "AI")

Purpose = Literal["adequacy", "safety", "therapeutic"]


class UnknownGuidelineError(K2NutritionError, LookupError):
    """A guideline id that is not in the catalogue."""


class NoTargetError(K2NutritionError, LookupError):
    """A guideline that sets no value for a person (the message says why)."""


def _years(text: str, where: str) -> float | None:
    if not text:
        return None
    q = parse_amount(text, f"{where} age", "time")
    return float(q.to("year").magnitude)


@attrs.frozen
class GuidelineValue:
    """One life-stage row of a guideline, as its source prints it.

    Ages are in years, ``age_from`` inclusive and ``age_to`` exclusive; ``None`` for an
    open end, or for both when the source prints no age (pregnancy rows, typically).
    ``value`` is ``None`` for a UL that the authority explicitly did not set.
    ``value_type`` is one of :data:`VALUE_TYPES`: ``range_low`` and ``range_high`` bound a
    range the intake should lie in; ``RNI_low`` and ``RNI_high`` are an RNI printed as a
    range over a life stage (the RNI of its youngest or lightest, and of its oldest or
    heaviest).
    """

    life_stage: str
    sex: Literal["female", "male", "any"]
    age_from: float | None
    age_to: float | None
    pregnant: bool
    lactating: bool
    trimesters: frozenset[int]
    value_type: str
    value: Quantity | None
    location: str
    confidence: Confidence
    notes: str = ""

    def covers_age(self, age: float) -> bool:
        """Whether ``age`` (years) falls in this row's age band."""
        if self.age_from is not None and age < self.age_from:
            return False
        return self.age_to is None or age < self.age_to

    def matches_sex(self, sex: str) -> bool:
        """Whether the row is for ``sex`` (or for either sex)."""
        return self.sex in {"any", sex}


@attrs.frozen
class Target:
    """What a guideline sets for one person.

    Attributes
    ----------
    guideline : Guideline
    value_type : str
        ``AI``, ``RNI``, ``RDA``, ``range``, ``per_kg_bw``, ``caution_threshold`` or
        ``pharmacological_dose``.
    low, high : pint.Quantity or None
        The target (``low``), or the bounds of a range. For caution thresholds, ``low`` is
        the lowest dose reported to have an effect.
    upper_limit : pint.Quantity or None
        The UL, where one is set.
    ul_not_set : bool
        Whether the authority states explicitly that it set no UL.
    ear : pint.Quantity or None
    life_stage : str
    rows : tuple of GuidelineValue
        The rows this target was read from.
    notes : tuple of str
    """

    guideline: Guideline = attrs.field(repr=lambda g: g.id)
    value_type: str
    low: Quantity | None
    high: Quantity | None = None
    upper_limit: Quantity | None = None
    ul_not_set: bool = False
    ear: Quantity | None = None
    life_stage: str = ""
    rows: tuple[GuidelineValue, ...] = attrs.field(default=(), repr=False)
    notes: tuple[str, ...] = ()

    @property
    def confidence(self) -> Confidence:
        """The lowest confidence among the rows used."""
        return min((r.confidence for r in self.rows), default=self.guideline.confidence)

    def describe(self) -> str:
        """Return the target in words, such as ``"AI 90 µg/d"`` or ``"range 50-120 µg/d"``.

        A value per kg of body weight reads ``"80 µg/d (1 µg/kg)"``. Each figure is written
        as stored, every digit and no exponent (:func:`~k2nutrition.display.exact_number`);
        the high end of a range is given in the unit of the low end.

        Examples
        --------
        >>> from k2nutrition import Person
        >>> calcium = guidelines["iom-2011-calcium"].target_for(Person(age=55, sex="female"))
        >>> calcium.describe()
        'RDA 1200 mg/d'
        """
        from k2nutrition.display import exact_number, exact_quantity
        from k2nutrition.units import format_unit

        if self.low is None:
            return self.value_type
        if self.value_type == "range" and self.high is not None:
            if self.high.units == self.low.units:
                high = self.high.magnitude
            else:  # exact_number drops the conversion's noise (120.00000000000001 µg)
                high = self.high.to(self.low.units).magnitude
            low, unit = exact_number(self.low.magnitude), format_unit(self.low.units)
            return f"range {low}-{exact_number(high)} {unit}"
        if self.value_type == "per_kg_bw":  # "80 µg/d (1 µg/kg)": the person's, and the rate
            rate = next((r.value for r in self.rows if r.value_type == "per_kg_bw"), None)
            per_kg = f" ({exact_number(rate.magnitude)} µg/kg)" if rate is not None else ""
            return f"{exact_quantity(self.low)}{per_kg}"
        return f"{self.value_type} {exact_quantity(self.low)}"


def _row_unit(row: GuidelineValue) -> str:
    return "µg/day" if row.value is None else f"{row.value.units}"


@attrs.frozen(eq=False)
class Guideline:
    """A published set of intake values for one nutrient.

    Attributes
    ----------
    id : str
        A lowercase authority-year slug, such as ``"iom-2001"``.
    authority, title, edition : str
    year : int
    nutrient : str
        ``vitamin_k``, ``vitamin_k2``, ``mk7``, ``mk4``, ``calcium`` or ``vitamin_d``.
    measure : Measure or None
        How vitamin K intake is counted for this guideline (``None`` for calcium and
        vitamin D, counted from foods and supplements).
    purpose : {"adequacy", "safety", "therapeutic"}
        ``"safety"``: doses assessed for people on a vitamin K antagonist; they apply only
        to a person with ``on_anticoagulant=True`` (for others, not applicable).
    source : Source
    confidence : Confidence
    notes : str
        What the authority counts, and caveats.
    values : tuple of GuidelineValue
    derived_from : str
        ``"K1"`` where the values were derived from phylloquinone intakes or requirements
        although the guideline is applied to more forms (its ``measure``); checks then also
        give the intake counted as K1 only. Empty where the source does not say.
    """

    id: str
    authority: str
    title: str
    edition: str
    year: int
    nutrient: str
    measure: Measure | None
    purpose: Purpose
    source: Source
    confidence: Confidence
    notes: str
    values: tuple[GuidelineValue, ...] = attrs.field(repr=False)
    derived_from: str = ""

    @property
    def label(self) -> str:
        """A short label: id and edition."""
        return f"{self.id} ({self.edition})" if self.edition else self.id

    def __hash__(self) -> int:
        return hash(self.id)

    def __dask_tokenize__(self) -> object:
        """Return a deterministic token for Dask."""
        return ("Guideline", self.id, self.edition, len(self.values))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Guideline) and other.id == self.id

    def __str__(self) -> str:
        from k2nutrition.display import guideline_text

        return guideline_text(self)

    def _repr_html_(self) -> str:
        from k2nutrition.display import guideline_html

        return guideline_html(self)

    def to_frame(self) -> pd.DataFrame:
        """Return one row per life-stage value (needs pandas).

        See :func:`k2nutrition.display.guideline_frame` for the columns.
        """
        from k2nutrition.display import guideline_frame

        return guideline_frame(self)

    def target_for(self, person: Person) -> Target:
        """Return what this guideline sets for ``person``.

        Raises
        ------
        NoTargetError
            If the guideline sets no value for this person; the message says why.
        """
        if self.purpose == "safety" and not person.on_anticoagulant:
            raise NoTargetError(
                f"{self.id} assesses supplement doses for people on a vitamin K antagonist "
                "(an anticoagulant such as warfarin); this person is not on one "
                "(Person(on_anticoagulant=True) says so)"
            )
        notes: list[str] = []
        rows = [r for r in self.values if r.matches_sex(person.sex)]
        state_rows = self._state_rows(rows, person, notes)
        matched = [r for r in state_rows if r.covers_age(person.age)]
        special = [r for r in state_rows if r.pregnant or r.lactating]
        if special and not any(r.pregnant or r.lactating for r in matched):
            # the authority sets pregnancy or lactation values, but none at this age
            state = "pregnancy" if person.pregnant else "lactation"
            matched = [
                r for r in rows if not r.pregnant and not r.lactating and r.covers_age(person.age)
            ]
            notes.append(
                Message(
                    "{guideline} sets no pregnancy value at {age} years; the value for the "
                    "person's age and sex is used"
                    if state == "pregnancy"
                    else "{guideline} sets no lactation value at {age} years; the value for "
                    "the person's age and sex is used",
                    guideline=self.id,
                    age=f"{person.age:g}",
                )
            )
        if not matched:
            why = {"notes": self.notes} if "no value" in self.notes.casefold() else {}
            raise NoTargetError(
                Message(
                    "{guideline} sets no value for {person}" + (" ({notes})" if why else ""),
                    guideline=self.id,
                    person=person.life_stage,
                    **why,
                )
            )
        if any(r.value_type == "UL" and (r.pregnant or r.lactating) for r in matched):
            # a pregnancy or lactation upper level at this age replaces the general one
            matched = [r for r in matched if r.value_type != "UL" or r.pregnant or r.lactating]
        matched = self._trimester_rows(matched, person, notes)
        return self._target(matched, person, notes)

    def _state_rows(
        self, rows: list[GuidelineValue], person: Person, notes: list[str]
    ) -> list[GuidelineValue]:
        general = [r for r in rows if not r.pregnant and not r.lactating]
        if not (person.pregnant or person.lactating):
            return general
        state = "pregnancy" if person.pregnant else "lactation"
        special = [r for r in rows if (r.pregnant if person.pregnant else r.lactating)]
        main = [r for r in special if r.value_type != "UL"]
        if not main:
            notes.append(
                Message(
                    "{guideline} sets no separate value for pregnancy; the value for the "
                    "person's age and sex is used"
                    if state == "pregnancy"
                    else "{guideline} sets no separate value for lactation; the value for "
                    "the person's age and sex is used",
                    guideline=self.id,
                )
            )
            main = [r for r in general if r.value_type != "UL"]
        # the state's own upper levels, then the general ones (see target_for)
        return (
            main
            + [r for r in special if r.value_type == "UL"]
            + [r for r in general if r.value_type == "UL"]
        )

    def _trimester_rows(
        self, rows: list[GuidelineValue], person: Person, notes: list[str]
    ) -> list[GuidelineValue]:
        staged = [r for r in rows if r.trimesters]
        if not staged:
            return rows
        if person.trimester is not None:
            chosen = [r for r in staged if person.trimester in r.trimesters]
            return [r for r in rows if not r.trimesters] + chosen
        main = [r for r in staged if r.value_type in _MAIN_TYPES] or staged
        best = max(main, key=lambda r: 0.0 if r.value is None else float(r.value.magnitude))
        notes.append(
            Message(
                "{guideline} sets values by trimester; no trimester was given, so the highest "
                "({stage}) is used",
                guideline=self.id,
                stage=best.life_stage,
            )
        )
        return [r for r in rows if not r.trimesters or r.trimesters == best.trimesters]

    def _target(self, rows: list[GuidelineValue], person: Person, notes: list[str]) -> Target:
        by_type: dict[str, list[GuidelineValue]] = {}
        for r in rows:
            by_type.setdefault(r.value_type, []).append(r)
        ul_rows = by_type.get("UL", [])
        ul = next((r.value for r in ul_rows if r.value is not None), None)
        ul_not_set = any(r.value is None for r in ul_rows)
        ear = by_type["EAR"][0].value if "EAR" in by_type else None
        common: dict[str, Any] = {
            "upper_limit": ul,
            "ul_not_set": ul_not_set,
            "ear": ear,
        }
        used: list[GuidelineValue] = ul_rows + by_type.get("EAR", [])
        for kind in _MAIN_TYPES:
            if kind in by_type:
                row = by_type[kind][0]
                self._per_kg_note(by_type, person, notes)
                return Target(
                    self, kind, row.value, life_stage=row.life_stage,
                    rows=(row, *used), notes=tuple(notes), **common,
                )  # fmt: skip
        if "RNI_low" in by_type and "RNI_high" in by_type:
            lo, hi = by_type["RNI_low"][0], by_type["RNI_high"][0]
            assert hi.value is not None  # only a UL may be "not_set"
            from k2nutrition.display import exact_number, exact_quantity

            notes.append(
                Message(
                    "{guideline} prints the RNI for {stage} as a range, {low} to {high}; its "
                    "upper end is used, so an intake below it may still meet the RNI of a "
                    "younger or lighter person",
                    guideline=self.id,
                    stage=hi.life_stage,
                    low=exact_number(_magnitude(lo)),
                    high=exact_quantity(hi.value),
                )
            )
            return Target(
                self, "RNI", hi.value, life_stage=hi.life_stage,
                rows=(hi, lo, *used), notes=tuple(notes), **common,
            )  # fmt: skip
        if "range_low" in by_type and "range_high" in by_type:
            lo, hi = by_type["range_low"][0], by_type["range_high"][0]
            return Target(
                self, "range", lo.value, hi.value, life_stage=lo.life_stage,
                rows=(lo, hi, *used), notes=tuple(notes), **common,
            )  # fmt: skip
        if "per_kg_bw" in by_type:
            row = by_type["per_kg_bw"][0]
            if person.body_weight is None or row.value is None:
                raise NoTargetError(
                    Message(
                        "{guideline} sets its value per kg of body weight for {person}; "
                        "give the person's body_weight",
                        guideline=self.id,
                        person=person.life_stage,
                    )
                )
            from k2nutrition.display import exact_number, exact_quantity

            value = (row.value * person.body_weight).to("µg/day")
            notes.append(
                Message(
                    "{rate} µg/kg body weight per day x {weight}",
                    rate=exact_number(row.value.magnitude),
                    weight=exact_quantity(person.body_weight),
                )
            )
            return Target(
                self, "per_kg_bw", value, life_stage=row.life_stage,
                rows=(row, *used), notes=tuple(notes), **common,
            )  # fmt: skip
        if "caution_threshold" in by_type:
            cautions = sorted(by_type["caution_threshold"], key=_magnitude)
            return Target(
                self, "caution_threshold", cautions[0].value, life_stage=cautions[0].life_stage,
                rows=(*cautions, *used), notes=tuple(notes), **common,
            )  # fmt: skip
        if "pharmacological_dose" in by_type:
            row = by_type["pharmacological_dose"][0]
            return Target(
                self, "pharmacological_dose", row.value, life_stage=row.life_stage,
                rows=(row, *used), notes=tuple(notes), **common,
            )  # fmt: skip
        raise NoTargetError(f"{self.id} sets no intake target for {person.life_stage}")

    def _per_kg_note(
        self, by_type: dict[str, list[GuidelineValue]], person: Person, notes: list[str]
    ) -> None:
        per_kg = by_type.get("per_kg_bw")
        if per_kg and per_kg[0].value is not None:
            rate = f"{per_kg[0].value.magnitude:g}"
            if person.body_weight is None:
                notes.append(
                    Message("values derived from {rate} µg/kg body weight per day", rate=rate)
                )
                return
            personal = (per_kg[0].value * person.body_weight).to("µg/day")
            notes.append(
                Message(
                    "values derived from {rate} µg/kg body weight per day ({personal} µg/day "
                    "at {weight})",
                    rate=rate,
                    personal=f"{personal.magnitude:.0f}",
                    weight=f"{person.body_weight:~P}",
                )
            )


def _magnitude(row: GuidelineValue) -> float:
    return 0.0 if row.value is None else float(row.value.magnitude)


def _bool(text: str, where: str) -> bool:
    if text not in {"true", "false"}:
        raise DataError(f"{where}: expected true or false, got {text!r}")
    return text == "true"


def _value_row(row: dict[str, str]) -> GuidelineValue:
    where = f"guideline_values.csv, line {row['_line']}"
    if row["value_type"] not in VALUE_TYPES:
        raise DataError(f"{where}: unknown value type {row['value_type']!r}")
    if row["sex"] not in {"female", "male", "any"}:
        raise DataError(f"{where}: sex must be female, male or any, got {row['sex']!r}")
    value: Quantity | None
    if row["value"] == "not_set":
        if row["value_type"] != "UL":
            raise DataError(f"{where}: only a UL may be 'not_set'")
        value = None
    else:
        try:
            value = Q_(float(row["value"].removeprefix("+")), row["unit"].replace("ug", "µg"))
        except (ValueError, K2NutritionError) as exc:
            raise DataError(f"{where}: {exc}") from None
        if row["unit"].startswith("ug/day"):
            value = value.to("µg/day")
    trimesters = frozenset(int(t) for t in row["trimester"].split("|") if t)
    return GuidelineValue(
        life_stage=row["life_stage"],
        sex=row["sex"],  # type: ignore[arg-type]
        age_from=_years(row["age_from"], where),
        age_to=_years(row["age_to"], where),
        pregnant=_bool(row["pregnant"], where),
        lactating=_bool(row["lactating"], where),
        trimesters=trimesters,
        value_type=row["value_type"],
        value=value,
        location=row["location"],
        confidence=Confidence.parse(row["confidence"]),
        notes=row["notes"],
    )


def _is_increment(row: dict[str, str]) -> bool:
    return row["value"].startswith("+")


def _apply_increment(
    row: dict[str, str], increment: GuidelineValue, rows: list[GuidelineValue]
) -> list[GuidelineValue]:
    """Expand a pregnancy or lactation increment (``+5``) into one row per age band.

    Chinese and Korean tables print pregnancy and lactation as an amount added to the
    value for the woman's own age, so each female age band from the youngest age at which
    pregnancy is accepted gets its own row, with the band's ages.
    """
    where = f"guideline_values.csv, line {row['_line']}"
    if not (increment.pregnant or increment.lactating) or increment.value is None:
        raise DataError(f"{where}: only a pregnancy or lactation value may be an increment")
    if increment.age_from is not None or increment.age_to is not None:
        raise DataError(f"{where}: an increment applies to every age band; give no ages")
    bases = [
        r
        for r in rows
        if r.value_type == increment.value_type
        and not r.pregnant
        and not r.lactating
        and r.matches_sex("female")
        and r.value is not None
        and (r.age_to is None or r.age_to > MIN_REPRODUCTIVE_AGE_YEARS)
    ]
    if not bases:
        raise DataError(f"{where}: no {increment.value_type} value to add {row['value']} to")
    out = []
    for base in bases:
        assert base.value is not None  # filtered above
        printed = f"{row['value']} {increment.value.units:~P}"
        note = (
            f"Printed as {printed} over the {base.life_stage} value "
            f"({base.value.magnitude:g} {base.value.units:~P})."
        )
        out.append(
            attrs.evolve(
                increment,
                life_stage=f"{increment.life_stage}_{base.life_stage}",
                sex="female",
                age_from=base.age_from,
                age_to=base.age_to,
                value=(base.value + increment.value).to(base.value.units),
                confidence=min(base.confidence, increment.confidence),
                notes=f"{note} {increment.notes}".strip(),
            )
        )
    return out


def _load() -> list[Guideline]:
    values: dict[str, list[GuidelineValue]] = {}
    increments: list[tuple[dict[str, str], GuidelineValue]] = []
    guideline_rows = read_csv("guidelines.csv", GUIDELINE_COLUMNS)
    known = {r["id"] for r in guideline_rows}
    for row in read_csv("guideline_values.csv", VALUE_COLUMNS):
        if row["guideline_id"] not in known:
            raise DataError(
                f"guideline_values.csv, line {row['_line']}: "
                f"unknown guideline {row['guideline_id']!r}"
            )
        if _is_increment(row):
            increments.append((row, _value_row(row)))
        else:
            values.setdefault(row["guideline_id"], []).append(_value_row(row))
    for row, increment in increments:
        own = values.setdefault(row["guideline_id"], [])
        own.extend(_apply_increment(row, increment, own))
    out = []
    for row in guideline_rows:
        where = f"guidelines.csv, line {row['_line']}"
        if row["nutrient"] not in NUTRIENTS or row["purpose"] not in PURPOSES:
            raise DataError(f"{where}: unknown nutrient or purpose")
        if row["derived_from"] not in {"", "K1"}:
            raise DataError(f"{where}: derived_from must be K1 or empty")
        measure = (
            None if row["measure"] in {"CALCIUM", "VITAMIN_D"} else get_measure(row["measure"])
        )
        if not values.get(row["id"]):
            raise DataError(f"{where}: guideline {row['id']!r} has no values")
        out.append(
            Guideline(
                id=row["id"],
                authority=row["authority"],
                title=row["title"],
                edition=row["edition"],
                year=int(row["year"]),
                nutrient=row["nutrient"],
                measure=measure,
                purpose=row["purpose"],  # type: ignore[arg-type]
                source=get_source(row["source_id"]),
                confidence=Confidence.parse(row["confidence"]),
                notes=row["notes"],
                values=tuple(values[row["id"]]),
                derived_from=row["derived_from"],
            )
        )
    return out


_MAX_ID_LENGTH: Final = 100


def _fold_word(text: str) -> str:
    """Fold a nutrient or purpose as typed: width, case, and what stands between words."""
    return "".join(c for c in unicodedata.normalize("NFKC", text).casefold() if c.isalnum())


#: Usual spellings of the nutrients (folded by :func:`_fold_word`) and what they name.
_NUTRIENT_ALIASES: Final = {
    "k": "vitamink",
    "vitk": "vitamink",
    "k2": "vitamink2",
    "vitk2": "vitamink2",
    "d": "vitamind",
    "vitd": "vitamind",
    "menaquinone7": "mk7",
    "menaquinone4": "mk4",
    "ca": "calcium",
}


class GuidelineCatalogue:
    """The guidelines, by id, with listing and filtering.

    Parameters
    ----------
    items : iterable of Guideline, optional
    loader : callable, optional
        Instead of ``items``: a function returning them, called once on first use.
    """

    __slots__ = ("_items",)

    def __init__(
        self,
        items: Iterable[Guideline] | None = None,
        *,
        loader: Any = None,
    ) -> None:
        if items is not None:
            table = {g.id: g for g in items}
            self._items: Lazy[Mapping[str, Guideline]] = Lazy(lambda: table)
        else:
            self._items = Lazy(lambda: {g.id: g for g in loader()})

    def __reduce__(self) -> tuple[Any, ...]:
        # The built-in catalogue pickles as a reference, loaded again where it is unpickled.
        if self is guidelines:
            return (_builtin_catalogue, ())
        return (GuidelineCatalogue, (tuple(self),))

    def __getitem__(self, key: str | Guideline) -> Guideline:
        if isinstance(key, Guideline):
            return key
        items = self._items.get()
        if isinstance(key, str) and key.strip().casefold() in items:
            return items[key.strip().casefold()]
        shown = str(key)
        if len(shown) > _MAX_ID_LENGTH:  # no id is this long: say so, without searching
            raise UnknownGuidelineError(
                f"no guideline with id {shown[:40]!r}... ({len(shown):,} characters) "
                "(list them with guidelines.ids)"
            )
        close = difflib.get_close_matches(shown.casefold(), items, n=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
        raise UnknownGuidelineError(
            f"no guideline with id {key!r}{hint} (list them with guidelines.ids)"
        )

    def get(self, key: str, default: Guideline | None = None) -> Guideline | None:
        """Return the guideline ``key``, or ``default``."""
        return self._items.get().get(key, default)

    def __iter__(self) -> Iterator[Guideline]:
        return iter(self._items.get().values())

    def __len__(self) -> int:
        return len(self._items.get())

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key in self._items.get()

    @property
    def ids(self) -> tuple[str, ...]:
        """Every guideline id."""
        return tuple(self._items.get())

    def filter(
        self,
        *,
        authority: str | None = None,
        nutrient: str | None = None,
        purpose: str | None = None,
    ) -> list[Guideline]:
        """Return the guidelines matching every given criterion.

        ``authority`` matches a case-insensitive substring of the authority or the id.
        ``nutrient`` and ``purpose`` are read in any case, with spaces, hyphens or
        underscores between the words, and ``nutrient`` in the usual spellings: ``"Vitamin
        K"``, ``"vit. K"`` and ``"K"`` are ``vitamin_k``; ``"K2"`` is ``vitamin_k2``;
        ``"MK-7"`` is ``mk7``. An unknown value raises :class:`UnknownGuidelineError`
        listing the valid ones.

        Examples
        --------
        >>> [g.id for g in guidelines.filter(nutrient="Vitamin K2")]
        ['china-osteoporosis-2013']
        >>> guidelines.filter(nutrient="vitamin Q")
        Traceback (most recent call last):
        ...
        k2nutrition.guideline.UnknownGuidelineError: nutrient: no guideline is for 'vitamin Q'; ...
        """
        nutrient = self._canonical("nutrient", nutrient)
        purpose = self._canonical("purpose", purpose)
        out = []
        for g in self:
            if authority is not None and authority.casefold() not in (
                g.authority.casefold() + " " + g.id
            ):
                continue
            if nutrient is not None and g.nutrient != nutrient:
                continue
            if purpose is not None and g.purpose != purpose:
                continue
            out.append(g)
        return out

    def _canonical(self, field: str, wanted: str | None) -> str | None:
        """Return the stored spelling of a nutrient or purpose; refuse an unknown one."""
        if wanted is None:
            return None
        known: list[str] = sorted({getattr(g, field) for g in self})
        by_folded = {_fold_word(k): k for k in known}
        folded = _fold_word(wanted) if isinstance(wanted, str) else ""
        found = by_folded.get(
            _NUTRIENT_ALIASES.get(folded, folded) if field == "nutrient" else folded
        )
        if found is None:
            raise UnknownGuidelineError(
                f"{field}: no guideline is for {wanted!r}; known: {', '.join(known)}"
            )
        return found

    def __repr__(self) -> str:
        from k2nutrition.display import counted

        return f"GuidelineCatalogue({counted(len(self), 'guideline')})"

    def __str__(self) -> str:
        from k2nutrition.display import catalogue_text

        return catalogue_text(self)

    def _repr_html_(self) -> str:
        from k2nutrition.display import catalogue_html

        return catalogue_html(self)

    def to_frame(self) -> pd.DataFrame:
        """Return one row per guideline value (needs pandas).

        The columns of :meth:`Guideline.to_frame`, after the guideline's id, authority,
        edition, nutrient, measure and source.
        """
        import pandas as pd

        frames = []
        for g in self:
            frame = g.to_frame()
            header = {
                "guideline": g.id,
                "authority": g.authority,
                "edition": g.edition,
                "nutrient": g.nutrient,
                "measure": g.measure.name if g.measure else "",
                "source": g.source.id,
            }
            for position, (name, value) in enumerate(header.items()):
                frame.insert(position, name, value)
            frames.append(frame)
        return pd.concat(frames, ignore_index=True)


#: The built-in guideline catalogue, loaded from the bundled data on first use.
guidelines: GuidelineCatalogue = GuidelineCatalogue(loader=_load)


def _builtin_catalogue() -> GuidelineCatalogue:
    return guidelines
