"""Checks: a diet against the guidelines, with the citation attached.

The library is informational: it says how an intake compares with published values and
which guideline and edition it used; it gives no medical advice.

Examples
--------
>>> from k2nutrition import Diet, Person, Portion, Supplement, check
>>> diet = Diet([Portion("natto", "40 g", per="2/week"), Supplement("K1", "90 µg")])
>>> a = check(diet, Person(age=55, sex="female"), "china-osteoporosis-2013")
>>> a.status
<Status.WITHIN_RANGE: 'within range'>
>>> round(a.intake.magnitude, 1), a.target.describe()
(107.3, 'range 50-120 µg/d')
>>> a = check(diet, Person(age=55, sex="female"), "efsa-2017")
>>> a.status.value, a.intake.magnitude
('adequacy likely', 90.0)
"""

from __future__ import annotations

import enum
import functools
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Final, TypeGuard, cast

import attrs

from k2nutrition.errors import AmountTypeError, K2NutritionError
from k2nutrition.food import Food, foods
from k2nutrition.guideline import Guideline, NoTargetError, Target, guidelines
from k2nutrition.i18n import DISCLAIMER, N_, Localized, Message
from k2nutrition.intake import Diet, Item, Nutrient, Portion, Supplement, diet_of
from k2nutrition.measures import K1_ONLY, MENAQUINONES, Measure
from k2nutrition.people import Person, PersonError
from k2nutrition.profile import Pool, VitaminK, describe_vitamers
from k2nutrition.units import Q_, Quantity, format_quantity
from k2nutrition.vitamers import Vitamer

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "DISCLAIMER",
    "Assessment",
    "CheckError",
    "CheckReport",
    "Status",
    "Suggestion",
    "check",
    "check_all",
    "suggest",
]


class CheckError(K2NutritionError, ValueError):
    """A check that cannot be made as asked."""


class Status(enum.Enum):
    """How an intake compares with a guideline's value, honest to the value's type."""

    #: At or above an Adequate Intake: adequacy is likely.
    ADEQUACY_LIKELY = "adequacy likely"
    #: Below an Adequate Intake: an AI is not a requirement, so adequacy cannot be judged.
    ADEQUACY_UNKNOWN = "adequacy cannot be judged"
    #: At or above an RNI/RDA (a level that meets the needs of nearly all healthy people).
    MEETS_RECOMMENDATION = "meets recommendation"
    #: Below an RNI/RDA: not a diagnosis of deficiency.
    BELOW_RECOMMENDATION = "below recommendation"
    BELOW_RANGE = "below range"
    WITHIN_RANGE = "within range"
    ABOVE_RANGE = "above range"
    #: Above a tolerable upper intake level.
    ABOVE_UL = "above upper level"
    #: At or above a dose reported to interfere with vitamin K antagonists.
    CAUTION = "caution"
    #: Below the lowest dose reported to interfere (no safe dose was established).
    BELOW_CAUTION = "below caution dose"
    #: A therapeutic dose, shown for reference only.
    REFERENCE_ONLY = "reference only"
    #: The guideline sets no value for this person.
    NOT_APPLICABLE = "not applicable"
    #: Below the target as counted, but the count is a lower bound: forms the guideline
    #: counts were not analysed by a food's source (or sit in a sum of forms it cannot
    #: split) and could lift the intake to the target. Not evidence of a low intake.
    UNKNOWN = "unknown: not analysed"

    def __str__(self) -> str:
        return self.value


def _pairs(pairs: Iterable[Iterable[str]]) -> tuple[tuple[str, str], ...]:
    out = []
    for pair in pairs:
        food, what = pair
        out.append((str(food), str(what)))
    return tuple(out)


