"""The score of one (job seeker, vacancy) pair, component by component, in plain Python.

This is the reference: `explain()` and `recommend()` use it directly, and the vectorised path
(gza/matching/index.py) must agree with it exactly, which tests check on random populations.
Every value is a whole number from 0 to 100 and the total is computed in integers, so the two
paths cannot drift apart by rounding.

Two rules give every component its meaning for incomplete data:
- a vacancy that asks nothing of a component scores everyone 100 on it ("no requirement");
- a profile that says nothing scores 0 on it ("unknown": no evidence is no credit).
Together with monotone formulas they make filling in a profile never lower a score.

Only what a component needs is read: sex, citizenship, municipality, ethnicity, religion and
health are not even loaded. The date of birth is loaded for one purpose, the age range some
schemes set by law, which is a hard filter (gza/registry/eligibility.py), never a score.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from gza.matching.enums import Component
from gza.registry.eligibility import LICENCE_COVERS, EligibilityRule, RuleKind, add_months
from gza.registry.validators import age_on

# Occupation: closeness in the ISCO-08 hierarchy, by the longest code prefix two groups share.
SAME_UNIT = 100
SAME_MINOR = 70
SAME_SUB_MAJOR = 40
SAME_MAJOR = 15
PREFIX_CLOSENESS = {4: SAME_UNIT, 3: SAME_MINOR, 2: SAME_SUB_MAJOR, 1: SAME_MAJOR, 0: 0}
# Occupation: unit groups whose ESCO occupations share essential skills are related, up to
# this much (below "same unit group": the vacancy's own occupation always ranks first).
ESCO_RELATED_MAX = 80
# Skills usual in the vacancy's occupation (ESCO): an essential one counts 2 points, an
# optional one 1; 20 points (ten essential skills) is full credit, since no profile lists the
# hundreds of skills ESCO records for a unit group. Named skills of the vacancy count 3/4.
TYPICAL_ESSENTIAL_POINTS = 2
TYPICAL_OPTIONAL_POINTS = 1
TYPICAL_FULL_POINTS = 20
NAMED_SHARE, TYPICAL_SHARE = 3, 1
# Availability: full marks when available by the start date, falling to 0 at 90 days late.
AVAILABILITY_GRACE_DAYS = 90

ORDER = tuple(Component.values)
# The component names as plain strings (the keys of values and weights).
OCCUPATION, SKILLS, LANGUAGES, EXPERIENCE, EDUCATION, AVAILABILITY, COUNTRY = ORDER


class Sentence(Promise):
    """A sentence for staff, rendered in the language active when it is shown (a lazy string:
    templates, DRF and DjangoJSONEncoder treat it as one)."""

    __slots__ = ("message", "params")

    def __init__(self, message, params: dict | None = None) -> None:
        self.message = message
        self.params = params

    def __str__(self) -> str:
        if not self.params:
            return str(self.message)
        return str(self.message) % {key: str(value) for key, value in self.params.items()}

    def __repr__(self) -> str:
        return f"Sentence({str(self)!r})"

    def __eq__(self, other: object) -> bool:
        return str(self) == str(other)

    def __hash__(self) -> int:
        return hash(str(self))


class Joined(Sentence):
    """Several sentences shown as one, separated by semicolons."""

    def __str__(self) -> str:
        return "; ".join(str(part) for part in self.message)


class Name:
    """A reference-data name in Georgian and English, shown in the active language."""

    __slots__ = ("en", "ka")

    def __init__(self, ka: str, en: str) -> None:
        self.ka, self.en = ka, en

    def __str__(self) -> str:
        if (get_language() or "ka")[:2] == "en":
            return self.en or self.ka
        return self.ka or self.en


class CodeName(Name):
    """An ISCO-08 group: its code and title."""

    __slots__ = ("code",)

    def __init__(self, code: str, ka: str, en: str) -> None:
        super().__init__(ka, en)
        self.code = code

    def __str__(self) -> str:
        title = super().__str__()
        return f"{self.code} {title}" if title else self.code


# --- the data a score reads --------------------------------------------------------------------


@dataclass(slots=True)
class PersonFacts:
    """What matching reads of one person; the index is built from rows of this shape, coming
    from the database (gza/matching/index.py) or from a generator (the benchmark)."""

    id: int
    birth_date: datetime.date  # for an age-range rule only, never a score
    availability_date: datetime.date | None = None
    driving_licences: frozenset[str] = frozenset()
    last_schengen_stay_end: datetime.date | None = None
    passport_expiry: datetime.date | None = None
    skills: frozenset[int] = frozenset()  # EscoSkill ids
    desired_countries: frozenset[str] = frozenset()
    sought: dict[str, int] = field(default_factory=dict)  # occupation code: declared years
    jobs: tuple[tuple[str | None, datetime.date, datetime.date | None], ...] = ()
    languages: dict[str, int] = field(default_factory=dict)  # language code: CEFR rank
    highest_isced: int | None = None
    document_kinds: frozenset[str] = frozenset()

    @property
    def occupations(self) -> tuple[str, ...]:
        """Occupations sought and held, each once, in code order."""
        held = {code for code, _start, _end in self.jobs if code}
        return tuple(sorted(held | set(self.sought)))

    def years_in(self, occupation: str, today: datetime.date) -> int | None:
        """As gza.registry.eligibility._Profile.years_in: the declared years or, if more, the
        whole years of the jobs held in the occupation; None when the profile says nothing.
        (4 × days) // 1461 is days // 365.25 in integers."""
        declared = self.sought.get(occupation)
        held = False
        days = 0
        for code, start, end in self.jobs:
            if code == occupation:
                held = True
                stop = end or today
                if stop >= start:
                    days += (stop - start).days
        worked = (4 * days) // 1461 if held else None
        known = [years for years in (declared, worked) if years is not None]
        return max(known) if known else None


