import datetime

import pytest
from django.db import connection
from django.utils import translation
from rest_framework.test import APIClient

from gza.core.audit import history_of
from gza.core.enums import AuditVerb, Role
from gza.core.errors import DomainError
from gza.partners.enums import ActionStatus, AgreementStatus
from gza.partners.models import (
    Action,
    ActionNote,
    Agreement,
    AgreementEvent,
    AgreementQuota,
    CountryIndicator,
    Decision,
)
from gza.partners.services import agreement_move
from tests.core.factories import OrganisationFactory, UserFactory
from tests.partners.factories import (
    ActionFactory,
    ActionPlanFactory,
    AgreementFactory,
    PartnerCountryFactory,
)

pytestmark = pytest.mark.django_db
D = datetime.date
# The user rate throttle keeps its counter in the database cache: a read, a cull count and a
# write in a savepoint. With ATOMIC_REQUESTS (PostgreSQL) each request is a savepoint too.
THROTTLE = 6
REQUEST_SAVEPOINT = 2 if connection.settings_dict["ATOMIC_REQUESTS"] else 0


@pytest.fixture
def api():
    return APIClient()


def _post(api, url, body, **extra):
    return api.post(url, body, format="json", **extra)


def _fields(response) -> dict:
    return response.json()["error"]["fields"]


def _signed(agreement: Agreement, on: datetime.date = datetime.date(2014, 1, 1)) -> Agreement:
    return agreement_move(
        actor=UserFactory(), agreement=agreement, transition="sign", occurred_on=on
    )


AGREEMENT = {"kind": "bilateral", "title_ka": "შეთანხმება", "title_en": "Agreement"}
INDICATOR = {"kind": "minimum_wage", "value": "1766.920", "period": "2024", "source": "INSEE"}
DECISION = {"verdict": "advisable", "decided_on": "2024-03-01", "reasoning_ka": "მიზანშეწონილია"}
MOVE = {"transition": "sign", "occurred_on": "2014-01-01"}
QUOTA = {"year": 2026, "occupation": "6121", "places": 40}
PROGRESS = {"status": "in_progress", "note": "შეხვედრა დაინიშნა."}


def _writes(agreement: Agreement, action: Action, owner_pk: int) -> list[tuple[str, dict]]:
    code = agreement.partner.country_id
    return [
        (f"/api/v1/partners/{code}/agreements/", AGREEMENT),
        (f"/api/v1/agreements/{agreement.pk}/status/", MOVE),
        (f"/api/v1/agreements/{agreement.pk}/quotas/", QUOTA),
        (f"/api/v1/partners/{code}/indicators/", INDICATOR),
        (f"/api/v1/partners/{code}/decisions/", DECISION),
        (
            f"/api/v1/action-plans/{action.plan_id}/actions/",
            {"title_ka": "ქმედება", "owner": owner_pk, "due_on": "2030-01-01"},
        ),
        (f"/api/v1/actions/{action.pk}/progress/", PROGRESS),
    ]


# Who may do what --------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.ANALYST])
def test_readers_read_everything_and_are_refused_every_write(api, role):
    agreement = AgreementFactory()
    action = ActionFactory()
    api.force_authenticate(UserFactory(role=role))
    for url in [
        "/api/v1/agreements/",
        f"/api/v1/agreements/{agreement.pk}/",
        "/api/v1/partners/FR/indicators/",
        "/api/v1/partners/FR/decisions/",
        "/api/v1/action-plans/",
        f"/api/v1/action-plans/{action.plan_id}/",
    ]:
        assert api.get(url).status_code == 200, url
    for url, body in _writes(agreement, action, action.owner_id):
        refused = _post(api, url, body, HTTP_ACCEPT_LANGUAGE="en")
        assert refused.status_code == 403, url
        assert refused.json()["error"]["message"] == "You do not have the right to do this."
    patch = api.patch(f"/api/v1/agreements/{agreement.pk}/", {"title_en": "x"}, format="json")
    assert patch.status_code == 403
    assert not AgreementQuota.objects.exists() and not CountryIndicator.objects.exists()
    assert Agreement.objects.get().title_en == agreement.title_en


@pytest.mark.parametrize("role", [Role.EMPLOYER, Role.AGENCY, Role.JOB_SEEKER, Role.NONE])
def test_roles_without_the_partners_right_are_refused_reads_and_writes(api, role):
    agreement = AgreementFactory()
    action = ActionFactory()
    api.force_authenticate(UserFactory(role=role))
    assert api.get("/api/v1/agreements/").status_code == 403
    assert api.get(f"/api/v1/action-plans/{action.plan_id}/").status_code == 403
    for url, body in _writes(agreement, action, action.owner_id):
        assert _post(api, url, body).status_code == 403, url


