"""Finding people in the registry: by number, or by a name typed in any script with a typo.

A query is read as a registration number (10 digits, Luhn-checked), a personal number (11
digits) or names. Each name is reduced to its script-independent key (gza/registry/names.py), so
"ცხვედიანი", "Tskhvediani", "Tsxvediani" and "Цхведиани" are the same query. The keys within an
edit or two are found in the name dictionary by exact look-ups of their deletions
(gza/registry/name_index.py), then people by those keys through btree indexes, and the few
candidates are ranked here: both names before one, exact keys before near spellings, the very
spelling typed before other spellings of the same key. No step scans the whole registry, which
is what keeps a million people under 50 ms (bench/registry_search.py).

The same code runs on SQLite and PostgreSQL.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, overload

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from gza.core.roles import Right, has_right
from gza.registry.models import (
    JobSeeker,
    LanguageSkill,
    NameKeyVariant,
    SoughtOccupation,
    index_names,
    is_valid_registration_number,
)
from gza.registry.names import deletions, edit_distance, name_key
from gza.taxonomy.models import CefrLevel

__all__ = [
    "MatchKind",
    "SearchHit",
    "employer_view",
    "index_names",
    "job_seekers_search",
    "may_see_identity",
]

# Ranked name searches show the best this many; filters narrow a longer list.
MAX_RESULTS = 50
# People fetched as candidates before ranking; a search matching more is cut here.
CANDIDATE_ROWS = 5000
# How many edits a name key of a given length may be away and still be "the same name": none
# for names of one or two letters, one up to five letters, two from six (a typo inside a Latin
# digraph, "kh" typed "kj", is two edits of the key).
LONG_KEY = 6
SHORT_KEY = 3
# Names read from a query: a surname, a first name and a second one (or a patronymic).
MAX_NAME_WORDS = 4

_SEPARATORS = re.compile(r"[\s\-./]+")
_LATIN_WORD = re.compile(r"[A-Za-z]")

INVALID_REGISTRATION_NUMBER = _(
    "This registration number is not valid: check its ten digits, the last one is a check digit."
)
INVALID_NUMBER = _(
    "A number searched for is a registration number (10 digits) or a personal number (11 digits)."
)


class MatchKind:
    """Why a person is in the results, shown beside each of them."""

    NUMBER = "number"
    EXACT = "exact"
    NEAR = "near"
    PARTIAL = "partial"
    FILTER = "filter"

    LABELS = {
        NUMBER: _("number"),
        EXACT: _("exact name"),
        NEAR: _("near spelling"),
        PARTIAL: _("one of the names"),
        FILTER: _("filters"),
    }


@dataclass(frozen=True)
class SearchHit:
    person: JobSeeker
    match: str
    # (names matched, -edits, spellings typed exactly): higher is better.
    rank: tuple[int, int, int] = (0, 0, 0)

    @property
    def match_label(self) -> str:
        return str(MatchKind.LABELS[self.match])


class FilteredPeople(Sequence):
    """A filtered, unranked list that pages lazily: a Paginator counts and slices it, and only
    the page shown is fetched."""

    def __init__(self, people: QuerySet) -> None:
        self.people = people

    def count(self) -> int:  # type: ignore[override]
        return self.people.count()

    def __len__(self) -> int:
        return self.count()

    @overload
    def __getitem__(self, index: int) -> SearchHit: ...
    @overload
    def __getitem__(self, index: slice) -> list[SearchHit]: ...
    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return [SearchHit(person, MatchKind.FILTER) for person in self.people[index]]
        return SearchHit(self.people[index], MatchKind.FILTER)


@dataclass
class SearchResult:
    hits: Sequence[SearchHit]
    ranked: bool
    # True when more people matched the name than are shown: refine with a filter.
    truncated: bool = False
    keys: list[str] = field(default_factory=list)


def job_seekers_search(
    *,
    user,
    q: str = "",
    occupation: str | None = None,
    region: str | None = None,
    language: str | None = None,
    level: str | None = None,
    limit: int = MAX_RESULTS,
) -> SearchResult:
    """The people in `user`'s remit who match a number or names, and the filters.

    Without a number or a name the result is the filtered list in name order, paged lazily;
    with a name it is ranked and holds at most `limit` people. Raises ValidationError for a
    number that cannot be one."""
    people = filtered_people(
        JobSeeker.objects.visible_to(user).active(),
        occupation=occupation,
        region=region,
        language=language,
        level=level,
    )
    q = (q or "").strip()
    digits = _SEPARATORS.sub("", q)
    if digits.isascii() and digits.isdigit():
        return SearchResult(hits=_by_number(people, digits), ranked=True)
    if any(ch.isdigit() for ch in q):
        raise ValidationError(INVALID_NUMBER, code="invalid_number")
    words = [word for word in _SEPARATORS.split(q) if name_key(word)][:MAX_NAME_WORDS]
    keys = list(dict.fromkeys(map(name_key, words)))
    if not keys:
        people = people.select_related("municipality__region").order_by(
            "last_name", "first_name", "id"
        )
        return SearchResult(hits=FilteredPeople(people), ranked=False)
    hits, truncated = _by_names(people, q, words, keys, limit)
    return SearchResult(hits=hits, ranked=True, truncated=truncated, keys=keys)


def filtered_people(
    people: QuerySet,
    *,
    occupation: str | None = None,
    region: str | None = None,
    language: str | None = None,
    level: str | None = None,
) -> QuerySet:
    """Occupation sought (an ISCO code: a broader group takes in its unit groups), region,
    and a language, at `level` or above. Subqueries, not joins, so no one appears twice."""
    if occupation:
        people = people.filter(
            Exists(
                SoughtOccupation.objects.filter(
                    job_seeker=OuterRef("pk"), occupation__code__startswith=occupation
                )
            )
        )
    if region:
        people = people.in_region(region)
    if language:
        skills = LanguageSkill.objects.filter(job_seeker=OuterRef("pk"), language_id=language)
        if level:
            skills = skills.filter(
                level__rank__gte=CefrLevel.objects.filter(code=level).values("rank")[:1]
            )
        people = people.filter(Exists(skills))
    return people


def _by_number(people: QuerySet, digits: str) -> list[SearchHit]:
    if len(digits) == 10:
        # The Luhn digit catches a mistyped digit before anyone else's record is shown.
        if not is_valid_registration_number(digits):
            raise ValidationError(INVALID_REGISTRATION_NUMBER, code="invalid_registration_number")
        found = people.filter(registration_number=digits)
    elif len(digits) == 11:
        found = people.filter(personal_number=digits)
    else:
        raise ValidationError(INVALID_NUMBER, code="invalid_number")
    return [
        SearchHit(person, MatchKind.NUMBER, (3, 0, 0))
        for person in found.select_related("municipality__region")
    ]


def allowed_edits(key: str) -> int:
    if len(key) < SHORT_KEY:
        return 0
    return 2 if len(key) >= LONG_KEY else 1


def spellings(word: str) -> dict[str, int]:
    """The keys a typed word may stand for, each with the edits it already took. In Latin one
    slip can break a digraph ("Tckhvediani", "Beridzh"), moving the key by two or three
    letters; the word with one of its letters left out is then an edit from the right key."""
    key = name_key(word)
    found = {key: 0}
    if key and _LATIN_WORD.search(word) and len(word) >= SHORT_KEY:
        for i in range(len(word)):
            found.setdefault(name_key(word[:i] + word[i + 1 :]), 1)
    found.pop("", None)
    return found


def near_keys(words: Iterable[str]) -> dict[str, dict[str, int]]:
    """For each query word's key, the dictionary keys within its allowed edits and how many.

    One query: the deletions (up to two) of the word's possible keys against the stored keys'
    deletions (up to one) meet for every key an edit or two away; the edit distance then
    confirms each. A key always matches itself, in the dictionary or not."""
    found: dict[str, dict[str, int]] = {}
    probes: dict[str, list[tuple[str, int, set[str]]]] = {}
    limits: dict[str, int] = {}
    for word in words:
        alternatives = spellings(word)
        if not alternatives:
            continue
        key = name_key(word)
        # A Latin word's length, not its key's, says how long the name is ("Beridzh" is
        # seven letters typed for a six-letter key).
        latin_letters = len(_LATIN_WORD.findall(word))
        limit = max(allowed_edits(key), allowed_edits("x" * latin_letters))
        found[key] = {key: 0}
        limits[key] = limit
        probes[key] = [
            (alt, cost, deletions(alt, limit - cost))
            for alt, cost in alternatives.items()
            if cost <= limit
        ]
    wanted = set().union(*(p for rows in probes.values() for _a, _c, p in rows)) - {""}
    if not wanted:
        return found
    rows = NameKeyVariant.objects.filter(variant__in=wanted).values_list("variant", "key")
    for variant, stored in rows:
        for key, alternatives in probes.items():
            limit = limits[key]
            for alt, cost, probe in alternatives:
                if variant in probe:
                    distance = cost + edit_distance(alt, stored, limit + 1)
                    if distance <= min(limit, found[key].get(stored, limit)):
                        found[key][stored] = distance
    return found


_NAMES = ("id", "first_name_key", "last_name_key", "first_name", "last_name")
_LATIN = ("first_name_latin", "last_name_latin")


def _by_names(
    people: QuerySet, query: str, words: list[str], keys: list[str], limit: int
) -> tuple["RankedPeople", bool]:
    near = near_keys(words)
    everything = set().union(*near.values())
    candidates: list[tuple] = []
    if len(keys) > 1:
        # A surname and a first name, each from a different word of the query, in either
        # order; people matching only one name come after.
        both = Q()
        for surname in keys:
            for first in keys:
                if first != surname:
                    both |= Q(last_name_key__in=near[surname], first_name_key__in=near[first])
        candidates = list(people.filter(both).values_list(*_NAMES, *_LATIN)[:CANDIDATE_ROWS])
    truncated = len(candidates) >= CANDIDATE_ROWS
    # People matching one name only fill the list, in tiers that each stop at the rows still
    # wanted, so a common first name never makes the database read thousands of rows: exact
    # surnames, near surnames, and for a one-word query exact then near first names.
    exact = set(keys)
    tiers = [Q(last_name_key__in=exact), Q(last_name_key__in=everything - exact)]
    if len(keys) == 1:
        tiers += [Q(first_name_key__in=exact), Q(first_name_key__in=everything - exact)]
    seen = {row[0] for row in candidates}
    for tier in tiers:
        wanted = limit - len(candidates)
        if wanted <= 0:
            truncated = True
            break
        rows = list(
            people.filter(tier).exclude(id__in=seen).values_list(*_NAMES, *_LATIN)[: wanted + 1]
        )
        truncated = truncated or len(rows) > wanted
        candidates += rows[:wanted]
        seen.update(row[0] for row in rows)
    words = {word.casefold() for word in _SEPARATORS.split(query) if word}
    ranked = []
    for pk, first_key, last_key, *spellings in candidates:
        matched, minus_edits = _rank(first_key, last_key, keys, near)
        # The very spelling typed puts a person before others with the same key.
        spelled = sum(1 for value in spellings if value and value.casefold() in words)
        if matched < len(keys) and matched < 2:
            kind = MatchKind.PARTIAL
        else:
            kind = MatchKind.EXACT if minus_edits == 0 else MatchKind.NEAR
        ranked.append((matched, minus_edits, spelled, -pk, kind))
    ranked.sort(reverse=True)
    truncated = truncated or len(ranked) > limit
    return RankedPeople(people, [(-row[3], row[4], row[:3]) for row in ranked[:limit]]), truncated


class RankedPeople(Sequence):
    """Ranked search results that load people lazily: ranking needs only names and keys, and
    only the page shown is fetched in full."""

    def __init__(self, people: QuerySet, ranked: list[tuple[int, str, tuple]]) -> None:
        self.people = people.select_related("municipality__region")
        self.ranked = ranked

    def count(self) -> int:  # type: ignore[override]
        return len(self.ranked)

    def __len__(self) -> int:
        return len(self.ranked)

    @overload
    def __getitem__(self, index: int) -> SearchHit: ...
    @overload
    def __getitem__(self, index: slice) -> list[SearchHit]: ...
    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, int):
            return self[index : index + 1 or None][0]
        rows = self.ranked[index]
        by_id = self.people.in_bulk([pk for pk, _kind, _rank in rows])
        return [SearchHit(by_id[pk], kind, rank) for pk, kind, rank in rows if pk in by_id]


def _rank(
    first: str, last: str, keys: list[str], near: dict[str, dict[str, int]]
) -> tuple[int, int]:
    """(names matched, minus the edits): the best reading of the query's words as this
    person's surname and first name, each word used once."""
    best = (0, 0)
    for surname in keys:
        last_edits = near[surname].get(last)
        if last_edits is not None:
            best = max(best, (1, -last_edits))
            for given in keys:
                if given != surname and (first_edits := near[given].get(first)) is not None:
                    best = max(best, (2, -(last_edits + first_edits)))
        first_edits = near[surname].get(first)
        if first_edits is not None:
            best = max(best, (1, -first_edits - 1))  # a first name alone counts below a surname
    return best


