"""The matching engine against the database: shortlists and recommendations, explained
entries, the hard filters exactly as the eligibility check judges them, previews of new
weights, re-matching, the index's freshness and its query count."""

import datetime
import random

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gza.demand.enums import VacancyStatus
from gza.demand.models import VacancyLanguage
from gza.matching import engine
from gza.matching.models import MatchWeights
from gza.registry.eligibility import EligibilityRule, Outcome, RuleKind, check
from gza.registry.enums import ConsentPurpose, RecordStatus, Sex
from gza.registry.models import (
    Consent,
    Education,
    JobSeeker,
    LanguageSkill,
    SoughtOccupation,
    WorkExperience,
)
from gza.taxonomy.models import Occupation
from tests.demand.factories import VacancyFactory
from tests.partners.factories import AgreementFactory
from tests.registry.factories import (
    ConsentTextFactory,
    JobSeekerDocumentFactory,
    JobSeekerFactory,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 1)
START = datetime.date(2026, 9, 1)


def consent(person: JobSeeker) -> JobSeeker:
    Consent.objects.create(
        job_seeker=person,
        purpose=ConsentPurpose.REGISTRATION,
        text=ConsentTextFactory(purpose=ConsentPurpose.REGISTRATION),
        given_at=timezone.now(),
    )
    return person


def seeker(occupation: str | None = "9211", years: int = 2, **fields) -> JobSeeker:
    """A consenting person seeking `occupation`."""
    person = consent(JobSeekerFactory(**fields))
    if occupation:
        SoughtOccupation.objects.create(
            job_seeker=person, occupation_id=occupation, years_experience=years
        )
    return person


def vacancy(**fields):
    fields.setdefault("start_date", START)
    fields.setdefault("status", VacancyStatus.PUBLISHED)
    return VacancyFactory(**fields)


def ids(result: engine.Result) -> list[int]:
    return [entry.job_seeker_id for entry in result.entries]


def values(scored) -> dict[str, int]:
    return {component.name: component.value for component in scored.components}


# --- ranking and explanations ---------------------------------------------------------------------


def test_the_same_unit_group_ranks_first_then_related_occupations_then_the_rest():
    welders = vacancy(occupation_id="7212", title_en="Welder", country_id="DE")
    unrelated = seeker("9211")
    same = seeker("7212")
    neighbour = seeker("7213")  # sheet-metal workers: same minor group, shared ESCO skills
    result = engine.shortlist(welders, today=TODAY)
    assert ids(result) == [same.pk, neighbour.pk, unrelated.pk]
    assert (result.considered, result.passed_filters) == (3, 3)
    assert result.weights == engine.weights_for(welders)
    assert result.computed_for == TODAY
    first, second, third = result.entries
    assert [c.name for c in first.components] == [
        "occupation",
        "skills",
        "languages",
        "experience",
        "education",
        "availability",
        "country",
    ]
    assert values(first)["occupation"] == 100
    assert 0 < values(second)["occupation"] < 100
    assert values(third)["occupation"] == 0
    assert first.total > second.total > third.total
    with translation.override("en"):
        assert str(first.components[0].detail).startswith("Same unit group (7212 ")
        assert str(third.components[0].detail).startswith("No related occupation")
        assert str(first.components[2].detail) == "No language required"
    with translation.override("ka"):
        title = Occupation.objects.get(code="7212").title_ka
        assert title in str(first.components[0].detail)


def test_equal_scores_rank_by_job_seeker_id():
    pickers = vacancy()
    people = [seeker("9211") for _ in range(4)]
    result = engine.shortlist(pickers, today=TODAY)
    assert ids(result) == sorted(p.pk for p in people)
    assert len({entry.total for entry in result.entries}) == 1


def test_the_limit_cuts_the_list_and_the_counts_stay_whole():
    pickers = vacancy()
    for _ in range(5):
        seeker()
    result = engine.shortlist(pickers, limit=2, today=TODAY)
    assert len(result.entries) == 2
    assert (result.considered, result.passed_filters) == (5, 5)
    assert engine.shortlist(pickers, limit=0, today=TODAY).entries == []


