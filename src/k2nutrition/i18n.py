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
"""

from __future__ import annotations

import functools
import gettext
from importlib import resources
from typing import Final

__all__ = ["DISCLAIMER", "DOMAIN", "LANGUAGES", "N_", "translation"]

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
