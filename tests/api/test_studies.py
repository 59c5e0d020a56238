"""Labour-market studies over the API: scoped and authorised as in the workspace, written through
the study services, and the supply gap as counts only."""

import json

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import translation
from rest_framework.test import APIClient

from gza.core.enums import AuditVerb, OrganisationKind, Role
from gza.core.models import AuditEvent
from gza.demand.models import InDemandLanguage, InDemandOccupation, LabourMarketStudy
from gza.demand.studies import (
    DEMAND_BELOW_ONE,
    PERIOD_REVERSED,
    WAGE_RANGE_REVERSED,
)
from tests.core.factories import OrganisationFactory, UserFactory
from tests.demand.factories import (
    InDemandLanguageFactory,
    InDemandOccupationFactory,
    LabourMarketStudyFactory,
)
from tests.registry.factories import (
    JobSeekerFactory,
    LanguageSkillFactory,
    SoughtOccupationFactory,
)

pytestmark = pytest.mark.django_db

# The rate limit reads and writes its counter in the database cache: six queries a request.
RATE_LIMIT = 6
# With ATOMIC_REQUESTS (PostgreSQL) each request is a savepoint inside the test transaction.
REQUEST_SAVEPOINT = 2 if connection.settings_dict["ATOMIC_REQUESTS"] else 0
# The study, its in-demand rows, their languages, the counts, the regions' names.
SUPPLY_GAP_QUERIES = RATE_LIMIT + 5 + REQUEST_SAVEPOINT

KAKHETI, ADJARA = "GE-KA", "GE-AJ"  # Telavi and Batumi, the job seeker factory's two homes

STUDY = {
    "country": "FR",
    "title_ka": "საფრანგეთის სოფლის მეურნეობის შრომის ბაზარი",
    "title_en": "France's farm labour market",
    "period_start": "2025-01-01",
    "period_end": "2025-06-30",
    "method": "Employer survey",
}


def _in_demand(**fields) -> dict:
    return {
        "occupation": "9211",
        "estimated_demand": 40,
        "wage_min": "11.88",
        "wage_max": "13.50",
        "wage_currency": "EUR",
        "wage_period": "hour",
        "languages": [{"language": "fr", "min_level": "A2"}],
        **fields,
    }


@pytest.fixture
def api():
    return APIClient()


def _embassy_in_poland():
    embassy = OrganisationFactory(kind=OrganisationKind.EMBASSY, country_id="PL")
    return UserFactory(role=Role.EMBASSY_OFFICER, organisation=embassy)


def _urls(study: LabourMarketStudy, row: InDemandOccupation) -> dict[str, str]:
    return {
        "detail": f"/api/v1/studies/{study.pk}/",
        "add": f"/api/v1/studies/{study.pk}/occupations/",
        "gap": f"/api/v1/studies/{study.pk}/supply-gap/",
        "row": f"/api/v1/study-occupations/{row.pk}/",
    }


def _audited(verb: str, target) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            verb=verb,
            target_type=ContentType.objects.get_for_model(target),
            target_id=str(target.pk),
        ).order_by("created_at", "id")
    )


def _demand_events():
    """The trail's rows about demand records (the reference data's loading is there too)."""
    return AuditEvent.objects.filter(target_type__app_label="demand")


# Writes, audited


