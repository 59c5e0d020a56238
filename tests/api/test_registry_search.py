"""Searching the registry over the API: POSTed, scoped, personal numbers only for those who
may see identities."""

import pytest
from rest_framework.test import APIClient

from gza.core.enums import Role
from tests.core.factories import UserFactory
from tests.registry.factories import JobSeekerFactory, LanguageSkillFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/job-seekers/search/"


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def nino():
    return JobSeekerFactory(
        first_name="ნინო",
        last_name="ცხვედიანი",
        first_name_latin="Nino",
        last_name_latin="Tskhvediani",
        personal_number="01024057788",
    )


def test_a_misspelt_name_in_any_script_finds_the_person(api, nino):
    JobSeekerFactory(last_name="ბერიძე")
    api.force_authenticate(UserFactory())
    for query in ["Nino Tsxvediani", "Нино Цхведиани", "ნინო ცხვედინი"]:
        response = api.post(URL, {"q": query}, format="json")
        assert response.status_code == 200, response.json()
        (hit,) = response.json()["results"]
        assert hit["public_id"] == str(nino.public_id)
        assert hit["registration_number"] == nino.registration_number
        assert hit["last_name_latin"] == "Tskhvediani"
        assert hit["match"] in {"exact", "near"}
    assert response.json()["count"] == 1 and response.json()["truncated"] is False


def test_the_personal_number_is_shown_only_to_those_who_may_see_identities(api, nino, monkeypatch):
    api.force_authenticate(UserFactory())  # a ministry officer
    (hit,) = api.post(URL, {"q": "Tskhvediani"}, format="json").json()["results"]
    assert hit["personal_number"] == "01024057788"
    # Today every role that searches also registers people; a role that only follows them
    # would get results without the number.
    monkeypatch.setattr("gza.api.registry_search.may_see_identity", lambda user: False)
    (hit,) = api.post(URL, {"q": "Tskhvediani"}, format="json").json()["results"]
    assert "personal_number" not in hit


def test_a_caseworker_finds_only_their_organisations_people(api, nino):
    caseworker = UserFactory(iom_caseworker=True)
    own = JobSeekerFactory(
        last_name="ცხვედიანი",
        registered_by_organisation=caseworker.organisation,
        personal_number="01024057789",
    )
    api.force_authenticate(caseworker)
    (hit,) = api.post(URL, {"q": "Tskhvediani"}, format="json").json()["results"]
    assert hit["public_id"] == str(own.public_id)


def test_filters_and_numbers(api, nino):
    LanguageSkillFactory(job_seeker=nino, language_id="de", level_id="B2")
    JobSeekerFactory()
    api.force_authenticate(UserFactory())
    found = api.post(URL, {"language": "de", "level": "B1"}, format="json").json()
    assert [hit["public_id"] for hit in found["results"]] == [str(nino.public_id)]
    assert found["results"][0]["match"] == "filter"
    by_number = api.post(URL, {"q": nino.registration_number}, format="json").json()
    assert by_number["results"][0]["match"] == "number"
    by_personal = api.post(URL, {"q": "01024057788"}, format="json").json()
    assert by_personal["count"] == 1


def test_bad_input_gets_the_one_error_format(api, nino):
    api.force_authenticate(UserFactory())
    wrong = nino.registration_number[:9] + str((int(nino.registration_number[9]) + 1) % 10)
    response = api.post(URL, {"q": wrong}, format="json")
    assert response.status_code == 400
    assert "q" in response.json()["error"]["fields"]
    response = api.post(URL, {"region": "GE-XX"}, format="json")
    assert response.status_code == 400
    assert "region" in response.json()["error"]["fields"]


@pytest.mark.parametrize("role", [Role.EMPLOYER, Role.ANALYST, Role.EMBASSY_OFFICER, Role.NONE])
def test_roles_without_the_registry_right_are_refused(api, nino, role):
    api.force_authenticate(UserFactory(role=role))
    assert api.post(URL, {"q": "Tskhvediani"}, format="json").status_code == 403


def test_anonymous_callers_are_refused(api, nino):
    assert api.post(URL, {"q": "Tskhvediani"}, format="json").status_code in (401, 403)


def test_the_search_is_in_the_schema(api):
    schema = api.get("/api/schema/", {"format": "json"}).json()
    operation = schema["paths"][URL]["post"]
    assert operation["operationId"] == "job_seekers_search"
