import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from gza.core.enums import AccessAction, AuditVerb, OrganisationKind, Role
from gza.core.models import AccessLogEntry, AuditEvent
from gza.mobility.enums import ChecklistItem, PlacementStatus
from gza.mobility.models import Attendance, Placement
from gza.mobility.services import attendance_mark
from gza.recruitment.enums import Stage
from gza.registry.models import WorkExperience
from tests.core.factories import OrganisationFactory, UserFactory
from tests.mobility.factories import (
    AttendanceFactory,
    DepartingApplicationFactory,
    OrientationSessionFactory,
)
from tests.mobility.protection_factories import PlacementFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_pre_departure_page_shows_the_checklist_and_records_an_item(client):
    application = DepartingApplicationFactory(pre_departure=True)
    officer = UserFactory()
    client.force_login(officer)
    url = f"/en/workspace/applications/{application.public_id}/pre-departure/"
    html = client.get(url).content.decode()
    assert "Every item must be done before departure." in html
    assert html.count("not done") == 5
    assert AccessLogEntry.objects.filter(
        actor=officer, action=AccessAction.VIEW, purpose="pre-departure"
    ).exists()
    response = client.post(
        url, {"item": ChecklistItem.CONTRACT, "done_on": TODAY.isoformat(), "language": "pl"}
    )
    assert response.status_code == 400
    assert "which the worker does not speak at B1 or above" in response.content.decode()
    response = client.post(
        url, {"item": ChecklistItem.CONTRACT, "done_on": TODAY.isoformat(), "language": "ka"}
    )
    assert response.status_code == 302
    assert application.checklist.get().language_id == "ka"


def test_the_georgian_pre_departure_page_renders(client):
    application = DepartingApplicationFactory(ready=True)
    client.force_login(UserFactory())
    response = client.get(f"/ka/workspace/applications/{application.public_id}/pre-departure/")
    assert response.status_code == 200
    assert reverse("workspace:placement_create", args=[application.public_id]) in (
        response.content.decode()
    )


def test_an_application_outside_scope_is_a_404(client):
    application = DepartingApplicationFactory(pre_departure=True)
    client.force_login(UserFactory(embassy_officer=True))  # France; the vacancy is in Poland
    url = f"/en/workspace/applications/{application.public_id}/pre-departure/"
    assert client.get(url).status_code == 404


