"""Matching over the API: shortlists run, read and reviewed; one pair's explained score; a job
seeker's own recommendations; the weights per scheme. Same rights and scoping as the screens,
and every score shown is logged."""

import uuid

import pytest
from rest_framework.test import APIClient

from gza.core.enums import AccessAction, Role
from gza.core.models import AccessLogEntry
from gza.matching import engine
from gza.matching.enums import Direction, EntryDecision, RunStatus, RunTrigger
from gza.matching.models import MatchRun, MatchWeights
from gza.matching.runs import RunRefusal, run_shortlist
from tests.core.factories import UserFactory
from tests.matching.run_factories import MatchRunFactory, candidate, published_vacancy
from tests.partners.factories import AgreementFactory
from tests.registry.factories import JobSeekerFactory

pytestmark = pytest.mark.django_db

WEIGHTS = {
    "occupation": 40,
    "skills": 10,
    "languages": 20,
    "experience": 10,
    "education": 5,
    "availability": 10,
    "country": 5,
}


@pytest.fixture(autouse=True)
def _fresh_index():
    engine.invalidate()


@pytest.fixture
def officer():
    return UserFactory()


@pytest.fixture
def api(officer):
    client = APIClient()
    client.force_authenticate(officer)
    return client


@pytest.fixture
def vacancy():
    return published_vacancy()


@pytest.fixture
def people():
    return [candidate(years=5, polish="B2"), candidate(years=1), candidate(occupation="7212")]


def test_a_shortlist_is_run_and_returned_explained(api, officer, vacancy, people):
    response = api.post(f"/api/v1/vacancies/{vacancy.pk}/shortlists/", {"limit": 2}, format="json")
    assert response.status_code == 201
    body = response.json()
    run = MatchRun.objects.get()
    assert body["id"] == str(run.public_id)
    assert (body["direction"], body["status"], body["trigger"]) == (
        Direction.SHORTLIST,
        RunStatus.TO_REVIEW,
        RunTrigger.API,
    )
    assert body["parameters"]["limit"] == 2 and body["hidden_entries"] == 0
    assert [entry["rank"] for entry in body["entries"]] == [1, 2]
    first = body["entries"][0]
    assert first["job_seeker"]["registration_number"] == people[0].registration_number
    assert next(c["name"] for c in first["components"]) == "occupation"
    assert {"value", "weight", "detail", "label"} <= set(first["components"][0])
    assert first["decision"] == EntryDecision.PENDING
    logged = AccessLogEntry.objects.filter(actor=officer, purpose="api: shortlist")
    assert logged.count() == 2
    listed = api.get(f"/api/v1/vacancies/{vacancy.pk}/shortlists/").json()
    assert [row["id"] for row in listed] == [body["id"]]


