"""Messages in English, Chinese and Japanese, through a gettext message catalogue.

The English text is the message id; translations live in the catalogue
``k2nutrition/locale/<lang>/LC_MESSAGES/k2nutrition.po`` (compiled to ``.mo``), so that a
translator edits one standard file and no dictionary of messages sits in the code. A
language without a catalogue, or a message without a translation, falls back to English.

Examples
--------
>>> from k2nutrition.i18n import translation
>>> translation("en").gettext("adequacy likely")
'adequacy likely'
>>> translation("zh").gettext("adequacy likely")
'可能充足'
"""

from __future__ import annotations

import functools
import gettext
from importlib import resources
from typing import Any, Final

__all__ = [
    "DISCLAIMER",
    "DOMAIN",
    "LANGUAGES",
    "N_",
    "Localized",
    "Message",
    "localize",
    "translation",
]

#: The gettext domain: the catalogues are ``locale/<lang>/LC_MESSAGES/k2nutrition.mo``.
DOMAIN: Final = "k2nutrition"
#: The languages the command line offers: English (the message ids) and the catalogues.
LANGUAGES: Final = ("en", "zh", "ja")


def N_(message: str) -> str:  # noqa: N802 - the conventional gettext name
    """Mark ``message`` for the catalogue without translating it (gettext's ``N_``)."""
    return message


#: Shown with every report.
DISCLAIMER: Final = N_(
    "Informational only, not medical advice: compares intake with published reference "
    "values; talk to a health professional before changing diet or supplements."
)


@functools.cache
def translation(lang: str = "en") -> gettext.NullTranslations:
    """Return the translations for ``lang`` (``"en"``, ``"zh"`` or ``"ja"``).

    English, or a language without a catalogue, gives :class:`gettext.NullTranslations`,
    which returns every message unchanged.
    """
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}: use one of {', '.join(LANGUAGES)}")
    if lang == "en":
        return gettext.NullTranslations()
    path = resources.files("k2nutrition") / "locale" / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
    try:
        with path.open("rb") as fp:
            return gettext.GNUTranslations(fp)
    except FileNotFoundError:
        return gettext.NullTranslations()


class Localized(str):
    """A text in English (the string itself) that knows its wording in other languages.

    Used for data that the catalogue does not hold, such as food names.

    Examples
    --------
    >>> name = Localized("natto", zh="纳豆", ja="納豆")
    >>> name, localize(name, "zh"), localize(name, "ko")
    ('natto', '纳豆', 'natto')
    """

    by_lang: dict[str, str]

    def __new__(cls, text: str, /, **by_lang: str) -> Localized:  # noqa: D102 - see the class
        self = super().__new__(cls, text)
        self.by_lang = {k: v for k, v in by_lang.items() if v}
        return self


class Message(str):
    """A message in English (the string itself) that remembers its catalogue id and values.

    The string is ``msgid.format(**args)``, so code that reads it as text sees English;
    :func:`localize` formats the translated id instead. ``brief`` is an optional shorter
    id (same values) for summaries.

    Examples
    --------
    >>> m = Message("above the tolerable upper intake level of {ul}", ul="1000 µg/d")
    >>> m
    'above the tolerable upper intake level of 1000 µg/d'
    >>> m.msgid, m.args
    ('above the tolerable upper intake level of {ul}', {'ul': '1000 µg/d'})
    """

    msgid: str
    args: dict[str, Any]
    brief: str | None

    def __new__(  # noqa: D102 - see the class
        cls, msgid: str, /, *, brief: str | None = None, **args: Any
    ) -> Message:
        self = super().__new__(cls, msgid.format(**args) if args else msgid)
        self.msgid = msgid
        self.args = args
        self.brief = brief
        return self

    def short(self) -> str:
        """Return the brief form in English, or the message itself when it has none."""
        return self.brief.format(**self.args) if self.brief else str(self)


def localize(text: object, lang: str = "en", *, brief: bool = False) -> str:
    """Return ``text`` in ``lang``: a :class:`Message` or :class:`Localized` text, or a string.

    A plain string is looked up in the catalogue as it stands (static texts such as
    statuses and fixed notes); what the catalogue does not hold stays in English.
    ``brief`` chooses a message's brief form.

    Examples
    --------
    >>> localize("adequacy likely"), localize("not in the catalogue", "zh")
    ('adequacy likely', 'not in the catalogue')
    """
    if isinstance(text, Localized):
        return text.by_lang.get(lang, str(text))
    t = translation(lang)
    if isinstance(text, Message):
        msgid = text.brief if brief and text.brief else text.msgid
        args = {k: localize(v, lang) for k, v in text.args.items()}
        return t.gettext(msgid).format(**args) if args else t.gettext(msgid)
    return t.gettext(str(text)) if lang != "en" else str(text)
