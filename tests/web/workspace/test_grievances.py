"""The grievance board, the grievance page and its actions, an officer opening a grievance, and
a check-in answer recorded on the phone (gza/web/workspace/grievances.py)."""

import datetime

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from gza.core.enums import AccessAction, OrganisationKind, Role
from gza.core.models import AccessLogEntry
from gza.mobility.enums import GrievanceSource, GrievanceStatus, Severity
from gza.mobility.models import Grievance
from gza.mobility.protection import check_ins_schedule
from tests.core.factories import OrganisationFactory, UserFactory
from tests.mobility.protection_factories import (
    CheckInFactory,
    GrievanceFactory,
    PlacementFactory,
)

pytestmark = pytest.mark.django_db


def en(url: str) -> str:
    return "/en" + url[3:]


@pytest.fixture
def officer(client):
    user = UserFactory()
    client.force_login(user)
    return user


def test_the_board_shows_open_grievances_by_deadline(client, officer):
    now = timezone.now()
    overdue = GrievanceFactory(opened_at=now - datetime.timedelta(days=8))
    GrievanceFactory(opened_at=now, severity=Severity.LOW, category="housing")
    response = client.get(reverse("workspace:grievance_board"))
    assert response.status_code == 200
    assert response.wsgi_request.path.startswith("/ka/")
    columns = {c.key: c.grievances for c in response.context["columns"]}
    assert columns["overdue"] == [overdue]
    assert len(columns["later"]) == 1
    page = client.get(en(reverse("workspace:grievance_board"))).content.decode()
    assert "Overdue (1)" in page
    assert "Later (1)" in page


def test_the_board_filters_by_severity_country_and_category_and_shows_ages(client, officer):
    GrievanceFactory(severity=Severity.HIGH)
    GrievanceFactory(placement=PlacementFactory(in_germany=True))
    url = reverse("workspace:grievance_board")
    assert (
        sum(len(c.grievances) for c in client.get(url, {"severity": "high"}).context["columns"])
        == 1
    )
    assert (
        sum(len(c.grievances) for c in client.get(url, {"country": "DE"}).context["columns"]) == 1
    )
    assert (
        sum(len(c.grievances) for c in client.get(url, {"category": "abuse"}).context["columns"])
        == 0
    )
    by_age = client.get(url, {"by": "age"}).context["columns"]
    assert [c.key for c in by_age] == ["under_1", "1_3", "3_7", "7_14", "over_14"]


def test_the_boards_queries_do_not_grow_with_its_grievances(client, officer):
    GrievanceFactory()
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("workspace:grievance_board"))
    for _ in range(5):
        GrievanceFactory(assigned_to=UserFactory())
    with CaptureQueriesContext(connection) as six:
        client.get(reverse("workspace:grievance_board"))
    assert len(six) == len(one)


def test_an_embassy_sees_its_countrys_grievances_only(client):
    embassy = OrganisationFactory(kind=OrganisationKind.EMBASSY, country_id="PL", name_en="E PL")
    client.force_login(UserFactory(role=Role.EMBASSY_OFFICER, organisation=embassy))
    polish = GrievanceFactory()
    german = GrievanceFactory(placement=PlacementFactory(in_germany=True))
    columns = client.get(reverse("workspace:grievance_board")).context["columns"]
    assert [g for c in columns for g in c.grievances] == [polish]
    url = reverse("workspace:grievance_detail", args=[german.public_id])
    assert client.get(url).status_code == 404


def test_the_grievance_page_logs_the_view_and_offers_the_actions(client, officer):
    grievance = GrievanceFactory()
    response = client.get(en(reverse("workspace:grievance_detail", args=[grievance.public_id])))
    page = response.content.decode()
    assert response.status_code == 200
    assert "start working on it" in page
    assert "Promised pay" in page
    assert AccessLogEntry.objects.filter(
        actor=officer, subject_id=str(grievance.job_seeker.pk), action=AccessAction.VIEW
    ).exists()