def test_the_total_is_the_weighted_mean_of_the_values_rounded_half_up():
    pickers = vacancy()
    # Available a month after the start: 60 of the 90 days' grace left, 66 of 100.
    person = seeker("9211", availability_date=START + datetime.timedelta(days=30))
    weights = {name: 0 for name in engine.weights_for(pickers)}
    weights.update(availability=1, occupation=2)  # (66 + 200) / 3 = 88.666...
    [entry] = engine.shortlist(pickers, weights=weights, today=TODAY).entries
    assert entry.job_seeker_id == person.pk
    assert values(entry)["availability"] == 66
    assert str(entry.total) == "88.67"


# --- hard filters ---------------------------------------------------------------------------------


def test_people_without_consent_merged_erased_or_placed_are_never_shortlisted(monkeypatch):
    pickers = vacancy()
    kept = seeker()
    JobSeekerFactory()  # no consent at all
    withdrawn = seeker()
    Consent.objects.filter(job_seeker=withdrawn).update(withdrawn_at=timezone.now())
    merged = seeker()
    JobSeeker.objects.filter(pk=merged.pk).update(status=RecordStatus.MERGED, merged_into=kept)
    erased = seeker()
    JobSeeker.objects.filter(pk=erased.pk).update(status=RecordStatus.ERASED)
    placed = seeker()
    monkeypatch.setattr(
        JobSeeker.objects._queryset_class,
        "currently_placed",
        lambda self: self.filter(pk=placed.pk),
    )
    result = engine.shortlist(pickers, today=TODAY)
    assert ids(result) == [kept.pk]
    assert result.considered == 1


def _random_profile(rng: random.Random) -> JobSeeker:
    person = seeker(
        rng.choice(["9211", "7212", None]),
        years=rng.randrange(5),
        birth_date=datetime.date(rng.randint(1960, 2008), rng.randint(1, 12), 1),
        driving_licences=rng.choice(["", "B", "C", "CE", "AM"]),
        passport_expiry=rng.choice([None, datetime.date(2026, 12, 1), datetime.date(2031, 1, 1)]),
        last_schengen_stay_end=rng.choice([None, datetime.date(2024, 1, 1), TODAY]),
    )
    for language in rng.sample(["pl", "en", "de"], rng.randrange(3)):
        LanguageSkill.objects.create(
            job_seeker=person, language_id=language, level_id=rng.choice(["A1", "A2", "B1", "C1"])
        )
    for _ in range(rng.randrange(2)):
        Education.objects.create(job_seeker=person, isced_level_id=str(rng.randint(1, 6)))
    for _ in range(rng.randrange(3)):
        start = datetime.date(rng.randint(2010, 2025), rng.randint(1, 12), 1)
        WorkExperience.objects.create(
            job_seeker=person,
            occupation_text="მუშა",
            occupation_id=rng.choice(["9211", "7212", None]),
            start_date=start,
            end_date=rng.choice([None, start + datetime.timedelta(days=rng.randrange(2000))]),
        )
    for kind in rng.sample(["cv", "passport", "diploma"], rng.randrange(3)):
        JobSeekerDocumentFactory(job_seeker=person, kind=kind)
    return person


RULES = [
    {"kind": RuleKind.AGE, "min_age": 21, "max_age": 50},
    {"kind": RuleKind.AGE, "max_age": 40},
    {"kind": RuleKind.DOCUMENT, "document_kind": "passport"},
    {"kind": RuleKind.LANGUAGE, "language_id": "en", "cefr_level_id": "A2"},
    {"kind": RuleKind.EXPERIENCE, "years": 1, "occupation_id": "7212"},
    {"kind": RuleKind.EXPERIENCE, "years": 2},
    {"kind": RuleKind.DRIVING_LICENCE, "driving_licence": "C"},
    {"kind": RuleKind.NO_SCHENGEN_STAY, "months": 12},
    {"kind": RuleKind.EDUCATION, "isced_level_id": "3"},
    {"kind": RuleKind.PASSPORT_VALIDITY, "months": 6},
]


