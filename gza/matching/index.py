"""The in-memory index of matchable people: numpy arrays that score every person against one
vacancy in a few vectorised steps, with the same integer formulas as the reference scorer
(gza/matching/components.py), so the two agree exactly.

Layout, for N people in id order (a person's position is their rank by id, which breaks ties):
- scalars per person: date of birth as YYYYMMDD (age in whole years is a difference // 10000),
  availability, Schengen stay and passport expiry as date ordinals (0 = not recorded), highest
  ISCED level (-1 = none), driving licences held and covered as bit masks, documents as a mask;
- per language, the CEFR rank of each person (0 = not on the profile);
- occupations (sought and held): each person's first as one array of code positions (a padding
  code whose closeness is always 0 for none), the second, third... as (positions, codes) pairs;
- skills and desired countries as posting lists (the people having each), so a vacancy reads
  only the people who have one of its skills, not every person's skills;
- experience per occupation: declared years, days in finished jobs and starts of current ones,
  so years can be counted on any day (current jobs grow with the date).
Component values are int16 arrays (or one int when equal for everyone).
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import compress

import numpy as np

from gza.demand.enums import DrivingLicence
from gza.matching.components import (
    AVAILABILITY,
    AVAILABILITY_GRACE_DAYS,
    COUNTRY,
    EDUCATION,
    EXPERIENCE,
    LANGUAGES,
    NAMED_SHARE,
    OCCUPATION,
    ORDER,
    SKILLS,
    TYPICAL_ESSENTIAL_POINTS,
    TYPICAL_OPTIONAL_POINTS,
    TYPICAL_SHARE,
    PersonFacts,
    Tables,
    VacancyFacts,
    covered_licences,
    typical_points_cap,
)
from gza.registry.eligibility import RuleKind, add_months

LICENCE_BIT = {category: 1 << i for i, category in enumerate(DrivingLicence.values)}


def _ordinal(day: datetime.date | None) -> int:
    return day.toordinal() if day else 0


def _ymd(day: datetime.date) -> int:
    return day.year * 10_000 + day.month * 100 + day.day


def _licence_mask(categories: Iterable[str]) -> int:
    mask = 0
    for category in categories:
        mask |= LICENCE_BIT.get(category, 0)
    return mask


@dataclass(slots=True)
class _Experience:
    """Experience in one occupation: one entry per person who declared or held it."""

    people: np.ndarray  # positions
    declared: np.ndarray  # years, -1 when not declared
    closed_days: np.ndarray  # days in finished jobs (and current ones are added per day)
    held: np.ndarray  # bool: has a job recorded in it
    open_entry: np.ndarray  # entry index of each current job
    open_start: np.ndarray  # its start, as an ordinal


class Evaluation:
    """One vacancy against every person: component values (int16 arrays, or an int when equal
    for everyone), the hard filters (`failed`: None when nobody fails; `unknown`: one mask or
    None per rule), and what the sentences of the best entries need."""

    __slots__ = (
        "essential_overlap",
        "failed",
        "language_ranks",
        "named",
        "optional_overlap",
        "typical_essential",
        "typical_optional",
        "unknown",
        "vacancy",
        "values",
        "wants_country",
        "years",
    )


class PeopleIndex:
    def __init__(self, rows: Iterable[PersonFacts], tables: Tables, *, source: str = "db") -> None:
        """Build from PersonFacts in any order (the database loader or a generator)."""
        self.tables = tables
        self.source = source
        people = sorted(rows, key=lambda person: person.id)
        n = len(people)
        self.size = n
        self.ids = np.fromiter((p.id for p in people), dtype=np.int64, count=n)
        self.birth = np.fromiter((_ymd(p.birth_date) for p in people), dtype=np.int32, count=n)
        self.available = np.fromiter(
            (_ordinal(p.availability_date) for p in people), dtype=np.int32, count=n
        )
        self.schengen = np.fromiter(
            (_ordinal(p.last_schengen_stay_end) for p in people), dtype=np.int32, count=n
        )
        self.passport = np.fromiter(
            (_ordinal(p.passport_expiry) for p in people), dtype=np.int32, count=n
        )
        self.isced = np.fromiter(
            (-1 if p.highest_isced is None else p.highest_isced for p in people),
            dtype=np.int16,
            count=n,
        )
        self.held = np.fromiter(
            (_licence_mask(p.driving_licences) for p in people), dtype=np.int32, count=n
        )
        self.unknown_licence = np.fromiter(
            (bool(p.driving_licences) and not _licence_mask(p.driving_licences) for p in people),
            dtype=bool,
            count=n,
        )
        self.covered = np.fromiter(
            (_licence_mask(covered_licences(p.driving_licences)) for p in people),
            dtype=np.int32,
            count=n,
        )
        self.document_bit: dict[str, int] = {}
        documents = np.zeros(n, dtype=np.int64)
        languages: dict[str, np.ndarray] = {}
        skill_people: dict[int, list[int]] = defaultdict(list)
        country_people: dict[str, list[int]] = defaultdict(list)
        self.code_position: dict[str, int] = {}
        self.codes: list[str] = []
        occupation_lists: list[list[int]] = []
        experience: dict[str, dict] = {}
        for position, person in enumerate(people):
            for kind in person.document_kinds:
                bit = self.document_bit.setdefault(kind, 1 << len(self.document_bit))
                documents[position] |= bit
            for code, rank in person.languages.items():
                ranks = languages.get(code)
                if ranks is None:
                    ranks = languages[code] = np.zeros(n, dtype=np.int8)
                ranks[position] = rank
            for skill in person.skills:
                skill_people[skill].append(position)
            for country in person.desired_countries:
                country_people[country].append(position)
            occupation_lists.append([self._code(code) for code in person.occupations])
            for code, years in person.sought.items():
                entry = self._experience_entry(experience, code, position)
                entry[1] = years
            for code, start, end in person.jobs:
                if not code:
                    continue
                entry = self._experience_entry(experience, code, position)
                entry[3] = True
                if end is None:
                    entry[4].append(start.toordinal())
                elif end >= start:
                    entry[2] += (end - start).days
        self.documents = documents
        self.languages = languages
        self.skill_people = {
            skill: np.array(p, dtype=np.int32) for skill, p in skill_people.items()
        }
        self.country_people = {
            country: np.array(p, dtype=np.int32) for country, p in country_people.items()
        }
        self.names_countries = np.zeros(n, dtype=bool)
        for positions in self.country_people.values():
            self.names_countries[positions] = True
        self._build_occupations(occupation_lists)
        self.experience = {code: self._freeze(entries) for code, entries in experience.items()}
        self._rows: dict[str, np.ndarray] = {}
        self._occupations: dict[int, tuple[str, ...]] = {}

    # --- building ----------------------------------------------------------------------------

    def _code(self, code: str) -> int:
        position = self.code_position.get(code)
        if position is None:
            position = self.code_position[code] = len(self.codes)
            self.codes.append(code)
        return position

    @staticmethod
    def _experience_entry(experience: dict, code: str, position: int) -> list:
        by_person = experience.setdefault(code, {})
        entry = by_person.get(position)
        if entry is None:
            # [position, declared, closed days, held, open starts]
            entry = by_person[position] = [position, -1, 0, False, []]
        return entry

    @staticmethod
    def _freeze(entries: dict[int, list]) -> _Experience:
        rows = sorted(entries.values(), key=lambda entry: entry[0])
        open_entry = [i for i, row in enumerate(rows) for _start in row[4]]
        open_start = [start for row in rows for start in row[4]]
        return _Experience(
            people=np.array([row[0] for row in rows], dtype=np.int32),
            declared=np.array([row[1] for row in rows], dtype=np.int32),
            closed_days=np.array([row[2] for row in rows], dtype=np.int64),
            held=np.array([row[3] for row in rows], dtype=bool),
            open_entry=np.array(open_entry, dtype=np.int32),
            open_start=np.array(open_start, dtype=np.int64),
        )

    def _build_occupations(self, lists: list[list[int]]) -> None:
        """Each person's first occupation in one array (the padding code when none), and
        the second, third... as (positions, codes) pairs: most people have one or two."""
        n = len(lists)
        self.padding = len(self.codes)  # a code position whose closeness is always 0
        first = np.full(n, self.padding, dtype=np.int32)
        more: dict[int, tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
        pointer = np.zeros(n + 1, dtype=np.int64)
        flat: list[int] = []
        for position, codes in enumerate(lists):
            if codes:
                first[position] = codes[0]
            for rank, code in enumerate(codes[1:]):
                people, found = more[rank]
                people.append(position)
                found.append(code)
            flat.extend(codes)
            pointer[position + 1] = len(flat)
        self.occupation_first = first
        self.occupation_more = [
            (np.array(people, dtype=np.int64), np.array(found, dtype=np.int32))
            for _rank, (people, found) in sorted(more.items())
        ]
        self.occupation_pointer = pointer
        self.occupation_flat = np.array(flat, dtype=np.int32)

    # --- reading -----------------------------------------------------------------------------

    def closeness_row(self, vacancy_code: str) -> np.ndarray:
        """Closeness of every known code to the vacancy's, plus 0 for the padding."""
        row = self._rows.get(vacancy_code)
        if row is None:
            row = np.array(
                [self.tables.closeness(vacancy_code, code) for code in self.codes] + [0],
                dtype=np.int16,
            )
            self._rows[vacancy_code] = row
        return row

    def occupation_values(self, vacancy_code: str) -> np.ndarray:
        """The closest of each person's occupations to the vacancy's."""
        row = self.closeness_row(vacancy_code)
        values = row[self.occupation_first]
        for people, codes in self.occupation_more:
            values[people] = np.maximum(values[people], row[codes])
        return values

    def years_in(self, code: str, today: datetime.date) -> np.ndarray:
        """Years of experience in an occupation per person, -1 when the profile says nothing
        (as PersonFacts.years_in)."""
        years = np.full(self.size, -1, dtype=np.int32)
        entries = self.experience.get(code)
        if entries is None:
            return years
        days = entries.closed_days.copy()
        if len(entries.open_entry):
            now = today.toordinal()
            running = np.where(entries.open_start <= now, now - entries.open_start, 0)
            np.add.at(days, entries.open_entry, running)
        worked = np.where(entries.held, (4 * days) // 1461, -1)
        years[entries.people] = np.maximum(entries.declared, worked)
        return years

    def _rule(self, rule, vacancy: VacancyFacts, today: datetime.date, memo: dict):
        """(failed, unknown) masks of one rule, each None for "nobody"; shared between
        vacancies whose rule reads the same things."""
        kind = rule.kind
        day = vacancy.start_date or today
        if kind == RuleKind.AGE:
            key = (rule, day)
        elif kind == RuleKind.EXPERIENCE:
            key = (rule, rule.occupation or vacancy.occupation, today)
        elif kind == RuleKind.NO_SCHENGEN_STAY:
            key = (rule, today)
        elif kind == RuleKind.PASSPORT_VALIDITY:
            key = (rule, day)
        else:
            key = (rule,)
        found = memo.get(key)
        if found is None:
            found = memo[key] = self._judge(rule, vacancy, today, memo)
        return found

    def _judge(self, rule, vacancy: VacancyFacts, today: datetime.date, memo: dict):
        kind = rule.kind
        if kind == RuleKind.AGE:
            day = vacancy.start_date or today
            age = (_ymd(day) - self.birth) // 10_000
            failed = np.zeros(self.size, dtype=bool)
            if rule.min_age is not None:
                failed |= age < rule.min_age
            if rule.max_age is not None:
                failed |= age > rule.max_age
            return failed, None
        if kind == RuleKind.DOCUMENT:
            bit = self.document_bit.get(rule.document_kind, 0)
            return (self.documents & bit) == 0, None
        if kind == RuleKind.LANGUAGE:
            ranks = self.languages.get(rule.language)
            if ranks is None:
                return None, np.ones(self.size, dtype=bool)
            return (ranks > 0) & (ranks < rule.rank), ranks == 0
        if kind == RuleKind.EXPERIENCE:
            years = self._years(rule.occupation or vacancy.occupation, today, memo)
            return (years >= 0) & (years < rule.years), years < 0
        if kind == RuleKind.DRIVING_LICENCE:
            bit = LICENCE_BIT.get(rule.driving_licence, 0)
            none = (self.held == 0) & ~self.unknown_licence
            return ~none & ((self.covered & bit) == 0), none
        if kind == RuleKind.NO_SCHENGEN_STAY:
            since = add_months(today, -rule.months).toordinal()
            return self.schengen > since, self.schengen == 0
        if kind == RuleKind.EDUCATION:
            return (self.isced >= 0) & (self.isced < rule.isced), self.isced < 0
        if kind == RuleKind.PASSPORT_VALIDITY:
            needed = add_months(vacancy.start_date or today, rule.months).toordinal()
            return (self.passport > 0) & (self.passport < needed), self.passport == 0
        return None, None  # pragma: no cover - every kind is handled above

    def _years(self, code: str, today: datetime.date, memo: dict) -> np.ndarray:
        key = ("years", code, today)
        if key not in memo:
            memo[key] = self.years_in(code, today)
        return memo[key]

    @staticmethod
    def _memo(memo: dict, key, make):
        value = memo.get(key)
        if value is None:
            value = memo[key] = make()
        return value

    def _counts(self, skills: Iterable[int]) -> np.ndarray | None:
        """How many of `skills` each person has (None: nobody has any)."""
        counts = None
        for skill in skills:
            people = self.skill_people.get(skill)
            if people is None:
                continue
            if counts is None:
                counts = np.zeros(self.size, dtype=np.int32)
            counts[people] += 1  # a skill's posting list names each person once
        return counts

    def evaluate(
        self, vacancy: VacancyFacts, today: datetime.date, memo: dict | None = None
    ) -> Evaluation:
        """Every person against one vacancy. `memo` shares arrays that depend on one part of
        a vacancy only (its occupation, country, start date, a rule...) across vacancies."""
        memo = {} if memo is None else memo
        result = Evaluation()
        result.vacancy = vacancy
        failed = None
        unknown = []
        for rule in vacancy.rules:
            fails, unsure = self._rule(rule, vacancy, today, memo)
            if fails is not None:
                failed = fails if failed is None else failed | fails
            unknown.append(unsure)
        result.failed = failed
        result.unknown = unknown
        occupation = vacancy.occupation
        values: dict[str, np.ndarray | int] = {}
        values[OCCUPATION] = self._memo(
            memo, ("occupation", occupation), lambda: self.occupation_values(occupation)
        )
        values[SKILLS] = self._skills(vacancy, result, memo)
        ranks = [self.languages.get(code) for code, _need in vacancy.languages]
        result.language_ranks = ranks
        if vacancy.languages:
            values[LANGUAGES] = self._memo(
                memo, ("languages", vacancy.languages), lambda: self._languages(vacancy.languages)
            )
        else:
            values[LANGUAGES] = 100
        years = self._years(occupation, today, memo)
        result.years = years
        required = vacancy.experience_years
        if required > 0:
            values[EXPERIENCE] = self._memo(
                memo,
                ("experience", occupation, required, today),
                lambda: np.minimum(100, 100 * np.maximum(years, 0) // required).astype(np.int16),
            )
        else:
            values[EXPERIENCE] = 100
        if vacancy.isced is None:
            values[EDUCATION] = 100
        else:
            values[EDUCATION] = self._memo(
                memo, ("education", vacancy.isced), lambda: self._education(vacancy.isced)
            )
        if vacancy.start_date is None:
            values[AVAILABILITY] = 100
        else:
            start = vacancy.start_date.toordinal()
            values[AVAILABILITY] = self._memo(
                memo, ("availability", start), lambda: self._availability(start)
            )
        wants = self._memo(memo, ("country", vacancy.country), lambda: self._wants(vacancy.country))
        result.wants_country = wants
        values[COUNTRY] = wants
        result.values = values
        return result

    def _usual(self, occupation: str) -> tuple[frozenset[int], frozenset[int]]:
        essential = self.tables.essential.get(occupation, frozenset())
        optional = self.tables.optional.get(occupation, frozenset()) - essential
        return essential, optional

    def _skills(self, vacancy: VacancyFacts, result: Evaluation, memo: dict):
        """The skills component. The occupation's usual skills are counted once per
        occupation (memo); a vacancy's named skills, held by few people, then correct the
        value of those people only. Named skills are not "usual" for the vacancy, so they are
        taken out of those people's usual counts (the overlap arrays)."""
        occupation = vacancy.occupation
        essential_set, optional_set = self._usual(occupation)
        essential = self._memo(memo, ("essential", occupation), lambda: self._counts(essential_set))
        optional = self._memo(memo, ("optional", occupation), lambda: self._counts(optional_set))
        named_set = vacancy.skills
        named = self._counts(named_set)
        result.named = named
        result.typical_essential = essential if vacancy.typical_essential else None
        result.typical_optional = optional if vacancy.typical_optional else None
        result.essential_overlap = self._counts(named_set & essential_set)
        result.optional_overlap = self._counts(named_set & optional_set)
        n_named = len(named_set)
        cap = typical_points_cap(vacancy)
        if not n_named and not cap:
            return 100
        # The value of everyone who has none of the named skills (their usual counts are whole).
        shape = (occupation, cap, bool(vacancy.typical_essential), bool(vacancy.typical_optional))
        if cap:
            typical = self._memo(
                memo,
                ("typical", *shape),
                lambda: self._typical_points(
                    result.typical_essential, result.typical_optional, cap
                ),
            )
            if n_named:
                base = self._memo(
                    memo,
                    ("skills-base", *shape),
                    lambda: ((100 * typical) // ((NAMED_SHARE + TYPICAL_SHARE) * cap)).astype(
                        np.int16
                    ),
                )
            else:
                return self._memo(memo, ("skills", *shape), lambda: (100 * typical) // cap)
        else:
            base = None
        if named is None:
            return 0 if base is None else base
        holders = np.flatnonzero(named)
        has = named[holders]
        if cap:
            usual_essential = self._usual_at(
                result.typical_essential, result.essential_overlap, holders
            )
            usual_optional = self._usual_at(
                result.typical_optional, result.optional_overlap, holders
            )
            points = np.minimum(
                TYPICAL_ESSENTIAL_POINTS * usual_essential
                + TYPICAL_OPTIONAL_POINTS * usual_optional,
                cap,
            )
            corrected = (100 * (NAMED_SHARE * has * cap + TYPICAL_SHARE * points * n_named)) // (
                (NAMED_SHARE + TYPICAL_SHARE) * n_named * cap
            )
            value = base.copy()
        else:
            corrected = 100 * has // n_named
            value = np.zeros(self.size, dtype=np.int16)
        value[holders] = corrected
        return value

    @staticmethod
    def _usual_at(counts: np.ndarray | None, overlap: np.ndarray | None, positions: np.ndarray):
        """How many of the vacancy's usual skills (the occupation's, less the named) these
        people have."""
        if counts is None:
            return np.zeros(len(positions), dtype=np.int32)
        if overlap is None:
            return counts[positions]
        return counts[positions] - overlap[positions]

    def _typical_points(self, essential, optional, cap: int) -> np.ndarray:
        points = np.zeros(self.size, dtype=np.int32)
        if essential is not None:
            points += TYPICAL_ESSENTIAL_POINTS * essential
        if optional is not None:
            points += TYPICAL_OPTIONAL_POINTS * optional
        return np.minimum(points, cap)

    def _languages(self, requirements: tuple[tuple[str, int], ...]) -> np.ndarray:
        total = np.zeros(self.size, dtype=np.int32)
        for code, need in requirements:
            ranks = self.languages.get(code)
            if need <= 0:
                total += 100
            elif ranks is not None:
                has = ranks.astype(np.int32)
                total += np.where(has >= need, 100, 100 * has // need).astype(np.int32)
        return (total // len(requirements)).astype(np.int16)

    def _education(self, level: int) -> np.ndarray:
        isced = self.isced.astype(np.int32)
        return np.where(
            isced < 0, 0, np.where(isced >= level, 100, 100 * (isced + 1) // (level + 1))
        ).astype(np.int16)

    def _availability(self, start: int) -> np.ndarray:
        late = self.available - start
        return np.where(
            self.available == 0,
            0,
            np.where(
                late <= 0,
                100,
                np.maximum(0, 100 * (AVAILABILITY_GRACE_DAYS - late) // AVAILABILITY_GRACE_DAYS),
            ),
        ).astype(np.int16)

    def _wants(self, country: str) -> np.ndarray:
        wants = np.zeros(self.size, dtype=np.int16)
        positions = self.country_people.get(country)
        if positions is not None:
            wants[positions] = 100
        return wants

    # --- ranking -----------------------------------------------------------------------------

    def points(self, evaluation: Evaluation, weights: dict[str, int]) -> np.ndarray:
        """sum(weight x value) per person, exactly, and -1 for those who failed a hard
        filter. Values are int16 (weight x value <= 10,000 fits); so is the sum when the
        weights add up to 320 or less (the default: 100), else int32. Half the bytes to move
        is most of the speed here."""
        small = 100 * sum(weights[name] for name in ORDER) <= 32_000
        points = np.empty(self.size, dtype=np.int16 if small else np.int32)
        scratch = np.empty(self.size, dtype=np.int16)
        constant = 0
        started = False
        for name in ORDER:
            weight = weights[name]
            if not weight:
                continue
            value = evaluation.values[name]
            if isinstance(value, int):
                constant += weight * value
                continue
            np.multiply(value, weight, out=scratch)
            if started:
                np.add(points, scratch, out=points)
            else:
                points[:] = scratch
                started = True
        if not started:
            points.fill(constant)
        elif constant:
            points += constant
        if evaluation.failed is not None:
            np.putmask(points, evaluation.failed, -1)
        return points

    def passed_count(self, evaluation: Evaluation) -> int:
        if evaluation.failed is None:
            return self.size
        return self.size - int(np.count_nonzero(evaluation.failed))

    @staticmethod
    def best(points: np.ndarray, limit: int) -> np.ndarray:
        """Positions of the best `limit` people (points >= 0), best first; equal points rank
        by id (position), lower first."""
        n = len(points)
        if limit <= 0 or not n:
            return np.zeros(0, dtype=np.int64)
        if limit >= n:
            chosen = np.flatnonzero(points >= 0)
        else:
            threshold = np.partition(points, n - limit)[n - limit]
            if threshold < 0:
                chosen = np.flatnonzero(points >= 0)
            else:
                above = np.flatnonzero(points > threshold)
                ties = np.flatnonzero(points == threshold)[: limit - len(above)]
                chosen = np.concatenate((above, ties))
        order = np.lexsort((chosen, -points[chosen].astype(np.int64)))
        return chosen[order]

    def table(self, evaluation: Evaluation, points: np.ndarray, positions) -> np.ndarray:
        """What the entries of these people need, as one int64 row each (cheap to send from
        a worker process): see TABLE_COLUMNS, then one column per language requirement (the
        person's CEFR rank) and one per rule (1 when the profile cannot answer it)."""
        positions = np.asarray(positions, dtype=np.int64)
        columns = [
            positions,
            self.ids[positions],
            points[positions],
            self._column(evaluation.named, positions),
            self._column(evaluation.typical_essential, positions, evaluation.essential_overlap),
            self._column(evaluation.typical_optional, positions, evaluation.optional_overlap),
            evaluation.years[positions],
            self.isced[positions],
            self.available[positions],
            self._column(evaluation.wants_country, positions),
            self.names_countries[positions],
        ]
        columns += [self._column(ranks, positions) for ranks in evaluation.language_ranks]
        columns += [self._column(mask, positions) for mask in evaluation.unknown]
        if not len(positions):
            return np.zeros((0, len(columns)), dtype=np.int64)
        return np.stack([np.asarray(c, dtype=np.int64) for c in columns], axis=1)

    @staticmethod
    def _column(array, positions: np.ndarray, minus=None):
        if array is None:
            return np.zeros(len(positions), dtype=np.int64)
        if minus is None:
            return array[positions]
        return array[positions].astype(np.int64) - minus[positions]

    def occupations_of(self, position: int) -> tuple[str, ...]:
        found = self._occupations.get(position)
        if found is None:
            start, stop = self.occupation_pointer[position], self.occupation_pointer[position + 1]
            found = tuple(self.codes[c] for c in self.occupation_flat[start:stop].tolist())
            self._occupations[position] = found
        return found

    def entries(self, builder, table: np.ndarray) -> list:
        """The explained entries of a table's rows, in its order."""
        languages = len(builder.vacancy.languages)
        rules = len(builder.vacancy.rules)
        first_rule = TABLE_COLUMNS + languages
        make = builder.make
        occupations_of = self.occupations_of
        entries = []
        for row in table.tolist():
            position, person_id, points, named, essential, optional, years, isced = row[:8]
            available, wants, names = row[8:TABLE_COLUMNS]
            entries.append(
                make(
                    person_id,
                    occupations_of(position),
                    named,
                    essential,
                    optional,
                    tuple(row[TABLE_COLUMNS:first_rule]),
                    None if years < 0 else years,
                    None if isced < 0 else isced,
                    _date(available),
                    wants > 0,
                    names > 0,
                    tuple(compress(range(rules), row[first_rule:])) if rules else (),
                    points,
                )
            )
        return entries


TABLE_COLUMNS = 11  # position, id, points, named, essential, optional, years, isced,
# availability, wants the country, names any country

_DATES: dict[int, datetime.date | None] = {0: None}


def _date(ordinal: int) -> datetime.date | None:
    day = _DATES.get(ordinal)
    if day is None and ordinal:
        day = _DATES[ordinal] = datetime.date.fromordinal(ordinal)
    return day