def test_a_run_is_read_and_reviewed_once(api, officer, vacancy, people):
    run = run_shortlist(vacancy, actor=officer)
    entries = list(run.entries.order_by("rank"))
    url = f"/api/v1/match-runs/{run.public_id}/"
    assert api.get(url).json()["entries"][0]["id"] == entries[0].pk

    decisions = [{"entry": e.pk, "decision": "kept"} for e in entries[:-1]]
    missing_reason = [*decisions, {"entry": entries[-1].pk, "decision": "excluded"}]
    refused = api.post(url + "review/", {"decisions": missing_reason}, format="json")
    assert refused.status_code == 400
    assert f"reason_{entries[-1].pk}" in refused.json()["error"]["fields"]

    complete = [
        *decisions,
        {"entry": entries[-1].pk, "decision": "excluded", "reason": "Not reachable"},
    ]
    response = api.post(url + "review/", {"decisions": complete, "note": "ok"}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == RunStatus.REVIEWED and body["reviewed_by"] == officer.full_name
    assert body["entries"][-1]["decision_reason"] == "Not reachable"

    again = api.post(url + "review/", {"decisions": complete}, format="json")
    assert again.status_code == 400
    assert again.json()["error"]["fields"]["non_field_errors"] == [str(RunRefusal.ALREADY_REVIEWED)]


def test_one_pairs_score_is_explained_with_the_hard_filters_it_fails(api, officer, vacancy):
    person = candidate(polish="A2")
    no_consent = JobSeekerFactory()
    url = "/api/v1/match-score/"
    response = api.get(url, {"vacancy": vacancy.pk, "job_seeker": person.public_id})
    assert response.status_code == 200
    body = response.json()
    scored, _failures = engine.explain(person, vacancy)
    assert body["passes_hard_filters"] is True and body["hard_filter_failures"] == []
    assert body["total"] == f"{scored.total:.2f}"
    assert [c["value"] for c in body["components"]] == [c.value for c in scored.components]
    failing = api.get(url, {"vacancy": vacancy.pk, "job_seeker": no_consent.public_id}).json()
    assert failing["passes_hard_filters"] is False
    assert failing["hard_filter_failures"] == [str(engine.NO_CONSENT)]
    logged = AccessLogEntry.objects.filter(actor=officer, action=AccessAction.VIEW)
    assert set(logged.values_list("subject_id", flat=True)) == {str(person.pk), str(no_consent.pk)}
    assert api.get(url, {"vacancy": vacancy.pk}).status_code == 400


def test_scoping_hides_people_and_vacancies_outside_the_remit(vacancy, people):
    iom = UserFactory(iom_caseworker=True)
    own = candidate(registered_by_organisation=iom.organisation)
    run = run_shortlist(vacancy, actor=UserFactory())
    client = APIClient()
    client.force_authenticate(iom)
    body = client.get(f"/api/v1/match-runs/{run.public_id}/").json()
    assert [e["job_seeker"]["public_id"] for e in body["entries"]] == [str(own.public_id)]
    assert body["hidden_entries"] == 3
    score = client.get(
        "/api/v1/match-score/", {"vacancy": vacancy.pk, "job_seeker": people[0].public_id}
    )
    assert score.status_code == 404
    assert client.get(f"/api/v1/match-runs/{uuid.uuid4()}/").status_code == 404
    recommendations = MatchRunFactory(
        direction=Direction.RECOMMENDATIONS, vacancy=None, job_seeker=people[0]
    )
    assert client.get(f"/api/v1/match-runs/{recommendations.public_id}/").status_code == 404


@pytest.mark.parametrize("role", [Role.ANALYST, Role.EMBASSY_OFFICER, Role.JOB_SEEKER])
def test_matching_needs_the_right(role, vacancy):
    client = APIClient()
    client.force_authenticate(UserFactory(role=role))
    assert client.post(f"/api/v1/vacancies/{vacancy.pk}/shortlists/").status_code == 403
    assert client.get("/api/v1/matching/weights/").status_code == 403
    assert not MatchRun.objects.exists()


def test_anonymous_callers_are_refused():
    assert APIClient().get("/api/v1/me/recommendations/").status_code in (401, 403)


def test_a_job_seeker_reads_their_own_recommendations():
    vacancy = published_vacancy()
    user = UserFactory(job_seeker=True)
    person = candidate(polish="B1", user=user)
    client = APIClient()
    client.force_authenticate(user)
    response = client.get("/api/v1/me/recommendations/")
    assert response.status_code == 200
    body = response.json()
    assert body[0]["vacancy"] == vacancy.pk and body[0]["country"] == "PL"
    assert body[0]["reasons"] and len(body[0]["components"]) == 7
    assert AccessLogEntry.objects.filter(
        actor=user, subject_id=str(person.pk), purpose="self: recommendations"
    ).exists()
    assert not MatchRun.objects.exists()
    staff = APIClient()
    staff.force_authenticate(UserFactory())
    assert staff.get("/api/v1/me/recommendations/").status_code == 403


def test_weights_are_read_and_set_per_scheme(api, officer):
    national = api.get("/api/v1/matching/weights/").json()
    assert national["source"] == "built_in" and national["agreement"] is None
    agreement = AgreementFactory()
    url = f"/api/v1/matching/weights/{agreement.pk}/"
    assert api.get(url).json()["source"] == "built_in"
    response = api.put(url, WEIGHTS, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["source"] == "scheme" and body["weights"]["languages"] == 20
    assert body["updated_by"] == officer.full_name
    assert api.put("/api/v1/matching/weights/", WEIGHTS, format="json").status_code == 200
    other = AgreementFactory()
    assert api.get(f"/api/v1/matching/weights/{other.pk}/").json()["source"] == "national"
    assert api.get("/api/v1/matching/weights/999999/").status_code == 404


@pytest.mark.parametrize(
    "change",
    [{"occupation": -1}, {name: 0 for name in WEIGHTS}],
    ids=["negative", "all zero"],
)
def test_bad_weights_are_refused_with_the_error_format(api, change):
    response = api.put("/api/v1/matching/weights/", WEIGHTS | change, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert not MatchWeights.objects.exists()


def test_the_schema_names_the_matching_operations(client):
    paths = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()["paths"]
    for path in (
        "/api/v1/vacancies/{id}/shortlists/",
        "/api/v1/match-runs/{public_id}/",
        "/api/v1/match-runs/{public_id}/review/",
        "/api/v1/match-score/",
        "/api/v1/me/recommendations/",
        "/api/v1/matching/weights/",
        "/api/v1/matching/weights/{agreement_pk}/",
    ):
        assert path in paths