@pytest.mark.parametrize("seed", range(4))
def test_the_hard_filters_are_exactly_the_eligibility_check(seed):
    """NOT_MET excludes, UNKNOWN keeps the person with a flag per rule, as check() says."""
    rng = random.Random(seed)
    scheme = AgreementFactory()
    job = vacancy(
        occupation_id=rng.choice(["9211", "7212"]),
        agreement=scheme,
        experience_years=rng.randrange(3),
        isced_level_id=rng.choice([None, "2", "4"]),
        driving_licences=rng.choice(["", "B", "B,C"]),
        start_date=rng.choice([None, START]),
    )
    for language, level in rng.sample([("pl", "A2"), ("de", "B1")], rng.randrange(3)):
        VacancyLanguage.objects.create(vacancy=job, language_id=language, min_level_id=level)
    for rule in rng.sample(RULES, 4):
        owner = {"vacancy": job} if rng.random() < 0.5 else {"agreement": scheme}
        EligibilityRule.objects.create(**owner, **rule)
    people = [_random_profile(rng) for _ in range(25)]
    expected = {}
    for person in people:
        outcomes = [result.outcome for result in check(person, job, today=TODAY)]
        if Outcome.FAILED not in outcomes:
            expected[person.pk] = outcomes.count(Outcome.UNKNOWN)
    result = engine.shortlist(job, limit=100, today=TODAY)
    assert {entry.job_seeker_id: len(entry.flags) for entry in result.entries} == expected
    assert result.passed_filters == len(expected)
    for person in people:
        scored, failures = engine.explain(person, job, today=TODAY)
        assert (not failures) == (person.pk in expected)
        if person.pk in expected:
            [entry] = [e for e in result.entries if e.job_seeker_id == person.pk]
            assert scored == entry


def test_an_unknown_requirement_keeps_the_person_with_a_flag_naming_it():
    job = vacancy()
    VacancyLanguage.objects.create(vacancy=job, language_id="pl", min_level_id="B1")
    silent = seeker()
    weak = seeker()
    LanguageSkill.objects.create(job_seeker=weak, language_id="pl", level_id="A2")
    result = engine.shortlist(job, today=TODAY)
    assert ids(result) == [silent.pk]
    with translation.override("en"):
        assert [str(flag) for flag in result.entries[0].flags] == [
            "Not known from the profile: Polish at B1 or above"
        ]
        assert str(result.entries[0].components[2].detail) == (
            "Polish B1 required; not on the profile"
        )


def test_explain_names_the_failed_rules_and_the_missing_consent():
    job = vacancy()
    EligibilityRule.objects.create(vacancy=job, kind=RuleKind.AGE, max_age=25)
    person = JobSeekerFactory(birth_date=datetime.date(1980, 1, 1))
    SoughtOccupation.objects.create(job_seeker=person, occupation_id="9211")
    with translation.override("en"):
        scored, failures = engine.explain(person, job, today=TODAY)
        assert [str(f) for f in failures] == [
            str(engine.NO_CONSENT),
            "You must be at most 25 when the job starts; you will be 46.",
        ]
    assert values(scored)["occupation"] == 100
    assert scored.job_seeker_id == person.pk
    assert scored.vacancy_id == job.pk


# --- profiles and vacancies with little in them -------------------------------------------------


def test_an_empty_profile_and_a_vacancy_without_requirements_score_without_error():
    job = vacancy(start_date=None)
    empty = seeker(None)
    [entry] = engine.shortlist(job, today=TODAY).entries
    assert entry.job_seeker_id == empty.pk
    assert values(entry) == {
        "occupation": 0,  # nothing on the profile
        "skills": 0,  # ESCO lists skills usual for crop farm labourers; none on the profile
        "languages": 100,  # nothing required
        "experience": 100,
        "education": 100,
        "availability": 100,  # no start date
        "country": 0,  # no desired country
    }
    with translation.override("en"):
        assert str(entry.components[0].detail) == "No occupation on the profile"
        assert str(entry.components[6].detail) == "No desired country recorded"


def test_occupations_without_esco_data_still_score_by_the_isco_hierarchy():
    bare = (
        Occupation.objects.filter(level=4, esco_occupations__isnull=True).order_by("code").first()
    )
    assert bare is not None
    job = vacancy(occupation_id=bare.code)
    sibling = Occupation.objects.filter(parent_id=bare.parent_id, level=4).exclude(pk=bare.pk)
    same = seeker(bare.code)
    near = seeker(sibling.first().code) if sibling.exists() else None
    result = engine.shortlist(job, today=TODAY)
    assert result.entries[0].job_seeker_id == same.pk
    assert values(result.entries[0])["skills"] == 100  # no skills asked, none usual
    if near is not None:
        assert values(result.entries[1])["occupation"] == 70


# --- protected attributes ---------------------------------------------------------------------


