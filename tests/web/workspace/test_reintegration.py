"""Reintegration in the workspace: the list with its filters, opening a case by registration
number (POSTed) or from a return referral, the case page with its forms, scoped to the user's
organisation, in both languages, in a fixed number of queries."""

import datetime

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from gza.core.enums import AccessAction, Role
from gza.core.models import AccessLogEntry
from gza.mobility.enums import EarlyReturnReason, ReturnKind
from gza.mobility.models import Return
from gza.reintegration.enums import AssistanceStatus, CaseStatus, ClosureReason, Vulnerability
from gza.reintegration.models import ReintegrationCase
from tests.core.factories import UserFactory
from tests.mobility.protection_factories import PlacementFactory
from tests.registry.factories import JobSeekerFactory
from tests.reintegration.factories import (
    AssistanceItemFactory,
    NeedsAssessmentFactory,
    ReintegrationCaseFactory,
)

pytestmark = pytest.mark.django_db

REQUEST_SAVEPOINT = 2 if connection.settings_dict["ATOMIC_REQUESTS"] else 0
TODAY = timezone.localdate()


def en(name: str, *args) -> str:
    return "/en" + reverse(name, args=args)[3:]


def html_of(response) -> str:
    return response.content.decode()


@pytest.fixture
def caseworker(client):
    user = UserFactory(iom_caseworker=True)
    client.force_login(user)
    return user


# The list --------------------------------------------------------------------------------------


def test_the_list_shows_the_organisations_open_cases_in_a_fixed_number_of_queries(
    client, caseworker, django_assert_num_queries
):
    own = ReintegrationCaseFactory(organisation=caseworker.organisation)
    NeedsAssessmentFactory(case=own, vulnerability=Vulnerability.HIGH)
    other = ReintegrationCaseFactory()
    url = en("workspace:reintegration_case_list")
    client.get(url)  # warms the content-type cache the access log uses
    # The workspace's own (session, user, second factor, organisation, the session saved in a
    # savepoint), the count, the page of cases with their latest vulnerability and next
    # follow-up, and one access-log insert for all the people listed.
    with django_assert_num_queries(11 + REQUEST_SAVEPOINT):
        response = client.get(url)
    html = html_of(response)
    assert own.get_absolute_url()[3:] in html and other.get_absolute_url()[3:] not in html
    assert "overdue" in html and "high" in html
    for _ in range(3):
        ReintegrationCaseFactory(organisation=caseworker.organisation)
    with django_assert_num_queries(11 + REQUEST_SAVEPOINT):
        client.get(url)
    assert AccessLogEntry.objects.filter(actor=caseworker, purpose="reintegration cases").exists()


def test_the_list_filters_by_status_vulnerability_and_overdue_follow_ups(client, caseworker):
    organisation = caseworker.organisation
    overdue = ReintegrationCaseFactory(organisation=organisation)
    NeedsAssessmentFactory(case=overdue, vulnerability=Vulnerability.LOW)
    fresh = ReintegrationCaseFactory(organisation=organisation, just_back=True)
    NeedsAssessmentFactory(case=fresh, vulnerability=Vulnerability.HIGH)
    closed = ReintegrationCaseFactory(
        organisation=organisation, status=CaseStatus.CLOSED, closed_on=TODAY
    )
    url = reverse("workspace:reintegration_case_list")

    def listed(**params) -> set[str]:
        html = html_of(client.get(url, params))
        return {
            name
            for name, case in [("overdue", overdue), ("fresh", fresh), ("closed", closed)]
            if case.get_absolute_url() in html
        }

    assert listed() == {"overdue", "fresh"}
    assert listed(status="all") == {"overdue", "fresh", "closed"}
    assert listed(status="closed") == {"closed"}
    assert listed(vulnerability="high") == {"fresh"}
    assert listed(overdue="1") == {"overdue"}


# Opening ---------------------------------------------------------------------------------------


