"""The eligibility self-check: every rule kind passes, fails or is unknown, with a sentence
saying exactly what is missing; the vacancy's own requirements and its scheme's rules count."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from gza.core.models import AuditEvent
from gza.demand.models import VacancyLanguage
from gza.demand.vacancies import published_vacancies
from gza.registry.eligibility import (
    EligibilityRule,
    Outcome,
    RuleKind,
    RuleSource,
    add_months,
    check,
    rule_add,
    rule_remove,
    summary,
)
from gza.registry.models import Education, WorkExperience
from tests.core.factories import UserFactory
from tests.demand.factories import VacancyFactory
from tests.partners.factories import AgreementFactory
from tests.registry.factories import (
    EligibilityRuleFactory,
    JobSeekerDocumentFactory,
    JobSeekerFactory,
    LanguageSkillFactory,
    SoughtOccupationFactory,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 1)
START = datetime.date(2026, 9, 1)


@pytest.fixture
def vacancy():
    return VacancyFactory(start_date=START)


def only(person, vacancy, **rule):
    """The result of one explicit rule on a vacancy with no requirements of its own."""
    EligibilityRule.objects.create(vacancy=vacancy, **rule)
    with translation.override("en"):
        [result] = check(person, vacancy, today=TODAY)
    return result


def test_a_rule_belongs_to_a_vacancy_or_an_agreement_never_both(vacancy):
    with pytest.raises(IntegrityError), transaction.atomic():
        EligibilityRule.objects.create(
            vacancy=vacancy, agreement=AgreementFactory(), kind=RuleKind.AGE, min_age=21
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        EligibilityRule.objects.create(kind=RuleKind.AGE, min_age=21)


def test_a_rule_needs_the_values_of_its_kind(vacancy):
    with pytest.raises(ValidationError) as error:
        EligibilityRule(vacancy=vacancy, kind=RuleKind.LANGUAGE, language_id="pl").full_clean()
    assert "cefr_level" in error.value.error_dict
    with pytest.raises(ValidationError) as error:
        EligibilityRule(vacancy=vacancy, kind=RuleKind.AGE).full_clean()
    assert "min_age" in error.value.error_dict


# Age ----------------------------------------------------------------------------------------


def test_age_counts_on_the_start_date(vacancy):
    person = JobSeekerFactory(birth_date=datetime.date(1976, 10, 1))  # 49 on 1 Sept 2026
    assert only(person, vacancy, kind=RuleKind.AGE, min_age=21, max_age=50).passed


def test_age_above_the_range_fails_with_the_age(vacancy):
    person = JobSeekerFactory(birth_date=datetime.date(1970, 1, 1))
    result = only(person, vacancy, kind=RuleKind.AGE, min_age=21, max_age=50)
    assert result.outcome == Outcome.FAILED
    assert result.message == "You must be at most 50 when the job starts; you will be 56."


def test_age_below_the_minimum_fails(vacancy):
    person = JobSeekerFactory(birth_date=datetime.date(2007, 1, 1))
    result = only(person, vacancy, kind=RuleKind.AGE, min_age=21)
    assert result.outcome == Outcome.FAILED
    assert "at least 21" in result.message


# Documents ----------------------------------------------------------------------------------


def test_a_required_document_is_met_once_uploaded(vacancy):
    person = JobSeekerFactory()
    result = only(person, vacancy, kind=RuleKind.DOCUMENT, document_kind="diploma")
    assert result.outcome == Outcome.FAILED
    assert result.message == "You need to upload your diploma; there is none on your profile."
    JobSeekerDocumentFactory(job_seeker=person, kind="diploma")
    with translation.override("en"):
        assert check(person, vacancy, today=TODAY)[0].passed


# Languages ----------------------------------------------------------------------------------


def test_a_language_below_the_level_fails_saying_both_levels(vacancy):
    person = LanguageSkillFactory(level_id="A2").job_seeker
    result = only(person, vacancy, kind=RuleKind.LANGUAGE, language_id="pl", cefr_level_id="B1")
    assert result.outcome == Outcome.FAILED
    assert result.message == "You need Polish at B1; your profile says A2."


def test_a_language_at_or_above_the_level_passes(vacancy):
    person = LanguageSkillFactory(level_id="B2").job_seeker
    assert only(
        person, vacancy, kind=RuleKind.LANGUAGE, language_id="pl", cefr_level_id="B1"
    ).passed


def test_a_language_missing_from_the_profile_is_unknown(vacancy):
    result = only(
        JobSeekerFactory(), vacancy, kind=RuleKind.LANGUAGE, language_id="pl", cefr_level_id="B1"
    )
    assert result.outcome == Outcome.UNKNOWN
    assert "does not mention Polish" in result.message


# Experience ---------------------------------------------------------------------------------


def test_experience_in_the_vacancys_occupation_by_default(vacancy):
    person = SoughtOccupationFactory(occupation_id="9211", years_experience=2).job_seeker
    result = only(person, vacancy, kind=RuleKind.EXPERIENCE, years=3)
    assert result.outcome == Outcome.FAILED
    assert result.message.endswith("your profile shows 2.")
    assert only(person, VacancyFactory(), kind=RuleKind.EXPERIENCE, years=2).passed


def test_experience_counts_recorded_jobs_in_another_named_occupation(vacancy):
    person = JobSeekerFactory()
    WorkExperience.objects.create(
        job_seeker=person,
        occupation_text="welder",
        occupation_id="7212",
        start_date=datetime.date(2020, 1, 1),
        end_date=datetime.date(2024, 1, 1),
    )
    assert only(person, vacancy, kind=RuleKind.EXPERIENCE, years=3, occupation_id="7212").passed


def test_experience_not_on_the_profile_is_unknown(vacancy):
    result = only(JobSeekerFactory(), vacancy, kind=RuleKind.EXPERIENCE, years=1)
    assert result.outcome == Outcome.UNKNOWN


# Driving licence ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("held", "needed", "outcome"),
    [
        ("B,C", "C", Outcome.PASSED),
        ("CE", "B", Outcome.PASSED),  # a higher category covers the ones it requires
        ("B", "C", Outcome.FAILED),
        ("", "B", Outcome.UNKNOWN),
    ],
)
def test_driving_licence(vacancy, held, needed, outcome):
    person = JobSeekerFactory(driving_licences=held)
    result = only(person, vacancy, kind=RuleKind.DRIVING_LICENCE, driving_licence=needed)
    assert result.outcome == outcome


# Schengen -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("last_stay_end", "outcome"),
    [
        (datetime.date(2025, 5, 31), Outcome.PASSED),
        (datetime.date(2025, 12, 1), Outcome.FAILED),
        (None, Outcome.UNKNOWN),
    ],
)
def test_no_schengen_stay_within_months(vacancy, last_stay_end, outcome):
    person = JobSeekerFactory(last_schengen_stay_end=last_stay_end)
    result = only(person, vacancy, kind=RuleKind.NO_SCHENGEN_STAY, months=12)
    assert result.outcome == outcome
    if outcome == Outcome.FAILED:
        assert "ended on 2025-12-01, after 2025-06-01" in result.message


# Education ----------------------------------------------------------------------------------


def test_minimum_isced_level(vacancy):
    person = JobSeekerFactory()
    assert (
        only(person, vacancy, kind=RuleKind.EDUCATION, isced_level_id="3").outcome
        == Outcome.UNKNOWN
    )
    Education.objects.create(job_seeker=person, isced_level_id="2")
    with translation.override("en"):
        [result] = check(person, vacancy, today=TODAY)
    assert result.outcome == Outcome.FAILED
    assert "your highest level is 2" in result.message
    Education.objects.create(job_seeker=person, isced_level_id="4")
    assert check(person, vacancy, today=TODAY)[0].passed


# Passport -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expiry", "outcome"),
    [
        (datetime.date(2027, 3, 1), Outcome.PASSED),
        (datetime.date(2027, 2, 28), Outcome.FAILED),
        (None, Outcome.UNKNOWN),
    ],
)
def test_passport_valid_months_after_the_start(vacancy, expiry, outcome):
    person = JobSeekerFactory(passport_expiry=expiry)
    result = only(person, vacancy, kind=RuleKind.PASSPORT_VALIDITY, months=6)
    assert result.outcome == outcome
    if outcome == Outcome.FAILED:
        assert result.message.endswith("it expires on 2027-02-28.")


def test_months_are_added_on_the_calendar():
    assert add_months(datetime.date(2026, 8, 31), 6) == datetime.date(2027, 2, 28)
    assert add_months(datetime.date(2026, 6, 1), -12) == datetime.date(2025, 6, 1)


# Where rules come from ----------------------------------------------------------------------


def test_the_vacancys_own_requirements_are_rules():
    vacancy = VacancyFactory(experience_years=2, isced_level_id="3", driving_licences="B,C")
    VacancyLanguage.objects.create(vacancy=vacancy, language_id="pl", min_level_id="B1")
    person = LanguageSkillFactory(level_id="A2").job_seeker
    with translation.override("en"):
        results = check(person, vacancy, today=TODAY)
    kinds = [(r.rule.kind, r.source) for r in results]
    assert kinds == [
        (RuleKind.LANGUAGE, RuleSource.VACANCY_REQUIREMENT),
        (RuleKind.EXPERIENCE, RuleSource.VACANCY_REQUIREMENT),
        (RuleKind.EDUCATION, RuleSource.VACANCY_REQUIREMENT),
        (RuleKind.DRIVING_LICENCE, RuleSource.VACANCY_REQUIREMENT),
        (RuleKind.DRIVING_LICENCE, RuleSource.VACANCY_REQUIREMENT),
    ]
    assert results[0].message == "You need Polish at B1; your profile says A2."
    assert summary(results) == Outcome.FAILED


def test_a_schemes_rules_apply_to_its_vacancies():
    agreement = AgreementFactory()
    vacancy = VacancyFactory(agreement=agreement, start_date=START)
    EligibilityRule.objects.create(agreement=agreement, kind=RuleKind.AGE, min_age=21, max_age=50)
    EligibilityRuleFactory(vacancy=vacancy, kind=RuleKind.NO_SCHENGEN_STAY, months=6)
    results = check(JobSeekerFactory(), vacancy, today=TODAY)
    assert {(r.rule.kind, r.source) for r in results} == {
        (RuleKind.AGE, RuleSource.AGREEMENT),
        (RuleKind.NO_SCHENGEN_STAY, RuleSource.VACANCY),
    }
    assert summary(results) == Outcome.UNKNOWN  # no Schengen date on the profile


def test_messages_follow_the_language():
    person = LanguageSkillFactory(level_id="A2").job_seeker
    vacancy = VacancyFactory()
    EligibilityRule.objects.create(
        vacancy=vacancy, kind=RuleKind.LANGUAGE, language_id="pl", cefr_level_id="B1"
    )
    with translation.override("ka"):
        [result] = check(person, vacancy, today=TODAY)
    assert "პოლონური" in result.message  # the language's Georgian name


def test_a_check_takes_a_fixed_number_of_queries(django_assert_num_queries):
    agreement = AgreementFactory()
    vacancy = VacancyFactory(agreement=agreement, experience_years=1, isced_level_id="3")
    VacancyLanguage.objects.create(vacancy=vacancy, language_id="pl", min_level_id="B1")
    VacancyLanguage.objects.create(vacancy=vacancy, language_id="de", min_level_id="A2")
    for kind, values in [
        (RuleKind.AGE, {"min_age": 21}),
        (RuleKind.DOCUMENT, {"document_kind": "cv"}),
        (RuleKind.DOCUMENT, {"document_kind": "passport"}),
        (RuleKind.NO_SCHENGEN_STAY, {"months": 6}),
        (RuleKind.PASSPORT_VALIDITY, {"months": 6}),
        (RuleKind.EXPERIENCE, {"years": 2, "occupation_id": "7212"}),
    ]:
        EligibilityRule.objects.create(agreement=agreement, kind=kind, **values)
    person = LanguageSkillFactory(level_id="B2").job_seeker
    fetched = (
        published_vacancies()
        .model.objects.select_related("occupation", "isced_level")
        .prefetch_related("languages__language", "languages__min_level")
        .get(pk=vacancy.pk)
    )
    list(fetched.languages.all())
    # Rules; then languages, documents, declared occupations, jobs, education: one each.
    with django_assert_num_queries(6):
        results = check(person, fetched, today=TODAY)
    assert len(results) == 10


def test_adding_and_removing_a_rule_is_audited(vacancy):
    officer = UserFactory()
    rule = rule_add(
        actor=officer, rule=EligibilityRule(vacancy=vacancy, kind=RuleKind.AGE, max_age=50)
    )
    assert rule.created_by == officer
    rule_remove(actor=officer, rule=rule)
    payloads = [e.payload for e in AuditEvent.objects.filter(target_id=str(vacancy.pk))]
    assert {"eligibility_rule_removed", "eligibility_rule"} <= {k for p in payloads for k in p}
    assert not EligibilityRule.objects.exists()