@dataclass(frozen=True, slots=True)
class RuleFact:
    """One eligibility rule reduced to plain values (see gza/registry/eligibility.py)."""

    kind: str
    min_age: int | None = None
    max_age: int | None = None
    document_kind: str = ""
    language: str = ""
    rank: int = 0
    years: int = 0
    occupation: str = ""  # empty: the vacancy's own occupation
    driving_licence: str = ""
    months: int = 0
    isced: int = 0
    # The rule itself, or a function making it (the vacancy's own requirements: made only
    # if a flag naming the rule is shown), for its description.
    rule: EligibilityRule | Callable[[], EligibilityRule] | None = field(
        default=None, compare=False, repr=False
    )

    @classmethod
    def of(cls, rule: EligibilityRule) -> "RuleFact":
        return cls(
            kind=rule.kind,
            min_age=rule.min_age,
            max_age=rule.max_age,
            document_kind=rule.document_kind or "",
            language=rule.language_id or "",
            rank=rule.cefr_level.rank if rule.cefr_level_id else 0,
            years=rule.years or 0,
            occupation=rule.occupation_id or "",
            driving_licence=rule.driving_licence or "",
            months=rule.months or 0,
            isced=int(rule.isced_level_id) if rule.isced_level_id else 0,
            rule=rule,
        )

    def describe(self) -> str:
        rule = self.rule
        if rule is None:
            return str(RuleKind(self.kind).label)
        if not isinstance(rule, EligibilityRule):
            rule = rule()
        return rule.describe()


@dataclass(slots=True)
class VacancyFacts:
    """What matching reads of one vacancy, including every eligibility rule it carries."""

    id: int
    occupation: str
    country: str
    start_date: datetime.date | None = None
    experience_years: int = 0
    isced: int | None = None
    languages: tuple[tuple[str, int], ...] = ()  # (language code, minimum CEFR rank)
    skills: frozenset[int] = frozenset()  # named by the vacancy
    typical_essential: frozenset[int] = frozenset()  # usual in the occupation, not named
    typical_optional: frozenset[int] = frozenset()
    rules: tuple[RuleFact, ...] = ()
    agreement_id: int | None = None


# --- reference data the components read ---------------------------------------------------------