def test_anonymous_callers_are_refused_in_the_one_error_format(api):
    agreement = AgreementFactory()
    action = ActionFactory()
    assert api.get("/api/v1/agreements/").status_code == 401
    assert api.get("/api/v1/action-plans/").status_code == 401
    for url, body in _writes(agreement, action, action.owner_id):
        refused = _post(api, url, body)
        assert refused.status_code == 401, url
        assert refused.json()["error"]["code"] == "not_authenticated"


def test_an_embassy_officer_edits_their_country_and_does_not_see_the_others(api):
    ours = AgreementFactory()  # France
    theirs = AgreementFactory(partner=PartnerCountryFactory(country_id="PL"))
    their_action = ActionFactory(partner=theirs.partner)
    api.force_authenticate(UserFactory(embassy_officer=True))

    assert [a["id"] for a in api.get("/api/v1/agreements/").json()] == [ours.pk]
    assert api.get(f"/api/v1/agreements/{theirs.pk}/").status_code == 404
    for url, body in _writes(theirs, their_action, their_action.owner_id):
        assert _post(api, url, body).status_code == 404, url
    assert api.get("/api/v1/partners/PL/indicators/").status_code == 404
    assert api.get("/api/v1/partners/PL/decisions/").status_code == 404
    patched = api.patch(f"/api/v1/agreements/{theirs.pk}/", {"title_en": "x"}, format="json")
    assert patched.status_code == 404

    assert _post(api, "/api/v1/partners/FR/agreements/", AGREEMENT).status_code == 201
    assert _post(api, f"/api/v1/agreements/{ours.pk}/status/", MOVE).status_code == 200
    assert _post(api, f"/api/v1/agreements/{ours.pk}/quotas/", QUOTA).status_code == 201
    assert _post(api, "/api/v1/partners/FR/indicators/", INDICATOR).status_code == 201
    # Decisions and new actions are the ministry's.
    assert _post(api, "/api/v1/partners/FR/decisions/", DECISION).status_code == 403


# Agreements -------------------------------------------------------------------------------------


def test_the_agreement_list_filters_by_country_and_status(api):
    french = _signed(AgreementFactory())
    polish = AgreementFactory(partner=PartnerCountryFactory(country_id="PL"))
    api.force_authenticate(UserFactory(role=Role.ANALYST))
    assert {a["id"] for a in api.get("/api/v1/agreements/").json()} == {french.pk, polish.pk}
    by_country = api.get("/api/v1/agreements/", {"country": "pl"}).json()
    assert [(a["id"], a["partner"]) for a in by_country] == [(polish.pk, "PL")]
    signed = api.get("/api/v1/agreements/", {"status": "signed"}).json()
    assert [(a["id"], a["signed_on"]) for a in signed] == [(french.pk, "2014-01-01")]
    bad = api.get("/api/v1/agreements/", {"status": "ratified-ish"})
    assert bad.status_code == 400 and "status" in _fields(bad)


def test_the_agreement_list_costs_a_fixed_number_of_queries(api, django_assert_max_num_queries):
    for code in ["FR", "PL", "DE", "IL"]:
        partner = PartnerCountryFactory(country_id=code)
        for _ in range(3):
            AgreementFactory(partner=partner)
    api.force_authenticate(UserFactory())
    # One query for the agreements with their partners, however many there are.
    with django_assert_max_num_queries(1 + THROTTLE + REQUEST_SAVEPOINT):
        response = api.get("/api/v1/agreements/")
    assert len(response.json()) == 12
    api.force_authenticate(UserFactory(embassy_officer=True))
    with django_assert_max_num_queries(1 + THROTTLE + REQUEST_SAVEPOINT):
        response = api.get("/api/v1/agreements/")
    assert len(response.json()) == 3


