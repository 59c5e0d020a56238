"""A worker's check-ins and grievances on the portal (gza/web/portal/protection.py)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from gza.mobility.enums import GrievanceSource, GrievanceStatus, Severity
from gza.mobility.models import Grievance
from gza.mobility.protection import grievance_resolve
from tests.core.factories import UserFactory
from tests.mobility.protection_factories import (
    CheckInFactory,
    GrievanceFactory,
    PlacementFactory,
)
from tests.registry.factories import JobSeekerFactory

pytestmark = pytest.mark.django_db


def en(url: str) -> str:
    return "/en" + url[3:]


@pytest.fixture
def placement():
    placement = PlacementFactory(in_germany=True)
    person = placement.job_seeker
    person.user = UserFactory(job_seeker=True)
    person.save()
    return placement


@pytest.fixture
def worker(client, placement):
    client.force_login(placement.job_seeker.user)
    return placement.job_seeker.user


def answers(check_in, **changes) -> dict:
    values = {
        "paid_as_promised": "yes",
        "pay_received": "9.50",
        "hours_per_week": "40",
        "housing_as_promised": "yes",
        "documents_held_by_employer": "no",
        "feels_safe": "yes",
    } | changes
    return {f"check-in-{check_in.pk}-{key}": value for key, value in values.items()}


def test_due_check_ins_show_their_questions(client, worker, placement):
    CheckInFactory(placement=placement, due_on=timezone.localdate())
    response = client.get(reverse("portal:check_ins"))
    assert response.status_code == 200
    assert response.wsgi_request.path == "/ka/me/check-ins/"
    page = client.get(en(reverse("portal:check_ins"))).content.decode()
    assert "Were you paid as promised?" in page
    assert "Send my answers" in page


def test_a_pay_breach_answered_on_the_portal_opens_a_grievance(client, worker, placement):
    check_in = CheckInFactory(placement=placement, due_on=timezone.localdate())
    response = client.post(
        reverse("portal:check_in_answer", args=[check_in.pk]),
        answers(check_in, paid_as_promised="no", pay_received="3.00"),
    )
    assert response.status_code == 302
    grievance = Grievance.objects.get()
    assert grievance.source == GrievanceSource.CHECK_IN
    listing = client.get(en(reverse("portal:grievances"))).content.decode()
    assert reverse("portal:grievance", args=[grievance.public_id])[3:] in listing
    detail = client.get(en(reverse("portal:grievance", args=[grievance.public_id])))
    assert "Promised 9.50 EUR per hour; the worker reports 3.00." in detail.content.decode()


def test_out_of_range_answers_are_refused_on_the_page(client, worker, placement):
    check_in = CheckInFactory(placement=placement, due_on=timezone.localdate())
    response = client.post(
        en(reverse("portal:check_in_answer", args=[check_in.pk])),
        answers(check_in, pay_received="950"),
    )
    assert response.status_code == 200
    assert "more than 100 times the promised" in response.content.decode()
    check_in.refresh_from_db()
    assert check_in.answered_at is None


def test_a_check_in_answered_twice_is_refused_with_a_message(client, worker, placement):
    check_in = CheckInFactory(placement=placement, due_on=timezone.localdate())
    url = en(reverse("portal:check_in_answer", args=[check_in.pk]))
    client.post(url, answers(check_in))
    response = client.post(url, answers(check_in), follow=True)
    assert "This check-in was already answered on" in response.content.decode()


def test_another_workers_check_in_or_grievance_is_not_found(client, worker):
    other = CheckInFactory(due_on=timezone.localdate())
    url = reverse("portal:check_in_answer", args=[other.pk])
    assert client.post(url, answers(other)).status_code == 404
    theirs = GrievanceFactory()
    assert client.get(reverse("portal:grievance", args=[theirs.public_id])).status_code == 404


def test_a_worker_raises_a_grievance_and_danger_makes_it_critical(client, worker, placement):
    response = client.post(
        reverse("portal:grievance_new"),
        {
            "placement": placement.pk,
            "category": "documents_withheld",
            "description": "They took my passport.",
            "in_danger": "on",
        },
    )
    grievance = Grievance.objects.get()
    assert response.url == reverse("portal:grievance", args=[grievance.public_id])
    assert grievance.severity == Severity.CRITICAL
    assert grievance.source == GrievanceSource.PORTAL


def test_without_danger_the_severity_follows_the_category(client, worker, placement):
    client.post(
        reverse("portal:grievance_new"),
        {"placement": placement.pk, "category": "pay", "description": "Paid late."},
    )
    assert Grievance.objects.get().severity == Severity.MEDIUM


def test_the_worker_sees_the_answer_and_rates_it_once(client, worker, placement):
    grievance = GrievanceFactory(placement=placement)
    url = reverse("portal:grievance", args=[grievance.public_id])
    assert client.get(url).context["rating_form"] is None
    grievance_resolve(actor=UserFactory(), grievance=grievance, resolution="Paid in full.")
    page = client.get(en(url)).content.decode()
    assert "Paid in full." in page
    assert "Rate how we handled it" in page
    client.post(reverse("portal:grievance_rate", args=[grievance.public_id]), {"rating": "4"})
    grievance.refresh_from_db()
    assert grievance.worker_rating == 4
    assert grievance.status == GrievanceStatus.RESOLVED
    assert client.get(url).context["rating_form"] is None


def test_staff_are_sent_to_the_workspace(client):
    client.force_login(UserFactory())
    assert client.get(reverse("portal:grievances")).url == reverse("workspace:home")


def test_a_job_seeker_with_no_placement_can_still_raise_a_grievance(client):
    person = JobSeekerFactory(user=UserFactory(job_seeker=True))
    client.force_login(person.user)
    client.post(
        reverse("portal:grievance_new"),
        {"category": "contract_substitution", "description": "The contract changed."},
    )
    assert Grievance.objects.get().placement is None


def test_my_page_links_check_ins_and_grievances(client, worker):
    page = client.get(reverse("portal:me")).content.decode()
    assert reverse("portal:check_ins") in page
    assert reverse("portal:grievances") in page
