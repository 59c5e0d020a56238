"""Likely duplicate records: the same person registered twice (a typo in the personal number at a
service centre, a legacy import, a self-registration after an assisted one).

Exact personal-number clashes never get this far: the unique constraint refuses them. What is
left are records whose personal numbers differ, so the other evidence must say whether they are
one person. The method is Fellegi and Sunter's (1969), as Splink implements it:

- **Comparisons.** Each pair of records is compared field by field, and each field falls in one
  *level*: the last name's keys are equal, close (Jaro-Winkler >= 0.94) or similar (>= 0.88) or
  different; the date of birth is equal, has day and month swapped, is one digit off (or two
  neighbouring digits transposed), shares only the year, or differs; the personal number is one
  digit off (a typo) or different; phone, e-mail and passport number are equal, different or
  missing on one side (missing says nothing); municipality and sex are equal or not.
  Names are compared by their script-independent keys (`gza.registry.names.name_key`), from the
  Georgian name and from the Latin one, taking the best of the combinations, so "ცხვედიანი" and
  "Tsxvediani" agree exactly and one typo is still "close".
- **Weights.** A level's weight is log2(m/u): m is how often the level occurs when the two
  records are the same person, u how often when they are two different people. Agreement on a
  name or a municipality is weighed by how common the value is (term frequency: two records
  both called "Giorgi" prove less than two both called "Tchitchinadze"). The m and u values are
  set by hand in `LEVELS` from what registration errors look like, not fitted; they are few
  and readable, and the benchmark (bench/registry_duplicates.py) checks them.
- **Score.** The match weight is the prior log-odds (`PRIOR_LOG2_ODDS`: about one pair in four
  million is the same person) plus the weights of every comparison; the score is the
  probability 2^w / (1 + 2^w). The explanation is the list of (field, level, weight), shown to
  the reviewer beside the two records.

**Blocking.** Comparing every pair of a million records is 5 * 10^11 comparisons, so pairs are
only formed inside blocks, several passes each catching what another misses: date of birth with
the first three letters of the last name's key; date of birth with the first name's key prefix
(a typo early in the last name); phone; e-mail; passport number; and both name keys with the
birth year or with the day and month (a typo in the date). A pair found by several passes is
scored once. Blocks larger than `MAX_BLOCK` (a placeholder phone typed for hundreds of people)
are skipped: they would cost the square of their size and prove nothing.

**Two entry points.** `find_duplicates_of(person)` runs after each registration or imported row
(a handful of indexed queries) and `record_candidates(person)` stores what it finds;
`scan()` runs the same comparison over the whole registry in memory (the nightly task and
`manage.py scan_duplicates`), its core `find_pairs(rows)` separate from the database so the
benchmark measures exactly the product's code.

**No automatic merge by default.** Everything at or above `DUPLICATE_REVIEW_THRESHOLD` goes to
an officer's review queue. `DUPLICATE_AUTO_MERGE_THRESHOLD` (unset: never) enables automatic
merging of pairs whose score reaches it *and* whose personal numbers differ by a single typo —
the only case in which the system itself can say the ID was checked; the merge is recorded as
automatic and can be undone like any other.
"""

import datetime
import math
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet

from gza.registry.names import name_key

# Thresholds (probabilities): what enters the review queue, and what may merge on its own.
DEFAULT_REVIEW_THRESHOLD = 0.9
# One pair in about four million is the same person: a million records, some 5% registered twice.
PRIOR_LOG2_ODDS = -22.0
# Blocks larger than this are skipped (they cost their size squared and prove little).
MAX_BLOCK = 100
# A name key agrees "closely" or is "similar" above these Jaro-Winkler similarities.
CLOSE = 0.94
SIMILAR = 0.88
# Term frequencies are floored so a value seen once is not taken as proof.
MIN_FREQUENCY = 1e-4