def may_see_identity(user) -> bool:
    """Whether a user sees personal numbers in search results: those who register people and
    edit their identity, not those who only follow them."""
    return has_right(user, Right.JOB_SEEKERS_MANAGE)


def employer_view(person: JobSeeker) -> dict[str, Any]:
    """What a foreign employer may see of a shortlisted person who consented to share their
    profile: the profile, without the personal number, passport, contacts, date of birth or
    sex (those wait for selection, and sex never informs a choice). The caller checks the
    shortlist and `JobSeeker.objects.shareable_with_employers()`."""
    return {
        "public_id": str(person.public_id),
        "registration_number": person.registration_number,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "first_name_latin": person.first_name_latin,
        "last_name_latin": person.last_name_latin,
        "region": person.municipality.region_id,
        "municipality": person.municipality_id,
        "occupations": [
            {"occupation": row.occupation_id, "years_experience": row.years_experience}
            for row in person.sought_occupations.all()
        ],
        "languages": [
            {"language": row.language_id, "level": row.level_id, "certificate": row.certificate}
            for row in person.language_skills.all()
        ],
        "work_experience": [
            {
                "occupation": row.occupation_id,
                "occupation_text": row.occupation_text,
                "country": row.country_id,
                "start_date": row.start_date.isoformat(),
                "end_date": row.end_date.isoformat() if row.end_date else None,
            }
            for row in person.work_experience.all()
        ],
        "certificates": [row.name for row in person.certificates.all()],
        "driving_licences": person.driving_licences,
        "availability_date": (
            person.availability_date.isoformat() if person.availability_date else None
        ),
        "work_pattern": person.work_pattern,
        "desired_countries": sorted(person.desired_countries.values_list("code", flat=True)),
    }