@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.randoms(use_true_random=False))
def test_sex_age_citizenship_and_home_change_no_score_and_no_rank(rng):
    """Without an age rule, re-drawing everyone's sex, date of birth, citizenship and
    municipality leaves every score, explanation and rank as it was."""
    job = vacancy(occupation_id="7212", experience_years=1)
    VacancyLanguage.objects.create(vacancy=job, language_id="pl", min_level_id="A2")
    people = [_random_profile(rng) for _ in range(8)]
    before = engine.shortlist(job, limit=100, today=TODAY)
    for person in people:
        JobSeeker.objects.filter(pk=person.pk).update(
            sex=rng.choice(Sex.values),
            birth_date=datetime.date(rng.randint(1950, 2008), rng.randint(1, 12), 1),
            citizenship_id=rng.choice(["GE", "AM", "UA"]),
            municipality_id=rng.choice(["telavi", "batumi"]),
        )
    engine.invalidate()
    after = engine.shortlist(job, limit=100, today=TODAY)
    assert after.entries == before.entries
    assert after.passed_filters == before.passed_filters


# --- recommendations, previews, re-matching -----------------------------------------------------


def test_recommend_lists_the_open_vacancies_a_person_passes_best_first():
    person = seeker("7212", years=4)
    LanguageSkill.objects.create(job_seeker=person, language_id="de", level_id="B1")
    welders = vacancy(occupation_id="7212", country_id="DE")
    pickers = vacancy(occupation_id="9211")
    too_hard = vacancy(occupation_id="7212")
    VacancyLanguage.objects.create(vacancy=too_hard, language_id="de", min_level_id="C1")
    vacancy(occupation_id="7212", status=VacancyStatus.DRAFT)
    past = vacancy(occupation_id="7212")
    past.application_deadline = TODAY - datetime.timedelta(days=1)
    past.start_date = TODAY
    past.save()
    result = engine.recommend(person, today=TODAY)
    assert [e.vacancy_id for e in result.entries] == [welders.pk, pickers.pk]
    assert (result.considered, result.passed_filters) == (3, 2)
    assert engine.recommend(person, limit=1, today=TODAY).entries == result.entries[:1]
    # The recommendation of a vacancy is its shortlist entry for the person.
    assert result.entries[0] == engine.shortlist(welders, today=TODAY).entries[0]
    Consent.objects.filter(job_seeker=person).update(withdrawn_at=timezone.now())
    assert engine.recommend(person, today=TODAY).entries == []


def test_recommend_uses_each_schemes_weights():
    scheme = AgreementFactory()
    MatchWeights.objects.create(
        agreement=scheme,
        occupation=0,
        skills=0,
        languages=0,
        experience=0,
        education=0,
        availability=0,
        country=1,
    )
    person = seeker("9211")
    job = vacancy(agreement=scheme)
    [entry] = engine.recommend(person, today=TODAY).entries
    assert entry.vacancy_id == job.pk
    assert [c.weight for c in entry.components] == [0, 0, 0, 0, 0, 0, 1]
    assert str(entry.total) == "0.00"


def test_preview_shows_how_ranks_move_with_other_weights():
    job = vacancy(country_id="DE")
    farmer = seeker("9211")
    mover = seeker("7212")
    mover.desired_countries.add("DE")
    weights = engine.weights_for(job)
    rows = engine.preview(job, {**weights, "occupation": 0, "country": 100}, today=TODAY)
    by_person = {row.job_seeker_id: row for row in rows}
    assert (by_person[farmer.pk].rank_before, by_person[farmer.pk].rank_after) == (1, 2)
    assert (by_person[mover.pk].rank_before, by_person[mover.pk].rank_after) == (2, 1)
    assert [row.job_seeker_id for row in rows] == [mover.pk, farmer.pk]
    assert by_person[mover.pk].total_after > by_person[mover.pk].total_before
    with pytest.raises(ValidationError):
        engine.preview(job, {**weights, "occupation": -1}, today=TODAY)


def test_rematch_all_gives_each_published_vacancy_its_shortlist():
    jobs = [vacancy(occupation_id=code) for code in ("9211", "7212", "9211")]
    vacancy(status=VacancyStatus.DRAFT)
    for code in ("9211", "7212", "7213", "5120"):
        seeker(code)
    results = engine.rematch_all(today=TODAY)
    assert sorted(results) == sorted(job.pk for job in jobs)
    for job in jobs:
        assert results[job.pk] == engine.shortlist(job, today=TODAY)


