import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from gza.core.enums import AccessAction, Role
from gza.core.models import AccessLogEntry
from gza.mobility.certificates import display_code
from gza.mobility.enums import PlacementStatus
from gza.mobility.models import Placement
from gza.mobility.services import attendance_mark
from gza.partners.enums import AgreementStatus
from gza.partners.models import AgreementQuota
from gza.recruitment.enums import Stage
from tests.core.factories import UserFactory
from tests.demand.factories import VacancyFactory
from tests.mobility.factories import (
    AttendanceFactory,
    DepartingApplicationFactory,
    OrientationSessionFactory,
)
from tests.mobility.protection_factories import PlacementFactory
from tests.partners.factories import AgreementFactory, PartnerCountryFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


@pytest.fixture
def officer():
    return UserFactory()


@pytest.fixture
def api(officer):
    client = APIClient()
    client.force_authenticate(officer)
    return client


def test_the_checklist_is_read_and_marked(api, officer):
    application = DepartingApplicationFactory(pre_departure=True)
    url = f"/api/v1/applications/{application.public_id}/checklist/"
    body = api.get(url).json()
    assert body["complete"] is False and len(body["missing"]) == 5 and body["marks"] == []
    assert AccessLogEntry.objects.filter(actor=officer, action=AccessAction.VIEW).exists()
    refused = api.post(url, {"item": "contract", "done_on": TODAY.isoformat(), "language": "pl"})
    assert refused.status_code == 400
    assert "language" in refused.json()["error"]["fields"]
    marked = api.post(url, {"item": "contract", "done_on": TODAY.isoformat(), "language": "ka"})
    assert marked.status_code == 201
    assert marked.json()["marks"] == [
        {"item": "contract", "done_on": TODAY.isoformat(), "language": "ka", "note": ""}
    ]


def test_sessions_invitations_and_attendance(api):
    created = api.post(
        "/api/v1/orientation-sessions/",
        {
            "starts_at": (timezone.now() + datetime.timedelta(days=2)).isoformat(),
            "place": "Tbilisi",
            "topics_ka": "უფლებები",
            "capacity": 1,
            "organisation": UserFactory(iom_caseworker=True).organisation_id,
        },
        format="json",
    )
    assert created.status_code == 201
    session_id = created.json()["id"]
    first, second = (DepartingApplicationFactory(pre_departure=True) for _ in range(2))
    url = f"/api/v1/orientation-sessions/{session_id}/attendances/"
    invited = api.post(url, {"applications": [str(first.public_id)]}, format="json")
    assert invited.status_code == 201 and len(invited.json()) == 1
    full = api.post(url, {"applications": [str(second.public_id)]}, format="json")
    assert full.status_code == 400
    unknown = api.post(url, {"applications": ["0" * 32]}, format="json")
    assert unknown.status_code == 400
    assert len(api.get(url).json()) == 1
    held = AttendanceFactory()
    marked = api.post(f"/api/v1/attendances/{held.pk}/", {"attended": True}, format="json")
    assert marked.status_code == 200 and len(marked.json()["certificate_code"]) == 10


def test_a_session_is_edited_by_put(api):
    session = OrientationSessionFactory(upcoming=True)
    response = api.put(
        f"/api/v1/orientation-sessions/{session.pk}/",
        {
            "starts_at": session.starts_at.isoformat(),
            "online": True,
            "topics_ka": "ახალი",
            "organisation": session.organisation_id,
        },
        format="json",
    )
    assert response.status_code == 200 and response.json()["online"] is True


def test_anyone_verifies_a_certificate_without_signing_in():
    attendance = attendance_mark(actor=UserFactory(), attendance=AttendanceFactory(), attended=True)
    client = APIClient()
    body = client.post(
        "/api/v1/certificates/verify/", {"code": display_code(attendance.certificate_code)}
    ).json()
    assert body["valid"] is True and body["initials"].endswith("(M. K.)")
    assert body["session_date"] == attendance.session.starts_at.date().isoformat()
    body = client.post("/api/v1/certificates/verify/", {"code": "ZZZZZ-ZZZZZ"}).json()
    assert body == {"valid": False, "initials": "", "session_date": None}