def test_a_case_is_opened_by_registration_number_posted_never_in_the_url(client, caseworker):
    person = JobSeekerFactory(registered_by_organisation=caseworker.organisation)
    url = reverse("workspace:reintegration_case_open")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "registration_number": person.registration_number,
            "returned_from": "DE",
            "returned_on": "2026-09-01",
            "organisation": caseworker.organisation.pk,
        },
    )
    case = ReintegrationCase.objects.get()
    assert response.status_code == 302 and response.url == case.get_absolute_url()
    assert person.registration_number not in response.url
    assert (case.job_seeker, case.returned_from_id, case.follow_ups.count()) == (person, "DE", 3)


def test_an_unregistered_returnee_is_sent_to_registration_first(client, caseworker):
    response = client.post(
        en("workspace:reintegration_case_open"),
        {
            "registration_number": "1234567897",
            "returned_from": "DE",
            "returned_on": "2026-09-01",
            "organisation": caseworker.organisation.pk,
        },
    )
    html = html_of(response)
    assert response.status_code == 400
    assert "Register the person first" in html or "not a registration number" in html
    assert not ReintegrationCase.objects.exists()


def test_an_ngo_caseworker_cannot_open_a_case_for_another_organisation(client, caseworker):
    other = UserFactory(iom_caseworker=True).organisation
    person = JobSeekerFactory(registered_by_organisation=caseworker.organisation)
    response = client.post(
        reverse("workspace:reintegration_case_open"),
        {
            "registration_number": person.registration_number,
            "returned_from": "DE",
            "returned_on": "2026-09-01",
            "organisation": other.pk,
        },
    )
    assert response.status_code == 400 and not ReintegrationCase.objects.exists()


# The case page ---------------------------------------------------------------------------------


def test_another_organisations_case_is_a_404(client, caseworker):
    other = ReintegrationCaseFactory()
    assert client.get(other.get_absolute_url()).status_code == 404
    post = reverse("workspace:reintegration_case_close", args=[other.public_id])
    assert client.post(post, {"reason": "declined"}).status_code == 404
    assert ReintegrationCase.objects.get().status == CaseStatus.OPEN


def test_the_case_page_shows_everything_in_a_fixed_number_of_queries(
    client, caseworker, django_assert_num_queries
):
    case = ReintegrationCaseFactory(organisation=caseworker.organisation, back_a_year=True)
    NeedsAssessmentFactory(case=case, notes="Owes the recruiter money.")
    AssistanceItemFactory(case=case)
    case.follow_ups.filter(month=3).update(done_on=TODAY, economic=40, social=50, psychosocial=60)
    case.follow_ups.filter(month=6).update(done_on=TODAY, economic=60, social=70, psychosocial=80)
    url = en("workspace:reintegration_case", case.public_id)
    client.get(url)  # warms the content-type cache the access log uses
    # The workspace's own, the case, the access log, the assessments, the plan, the follow-ups
    # and whether the person's registry record is in the user's scope.
    with django_assert_num_queries(14 + REQUEST_SAVEPOINT):
        response = client.get(url)
    html = html_of(response)
    assert "Owes the recruiter money." in html
    assert "Business grant" in html and "3,000.00 GEL" in html
    assert "50.0" in html and "70.0" in html and "+20.0" in html
    assert "Record the 12-month follow-up" in html
    for _ in range(3):
        AssistanceItemFactory(case=case)
        NeedsAssessmentFactory(case=case)
    with django_assert_num_queries(14 + REQUEST_SAVEPOINT):
        client.get(url)
    assert AccessLogEntry.objects.filter(
        actor=caseworker, action=AccessAction.VIEW, purpose="reintegration"
    ).exists()
    georgian = html_of(client.get(case.get_absolute_url()))
    assert "ბიზნეს" in georgian or "Business grant" in georgian