@attrs.frozen
class Assessment:
    """The result of checking one diet against one guideline for one person.

    Attributes
    ----------
    guideline : Guideline
        With its source, edition and confidence.
    person : Person
    status : Status
    intake : pint.Quantity
        The intake counted the guideline's way (its measure), per day.
    target : Target or None
        ``None`` when the guideline sets no value for this person.
    gap : pint.Quantity or None
        How far the intake is below the target (zero when at or above it). When the
        intake is a lower bound, the gap of that lower bound: the most it can be.
    ratio : float or None
        Intake divided by the target (a lower bound when the intake is one).
    unattributed : pint.Quantity
        Intake in foods that report only a sum of forms, which this guideline's measure
        cannot count.
    notes : tuple of str
        Caveats, safety and bone-health notes, and the reason when not applicable.
    intake_k1_only : pint.Quantity or None
        For a guideline whose values were derived from phylloquinone intakes but which is
        applied to more forms (``Guideline.derived_from == "K1"``): the intake counted as
        K1 only, to show how much the result depends on counting menaquinones.
    not_analysed : tuple of (str, str)
        ``(food name, nutrient or vitamer)`` pairs: what the guideline counts that a food's
        source did not analyse, so that ``intake`` counts only the rest (a lower bound).
        One of the ``notes`` says so in words.
    intake_is_lower_bound : bool
        Whether ``intake`` counts only part of what the guideline counts: some of it was
        not analysed (``not_analysed``), or sits in a sum of forms the guideline cannot
        split (a food's "total vitamin K"). The true intake is then at least ``intake``,
        and an intake below the target has the status ``Status.UNKNOWN``.
    intake_k1_only_is_lower_bound : bool
        Whether ``intake_k1_only`` is a lower bound: a food's source did not analyse K1,
        or reported it only inside a total.

    Examples
    --------
    >>> from k2nutrition import Person, Portion, check
    >>> a = check([Portion("natto", "40 g")], Person(age=55, sex="female"), "who-fao-2004")
    >>> a.status, a.intake_is_lower_bound
    (<Status.UNKNOWN: 'unknown: not analysed'>, True)
    >>> a.not_analysed
    (('Natto (fermented soybeans)', 'K1'),)
    >>> print(a.summary())
    who-fao-2004 (2nd edition): intake ≥ 0 µg/d, target RNI 55 µg/d: unknown: not analysed
    """

    guideline: Guideline = attrs.field(repr=lambda g: repr(g.id))
    person: Person = attrs.field(repr=False)
    status: Status
    intake: Quantity
    target: Target | None = attrs.field(repr=False)
    gap: Quantity | None = None
    ratio: float | None = None
    unattributed: Quantity | None = attrs.field(default=None, repr=False)
    notes: tuple[str, ...] = ()
    not_analysed: tuple[tuple[str, str], ...] = attrs.field(
        default=(), converter=_pairs, repr=False
    )
    intake_k1_only: Quantity | None = attrs.field(default=None, repr=False)
    intake_is_lower_bound: bool = attrs.field(default=False, repr=False)
    intake_k1_only_is_lower_bound: bool = attrs.field(default=False, repr=False)

    @property
    def citation(self) -> str:
        """The guideline's citation."""
        return self.guideline.source.citation

    def summary(self) -> str:
        """One line: guideline and edition, intake (``≥`` for a lower bound), target, status."""
        target = self.target.describe() if self.target else "-"
        g = self.guideline
        at_least = "≥ " if self.intake_is_lower_bound else ""
        return (
            f"{g.id} ({g.edition or g.year}): intake {at_least}"
            f"{format_quantity(self.intake, 4)}, target {target}: {self.status}"
        )

    def as_dict(self) -> dict[str, Any]:
        """Return a plain dict (numbers and strings), for JSON output."""
        t = self.target
        unit = f"{self.intake.units:~P}"
        return {
            "guideline": self.guideline.id,
            "authority": self.guideline.authority,
            "edition": self.guideline.edition,
            "year": self.guideline.year,
            "nutrient": self.guideline.nutrient,
            "measure": self.guideline.measure.name if self.guideline.measure else None,
            "status": self.status.value,
            "intake": float(self.intake.magnitude),
            "intake_is_lower_bound": self.intake_is_lower_bound,
            "unit": unit,
            "target_type": t.value_type if t else None,
            "target_low": _num(t.low, self.intake) if t else None,
            "target_high": _num(t.high, self.intake) if t else None,
            "upper_limit": _num(t.upper_limit, self.intake) if t else None,
            "gap": _num(self.gap, self.intake),
            "ratio": self.ratio,
            "unattributed": _num(self.unattributed, self.intake),
            "intake_k1_only": _num(self.intake_k1_only, self.intake),
            "intake_k1_only_is_lower_bound": self.intake_k1_only_is_lower_bound,
            "not_analysed": [list(p) for p in self.not_analysed],
            "notes": list(self.notes),
            "source": self.guideline.source.id,
            "citation": self.citation,
            "confidence": (t.confidence if t else self.guideline.confidence).value,
        }

    def __str__(self) -> str:
        from k2nutrition.display import assessment_text

        return assessment_text(self)

    def _repr_html_(self) -> str:
        from k2nutrition.display import assessment_html

        return assessment_html(self)


def _num(q: Quantity | None, like: Quantity) -> float | None:
    if q is None:
        return None
    return float(q.to(like.units).magnitude)


@attrs.frozen
class CheckReport(Sequence[Assessment]):
    """The assessments of one diet against many guidelines, with shared notes."""

    assessments: tuple[Assessment, ...]
    notes: tuple[str, ...] = ()

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, str):
            for a in self.assessments:
                if a.guideline.id == index:
                    return a
            raise KeyError(index)
        return self.assessments[index]

    def __len__(self) -> int:
        return len(self.assessments)

    def __iter__(self) -> Iterator[Assessment]:
        return iter(self.assessments)

    @property
    def applicable(self) -> tuple[Assessment, ...]:
        """The assessments whose guideline sets a value for the person."""
        return tuple(a for a in self if a.status is not Status.NOT_APPLICABLE)

    def to_frame(self) -> pd.DataFrame:
        """Return one row per guideline, each amount column in one unit (needs pandas).

        See :func:`k2nutrition.display.report_frame`.
        """
        from k2nutrition.display import report_frame

        return report_frame(self)

    def __str__(self) -> str:
        from k2nutrition.display import report_text

        return report_text(self)

    def _repr_html_(self) -> str:
        from k2nutrition.display import report_html

        return report_html(self)


def _profile_note(diet: Diet, guideline: Guideline, unattributed: Quantity) -> list[str]:
    if guideline.measure is None or unattributed.magnitude <= 0:
        return []
    reporting = sorted(
        {
            i.food.name: i.food
            for i in diet
            if isinstance(i, Portion)
            and guideline.measure.unattributed(i.food.content).magnitude > 0
        }.items()
    )
    names = Localized(
        "; ".join(n for n, _f in reporting),
        zh="；".join(f.name_zh or n for n, f in reporting),
        ja="；".join(f.name_ja or n for n, f in reporting),
    )
    return [
        Message(
            "{amount} µg/day of vitamin K comes from foods whose source reports only a sum "
            "of forms ({foods}); {guideline} counts {counts}, so that part is not counted",
            brief="{amount} µg/day of vitamin K comes from foods whose source reports only a "
            "sum of forms ({foods}); a guideline that counts only some forms leaves it out",
            amount=f"{unattributed.magnitude:.3g}",
            foods=names,
            guideline=guideline.id,
            counts=guideline.measure.description,
        )
    ]


