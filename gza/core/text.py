"""Text utilities that respect Georgian script.

Python's str.upper() maps mkhedruli letters to their Mtavruli capitals (U+1C90..U+1CBF), which
ordinary Georgian text never uses. Django's capfirst() does exactly that to every label, so Gza
replaces it with a version that leaves Georgian letters alone.
"""

import re
import sys
import unicodedata
from typing import Any

import django.utils.text
from django.utils.functional import keep_lazy_text

MKHEDRULI = range(0x10D0, 0x1100)
MTAVRULI = range(0x1C90, 0x1CC0)

_original_capfirst = django.utils.text.capfirst


def is_georgian_letter(char: str) -> bool:
    return len(char) == 1 and (ord(char) in MKHEDRULI or ord(char) in MTAVRULI)


@keep_lazy_text
def capfirst(value: Any) -> str:
    """Capitalise the first letter, unless it is Georgian (Georgian has no capitals in prose)."""
    if not value:
        return value
    text = str(value)
    if is_georgian_letter(text[0]):
        return text
    return text[0].upper() + text[1:]


def install_georgian_safe_capfirst() -> None:
    """Replace Django's capfirst everywhere it has already been imported, and at its source.

    Modules imported later (admin helpers, forms) pick up the replacement from django.utils.text.
    """
    django.utils.text.capfirst = capfirst
    for module in list(sys.modules.values()):
        if getattr(module, "capfirst", None) is _original_capfirst:
            module.capfirst = capfirst  # type: ignore[attr-defined]


def slugify(value: str) -> str:
    """A slug that keeps Georgian letters (Django drops them unless allow_unicode is set)."""
    return django.utils.text.slugify(value, allow_unicode=True)


# The 2002 national romanisation system of Georgian (used in passports).
_ROMANISATION = {
    "ა": "a", "ბ": "b", "გ": "g", "დ": "d", "ე": "e", "ვ": "v", "ზ": "z", "თ": "t", "ი": "i",
    "კ": "k'", "ლ": "l", "მ": "m", "ნ": "n", "ო": "o", "პ": "p'", "ჟ": "zh", "რ": "r", "ს": "s",
    "ტ": "t'", "უ": "u", "ფ": "p", "ქ": "k", "ღ": "gh", "ყ": "q'", "შ": "sh", "ჩ": "ch",
    "ც": "ts", "ძ": "dz", "წ": "ts'", "ჭ": "ch'", "ხ": "kh", "ჯ": "j", "ჰ": "h",
}  # fmt: skip


def romanise(text: str, *, apostrophes: bool = False) -> str:
    """Romanise Georgian text by the national system.

    Passports print the system without the apostrophes that mark ejectives; that is the default.
    """
    out = []
    for char in text:
        latin = _ROMANISATION.get(char)
        if latin is None:
            out.append(char)
        else:
            out.append(latin if apostrophes else latin.replace("'", ""))
    return "".join(out)


def title_case_name(text: str) -> str:
    """Capitalise each word of a romanised or foreign name; Georgian words stay as they are."""
    return " ".join(capfirst(word.lower()) if word else word for word in text.split(" "))


_SPACES = re.compile(r"\s+")


def normalise_for_search(text: str) -> str:
    """Lower-case, strip accents and collapse spaces, so search works across scripts."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACES.sub(" ", stripped).strip()
