"""The models later work builds on: vacancies, labour-market studies, in-demand occupations.
Their rules live in database constraints and validators."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from hypothesis import given
from hypothesis import strategies as st

from gza.core.errors import DomainError
from gza.demand.enums import VacancyStatus
from gza.demand.models import (
    VACANCY_LIFECYCLE,
    InDemandOccupation,
    LabourMarketStudy,
    Vacancy,
    VacancyLanguage,
)
from gza.demand.validators import validate_driving_licences
from tests.demand.factories import AgencyFactory, VacancyFactory

pytestmark = pytest.mark.django_db
FINAL = {VacancyStatus.FILLED, VacancyStatus.CANCELLED}


def test_the_vacancy_lifecycle_reaches_every_status_and_ends_in_filled_or_cancelled():
    assert VACANCY_LIFECYCLE.states == set(VacancyStatus.values)
    for status in FINAL:
        assert VACANCY_LIFECYCLE.allowed_from(status) == []


@given(st.lists(st.sampled_from(sorted(VACANCY_LIFECYCLE.transitions)), max_size=15))
def test_a_vacancy_is_published_only_after_verification(names):
    state, history = VacancyStatus.DRAFT, [VacancyStatus.DRAFT]
    for name in names:
        try:
            state = VACANCY_LIFECYCLE.get(name, state=state).target
        except DomainError:
            continue
        history.append(state)
    assert state in VacancyStatus.values
    if VacancyStatus.PUBLISHED in history:
        first = history.index(VacancyStatus.PUBLISHED)
        assert history[first - 1] == VacancyStatus.VERIFIED


def _violates(vacancy: Vacancy) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        vacancy.save()


def test_a_vacancy_names_its_employer_or_its_agency():
    _violates(VacancyFactory.build(employer=None, agency=None))
    VacancyFactory(employer=None, agency=AgencyFactory(certified=True))


@pytest.mark.parametrize(
    "bad",
    [
        {"positions": 0},
        {"wage_amount": 0},
        {"title_ka": "", "title_en": ""},
        {"hours_per_week": 0},
        {"contract_months": 0},
        {
            "start_date": datetime.date(2027, 4, 1),
            "application_deadline": datetime.date(2027, 4, 2),
        },
    ],
)
def test_the_database_refuses_an_impossible_vacancy(bad):
    vacancy = VacancyFactory.build(**bad)
    with pytest.raises(ValidationError):
        vacancy.full_clean(exclude=["employer"])
    vacancy.employer.save()
    vacancy.employer_id = vacancy.employer.pk
    _violates(vacancy)


def test_an_external_reference_is_unique_per_owner():
    first = VacancyFactory(external_ref="PL-2027-001")
    VacancyFactory(external_ref="PL-2027-001")  # another employer's own numbering
    _violates(VacancyFactory.build(employer=first.employer, external_ref="PL-2027-001"))
    VacancyFactory(employer=first.employer, external_ref="")
    VacancyFactory(employer=first.employer, external_ref="")  # no reference, no clash


def test_requirements_point_at_reference_data():
    vacancy = VacancyFactory(driving_licences="B,CE", isced_level_id="3")
    VacancyLanguage.objects.create(vacancy=vacancy, language_id="pl", min_level_id="A2")
    vacancy.skills.set([])
    with pytest.raises(ValidationError, match="occupation"):
        VacancyFactory.build(employer=vacancy.employer, occupation_id="9999").full_clean()
    with pytest.raises(ValidationError):
        VacancyLanguage(vacancy=vacancy, language_id="pl", min_level_id="D1").full_clean()


@pytest.mark.parametrize("value", ["B,X", "B,B", "b"])
def test_driving_licence_categories_are_known_and_named_once(value):
    with pytest.raises(ValidationError):
        validate_driving_licences(value)


@pytest.mark.usefixtures("english")
def test_an_in_demand_occupation_needs_a_sound_wage_range():
    study = LabourMarketStudy.objects.create(
        country_id="PL",
        title_ka="პოლონეთის შრომის ბაზრის კვლევა",
        title_en="Study of Poland's labour market",
        period_start=datetime.date(2018, 9, 1),
        period_end=datetime.date(2019, 2, 28),
    )
    row = InDemandOccupation(
        study=study,
        occupation_id="9211",
        estimated_demand=120,
        wage_min=4000,
        wage_max=3500,
        wage_currency="PLN",
        wage_period="month",
    )
    with pytest.raises(ValidationError, match="upper wage"):
        row.full_clean()
    row.wage_max = 4800
    row.full_clean()
    row.save()
    with pytest.raises(ValidationError):
        InDemandOccupation(study=study, occupation_id="9211", estimated_demand=1).full_clean()
    with pytest.raises(ValidationError):
        InDemandOccupation(
            study=study, occupation_id="8160", estimated_demand=5, wage_min=10
        ).full_clean()
    _violates(
        LabourMarketStudy(
            country_id="PL",
            title_ka="კ",
            title_en="S",
            period_start=datetime.date(2019, 1, 1),
            period_end=datetime.date(2018, 1, 1),
        )
    )