def _status(
    target: Target, intake: Quantity, *, lower_bound: bool = False
) -> tuple[Status, Quantity | None, float | None]:
    """Return the status, gap and ratio; below the target, a lower bound is ``UNKNOWN``."""
    low = target.low
    if low is None:
        return Status.NOT_APPLICABLE, None, None
    x = float(intake.to(low.units).magnitude)
    lo = float(low.magnitude)
    ratio = x / lo if lo > 0 else None
    gap = Q_(max(lo - x, 0.0), low.units)
    kind = target.value_type
    status: Status
    if kind == "range" and target.high is not None:
        hi = float(target.high.to(low.units).magnitude)
        status = (
            Status.BELOW_RANGE if x < lo else Status.ABOVE_RANGE if x > hi else Status.WITHIN_RANGE
        )
    elif kind in {"RNI", "RDA"}:
        status = Status.MEETS_RECOMMENDATION if x >= lo else Status.BELOW_RECOMMENDATION
    elif kind == "caution_threshold":
        status = Status.CAUTION if x >= lo else Status.BELOW_CAUTION
        gap = None
    elif kind == "pharmacological_dose":
        return Status.REFERENCE_ONLY, None, ratio
    else:  # AI, and per-kg values derived like one
        status = Status.ADEQUACY_LIKELY if x >= lo else Status.ADEQUACY_UNKNOWN
    if lower_bound and status in _BELOW:  # what was not analysed could lift it to the target
        status = Status.UNKNOWN
    if target.upper_limit is not None and x > float(target.upper_limit.to(low.units).magnitude):
        status = Status.ABOVE_UL
    return status, cast("Quantity | None", gap), ratio


#: The statuses of an intake below the target; for a lower bound, they become ``UNKNOWN``.
#: A lower bound within a range keeps "within range", with a note that what was not
#: analysed could put it above the range (the lower end, what a range is set for, is met).
_BELOW: Final = frozenset(
    {Status.ADEQUACY_UNKNOWN, Status.BELOW_RECOMMENDATION, Status.BELOW_RANGE}
)

_STATUS_NOTES: Final[dict[Status, str]] = {
    Status.ADEQUACY_UNKNOWN: (
        "below the Adequate Intake; an AI is set where a requirement could not be, so an "
        "intake below it is not evidence of deficiency"
    ),
    Status.BELOW_RECOMMENDATION: (
        "below the recommended intake; the chance of inadequacy rises as intake falls "
        "further below it, but this is not a diagnosis"
    ),
    Status.REFERENCE_ONLY: (
        "a pharmacological dose for treating osteoporosis, shown for reference; "
        "not a target for healthy people"
    ),
    Status.UNKNOWN: N_(
        "the intake counted is a lower bound below the target: what the foods' sources did "
        "not analyse, or reported only as a sum of forms, could lift it to the target, so "
        "whether the intake is below the target cannot be said"
    ),
}

#: Said of a lower bound within a range: the upper end is not known to hold.
_MAY_BE_ABOVE_RANGE: Final = N_(
    "the intake counted is a lower bound: what the foods' sources did not analyse could put "
    "it above the range"
)


def _eaten(item: object) -> TypeGuard[Portion]:
    """Tell whether ``item`` is a portion of a food that is eaten (none of 0 g adds nothing)."""
    return isinstance(item, Portion) and item.amount.magnitude > 0 and item.per_day > 0


def _not_analysed(diet: Diet, guideline: Guideline) -> list[tuple[str, str]]:
    """Return what ``guideline`` counts that the sources of the diet's foods did not analyse."""
    if isinstance(diet, _OnceDiet):  # the same answer for every guideline of one measure
        key = guideline.measure.name if guideline.measure is not None else _cofactor(guideline)
        return list(
            diet._once_call(("not_analysed", key), lambda: _not_analysed(Diet(diet), guideline))
        )
    if guideline.measure is not None:
        return _missing(diet, guideline.measure)
    pairs: list[tuple[str, str]] = []
    for item in diet:
        if _eaten(item) and item.cofactor(_cofactor(guideline)) is None:
            pairs.append((item.food.name, _cofactor(guideline)))
    return list(dict.fromkeys(pairs))


def _missing(diet: Diet, measure: Measure) -> list[tuple[str, str]]:
    """Return ``(food, vitamer)`` pairs: what ``measure`` counts that a source did not analyse."""
    return _food_pairs(diet, measure, "missing")


def _unsplit(diet: Diet, measure: Measure) -> list[tuple[str, str]]:
    """Return ``(food, pool)`` pairs: sums of forms that may hold what ``measure`` counts.

    ``measure`` cannot count such a sum (it holds other forms too, in unknown shares), so
    what it counts of the food is a lower bound.
    """
    return _food_pairs(diet, measure, "unsplit")


