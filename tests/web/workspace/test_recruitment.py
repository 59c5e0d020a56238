"""Applications and selection in the workspace: the officer's list and moves, the employer's
pseudonymous view until consent and selection, starting from a reviewed shortlist, selection
rounds drawn, audited and published; scoping and access logging; fixed query counts."""

import pytest
from django.urls import reverse

from gza.core.enums import Role
from gza.core.models import AccessLogEntry
from gza.demand.enums import SelectionMethod
from gza.matching import engine
from gza.matching.enums import EntryDecision, RunStatus
from gza.recruitment.enums import RoundStatus, Stage
from gza.recruitment.models import Application, SelectionRound
from gza.recruitment.selection import round_draw
from tests.core.factories import UserFactory
from tests.matching.run_factories import MatchRunEntryFactory, MatchRunFactory
from tests.recruitment.factories import (
    ApplicationFactory,
    applicant,
    employer_user,
    sharing_with_employers,
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


def url(name, **kwargs):
    return reverse(f"workspace:{name}", kwargs=kwargs)


def test_the_officer_lists_a_vacancys_applications_with_names_and_logs_the_view(
    client, officer, vacancy
):
    applications = [ApplicationFactory(vacancy=vacancy) for _ in range(3)]
    client.force_login(officer)
    response = client.get(url("vacancy_applications", pk=vacancy.pk))
    assert response.status_code == 200
    page = response.content.decode()
    for application in applications:
        assert application.job_seeker.registration_number in page
        assert application.job_seeker.last_name in page
    assert AccessLogEntry.objects.filter(actor=officer, purpose="applications").count() == 3


def test_the_applications_list_has_a_fixed_query_count(
    client, officer, vacancy, django_assert_num_queries
):
    ApplicationFactory(vacancy=vacancy)
    client.force_login(officer)
    client.get(url("vacancy_applications", pk=vacancy.pk))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url("vacancy_applications", pk=vacancy.pk))
    for _ in range(4):
        ApplicationFactory(vacancy=vacancy)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(url("vacancy_applications", pk=vacancy.pk))


def test_the_employer_sees_no_identity_until_consent_and_selection(client, vacancy):
    screened = ApplicationFactory(vacancy=vacancy, screening=True)
    sharing_with_employers(screened.job_seeker)
    selected_without_consent = ApplicationFactory(vacancy=vacancy, selected=True)
    chosen = ApplicationFactory(vacancy=vacancy, selected=True)
    sharing_with_employers(chosen.job_seeker)
    waiting = ApplicationFactory(vacancy=vacancy)  # not screened yet: not shown
    for application in (screened, selected_without_consent, chosen):
        application.job_seeker.phone = "+995555123456"
        application.job_seeker.save()
    employer = employer_user(vacancy)
    client.force_login(employer)
    page = client.get(url("vacancy_applications", pk=vacancy.pk)).content.decode()
    for hidden in (screened, selected_without_consent):
        assert hidden.job_seeker.registration_number in page
        assert hidden.job_seeker.last_name not in page
        assert hidden.job_seeker.last_name_latin not in page
    assert chosen.job_seeker.last_name in page
    assert "+995555123456" in page
    assert page.count("+995555123456") == 1
    assert waiting.job_seeker.registration_number not in page
    for person in (screened, selected_without_consent, chosen):
        assert person.job_seeker.personal_number not in page
    assert (
        AccessLogEntry.objects.filter(actor=employer, purpose="employer: applicants").count() == 3
    )


