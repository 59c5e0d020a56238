"""Data for the matching engine's tests: small reference tables that need no database, and
Hypothesis strategies for people and vacancies in the shape the engine reads."""

import datetime

from hypothesis import strategies as st

from gza.matching.components import (
    CodeName,
    Name,
    PersonFacts,
    RuleFact,
    Tables,
    VacancyFacts,
)
from gza.matching.enums import Component
from gza.matching.loading import esco_relatedness
from gza.registry.eligibility import RuleKind

# Welders and their neighbours, farm labourers, cooks: related through shared skills.
UNITS = ["7212", "7213", "7214", "7221", "9211", "9213", "5120", "9411"]
GROUPS = ["7", "72", "721", "722", "9", "92", "921", "5", "51", "512", "94", "941"]
ESSENTIAL = {
    "7212": {1, 2, 3, 4, 5},
    "7213": {3, 4, 5, 6},
    "7214": {5, 6, 7},
    "7221": {7, 8},
    "9211": {10, 11, 12},
    "9213": {11, 12, 13},
    "5120": {20, 21, 22, 23},
    "9411": {21, 22, 23, 24},
}
OPTIONAL = {"7212": {6, 7, 30}, "9211": {13, 31}, "5120": {24, 32}}
SKILLS = list(range(1, 36))
LANGUAGES = ["pl", "de", "en", "ru"]
COUNTRIES = ["PL", "DE", "IL", "FR"]
LICENCES = ["B", "BE", "C", "CE", "D", "AM"]
DOCUMENTS = ["cv", "passport", "diploma"]
TODAY = datetime.date(2027, 3, 1)


def synthetic_tables() -> Tables:
    return Tables(
        occupations={code: CodeName(code, f"ka {code}", f"en {code}") for code in UNITS + GROUPS},
        essential={code: frozenset(skills) for code, skills in ESSENTIAL.items()},
        optional={code: frozenset(skills) for code, skills in OPTIONAL.items()},
        esco_related=esco_relatedness({code: set(s) for code, s in ESSENTIAL.items()}),
        languages={code: Name(f"ka {code}", f"en {code}") for code in LANGUAGES},
        countries={code: Name(f"ka {code}", f"en {code}") for code in COUNTRIES},
        cefr={1: "A1", 2: "A2", 3: "B1", 4: "B2", 5: "C1", 6: "C2"},
    )


# Codes a profile may carry: unit groups, a broader group, and one no table knows.
CODES = [*UNITS, "72", "9999"]

dates = st.dates(datetime.date(2020, 1, 1), datetime.date(2030, 12, 31))
births = st.dates(datetime.date(1955, 1, 1), datetime.date(2009, 12, 31))
maybe = st.none().__or__


@st.composite
def jobs(draw) -> tuple:
    start = draw(st.dates(datetime.date(2000, 1, 1), datetime.date(2028, 1, 1)))
    end = draw(st.none() | st.integers(0, 4000).map(lambda d: start + datetime.timedelta(d)))
    return (draw(st.none() | st.sampled_from(CODES)), start, end)


def people_facts(person_id: int = 1):
    return st.builds(
        PersonFacts,
        id=st.just(person_id),
        birth_date=births,
        availability_date=maybe(dates),
        driving_licences=st.frozensets(st.sampled_from(LICENCES), max_size=3),
        last_schengen_stay_end=maybe(dates),
        passport_expiry=maybe(dates),
        skills=st.frozensets(st.sampled_from(SKILLS), max_size=8),
        desired_countries=st.frozensets(st.sampled_from(COUNTRIES), max_size=3),
        sought=st.dictionaries(st.sampled_from(CODES), st.integers(0, 20), max_size=3),
        jobs=st.lists(jobs(), max_size=3).map(tuple),
        languages=st.dictionaries(st.sampled_from(LANGUAGES), st.integers(1, 6), max_size=3),
        highest_isced=maybe(st.integers(0, 8)),
        document_kinds=st.frozensets(st.sampled_from(DOCUMENTS), max_size=3),
    )


@st.composite
def populations(draw, max_size: int = 40) -> list[PersonFacts]:
    """People with distinct ids, not in id order."""
    count = draw(st.integers(0, max_size))
    ids = draw(st.lists(st.integers(1, 10_000), min_size=count, max_size=count, unique=True))
    return [draw(people_facts(person_id)) for person_id in ids]


@st.composite
def rules(draw) -> RuleFact:
    kind = draw(st.sampled_from(RuleKind.values))
    match kind:
        case RuleKind.AGE:
            low = draw(st.none() | st.integers(16, 40))
            high = draw(st.none() | st.integers(low or 16, 70))
            if low is None and high is None:
                low = 21
            return RuleFact(kind=kind, min_age=low, max_age=high)
        case RuleKind.DOCUMENT:
            return RuleFact(kind=kind, document_kind=draw(st.sampled_from(DOCUMENTS)))
        case RuleKind.LANGUAGE:
            return RuleFact(
                kind=kind,
                language=draw(st.sampled_from(LANGUAGES)),
                rank=draw(st.integers(1, 6)),
            )
        case RuleKind.EXPERIENCE:
            return RuleFact(
                kind=kind,
                years=draw(st.integers(0, 6)),
                occupation=draw(st.sampled_from(["", *CODES])),
            )
        case RuleKind.DRIVING_LICENCE:
            return RuleFact(kind=kind, driving_licence=draw(st.sampled_from(LICENCES)))
        case RuleKind.EDUCATION:
            return RuleFact(kind=kind, isced=draw(st.integers(0, 8)))
        case _:  # Schengen stay, passport validity
            return RuleFact(kind=kind, months=draw(st.integers(1, 24)))


@st.composite
def vacancies(draw, tables: Tables, with_rules: bool = True) -> VacancyFacts:
    occupation = draw(st.sampled_from([*UNITS, "72", "9999"]))
    named = draw(st.frozensets(st.sampled_from(SKILLS), max_size=5))
    essential, optional = tables.typical_skills(occupation, named)
    languages = draw(
        st.lists(
            st.tuples(st.sampled_from(LANGUAGES), st.integers(1, 6)),
            max_size=2,
            unique_by=lambda pair: pair[0],
        )
    )
    return VacancyFacts(
        id=draw(st.integers(1, 1000)),
        occupation=occupation,
        country=draw(st.sampled_from(COUNTRIES)),
        start_date=draw(maybe(dates)),
        experience_years=draw(st.integers(0, 5)),
        isced=draw(maybe(st.integers(0, 8))),
        languages=tuple(languages),
        skills=named,
        typical_essential=essential,
        typical_optional=optional,
        rules=tuple(draw(st.lists(rules(), max_size=4))) if with_rules else (),
    )


weights = st.fixed_dictionaries({name: st.integers(0, 100) for name in Component.values}).filter(
    lambda w: any(w.values())
)