def _food_pairs(diet: Diet, measure: Measure, kind: str) -> list[tuple[str, str]]:
    """Return the (food, form) pairs of the eaten foods that ``measure`` leaves open.

    ``kind`` is ``"missing"`` (vitamers not analysed) or ``"unsplit"`` (pools).
    """
    if isinstance(diet, _OnceDiet):  # the same answer for every guideline of one measure
        return list(
            diet._once_call((kind, measure.name), lambda: _food_pairs(Diet(diet), measure, kind))
        )
    pairs: list[tuple[str, str]] = []
    for item in diet:
        if not _eaten(item):
            continue
        if kind == "missing":
            missing = measure.not_analysed(item.food.content)
            pairs += [(item.food.name, v.label) for v in Vitamer if v in missing]
        else:
            unsplit = measure.unsplit(item.food.content)
            pairs += [(item.food.name, p.value) for p in Pool if p in unsplit]
    return list(dict.fromkeys(pairs))


def _not_analysed_note(
    pairs: Sequence[tuple[str, str]], guideline: Guideline, diet: Diet | None = None
) -> list[str]:
    if not pairs:
        return []
    by_food: dict[str, list[str]] = {}
    for food, what in pairs:
        by_food.setdefault(food, []).append(what)
    named: list[str] = []
    for missing in by_food.values():
        vitamers = [v for v in Vitamer if v.label in missing]
        if vitamers and len(vitamers) == len(missing):
            named.append(describe_vitamers(vitamers))
        else:
            named.append(", ".join(missing))
    foods = _food_names(list(by_food), diet)
    parts = _food_parts(list(by_food), lambda lang, i: _in_words(named[i], lang), diet)
    return [
        Message(
            "not analysed by the food's source, so not counted (the intake is a lower bound): "
            "{parts}; {guideline} counts them",
            brief="not analysed by the food's source, so not counted (the intake is a lower "
            "bound): some forms of vitamin K in {foods}",
            parts=parts,
            guideline=guideline.id,
            foods=foods,
        )
    ]


#: "all but K1, MK-4" and "all vitamers" in Chinese and Japanese.
_ALL_BUT: Final = {"zh": "{others} 以外的所有形式", "ja": "{others} 以外のすべての形"}
_ALL: Final = {"zh": "所有形式", "ja": "すべての形"}


def _food_names(names: Sequence[str], diet: Diet | None) -> Localized:
    """Return the names of foods of ``diet``, listed in each language."""
    return Localized(
        ", ".join(names),
        zh="、".join(_names_in("zh", names, diet)),
        ja="、".join(_names_in("ja", names, diet)),
    )


def _names_in(lang: str, names: Sequence[str], diet: Diet | None) -> list[str]:
    """Return the names of foods of ``diet`` in ``lang`` (zh or ja), or as given if none."""
    named = {i.food.name: i.food for i in diet or () if isinstance(i, Portion)}
    found = [named.get(name) for name in names]
    return [
        (getattr(f, f"name_{lang}") if f else "") or n for n, f in zip(names, found, strict=True)
    ]


def _food_parts(
    foods: Sequence[str], detail: Callable[[str, int], str], diet: Diet | None
) -> Localized:
    """List foods with what is said of each, ``detail(lang, i)``, in every language.

    English reads ``"Spinach, raw (all but K1); Natto (...)"``; Chinese and Japanese give
    each food its name in the language and full-width marks: ``"菠菜（...）；纳豆（...）"``.
    """
    english = "; ".join(f"{food} ({detail('en', i)})" for i, food in enumerate(foods))
    return Localized(
        english,
        **{
            lang: "；".join(
                f"{food}（{detail(lang, i)}）"
                for i, food in enumerate(_names_in(lang, foods, diet))
            )
            for lang in ("zh", "ja")
        },
    )


def _in_words(vitamers: str, lang: str) -> str:
    """Return :func:`describe_vitamers`' words in ``lang``: "all but K1" as "K1 以外的所有形式"."""
    if lang == "en":
        return vitamers
    if vitamers == "all vitamers":
        return _ALL[lang]
    if vitamers.startswith("all but "):
        return _ALL_BUT[lang].format(others=vitamers.removeprefix("all but "))
    return vitamers


def _cofactor(guideline: Guideline) -> Nutrient:
    return "calcium" if guideline.nutrient == "calcium" else "vitamin D"


def _intake(diet: Diet, guideline: Guideline) -> tuple[Quantity, Quantity | None, list[str]]:
    if guideline.measure is not None and guideline.purpose == "safety":
        profile = sum((s.vitamin_k for s in diet.supplements), VitaminK({}, kind="intake"))
        intake = guideline.measure(profile)
        in_food = guideline.measure(diet.from_foods)
        notes: list[str] = [
            Message(
                "{guideline} reports doses taken as supplements, so only supplements are counted",
                guideline=guideline.id,
            )
        ]
        missing = _missing(diet, guideline.measure)
        unsplit = _unsplit(diet, guideline.measure)
        if in_food.magnitude > 0:
            notes.append(
                Message(
                    "foods add at least {amount} µg/day of {counts} (natto is rich in MK-7), "
                    "which is not counted here"
                    if missing or unsplit
                    else "foods add {amount} µg/day of {counts} (natto is rich in MK-7), which "
                    "is not counted here",
                    amount=_three(in_food.magnitude),
                    counts=guideline.measure.description,
                )
            )
        if missing or unsplit:
            notes.append(_uncountable_foods_note(guideline.measure, missing, unsplit, diet))
        return intake, None, notes
    if guideline.measure is not None:
        if isinstance(diet, _OnceDiet):
            intake, unattributed = diet.measured(guideline.measure)
        else:
            profile = diet.vitamin_k
            intake = guideline.measure(profile)
            unattributed = guideline.measure.unattributed(profile)
        return intake, unattributed, _profile_note(diet, guideline, unattributed)
    return diet.intake(_cofactor(guideline)), None, []


