"""Vacancies over the API: the public search, and writes scoped like the workspace."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from gza.core.enums import OrganisationKind, Role
from gza.demand.enums import VacancyStatus
from gza.demand.models import Vacancy
from gza.taxonomy.models import EscoSkill
from tests.core.factories import OrganisationFactory, UserFactory
from tests.demand.factories import ForeignEmployerFactory, VacancyFactory

pytestmark = pytest.mark.django_db


def days(n: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=n)).isoformat()


@pytest.fixture
def api():
    return APIClient()


def _published(**fields) -> Vacancy:
    return VacancyFactory(
        status=VacancyStatus.PUBLISHED,
        hours_per_week=40,
        application_deadline=timezone.localdate() + datetime.timedelta(days=20),
        start_date=timezone.localdate() + datetime.timedelta(days=40),
        **fields,
    )


def _payload(**fields) -> dict:
    return {
        "country": "PL",
        "city": "Grójec",
        "occupation": "9211",
        "title_ka": "ხილის მკრეფი",
        "title_en": "Fruit picker",
        "positions": 15,
        "wage_amount": "32.00",
        "wage_currency": "PLN",
        "wage_period": "hour",
        "hours_per_week": 40,
        "selection_method": "ranking",
        "application_deadline": days(30),
        "start_date": days(60),
        "languages": [{"language": "pl", "min_level": "A2"}],
        **fields,
    }


def _employer_user(employer):
    organisation = OrganisationFactory(kind=OrganisationKind.FOREIGN_EMPLOYER, country_id="PL")
    employer.organisation = organisation
    employer.save()
    return UserFactory(role=Role.EMPLOYER, organisation=organisation)


def test_anyone_searches_published_vacancies_without_contact_details(api):
    picker = _published()
    _published(occupation_id="7112", title_ka="კალატოზი", title_en="Bricklayer")
    VacancyFactory()  # a draft is never public
    everything = api.get("/api/v1/vacancies/published/").json()
    assert everything["count"] == 2
    found = api.get("/api/v1/vacancies/published/", {"q": "მკრეფი"}).json()["results"]
    assert [row["id"] for row in found] == [picker.pk]
    by_code = api.get("/api/v1/vacancies/published/", {"q": "7112"}).json()["results"]
    assert [row["title_en"] for row in by_code] == ["Bricklayer"]
    row = found[0]
    assert "status" not in row and "contact_email" not in row and "external_ref" not in row
    assert api.get(f"/api/v1/vacancies/published/{picker.pk}/").status_code == 200
    draft = Vacancy.objects.get(status=VacancyStatus.DRAFT)
    assert api.get(f"/api/v1/vacancies/published/{draft.pk}/").status_code == 404


def test_a_bad_search_parameter_gets_the_error_format(api):
    response = api.get("/api/v1/vacancies/published/", {"min_wage": "-3"})
    assert response.status_code == 400
    assert "min_wage" in response.json()["error"]["fields"]


def test_an_employer_posts_its_own_vacancy_and_submits_it(api):
    employer = ForeignEmployerFactory(verified=True, in_poland=True)
    user = _employer_user(employer)
    api.force_authenticate(user)
    created = api.post("/api/v1/vacancies/", _payload(), format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["status"] == VacancyStatus.DRAFT and body["employer"] == employer.name
    assert body["languages"] == [{"language": "pl", "min_level": "A2"}]
    pk = body["id"]
    submitted = api.post(f"/api/v1/vacancies/{pk}/status/", {"transition": "submit"})
    assert submitted.status_code == 200, submitted.json()
    assert submitted.json()["status"] == VacancyStatus.SUBMITTED
    # Only drafts are edited; publishing is the ministry's.
    assert api.put(f"/api/v1/vacancies/{pk}/", _payload(), format="json").status_code == 400
    assert api.post(f"/api/v1/vacancies/{pk}/status/", {"transition": "publish"}).status_code in (
        400,
        403,
    )

    other = VacancyFactory()
    assert api.get(f"/api/v1/vacancies/{other.pk}/").status_code == 404
    assert [row["id"] for row in api.get("/api/v1/vacancies/").json()["results"]] == [pk]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"positions": 0}, "positions"),
        ({"occupation": "9999"}, "occupation"),
        ({"languages": [{"language": "pl", "min_level": "D1"}]}, "languages"),
    ],
)
def test_bad_vacancies_are_refused_and_nothing_is_stored(api, fields, field):
    api.force_authenticate(UserFactory())
    employer = ForeignEmployerFactory(verified=True, in_poland=True)
    response = api.post(
        "/api/v1/vacancies/", _payload(employer=employer.pk, **fields), format="json"
    )
    assert response.status_code == 400, response.json()
    assert field in str(response.json()["error"])
    assert not Vacancy.objects.exists()


def test_a_deadline_in_the_past_stops_the_submission(api):
    employer = ForeignEmployerFactory(verified=True, in_poland=True)
    api.force_authenticate(_employer_user(employer))
    created = api.post("/api/v1/vacancies/", _payload(application_deadline=days(-1)), format="json")
    assert created.status_code == 201  # a draft may be finished later
    pk = created.json()["id"]
    refused = api.post(
        f"/api/v1/vacancies/{pk}/status/", {"transition": "submit"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert refused.status_code == 400
    assert "application_deadline" in str(refused.json()["error"]) or "deadline" in str(
        refused.json()["error"]
    )
    assert Vacancy.objects.get(pk=pk).status == VacancyStatus.DRAFT


def test_a_wage_below_the_minimum_is_refused(api):
    from gza.partners.enums import IndicatorKind
    from gza.partners.models import CountryIndicator

    CountryIndicator.objects.create(
        country_id="PL",
        kind=IndicatorKind.MINIMUM_WAGE,
        value=4666,
        unit="per month",
        currency="PLN",
        period="2025",
        source="test",
    )
    api.force_authenticate(UserFactory())
    employer = ForeignEmployerFactory(verified=True, in_poland=True)
    response = api.post(
        "/api/v1/vacancies/",
        _payload(employer=employer.pk, wage_amount="10.00"),
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "minimum" in str(response.json()["error"]).lower()
    assert not Vacancy.objects.exists()


def test_roles_without_demand_rights_are_refused(api):
    api.force_authenticate(UserFactory(role=Role.ANALYST))
    assert api.get("/api/v1/vacancies/").status_code == 403
    api.force_authenticate(UserFactory(role=Role.CASEWORKER))
    assert api.get("/api/v1/vacancies/").status_code == 200
    assert api.post("/api/v1/vacancies/", _payload(), format="json").status_code == 403


def test_skills_are_written_by_uri_or_code_kept_when_left_out_and_read_back(api):
    first, second = EscoSkill.objects.order_by("label_en")[:2]
    api.force_authenticate(UserFactory())
    employer = ForeignEmployerFactory(verified=True, in_poland=True)
    code = second.uri.rsplit("/", 1)[-1]
    created = api.post(
        "/api/v1/vacancies/",
        _payload(employer=employer.pk, skills=[first.uri, code]),
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["skills"] == [
        {"uri": first.uri, "code": first.uri.rsplit("/", 1)[-1], "label": first.label_en},
        {"uri": second.uri, "code": code, "label": second.label_en},
    ]
    pk = body["id"]
    kept = api.put(f"/api/v1/vacancies/{pk}/", _payload(title_en="Apple picker"), format="json")
    assert kept.status_code == 200, kept.json()
    assert [row["uri"] for row in kept.json()["skills"]] == [first.uri, second.uri]
    cleared = api.put(f"/api/v1/vacancies/{pk}/", _payload(skills=[]), format="json")
    assert cleared.json()["skills"] == []
    listed = api.get("/api/v1/vacancies/").json()["results"]
    assert listed[0]["skills"] == []


def test_an_unknown_skill_is_refused_by_name_and_nothing_is_stored(api):
    api.force_authenticate(UserFactory())
    employer = ForeignEmployerFactory(verified=True, in_poland=True)
    response = api.post(
        "/api/v1/vacancies/",
        _payload(employer=employer.pk, skills=["http://data.europa.eu/esco/skill/nothing"]),
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["skills"] == [
        "Unknown ESCO skill: http://data.europa.eu/esco/skill/nothing."
    ]
    assert not Vacancy.objects.exists()