def test_the_employer_selects_from_the_application_page(client, vacancy):
    application = ApplicationFactory(vacancy=vacancy, interview=True)
    employer = employer_user(vacancy)
    client.force_login(employer)
    page = url("application_detail", public_id=application.public_id)
    response = client.get(page)
    content = response.content.decode()
    assert application.job_seeker.last_name not in content
    assert 'value="select"' in content and 'value="reject"' in content
    response = client.post(
        page,
        {"transition": "select", "as_": "employer", "expected_stage": "interview", "note": ""},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.stage == Stage.SELECTED


def test_another_employer_gets_a_404(client, vacancy):
    application = ApplicationFactory(vacancy=vacancy, screening=True)
    client.force_login(employer_user(vacancy_with_employer_account()))
    assert client.get(url("vacancy_applications", pk=vacancy.pk)).status_code == 404
    assert client.get(url("application_detail", public_id=application.public_id)).status_code == 404


def test_an_illegal_move_shows_the_refusal_naming_the_stage(client, officer):
    application = ApplicationFactory(interview=True)
    client.force_login(officer)
    response = client.post(
        "/en" + url("application_detail", public_id=application.public_id)[3:],
        {"transition": "depart", "as_": "officer", "expected_stage": "interview"},
        follow=True,
    )
    assert (
        "This application is at the stage “interview”: it cannot be moved to “departed”."
        in response.content.decode()
    )
    application.refresh_from_db()
    assert application.stage == Stage.INTERVIEW


def test_a_stale_page_is_refused_in_english(client, officer):
    application = ApplicationFactory(screening=True)
    client.force_login(officer)
    response = client.post(
        "/en" + url("application_detail", public_id=application.public_id)[3:],
        {"transition": "interview", "as_": "officer", "expected_stage": "applied"},
        follow=True,
    )
    assert "Someone else moved this application meanwhile" in response.content.decode()
    application.refresh_from_db()
    assert application.stage == Stage.SCREENING


def test_starting_applications_from_a_reviewed_shortlist(client, officer, vacancy):
    run = MatchRunFactory(vacancy=vacancy, status=RunStatus.REVIEWED)
    kept = MatchRunEntryFactory(run=run, job_seeker=applicant(), decision=EntryDecision.KEPT)
    MatchRunEntryFactory(run=run, job_seeker=applicant(), decision=EntryDecision.EXCLUDED)
    client.force_login(officer)
    page = client.get(url("vacancy_applications", pk=vacancy.pk)).content.decode()
    assert url("shortlist_applications", public_id=run.public_id) in page
    response = client.post(url("shortlist_applications", public_id=run.public_id))
    assert response.status_code == 302
    assert list(Application.objects.values_list("job_seeker", "stage")) == [
        (kept.job_seeker_id, Stage.SHORTLISTED)
    ]


def test_drawing_and_publishing_a_lottery_from_the_workspace(client, officer, vacancy):
    applications = [ApplicationFactory(vacancy=vacancy) for _ in range(6)]
    client.force_login(officer)
    response = client.post(url("vacancy_rounds", pk=vacancy.pk), {"places": 2})
    selection_round = SelectionRound.objects.get()
    assert response.status_code == 302
    assert response.url == selection_round.get_absolute_url()
    page = client.get(response.url).content.decode()
    assert selection_round.seed in page
    assert applications[0].job_seeker.registration_number in page
    response = client.post(url("round_publish", public_id=selection_round.public_id))
    selection_round.refresh_from_db()
    assert selection_round.status == RoundStatus.PUBLISHED
    stages = sorted(Application.objects.values_list("stage", flat=True))
    assert stages.count(Stage.SELECTED) == 2 and stages.count(Stage.WAITLISTED) == 4
    # The draw form is gone: the round is final.
    page = client.get(url("vacancy_rounds", pk=vacancy.pk)).content.decode()
    assert 'name="places"' not in page


def test_the_round_page_shows_flags(client, officer, vacancy):
    for _ in range(5):
        ApplicationFactory(vacancy=vacancy)
    selection_round = round_draw(actor=officer, vacancy=vacancy, places=2)
    selection_round.audit["sex"]["m"] = {
        "eligible": 6,
        "selected": 0,
        "rate": 0.0,
        "judged": True,
        "flagged": True,
    }
    selection_round.save()
    client.force_login(officer)
    response = client.get("/en" + url("selection_round", public_id=selection_round.public_id)[3:])
    assert "below 0.8 of the best" in response.content.decode()


def test_caseworkers_manage_applications_but_do_not_draw(client, vacancy):
    caseworker = UserFactory(role=Role.CASEWORKER)
    client.force_login(caseworker)
    assert client.get(url("vacancy_applications", pk=vacancy.pk)).status_code == 200
    assert client.get(url("vacancy_rounds", pk=vacancy.pk)).status_code == 403