def review_threshold() -> float:
    return float(getattr(settings, "DUPLICATE_REVIEW_THRESHOLD", DEFAULT_REVIEW_THRESHOLD))


def auto_merge_threshold() -> float | None:
    value = getattr(settings, "DUPLICATE_AUTO_MERGE_THRESHOLD", None)
    return None if value in (None, "") else float(value)


# m and u per level (see the module's docstring). A level with u=None takes the value's term
# frequency as u (names, municipality); weights of a "missing" comparison are 0.
LEVELS: dict[str, dict[str, tuple[float, float | None]]] = {
    "last_name": {
        "exact": (0.90, None),
        "close": (0.06, 0.002),
        "similar": (0.02, 0.02),
        "different": (0.02, 0.97),
    },
    "first_name": {
        "exact": (0.90, None),
        "close": (0.06, 0.004),
        "similar": (0.02, 0.03),
        "different": (0.02, 0.96),
    },
    "birth_date": {
        "exact": (0.88, 1 / 18_000),
        "swapped": (0.02, 1 / 18_000),
        "one_digit": (0.07, 1.6e-3),
        "same_year": (0.01, 0.02),
        "different": (0.02, 0.978),
    },
    "personal_number": {
        "one_digit": (0.70, 1e-4),
        "different": (0.30, 1.0),
    },
    "phone": {"exact": (0.55, 1e-4), "different": (0.35, 0.9999)},
    "email": {"exact": (0.50, 1e-5), "different": (0.30, 1.0)},
    "passport": {
        "exact": (0.90, 1e-6),
        "one_digit": (0.05, 1e-5),
        "different": (0.05, 1.0),
    },
    "municipality": {"exact": (0.85, None), "different": (0.15, 0.97)},
    "sex": {"exact": (0.98, 0.5), "different": (0.02, 0.5)},
}


def _weight(m: float, u: float) -> float:
    return math.log2(m / u)


WEIGHTS: dict[str, dict[str, float]] = {
    field: {level: _weight(m, u) for level, (m, u) in levels.items() if u is not None}
    for field, levels in LEVELS.items()
}


@dataclass(slots=True)
class PersonRow:
    """What the comparison needs of one record, loaded once: keys not names, the date as
    "YYYYMMDD" digits (a typo is a digit), contacts as stored (normalised at entry)."""

    id: int
    first_keys: tuple[str, ...]
    last_keys: tuple[str, ...]
    birth: str
    sex: str
    personal_number: str
    phone: str
    email: str
    passport: str
    municipality: str


@dataclass(frozen=True, slots=True)
class Match:
    """A scored pair: ids lower first, the probability and the evidence."""

    a: int
    b: int
    score: float
    weight: float
    evidence: tuple[tuple[str, str, float], ...]

    def evidence_json(self) -> dict:
        return {
            "weight": round(self.weight, 2),
            "items": [
                {"field": field, "level": level, "weight": round(weight, 2)}
                for field, level, weight in self.evidence
            ],
        }


_key_cache: dict[str, str] = {}


def cached_name_key(text: str) -> str:
    """name_key() remembered: names repeat, so a million rows need a few thousand keys."""
    key = _key_cache.get(text)
    if key is None:
        if len(_key_cache) > 500_000:
            _key_cache.clear()
        key = _key_cache[text] = name_key(text)
    return key


def _keys(key: str, latin: str) -> tuple[str, ...]:
    latin_key = cached_name_key(latin) if latin else ""
    if latin_key and latin_key != key:
        return (key, latin_key) if key else (latin_key,)
    return (key,)


def row_of(
    *,
    id: int,
    first_name_key: str,
    last_name_key: str,
    first_name_latin: str,
    last_name_latin: str,
    birth_date: datetime.date | str,
    sex: str,
    personal_number: str,
    phone: str,
    email: str,
    passport_number: str,
    municipality_id: str,
) -> PersonRow:
    birth = birth_date if isinstance(birth_date, str) else birth_date.strftime("%Y%m%d")
    return PersonRow(
        id=id,
        first_keys=_keys(first_name_key, first_name_latin),
        last_keys=_keys(last_name_key, last_name_latin),
        birth=birth,
        sex=sex,
        personal_number=personal_number,
        phone=phone,
        email=email,
        passport=passport_number,
        municipality=municipality_id,
    )