def test_the_agreement_detail_shows_quotas_with_their_use_the_log_and_what_it_covers(
    api, monkeypatch
):
    body = OrganisationFactory()
    agreement = _signed(AgreementFactory())
    agreement.occupations.set(["6121", "5322"])
    agreement.implementing_bodies.set([body])
    AgreementQuota.objects.create(agreement=agreement, year=2026, occupation_id="6121", places=40)
    AgreementQuota.objects.create(agreement=agreement, year=2026, places=100)
    used = {(2026, "6121"): 12, (2026, None): 30}
    monkeypatch.setattr(
        Agreement,
        "quota_used",
        lambda self, *, year, occupation_id=None: used[year, occupation_id],
    )
    api.force_authenticate(UserFactory(embassy_officer=True))
    detail = api.get(f"/api/v1/agreements/{agreement.pk}/").json()
    assert detail["status"] == "signed" and detail["partner"] == "FR"
    assert sorted((q["occupation"] or "", q["places"], q["used"]) for q in detail["quotas"]) == [
        ("", 100, 30),
        ("6121", 40, 12),
    ]
    assert [(e["transition"], e["from_status"], e["to_status"]) for e in detail["events"]] == [
        ("sign", "negotiating", "signed")
    ]
    assert detail["occupations"] == ["5322", "6121"]
    assert detail["implementing_bodies"] == [body.pk]
    assert set(detail["allowed_transitions"]) == {"ratify", "enter_into_force"}


def test_an_officer_creates_and_edits_an_agreement_and_both_writes_are_audited(api):
    PartnerCountryFactory(country_id="IL")
    body = OrganisationFactory()
    api.force_authenticate(UserFactory())
    created = _post(
        api,
        "/api/v1/partners/il/agreements/",
        {
            **AGREEMENT,
            "negotiation_opened_on": "2018-12-03",
            "occupations": ["5322"],
            "implementing_bodies": [body.pk],
        },
    )
    assert created.status_code == 201
    data = created.json()
    assert data["partner"] == "IL" and data["status"] == "negotiating"
    assert data["occupations"] == ["5322"] and data["implementing_bodies"] == [body.pk]
    agreement = Agreement.objects.get(pk=data["id"])

    edited = api.patch(
        f"/api/v1/agreements/{agreement.pk}/",
        {"title_en": "Agreement with Israel", "occupations": ["5322", "6121"]},
        format="json",
    )
    assert edited.status_code == 200
    assert edited.json()["title_en"] == "Agreement with Israel"
    assert edited.json()["occupations"] == ["5322", "6121"]
    # A field left out of a PATCH keeps its value.
    assert edited.json()["implementing_bodies"] == [body.pk]
    assert [e.verb for e in history_of(agreement)] == [AuditVerb.UPDATED, AuditVerb.CREATED]


def test_a_ratification_before_the_signature_is_refused_naming_both_dates(api):
    agreement = _signed(AgreementFactory(), on=D(2014, 1, 1))
    api.force_authenticate(UserFactory())
    refused = api.patch(
        f"/api/v1/agreements/{agreement.pk}/",
        {"ratified_georgia_on": "2013-06-01"},
        format="json",
    )
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "invalid"
    [message] = _fields(refused)["ratified_georgia_on"]
    assert "2013-06-01" in message and "2014-01-01" in message
    agreement.refresh_from_db()
    assert agreement.ratified_georgia_on is None


def test_unknown_or_broad_isco_codes_are_refused_on_an_agreement(api):
    PartnerCountryFactory(country_id="FR")
    api.force_authenticate(UserFactory())
    for code in ["9999", "61"]:
        refused = _post(
            api, "/api/v1/partners/FR/agreements/", {**AGREEMENT, "occupations": [code]}
        )
        assert refused.status_code == 400 and "occupations" in _fields(refused)
    assert not Agreement.objects.exists()


def test_a_lifecycle_move_is_logged_and_audited(api):
    agreement = AgreementFactory()
    officer = UserFactory()
    api.force_authenticate(officer)
    moved = _post(api, f"/api/v1/agreements/{agreement.pk}/status/", MOVE)
    assert moved.status_code == 200
    assert moved.json()["status"] == "signed" and moved.json()["signed_on"] == "2014-01-01"
    event = AgreementEvent.objects.get()
    assert (event.transition, event.actor) == ("sign", officer)
    [audit] = history_of(agreement)
    assert audit.payload["changes"] == {"status": ["negotiating", "signed"]}


