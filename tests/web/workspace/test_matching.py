"""Matching in the workspace: a vacancy's shortlists and the "Run matching" button, a run's
page (explained scores, the review, the access log), the weights per scheme with their preview,
scoped to what the user may see, in both languages, in a fixed number of queries."""

import pytest
from django.db import connection
from django.urls import reverse

from gza.core.enums import AccessAction, Role
from gza.core.models import AccessLogEntry
from gza.matching import engine
from gza.matching.enums import Direction, EntryDecision, RunStatus, RunTrigger
from gza.matching.models import MatchRun, MatchWeights
from gza.matching.runs import RunRefusal, review_run, run_shortlist
from tests.core.factories import UserFactory
from tests.matching.run_factories import (
    MatchRunEntryFactory,
    MatchRunFactory,
    candidate,
    published_vacancy,
)
from tests.partners.factories import AgreementFactory
from tests.registry.factories import JobSeekerFactory

pytestmark = pytest.mark.django_db

REQUEST_SAVEPOINT = 2 if connection.settings_dict["ATOMIC_REQUESTS"] else 0
WEIGHTS = {
    "occupation": "40",
    "skills": "10",
    "languages": "20",
    "experience": "10",
    "education": "5",
    "availability": "10",
    "country": "5",
}


def en(name: str, *args) -> str:
    """The English page's address (the language is in the path)."""
    return "/en" + reverse(name, args=args)[3:]


@pytest.fixture(autouse=True)
def _fresh_index():
    engine.invalidate()


@pytest.fixture
def officer(client):
    user = UserFactory()
    client.force_login(user)
    return user


@pytest.fixture
def vacancy():
    return published_vacancy()


@pytest.fixture
def people():
    return [candidate(years=5, polish="B2"), candidate(years=1), candidate(occupation="7212")]


def html_of(response) -> str:
    return response.content.decode()


# The vacancy page and its shortlists -----------------------------------------------------------


def test_the_vacancy_page_links_to_its_shortlists_for_those_who_run_matching(client, vacancy):
    url = reverse("workspace:vacancy_detail", args=[vacancy.pk])
    shortlists = reverse("workspace:vacancy_shortlists", args=[vacancy.pk])
    client.force_login(UserFactory(role=Role.CASEWORKER))
    assert shortlists in html_of(client.get(url))
    client.force_login(UserFactory(embassy_officer=True, organisation__country_id="PL"))
    response = client.get(url)
    assert response.status_code == 200 and shortlists not in html_of(response)


def test_running_matching_stores_a_run_and_opens_it(client, officer, vacancy, people):
    url = reverse("workspace:vacancy_shortlists", args=[vacancy.pk])
    response = client.post(url, {"limit": "2"})
    run = MatchRun.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("workspace:match_run", args=[run.public_id])
    assert (run.trigger, run.requested_by, run.entries.count()) == (
        RunTrigger.MANUAL,
        officer,
        2,
    )
    bad = client.post(url, {"limit": "0"})
    assert bad.status_code == 200 and MatchRun.objects.count() == 1


def test_the_runs_of_a_vacancy_list_in_a_fixed_number_of_queries(
    client, officer, vacancy, django_assert_num_queries
):
    url = en("workspace:vacancy_shortlists", vacancy.pk)
    MatchRunEntryFactory(run=MatchRunFactory(vacancy=vacancy, requested_by=officer))
    # The workspace's own (session, user, second factor, organisation, the session saved in a
    # savepoint), the vacancy, the count and the page of runs with their line counts.
    with django_assert_num_queries(10 + REQUEST_SAVEPOINT):
        response = client.get(url)
    for _ in range(3):
        MatchRunEntryFactory(run=MatchRunFactory(vacancy=vacancy, status=RunStatus.SUPERSEDED))
    with django_assert_num_queries(10 + REQUEST_SAVEPOINT):
        response = client.get(url)
    html = html_of(response)
    assert "Run matching" in html and "Superseded by a newer run" in html
    assert officer.full_name in html
    assert html.count(reverse("workspace:match_run", args=[MatchRun.objects.first().public_id]))


