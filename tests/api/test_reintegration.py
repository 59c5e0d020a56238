"""Reintegration over the API: open a case by registration number, read it, assess, plan,
record follow-ups and close; the same scoping as the screens (another organisation's case is a
404) and one error format; a returnee reads their own case without the assessment."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from gza.core.enums import AccessAction, Role
from gza.core.models import AccessLogEntry
from gza.reintegration.enums import CaseStatus
from gza.reintegration.models import ReintegrationCase
from tests.core.factories import UserFactory
from tests.registry.factories import JobSeekerFactory
from tests.reintegration.factories import (
    AssistanceItemFactory,
    NeedsAssessmentFactory,
    ReintegrationCaseFactory,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def caseworker():
    return UserFactory(iom_caseworker=True)


@pytest.fixture
def api(caseworker):
    client = APIClient()
    client.force_authenticate(caseworker)
    return client


def test_a_case_is_opened_by_registration_number_and_read_back(api, caseworker):
    person = JobSeekerFactory(registered_by_organisation=caseworker.organisation)
    response = api.post(
        reverse("api:reintegration_case_list"),
        {
            "registration_number": person.registration_number,
            "returned_from": "PL",
            "returned_on": "2026-09-30",
            "organisation": caseworker.organisation.pk,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["job_seeker"]["public_id"] == str(person.public_id)
    assert [(f["month"], f["due_on"]) for f in body["follow_ups"]] == [
        (3, "2026-12-30"),
        (6, "2027-03-30"),
        (12, "2027-09-30"),
    ]
    listed = api.get(reverse("api:reintegration_case_list")).json()
    assert [row["id"] for row in listed["results"]] == [body["id"]]
    assert AccessLogEntry.objects.filter(
        actor=caseworker, action=AccessAction.VIEW, purpose="api: reintegration cases"
    ).exists()


def test_a_case_moves_through_assessment_plan_follow_up_and_closure(api, caseworker):
    case = ReintegrationCaseFactory(organisation=caseworker.organisation)
    base = f"/api/v1/reintegration/cases/{case.public_id}"
    assessed = api.post(
        f"{base}/assessments/",
        {
            "economic": 2,
            "social": 1,
            "psychosocial": 3,
            "medical": 0,
            "vulnerability": "high",
            "notes": "Sleeps badly.",
        },
        format="json",
    )
    assert assessed.status_code == 201 and assessed.json()["assessments"][0]["psychosocial"] == 3
    line = api.post(
        f"{base}/plan/",
        {"kind": "training", "provider": "VET college", "amount": "800", "currency": "GEL"},
        format="json",
    )
    assert line.status_code == 201 and line.json()["status"] == "planned"
    moved = api.post(f"{base}/plan/{line.json()['id']}/status/", {"status": "delivered"})
    assert moved.json()["status"] == "delivered"
    refused = api.post(
        f"{base}/plan/{line.json()['id']}/status/",
        {"status": "cancelled"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert refused.status_code == 400
    assert "delivered" in refused.json()["error"]["fields"]["non_field_errors"][0]
    out_of_range = api.post(
        f"{base}/follow-ups/3/",
        {"economic": 101, "social": 50, "psychosocial": 50},
        format="json",
    )
    assert out_of_range.status_code == 400
    assert "economic" in out_of_range.json()["error"]["fields"]
    done = api.post(
        f"{base}/follow-ups/3/", {"economic": 45, "social": 60, "psychosocial": 75}, format="json"
    )
    assert done.status_code == 200
    assert done.json()["follow_ups"][0]["sustainability"] == 60.0
    sustainable = api.post(f"{base}/close/", {"reason": "sustainable"}, format="json")
    assert sustainable.status_code == 400 and "reason" in sustainable.json()["error"]["fields"]
    closed = api.post(f"{base}/close/", {"reason": "left_again"}, format="json")
    assert closed.status_code == 200 and closed.json()["status"] == CaseStatus.CLOSED


def test_another_organisations_case_is_a_404(api):
    other = ReintegrationCaseFactory()
    base = f"/api/v1/reintegration/cases/{other.public_id}"
    assert api.get(f"{base}/").status_code == 404
    response = api.post(f"{base}/close/", {"reason": "declined"}, format="json")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    assert ReintegrationCase.objects.get().status == CaseStatus.OPEN


def test_an_unregistered_person_is_refused_with_the_reason(api, caseworker):
    response = api.post(
        reverse("api:reintegration_case_list"),
        {
            "registration_number": "0000000000",
            "returned_from": "PL",
            "returned_on": "2026-09-30",
            "organisation": caseworker.organisation.pk,
        },
        format="json",
    )
    assert response.status_code == 400
    assert "registration_number" in response.json()["error"]["fields"]


def test_the_api_needs_the_right():
    client = APIClient()
    client.force_authenticate(UserFactory(embassy_officer=True))
    assert client.get(reverse("api:reintegration_case_list")).status_code == 403


def test_a_returnee_reads_their_own_case_without_the_assessment():
    user = UserFactory(job_seeker=True)
    case = ReintegrationCaseFactory(
        job_seeker=JobSeekerFactory(user=user),
        returned_on=TODAY - datetime.timedelta(days=10),
    )
    NeedsAssessmentFactory(case=case, notes="Private note.")
    AssistanceItemFactory(case=case, note="Internal remark.")
    ReintegrationCaseFactory()
    client = APIClient()
    client.force_authenticate(user)
    body = client.get(reverse("api:my_reintegration")).json()
    assert [row["id"] for row in body] == [str(case.public_id)]
    assert "Private note." not in str(body) and "Internal remark." not in str(body)
    assert [f["month"] for f in body[0]["follow_ups"]] == [3, 6, 12]
    staff = APIClient()
    staff.force_authenticate(UserFactory(role=Role.CASEWORKER))
    assert staff.get(reverse("api:my_reintegration")).status_code == 403