def _uncountable_foods_note(
    measure: Measure,
    missing: Sequence[tuple[str, str]],
    unsplit: Sequence[tuple[str, str]],
    diet: Diet | None = None,
) -> Message:
    """Say which foods add vitamin K whose ``measure`` part cannot be counted by vitamer."""
    why: dict[str, list[str]] = {}
    for food, label in missing:
        why.setdefault(food, []).append(label)
    for food, pool in unsplit:
        why.setdefault(food, []).append(pool)
    what = measure.description.removesuffix(" only")  # "menaquinone-7"
    counted = [v.label for v in measure.weights]
    short = counted[0] if len(counted) == 1 and not measure.pools else what  # "MK-7"
    reasons = list(why.values())

    def detail(lang: str, i: int) -> str:
        labels = [v for v in Vitamer if v.label in reasons[i]]
        forms = _in_words(describe_vitamers(labels), lang)
        named = [_NOT_ANALYSED[lang].format(forms=forms)] if labels else []
        named += [_POOL_WORDS[lang][r] for r in reasons[i] if r in _POOL_WORDS[lang]]
        return ("; " if lang == "en" else "；").join(named)

    return Message(
        "foods add vitamin K that cannot be counted by vitamer: {parts}; how much {what} they "
        "add is unknown (not zero)",
        parts=_food_parts(list(why), detail, diet),
        what=Localized(what, zh=short, ja=short),
    )


_NOT_ANALYSED: Final = {
    "en": "{forms} not analysed",
    "zh": "{forms} 未分析",
    "ja": "{forms} は未分析",
}
#: The sums of forms a source may report, in words.
_POOL_WORDS: Final = {
    "en": {p.value: p.description for p in Pool},
    "zh": {"total_K": "维生素K各形式未分开", "total_MK": "甲萘醌类各同系物未分开"},
    "ja": {
        "total_K": "ビタミンKの形が分けられていない",
        "total_MK": "メナキノン類の同族体が分けられていない",
    },
}


def _reason(exc: Exception) -> str:
    """Return the message of ``exc``; a catalogue :class:`Message` if it was raised as one."""
    first = exc.args[0] if len(exc.args) == 1 else None
    return first if isinstance(first, Message) else str(exc)


def _guideline(value: Guideline | str) -> Guideline:
    return value if isinstance(value, Guideline) else guidelines[value]


def check(
    diet: Diet | Iterable[Item],
    person: Person,
    guideline: Guideline | str,
) -> Assessment:
    """Check a diet against one guideline for one person.

    Parameters
    ----------
    diet : Diet or iterable of Portion and Supplement
    person : Person
    guideline : Guideline or str
        A guideline or its id, such as ``"china-osteoporosis-2013"``.

    Returns
    -------
    Assessment
        With the measured intake, the target, the status, the gap and the guideline's
        citation; ``Status.NOT_APPLICABLE`` (and the reason in ``notes``) when the
        guideline sets no value for this person.
    """
    diet = diet_of(diet)
    if not isinstance(person, Person):
        raise PersonError(f"person needs a Person; got {type(person).__name__}")
    g = _guideline(guideline)
    intake, unattributed, notes = _intake(diet, g)
    if getattr(intake.magnitude, "ndim", 0):
        raise AmountTypeError(
            "diet: check() takes one amount per portion; for arrays of amounts (many "
            "people or days) use k2nutrition.cohort.assess"
        )
    intake = intake.to("mg/day" if g.nutrient in {"calcium", "mk4"} else "µg/day")
    unknown = _not_analysed(diet, g) if g.purpose != "safety" else []
    unsplit = _unsplit(diet, g.measure) if g.measure is not None and g.purpose != "safety" else []
    lower_bound = bool(unknown or unsplit)
    try:
        target = g.target_for(person)
    except NoTargetError as exc:
        return Assessment(
            g,
            person,
            Status.NOT_APPLICABLE,
            intake,
            None,
            notes=(_reason(exc), *_supplement_caution_notes(diet, person, g)),
            not_analysed=unknown,
            intake_is_lower_bound=lower_bound,
        )
    status, gap, ratio = _status(target, intake, lower_bound=lower_bound)
    notes = [*target.notes, *notes]
    if status in _STATUS_NOTES:
        notes.append(_STATUS_NOTES[status])
    if status is Status.ABOVE_UL and target.upper_limit is not None:
        from k2nutrition.display import exact_quantity

        notes.append(
            Message(
                "above the tolerable upper intake level of {ul}",
                ul=exact_quantity(target.upper_limit),
            )
        )
    if lower_bound:
        notes += _lower_bound_notes(status, target)
    if target.ul_not_set:
        notes.append("no upper level was set")
    notes += _not_analysed_note(unknown, g, diet)
    notes += _safety_notes(diet, person, g)
    notes += _supplement_caution_notes(diet, person, g)
    notes += _uncounted_supplement_notes(diet, g)
    k1_only = _k1_only(diet, g, target)
    k1_unknown: list[str] = []
    if k1_only is not None:
        k1_unknown = _k1_unknown(diet)
        notes.append(_k1_only_note(g, k1_only, target, k1_unknown, diet))
    return Assessment(
        g, person, status, intake, target, gap, ratio, unattributed, tuple(notes), unknown,
        intake_k1_only=k1_only, intake_is_lower_bound=lower_bound,
        intake_k1_only_is_lower_bound=bool(k1_unknown),
    )  # fmt: skip