def test_the_shortlists_waiting_for_review_are_listed_in_a_fixed_number_of_queries(
    client, officer, django_assert_num_queries
):
    waiting = MatchRunFactory()
    reviewed = MatchRunFactory(status=RunStatus.REVIEWED)
    url = en("workspace:match_run_list")
    # The workspace's own, the count and the page of runs with their vacancies.
    with django_assert_num_queries(9 + REQUEST_SAVEPOINT):
        response = client.get(url)
    html = html_of(response)
    assert reverse("workspace:match_run", args=[waiting.public_id])[3:] in html
    assert reverse("workspace:match_run", args=[reviewed.public_id])[3:] not in html
    for _ in range(3):
        MatchRunEntryFactory(run=MatchRunFactory())
    with django_assert_num_queries(9 + REQUEST_SAVEPOINT):
        client.get(url)
    everything = html_of(client.get(url, {"status": "all"}))
    assert reverse("workspace:match_run", args=[reviewed.public_id])[3:] in everything


# A run's page ----------------------------------------------------------------------------------


def test_a_run_explains_every_score_and_logs_who_was_shown(client, officer, vacancy, people):
    run = run_shortlist(vacancy, actor=officer)
    response = client.get(en("workspace:match_run", run.public_id))
    html = html_of(response)
    assert response.status_code == 200
    assert "Shortlist for" in html and "waits for review" in html
    for entry in run.entries.all():
        assert entry.job_seeker.registration_number in html
        assert entry.job_seeker.display_name not in ("",)
        assert f"{entry.score:.2f}" in html
    scored, _failures = engine.explain(people[0], vacancy)
    for component in scored.components:
        assert str(component.detail) in html or component.detail == ""
    assert "Record the review" in html
    logged = AccessLogEntry.objects.filter(
        actor=officer, action=AccessAction.VIEW, purpose="shortlist"
    )
    assert set(logged.values_list("subject_id", flat=True)) == {str(p.pk) for p in people}


def test_a_run_page_takes_a_fixed_number_of_queries_however_long(
    client, officer, django_assert_num_queries
):
    run = MatchRunFactory()
    MatchRunEntryFactory(run=run)
    url = en("workspace:match_run", run.public_id)
    client.get(url)  # content types cached, as in a running server
    # The workspace's own (session, user, second factor, organisation, session save), the
    # run, the vacancy's scope, the lines, their count and the access log (one insert).
    with django_assert_num_queries(12 + REQUEST_SAVEPOINT):
        client.get(url)
    for _ in range(5):
        MatchRunEntryFactory(run=run)
    with django_assert_num_queries(12 + REQUEST_SAVEPOINT):
        response = client.get(url)
    assert html_of(response).count("Same unit group (9211)") == 6
    assert html_of(response).count("Not known from the profile: age") == 6


def test_the_review_keeps_and_excludes_with_reasons_and_names_the_reviewer(
    client, officer, vacancy, people
):
    run = run_shortlist(vacancy, actor=officer)
    first, second, third = run.entries.order_by("rank")
    url = en("workspace:match_run", run.public_id)
    decisions = {
        f"decision_{first.pk}": "kept",
        f"decision_{second.pk}": "kept",
        f"decision_{third.pk}": "excluded",
    }
    refused = client.post(url, decisions | {"note": "Called everyone"})
    assert refused.status_code == 400
    assert str(RunRefusal.REASON_REQUIRED) in html_of(refused)
    run.refresh_from_db()
    assert run.status == RunStatus.TO_REVIEW

    response = client.post(
        url, decisions | {f"reason_{third.pk}": "Not reachable", "note": "Called everyone"}
    )
    assert response.status_code == 302
    run.refresh_from_db()
    assert (run.status, run.reviewed_by, run.review_note) == (
        RunStatus.REVIEWED,
        officer,
        "Called everyone",
    )
    third.refresh_from_db()
    assert (third.decision, third.decision_reason) == (EntryDecision.EXCLUDED, "Not reachable")
    page = html_of(client.get(url))
    assert f"Reviewed by {officer.full_name}" in page
    assert "Not reachable" in page and "Record the review" not in page

    again = client.post(url, decisions | {f"reason_{third.pk}": "x"}, follow=True)
    assert str(RunRefusal.ALREADY_REVIEWED) in html_of(again)


