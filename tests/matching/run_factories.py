"""Factories for match runs and the people and vacancies they rank (tests of runs, the
workspace pages, the portal and the API)."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from gza.demand.enums import VacancyStatus
from gza.matching.enums import Direction, RunStatus, RunTrigger
from gza.matching.models import MatchRun, MatchRunEntry
from gza.registry.enums import ConsentPurpose
from gza.registry.models import Consent, JobSeeker, LanguageSkill, SoughtOccupation
from tests.demand.factories import VacancyFactory
from tests.registry.factories import ConsentTextFactory, JobSeekerFactory


def published_vacancy(**fields):
    """A published vacancy for fruit pickers (ISCO 9211) in Poland, starting in 40 days."""
    today = timezone.localdate()
    defaults = {
        "status": VacancyStatus.PUBLISHED,
        "hours_per_week": 40,
        "application_deadline": today + datetime.timedelta(days=20),
        "start_date": today + datetime.timedelta(days=40),
    }
    return VacancyFactory(**(defaults | fields))


def consenting(person: JobSeeker) -> JobSeeker:
    """Give the standing consent to registration and matching (the engine's hard filter)."""
    Consent.objects.create(
        job_seeker=person,
        purpose=ConsentPurpose.REGISTRATION,
        text=ConsentTextFactory(purpose=ConsentPurpose.REGISTRATION),
        given_at=timezone.now(),
    )
    return person


def candidate(occupation: str = "9211", years: int = 2, polish: str | None = None, **fields):
    """A consenting person seeking `occupation`, with `years` of experience in it and, if
    given, Polish at that level."""
    person = consenting(JobSeekerFactory(**fields))
    SoughtOccupation.objects.create(
        job_seeker=person, occupation_id=occupation, years_experience=years
    )
    if polish:
        LanguageSkill.objects.create(job_seeker=person, language_id="pl", level_id=polish)
    return person


def components(value: int = 80) -> dict:
    """A stored explanation, as gza.matching.runs stores it (every text in both languages)."""
    return {
        "occupation": {
            "value": value,
            "weight": 35,
            "detail": {"ka": "იგივე ერთეული ჯგუფი (9211)", "en": "Same unit group (9211)"},
        },
        "languages": {
            "value": 100,
            "weight": 15,
            "detail": {"ka": "ენა არ მოითხოვება", "en": "No language required"},
        },
        "flags": [{"ka": "პროფილიდან უცნობია: ასაკი", "en": "Not known from the profile: age"}],
    }


class MatchRunFactory(factory.django.DjangoModelFactory):
    """A manual shortlist for a published vacancy, waiting for review, with no lines."""

    class Meta:
        model = MatchRun

    direction = Direction.SHORTLIST
    vacancy = factory.LazyFunction(published_vacancy)
    trigger = RunTrigger.MANUAL
    status = RunStatus.TO_REVIEW
    parameters = factory.LazyFunction(
        lambda: {
            "weights": {"occupation": 35, "languages": 15},
            "limit": 50,
            "computed_for": timezone.localdate().isoformat(),
            "as_of": timezone.now().isoformat(),
            "engine_version": "test",
        }
    )
    considered = 10
    passed_filters = 4


class MatchRunEntryFactory(factory.django.DjangoModelFactory):
    """A line of a run: a consenting person with an 80-point occupation match."""

    class Meta:
        model = MatchRunEntry

    run = factory.SubFactory(MatchRunFactory)
    rank = factory.Sequence(lambda n: n + 1)
    job_seeker = factory.SubFactory(JobSeekerFactory)
    vacancy = factory.SelfAttribute("run.vacancy")
    score = Decimal("83.50")
    components = factory.LazyFunction(components)
