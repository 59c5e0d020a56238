"""Demand abroad over the API: employers and vetting, agencies and reports, the public lookup."""

import datetime

import pytest
from rest_framework.test import APIClient

from gza.core.enums import AuditVerb, Role
from gza.core.models import AuditEvent
from gza.demand.enums import CertificationStatus, VettingStatus
from gza.demand.models import AgencyReport, ForeignEmployer
from tests.core.factories import OrganisationFactory, UserFactory
from tests.demand.factories import AgencyFactory, AgencyReportFactory, ForeignEmployerFactory

pytestmark = pytest.mark.django_db

EMPLOYER = {
    "name": "Sad Grójecki (test)",
    "country": "PL",
    "city": "Grójec",
    "nace_section": "A",
    "registration_number": "0000123456",
    "contact_person": "Anna Nowak",
    "contact_email": "kadry@sad.example",
}


@pytest.fixture
def api():
    return APIClient()


def _embassy_in_poland():
    embassy = OrganisationFactory(kind="embassy", country_id="PL")
    return UserFactory(role=Role.EMBASSY_OFFICER, organisation=embassy)


def test_the_ministry_registers_an_employer_and_the_embassy_of_its_country_verifies_it(api):
    api.force_authenticate(UserFactory())
    created = api.post("/api/v1/employers/", EMPLOYER, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["vetting_status"] == VettingStatus.PENDING
    pk = created.json()["id"]

    api.force_authenticate(UserFactory(embassy_officer=True))  # France's embassy
    assert api.get(f"/api/v1/employers/{pk}/").status_code == 404
    assert api.post(f"/api/v1/employers/{pk}/vetting/", {"transition": "verify"}).status_code == 404

    api.force_authenticate(_embassy_in_poland())
    verified = api.post(f"/api/v1/employers/{pk}/vetting/", {"transition": "verify"})
    assert verified.status_code == 200
    assert verified.json()["vetting_status"] == VettingStatus.VERIFIED
    assert AuditEvent.objects.filter(verb=AuditVerb.UPDATED, target_id=str(pk)).exists()


def test_a_rejection_needs_a_reason_and_an_illegal_move_is_refused(api):
    employer = ForeignEmployerFactory(in_poland=True)
    api.force_authenticate(_embassy_in_poland())
    url = f"/api/v1/employers/{employer.pk}/vetting/"
    refused = api.post(url, {"transition": "reject"}, HTTP_ACCEPT_LANGUAGE="ka")
    assert refused.status_code == 400
    assert refused.json()["error"]["message"]
    again = api.post(url, {"transition": "reinstate"})
    assert again.status_code == 400
    employer.refresh_from_db()
    assert employer.vetting_status == VettingStatus.PENDING


def test_employers_see_only_their_own_record_and_readers_cannot_vet(api):
    mine = ForeignEmployerFactory(with_organisation=True)
    other = ForeignEmployerFactory()
    owner = UserFactory(role=Role.EMPLOYER, organisation=mine.organisation)
    api.force_authenticate(owner)
    listed = [row["id"] for row in api.get("/api/v1/employers/").json()]
    assert listed == [mine.pk]
    assert api.get(f"/api/v1/employers/{other.pk}/").status_code == 404
    assert (
        api.post(f"/api/v1/employers/{mine.pk}/vetting/", {"transition": "verify"}).status_code
        == 403
    )

    api.force_authenticate(UserFactory(role=Role.CASEWORKER))
    assert api.get(f"/api/v1/employers/{other.pk}/").status_code == 200
    assert api.post("/api/v1/employers/", EMPLOYER, format="json").status_code == 403
    api.force_authenticate(UserFactory(role=Role.ANALYST))
    assert api.get("/api/v1/employers/").status_code == 403


def test_a_duplicate_registration_number_gets_the_error_format(api):
    api.force_authenticate(UserFactory())
    assert api.post("/api/v1/employers/", EMPLOYER, format="json").status_code == 201
    again = api.post("/api/v1/employers/", EMPLOYER, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert again.status_code == 400
    assert "already registered" in str(again.json()["error"])
    georgian = api.post("/api/v1/employers/", EMPLOYER, format="json")
    assert "უკვე რეგისტრირებულია" in str(georgian.json()["error"])
    assert ForeignEmployer.objects.count() == 1


def test_the_ministry_registers_and_certifies_an_agency(api):
    api.force_authenticate(UserFactory())
    created = api.post(
        "/api/v1/agencies/",
        {
            "name_ka": "შპს „გზა დასაქმება“",
            "name_en": "Gza Jobs LLC",
            "registry_number": "404123456",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    today = datetime.date.today().isoformat()
    moved = api.post(
        f"/api/v1/agencies/{pk}/status/",
        {"transition": "certify", "occurred_on": today},
        format="json",
    )
    assert moved.status_code == 200, moved.json()
    assert moved.json()["status"] == CertificationStatus.CERTIFIED
    detail = api.get(f"/api/v1/agencies/{pk}/").json()
    assert set(detail["scorecard"]) >= {"on_time", "late", "missing", "complaints"}

    api.force_authenticate(UserFactory(role=Role.CASEWORKER))
    assert (
        api.post(
            f"/api/v1/agencies/{pk}/status/",
            {"transition": "suspend", "occurred_on": today, "reason": "x"},
            format="json",
        ).status_code
        == 403
    )


def test_an_agency_files_its_report_and_bad_lines_store_nothing(api):
    agency = AgencyFactory(certified=True, with_organisation=True)
    user = UserFactory(role=Role.AGENCY, organisation=agency.organisation)
    api.force_authenticate(user)
    url = f"/api/v1/agencies/{agency.pk}/reports/"
    line = {"country": "PL", "occupation": "9211", "sex": "f", "placements": 12}
    bad = api.post(
        url,
        {"year": 2025, "complaints_received": 0, "lines": [line, line]},
        format="json",
    )
    assert bad.status_code == 400
    assert "lines" in str(bad.json()["error"]) or "Line" in bad.json()["error"]["message"]
    assert not AgencyReport.objects.exists()
    unknown = api.post(
        url,
        {"year": 2025, "complaints_received": 0, "lines": [{**line, "occupation": "9999"}]},
        format="json",
    )
    assert unknown.status_code == 400
    filed = api.post(url, {"year": 2025, "complaints_received": 1, "lines": [line]}, format="json")
    assert filed.status_code == 201, filed.json()
    assert filed.json()["lines"][0]["placements"] == 12
    assert [r["year"] for r in api.get(url).json()] == [2025]

    other = AgencyFactory(certified=True)
    assert api.get(f"/api/v1/agencies/{other.pk}/reports/").status_code == 404


def test_anyone_checks_an_agencys_certification_without_contact_details(api):
    agency = AgencyFactory(certified=True, name_en="Fair Way Recruitment LLC")
    AgencyReportFactory(agency=agency)
    by_name = api.get("/api/v1/agencies/status/", {"q": "fair way"})
    assert by_name.status_code == 200
    (row,) = by_name.json()
    assert row["registry_number"] == agency.registry_number
    assert row["status"] == CertificationStatus.CERTIFIED
    assert "contact_email" not in row and "contact_phone" not in row and "address" not in row
    by_number = api.get("/api/v1/agencies/status/", {"q": agency.registry_number}).json()
    assert [r["name_en"] for r in by_number] == ["Fair Way Recruitment LLC"]
    assert api.get("/api/v1/agencies/status/", {"q": "x"}).json() == []