def test_a_line_without_a_decision_is_marked(client, officer, vacancy, people):
    run = run_shortlist(vacancy, actor=officer)
    first = run.entries.order_by("rank").first()
    response = client.post(en("workspace:match_run", run.public_id), {})
    assert response.status_code == 400
    assert html_of(response).count(str(RunRefusal.DECISION_MISSING)) == 3
    assert f'name="decision_{first.pk}"' in html_of(response)


def test_a_superseded_run_says_so_and_offers_no_review(client, officer, vacancy, people):
    old = run_shortlist(vacancy, actor=officer)
    run_shortlist(vacancy, actor=officer)
    html = html_of(client.get(en("workspace:match_run", old.public_id)))
    assert "A newer run has replaced this one" in html and "Record the review" not in html


def test_a_reviewed_run_is_shown_in_georgian(client, officer, vacancy, people):
    run = run_shortlist(vacancy, actor=officer)
    review_run(
        run,
        actor=officer,
        decisions={e.pk: (EntryDecision.KEPT, "") for e in run.entries.all()},
    )
    response = client.get(reverse("workspace:match_run", args=[run.public_id]))
    assert response.status_code == 200
    html = html_of(response)
    assert '<html lang="ka">' in html and officer.full_name in html


# Scope ---------------------------------------------------------------------------------------


def test_people_outside_the_users_remit_are_not_shown_and_the_run_is_not_reviewable(
    client, vacancy, people
):
    iom = UserFactory(iom_caseworker=True)
    own = candidate(registered_by_organisation=iom.organisation)
    run = run_shortlist(vacancy, actor=UserFactory())
    client.force_login(iom)
    html = html_of(client.get(en("workspace:match_run", run.public_id)))
    assert own.registration_number in html
    for person in people:
        assert person.registration_number not in html
    assert "3 people on this list are outside your remit" in html
    assert "Record the review" not in html
    logged = AccessLogEntry.objects.filter(actor=iom)
    assert list(logged.values_list("subject_id", flat=True)) == [str(own.pk)]


def test_a_run_about_a_person_outside_scope_is_not_found(client):
    outsider = JobSeekerFactory()
    run = MatchRunFactory(direction=Direction.RECOMMENDATIONS, vacancy=None, job_seeker=outsider)
    client.force_login(UserFactory(iom_caseworker=True))
    assert client.get(reverse("workspace:match_run", args=[run.public_id])).status_code == 404
    client.force_login(UserFactory())
    assert client.get(reverse("workspace:match_run", args=[run.public_id])).status_code == 200


def test_unknown_runs_and_vacancies_are_not_found(client, officer):
    import uuid

    assert client.get(reverse("workspace:match_run", args=[uuid.uuid4()])).status_code == 404
    assert client.get(reverse("workspace:vacancy_shortlists", args=[999999])).status_code == 404


@pytest.mark.parametrize("role", [Role.ANALYST, Role.EMBASSY_OFFICER, Role.EMPLOYER])
def test_those_without_the_right_get_no_matching_pages(client, role, vacancy):
    run = MatchRunFactory(vacancy=vacancy)
    client.force_login(UserFactory(role=role))
    for url in (
        reverse("workspace:vacancy_shortlists", args=[vacancy.pk]),
        reverse("workspace:match_run", args=[run.public_id]),
        reverse("workspace:matching_weights"),
    ):
        assert client.get(url).status_code == 403


# Weights ---------------------------------------------------------------------------------------


def test_the_weights_page_lists_the_national_default_and_each_scheme(client, officer):
    agreement = AgreementFactory(title_en="Seasonal work pilot")
    response = client.get(en("workspace:matching_weights"))
    html = html_of(response)
    assert "National default" in html and "built in" in html
    assert "Seasonal work pilot" in html and "uses the national default" in html
    assert reverse("workspace:matching_weights_edit", args=[agreement.pk])[3:] in html
    client.force_login(UserFactory(role=Role.CASEWORKER))
    assert client.get(en("workspace:matching_weights")).status_code == 403


