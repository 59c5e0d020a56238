"""Names across scripts: the national romanisation of Georgian, and a name key for matching.

`romanise()` follows Georgia's national system of 2002 (the one on passports and road signs).
Passports leave out the apostrophes that mark ejective consonants (კ k', პ p', ტ t', ყ q',
წ ts', ჭ ch'), so the Latin form suggested for a passport name leaves them out too; pass
`apostrophes=True` for the full system.

`name_key()` reduces a name in any script (Georgian, Latin as a passport or a person writes it,
Russian Cyrillic) to a skeleton in which spelling variants meet: "ცხვედიანი", "Tskhvediani",
"Tsxvediani" and "Цхведиани" all become "cxvediani". It is for finding candidates, not for
display: different names may share a key, and the search ranks candidates afterwards.
"""

import re
import unicodedata

from gza.core.text import _ROMANISATION
from gza.core.text import romanise as _romanise

_GEORGIAN = dict(_ROMANISATION)
# Mtavruli (capital) letters, as some people type names in capitals, map to the same sounds.
_MTAVRULI_OFFSET = ord("Ა") - ord("ა")
_GEORGIAN.update({chr(ord(k) + _MTAVRULI_OFFSET): v for k, v in list(_GEORGIAN.items())})

_CYRILLIC = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "е": "e",
    "ё": "e",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "й": "i",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "p",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "sh",
    "ъ": "",
    "ы": "i",
    "ь": "",
    "э": "e",
    "ю": "iu",
    "я": "ia",
}

# Latin letters with marks used by the older scientific transliteration.
_MARKED = {"š": "sh", "č": "ch", "ž": "zh", "ǰ": "j", "ɣ": "gh", "ğ": "gh", "ǧ": "gh", "x̣": "q"}

# Spelling variants that meet in the key, longest first.
_SKELETON = [
    # Russian-style "Dzhaparidze" and French/English "Djaparidze" for ჯაფარიძე.
    ("dzh", "j"),
    ("tch", "c"),
    ("tsh", "c"),
    ("kh", "x"),
    ("gh", "g"),
    ("ch", "c"),
    ("sh", "s"),
    ("zh", "z"),
    ("ts", "c"),
    ("tz", "c"),
    ("dz", "z"),
    ("ph", "p"),
    ("th", "t"),
    ("ck", "k"),
    ("dj", "j"),
    ("q", "k"),
    # Georgian has no f: an "f" typed for ფ is a p.
    ("f", "p"),
    ("w", "v"),
    ("y", "i"),
]
_SKELETON_RE = re.compile("|".join(re.escape(a) for a, _ in _SKELETON))
_SKELETON_MAP = dict(_SKELETON)
_NOT_LETTER = re.compile(r"[^a-z]+")


def _skeleton(latin: str) -> str:
    plain = []
    for ch in latin.lower():
        plain.append(_MARKED.get(ch, ch))
    decomposed = unicodedata.normalize("NFKD", "".join(plain))
    letters = _NOT_LETTER.sub("", "".join(c for c in decomposed if not unicodedata.combining(c)))
    return _SKELETON_RE.sub(lambda m: _SKELETON_MAP[m.group(0)], letters)


# Georgian and Russian letters go straight to their letters of the key (ც → c, not "ts" → c),
# so one mistyped letter in those scripts is always one edit of the key; only Latin, where
# one sound takes two letters, goes through the digraph rules.
_DIRECT = {ka: _skeleton(latin.replace("'", "")) for ka, latin in _GEORGIAN.items()}
_DIRECT.update({ru: _skeleton(latin) for ru, latin in _CYRILLIC.items()})


def has_georgian(text: str) -> bool:
    return any(ch in _GEORGIAN for ch in text)


def romanise(text: str, *, apostrophes: bool = False) -> str:
    """Georgian letters in Latin by the 2002 national system, each part of a name capitalised
    as a passport's Latin line writes it ("ლევან-ნიკო" → "Levan-Niko")."""
    latin = _romanise(text, apostrophes=apostrophes)
    return re.sub(r"[^\s\-]+", lambda m: m.group(0)[:1].upper() + m.group(0)[1:], latin)


def name_key(text: str) -> str:
    """The script-independent skeleton of a name (see the module's docstring); "" for none."""
    # Russian writes ჯ as "дж", ძ as "дз", and the ending ია as "ия".
    text = (text or "").lower().replace("дж", "j").replace("дз", "з").replace("ия", "иа")
    out: list[str] = []
    latin: list[str] = []
    for ch in text:
        direct = _DIRECT.get(ch)
        if direct is None:
            latin.append(ch)
            continue
        if latin:
            out.append(_skeleton("".join(latin)))
            latin = []
        out.append(direct)
    if latin:
        out.append(_skeleton("".join(latin)))
    return "".join(out)


def deletions(key: str, distance: int = 1) -> set[str]:
    """The key and every string made by deleting up to `distance` of its letters: two keys
    within that many edits of each other share one (the symmetric-delete idea), so a typo is
    found by an exact index look-up instead of comparing against every name."""
    found = {key}
    frontier = {key}
    for _step in range(distance):
        frontier = {word[:i] + word[i + 1 :] for word in frontier for i in range(len(word))}
        found |= frontier
    return found


def edit_distance(a: str, b: str, limit: int = 3) -> int:
    """Edits (insert, delete, substitute, swap two neighbours) between two keys, counted up to
    `limit`; the symmetric-delete look-up over-generates, this confirms the candidates."""
    if abs(len(a) - len(b)) >= limit:
        return limit
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) >= limit:
            return limit
        previous2, previous = previous, current
    return min(previous[-1], limit)
