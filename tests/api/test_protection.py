"""Check-ins and grievances over the API (gza/api/protection.py)."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from gza.core.enums import Role
from gza.mobility.enums import GrievanceStatus
from gza.mobility.models import Grievance
from tests.core.factories import UserFactory
from tests.mobility.protection_factories import (
    CheckInFactory,
    GrievanceFactory,
    PlacementFactory,
)

pytestmark = pytest.mark.django_db

ANSWER = {
    "paid_as_promised": "no",
    "pay_received": "3.00",
    "hours_per_week": 40,
    "housing_as_promised": True,
    "documents_held_by_employer": False,
    "feels_safe": True,
}


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def placement():
    placement = PlacementFactory(in_germany=True)
    placement.job_seeker.user = UserFactory(job_seeker=True)
    placement.job_seeker.save()
    return placement


def test_a_worker_lists_and_answers_their_check_ins(api, placement):
    check_in = CheckInFactory(placement=placement, due_on=timezone.localdate())
    CheckInFactory()  # someone else's
    api.force_authenticate(placement.job_seeker.user)
    listed = api.get("/api/v1/me/check-ins/").json()
    assert [row["id"] for row in listed] == [check_in.pk]

    response = api.post(f"/api/v1/check-ins/{check_in.pk}/answer/", ANSWER, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["check_in"]["breaches"] == ["pay_below_promised", "not_paid_as_promised"]
    assert body["grievance"]["category"] == "pay"
    assert body["grievance"]["source"] == "check_in"

    again = api.post(f"/api/v1/check-ins/{check_in.pk}/answer/", ANSWER, format="json")
    assert again.status_code == 400
    # The refusal names the date it was answered on (its parameters filled in).
    assert "%(" not in again.json()["error"]["fields"]["non_field_errors"][0]


def test_an_answer_out_of_range_is_refused(api, placement):
    check_in = CheckInFactory(placement=placement, due_on=timezone.localdate())
    api.force_authenticate(placement.job_seeker.user)
    response = api.post(
        f"/api/v1/check-ins/{check_in.pk}/answer/",
        ANSWER | {"pay_received": "950.00"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "pay_received" in response.json()["error"]["fields"]


def test_someone_elses_check_in_is_not_found(api, placement):
    other = CheckInFactory(due_on=timezone.localdate())
    api.force_authenticate(placement.job_seeker.user)
    assert (
        api.post(f"/api/v1/check-ins/{other.pk}/answer/", ANSWER, format="json").status_code == 404
    )


def test_a_worker_opens_a_grievance_and_sees_only_their_own(api, placement):
    GrievanceFactory()
    api.force_authenticate(placement.job_seeker.user)
    response = api.post(
        "/api/v1/grievances/",
        {"placement": str(placement.public_id), "category": "trafficking", "description": "Help."},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["severity"] == "critical"
    listed = api.get("/api/v1/grievances/").json()
    assert [row["id"] for row in listed["results"]] == [response.json()["id"]]
    assert api.get("/api/v1/grievances/board/").status_code == 403


def test_an_officer_handles_a_grievance_through_the_api(api, placement):
    grievance = GrievanceFactory(placement=placement)
    officer = UserFactory()
    api.force_authenticate(officer)
    base = f"/api/v1/grievances/{grievance.public_id}/"
    assert api.get(base).json()["status"] == "open"
    assert api.post(base + "assign/", {"assignee": officer.pk}, format="json").status_code == 200
    assert api.post(base + "start/", {}, format="json").json()["status"] == "in_progress"
    assert api.post(base + "escalate/", {"note": "Urgent"}, format="json").json()["status"] == (
        "escalated"
    )
    resolved = api.post(base + "resolve/", {"resolution": "Paid."}, format="json").json()
    assert resolved["status"] == "resolved"
    assert [event["action"] for event in resolved["events"]] == [
        "assign",
        "start",
        "escalate",
        "resolve",
    ]
    refused = api.post(base + "start/", {}, format="json")
    assert refused.status_code == 400
    assert "%(" not in refused.json()["error"]["fields"]["non_field_errors"][0]

    worker = APIClient()
    worker.force_authenticate(placement.job_seeker.user)
    assert worker.post(base + "rate/", {"rating": 5}, format="json").json()["worker_rating"] == 5
    assert api.post(base + "rate/", {"rating": 1}, format="json").status_code == 403


def test_rating_before_resolution_is_refused(api, placement):
    grievance = GrievanceFactory(placement=placement)
    api.force_authenticate(placement.job_seeker.user)
    response = api.post(
        f"/api/v1/grievances/{grievance.public_id}/rate/", {"rating": 3}, format="json"
    )
    assert response.status_code == 400
    grievance.refresh_from_db()
    assert grievance.worker_rating is None


def test_the_board_counts_and_scoping(api):
    now = timezone.now()
    GrievanceFactory(opened_at=now - datetime.timedelta(days=8))
    german = GrievanceFactory(placement=PlacementFactory(in_germany=True))
    api.force_authenticate(UserFactory())
    counts = api.get("/api/v1/grievances/board/").json()
    assert counts["total"] == 2
    assert counts["by_deadline"]["overdue"] == 1

    api.force_authenticate(UserFactory(embassy_officer=True))  # France: none of these
    assert api.get("/api/v1/grievances/board/").json()["total"] == 0
    assert api.get(f"/api/v1/grievances/{german.public_id}/").status_code == 404

    api.force_authenticate(UserFactory(role=Role.ANALYST))
    assert api.get("/api/v1/grievances/").status_code == 403


def test_staff_open_a_grievance_for_a_person_they_see(api, placement):
    api.force_authenticate(UserFactory())
    response = api.post(
        "/api/v1/grievances/",
        {
            "job_seeker": str(placement.job_seeker.public_id),
            "placement": str(placement.public_id),
            "category": "housing",
            "severity": "low",
            "description": "Cold rooms.",
        },
        format="json",
    )
    assert response.status_code == 201
    assert Grievance.objects.get().source == "officer"
    missing = api.post(
        "/api/v1/grievances/", {"category": "housing", "description": "x"}, format="json"
    )
    assert set(missing.json()["error"]["fields"]) == {"job_seeker", "severity"}
    assert Grievance.objects.get().status == GrievanceStatus.OPEN


def test_the_schema_describes_the_protection_api(api):
    api.force_authenticate(UserFactory())
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    assert "/api/v1/grievances/{public_id}/escalate/" in schema
