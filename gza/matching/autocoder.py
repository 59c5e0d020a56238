"""The occupation autocoder: free text, in any of the ways Georgians type a job title, to ranked
ISCO-08 codes with a confidence and the reason.

How it reads a title (docs/decisions/0018-occupation-autocoder.md):

1. Every word goes to a script-independent key (`gza.registry.names.name_key`: Georgian,
   Russian and Latin spellings of one sound meet, so "შემდუღებელი", "shemdughebeli" and
   "SemduRebeli" agree, and "svarshchik" meets "сварщик"). Latin typed on the Georgian keyboard
   layout (capitals for შ ღ თ ჩ ძ ჭ ჟ) is read a second way, as that layout's letters.
2. The key becomes features: character trigrams inside word boundaries (typos and inflected
   endings still share most of them) and word stems with common Georgian, Russian and English
   endings cut (so "შემდუღებლად" and "сварщиком" find their nominatives).
3. Features are weighted by TF-IDF over a lexicon of titles that ships in the repository: the
   ISCO-08 unit-group titles and the ILO index of titles (English), ESCO occupations' preferred,
   alternative and hidden labels (English), and titles in Georgian and Russian written for Gza
   (gza/taxonomy/data/isco08_titles_ka.csv, isco08_synonyms.csv). Nothing is downloaded.
4. The cosine similarity with every lexicon title (one sparse product) gives each unit group
   the score of its best title; a description and an industry, when given, add their own
   similarity at lower weight. Too vague a title (the best groups close together and sharing a
   broader group) puts the broader group first.

The confidence is the best score tempered by its lead over the runner-up; the threshold for
accepting a code without a person (imports) was calibrated on held-out titles
(bench/data/occupation_eval.tsv, split "calibration"; `AUTO_ACCEPT`).
"""

import csv
import functools
import io
import math
import re
import threading
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import sparse

from gza.registry.names import deletions, edit_distance, name_key

DATA = Path(__file__).resolve().parent.parent / "taxonomy" / "data"
ESCO_CLASSIFICATION = "esco_v1.1.1_classification_en_csv.zip"

# Texts longer than this are cut: a title is short, and the cost must stay bounded.
MAX_CHARS = 300
# Confidence at or above which an import may take the first code without a person (see the
# module's docstring; bench/matching_autocoder.py re-derives it and reports precision).
AUTO_ACCEPT = 0.60
# How much each source's titles are trusted (a preferred title beats an alternative label).
SOURCE_WEIGHT = {
    "isco": 1.0,
    "gza": 1.0,
    "esco": 0.97,
    "esco_alt": 0.93,
    "ilo": 0.95,
    "esco_hidden": 0.9,
    "isco_example": 0.95,
}
DESCRIPTION_SHARE = 0.25
INDUSTRY_SHARE = 0.1
STEM_WEIGHT = 1.6
HEAD_WEIGHT = 1.0
SUPPORT_BONUS = 0.1
SUPPORT_FLOOR = 0.4
CORRECTED_SHARE = 0.9
LONG_WORD = 10
MAX_DF = 1.0