def test_an_officer_moves_a_grievance_from_its_page(client, officer):
    grievance = GrievanceFactory()
    url = reverse("workspace:grievance_action", args=[grievance.public_id])
    assert client.get(url).status_code == 302
    assert client.post(url, {"action": "start", "note": "Calling the employer."}).status_code == 302
    response = client.post(url, {"action": "resolve", "resolution": ""})
    assert response.status_code == 200
    assert response.context["form"].errors
    client.post(url, {"action": "resolve", "resolution": "Paid in full."})
    grievance.refresh_from_db()
    assert grievance.status == GrievanceStatus.RESOLVED
    assert grievance.assigned_to == officer
    page = client.get(en(reverse("workspace:grievance_detail", args=[grievance.public_id])))
    assert "Work started" in page.content.decode()


def test_an_action_not_allowed_now_is_refused_with_the_current_status(client, officer):
    grievance = GrievanceFactory(status=GrievanceStatus.RESOLVED)
    url = en(reverse("workspace:grievance_action", args=[grievance.public_id]))
    response = client.post(url, {"action": "start"})
    assert response.status_code == 200
    assert response.context["form"].errors["action"]


def test_an_officer_assigns_a_grievance(client, officer):
    grievance = GrievanceFactory()
    caseworker = UserFactory(role=Role.CASEWORKER)
    url = reverse("workspace:grievance_action", args=[grievance.public_id])
    client.post(url, {"action": "assign", "assignee": caseworker.pk})
    grievance.refresh_from_db()
    assert grievance.assigned_to == caseworker


def test_an_embassy_records_a_grievance_about_a_placement_in_its_country(client):
    embassy = OrganisationFactory(kind=OrganisationKind.EMBASSY, country_id="PL", name_en="E PL")
    client.force_login(UserFactory(role=Role.EMBASSY_OFFICER, organisation=embassy))
    placement = PlacementFactory()
    url = reverse("workspace:grievance_create", args=[placement.job_seeker.public_id])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "placement": placement.pk,
            "category": "housing",
            "severity": "medium",
            "description": "Twelve people in one room.",
        },
    )
    grievance = Grievance.objects.get()
    assert response.url == reverse("workspace:grievance_detail", args=[grievance.public_id])
    assert grievance.source == GrievanceSource.EMBASSY


def test_an_officer_records_a_check_in_answer_given_on_the_phone(client, officer):
    check_in = CheckInFactory(due_on=timezone.localdate())
    url = reverse("workspace:check_in_record", args=[check_in.pk])
    assert client.get(url).status_code == 200
    prefix = f"check-in-{check_in.pk}-"
    answers = {
        "paid_as_promised": "no",
        "pay_received": "3.00",
        "hours_per_week": "40",
        "housing_as_promised": "yes",
        "documents_held_by_employer": "no",
        "feels_safe": "yes",
    }
    response = client.post(url, {prefix + key: value for key, value in answers.items()})
    assert response.url == check_in.placement.get_absolute_url()
    check_in.refresh_from_db()
    assert check_in.answered_at is not None
    assert Grievance.objects.get().check_in == check_in


def test_out_of_range_hours_are_shown_on_the_form(client, officer):
    check_in = CheckInFactory(due_on=timezone.localdate())
    prefix = f"check-in-{check_in.pk}-"
    response = client.post(
        reverse("workspace:check_in_record", args=[check_in.pk]),
        {
            prefix + "paid_as_promised": "yes",
            prefix + "hours_per_week": "200",
            prefix + "housing_as_promised": "yes",
            prefix + "documents_held_by_employer": "no",
            prefix + "feels_safe": "yes",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["hours_per_week"]


def test_the_placement_partial_lists_check_ins_and_grievances():
    placement = PlacementFactory()
    check_ins_schedule(placement)
    GrievanceFactory(placement=placement)
    html = render_to_string(
        "workspace/mobility/_placement_protection.html", {"placement": placement}
    )
    assert html.count(reverse("workspace:check_in_record", args=[placement.check_ins.first().pk]))
    assert reverse("workspace:grievance_create", args=[placement.job_seeker.public_id]) in html