def test_the_ministry_records_a_study_and_its_list_and_every_write_is_audited(api):
    officer = UserFactory()
    api.force_authenticate(officer)
    created = api.post("/api/v1/studies/", STUDY, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["in_demand_occupations"] == []
    study = LabourMarketStudy.objects.get(pk=created.json()["id"])
    assert study.created_by == officer
    (event,) = _audited(AuditVerb.CREATED, study)
    assert event.actor == officer and event.payload == {"country": "FR"}

    added = api.post(f"/api/v1/studies/{study.pk}/occupations/", _in_demand(), format="json")
    assert added.status_code == 201, added.json()
    row = InDemandOccupation.objects.get(pk=added.json()["id"])
    assert added.json()["languages"] == [{"language": "fr", "min_level": "A2"}]
    assert _audited(AuditVerb.CREATED, row)[0].payload["languages"] == "fr:A2"

    changed = api.put(
        f"/api/v1/studies/{study.pk}/", {**STUDY, "title_en": "Farm work in France"}, format="json"
    )
    assert changed.status_code == 200, changed.json()
    assert changed.json()["in_demand_occupations"][0]["id"] == row.pk
    (update,) = _audited(AuditVerb.UPDATED, study)
    assert update.payload["changes"]["title_en"] == [STUDY["title_en"], "Farm work in France"]

    edited = api.put(
        f"/api/v1/study-occupations/{row.pk}/",
        _in_demand(estimated_demand=55, languages=[{"language": "en", "min_level": "B1"}]),
        format="json",
    )
    assert edited.status_code == 200, edited.json()
    assert edited.json()["estimated_demand"] == 55
    assert edited.json()["languages"] == [{"language": "en", "min_level": "B1"}]
    (row_update,) = _audited(AuditVerb.UPDATED, row)
    assert row_update.payload["changes"]["languages"] == ["fr:A2", "en:B1"]
    assert row_update.payload["changes"]["estimated_demand"] == ["40", "55"]

    removed = api.delete(f"/api/v1/study-occupations/{row.pk}/")
    assert removed.status_code == 204
    assert not InDemandOccupation.objects.exists() and not InDemandLanguage.objects.exists()
    removal = _audited(AuditVerb.UPDATED, study)[-1]
    assert removal.payload["in_demand_removed"]["occupation"] == "9211"
    detail = api.get(f"/api/v1/studies/{study.pk}/").json()
    assert detail["in_demand_occupations"] == []


def test_an_occupation_added_again_with_its_external_reference_is_updated(api):
    study = LabourMarketStudyFactory()
    api.force_authenticate(UserFactory())
    url = f"/api/v1/studies/{study.pk}/occupations/"
    first = api.post(url, _in_demand(external_ref="row-7"), format="json")
    assert first.status_code == 201
    again = api.post(url, _in_demand(external_ref="row-7", estimated_demand=60), format="json")
    assert again.status_code == 200, again.json()
    assert again.json()["id"] == first.json()["id"]
    assert InDemandOccupation.objects.get().estimated_demand == 60
    same = api.post(url, _in_demand(external_ref="row-7", estimated_demand=60), format="json")
    assert same.status_code == 200
    # Nothing changed the third time: nothing recorded.
    assert _demand_events().filter(verb=AuditVerb.UPDATED).count() == 1


def test_the_list_is_filtered_by_country(api):
    french = LabourMarketStudyFactory()
    polish = LabourMarketStudyFactory(in_poland=True)
    api.force_authenticate(UserFactory())
    everything = [row["id"] for row in api.get("/api/v1/studies/").json()]
    assert sorted(everything) == sorted([french.pk, polish.pk])
    only = api.get("/api/v1/studies/", {"country": "pl"}).json()
    assert [row["id"] for row in only] == [polish.pk]


# Who may do what


def test_an_embassy_works_on_its_countrys_studies_and_does_not_see_the_others(api):
    ours = InDemandOccupationFactory()  # France
    theirs = InDemandOccupationFactory(study=LabourMarketStudyFactory(in_poland=True))
    api.force_authenticate(UserFactory(embassy_officer=True))
    assert [row["id"] for row in api.get("/api/v1/studies/").json()] == [ours.study_id]

    urls = _urls(theirs.study, theirs)
    assert api.get(urls["detail"]).status_code == 404
    assert api.get(urls["gap"]).status_code == 404
    assert api.get(urls["row"]).status_code == 404
    assert api.put(urls["detail"], {**STUDY, "country": "PL"}, format="json").status_code == 404
    assert api.post(urls["add"], _in_demand(occupation="8160"), format="json").status_code == 404
    assert api.put(urls["row"], _in_demand(), format="json").status_code == 404
    assert api.delete(urls["row"]).status_code == 404
    assert theirs.study.in_demand_occupations.count() == 1

    urls = _urls(ours.study, ours)
    assert api.get(urls["gap"]).status_code == 200
    added = api.post(urls["add"], _in_demand(occupation="8160"), format="json")
    assert added.status_code == 201, added.json()
    # The embassy cannot move its study to another country, nor record one elsewhere.
    moved = api.put(urls["detail"], {**STUDY, "country": "PL"}, format="json")
    assert moved.status_code == 403
    elsewhere = api.post("/api/v1/studies/", {**STUDY, "country": "PL"}, format="json")
    assert elsewhere.status_code == 403
    assert LabourMarketStudy.objects.filter(country_id="FR").count() == 1
    assert LabourMarketStudy.objects.filter(country_id="PL").count() == 1


def test_an_iom_caseworker_records_studies_for_the_organisation_and_reads_the_others(api):
    caseworker = UserFactory(iom_caseworker=True)
    others = InDemandOccupationFactory(
        study=LabourMarketStudyFactory(author_organisation=OrganisationFactory(iom_office=True))
    )
    api.force_authenticate(caseworker)
    created = api.post("/api/v1/studies/", STUDY, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["author_organisation"] == caseworker.organisation_id
    pk = created.json()["id"]
    # Leaving the author out of an update keeps it.
    edited = api.put(f"/api/v1/studies/{pk}/", {**STUDY, "method": "Desk research"}, format="json")
    assert edited.status_code == 200, edited.json()
    assert edited.json()["author_organisation"] == caseworker.organisation_id
    added = api.post(f"/api/v1/studies/{pk}/occupations/", _in_demand(), format="json")
    assert added.status_code == 201, added.json()
    assert InDemandOccupation.objects.filter(study_id=pk).count() == 1

    urls = _urls(others.study, others)
    assert api.get(urls["detail"]).status_code == 200
    assert api.get(urls["gap"]).status_code == 200
    assert api.put(urls["detail"], STUDY, format="json").status_code == 403
    assert api.post(urls["add"], _in_demand(occupation="8160"), format="json").status_code == 403
    assert api.put(urls["row"], _in_demand(), format="json").status_code == 403
    assert api.delete(urls["row"]).status_code == 403
    assert others.study.in_demand_occupations.count() == 1


def test_a_caseworker_outside_iom_and_ngos_reads_but_records_nothing(api):
    api.force_authenticate(UserFactory(role=Role.CASEWORKER))
    study = LabourMarketStudyFactory()
    assert api.get(f"/api/v1/studies/{study.pk}/").status_code == 200
    assert api.post("/api/v1/studies/", STUDY, format="json").status_code == 403
    assert LabourMarketStudy.objects.count() == 1


def test_an_analyst_reads_studies_and_the_supply_gap_but_writes_nothing(api):
    row = InDemandOccupationFactory()
    api.force_authenticate(UserFactory(role=Role.ANALYST))
    urls = _urls(row.study, row)
    assert [item["id"] for item in api.get("/api/v1/studies/").json()] == [row.study_id]
    assert api.get(urls["detail"]).json()["in_demand_occupations"][0]["id"] == row.pk
    assert api.get(urls["gap"]).json()["rows"][0]["demand"] == row.estimated_demand
    assert api.get(urls["row"]).status_code == 200

    refused = api.post("/api/v1/studies/", STUDY, format="json")
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "permission_denied"
    assert api.put(urls["detail"], STUDY, format="json").status_code == 403
    assert api.post(urls["add"], _in_demand(occupation="8160"), format="json").status_code == 403
    assert api.put(urls["row"], _in_demand(estimated_demand=1), format="json").status_code == 403
    assert api.delete(urls["row"]).status_code == 403
    row.refresh_from_db()
    assert row.estimated_demand == 10 and InDemandOccupation.objects.count() == 1
    assert not _demand_events().exists()


def _every_call(api, study, row):
    urls = _urls(study, row)
    return [
        api.get("/api/v1/studies/"),
        api.post("/api/v1/studies/", STUDY, format="json"),
        api.get(urls["detail"]),
        api.put(urls["detail"], STUDY, format="json"),
        api.post(urls["add"], _in_demand(occupation="8160"), format="json"),
        api.get(urls["gap"]),
        api.get(urls["row"]),
        api.put(urls["row"], _in_demand(), format="json"),
        api.delete(urls["row"]),
    ]


@pytest.mark.parametrize(
    "role",
    [
        Role.EMPLOYER,
        Role.AGENCY,
        Role.JOB_SEEKER,
        Role.CONTENT_EDITOR,
        Role.ADMINISTRATOR,
        Role.NONE,
    ],
)
def test_roles_without_studies_are_refused_everything(api, role):
    row = InDemandOccupationFactory()
    api.force_authenticate(UserFactory(role=role))
    for response in _every_call(api, row.study, row):
        assert response.status_code == 403, response.request
        assert response.json()["error"]["code"] == "permission_denied"
    assert LabourMarketStudy.objects.count() == 1 and InDemandOccupation.objects.count() == 1


def test_anonymous_callers_are_refused_in_the_one_error_format(api):
    row = InDemandOccupationFactory()
    for response in _every_call(api, row.study, row):
        assert response.status_code == 401, response.request
        assert response.json()["error"]["code"] == "not_authenticated"
    assert InDemandOccupation.objects.count() == 1


# Bad input


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"occupation": "9999"}, "occupation", "Unknown ISCO-08 unit group: 9999."),
        ({"occupation": "921"}, "occupation", "Unknown ISCO-08 unit group: 921."),
        (
            {"languages": [{"language": "fr", "min_level": "D1"}]},
            "languages",
            "A CEFR level is one of A1, A2, B1, B2, C1 or C2, not D1.",
        ),
        ({"estimated_demand": 0}, "estimated_demand", DEMAND_BELOW_ONE),
        ({"wage_min": "20.00", "wage_max": "10.00"}, "wage_max", WAGE_RANGE_REVERSED),
    ],
)
def test_a_bad_in_demand_occupation_is_refused_and_nothing_is_stored(api, fields, field, message):
    study = LabourMarketStudyFactory()
    api.force_authenticate(UserFactory())
    response = api.post(
        f"/api/v1/studies/{study.pk}/occupations/",
        _in_demand(**fields),
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400, response.json()
    error = response.json()["error"]
    assert error["code"] == "invalid" and error["message"]
    with translation.override("en"):
        assert str(message) in error["fields"][field]
    assert not InDemandOccupation.objects.exists() and not InDemandLanguage.objects.exists()
    assert not _demand_events().exists()


def test_every_mistake_is_reported_at_once(api):
    study = LabourMarketStudyFactory()
    api.force_authenticate(UserFactory())
    body = _in_demand(
        occupation="9999",
        estimated_demand=0,
        languages=[{"language": "fr", "min_level": "C3"}],
    )
    response = api.post(f"/api/v1/studies/{study.pk}/occupations/", body, format="json")
    assert response.status_code == 400
    assert {"occupation", "estimated_demand", "languages"} <= set(
        response.json()["error"]["fields"]
    )


def test_a_refused_edit_leaves_the_occupation_as_it_was(api):
    row = InDemandLanguageFactory(language_id="fr", min_level_id="A2").in_demand
    api.force_authenticate(UserFactory())
    body = _in_demand(
        estimated_demand=90,
        languages=[{"language": "fr", "min_level": "B1"}, {"language": "xx", "min_level": "B1"}],
    )
    response = api.put(f"/api/v1/study-occupations/{row.pk}/", body, format="json")
    assert response.status_code == 400
    assert "languages" in response.json()["error"]["fields"]
    row.refresh_from_db()
    assert row.estimated_demand == 10
    assert [(r.language_id, r.min_level_id) for r in row.languages.all()] == [("fr", "A2")]
    assert not _demand_events().exists()


def test_a_study_ending_before_it_starts_is_refused(api):
    api.force_authenticate(UserFactory())
    response = api.post(
        "/api/v1/studies/",
        {**STUDY, "period_end": "2024-12-31"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    with translation.override("en"):
        assert str(PERIOD_REVERSED) in response.json()["error"]["fields"]["period_end"]
    assert not LabourMarketStudy.objects.exists() and not _demand_events().exists()


# The supply gap


def _person(*occupations: str, batumi: bool = False, **languages: str):
    person = JobSeekerFactory(from_batumi=batumi)
    for code in occupations:
        SoughtOccupationFactory(job_seeker=person, occupation_id=code)
    for code, level in languages.items():
        LanguageSkillFactory(job_seeker=person, language_id=code, level_id=level)
    return person


def _wanted(study, code: str, demand: int, **languages: str) -> InDemandOccupation:
    row = InDemandOccupationFactory(study=study, occupation_id=code, estimated_demand=demand)
    for language, level in languages.items():
        InDemandLanguageFactory(in_demand=row, language_id=language, min_level_id=level)
    return row


def test_the_supply_gap_on_crafted_data(api):
    study = LabourMarketStudyFactory(in_poland=True)
    _wanted(study, "9211", 3)  # no language required
    _wanted(study, "8160", 4, pl="A2")
    _person("9211")
    _person("9211", "8160", pl="A2")  # exactly the required level: qualified
    _person("8160", pl="A1")  # one level short
    for _ in range(3):
        _person("9211", batumi=True)
    _person("8160", batumi=True, pl="B2")
    _person("9212", pl="C1")  # another unit group
    api.force_authenticate(UserFactory(role=Role.ANALYST))

    response = api.get(f"/api/v1/studies/{study.pk}/supply-gap/")
    assert response.status_code == 200
    body = response.json()
    assert body["study"] == study.pk
    assert body["totals"] == {"demand": 7, "gap": 2, "surplus": 2}
    food, farm = body["rows"]
    assert (food["occupation"], farm["occupation"]) == ("8160", "9211")
    assert food["languages"] == [{"language": "pl", "min_level": "A2"}]
    assert farm["languages"] == []
    figures = ("demand", "seekers", "qualified", "gap", "surplus", "language_trainable")
    assert [food[name] for name in figures] == [4, 3, 2, 2, 0, 1]
    assert [farm[name] for name in figures] == [3, 5, 5, 0, 2, 0]
    assert not food["training_needed"] and not farm["training_needed"]
    assert [(c["region"], c["seekers"], c["qualified"]) for c in food["by_region"]] == [
        (ADJARA, 1, 1),
        (KAKHETI, 2, 1),
    ]
    assert [(c["region"], c["seekers"], c["qualified"]) for c in farm["by_region"]] == [
        (ADJARA, 3, 3),
        (KAKHETI, 2, 2),
    ]
    assert farm["by_region"][1]["name_en"] == "Kakheti"


def test_the_supply_gap_names_no_one(api):
    study = LabourMarketStudyFactory()
    _wanted(study, "9211", 3)
    person = _person("9211")
    api.force_authenticate(UserFactory(role=Role.ANALYST))
    text = json.dumps(api.get(f"/api/v1/studies/{study.pk}/supply-gap/").json())
    for detail in (person.personal_number, person.last_name, person.last_name_latin):
        assert detail not in text


def _study_listing(occupations: int) -> LabourMarketStudy:
    """A study of `occupations` in-demand occupations, each sought by two people."""
    codes = ["9211", "6111", "8160", "9329", "7512", "7115", "7212", "5120", "8332", "5131"]
    codes += ["9112", "5322"]
    study = LabourMarketStudyFactory(in_poland=True)
    for code in codes[:occupations]:
        _wanted(study, code, 10, pl="A2", ru="B1")
        _person(code, pl="B1", ru="B1")
        _person(code, batumi=True, pl="A1")
    return study


def test_the_supply_gap_costs_a_fixed_number_of_queries_however_long_the_list(
    api, django_assert_num_queries
):
    short, long = _study_listing(1), _study_listing(12)
    api.force_authenticate(UserFactory(role=Role.ANALYST))
    for study, occupations in ((short, 1), (long, 12)):
        with django_assert_num_queries(SUPPLY_GAP_QUERIES):
            response = api.get(f"/api/v1/studies/{study.pk}/supply-gap/")
        assert len(response.json()["rows"]) == occupations