def _lower_bound_notes(status: Status, target: Target) -> list[str]:
    """Say what a lower bound at or above the target leaves open (the range's top, the UL)."""
    notes: list[str] = []
    if status is Status.WITHIN_RANGE:
        notes.append(_MAY_BE_ABOVE_RANGE)
    ul = target.upper_limit
    if ul is not None and status not in {Status.ABOVE_UL, Status.UNKNOWN, *_BELOW}:
        notes.append(
            Message(
                "the intake counted is a lower bound: what the foods' sources did not analyse "
                "could put it above the tolerable upper intake level of {ul}",
                ul=f"{ul.magnitude:.4g} {ul.units:~P}",
            )
        )
    return notes


def _k1_unknown(diet: Diet) -> list[str]:
    """Return the foods whose K1 is unknown: not analysed, or inside a total."""
    foods = [food for food, _v in (*_missing(diet, K1_ONLY), *_unsplit(diet, K1_ONLY))]
    return list(dict.fromkeys(foods))


def _k1_only(diet: Diet, g: Guideline, target: Target) -> Quantity | None:
    """Return the intake counted as K1 only, for guidelines derived from phylloquinone."""
    if g.derived_from != "K1" or g.measure is None or g.measure.name == "K1_ONLY":
        return None
    if isinstance(diet, _OnceDiet):
        intake, _ = diet.measured(K1_ONLY)
    else:
        intake = K1_ONLY(diet.vitamin_k)
    return intake.to("µg/day")


def _k1_only_note(
    g: Guideline, k1_only: Quantity, target: Target, unknown_in: Sequence[str], diet: Diet
) -> Message:
    """Say what the intake is counted as K1 only (at least that, where some K1 is unknown)."""
    bound = _at_least(unknown_in)
    msgid = (
        "{guideline}'s values were derived from phylloquinone (K1) data; counted as K1 only, "
        f"the intake is {bound}{{amount}} µg/day"
    )
    args: dict[str, Any] = {"guideline": g.id, "amount": f"{k1_only.magnitude:.4g}"}  # as before
    if target.low is not None and target.value_type in {"AI", "RNI", "RDA", "per_kg_bw"}:
        args["share"] = f"{float(k1_only.magnitude / target.low.to('µg/day').magnitude):.0%}"
        msgid += f" ({bound}{{share}} of the target)"
    if unknown_in:
        msgid += (
            "; K1 was not analysed (or not separated from other forms) by the source of {foods}"
        )
        args["foods"] = _food_names(unknown_in, diet)
    return Message(msgid, **args)


def _safety_notes(diet: Diet, person: Person, g: Guideline) -> list[str]:
    if (
        not person.on_anticoagulant
        or g.purpose != "adequacy"
        or g.nutrient
        not in {
            "vitamin_k",
            "vitamin_k2",
        }
    ):
        return []
    mk7 = diet.supplement_intake(Vitamer.MK7)
    if mk7.magnitude <= 0:
        return []
    return [
        Message(
            "on a vitamin K antagonist with {amount} µg/day of MK-7 from supplements: see the "
            "theuwissen-2013-vka and schurgers-2007-vka assessments",
            amount=_three(mk7.magnitude),
        )
    ]


def _uncounted_supplement_notes(diet: Diet, g: Guideline) -> list[str]:
    """Name the vitamin K supplements of forms that the guideline's measure does not count."""
    if g.measure is None:
        return []
    left = [
        f"{s.nutrient.label} {_three(s.daily_dose.to('µg/day').magnitude)} µg/day"
        for s in diet.supplements
        if isinstance(s.nutrient, Vitamer) and not g.measure.weights.get(s.nutrient)
    ]
    if not left:
        return []
    return [
        Message(
            "{guideline} counts {counts}; supplements of other forms are not in the intake: "
            "{supplements}",
            guideline=g.id,
            counts=g.measure.description,
            supplements=", ".join(left),
        )
    ]


def _supplement_caution_notes(diet: Diet, person: Person, g: Guideline) -> list[str]:
    """Say where vitamin K supplements pass a limit that an adequacy guideline sets for them.

    Such a limit (the NHS's "1 mg or less of vitamin K supplements a day") is stored as a
    ``caution_threshold`` row beside the guideline's target; it counts supplements only.
    """
    if g.purpose != "adequacy" or g.nutrient not in {"vitamin_k", "vitamin_k2"}:
        return []
    rows = [
        r
        for r in g.values
        if r.value_type == "caution_threshold"
        and r.value is not None
        and r.matches_sex(person.sex)
        and r.covers_age(person.age)
    ]
    if not rows:
        return []
    limit = min(rows, key=lambda r: float(r.value.to("µg/day").magnitude) if r.value else 0.0)
    assert limit.value is not None
    total = sum((diet.supplement_intake(v) for v in Vitamer), Q_(0.0, "µg/day"))
    if total <= limit.value:
        return []
    unit = f"{limit.value.units:~P}"
    return [
        Message(
            "vitamin K supplements give {amount} {unit}, above the {limit} {unit} that "
            "{guideline} gives as the most from supplements unlikely to cause harm ({where})",
            amount=_three(total.to(limit.value.units).magnitude),
            unit=unit,
            limit=f"{limit.value.magnitude:g}",
            guideline=g.id,
            where=limit.location,
        )
    ]