class Tables:
    """Reference data matching needs, loaded once per index: ISCO groups and their titles, the
    ESCO skills usual in each unit group and the ESCO relatedness of unit groups, and names."""

    def __init__(
        self,
        *,
        occupations: dict[str, CodeName],
        essential: dict[str, frozenset[int]],
        optional: dict[str, frozenset[int]],
        esco_related: dict[tuple[str, str], int],
        languages: dict[str, Name],
        countries: dict[str, Name],
        cefr: dict[int, str],
    ) -> None:
        self.occupations = occupations
        self.essential = essential
        self.optional = optional
        self.esco_related = esco_related
        self.languages = languages
        self.countries = countries
        self.cefr = cefr
        self._closeness: dict[tuple[str, str], int] = {}

    def occupation_name(self, code: str) -> CodeName:
        return self.occupations.get(code) or CodeName(code, "", "")

    def language_name(self, code: str) -> Name:
        return self.languages.get(code) or Name(code, code)

    def country_name(self, code: str) -> Name:
        return self.countries.get(code) or Name(code, code)

    def level_code(self, rank: int) -> str:
        return self.cefr.get(rank, str(rank))

    def closeness(self, vacancy_code: str, person_code: str) -> int:
        """0..100: how close a person's occupation is to the vacancy's. Any code works, known
        or not, at any level: the hierarchy part reads the codes' common prefix."""
        key = (vacancy_code, person_code)
        value = self._closeness.get(key)
        if value is None:
            value = max(
                hierarchy_closeness(vacancy_code, person_code),
                self.esco_related.get(key, 0),
            )
            self._closeness[key] = value
        return value

    def typical_skills(self, code: str, named: frozenset[int]) -> tuple[frozenset, frozenset]:
        essential = self.essential.get(code, frozenset()) - named
        optional = self.optional.get(code, frozenset()) - named - essential
        return essential, optional


def hierarchy_closeness(a: str, b: str) -> int:
    if a == b:
        return SAME_UNIT
    shared = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        shared += 1
    return PREFIX_CLOSENESS[min(shared, 4)]


# --- component values: one small integer formula each, shared by both paths ------------------


def skills_value(named: int, n_named: int, typical_points: int, n_typical_points: int) -> int:
    """`named` of the vacancy's `n_named` skills; `typical_points` (capped) of the occupation's
    usual skills, out of `n_typical_points` (already capped at TYPICAL_FULL_POINTS)."""
    if n_named and n_typical_points:
        typical = min(typical_points, n_typical_points)
        return (
            100 * (NAMED_SHARE * named * n_typical_points + TYPICAL_SHARE * typical * n_named)
        ) // ((NAMED_SHARE + TYPICAL_SHARE) * n_named * n_typical_points)
    if n_named:
        return 100 * named // n_named
    if n_typical_points:
        return 100 * min(typical_points, n_typical_points) // n_typical_points
    return 100


def language_value(need: int, has: int) -> int:
    """One requirement: full marks at or above the level, else the share of the level."""
    if has >= need:
        return 100
    return 100 * has // need


