"""Reading what matching needs from the database in a few bulk queries: reference tables,
people (as PersonFacts) and vacancies (as VacancyFacts, with every eligibility rule).

Related rows are fetched with subqueries on the same queryset rather than lists of ids, so the
number of queries does not grow with the number of people or vacancies (and SQLite's limit on
query parameters never applies)."""

from collections import defaultdict
from collections.abc import Iterator
from functools import partial

import numpy as np
import scipy.sparse as sparse
from django.db import models

from gza.demand.models import Vacancy, VacancyLanguage
from gza.matching.components import (
    ESCO_RELATED_MAX,
    CodeName,
    Name,
    PersonFacts,
    RuleFact,
    Tables,
    VacancyFacts,
)
from gza.registry.eligibility import RULE_RELATIONS, EligibilityRule, RuleKind
from gza.registry.enums import ConsentPurpose
from gza.registry.models import (
    Consent,
    Education,
    JobSeeker,
    JobSeekerDocument,
    LanguageSkill,
    SoughtOccupation,
    WorkExperience,
)
from gza.taxonomy.enums import SkillRelation
from gza.taxonomy.models import (
    CefrLevel,
    Country,
    EscoOccupation,
    EscoOccupationSkill,
    Language,
    Occupation,
)

# ESCO relatedness of two unit groups: the Jaccard index of their ESCO occupations' essential
# skills, times 4 (0.2, about the 99th percentile of related pairs, gives the maximum 80), and
# nothing below 0.05 (three in five pairs share a few generic skills such as "use a computer").
ESCO_SCALE = 400
ESCO_MIN_SHARE = 20  # 1/20 = 0.05


def load_tables() -> Tables:
    """Reference data, in six queries (about 0.5 s, mostly the 124,000 ESCO skill links)."""
    occupations = {
        code: CodeName(code, ka, en)
        for code, ka, en in Occupation.objects.values_list("code", "title_ka", "title_en")
    }
    unit_of = dict(EscoOccupation.objects.values_list("id", "isco_id"))
    essential: dict[str, set[int]] = defaultdict(set)
    optional: dict[str, set[int]] = defaultdict(set)
    links = EscoOccupationSkill.objects.values_list("occupation_id", "skill_id", "relation")
    for occupation_id, skill_id, relation in links.iterator(chunk_size=20_000):
        unit = unit_of[occupation_id]
        (essential if relation == SkillRelation.ESSENTIAL else optional)[unit].add(skill_id)
    return Tables(
        occupations=occupations,
        essential={code: frozenset(skills) for code, skills in essential.items()},
        optional={code: frozenset(skills) for code, skills in optional.items()},
        esco_related=esco_relatedness(essential),
        languages={
            code: Name(ka, en)
            for code, ka, en in Language.objects.values_list("code", "name_ka", "name_en")
        },
        countries={
            code: Name(ka, en)
            for code, ka, en in Country.objects.values_list("code", "name_ka", "name_en")
        },
        cefr=dict(CefrLevel.objects.values_list("rank", "code")),
    )