def test_illegal_and_incomplete_moves_are_refused_in_the_one_error_format(api):
    agreement = AgreementFactory()
    api.force_authenticate(UserFactory())
    url = f"/api/v1/agreements/{agreement.pk}/status/"
    illegal = _post(
        api, url, {"transition": "resume", "occurred_on": "2014-01-01"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert illegal.status_code == 400
    assert _fields(illegal)["non_field_errors"] == [
        "This change is not allowed from the current state."
    ]
    unknown = _post(api, url, {"transition": "abolish", "occurred_on": "2014-01-01"})
    assert unknown.status_code == 400 and "transition" in _fields(unknown)
    _post(api, url, MOVE)
    unratified = _post(api, url, {"transition": "ratify", "occurred_on": "2014-06-01"})
    assert unratified.status_code == 400 and "non_field_errors" in _fields(unratified)
    _post(api, url, {"transition": "enter_into_force", "occurred_on": "2014-06-01"})
    no_reason = _post(api, url, {"transition": "suspend", "occurred_on": "2015-01-01"})
    assert no_reason.status_code == 400 and "reason" in _fields(no_reason)
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.IN_FORCE
    assert AgreementEvent.objects.count() == 2


def test_a_quota_is_added_and_audited_and_bad_ones_are_refused(api):
    agreement = AgreementFactory()
    api.force_authenticate(UserFactory())
    url = f"/api/v1/agreements/{agreement.pk}/quotas/"
    negative = _post(api, url, {**QUOTA, "places": -5})
    assert negative.status_code == 400 and "places" in _fields(negative)
    unknown = _post(api, url, {**QUOTA, "occupation": "9999"})
    assert unknown.status_code == 400 and "occupation" in _fields(unknown)
    assert not AgreementQuota.objects.exists()
    created = _post(api, url, QUOTA)
    assert created.status_code == 201
    assert {k: created.json()[k] for k in ["year", "occupation", "places", "used"]} == {
        "year": 2026,
        "occupation": "6121",
        "places": 40,
        "used": 0,
    }
    [audit] = history_of(AgreementQuota.objects.get())
    assert audit.verb == AuditVerb.CREATED and audit.payload["places"] == 40
    every_occupation = _post(api, url, {"year": 2026, "places": 100})
    assert every_occupation.status_code == 201 and every_occupation.json()["occupation"] is None


# Indicators -------------------------------------------------------------------------------------


def test_indicators_are_listed_per_country_and_recorded_with_an_audit_row(api):
    CountryIndicator.objects.create(
        country_id="PL", kind="minimum_wage", value=4666, period="2025", source="GUS"
    )
    PartnerCountryFactory(country_id="FR")
    api.force_authenticate(UserFactory())
    created = _post(api, "/api/v1/partners/FR/indicators/", INDICATOR)
    assert created.status_code == 201
    assert created.json()["value"] == "1766.920" and created.json()["source"] == "INSEE"
    listed = api.get("/api/v1/partners/FR/indicators/").json()
    assert [(i["kind"], i["period"]) for i in listed] == [("minimum_wage", "2024")]
    [audit] = history_of(CountryIndicator.objects.get(country_id="FR"))
    assert audit.verb == AuditVerb.CREATED


@pytest.mark.parametrize("source", [None, "", "   "])
@pytest.mark.parametrize("language", ["ka", "en"])
def test_an_indicator_without_a_source_gets_the_models_message_in_the_callers_language(
    api, source, language
):
    PartnerCountryFactory(country_id="FR")
    api.force_authenticate(UserFactory())
    body = {k: v for k, v in INDICATOR.items() if k != "source"}
    if source is not None:
        body["source"] = source
    refused = _post(api, "/api/v1/partners/FR/indicators/", body, HTTP_ACCEPT_LANGUAGE=language)
    assert refused.status_code == 400
    with translation.override(language):
        expected = str(
            next(
                c.violation_error_message
                for c in CountryIndicator._meta.constraints
                if c.name == "indicator_has_source"
            )
        )
    assert _fields(refused)["source"] == [expected]
    assert not CountryIndicator.objects.exists()


def test_an_indicator_without_a_value_is_refused(api):
    PartnerCountryFactory(country_id="FR")
    api.force_authenticate(UserFactory())
    body = {k: v for k, v in INDICATOR.items() if k != "value"}
    refused = _post(api, "/api/v1/partners/FR/indicators/", body)
    assert refused.status_code == 400
    assert not CountryIndicator.objects.exists()


# Decisions --------------------------------------------------------------------------------------


def test_the_ministry_records_a_decision_with_the_assessment_of_the_day(api):
    PartnerCountryFactory(country_id="FR")
    officer = UserFactory()
    api.force_authenticate(officer)
    created = _post(api, "/api/v1/partners/FR/decisions/", DECISION)
    assert created.status_code == 201
    assert created.json()["verdict"] == "advisable" and "score" in created.json()["assessment"]
    decision = Decision.objects.get()
    assert decision.author == officer
    assert [e.verb for e in history_of(decision)] == [AuditVerb.CREATED]
    api.force_authenticate(UserFactory(embassy_officer=True))
    assert [d["id"] for d in api.get("/api/v1/partners/FR/decisions/").json()] == [decision.pk]


def test_a_decision_with_conditions_must_name_them(api):
    PartnerCountryFactory(country_id="FR")
    api.force_authenticate(UserFactory())
    refused = _post(
        api, "/api/v1/partners/FR/decisions/", {**DECISION, "verdict": "with_conditions"}
    )
    assert refused.status_code == 400 and "conditions_ka" in _fields(refused)
    assert not Decision.objects.exists()


# Action plans and actions -----------------------------------------------------------------------


def test_an_embassy_officer_sees_only_the_plans_and_actions_on_their_country(api):
    plan = ActionPlanFactory()
    ours = ActionFactory(plan=plan)  # France
    ActionFactory(plan=plan, partner=PartnerCountryFactory(country_id="PL"))
    ActionFactory(plan=plan, partner=None)
    elsewhere = ActionFactory(partner=PartnerCountryFactory(country_id="PL"))
    empty = ActionPlanFactory()
    api.force_authenticate(UserFactory(embassy_officer=True))
    plans = api.get("/api/v1/action-plans/").json()
    assert [(p["id"], p["actions_count"]) for p in plans] == [(plan.pk, 1)]
    detail = api.get(f"/api/v1/action-plans/{plan.pk}/").json()
    assert [a["id"] for a in detail["actions"]] == [ours.pk]
    assert api.get(f"/api/v1/action-plans/{elsewhere.plan_id}/").status_code == 404
    assert api.get(f"/api/v1/action-plans/{empty.pk}/").status_code == 404

    api.force_authenticate(UserFactory())
    plans = api.get("/api/v1/action-plans/").json()
    assert {p["id"]: p["actions_count"] for p in plans} == {
        plan.pk: 3,
        elsewhere.plan_id: 1,
        empty.pk: 0,
    }


def test_progress_on_an_action_leaves_a_note_and_an_audit_row(api):
    ours = ActionFactory()  # France
    theirs = ActionFactory(partner=PartnerCountryFactory(country_id="PL"))
    general = ActionFactory(partner=None)
    officer = UserFactory(embassy_officer=True)
    api.force_authenticate(officer)
    assert _post(api, f"/api/v1/actions/{theirs.pk}/progress/", PROGRESS).status_code == 404
    assert _post(api, f"/api/v1/actions/{general.pk}/progress/", PROGRESS).status_code == 404
    blank = _post(api, f"/api/v1/actions/{ours.pk}/progress/", {**PROGRESS, "note": "  "})
    assert blank.status_code == 400 and "note" in _fields(blank)
    done = _post(api, f"/api/v1/actions/{ours.pk}/progress/", PROGRESS)
    assert done.status_code == 200
    assert done.json()["status"] == "in_progress"
    assert [n["text"] for n in done.json()["notes"]] == [PROGRESS["note"]]
    assert ActionNote.objects.get().author == officer
    [audit] = history_of(ours)
    assert audit.payload == {"changes": {"status": ["open", "in_progress"]}}

    api.force_authenticate(UserFactory())
    general_done = _post(
        api, f"/api/v1/actions/{general.pk}/progress/", {"status": "done", "note": "ok"}
    )
    assert general_done.status_code == 200 and general_done.json()["partner"] is None


def test_the_ministry_adds_actions_to_a_plan(api):
    plan = ActionPlanFactory()
    owner = OrganisationFactory()
    PartnerCountryFactory(country_id="FR")
    api.force_authenticate(UserFactory())
    url = f"/api/v1/action-plans/{plan.pk}/actions/"
    body = {"partner": "FR", "title_ka": "ქმედება", "owner": owner.pk, "due_on": "2030-01-01"}
    unknown = _post(api, url, {**body, "partner": "ZZ", "owner": 0})
    assert unknown.status_code == 400 and {"partner", "owner"} <= set(_fields(unknown))
    created = _post(api, url, body)
    assert created.status_code == 201
    assert created.json()["partner"] == "FR" and created.json()["status"] == ActionStatus.OPEN
    action = Action.objects.get()
    assert [e.verb for e in history_of(action)] == [AuditVerb.CREATED]

    api.force_authenticate(UserFactory(embassy_officer=True))  # sees the plan, may not add
    refused = _post(api, url, body, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 403
    assert refused.json()["error"]["message"] == str(DomainError.NOT_PERMITTED)
    assert Action.objects.count() == 1