def experience_value(required: int, years: int | None) -> int:
    if required <= 0:
        return 100
    return min(100, 100 * (years or 0) // required)


def education_value(required: int | None, highest: int | None) -> int:
    if required is None:
        return 100
    if highest is None:
        return 0
    if highest >= required:
        return 100
    return 100 * (highest + 1) // (required + 1)


def availability_value(start: datetime.date | None, available: datetime.date | None) -> int:
    if start is None:
        return 100
    if available is None:
        return 0
    late = (available - start).days
    if late <= 0:
        return 100
    return max(0, 100 * (AVAILABILITY_GRACE_DAYS - late) // AVAILABILITY_GRACE_DAYS)


def typical_points_cap(vacancy: VacancyFacts) -> int:
    return min(
        TYPICAL_FULL_POINTS,
        TYPICAL_ESSENTIAL_POINTS * len(vacancy.typical_essential)
        + TYPICAL_OPTIONAL_POINTS * len(vacancy.typical_optional),
    )


def total_points(values: dict[str, int], weights: dict[str, int]) -> int:
    """The weighted sum, in integers: what ranking sorts on (exact, no rounding)."""
    return sum(weights[name] * values[name] for name in ORDER)


def total_of(points: int, weights: dict[str, int]) -> Decimal:
    """points / sum(weights) as a percentage with two decimals, rounded half up."""
    denominator = sum(weights[name] for name in ORDER)
    hundredths = (200 * points + denominator) // (2 * denominator)
    return Decimal(hundredths).scaleb(-2)


# --- what the shortlist shows ---------------------------------------------------------------------


@dataclass(frozen=True)
class ComponentScore:
    name: str
    value: int
    weight: int
    detail: str


@dataclass(frozen=True)
class Scored:
    job_seeker_id: int
    vacancy_id: int
    total: Decimal
    components: tuple[ComponentScore, ...]
    flags: tuple[str, ...] = ()


@dataclass(slots=True)
class Evidence:
    """What a pair's score depends on, read from a person's facts (reference path) or from the
    index's arrays (vectorised path); `score()` turns it into values and sentences."""

    occupations: tuple[str, ...]
    named_skills: int
    typical_essential: int
    typical_optional: int
    language_ranks: tuple[int, ...]  # per vacancy requirement, 0 when not on the profile
    years: int | None
    highest_isced: int | None
    availability_date: datetime.date | None
    wants_country: bool
    names_countries: bool
    unknown_rules: tuple[int, ...] = ()  # positions in vacancy.rules


def evidence_of(person: PersonFacts, vacancy: VacancyFacts, today: datetime.date) -> Evidence:
    skills = person.skills
    return Evidence(
        occupations=person.occupations,
        named_skills=len(skills & vacancy.skills),
        typical_essential=len(skills & vacancy.typical_essential),
        typical_optional=len(skills & vacancy.typical_optional),
        language_ranks=tuple(person.languages.get(code, 0) for code, _need in vacancy.languages),
        years=person.years_in(vacancy.occupation, today),
        highest_isced=person.highest_isced,
        availability_date=person.availability_date,
        wants_country=vacancy.country in person.desired_countries,
        names_countries=bool(person.desired_countries),
    )


def values_of(evidence: Evidence, vacancy: VacancyFacts, tables: Tables) -> dict[str, int]:
    """The seven values of a pair (what ranking needs, without sentences)."""
    return {
        OCCUPATION: _occupation_value(evidence.occupations, vacancy, tables),
        SKILLS: _skills_value(
            vacancy, evidence.named_skills, evidence.typical_essential, evidence.typical_optional
        ),
        LANGUAGES: _languages_value(vacancy, evidence.language_ranks),
        EXPERIENCE: experience_value(vacancy.experience_years, evidence.years),
        EDUCATION: education_value(vacancy.isced, evidence.highest_isced),
        AVAILABILITY: availability_value(vacancy.start_date, evidence.availability_date),
        COUNTRY: 100 if evidence.wants_country else 0,
    }


def _skills_value(vacancy: VacancyFacts, named: int, essential: int, optional: int) -> int:
    return skills_value(
        named,
        len(vacancy.skills),
        TYPICAL_ESSENTIAL_POINTS * essential + TYPICAL_OPTIONAL_POINTS * optional,
        typical_points_cap(vacancy),
    )


def _languages_value(vacancy: VacancyFacts, ranks: tuple[int, ...]) -> int:
    if not vacancy.languages:
        return 100
    total = sum(
        language_value(need, has)
        for (_code, need), has in zip(vacancy.languages, ranks, strict=True)
    )
    return total // len(vacancy.languages)


class EntryBuilder:
    """Builds the explained entries of one vacancy under one set of weights.

    Equal parts are built once and shared, entries being immutable: a component's value and
    sentence depend on the person's evidence and on a few fields of the vacancy only (its
    occupation for the occupation part, its start date for availability...), so `shared`, a
    dict kept across the vacancies of a re-match, serves every vacancy with the same fields.
    Sentences are made when first shown (Detail): most entries of a re-match never are."""

    def __init__(
        self,
        vacancy: VacancyFacts,
        weights: dict[str, int],
        tables: Tables,
        shared: dict | None = None,
    ) -> None:
        shared = {} if shared is None else shared
        self.vacancy = vacancy
        self.weights = weights
        self.tables = tables
        contexts = {
            OCCUPATION: (vacancy.occupation,),
            SKILLS: (vacancy.skills, vacancy.typical_essential, vacancy.typical_optional),
            LANGUAGES: (vacancy.languages,),
            EXPERIENCE: (vacancy.experience_years, vacancy.occupation),
            EDUCATION: (vacancy.isced,),
            AVAILABILITY: (vacancy.start_date,),
            COUNTRY: (vacancy.country,),
        }
        self._parts = [
            shared.setdefault((name, contexts[name], weights[name]), {}) for name in ORDER
        ]
        self._totals: dict[int, Decimal] = shared.setdefault(
            ("total", tuple(weights[name] for name in ORDER)), {}
        )
        self._flags: dict[tuple[int, ...], tuple] = {(): ()}

    def _part(self, name: str, key) -> "ComponentScore":
        part = ComponentScore(
            name=name,
            value=_VALUES[name](key, self.vacancy, self.tables),
            weight=self.weights[name],
            detail=Detail(name, key, self.vacancy, self.tables),
        )
        self._parts[ORDER.index(name)][key] = part
        return part

    def entry(self, person_id: int, evidence: Evidence) -> Scored:
        return self.make(
            person_id,
            evidence.occupations,
            evidence.named_skills,
            evidence.typical_essential,
            evidence.typical_optional,
            evidence.language_ranks,
            evidence.years,
            evidence.highest_isced,
            evidence.availability_date,
            evidence.wants_country,
            evidence.names_countries,
            evidence.unknown_rules,
        )

    def make(
        self,
        person_id: int,
        occupations: tuple[str, ...],
        named: int,
        essential: int,
        optional: int,
        ranks: tuple[int, ...],
        years: int | None,
        highest: int | None,
        available: datetime.date | None,
        wants: bool,
        names: bool,
        unknown: tuple[int, ...],
        expected: int | None = None,
    ) -> Scored:
        """One entry from the evidence, field by field (the vectorised path calls this
        directly, without an Evidence per row, and passes the points it ranked by as
        `expected`: a difference between the two paths raises). Unrolled: it runs half a
        million times in a re-match."""
        occupation, skills, languages, experience, education, availability, country = self._parts
        skills_key = (named, essential, optional)
        country_key = (wants, names)
        a = occupation.get(occupations) or self._part(OCCUPATION, occupations)
        b = skills.get(skills_key) or self._part(SKILLS, skills_key)
        c = languages.get(ranks) or self._part(LANGUAGES, ranks)
        d = experience.get(years) or self._part(EXPERIENCE, years)
        e = education.get(highest) or self._part(EDUCATION, highest)
        f = availability.get(available) or self._part(AVAILABILITY, available)
        g = country.get(country_key) or self._part(COUNTRY, country_key)
        points = (
            a.weight * a.value
            + b.weight * b.value
            + c.weight * c.value
            + d.weight * d.value
            + e.weight * e.value
            + f.weight * f.value
            + g.weight * g.value
        )
        if expected is not None and points != expected:
            raise RuntimeError(
                f"Matching paths disagree for job seeker {person_id} and vacancy "
                f"{self.vacancy.id}: {expected} points ranked, {points} explained."
            )
        total = self._totals.get(points)
        if total is None:
            total = self._totals[points] = total_of(points, self.weights)
        flags = self._flags.get(unknown)
        if flags is None:
            flags = self._flags[unknown] = tuple(
                Sentence(UNKNOWN_FLAG, {"rule": _Described(self.vacancy.rules[position])})
                for position in unknown
            )
        return Scored(
            job_seeker_id=person_id,
            vacancy_id=self.vacancy.id,
            total=total,
            components=(a, b, c, d, e, f, g),
            flags=flags,
        )


def score(
    person_id: int,
    vacancy: VacancyFacts,
    evidence: Evidence,
    weights: dict[str, int],
    tables: Tables,
) -> Scored:
    return EntryBuilder(vacancy, weights, tables).entry(person_id, evidence)


def score_pair(
    person: PersonFacts,
    vacancy: VacancyFacts,
    weights: dict[str, int],
    tables: Tables,
    today: datetime.date,
) -> Scored:
    """The reference scorer for one pair (flags included; the hard filters are separate)."""
    evidence = evidence_of(person, vacancy, today)
    evidence.unknown_rules = tuple(
        position
        for position, outcome in enumerate(rule_outcomes(person, vacancy, today))
        if outcome == UNKNOWN
    )
    return score(person.id, vacancy, evidence, weights, tables)


# --- hard filters: gza.registry.eligibility.check() on plain facts ------------------------------

PASSED, FAILED, UNKNOWN = "passed", "failed", "unknown"


def covered_licences(held: frozenset[str]) -> frozenset[str]:
    return frozenset(
        held | {lower for category in held for lower in LICENCE_COVERS.get(category, ())}
    )


def rule_outcome(
    rule: RuleFact, person: PersonFacts, vacancy: VacancyFacts, today: datetime.date
) -> str:
    """The outcome eligibility.check() gives, without its sentences (tests hold them equal)."""
    match rule.kind:
        case RuleKind.AGE:
            age = age_on(person.birth_date, vacancy.start_date or today)
            if rule.min_age is not None and age < rule.min_age:
                return FAILED
            if rule.max_age is not None and age > rule.max_age:
                return FAILED
            return PASSED
        case RuleKind.DOCUMENT:
            return PASSED if rule.document_kind in person.document_kinds else FAILED
        case RuleKind.LANGUAGE:
            has = person.languages.get(rule.language)
            if has is None:
                return UNKNOWN
            return FAILED if has < rule.rank else PASSED
        case RuleKind.EXPERIENCE:
            years = person.years_in(rule.occupation or vacancy.occupation, today)
            if years is None:
                return UNKNOWN
            return FAILED if years < rule.years else PASSED
        case RuleKind.DRIVING_LICENCE:
            if not person.driving_licences:
                return UNKNOWN
            covered = covered_licences(person.driving_licences)
            return PASSED if rule.driving_licence in covered else FAILED
        case RuleKind.NO_SCHENGEN_STAY:
            last = person.last_schengen_stay_end
            if last is None:
                return UNKNOWN
            return FAILED if last > add_months(today, -rule.months) else PASSED
        case RuleKind.EDUCATION:
            if person.highest_isced is None:
                return UNKNOWN
            return FAILED if person.highest_isced < rule.isced else PASSED
        case RuleKind.PASSPORT_VALIDITY:
            expiry = person.passport_expiry
            if expiry is None:
                return UNKNOWN
            needed = add_months(vacancy.start_date or today, rule.months)
            return FAILED if expiry < needed else PASSED
    return PASSED  # pragma: no cover - every kind is handled above


def rule_outcomes(person: PersonFacts, vacancy: VacancyFacts, today: datetime.date) -> list[str]:
    return [rule_outcome(rule, person, vacancy, today) for rule in vacancy.rules]


# --- sentences ------------------------------------------------------------------------------------

UNKNOWN_FLAG = _("Not known from the profile: %(rule)s")

OCCUPATION_NONE = _("No occupation on the profile")
OCCUPATION_SAME = _("Same unit group (%(occupation)s)")
OCCUPATION_MINOR = _("Same minor group: %(occupation)s")
OCCUPATION_SUB_MAJOR = _("Same sub-major group: %(occupation)s")
OCCUPATION_MAJOR = _("Same major group: %(occupation)s")
OCCUPATION_ESCO = _("Related through shared ESCO essential skills: %(occupation)s")
OCCUPATION_UNRELATED = _("No related occupation on the profile (has %(occupation)s)")

SKILLS_NONE_REQUIRED = _("No skills required")
SKILLS_NAMED = _("Has %(has)s of the %(required)s skills the vacancy names")
SKILLS_TYPICAL = _(
    "Has %(essential)s essential and %(optional)s optional skills usual in the occupation"
)

LANGUAGES_NONE_REQUIRED = _("No language required")
LANGUAGE_HAS = _("%(language)s %(level)s required; has %(has)s")
LANGUAGE_MISSING = _("%(language)s %(level)s required; not on the profile")

EXPERIENCE_NONE_REQUIRED = _("No experience required")
EXPERIENCE_HAS = _("%(required)s years required; has %(years)s in %(occupation)s")
EXPERIENCE_UNKNOWN = _("%(required)s years required; none recorded in %(occupation)s")

EDUCATION_NONE_REQUIRED = _("No minimum education")
EDUCATION_HAS = _("ISCED level %(required)s required; highest level %(highest)s")
EDUCATION_UNKNOWN = _("ISCED level %(required)s required; no education recorded")

AVAILABILITY_NO_START = _("No start date")
AVAILABILITY_READY = _("Available from %(date)s, in time for the start on %(start)s")
AVAILABILITY_LATE = _("Available from %(date)s, %(days)s days after the start on %(start)s")
AVAILABILITY_UNKNOWN = _("Starts on %(start)s; availability not recorded")

COUNTRY_WANTED = _("Wants to work in %(country)s")
COUNTRY_NOT_NAMED = _("Did not name %(country)s among the desired countries")
COUNTRY_UNKNOWN = _("No desired country recorded")


class _Described(Promise):
    """A rule's description, rendered in the language active when shown."""

    __slots__ = ("rule",)

    def __init__(self, rule: RuleFact) -> None:
        self.rule = rule

    def __str__(self) -> str:
        return self.rule.describe()


def _occupation_part(codes: tuple[str, ...], vacancy: VacancyFacts, tables: Tables):
    if not codes:
        return 0, Sentence(OCCUPATION_NONE)
    # The closest occupation; at equal closeness the vacancy's own, then the lowest code.
    best = max(
        codes,
        key=lambda code: (tables.closeness(vacancy.occupation, code), code == vacancy.occupation),
    )
    value = tables.closeness(vacancy.occupation, best)
    hierarchy = hierarchy_closeness(vacancy.occupation, best)
    if value == 0:
        message = OCCUPATION_UNRELATED
    elif hierarchy == SAME_UNIT:
        message = OCCUPATION_SAME
    elif hierarchy < value:
        message = OCCUPATION_ESCO
    else:
        message = {
            SAME_MINOR: OCCUPATION_MINOR,
            SAME_SUB_MAJOR: OCCUPATION_SUB_MAJOR,
            SAME_MAJOR: OCCUPATION_MAJOR,
        }[hierarchy]
    return value, Sentence(message, {"occupation": tables.occupation_name(best)})


def _skills_part(counts: tuple[int, int, int], vacancy: VacancyFacts, tables: Tables):
    named, essential, optional = counts
    parts = []
    if vacancy.skills:
        parts.append(Sentence(SKILLS_NAMED, {"has": named, "required": len(vacancy.skills)}))
    if vacancy.typical_essential or vacancy.typical_optional:
        parts.append(Sentence(SKILLS_TYPICAL, {"essential": essential, "optional": optional}))
    value = _skills_value(vacancy, named, essential, optional)
    if not parts:
        return value, Sentence(SKILLS_NONE_REQUIRED)
    return value, parts[0] if len(parts) == 1 else Joined(tuple(parts))


def _languages_part(ranks: tuple[int, ...], vacancy: VacancyFacts, tables: Tables):
    value = _languages_value(vacancy, ranks)
    if not vacancy.languages:
        return value, Sentence(LANGUAGES_NONE_REQUIRED)
    parts = []
    for (code, need), has in zip(vacancy.languages, ranks, strict=True):
        params = {"language": tables.language_name(code), "level": tables.level_code(need)}
        if has:
            parts.append(Sentence(LANGUAGE_HAS, {**params, "has": tables.level_code(has)}))
        else:
            parts.append(Sentence(LANGUAGE_MISSING, params))
    return value, parts[0] if len(parts) == 1 else Joined(tuple(parts))


def _experience_part(years: int | None, vacancy: VacancyFacts, tables: Tables):
    value = experience_value(vacancy.experience_years, years)
    occupation = tables.occupation_name(vacancy.occupation)
    if not vacancy.experience_years:
        return value, Sentence(EXPERIENCE_NONE_REQUIRED)
    if years is None:
        return value, Sentence(
            EXPERIENCE_UNKNOWN, {"required": vacancy.experience_years, "occupation": occupation}
        )
    return value, Sentence(
        EXPERIENCE_HAS,
        {"required": vacancy.experience_years, "years": years, "occupation": occupation},
    )


def _education_part(highest: int | None, vacancy: VacancyFacts, tables: Tables):
    value = education_value(vacancy.isced, highest)
    if vacancy.isced is None:
        return value, Sentence(EDUCATION_NONE_REQUIRED)
    if highest is None:
        return value, Sentence(EDUCATION_UNKNOWN, {"required": vacancy.isced})
    return value, Sentence(EDUCATION_HAS, {"required": vacancy.isced, "highest": highest})


def _availability_part(available: datetime.date | None, vacancy: VacancyFacts, tables: Tables):
    start = vacancy.start_date
    value = availability_value(start, available)
    if start is None:
        return value, Sentence(AVAILABILITY_NO_START)
    if available is None:
        return value, Sentence(AVAILABILITY_UNKNOWN, {"start": start.isoformat()})
    if available <= start:
        return value, Sentence(
            AVAILABILITY_READY, {"date": available.isoformat(), "start": start.isoformat()}
        )
    return value, Sentence(
        AVAILABILITY_LATE,
        {
            "date": available.isoformat(),
            "days": (available - start).days,
            "start": start.isoformat(),
        },
    )


def _country_part(wants_names: tuple[bool, bool], vacancy: VacancyFacts, tables: Tables):
    wants, names = wants_names
    country = {"country": tables.country_name(vacancy.country)}
    if wants:
        return 100, Sentence(COUNTRY_WANTED, country)
    if names:
        return 0, Sentence(COUNTRY_NOT_NAMED, country)
    return 0, Sentence(COUNTRY_UNKNOWN)


class Detail(Promise):
    """A component's sentence, made from the evidence when it is first shown, and rendered
    in the language active then. Pickled as the finished sentence."""

    __slots__ = ("_sentence", "key", "name", "tables", "vacancy")

    def __init__(self, name: str, key, vacancy: VacancyFacts, tables: Tables) -> None:
        self.name, self.key, self.vacancy, self.tables = name, key, vacancy, tables
        self._sentence = None

    def sentence(self) -> Sentence:
        if self._sentence is None:
            self._sentence = _PARTS[self.name](self.key, self.vacancy, self.tables)[1]
        return self._sentence

    def __str__(self) -> str:
        return str(self.sentence())

    def __repr__(self) -> str:
        return f"Detail({str(self)!r})"

    def __eq__(self, other: object) -> bool:
        return str(self) == str(other)

    def __hash__(self) -> int:
        return hash(str(self))

    def __reduce__(self):
        return (_finished, (self.sentence(),))


def _finished(sentence: Sentence) -> Sentence:
    return sentence


def _occupation_value(codes: tuple[str, ...], vacancy: VacancyFacts, tables: Tables) -> int:
    return max((tables.closeness(vacancy.occupation, code) for code in codes), default=0)


_VALUES = {
    OCCUPATION: _occupation_value,
    SKILLS: lambda counts, vacancy, tables: _skills_value(vacancy, *counts),
    LANGUAGES: lambda ranks, vacancy, tables: _languages_value(vacancy, ranks),
    EXPERIENCE: lambda years, vacancy, tables: experience_value(vacancy.experience_years, years),
    EDUCATION: lambda highest, vacancy, tables: education_value(vacancy.isced, highest),
    AVAILABILITY: lambda day, vacancy, tables: availability_value(vacancy.start_date, day),
    COUNTRY: lambda wants_names, vacancy, tables: 100 if wants_names[0] else 0,
}

_PARTS = {
    OCCUPATION: _occupation_part,
    SKILLS: _skills_part,
    LANGUAGES: _languages_part,
    EXPERIENCE: _experience_part,
    EDUCATION: _education_part,
    AVAILABILITY: _availability_part,
    COUNTRY: _country_part,
}


# Sentences for a component the vacancy does not ask about (everyone scores 100 on it).
NOT_REQUIRED = (
    SKILLS_NONE_REQUIRED,
    LANGUAGES_NONE_REQUIRED,
    EXPERIENCE_NONE_REQUIRED,
    EDUCATION_NONE_REQUIRED,
    AVAILABILITY_NO_START,
)