# --- the index --------------------------------------------------------------------------------


def test_the_index_is_kept_until_invalidated(settings):
    settings.MATCHING_INDEX_TTL = 300
    job = vacancy()
    first = seeker()
    engine.invalidate()
    assert ids(engine.shortlist(job, today=TODAY)) == [first.pk]
    later = seeker()  # the transaction never commits in a test: no automatic invalidation
    assert ids(engine.shortlist(job, today=TODAY)) == [first.pk]
    engine.invalidate()
    assert ids(engine.shortlist(job, today=TODAY)) == [first.pk, later.pk]


def test_a_withdrawn_consent_takes_effect_at_once_even_on_a_stale_index(settings):
    settings.MATCHING_INDEX_TTL = 300
    job = vacancy()
    people = [seeker() for _ in range(3)]
    engine.invalidate()
    assert ids(engine.shortlist(job, today=TODAY)) == [p.pk for p in people]
    Consent.objects.filter(job_seeker=people[0]).update(withdrawn_at=timezone.now())
    assert ids(engine.shortlist(job, today=TODAY)) == [p.pk for p in people[1:]]
    assert set(engine.rematch_all(today=TODAY)[job.pk].entries) == set(
        engine.shortlist(job, today=TODAY).entries
    )


def _queries(job) -> int:
    with CaptureQueriesContext(connection) as context:
        engine.shortlist(job, today=TODAY)
    return len(context.captured_queries)


def test_a_shortlist_takes_a_fixed_number_of_queries_whatever_the_population(
    django_assert_max_num_queries,
):
    scheme = AgreementFactory()
    job = vacancy(agreement=scheme, experience_years=1)
    VacancyLanguage.objects.create(vacancy=job, language_id="pl", min_level_id="A2")
    EligibilityRule.objects.create(agreement=scheme, kind=RuleKind.AGE, min_age=18)
    rng = random.Random(5)
    for _ in range(3):
        _random_profile(rng)
    engine.shortlist(job, today=TODAY)  # reference tables: loaded once per process
    few = _queries(job)
    for _ in range(20):
        _random_profile(rng)
    with django_assert_max_num_queries(20):
        engine.shortlist(job, today=TODAY)
    assert _queries(job) == few


def test_the_loader_reads_the_whole_profile_and_nothing_protected():
    from gza.matching.loading import people_facts

    person = seeker(
        "7212",
        years=3,
        availability_date=START,
        driving_licences="B,CE",
        passport_expiry=datetime.date(2030, 1, 1),
        last_schengen_stay_end=datetime.date(2025, 1, 1),
    )
    person.desired_countries.add("DE", "PL")
    LanguageSkill.objects.create(job_seeker=person, language_id="de", level_id="B1")
    Education.objects.create(job_seeker=person, isced_level_id="3")
    Education.objects.create(job_seeker=person, isced_level_id="4")
    WorkExperience.objects.create(
        job_seeker=person,
        occupation_text="შემდუღებელი",
        occupation_id="7213",
        start_date=datetime.date(2020, 1, 1),
        end_date=datetime.date(2022, 1, 1),
    )
    JobSeekerDocumentFactory(job_seeker=person, kind="passport")
    skill = Occupation.objects.get(code="7212").esco_occupations.first().skill_links.first().skill
    person.skills.add(skill)
    [facts] = people_facts(JobSeeker.objects.filter(pk=person.pk))
    assert facts == engine.PersonFacts(
        id=person.pk,
        birth_date=person.birth_date,
        availability_date=START,
        driving_licences=frozenset({"B", "CE"}),
        last_schengen_stay_end=datetime.date(2025, 1, 1),
        passport_expiry=datetime.date(2030, 1, 1),
        skills=frozenset({skill.pk}),
        desired_countries=frozenset({"DE", "PL"}),
        sought={"7212": 3},
        jobs=(("7213", datetime.date(2020, 1, 1), datetime.date(2022, 1, 1)),),
        languages={"de": 3},
        highest_isced=4,
        document_kinds=frozenset({"passport"}),
    )
    assert facts.occupations == ("7212", "7213")
    assert facts.years_in("7213", TODAY) == 2
