"""A returnee's own reintegration case on the portal: the plan and the follow-up dates, never
the assessment notes, and nobody else's case."""

import pytest
from django.urls import reverse

from gza.core.enums import Role
from tests.core.factories import UserFactory
from tests.registry.factories import JobSeekerFactory
from tests.reintegration.factories import (
    AssistanceItemFactory,
    NeedsAssessmentFactory,
    ReintegrationCaseFactory,
)

pytestmark = pytest.mark.django_db

URL = reverse("portal:my_reintegration")


def test_a_returnee_sees_their_plan_and_follow_up_dates_but_not_the_assessment(client):
    user = UserFactory(job_seeker=True)
    case = ReintegrationCaseFactory(job_seeker=JobSeekerFactory(user=user))
    NeedsAssessmentFactory(case=case, notes="Panic attacks since the return.")
    AssistanceItemFactory(case=case, provider="IOM Georgia")
    someone_else = ReintegrationCaseFactory()
    AssistanceItemFactory(case=someone_else, provider="Another NGO")
    client.force_login(user)
    response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "IOM Georgia" in html and "Another NGO" not in html
    assert "Panic attacks" not in html
    for follow_up in case.follow_ups.all():
        assert str(follow_up.due_on.year) in html
    english = client.get("/en" + URL[3:]).content.decode()
    assert "Follow-up meetings" in english and "3 months after your return" in english


def test_a_job_seeker_without_a_case_is_told_where_to_ask(client):
    user = UserFactory(job_seeker=True)
    JobSeekerFactory(user=user)
    ReintegrationCaseFactory()
    client.force_login(user)
    html = client.get("/en" + URL[3:]).content.decode()
    assert "You have no reintegration case" in html


def test_staff_go_to_the_workspace(client):
    client.force_login(UserFactory(role=Role.CASEWORKER))
    assert client.get(URL).url == reverse("workspace:home")