def test_the_weights_page_takes_a_fixed_number_of_queries(
    client, officer, django_assert_num_queries
):
    AgreementFactory()
    url = en("workspace:matching_weights")
    # The workspace's own, the national row, the schemes' own rows, the agreements.
    with django_assert_num_queries(10 + REQUEST_SAVEPOINT):
        client.get(url)
    for _ in range(3):
        agreement = AgreementFactory()
    MatchWeights.objects.create(agreement=agreement, languages=50)
    with django_assert_num_queries(10 + REQUEST_SAVEPOINT):
        html = html_of(client.get(url))
    assert ">50<" in html


def test_weights_are_saved_for_a_scheme(client, officer):
    agreement = AgreementFactory()
    url = en("workspace:matching_weights_edit", agreement.pk)
    assert client.get(url).status_code == 200
    response = client.post(url, WEIGHTS | {"save": ""})
    assert response.status_code == 302
    saved = MatchWeights.objects.get(agreement=agreement)
    assert saved.as_dict()["languages"] == 20 and saved.updated_by == officer
    national = client.post(
        en("workspace:matching_weights_edit", "national"), WEIGHTS | {"save": ""}
    )
    assert national.status_code == 302
    assert MatchWeights.objects.filter(agreement__isnull=True).exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"occupation": "-1"}, "A weight is a whole number from 0 to 100."),
        ({"skills": "2.5"}, "A weight is a whole number from 0 to 100."),
        ({name: "0" for name in WEIGHTS}, "At least one weight must be above zero."),
    ],
    ids=["negative", "not whole", "all zero"],
)
def test_bad_weights_get_a_clear_message_and_nothing_is_stored(client, officer, change, message):
    url = en("workspace:matching_weights_edit", "national")
    response = client.post(url, WEIGHTS | change | {"save": ""})
    assert response.status_code == 400
    assert message in html_of(response)
    assert not MatchWeights.objects.exists()


def test_the_preview_shows_how_the_top_20_would_move_and_stores_nothing(client, officer):
    agreement = AgreementFactory()
    vacancy = published_vacancy(agreement=agreement)
    linguist = candidate(occupation="7212", polish="C1")
    picker = candidate(years=3)
    from gza.demand.models import VacancyLanguage

    VacancyLanguage.objects.create(vacancy=vacancy, language_id="pl", min_level_id="B1")
    url = en("workspace:matching_weights_edit", agreement.pk)
    languages_only = {name: "0" for name in WEIGHTS} | {"languages": "100"}
    response = client.post(url, languages_only | {"vacancy": vacancy.pk, "preview": ""})
    html = html_of(response)
    assert response.status_code == 200
    assert "Preview: the top 20" in html
    rows = engine.preview(vacancy, {k: int(v) for k, v in languages_only.items()})
    assert rows[0].job_seeker_id == linguist.pk
    moved = next(r for r in rows if r.job_seeker_id == linguist.pk)
    assert moved.rank_before == 2 and moved.rank_after == 1
    assert "up 1 place" in html and "down 1 place" in html
    assert html.index(linguist.registration_number) < html.index(picker.registration_number)
    assert not MatchWeights.objects.exists()
    logged = AccessLogEntry.objects.filter(purpose="matching weights preview")
    assert set(logged.values_list("subject_id", flat=True)) == {str(linguist.pk), str(picker.pk)}


def test_the_preview_needs_a_vacancy_of_the_scheme(client, officer):
    agreement = AgreementFactory()
    published_vacancy(agreement=agreement)
    other = published_vacancy()
    url = en("workspace:matching_weights_edit", agreement.pk)
    missing = client.post(url, WEIGHTS | {"preview": ""})
    assert "Choose a vacancy to preview." in html_of(missing)
    outside = client.post(url, WEIGHTS | {"vacancy": other.pk, "preview": ""})
    assert outside.status_code == 400
    assert "Preview: the top 20" not in html_of(outside)