def esco_relatedness(essential: dict[str, set[int]]) -> dict[tuple[str, str], int]:
    """0..ESCO_RELATED_MAX for every pair of distinct unit groups sharing enough essential
    skills (a sparse product of the unit-by-skill matrix with itself)."""
    units = sorted(code for code, skills in essential.items() if skills)
    if not units:
        return {}
    skill_ids = sorted({skill for code in units for skill in essential[code]})
    column = {skill: i for i, skill in enumerate(skill_ids)}
    rows = [i for i, code in enumerate(units) for _skill in essential[code]]
    cols = [column[skill] for code in units for skill in essential[code]]
    matrix = sparse.csr_matrix(
        (np.ones(len(rows), dtype=np.int32), (rows, cols)), shape=(len(units), len(skill_ids))
    )
    shared = (matrix @ matrix.T).toarray().astype(np.int64)
    size = np.diff(matrix.indptr).astype(np.int64)
    union = size[:, None] + size[None, :] - shared
    value = np.minimum(ESCO_RELATED_MAX, ESCO_SCALE * shared // np.maximum(union, 1))
    value[ESCO_MIN_SHARE * shared < union] = 0
    np.fill_diagonal(value, 0)
    a, b = np.nonzero(value)
    return {(units[i], units[j]): int(value[i, j]) for i, j in zip(a, b, strict=True)}


# --- people --------------------------------------------------------------------------------------


def matchable_people() -> models.QuerySet:
    """The people matching may consider: active records (not merged or erased), with a
    standing consent to registration and matching, not placed abroad now."""
    consenting = Consent.objects.filter(
        job_seeker=models.OuterRef("pk"),
        purpose=ConsentPurpose.REGISTRATION,
        withdrawn_at__isnull=True,
    )
    return (
        JobSeeker.objects.active()
        .filter(models.Exists(consenting))
        .exclude(pk__in=JobSeeker.objects.currently_placed().values("pk"))
    )


def people_facts(people: models.QuerySet) -> Iterator[PersonFacts]:
    """PersonFacts for every person of a queryset, in id order, in eight queries."""
    ids = people.values("pk")
    skills: dict[int, set[int]] = defaultdict(set)
    for person, skill in JobSeeker.skills.through.objects.filter(jobseeker_id__in=ids).values_list(
        "jobseeker_id", "escoskill_id"
    ):
        skills[person].add(skill)
    countries: dict[int, set[str]] = defaultdict(set)
    for person, country in JobSeeker.desired_countries.through.objects.filter(
        jobseeker_id__in=ids
    ).values_list("jobseeker_id", "country_id"):
        countries[person].add(country)
    sought: dict[int, dict[str, int]] = defaultdict(dict)
    for person, code, years in SoughtOccupation.objects.filter(job_seeker_id__in=ids).values_list(
        "job_seeker_id", "occupation_id", "years_experience"
    ):
        sought[person][code] = years
    jobs: dict[int, list] = defaultdict(list)
    for person, code, start, end in (
        WorkExperience.objects.filter(job_seeker_id__in=ids)
        .order_by("job_seeker_id", "start_date", "id")
        .values_list("job_seeker_id", "occupation_id", "start_date", "end_date")
    ):
        jobs[person].append((code, start, end))
    languages: dict[int, dict[str, int]] = defaultdict(dict)
    for person, code, rank in LanguageSkill.objects.filter(job_seeker_id__in=ids).values_list(
        "job_seeker_id", "language_id", "level__rank"
    ):
        languages[person][code] = rank
    isced: dict[int, int] = {}
    for person, level in Education.objects.filter(job_seeker_id__in=ids).values_list(
        "job_seeker_id", "isced_level_id"
    ):
        isced[person] = max(isced.get(person, -1), int(level))
    documents: dict[int, set[str]] = defaultdict(set)
    for person, kind in JobSeekerDocument.objects.filter(job_seeker_id__in=ids).values_list(
        "job_seeker_id", "kind"
    ):
        documents[person].add(kind)
    rows = people.order_by("pk").values_list(
        "pk",
        "birth_date",
        "availability_date",
        "driving_licences",
        "last_schengen_stay_end",
        "passport_expiry",
    )
    for pk, birth, available, licences, schengen, passport in rows.iterator(chunk_size=10_000):
        yield PersonFacts(
            id=pk,
            birth_date=birth,
            availability_date=available,
            driving_licences=frozenset(c for c in licences.split(",") if c),
            last_schengen_stay_end=schengen,
            passport_expiry=passport,
            skills=frozenset(skills.get(pk, ())),
            desired_countries=frozenset(countries.get(pk, ())),
            sought=sought.get(pk, {}),
            jobs=tuple(jobs.get(pk, ())),
            languages=languages.get(pk, {}),
            highest_isced=isced.get(pk),
            document_kinds=frozenset(documents.get(pk, ())),
        )


# --- vacancies -----------------------------------------------------------------------------------


def vacancy_facts(vacancies: models.QuerySet, tables: Tables) -> list[VacancyFacts]:
    """VacancyFacts for every vacancy of a queryset, in id order, in four queries and with
    no model instances but the explicit rules (ten thousand vacancies load in a second).

    Rules are those of gza.registry.eligibility.rules_for(): the vacancy's own requirements
    first (languages, experience, education, licences, as implicit_rules() makes them), then
    its own rules and its scheme's, by kind and id."""
    rows = vacancies.order_by("pk").values_list(
        "pk",
        "occupation_id",
        "country_id",
        "start_date",
        "experience_years",
        "isced_level_id",
        "driving_licences",
        "agreement_id",
    )
    ids = vacancies.values("pk")
    languages: dict[int, list[tuple[str, str, int]]] = defaultdict(list)
    for vacancy, language, level, rank in (
        VacancyLanguage.objects.filter(vacancy__in=ids)
        .order_by("vacancy_id", "id")
        .values_list("vacancy_id", "language_id", "min_level_id", "min_level__rank")
    ):
        languages[vacancy].append((language, level, rank))
    skills: dict[int, set[int]] = defaultdict(set)
    for vacancy, skill in Vacancy.skills.through.objects.filter(vacancy_id__in=ids).values_list(
        "vacancy_id", "escoskill_id"
    ):
        skills[vacancy].add(skill)
    by_vacancy: dict[int, list[EligibilityRule]] = defaultdict(list)
    by_agreement: dict[int, list[EligibilityRule]] = defaultdict(list)
    explicit = (
        EligibilityRule.objects.filter(
            models.Q(vacancy__in=ids)
            | models.Q(agreement__in=vacancies.filter(agreement__isnull=False).values("agreement"))
        )
        .select_related(*RULE_RELATIONS)
        .order_by("kind", "id")
    )
    for rule in explicit:
        if rule.vacancy_id:
            by_vacancy[rule.vacancy_id].append(RuleFact.of(rule))
        else:
            by_agreement[rule.agreement_id].append(RuleFact.of(rule))
    facts = []
    for pk, occupation, country, start, years, isced, licences, agreement in rows.iterator(
        chunk_size=5_000
    ):
        own = languages.get(pk, ())
        implicit = [
            RuleFact(
                kind=RuleKind.LANGUAGE,
                language=language,
                rank=rank,
                rule=partial(_language_rule, tables, language, level),
            )
            for language, level, rank in own
        ]
        if years:
            implicit.append(
                RuleFact(
                    kind=RuleKind.EXPERIENCE,
                    years=years,
                    occupation=occupation,
                    rule=partial(_experience_rule, tables, occupation, years),
                )
            )
        if isced:
            implicit.append(
                RuleFact(
                    kind=RuleKind.EDUCATION,
                    isced=int(isced),
                    rule=partial(EligibilityRule, kind=RuleKind.EDUCATION, isced_level_id=isced),
                )
            )
        implicit.extend(
            RuleFact(
                kind=RuleKind.DRIVING_LICENCE,
                driving_licence=category,
                rule=partial(
                    EligibilityRule, kind=RuleKind.DRIVING_LICENCE, driving_licence=category
                ),
            )
            for category in licences.split(",")
            if category
        )
        # The scheme's and the vacancy's rules interleave by (kind, id), as in rules_for().
        mine = by_vacancy.get(pk, [])
        if agreement and agreement in by_agreement:
            mine = sorted(mine + by_agreement[agreement], key=lambda r: (r.kind, r.rule.pk))
        named = frozenset(skills.get(pk, ()))
        essential, optional = tables.typical_skills(occupation, named)
        facts.append(
            VacancyFacts(
                id=pk,
                occupation=occupation,
                country=country,
                start_date=start,
                experience_years=years or 0,
                isced=int(isced) if isced else None,
                languages=tuple((language, rank) for language, _level, rank in own),
                skills=named,
                typical_essential=essential,
                typical_optional=optional,
                rules=(*implicit, *mine),
                agreement_id=agreement,
            )
        )
    return facts


def _language_rule(tables: Tables, code: str, level: str) -> EligibilityRule:
    name = tables.language_name(code)
    return EligibilityRule(
        kind=RuleKind.LANGUAGE,
        language=Language(code=code, name_ka=name.ka, name_en=name.en),
        cefr_level_id=level,
    )


def _experience_rule(tables: Tables, code: str, years: int) -> EligibilityRule:
    name = tables.occupation_name(code)
    return EligibilityRule(
        kind=RuleKind.EXPERIENCE,
        years=years,
        occupation=Occupation(code=code, title_ka=name.ka, title_en=name.en),
    )