def _bone_notes(diet: Diet, person: Person) -> list[str]:
    if not diet.takes("calcium"):
        return []
    d = diet.vitamin_d
    k2 = MENAQUINONES(diet.vitamin_k)
    d_unknown = [f.name for f in diet.not_analysed("vitamin D")]
    k2_unknown = [
        food for food, _w in (*_missing(diet, MENAQUINONES), *_unsplit(diet, MENAQUINONES))
    ]
    k2_unknown = list(dict.fromkeys(k2_unknown))
    notes = []
    d_target = _safe_target("iom-2011-vitamin-d", person)
    k2_target = _safe_target("china-osteoporosis-2013", person)
    low_d = d_target is not None and d_target.low is not None and d < d_target.low
    low_k2 = k2_target is not None and k2_target.low is not None and k2 < k2_target.low
    if low_d or low_k2:
        parts = []
        if low_d and d_target is not None:
            parts.append(
                f"vitamin D from food and supplements {_at_least(d_unknown)}"
                f"{d.magnitude:.3g} µg/day ({d_target.describe()}, iom-2011-vitamin-d)"
            )
        if low_k2 and k2_target is not None:
            parts.append(
                f"vitamin K2 {_at_least(k2_unknown)}{k2.magnitude:.3g} µg/day "
                f"({k2_target.describe()}, china-osteoporosis-2013)"
            )
        notes.append(
            "a calcium supplement is taken while "
            + " and ".join(parts)
            + " is below target. What the evidence is: vitamin D is needed to absorb "
            "calcium (IOM 2011), and vitamin K is the cofactor that activates bone "
            "proteins such as osteocalcin. What it is not: no guideline seen quantifies a "
            "benefit of adding K2 to calcium; the only numeric K2 figure for healthy adults, "
            "the Chinese 2013 handbook's 50-120 µg/day, has low confidence"
        )
        unknown = [
            *([f"vitamin D in {', '.join(d_unknown)}"] if low_d and d_unknown else []),
            *([f"vitamin K2 in {', '.join(k2_unknown)}"] if low_k2 and k2_unknown else []),
        ]
        if unknown:
            notes.append(
                "an intake marked 'at least' counts only what the foods' sources analysed, so "
                "it may not be below target: not analysed (or not separated from other forms): "
                + "; ".join(unknown)
            )
    return notes


def _three(x: float) -> str:
    """Write ``x`` to three significant figures without an exponent (1500, not 1.5e+03)."""
    from k2nutrition.display import exact_number

    return exact_number(float(f"{x:.3g}"))


def _at_least(unknown_in: Sequence[str]) -> str:
    return "at least " if unknown_in else ""


def _safe_target(guideline_id: str, person: Person) -> Target | None:
    try:
        return guidelines[guideline_id].target_for(person)
    except NoTargetError:
        return None


class _OnceDiet(Diet):
    """A diet whose sums are worked out once, for checking it against many guidelines.

    Each guideline asks the diet for the same intakes; :func:`check_all` hands this copy to
    every :func:`check`, so that the pint arithmetic of a sum runs once per call. (A plain
    subclass of the slotted, frozen ``Diet`` has an instance dictionary for the cache.)
    """

    @functools.cached_property
    def vitamin_k(self) -> VitaminK:
        """Average daily vitamin K from foods and supplements, computed once."""
        return super().vitamin_k

    @functools.cached_property
    def from_foods(self) -> VitaminK:
        """Average daily vitamin K from foods alone, computed once."""
        return super().from_foods

    @functools.cached_property
    def supplements(self) -> tuple[Supplement, ...]:
        """The supplements of the diet, found once."""
        return super().supplements

    def measured(self, measure: Measure) -> tuple[Quantity, Quantity]:
        """Return the intake counted by ``measure`` and the part it cannot count, once."""
        return cast(
            "tuple[Quantity, Quantity]",
            self._once_call(
                ("measure", measure.name),
                lambda: (measure(self.vitamin_k), measure.unattributed(self.vitamin_k)),
            ),
        )

    def _once_call(self, key: tuple[str, object], compute: Callable[[], Any]) -> Any:
        cache: dict[tuple[str, object], Any] = self.__dict__.setdefault("_sums", {})
        if key not in cache:
            cache[key] = compute()
        return cache[key]

    def _once(self, name: str, nutrient: object) -> Any:
        return self._once_call((name, nutrient), lambda: getattr(Diet, name)(self, nutrient))

    def supplement_intake(self, nutrient: Vitamer | Nutrient | str) -> Quantity:
        """Average daily intake of ``nutrient`` from supplements alone, computed once."""
        return cast("Quantity", self._once("supplement_intake", nutrient))

    def intake(self, nutrient: Nutrient | str) -> Quantity:
        """Average daily calcium or vitamin D, computed once."""
        return cast("Quantity", self._once("intake", nutrient))

    def not_analysed(self, nutrient: Nutrient | str) -> tuple[Food, ...]:
        """Foods whose source did not analyse ``nutrient``, found once."""
        return cast("tuple[Food, ...]", self._once("not_analysed", nutrient))


#: The nutrients checked by default by :func:`check_all`.
DEFAULT_NUTRIENTS: Final = ("vitamin_k", "vitamin_k2")