def test_forms_on_the_case_page_record_and_refuse_with_the_reason(client, caseworker):
    case = ReintegrationCaseFactory(organisation=caseworker.organisation)
    detail = case.get_absolute_url()
    assessment = reverse("workspace:reintegration_assessment_add", args=[case.public_id])
    assert client.get(assessment).url == detail
    response = client.post(
        assessment,
        {
            "assessed_on": str(TODAY),
            "economic": "3",
            "social": "0",
            "psychosocial": "2",
            "medical": "1",
            "vulnerability": "high",
        },
    )
    assert response.status_code == 302 and case.assessments.get().economic == 3
    plan = reverse("workspace:reintegration_plan_add", args=[case.public_id])
    bad = client.post(
        "/en" + plan[3:], {"kind": "business_grant", "provider": "IOM", "amount": "500"}
    )
    assert bad.status_code == 400 and "Give the currency" in html_of(bad)
    client.post(
        plan, {"kind": "business_grant", "provider": "IOM", "amount": "500", "currency": "GEL"}
    )
    line = case.plan.get()
    move = reverse("workspace:reintegration_plan_move", args=[case.public_id, line.pk])
    client.post(move, {"status": AssistanceStatus.DELIVERED})
    line.refresh_from_db()
    assert line.status == AssistanceStatus.DELIVERED
    follow_up = reverse("workspace:reintegration_follow_up", args=[case.public_id, 3])
    bad = client.post(
        "/en" + follow_up[3:],
        {
            "follow_up_3-done_on": str(TODAY),
            "follow_up_3-economic": "140",
            "follow_up_3-social": "50",
            "follow_up_3-psychosocial": "50",
        },
    )
    assert bad.status_code == 400 and "from 0 to 100" in html_of(bad)
    close = reverse("workspace:reintegration_case_close", args=[case.public_id])
    refused = client.post(
        "/en" + close[3:], {"reason": ClosureReason.SUSTAINABLE, "closed_on": str(TODAY)}
    )
    assert refused.status_code == 400 and "is not done" in html_of(refused)
    client.post(close, {"reason": ClosureReason.LOST_CONTACT, "closed_on": str(TODAY)})
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    closed_page = html_of(client.get("/en" + detail[3:]))
    assert "Close the case" not in closed_page and "contact lost" in closed_page


def test_a_return_referral_waits_on_the_open_page_and_opens_a_case_prefilled(client):
    officer = UserFactory(role=Role.MINISTRY_OFFICER)
    client.force_login(officer)
    url = en("workspace:reintegration_case_open")
    assert "No return waits for a case." in html_of(client.get(url))
    placement = PlacementFactory()
    Return.objects.create(
        placement=placement,
        kind=ReturnKind.EARLY,
        reason=EarlyReturnReason.EXPLOITATION,
        returned_on=datetime.date(2026, 7, 1),
        referred_to_reintegration=True,
        recorded_by=officer,
    )
    listed = html_of(client.get(url))
    assert f"?placement={placement.public_id}" in listed
    prefilled = html_of(client.get(url, {"placement": str(placement.public_id)}))
    assert "Registration number" not in prefilled and 'value="2026-07-01"' in prefilled
    ngo = UserFactory(iom_caseworker=True).organisation
    response = client.post(
        url,
        {
            "placement": str(placement.public_id),
            "returned_from": placement.country_id,
            "returned_on": "2026-07-01",
            "organisation": ngo.pk,
        },
    )
    case = ReintegrationCase.objects.get()
    assert response.status_code == 302
    assert (case.placement, case.job_seeker, case.organisation) == (
        placement,
        placement.job_seeker,
        ngo,
    )
    assert "No return waits for a case." in html_of(client.get(url))


def test_people_without_the_right_are_refused(client):
    client.force_login(UserFactory(embassy_officer=True))
    assert client.get(reverse("workspace:reintegration_case_list")).status_code == 403
    client.force_login(UserFactory(role=Role.ANALYST))
    assert client.get(reverse("workspace:reintegration_case_open")).status_code == 403


def test_the_overdue_flag_is_not_shown_on_closed_cases(client, caseworker):
    case = ReintegrationCaseFactory(
        organisation=caseworker.organisation,
        status=CaseStatus.CLOSED,
        closed_on=TODAY,
        closure_reason=ClosureReason.LOST_CONTACT,
        returned_on=TODAY - datetime.timedelta(days=200),
    )
    html = html_of(client.get(en("workspace:reintegration_case", case.public_id)))
    assert "overdue" not in html
