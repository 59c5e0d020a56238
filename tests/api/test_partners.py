import pytest
from rest_framework.test import APIClient

from gza.core.enums import Role
from gza.partners.models import Engagement, StageChange
from tests.core.factories import UserFactory
from tests.partners.factories import PartnerCountryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def test_an_embassy_officer_reads_only_their_country(api):
    PartnerCountryFactory(country_id="FR")
    PartnerCountryFactory(country_id="PL")
    api.force_authenticate(UserFactory(embassy_officer=True))
    assert [p["country"] for p in api.get("/api/v1/partners/").json()] == ["FR"]
    assert api.get("/api/v1/partners/PL/").status_code == 404
    detail = api.get("/api/v1/partners/FR/").json()
    assert detail["stage"] == "identified" and detail["agreements"] == []


def test_a_stage_move_and_a_refused_move_in_the_one_error_format(api):
    PartnerCountryFactory(country_id="LT")
    api.force_authenticate(UserFactory())
    moved = api.post(
        "/api/v1/partners/LT/stage/",
        {"transition": "contact", "occurred_on": "2019-01-15"},
        format="json",
    )
    assert moved.status_code == 200 and moved.json()["stage"] == "contacted"
    refused = api.post(
        "/api/v1/partners/LT/stage/",
        {"transition": "start_scheme", "occurred_on": "2019-02-01"},
        format="json",
    )
    assert refused.status_code == 400
    assert refused.json()["error"]["fields"]["non_field_errors"]
    no_reason = api.post(
        "/api/v1/partners/LT/stage/",
        {"transition": "not_pursue", "occurred_on": "2019-02-01"},
        format="json",
    )
    assert no_reason.status_code == 400 and "reason" in no_reason.json()["error"]["fields"]
    assert StageChange.objects.count() == 1


def test_engagements_are_recorded_by_editors_only(api):
    PartnerCountryFactory(country_id="FR")
    api.force_authenticate(UserFactory(role=Role.ANALYST))
    body = {"kind": "meeting", "occurred_on": "2019-04-02", "summary_ka": "შეხვედრა"}
    assert api.post("/api/v1/partners/FR/engagements/", body, format="json").status_code == 403
    api.force_authenticate(UserFactory(embassy_officer=True))
    created = api.post("/api/v1/partners/FR/engagements/", body, format="json")
    assert created.status_code == 201
    assert Engagement.objects.get().summary_ka == "შეხვედრა"


def test_anonymous_callers_are_refused(api):
    response = api.get("/api/v1/partners/")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