def check_all(
    diet: Diet | Iterable[Item],
    person: Person,
    *,
    nutrients: Iterable[str] | None = None,
) -> CheckReport:
    """Check a diet against every guideline for the chosen nutrients.

    Parameters
    ----------
    diet : Diet or iterable of Portion and Supplement
    person : Person
    nutrients : iterable of str, optional
        By default vitamin K and K2 adequacy guidelines; the MK-7 caution figures are
        added for a person on an anticoagulant, and calcium and vitamin D guidelines for
        a diet with a calcium supplement.

    Returns
    -------
    CheckReport
        One assessment per guideline, including those that set no value for the person
        (``Status.NOT_APPLICABLE`` with the reason).
    """
    diet = diet_of(diet)
    chosen = set(DEFAULT_NUTRIENTS if nutrients is None else _nutrients(nutrients))
    selected = [g for g in guidelines if g.nutrient in chosen and g.purpose == "adequacy"]
    if nutrients is None:
        if person.on_anticoagulant:
            selected += [g for g in guidelines if g.purpose == "safety"]
        if diet.takes("calcium"):
            selected += [g for g in guidelines if g.nutrient in {"calcium", "vitamin_d"}]
    else:
        selected = [g for g in guidelines if g.nutrient in chosen]
    once = _OnceDiet(diet.items)
    report = tuple(check(once, person, g) for g in selected)
    return CheckReport(report, (DISCLAIMER, *_bone_notes(diet, person)))


def _nutrients(nutrients: object) -> set[str]:
    """Return the chosen nutrients, each one a nutrient some guideline is for, or raise."""
    if isinstance(nutrients, str):
        nutrients = [nutrients]
    if not isinstance(nutrients, Iterable):
        raise CheckError(f"nutrients needs a list of names; got {type(nutrients).__name__}")
    known = sorted({g.nutrient for g in guidelines})
    chosen = set()
    for n in nutrients:
        if not isinstance(n, str) or n not in known:
            raise CheckError(f"nutrients: no guideline is for {n!r}; known: {', '.join(known)}")
        chosen.add(n)
    return chosen


@attrs.frozen
class Suggestion:
    """The smallest daily portion of one food that closes a gap on its own.

    ``grams`` is ``None`` (with the reason in ``note``) when the food holds nothing that
    the guideline's measure counts.
    """

    food: Food = attrs.field(repr=lambda f: repr(f.id))
    grams: Quantity | None
    servings: float | None = None
    note: str = ""


def suggest(
    diet: Diet | Iterable[Item],
    person: Person,
    guideline: Guideline | str,
    foods: Iterable[Food | str] = ("natto", "douchi", "spinach"),
) -> list[Suggestion]:
    """Return, for each food, the smallest daily portion that closes the gap alone.

    Examples
    --------
    >>> from k2nutrition import Diet, Person
    >>> s = suggest(Diet([]), Person(age=55, sex="female"), "china-osteoporosis-2013", ["natto"])
    >>> round(s[0].grams.magnitude, 2)
    5.32
    """
    assessment = check(diet, person, guideline)
    g = assessment.guideline
    if g.measure is None:
        raise CheckError(f"suggest works for vitamin K guidelines; {g.id} is for {g.nutrient}")
    gap = assessment.gap
    diet_note = ""
    if assessment.intake_is_lower_bound:
        diet_note = (
            "closes the gap of the intake counted, a lower bound: what the diet's foods' "
            "sources did not analyse may close part of it, so less may do"
        )
    out = []
    for item in foods:
        record = item if isinstance(item, Food) else _table_food(item)
        per_gram = float(g.measure(record.content).to("µg/g").magnitude)
        if gap is None:
            out.append(Suggestion(record, None, None, _no_gap_reason(assessment)))
            continue
        if gap.magnitude <= 0:
            out.append(Suggestion(record, Q_(0.0, "g"), 0.0, "no gap to close"))
            continue
        if per_gram <= 0 or not math.isfinite(per_gram):
            why = f"holds nothing that {g.id} counts ({g.measure.description})"
            if g.measure.unattributed(record.content).magnitude > 0:
                why = f"its source reports only a sum of forms, which {g.id} cannot count"
            elif missing := g.measure.not_analysed(record.content):
                why = (
                    f"holds nothing that {g.id} counts among what its source analysed; "
                    f"{describe_vitamers(missing)} not analysed"
                )
            out.append(Suggestion(record, None, None, why))
            continue
        grams = float(gap.to("µg/day").magnitude) / per_gram
        servings = None
        if record.serving is not None:
            servings = grams / float(record.serving.to("g").magnitude)
        notes = [diet_note] if diet_note else []
        if missing := g.measure.not_analysed(record.content):
            notes.append(
                f"its source did not analyse {describe_vitamers(missing)}, which {g.id} "
                "counts, so less may do"
            )
        if g.measure.unsplit(record.content):
            notes.append(
                f"its source reports a sum of forms that {g.id} cannot split, so less may do"
            )
        out.append(Suggestion(record, Q_(grams, "g"), servings, "; ".join(notes)))
    return out


def _no_gap_reason(assessment: Assessment) -> str:
    """Say why no gap could be computed for ``assessment`` (it is not a zero gap)."""
    g = assessment.guideline
    if assessment.status is Status.NOT_APPLICABLE:
        reasons = [str(n) for n in assessment.notes]
        return "no gap can be computed: " + (
            reasons[0] if reasons else f"{g.id} sets no value for this person"
        )
    if assessment.status in {Status.CAUTION, Status.BELOW_CAUTION}:
        return f"no gap can be computed: {g.id} gives a caution threshold, not a target to reach"
    if assessment.status is Status.REFERENCE_ONLY:
        return f"no gap can be computed: {g.id} gives a therapeutic dose, not a target to reach"
    return f"no gap can be computed for {g.id}"


def _table_food(name: str) -> Food:
    return foods[name]
