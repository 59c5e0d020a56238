"""Applications and selection over the API: same rules, rights and scoping as the screens; one
error format whose refusals name the stage; the public lottery readable by anyone."""

import pytest
from rest_framework.test import APIClient

from gza.core.enums import Role
from gza.demand.enums import SelectionMethod
from gza.matching import engine
from gza.matching.enums import EntryDecision, RunStatus
from gza.recruitment.enums import RoundStatus, Stage
from gza.recruitment.models import Application
from gza.recruitment.selection import lottery_order
from tests.core.factories import UserFactory
from tests.matching.run_factories import MatchRunEntryFactory, MatchRunFactory
from tests.recruitment.factories import (
    ApplicationFactory,
    applicant,
    employer_user,
    vacancy_with_employer_account,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_index():
    engine.invalidate()


@pytest.fixture
def officer():
    return UserFactory(role=Role.MINISTRY_OFFICER)


@pytest.fixture
def vacancy():
    return vacancy_with_employer_account(selection_method=SelectionMethod.LOTTERY)


def client_of(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_an_officer_lists_and_moves_applications(officer, vacancy):
    application = ApplicationFactory(vacancy=vacancy)
    api = client_of(officer)
    listed = api.get(f"/api/v1/vacancies/{vacancy.pk}/applications/")
    assert listed.status_code == 200
    assert listed.json()[0]["job_seeker"]["registration_number"] == (
        application.job_seeker.registration_number
    )
    moved = api.post(
        f"/api/v1/applications/{application.public_id}/moves/",
        {"transition": "screen", "acting_as": "officer", "expected_stage": "applied"},
        format="json",
    )
    assert moved.status_code == 200, moved.json()
    assert moved.json()["stage"] == "screening"
    assert [e["to_stage"] for e in moved.json()["events"]] == ["applied", "screening"]


def test_an_illegal_move_is_a_400_naming_the_stage(officer):
    application = ApplicationFactory(interview=True)
    response = client_of(officer).post(
        f"/api/v1/applications/{application.public_id}/moves/",
        {"transition": "depart", "acting_as": "officer"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["non_field_errors"] == [
        "This application is at the stage “interview”: it cannot be moved to “departed”."
    ]


def test_the_employer_gets_the_pseudonymous_view(vacancy):
    application = ApplicationFactory(vacancy=vacancy, screening=True)
    body = client_of(employer_user(vacancy)).get(f"/api/v1/vacancies/{vacancy.pk}/applications/")
    row = body.json()[0]
    assert row["registration_number"] == application.job_seeker.registration_number
    assert row["identity"] is None
    assert "job_seeker" not in row
    assert application.job_seeker.personal_number not in body.content.decode()
    assert {m["transition"] for m in row["moves"]} == {"select", "reject"}


def test_starting_from_a_kept_line(officer, vacancy):
    run = MatchRunFactory(vacancy=vacancy, status=RunStatus.REVIEWED)
    line = MatchRunEntryFactory(run=run, job_seeker=applicant(), decision=EntryDecision.KEPT)
    response = client_of(officer).post(
        "/api/v1/applications/", {"shortlist_entry": line.pk}, format="json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["stage"] == "shortlisted"


def test_a_job_seeker_applies_follows_and_withdraws(vacancy):
    person = applicant()
    api = client_of(person.user)
    created = api.post("/api/v1/me/applications/", {"vacancy": vacancy.pk}, format="json")
    assert created.status_code == 201, created.json()
    application = Application.objects.get()
    assert application.started_via == "api"
    again = api.post("/api/v1/me/applications/", {"vacancy": vacancy.pk}, format="json")
    assert again.status_code == 400
    mine = api.get("/api/v1/me/applications/").json()
    assert [m["transition"] for m in mine[0]["moves"]] == ["withdraw"]
    withdrawn = api.post(
        f"/api/v1/me/applications/{application.public_id}/moves/",
        {"transition": "withdraw"},
        format="json",
    )
    assert withdrawn.json()["stage"] == "withdrawn"


def test_someone_elses_application_is_a_404(vacancy):
    application = ApplicationFactory(vacancy=vacancy)
    response = client_of(applicant().user).post(
        f"/api/v1/me/applications/{application.public_id}/moves/",
        {"transition": "withdraw"},
        format="json",
    )
    assert response.status_code == 404


def test_rounds_are_drawn_published_and_public(officer, vacancy):
    applications = [ApplicationFactory(vacancy=vacancy) for _ in range(5)]
    api = client_of(officer)
    drawn = api.post(
        f"/api/v1/vacancies/{vacancy.pk}/selection-rounds/", {"places": 2}, format="json"
    )
    assert drawn.status_code == 201, drawn.json()
    body = drawn.json()
    assert body["status"] == "draft"
    assert "sex" in body["audit"]
    public = APIClient().get(f"/api/v1/lotteries/{body['id']}/")
    assert public.status_code == 404
    published = api.post(f"/api/v1/selection-rounds/{body['id']}/publish/")
    assert published.json()["status"] == RoundStatus.PUBLISHED
    public = APIClient().get(f"/api/v1/lotteries/{body['id']}/").json()
    # Anyone can re-run the order from what is published.
    ids = [entry["application"] for entry in public["entries"]]
    assert [(p, k) for p, k in lottery_order(public["seed"], ids)] == [
        (e["application"], e["draw_key"]) for e in public["entries"]
    ]
    assert "audit" not in public
    again = api.post(
        f"/api/v1/vacancies/{vacancy.pk}/selection-rounds/", {"places": 2}, format="json"
    )
    assert again.status_code == 400
    assert Application.objects.filter(stage=Stage.SELECTED).count() == 2
    assert len(applications) == 5


def test_only_the_ministry_draws(vacancy):
    ApplicationFactory(vacancy=vacancy)
    response = client_of(UserFactory(role=Role.CASEWORKER)).post(
        f"/api/v1/vacancies/{vacancy.pk}/selection-rounds/", {"places": 1}, format="json"
    )
    assert response.status_code == 403