def test_a_placement_is_created_with_its_quota_warning_and_the_application_departs(api):
    agreement = AgreementFactory(
        partner=PartnerCountryFactory(country_id="PL"), status=AgreementStatus.IN_FORCE
    )
    AgreementQuota.objects.create(agreement=agreement, year=TODAY.year, places=1)
    application = DepartingApplicationFactory(
        vacancy=VacancyFactory(agreement=agreement), ready=True
    )
    payload = {
        "application": str(application.public_id),
        "departure_date": TODAY.isoformat(),
        "contract_start": (TODAY - datetime.timedelta(days=1)).isoformat(),
        "contract_end": (TODAY + datetime.timedelta(days=100)).isoformat(),
        "pay_amount": "23.50",
        "pay_currency": "PLN",
        "pay_period": "hour",
        "hours_per_week": 40,
        "housing_provided": False,
    }
    refused = api.post("/api/v1/placements/", payload, format="json")
    assert refused.status_code == 400
    assert "contract_start" in refused.json()["error"]["fields"]
    payload["contract_start"] = TODAY.isoformat()
    response = api.post("/api/v1/placements/", payload, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "active" and body["country"] == "PL"
    assert len(body["warnings"]) == 1
    assert body["allowed_transitions"] == ["complete", "end_early", "transfer", "overstay"]
    application.refresh_from_db()
    assert application.stage == Stage.DEPARTED
    # The quota is now used up: the next departure is refused.
    other = DepartingApplicationFactory(vacancy=application.vacancy, ready=True)
    payload["application"] = str(other.public_id)
    assert api.post("/api/v1/placements/", payload, format="json").status_code == 400


def test_placements_are_listed_read_moved_and_returned(api):
    placement = PlacementFactory()
    PlacementFactory(status=PlacementStatus.COMPLETED)
    assert len(api.get("/api/v1/placements/").json()) == 2
    assert len(api.get("/api/v1/placements/?status=active&country=pl").json()) == 1
    url = f"/api/v1/placements/{placement.public_id}/"
    assert api.get(url).json()["homecoming"] is None
    moved = api.post(
        url + "status/",
        {"transition": "transfer", "occurred_on": TODAY.isoformat(), "reason": "Moved farm"},
        format="json",
    )
    assert moved.status_code == 200 and moved.json()["status"] == "transferred"
    illegal = api.post(
        url + "status/",
        {"transition": "transfer", "occurred_on": TODAY.isoformat(), "reason": "Again"},
        format="json",
    )
    assert illegal.status_code == 400
    returned = api.post(
        url + "return/",
        {"kind": "planned", "returned_on": "2026-10-01"},
        format="json",
    )
    assert returned.status_code == 201
    detail = api.get(url).json()
    assert detail["status"] == "completed"
    assert detail["homecoming"]["kind"] == "planned"
    assert (
        api.post(
            url + "return/", {"kind": "planned", "returned_on": "2026-10-01"}, format="json"
        ).status_code
        == 400
    )


def test_scope_and_rights(api):
    placement = PlacementFactory()
    outsider = APIClient()
    outsider.force_authenticate(UserFactory(embassy_officer=True))
    assert outsider.get("/api/v1/placements/").json() == []
    assert outsider.get(f"/api/v1/placements/{placement.public_id}/").status_code == 404
    analyst = APIClient()
    analyst.force_authenticate(UserFactory(role=Role.ANALYST))
    assert analyst.get("/api/v1/placements/").status_code == 403
    assert APIClient().get("/api/v1/placements/").status_code in {401, 403}
    assert Placement.objects.count() == 1


def test_the_schema_names_the_mobility_operations(client):
    paths = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()["paths"]
    for path in (
        "/api/v1/applications/{public_id}/checklist/",
        "/api/v1/orientation-sessions/",
        "/api/v1/orientation-sessions/{id}/",
        "/api/v1/orientation-sessions/{id}/attendances/",
        "/api/v1/attendances/{id}/",
        "/api/v1/certificates/verify/",
        "/api/v1/placements/",
        "/api/v1/placements/{public_id}/",
        "/api/v1/placements/{public_id}/status/",
        "/api/v1/placements/{public_id}/return/",
    ):
        assert path in paths
    # The public check needs no credentials.
    assert paths["/api/v1/certificates/verify/"]["post"].get("security", []) in ([], [{}])