# String comparisons --------------------------------------------------------------------------


def jaro_winkler(a: str, b: str) -> float:
    """Jaro-Winkler similarity (0..1) with the usual prefix scale 0.1 over up to 4 letters."""
    if a == b:
        return 1.0
    la, lb = len(a), len(b)
    if not la or not lb:
        return 0.0
    window = max(max(la, lb) // 2 - 1, 0)
    b_used = [False] * lb
    a_matched: list[str] = []
    a_positions: list[int] = []
    for i, ch in enumerate(a):
        for j in range(max(0, i - window), min(i + window + 1, lb)):
            if not b_used[j] and b[j] == ch:
                b_used[j] = True
                a_matched.append(ch)
                a_positions.append(j)
                break
    matches = len(a_matched)
    if not matches:
        return 0.0
    b_matched = [b[j] for j in range(lb) if b_used[j]]
    transpositions = sum(x != y for x, y in zip(a_matched, b_matched, strict=True)) // 2
    jaro = (matches / la + matches / lb + (matches - transpositions) / matches) / 3
    prefix = 0
    for x, y in zip(a[:4], b[:4], strict=False):
        if x != y:
            break
        prefix += 1
    return jaro + prefix * 0.1 * (1 - jaro)


_similarity_cache: dict[tuple[str, str], float] = {}


def similarity(a: str, b: str) -> float:
    """jaro_winkler() remembered per pair of keys: the same few thousand keys meet again and
    again across a scan."""
    pair = (a, b) if a < b else (b, a)
    value = _similarity_cache.get(pair)
    if value is None:
        if len(_similarity_cache) > 2_000_000:
            _similarity_cache.clear()
        value = _similarity_cache[pair] = jaro_winkler(a, b)
    return value


def one_typo(a: str, b: str) -> bool:
    """Same length, and one character different or two neighbours swapped."""
    if len(a) != len(b) or a == b:
        return False
    diffs = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    if len(diffs) == 1:
        return True
    return (
        len(diffs) == 2
        and diffs[1] == diffs[0] + 1
        and a[diffs[0]] == b[diffs[1]]
        and a[diffs[1]] == b[diffs[0]]
    )


def _date_level(a: str, b: str) -> str:
    if a == b:
        return "exact"
    if a[:4] == b[:4] and a[4:6] == b[6:8] and a[6:8] == b[4:6]:
        return "swapped"
    if one_typo(a, b):
        return "one_digit"
    if a[:4] == b[:4]:
        return "same_year"
    return "different"


# Scoring -------------------------------------------------------------------------------------


# Term frequencies are smoothed towards the defaults as if this many more records had been seen,
# so a scan of a handful of records (three Giorgis in four) does not take a name as common.
PSEUDO_COUNT = 1000


def share(count: int, total: int, default: float) -> float:
    return max((count + PSEUDO_COUNT * default) / (total + PSEUDO_COUNT), MIN_FREQUENCY)


def _shares(counts: Counter, total: int, default: float) -> dict[str, float]:
    return {value: share(count, total, default) for value, count in counts.items()}


class Scorer:
    """Scores pairs of rows. Term frequencies of name keys and municipalities come from the
    rows being scanned (or, for one person, from counts in the database)."""

    def __init__(
        self,
        *,
        first_frequency: dict[str, float] | None = None,
        last_frequency: dict[str, float] | None = None,
        municipality_frequency: dict[str, float] | None = None,
        default_first: float = 0.01,
        default_last: float = 0.003,
        default_municipality: float = 0.02,
    ) -> None:
        self.first_frequency = first_frequency or {}
        self.last_frequency = last_frequency or {}
        self.municipality_frequency = municipality_frequency or {}
        self.default_first = default_first
        self.default_last = default_last
        self.default_municipality = default_municipality

    @classmethod
    def from_rows(cls, rows: Sequence[PersonRow]) -> "Scorer":
        total = len(rows)
        scorer = cls()
        scorer.first_frequency = _shares(
            Counter(row.first_keys[0] for row in rows), total, scorer.default_first
        )
        scorer.last_frequency = _shares(
            Counter(row.last_keys[0] for row in rows), total, scorer.default_last
        )
        scorer.municipality_frequency = _shares(
            Counter(row.municipality for row in rows), total, scorer.default_municipality
        )
        return scorer

    def _name(
        self, field: str, keys_a: tuple[str, ...], keys_b: tuple[str, ...], frequency: float
    ) -> tuple[str, float]:
        best = 0.0
        for x in keys_a:
            for y in keys_b:
                if x == y:
                    # The rarer the name, the stronger the agreement.
                    return "exact", _weight(LEVELS[field]["exact"][0], frequency)
                if x and y:
                    best = max(best, similarity(x, y))
        exact_weight = _weight(LEVELS[field]["exact"][0], frequency)
        if best >= CLOSE:
            # A near miss never proves more than the same name would.
            return "close", min(WEIGHTS[field]["close"], exact_weight)
        if best >= SIMILAR:
            return "similar", min(WEIGHTS[field]["similar"], exact_weight)
        return "different", WEIGHTS[field]["different"]

    def compare(self, a: PersonRow, b: PersonRow) -> list[tuple[str, str, float]]:
        """The evidence for one pair: (field, level, weight) per comparison made."""
        first_freq = max(
            self.first_frequency.get(a.first_keys[0], self.default_first),
            self.first_frequency.get(b.first_keys[0], self.default_first),
        )
        last_freq = max(
            self.last_frequency.get(a.last_keys[0], self.default_last),
            self.last_frequency.get(b.last_keys[0], self.default_last),
        )
        evidence = [
            ("last_name", *self._name("last_name", a.last_keys, b.last_keys, last_freq)),
            ("first_name", *self._name("first_name", a.first_keys, b.first_keys, first_freq)),
        ]
        level = _date_level(a.birth, b.birth)
        evidence.append(("birth_date", level, WEIGHTS["birth_date"][level]))
        if a.personal_number != b.personal_number:
            level = "one_digit" if one_typo(a.personal_number, b.personal_number) else "different"
            evidence.append(("personal_number", level, WEIGHTS["personal_number"][level]))
        if a.phone and b.phone:
            level = "exact" if a.phone == b.phone else "different"
            evidence.append(("phone", level, WEIGHTS["phone"][level]))
        if a.email and b.email:
            level = "exact" if a.email == b.email else "different"
            evidence.append(("email", level, WEIGHTS["email"][level]))
        if a.passport and b.passport:
            level = (
                "exact"
                if a.passport == b.passport
                else ("one_digit" if one_typo(a.passport, b.passport) else "different")
            )
            evidence.append(("passport", level, WEIGHTS["passport"][level]))
        if a.municipality == b.municipality:
            frequency = self.municipality_frequency.get(a.municipality, self.default_municipality)
            weight = _weight(LEVELS["municipality"]["exact"][0], frequency)
            evidence.append(("municipality", "exact", weight))
        else:
            evidence.append(("municipality", "different", WEIGHTS["municipality"]["different"]))
        level = "exact" if a.sex == b.sex else "different"
        evidence.append(("sex", level, WEIGHTS["sex"][level]))
        return evidence

    def match(self, a: PersonRow, b: PersonRow) -> Match:
        evidence = self.compare(a, b)
        weight = PRIOR_LOG2_ODDS + sum(item[2] for item in evidence)
        first, second = (a, b) if a.id < b.id else (b, a)
        return Match(first.id, second.id, probability(weight), weight, tuple(evidence))


def probability(weight: float) -> float:
    """The match probability of a log2 match weight (clamped so exp never overflows)."""
    if weight > 60:
        return 1.0
    if weight < -60:
        return 0.0
    odds = 2.0**weight
    return odds / (1 + odds)


# Blocking ------------------------------------------------------------------------------------


# Each blocking pass gives (block key, row position) for every row it places in a block; one
# generator per pass rather than per row, as this loop runs millions of times.


def _last_with_birth(rows: Sequence[PersonRow]) -> Iterator[tuple[object, int]]:
    for index, row in enumerate(rows):
        for key in row.last_keys:
            yield (row.birth, key[:3]), index


def _first_with_birth(rows: Sequence[PersonRow]) -> Iterator[tuple[object, int]]:
    for index, row in enumerate(rows):
        for key in row.first_keys:
            yield (row.birth, key[:3]), index


def _phone(rows: Sequence[PersonRow]) -> Iterator[tuple[object, int]]:
    return ((row.phone, index) for index, row in enumerate(rows) if row.phone)


def _email(rows: Sequence[PersonRow]) -> Iterator[tuple[object, int]]:
    return ((row.email, index) for index, row in enumerate(rows) if row.email)


def _passport(rows: Sequence[PersonRow]) -> Iterator[tuple[object, int]]:
    return ((row.passport, index) for index, row in enumerate(rows) if row.passport)


def _names_with_year(rows: Sequence[PersonRow]) -> Iterator[tuple[object, int]]:
    for index, row in enumerate(rows):
        year = row.birth[:4]
        for first in row.first_keys:
            for last in row.last_keys:
                yield (first, last, year), index


def _names_with_day(rows: Sequence[PersonRow]) -> Iterator[tuple[object, int]]:
    for index, row in enumerate(rows):
        day = row.birth[4:]
        for first in row.first_keys:
            for last in row.last_keys:
                yield (first, last, day), index


# The blocking passes (see the module's docstring).
PASSES = (
    _last_with_birth,
    _first_with_birth,
    _phone,
    _email,
    _passport,
    _names_with_year,
    _names_with_day,
)


def candidate_pairs(rows: Sequence[PersonRow]) -> set[int]:
    """Pairs of row positions that share at least one block, each once, encoded i * n + j with
    i < j (ints take a fraction of the memory of tuples at a million rows)."""
    n = len(rows)
    pairs: set[int] = set()
    # One pass at a time, so only one pass's blocks are held in memory. Most keys hold one
    # row: `first` maps a key to its first row and only keys met again get a list.
    for keys_of in PASSES:
        first: dict[object, int] = {}
        shared: dict[object, list[int]] = {}
        for key, index in keys_of(rows):
            if not key:
                continue
            earlier = first.setdefault(key, index)
            if earlier != index:
                members = shared.get(key)
                if members is None:
                    shared[key] = [earlier, index]
                elif members[-1] != index:
                    members.append(index)
        del first
        for members in shared.values():
            size = len(members)
            if size > MAX_BLOCK:
                continue
            for x in range(size - 1):
                base = members[x] * n
                for y in range(x + 1, size):
                    pairs.add(base + members[y])
        del shared
    return pairs


def find_pairs(
    rows: Sequence[PersonRow],
    *,
    threshold: float | None = None,
    scorer: Scorer | None = None,
    stats: dict | None = None,
) -> list[Match]:
    """The in-memory core of the scan: block, score each candidate pair once, keep those at or
    above `threshold` (the review threshold by default). `stats` receives the number of pairs
    compared."""
    threshold = review_threshold() if threshold is None else threshold
    # The weight a pair needs, so most pairs are rejected on the sum alone.
    needed = math.log2(threshold / (1 - threshold)) if 0 < threshold < 1 else -math.inf
    scorer = scorer or Scorer.from_rows(rows)
    n = len(rows)
    found = []
    compare = scorer.compare
    pairs = candidate_pairs(rows)
    if stats is not None:
        stats["pairs"] = len(pairs)
    for code in pairs:
        a, b = rows[code // n], rows[code % n]
        evidence = compare(a, b)
        weight = PRIOR_LOG2_ODDS + sum(item[2] for item in evidence)
        if weight >= needed:
            first, second = (a, b) if a.id < b.id else (b, a)
            found.append(Match(first.id, second.id, probability(weight), weight, tuple(evidence)))
    found.sort(key=lambda match: (-match.score, match.a, match.b))
    return found


# The database side ---------------------------------------------------------------------------

ROW_FIELDS = (
    "id",
    "first_name_key",
    "last_name_key",
    "first_name_latin",
    "last_name_latin",
    "birth_date",
    "sex",
    "personal_number",
    "phone",
    "email",
    "passport_number",
    "municipality_id",
)


def load_rows(queryset: QuerySet | None = None, *, chunk_size: int = 20_000) -> list[PersonRow]:
    """Active records as rows, streamed from the database in chunks."""
    from gza.registry.models import JobSeeker

    queryset = JobSeeker.objects.all() if queryset is None else queryset
    values = queryset.active().order_by().values_list(*ROW_FIELDS)
    return [
        row_of(**dict(zip(ROW_FIELDS, value, strict=True)))
        for value in values.iterator(chunk_size=chunk_size)
    ]


def _row(person) -> PersonRow:
    return row_of(**{name: getattr(person, name) for name in ROW_FIELDS})


def _registry_shares() -> dict:
    """The registry's size and its people per municipality, cached for an hour: counting a
    million rows at every registration would cost more than the rest of the check."""
    from django.core.cache import cache
    from django.db.models import Count

    from gza.registry.models import JobSeeker

    def compute() -> dict:
        counts = dict(
            JobSeeker.objects.active()
            .order_by()
            .values_list("municipality_id")
            .annotate(people=Count("pk"))
        )
        return {"total": sum(counts.values()), "municipality": counts}

    return cache.get_or_set("registry:duplicates:shares", compute, 3600)


def _scorer_for(person) -> Scorer:
    """Term frequencies of this person's name keys from one indexed count; the registry's
    size and municipalities from the hourly figures."""
    from django.db.models import Count

    from gza.registry.models import JobSeeker

    shares = _registry_shares()
    total = shares["total"]
    first, last = person.first_name_key, person.last_name_key
    counts = (
        JobSeeker.objects.active()
        .filter(Q(first_name_key=first) | Q(last_name_key=last))
        .aggregate(
            first=Count("pk", filter=Q(first_name_key=first)),
            last=Count("pk", filter=Q(last_name_key=last)),
        )
    )
    scorer = Scorer()
    scorer.first_frequency = {first: share(counts["first"], total, scorer.default_first)}
    scorer.last_frequency = {last: share(counts["last"], total, scorer.default_last)}
    place = person.municipality_id
    scorer.municipality_frequency = {
        place: share(shares["municipality"].get(place, 0), total, scorer.default_municipality)
    }
    return scorer


def find_duplicates_of(person, *, threshold: float | None = None) -> list[Match]:
    """Likely duplicates of one record among the active others: the scan's blocks, asked of the
    database through its indexes, then the scan's scoring."""
    from gza.registry.models import JobSeeker

    threshold = review_threshold() if threshold is None else threshold
    person.refresh_name_keys()
    first, last = person.first_name_key, person.last_name_key
    blocks = Q(first_name_key=first, last_name_key=last)
    if last:
        blocks |= Q(birth_date=person.birth_date, last_name_key__startswith=last[:3])
    if first:
        blocks |= Q(birth_date=person.birth_date, first_name_key__startswith=first[:3])
    for field, value in (
        ("phone", person.phone),
        ("email", person.email),
        ("passport_number", person.passport_number),
    ):
        if value:
            blocks |= Q(**{field: value})
    others = (
        JobSeeker.objects.active()
        .filter(blocks)
        .exclude(pk=person.pk)
        .order_by("id")
        .values_list(*ROW_FIELDS)[: MAX_BLOCK * 5]
    )
    me = _row(person)
    scorer = _scorer_for(person)
    found = []
    for value in others:
        match = scorer.match(me, row_of(**dict(zip(ROW_FIELDS, value, strict=True))))
        if match.score >= threshold:
            found.append(match)
    found.sort(key=lambda match: -match.score)
    return found


def _store(matches: Iterable[Match]) -> int:
    """Queue new pairs; a pair already known (open, merged or dismissed) is left as it is, so a
    dismissal is never reopened by the next scan."""
    from gza.registry.duplicate_models import DuplicateCandidate

    batch = [
        DuplicateCandidate(
            person_a_id=m.a, person_b_id=m.b, score=round(m.score, 6), evidence=m.evidence_json()
        )
        for m in matches
    ]
    before = DuplicateCandidate.objects.count()
    for start in range(0, len(batch), 5_000):
        DuplicateCandidate.objects.bulk_create(batch[start : start + 5_000], ignore_conflicts=True)
    return DuplicateCandidate.objects.count() - before


def record_candidates(person) -> list:
    """Find and queue the likely duplicates of one record (after a registration or an imported
    row); returns the queued candidates. When automatic merging is enabled (see the module's
    docstring) a qualifying pair is merged at once, the older record kept."""
    from gza.registry.duplicate_models import DuplicateCandidate

    matches = find_duplicates_of(person)
    if not matches:
        return []
    with transaction.atomic():
        _store(matches)
        pairs = Q()
        for m in matches:
            pairs |= Q(person_a_id=m.a, person_b_id=m.b)
        candidates = list(DuplicateCandidate.objects.filter(pairs).order_by("-score"))
    for candidate in candidates:
        auto_merge_if_allowed(candidate)
    return candidates


def auto_merge_allowed(candidate) -> bool:
    """Only above the configured threshold (none by default), only for an open pair, and only
    when the personal numbers differ by a single typo."""
    from gza.registry.enums import DuplicateStatus

    threshold = auto_merge_threshold()
    if threshold is None or candidate.status != DuplicateStatus.OPEN:
        return False
    if candidate.score < threshold:
        return False
    levels = {item["field"]: item["level"] for item in candidate.evidence.get("items", [])}
    return levels.get("personal_number") == "one_digit"


def auto_merge_if_allowed(candidate) -> bool:
    if not auto_merge_allowed(candidate):
        return False
    from gza.registry.merge import duplicate_merge

    duplicate_merge(
        candidate=candidate,
        survivor=candidate.person_a,
        actor=None,
        personal_numbers_checked=True,
        automatic=True,
    )
    return True


@dataclass(frozen=True)
class ScanResult:
    people: int
    pairs_compared: int
    found: int
    queued: int
    seconds_loading: float
    seconds_matching: float


def scan(queryset: QuerySet | None = None, *, threshold: float | None = None) -> ScanResult:
    """Compare the active records of `queryset` (the whole registry by default) with one
    another and queue the likely duplicates not yet known."""
    import time

    started = time.perf_counter()
    rows = load_rows(queryset)
    loaded = time.perf_counter()
    stats: dict = {}
    matches = find_pairs(rows, threshold=threshold, stats=stats)
    matched = time.perf_counter()
    queued = _store(matches)
    return ScanResult(
        people=len(rows),
        pairs_compared=stats.get("pairs", 0),
        found=len(matches),
        queued=queued,
        seconds_loading=loaded - started,
        seconds_matching=matched - loaded,
    )
