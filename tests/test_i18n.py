"""The message catalogue: complete, compiled from its sources, and used with a fallback."""

from __future__ import annotations

import ast
import gettext
import re
import string
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from k2nutrition.checks import Status
from k2nutrition.i18n import LANGUAGES, Localized, Message, localize, translation
from k2nutrition.sources import Confidence

SRC = Path(__file__).resolve().parent.parent / "src" / "k2nutrition"
CATALOGUES = [lang for lang in LANGUAGES if lang != "en"]


def _po(lang: str) -> dict[str, str]:
    path = SRC / "locale" / lang / "LC_MESSAGES" / "k2nutrition.po"
    with path.open("rb") as fp:
        catalog = read_po(fp)
    return {str(m.id): str(m.string) for m in catalog if m.id}


def _marked() -> set[str]:
    """Every message id the code marks: ``N_("...")`` and ``Message("...", brief="...")``."""
    found: set[str] = set()
    for path in SRC.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            if node.func.id not in {"N_", "Message"}:
                continue
            args = [*node.args[:1], *(k.value for k in node.keywords if k.arg == "brief")]
            found |= {
                a.value for a in args if isinstance(a, ast.Constant) and isinstance(a.value, str)
            }
    return found


def _fields(text: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("lang", CATALOGUES)
def test_catalogue_translates_every_marked_message(lang: str) -> None:
    po = _po(lang)
    marked = _marked()
    assert len(marked) > 50
    missing = sorted(m for m in marked if not po.get(m))
    assert not missing, f"{lang}: no translation for {missing}"


@pytest.mark.parametrize("lang", CATALOGUES)
def test_translations_keep_the_placeholders(lang: str) -> None:
    # a translation may leave a value out (a life stage written in English), never add one
    for msgid, msgstr in _po(lang).items():
        assert _fields(msgstr) <= _fields(msgid), msgid


@pytest.mark.parametrize("lang", CATALOGUES)
def test_statuses_and_confidences_are_translated(lang: str) -> None:
    po = _po(lang)
    for text in [*(s.value for s in Status), *(c.value for c in Confidence)]:
        assert po.get(text), text


@pytest.mark.parametrize("lang", CATALOGUES)
def test_compiled_catalogue_matches_its_source(lang: str) -> None:
    # the .mo shipped in the package is compiled from the .po (pybabel compile)
    mo = SRC / "locale" / lang / "LC_MESSAGES" / "k2nutrition.mo"
    with mo.open("rb") as fp:
        compiled = gettext.GNUTranslations(fp)
    for msgid, msgstr in _po(lang).items():
        assert compiled.gettext(msgid) == msgstr, f"{lang}: recompile the catalogue ({msgid!r})"


def test_english_is_the_message_itself_and_unknown_languages_are_refused() -> None:
    assert localize("adequacy likely", "en") == "adequacy likely"
    assert localize("adequacy likely", "zh") == "可能充足"
    assert localize("adequacy likely", "ja") == "充足の可能性が高い"
    assert localize("a text nobody translated", "zh") == "a text nobody translated"
    with pytest.raises(ValueError, match="unknown language"):
        translation("xx")


def test_messages_format_their_values_in_each_language() -> None:
    names = Localized("Hard cheese", zh="硬奶酪", ja="ハードチーズ")
    m = Message(
        "{amount} µg/day of vitamin K comes from foods whose source reports only a sum of "
        "forms ({foods}); a guideline that counts only some forms leaves it out",
        amount="84.6",
        foods=names,
    )
    assert str(m).startswith("84.6 µg/day")
    assert "(Hard cheese)" in m
    zh = localize(m, "zh")
    assert "84.6" in zh
    assert "硬奶酪" in zh
    assert re.search(r"[\u4e00-\u9fff]", zh)
    assert "ハードチーズ" in localize(m, "ja")


@pytest.mark.parametrize(
    ("lang", "k1_only", "rni_range"),
    [
        ("zh", "的数值源自叶绿醌", "列为一个范围"),
        ("ja", "フィロキノン（K1）のデータから", "の範囲で示しています"),
    ],
)
def test_guideline_notes_are_translated(lang: str, k1_only: str, rni_range: str) -> None:
    # notes that were English in every language: a K1-only count, a range of RNIs, no value
    from k2nutrition import Person, Portion, check

    teen = Person(age=15, sex="female")
    diet = [Portion("natto", "40 g"), Portion("spinach", "50 g")]
    iom = check(diet, teen, "iom-2001")
    who = check(diet, teen, "who-fao-2004")
    assert any(k1_only in localize(n, lang) for n in iom.notes)
    assert any(rni_range in localize(n, lang) for n in who.notes)
    assert any("納豆" in localize(n, lang) or "纳豆" in localize(n, lang) for n in iom.notes)
    none = check(diet, teen, "china-osteoporosis-2013")  # set for adults only
    assert all("sets no value" not in localize(n, lang) for n in none.notes)
    assert any("sets no value for female, 15 y" in n for n in none.notes)  # English as it was


@pytest.mark.parametrize("lang", CATALOGUES)
@pytest.mark.parametrize(
    ("gid", "person"),
    [
        ("nnr-2023", {"age": 30, "sex": "female", "pregnant": True}),  # by trimester
        ("china-osteoporosis-2013", {"age": 30, "sex": "female", "pregnant": True}),
        ("china-osteoporosis-2013", {"age": 30, "sex": "female", "lactating": True}),
        ("efsa-2017", {"age": 16, "sex": "female", "pregnant": True}),  # not at 16
        ("efsa-2017", {"age": 14, "sex": "female", "lactating": True}),
        ("nnr-2023", {"age": 30, "sex": "female", "body_weight": "60 kg"}),  # per kg
        ("uk-nhs-2020", {"age": 30, "sex": "female", "body_weight": "60 kg"}),
    ],
)
def test_the_notes_of_a_target_are_translated(
    lang: str, gid: str, person: dict[str, object]
) -> None:
    from k2nutrition import Person
    from k2nutrition.guideline import guidelines

    notes = guidelines[gid].target_for(Person(**person)).notes
    assert notes
    for note in notes:
        assert localize(note, lang) != str(note), (gid, note)  # not left in English


@pytest.mark.parametrize("lang", CATALOGUES)
def test_the_anticoagulant_notes_are_translated(lang: str) -> None:
    # safety notes for a person on warfarin are read in the person's language
    from k2nutrition import Person, Portion, Supplement, check

    person = Person(age=60, sex="male", on_anticoagulant=True)
    a = check(
        [Supplement("MK-7", "90 µg"), Portion("natto", "40 g")], person, "theuwissen-2013-vka"
    )
    notes = [n for n in a.notes if "supplements" in n or "foods add" in n]
    assert len(notes) == 2
    for note in notes:
        assert localize(note, lang) != str(note), note
        assert "376" in localize(note, lang) or "theuwissen-2013-vka" in localize(note, lang)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("zh", "菠菜（K1, MK-4, MK-7 以外的所有形式）"),
        ("ja", "ほうれん草（K1, MK-4, MK-7 以外のすべての形）"),
    ],
)
def test_the_not_analysed_parts_name_foods_and_forms_in_the_language(
    lang: str, expected: str
) -> None:
    from k2nutrition import Person, Portion, check

    a = check([Portion("spinach", "50 g")], Person(age=40, sex="female"), "iom-2001")
    (note,) = [n for n in a.notes if n.startswith("not analysed")]
    assert "Spinach, raw (all but K1, MK-4, MK-7)" in note  # English as it was
    assert expected in localize(note, lang)