def test_an_officer_invites_to_a_session_and_marks_attendance_with_a_certificate(client):
    application = DepartingApplicationFactory(pre_departure=True)
    upcoming = OrientationSessionFactory(upcoming=True)
    officer = UserFactory()
    client.force_login(officer)
    response = client.post(
        f"/en/workspace/applications/{application.public_id}/pre-departure/invite/",
        {"session": upcoming.pk},
    )
    assert response.status_code == 302
    assert Attendance.objects.filter(session=upcoming, application=application).exists()
    held = AttendanceFactory()
    detail = client.get(f"/en/workspace/orientation/{held.session_id}/").content.decode()
    assert held.application.job_seeker.display_name in detail
    response = client.post(f"/en/workspace/orientation/attendances/{held.pk}/", {"attended": "yes"})
    assert response.status_code == 302
    held.refresh_from_db()
    assert held.certificate_code
    pdf = client.get(f"/en/workspace/orientation/certificates/{held.pk}.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert held.certificate_code[:5] in text
    assert AuditEvent.objects.filter(verb=AuditVerb.EXPORTED, actor=officer).exists()


def test_attendance_is_marked_by_post_only(client):
    client.force_login(UserFactory())
    attendance = AttendanceFactory()
    assert client.get(f"/en/workspace/orientation/attendances/{attendance.pk}/").status_code == 405


def test_a_caseworker_creates_a_session_for_their_organisation(client):
    caseworker = UserFactory(iom_caseworker=True)
    client.force_login(caseworker)
    assert "organisation" not in client.get("/en/workspace/orientation/new/").context["form"].fields
    starts = (timezone.localtime() + datetime.timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        "/en/workspace/orientation/new/",
        {"starts_at": starts, "online": "on", "topics_ka": "უფლებები", "capacity": "30"},
    )
    assert response.status_code == 302
    session = caseworker.organisation.orientation_sessions.get()
    assert session.online and session.created_by == caseworker
    # Another organisation's caseworker cannot edit it.
    client.force_login(UserFactory(iom_caseworker=True))
    assert client.get(f"/en/workspace/orientation/{session.pk}/edit/").status_code == 404


def test_a_session_needs_a_place_or_online(client):
    client.force_login(UserFactory())
    starts = (timezone.localtime() + datetime.timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        "/en/workspace/orientation/new/",
        {"starts_at": starts, "topics_ka": "x", "organisation": OrganisationFactory().pk},
    )
    assert response.status_code == 400
    assert "Give the place, or tick “online”." in response.content.decode()


def test_the_placement_form_records_the_departure_and_warns_near_the_quota(client):
    application = DepartingApplicationFactory(ready=True)
    client.force_login(UserFactory())
    url = f"/en/workspace/applications/{application.public_id}/placement/"
    form = client.get(url)
    assert form.context["form"].initial["pay_currency"] == "PLN"
    data = {
        "departure_date": (TODAY - datetime.timedelta(days=1)).isoformat(),
        "contract_start": (TODAY - datetime.timedelta(days=2)).isoformat(),
        "contract_end": (TODAY + datetime.timedelta(days=90)).isoformat(),
        "pay_amount": "23.50",
        "pay_currency": "PLN",
        "pay_period": "hour",
        "hours_per_week": "40",
        "housing_provided": "on",
        "housing_cost": "400",
        "deductions": "",
        "city": "Grójec",
    }
    refused = client.post(url, data)
    assert refused.status_code == 400
    assert "The contract cannot start (" in refused.content.decode()
    data["contract_start"] = TODAY.isoformat()
    response = client.post(url, data)
    placement = Placement.objects.get()
    assert response.status_code == 302 and response.url == placement.get_absolute_url()
    application.refresh_from_db()
    assert application.stage == Stage.DEPARTED
    page = client.get(f"/en/workspace/placements/{placement.public_id}/").content.decode()
    assert "Promised terms" in page and "Check-ins" in page
    # A second visit to the form goes to the placement.
    assert client.get(url).url == placement.get_absolute_url()


def test_the_placement_page_moves_the_status_and_records_the_return(client):
    placement = PlacementFactory()
    client.force_login(UserFactory())
    url = f"/en/workspace/placements/{placement.public_id}/"
    response = client.post(
        url + "status/", {"transition": "transfer", "occurred_on": TODAY.isoformat(), "reason": ""}
    )
    assert response.status_code == 400
    assert "Say why: this change needs a reason." in response.content.decode()
    response = client.post(
        url + "return/",
        {"kind": "early", "returned_on": "2026-06-10", "reason": ""},
    )
    assert response.status_code == 400
    assert "Say why the worker came back early." in response.content.decode()
    response = client.post(
        url + "return/",
        {"kind": "early", "returned_on": "2026-06-10", "reason": "health"},
    )
    assert response.status_code == 302
    placement.refresh_from_db()
    assert placement.status == PlacementStatus.ENDED_EARLY
    assert WorkExperience.objects.filter(from_placement=True).count() == 1
    html = client.get(url).content.decode()
    assert "Record the return" not in html and "health" in html.lower()


def test_the_placements_list_filters_and_keeps_its_query_count(client):
    PlacementFactory()
    client.force_login(UserFactory())
    url = "/en/workspace/placements/"
    one = _queries(client, url)
    for _ in range(3):
        PlacementFactory(status=PlacementStatus.COMPLETED)
    assert _queries(client, url) == one
    html = client.get(url + "?status=completed").content.decode()
    assert (
        html.count("/workspace/placements/") - html.count('href="/en/workspace/placements/"') >= 3
    )
    assert len(client.get(url + "?status=active").context["page"]) == 1
    assert len(client.get(url + "?country=FR").context["page"]) == 0


def test_the_placement_page_keeps_its_query_count(client):
    placement = PlacementFactory()
    client.force_login(UserFactory())
    url = f"/en/workspace/placements/{placement.public_id}/"
    before = _queries(client, url)
    from gza.mobility.services import placement_move

    placement_move(
        actor=UserFactory(),
        placement=placement,
        transition="transfer",
        occurred_on=TODAY,
        reason="x",
    )
    assert _queries(client, url) == before


def test_the_embassy_sees_the_placements_in_its_country_only(client):
    PlacementFactory()
    warsaw = UserFactory(
        role=Role.EMBASSY_OFFICER,
        organisation=OrganisationFactory(kind=OrganisationKind.EMBASSY, country_id="PL"),
    )
    client.force_login(warsaw)
    assert len(client.get("/en/workspace/placements/").context["page"]) == 1
    client.force_login(UserFactory(embassy_officer=True))
    assert len(client.get("/en/workspace/placements/").context["page"]) == 0


def test_the_session_list_counts_invitations_and_attendance(client):
    attendance = attendance_mark(actor=UserFactory(), attendance=AttendanceFactory(), attended=True)
    AttendanceFactory(session=attendance.session)
    client.force_login(UserFactory())
    session = client.get("/en/workspace/orientation/").context["page"][0]
    assert (session.invited, session.attended) == (2, 1)