# The Georgian keyboard layout on a Latin keyboard (capitals are the shifted letters).
_LAYOUT = dict(
    zip(
        "abgdevzTiklmnopJrstufqRySCcZwWxjh",
        "აბგდევზთიკლმნოპჟრსტუფქღყშჩცძწჭხჯჰ",
        strict=True,
    )
)
_LAYOUT_HINT = re.compile(r"[a-z][A-Z]|(?:^|\s)[SRTCZWJ][a-z]*[A-Z]")
_SHCH = re.compile(r"shch|sch(?=[aeiou])", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
# Endings cut from a word's key, longest first: Georgian case and plural endings, Russian case
# endings, English plural and agent endings; a stem keeps at least four letters.
_ENDINGS = sorted(
    {
        # Georgian (in the key: შ → s, ღ → g, ჩ → c ...)
        "ebisatvis",
        "ebistvis",
        "isatvis",
        "istvis",
        "ebsi",
        "ebma",
        "ebit",
        "ebad",
        "ebis",
        "ebs",
        "ebi",
        "isa",
        "ita",
        "ad",
        "it",
        "is",
        "si",
        "ma",
        "ze",
        # Russian (ы, й → i; я → ia; ю → iu)
        "ami",
        "iami",
        "ov",
        "ev",
        "om",
        "em",
        "oi",
        "ei",
        "ii",
        "ia",
        "iu",
        "aia",
        # English
        "ers",
        "es",
        # single vowels last (Georgian nominative -ი, Russian -а/-у/-е/-ы)
        "a",
        "e",
        "i",
        "o",
        "u",
        "s",
    },
    key=len,
    reverse=True,
)


# Words that say nothing about the occupation, as keys (Latin, Russian, Georgian).
_FUNCTION_WORDS = frozenset(
    [
        name_key(word)
        for word in [
            "in",
            "at",
            "on",
            "for",
            "of",
            "and",
            "the",
            "a",
            "an",
            "with",
            "to",
            "from",
            "as",
            "by",
            "or",
            "в",
            "на",
            "по",
            "для",
            "и",
            "с",
            "со",
            "из",
            "от",
            "к",
            "у",
            "о",
            "при",
            "или",
            "работал",
            "работала",
            "работаю",
            "работать",
            "опыт",
            "და",
            "ან",
            "როგორც",
            "ვმუშაობდი",
            "ვმუშაობ",
            "ვმუშაობდით",
            "ვარ",
            "ვიყავი",
        ]
    ]
)
_QUALIFIER = re.compile(r"\s(?:in|at|for|with|on|from|of)\s|[(,/–—]|\s-\s", re.IGNORECASE)
_ADJECTIVE_ENDINGS = ("ii", "oi", "aia", "oe", "ie", "ia", "ogo", "ikh", "ix")


@dataclass(frozen=True)
class Suggestion:
    code: str
    confidence: float  # 0..1
    matched: str  # the lexicon title that matched best
    language: str  # ka, en, ru
    source: str  # isco, ilo, esco, esco_alt, esco_hidden, gza, isco_example
    similarity: float  # cosine of the text with that title, 0..1
    broader: bool = False  # a group above unit level, for a title too vague for a unit


@dataclass(frozen=True)
class _Entry:
    code: str
    text: str
    language: str
    source: str


def _readings(text: str) -> list[str]:
    """The ways to read a text: as typed, and, for Latin with capitals inside words, as the
    Georgian keyboard layout would have produced it."""
    readings = [text]
    if _LAYOUT_HINT.search(text) and not any("\u10a0" <= ch <= "\u10ff" for ch in text):
        readings.append("".join(_LAYOUT.get(ch, ch) for ch in text))
    return readings


@functools.lru_cache(maxsize=200_000)
def _stem(key: str) -> str:
    for ending in _ENDINGS:
        if key.endswith(ending) and len(key) - len(ending) >= 4:
            return key[: -len(ending)]
    return key


@functools.lru_cache(maxsize=200_000)
def _word_key(word: str) -> str:
    # Russian щ typed in Latin ("svarshchik", "svarschik") is one sound, like ш.
    return name_key(_SHCH.sub("sh", word))


def keys(text: str) -> list[str]:
    """The script-independent keys of a text's words, without function words ("in", "на",
    "ვმუშაობდი") unless there is nothing else."""
    text = unicodedata.normalize("NFKC", text)[:MAX_CHARS]
    out = []
    for word in _WORD.findall(text):
        key = _word_key(word)
        if key:
            out.append(key)
    content = [key for key in out if key not in _FUNCTION_WORDS]
    return content or out


@functools.lru_cache(maxsize=100_000)
def _title_keys(text: str) -> tuple[tuple[str, ...], str | None]:
    """The keys of a title and its head word (the head is found before a qualifying phrase
    in Latin and Georgian: "carer in a residential home" → carer)."""
    cut = _QUALIFIER.split(unicodedata.normalize("NFKC", text)[:MAX_CHARS], maxsplit=1)[0]
    word_keys = keys(text)
    head_keys = keys(cut) or word_keys
    return tuple(word_keys), _head(cut, head_keys)


def _head(text: str, word_keys: Sequence[str]) -> str | None:
    """The word that names the occupation: in Russian the first noun ("сборщик пластиковых
    окон", past leading adjectives); in Georgian and English the last word before a
    qualifying phrase ("fruit picker in a greenhouse", "ხილის მკრეფი")."""
    if not word_keys:
        return None
    if any("\u0400" <= ch <= "\u04ff" for ch in text):
        for key in word_keys:
            if not key.endswith(_ADJECTIVE_ENDINGS):
                return key
        return word_keys[-1]
    return word_keys[-1]


def _features(word_keys: Sequence[str], head: str | None = None) -> dict[str, float]:
    feats: dict[str, float] = {}
    if not word_keys:
        return feats
    if head:
        feats["^" + _stem(head)] = HEAD_WEIGHT
    for key in word_keys:
        padded = f" {key} "
        for i in range(len(padded) - 2):
            gram = padded[i : i + 3]
            feats[gram] = feats.get(gram, 0.0) + 1.0
        if len(key) >= 2:
            stem = "#" + _stem(key)
            feats[stem] = feats.get(stem, 0.0) + STEM_WEIGHT
    return feats


def _distinct(entries: Iterable[_Entry]) -> list[_Entry]:
    """One title per code and reading: titles that give the same features ("Picker, fruit" and
    "fruit picker", a label in two sources) are kept once, from the most trusted source."""
    best: dict[tuple, _Entry] = {}
    for entry in sorted(set(entries), key=lambda e: (e.code, e.source, e.text)):
        word_keys, head = _title_keys(entry.text)
        signature = (entry.code, tuple(sorted(word_keys)), head)
        kept = best.get(signature)
        if kept is None or SOURCE_WEIGHT[entry.source] > SOURCE_WEIGHT[kept.source]:
            best[signature] = entry
    # Sorted by code so a code's titles are one contiguous slice (np.maximum.reduceat).
    return sorted(best.values(), key=lambda e: (e.code, e.source, e.text))


class Autocoder:
    """The lexicon as a sparse TF-IDF matrix (titles × features), built once per process."""

    def __init__(self, entries: Iterable[_Entry], unit_titles: dict[str, str]) -> None:
        self.entries = _distinct(entries)
        self.unit_titles = unit_titles
        vocabulary: dict[str, int] = {}
        rows, cols, vals = [], [], []
        self.words: dict[str, int] = {}
        for row, entry in enumerate(self.entries):
            word_keys, head = _title_keys(entry.text)
            for key in word_keys:
                self.words[key] = self.words.get(key, 0) + 1
            for feat, count in _features(word_keys, head).items():
                col = vocabulary.setdefault(feat, len(vocabulary))
                rows.append(row)
                cols.append(col)
                vals.append(count)
        self.vocabulary = vocabulary
        # The lexicon's words and their one- and two-letter deletions, to correct typos.
        self.deletes: dict[str, list[str]] = {}
        for key in self.words:
            if len(key) >= 4:
                for variant in deletions(key, 2 if len(key) >= LONG_WORD else 1):
                    self.deletes.setdefault(variant, []).append(key)
        counts = sparse.csr_matrix(
            (np.array(vals, dtype=np.float32), (rows, cols)),
            shape=(len(self.entries), len(vocabulary)),
        )
        document_frequency = np.bincount(counts.indices, minlength=len(vocabulary))
        # Letter groups in a large share of all titles ("er ", " ma") tell titles apart
        # little and cost most of the product: they are left out on both sides.
        keep = document_frequency <= MAX_DF * len(self.entries)
        self.common = {feat for feat, col in vocabulary.items() if not keep[col]}
        kept = np.flatnonzero(keep)
        counts = counts[:, kept].tocsr()
        document_frequency = document_frequency[kept]
        names = list(vocabulary)
        self.vocabulary = vocabulary = {names[col]: new for new, col in enumerate(kept)}
        self.idf = np.log((1 + len(self.entries)) / (1 + document_frequency)).astype(np.float32)
        self.idf += 1.0
        self.idf_list = self.idf.tolist()
        self.idf_max = float(self.idf.max())
        matrix = counts.copy()
        matrix.data = 1.0 + np.log(matrix.data)
        matrix = matrix.multiply(self.idf).tocsr()
        norms = np.sqrt(matrix.multiply(matrix).sum(axis=1)).A1
        norms[norms == 0] = 1.0
        self.matrix = sparse.csr_matrix(sparse.diags(1.0 / norms) @ matrix, dtype=np.float32)
        codes = [e.code for e in self.entries]
        self.codes = sorted(set(codes))
        self.starts = np.array([codes.index(c) for c in self.codes], dtype=np.int64)
        self.source_weight = np.array(
            [SOURCE_WEIGHT[e.source] for e in self.entries], dtype=np.float32
        )
        # Each title's trust folded into its row: one product gives weighted similarities.
        self.matrix_wt = (sparse.diags(self.source_weight) @ self.matrix).T.tocsr()
        # Titles × codes: 1 where the title is one of the code's.
        owner_code = np.searchsorted(self.starts, np.arange(len(self.entries)), "right") - 1
        self.titles_of_code = sparse.csr_matrix(
            (
                np.ones(len(self.entries), dtype=np.float32),
                (np.arange(len(self.entries)), owner_code),
            ),
            shape=(len(self.entries), len(self.starts)),
        )

    # -- vectors -----------------------------------------------------------------------------
    def _vector(self, feats: dict[str, float]) -> dict[int, float] | None:
        """A unit-length TF-IDF vector as {column: value}; None if no feature is known."""
        vector: dict[int, float] = {}
        unknown = 0.0
        for feat, count in feats.items():
            col = self.vocabulary.get(feat)
            if col is None and feat in self.common:
                continue
            if col is None:
                # Unknown features still lengthen the query: a title half made of unknown
                # words matches half as well.
                unknown += ((1.0 + math.log(count)) * self.idf_max) ** 2
            else:
                vector[col] = (1.0 + math.log(count)) * self.idf_list[col]
        if not vector:
            return None
        norm = math.sqrt(sum(v * v for v in vector.values()) + unknown)
        return {col: value / norm for col, value in vector.items()}

    def _corrected(self, word_keys: list[str]) -> list[str]:
        """Words the lexicon does not know replaced by the nearest it knows (one or two edits,
        the commonest on a tie), or split in two known words ("truckdriver")."""
        out = []
        for key in word_keys:
            if key in self.words or len(key) < 4:
                out.append(key)
                continue
            limit = 2 if len(key) >= LONG_WORD else 1
            best: tuple[int, int, str] | None = None
            for variant in deletions(key, limit):
                for known in self.deletes.get(variant, ()):
                    distance = edit_distance(key, known, limit + 1)
                    if distance <= limit:
                        candidate = (distance, -self.words[known], known)
                        if best is None or candidate < best:
                            best = candidate
            if best is not None:
                out.append(best[2])
                continue
            for cut in range(3, len(key) - 2):
                left, right = key[:cut], key[cut:]
                if left in self.words and right in self.words:
                    out.extend([left, right])
                    break
            else:
                out.append(key)
        return out

    def _query(self, title: str, description: str, industry: str) -> list[dict[int, float]]:
        """Rows: one per reading of the title; description and industry added to each."""
        extra: list[tuple[dict[int, float], float]] = []
        for text, share in ((description, DESCRIPTION_SHARE), (industry, INDUSTRY_SHARE)):
            if text.strip():
                vector = self._vector(_features(keys(text)))
                if vector is not None:
                    extra.append((vector, share))
        readings = []
        for reading in _readings(title):
            typed, head = _title_keys(reading)
            word_keys = list(typed)
            readings.append((word_keys, head, 1.0))
            corrected = self._corrected(word_keys)
            if corrected != word_keys:
                fixed_head = head
                if head in word_keys:
                    fixed_head = self._corrected([head])[-1]
                # A corrected spelling is a guess: it counts a little less than what was typed.
                readings.append((corrected, fixed_head, CORRECTED_SHARE))
        rows = []
        for word_keys, head, share in readings:
            vector = self._vector(_features(word_keys, head))
            if vector is None:
                continue
            row = {col: value * share for col, value in vector.items()}
            for other, other_share in extra:
                for col, value in other.items():
                    row[col] = row.get(col, 0.0) + value * other_share * share
            rows.append(row)
        if not rows and extra:
            row: dict[int, float] = {}
            for other, other_share in extra:
                for col, value in other.items():
                    row[col] = row.get(col, 0.0) + value * other_share
            rows.append(row)
        return rows

    # -- suggestions -------------------------------------------------------------------------
    def suggest(
        self, title: str, description: str = "", industry: str = "", *, top: int = 3
    ) -> list[Suggestion]:
        return self.suggest_many([(title, description, industry)], top=top)[0]

    def suggest_many(
        self, items: Sequence[tuple[str, str, str]], *, top: int = 3, chunk: int = 64
    ) -> list[list[Suggestion]]:
        """Suggestions for many texts at once (imports, the command, the benchmark)."""
        top = max(1, top)
        results: list[list[Suggestion]] = [[] for _ in items]
        for start in range(0, len(items), chunk):
            owners: list[int] = []
            indptr, indices, data = [0], [], []
            for offset, (title, description, industry) in enumerate(items[start : start + chunk]):
                for row in self._query(title or "", description or "", industry or ""):
                    indices.extend(row.keys())
                    data.extend(row.values())
                    indptr.append(len(indices))
                    owners.append(start + offset)
            if not owners:
                continue
            queries = sparse.csr_matrix(
                (np.array(data, dtype=np.float32), np.array(indices), np.array(indptr)),
                shape=(len(owners), len(self.vocabulary)),
            )
            # Readings × titles: the weighted similarity of every reading with every title.
            product = queries @ self.matrix_wt
            weighted = product.toarray()
            per_code = np.maximum.reduceat(weighted, self.starts, axis=1)
            if SUPPORT_BONUS:
                # A code that several strong titles point at beats one with a single title
                # (an alternative label shared by two groups is a tie otherwise).
                product.data[product.data < SUPPORT_FLOOR] = 0.0
                support = (product @ self.titles_of_code).toarray()
                per_code += SUPPORT_BONUS * np.minimum(support - per_code, 2.0).clip(0)
            # Several readings of one text: each code keeps its best reading. A text's
            # readings are neighbouring rows.
            owner_array = np.array(owners)
            firsts = np.flatnonzero(np.r_[True, owner_array[1:] != owner_array[:-1]])
            scores = np.maximum.reduceat(per_code, firsts, axis=0)
            bounds = np.r_[firsts, len(owner_array)]
            for position, owner in enumerate(owner_array[firsts]):
                results[owner] = self._rank(
                    scores[position],
                    weighted,
                    bounds[position],
                    bounds[position + 1],
                    top,
                )
        return results

    def _rank(
        self,
        scores: np.ndarray,
        weighted: np.ndarray,
        row_lo: int,
        row_hi: int,
        top: int,
    ) -> list[Suggestion]:
        wanted = min(max(top, 5), len(scores))
        head = np.argpartition(-scores, wanted - 1)[:wanted]
        order = head[np.lexsort((head, -scores[head]))]
        best = float(scores[order[0]])
        if best <= 0.0:
            return []
        second = float(scores[order[1]]) if len(order) > 1 else 0.0
        suggestions = []
        for position, index in enumerate(order[:top]):
            score = float(scores[index])
            if score <= 0.0:
                break
            code = self.codes[index]
            lo = self.starts[index]
            hi = self.starts[index + 1] if index + 1 < len(self.starts) else len(self.entries)
            block = weighted[row_lo:row_hi, lo:hi]
            row, entry_index = np.unravel_index(np.argmax(block), block.shape)
            entry = self.entries[lo + entry_index]
            runner_up = second if position == 0 else best
            suggestions.append(
                Suggestion(
                    code=code,
                    confidence=round(_confidence(score, runner_up), 3),
                    matched=entry.text,
                    language=entry.language,
                    source=entry.source,
                    similarity=round(
                        float(weighted[row_lo + row, lo + entry_index])
                        / float(self.source_weight[lo + entry_index]),
                        3,
                    ),
                )
            )
        return _broaden(suggestions, [self.codes[i] for i in order], scores[order])


def _confidence(score: float, runner_up: float) -> float:
    """The best similarity tempered by its lead: a clear winner keeps its score, a tie halves
    it."""
    lead = max(0.0, score - runner_up)
    return max(0.0, min(1.0, score * (0.5 + 0.5 * min(1.0, lead / 0.15))))


def _broaden(
    suggestions: list[Suggestion], codes: list[str], scores: np.ndarray
) -> list[Suggestion]:
    """A vague title ("worker", "manager"): if the best score is weak and the five best unit
    groups all share a broader group, that group goes first, with the units after it."""
    if not suggestions or suggestions[0].similarity >= 0.55 or len(codes) < 5:
        return suggestions
    if float(scores[0]) - float(scores[4]) > 0.08:
        return suggestions
    for digits in (3, 2, 1):
        prefix = codes[0][:digits]
        if all(code.startswith(prefix) for code in codes[:5]):
            head = suggestions[0]
            group = Suggestion(
                code=prefix,
                confidence=round(head.confidence * 0.8, 3),
                matched=head.matched,
                language=head.language,
                source=head.source,
                similarity=head.similarity,
                broader=True,
            )
            return [group, *suggestions[: len(suggestions) - 1]]
    return suggestions


# -- the lexicon -------------------------------------------------------------------------------


def _csv(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _reordered(title: str) -> str:
    """The ILO index writes "Operator, crane" and "Academic, university: lecturer"; people
    write "crane operator" and "university lecturer"."""
    head, _, rest = title.partition(",")
    if not rest:
        return title
    qualifier, _, tail = rest.partition(":")
    return " ".join(part.strip() for part in (tail, qualifier, head) if part.strip())


def lexicon(data: Path = DATA) -> tuple[list[_Entry], dict[str, str]]:
    structure = _csv("isco08_structure_en.csv")
    units = {row["code"]: row["title_en"] for row in structure if row["level"] == "4"}
    entries: list[_Entry] = []
    for row in structure:
        if row["level"] != "4":
            continue
        entries.append(_Entry(row["code"], row["title_en"], "en", "isco"))
        for line in row["included_occupations"].splitlines():
            line = line.strip().lstrip("-").strip()
            if line and not line.lower().startswith("examples"):
                entries.append(_Entry(row["code"], line, "en", "isco_example"))
    for row in _csv("isco08_titles_ka.csv"):
        if row["code"] in units:
            entries.append(_Entry(row["code"], row["title_ka"], "ka", "isco"))
    for row in _csv("isco08_index_of_titles_en.csv"):
        if row["isco08"] in units:
            entries.append(_Entry(row["isco08"], row["title_en"], "en", "ilo"))
            reordered = _reordered(row["title_en"])
            if reordered != row["title_en"]:
                entries.append(_Entry(row["isco08"], reordered, "en", "ilo"))
    for row in _csv("isco08_synonyms.csv"):
        if row["isco08"] in units:
            entries.append(_Entry(row["isco08"], row["title"], row["lang"], "gza"))
    with (
        zipfile.ZipFile(data / ESCO_CLASSIFICATION) as archive,
        archive.open("occupations_en.csv") as raw,
    ):
        for row in csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8")):
            code = row["iscoGroup"]
            if code not in units:
                continue
            entries.append(_Entry(code, row["preferredLabel"], "en", "esco"))
            for column, source in (("altLabels", "esco_alt"), ("hiddenLabels", "esco_hidden")):
                for label in row[column].splitlines():
                    if label.strip():
                        entries.append(_Entry(code, label.strip(), "en", source))
    return entries, units


_lock = threading.Lock()
_instance: Autocoder | None = None


def autocoder() -> Autocoder:
    """The process's autocoder, built on first use (a few seconds) from the files above."""
    global _instance
    if _instance is None:
        with _lock:
            if _instance is None:
                entries, units = lexicon()
                _instance = Autocoder(entries, units)
    return _instance


def suggest(title: str, description: str = "", industry: str = "", *, top: int = 3):
    return autocoder().suggest(title, description, industry, top=top)