@pytest.mark.parametrize(
    ("lang", "expected"), [("zh", "豆豉（甲萘醌类各同系物未分开）"), ("ja", "豆豉（メナキノン類")]
)
def test_the_uncountable_foods_note_is_translated(lang: str, expected: str) -> None:
    from k2nutrition import Person, Portion, Supplement, check

    person = Person(age=60, sex="male", on_anticoagulant=True)
    diet: list[Portion | Supplement] = [Supplement("MK-7", "90 µg"), Portion("douchi", "20 g")]
    (note,) = [n for n in check(diet, person, "theuwissen-2013-vka").notes if "by vitamer" in n]
    assert "(menaquinones, homologues not separated)" in note  # English as it was
    assert expected in localize(note, lang)


@pytest.mark.parametrize("lang", CATALOGUES)
def test_the_safety_and_supplement_notes_are_translated(lang: str) -> None:
    from k2nutrition import Person, Supplement, check

    on_warfarin = Person(age=60, sex="male", on_anticoagulant=True, body_weight="70 kg")
    diet = [Supplement("MK-7", "1.5 mg"), Supplement("vitamin D", "250 µg")]
    checked = {
        gid: check(diet, on_warfarin, gid)
        for gid in ("iom-2001", "efsa-2017", "uk-nhs-2020", "iom-2011-vitamin-d")
    }
    wanted = {
        "iom-2001": "on a vitamin K antagonist with 1500 µg/day",  # not 1.5e+03
        "efsa-2017": "supplements of other forms are not in the intake: MK-7 1500 µg/day",
        "uk-nhs-2020": "vitamin K supplements give 1.5 mg/d, above the 1 mg/d",
        "iom-2011-vitamin-d": "above the tolerable upper intake level of 100 µg/d",  # not 100.0
    }
    for gid, text in wanted.items():
        (note,) = [n for n in checked[gid].notes if text in n]
        assert localize(note, lang) != str(note), (gid, note)
