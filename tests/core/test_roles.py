"""Walk the role matrix: every role, including one with no rights, over every workspace URL."""

import pytest
from django.urls import URLPattern, get_resolver, resolve, reverse

from gza.core.enums import Role
from gza.core.roles import ROLE_RIGHTS, Right
from tests.core.factories import ImportJobFactory, OrganisationFactory, UserFactory
from tests.demand.factories import (
    AgencyReportFactory,
    EmployerDocumentFactory,
    ForeignEmployerFactory,
    InDemandOccupationFactory,
    VacancyFactory,
)
from tests.matching.run_factories import MatchRunFactory
from tests.mobility.protection_factories import (
    CheckInFactory,
    GrievanceFactory,
    PlacementFactory,
)
from tests.partners.factories import (
    ActionFactory,
    AgreementDocumentFactory,
    AgreementFactory,
    PartnerCountryFactory,
)
from tests.recruitment.factories import ApplicationFactory, SelectionRoundFactory
from tests.registry.factories import (
    DeletionRequestFactory,
    DuplicateCandidateFactory,
    EligibilityRuleFactory,
    JobSeekerDocumentFactory,
    JobSeekerFactory,
)
from tests.reintegration.factories import AssistanceItemFactory, ReintegrationCaseFactory

pytestmark = pytest.mark.django_db


def _workspace_url_names() -> list[str]:
    resolver = get_resolver()
    workspace = resolver.namespace_dict["workspace"][1]
    return sorted(
        f"workspace:{p.name}" for p in workspace.url_patterns if isinstance(p, URLPattern)
    )


WORKSPACE_URLS = _workspace_url_names()
FORM_TARGETS = {
    "workspace:grievance_action",
    "workspace:partner_move",
    "workspace:agreement_move",
    "workspace:job_seeker_document_add",
    # Reintegration: the forms on a case's page (a GET goes back to the case).
    "workspace:reintegration_assessment_add",
    "workspace:reintegration_plan_add",
    "workspace:reintegration_plan_move",
    "workspace:reintegration_follow_up",
    "workspace:reintegration_case_close",
    # Mobility: forms on the pre-departure and placement pages.
    "workspace:application_invite",
    "workspace:placement_move",
}
EDITING_PAGES = {
    "workspace:engagement_create",
    "workspace:agreement_create",
    "workspace:agreement_edit",
    "workspace:indicator_add",
    # Labour-market studies (the walk's study is in France): the same editors; a caseworker of
    # the study's author may edit too (tests/web/workspace/test_studies.py).
    "workspace:study_create",
    "workspace:study_edit",
    "workspace:in_demand_create",
    "workspace:in_demand_edit",
}
MINISTRY_ONLY = {"workspace:partner_add", "workspace:decision_create"}
POST_ONLY = {
    "workspace:agreement_document_remove",
    "workspace:in_demand_remove",
    "workspace:employer_document_remove",
    "workspace:job_seeker_document_remove",
    "workspace:eligibility_rule_remove",
    "workspace:duplicate_merge",
    "workspace:duplicate_dismiss",
    "workspace:merge_undo",
    "workspace:shortlist_applications",
    "workspace:round_publish",
    "workspace:attendance_mark",
}
EDITING_FORM_TARGETS = {"workspace:agreement_quota_add", "workspace:agreement_document_add"}
# Demand pages, by role: the walk's employer (in France, the test embassy's country) and agency
# belong to no test user, so scoping answers 404 to the employer and agency roles (their own
# records are tested in tests/web/workspace/test_demand.py). The walk's employer user belongs to
# no foreign employer, so it may not register one either.
DEMAND_ROLES = (
    Role.MINISTRY_OFFICER,
    Role.EMBASSY_OFFICER,
    Role.CASEWORKER,
    Role.EMPLOYER,
    Role.AGENCY,
)
DEMAND_PAGES = {
    "workspace:employer_create": (200, 200, 403, 403, 403),
    "workspace:employer_detail": (200, 200, 200, 404, 404),
    "workspace:employer_edit": (200, 200, 403, 404, 404),
    "workspace:employer_vet": (302, 302, 302, 404, 404),
    # Employer documents: the walk's document belongs to the walk's employer. A GET of the
    # upload target goes back to the employer for its editors.
    "workspace:employer_document_add": (302, 302, 403, 404, 404),
    "workspace:employer_document": (200, 200, 200, 404, 404),
    "workspace:agency_detail": (200, 200, 200, 404, 404),
    "workspace:agency_move": (302, 403, 403, 403, 403),
    "workspace:agency_report_create": (403, 403, 403, 404, 404),
    "workspace:agency_report_detail": (200, 200, 200, 404, 404),
    # The walk's vacancy is a draft in France by the walk's employer.
    "workspace:vacancy_create": (200, 200, 403, 403, 403),
    "workspace:vacancy_detail": (200, 200, 200, 404, 404),
    "workspace:vacancy_edit": (200, 200, 403, 404, 404),
    "workspace:vacancy_move": (302, 302, 302, 404, 404),
    # Everyone who sees the vacancy reads its eligibility rules; the ministry adds them.
    "workspace:vacancy_eligibility": (200, 200, 200, 404, 404),
    # Applications: officers who manage them see the vacancy's; the embassy sees the vacancy
    # but not its applicants; the employer and agency roles do not see the walk's vacancy.
    "workspace:vacancy_applications": (200, 403, 200, 404, 404),
    "workspace:application_detail": (200, 404, 200, 404, 404),
}
# Imports: only roles that may run an import kind (today the employer import: the ministry and
# embassies) get the pages, others 403; the walk's job belongs to no test user, so it is a 404.
IMPORT_ROLES = (Role.MINISTRY_OFFICER, Role.EMBASSY_OFFICER)
CASEWORKER_BARRED_IMPORT_PAGES = {"workspace:import_upload", "workspace:import_template"}
IMPORT_PAGES = {
    "workspace:import_list": 200,
    "workspace:import_upload": 200,
    "workspace:import_template": 200,
    "workspace:import_job": 404,
    "workspace:import_job_errors": 404,
}


def test_every_role_has_a_row_in_the_matrix():
    assert set(ROLE_RIGHTS) == set(Role.values)


def test_the_walk_covers_all_workspace_pages():
    assert len(WORKSPACE_URLS) >= 10


def person_user_pk(organisation) -> int:
    return UserFactory(organisation=organisation).pk


def _url(name: str, person, organisation) -> str:
    employer = ForeignEmployerFactory()
    report = AgencyReportFactory()
    vacancy = VacancyFactory(employer=employer, country_id="FR", city="Angers")
    in_demand = InDemandOccupationFactory()
    if name.startswith("workspace:reintegration"):
        return _reintegration_url(name, person)
    if name.startswith(("workspace:grievance", "workspace:check_in")):
        return _protection_url(name, person, vacancy)
    if name in MOBILITY_URLS:
        return _mobility_url(name, person, vacancy)
    if name in RECRUITMENT_URLS:
        return _recruitment_url(name, person, vacancy)
    kwargs = {
        "workspace:occupation_detail": {"code": "5120"},
        "workspace:organisation_detail": {"pk": organisation.pk},
        "workspace:organisation_edit": {"pk": organisation.pk},
        "workspace:user_role": {"pk": person_user_pk(organisation)},
        "workspace:job_seeker_detail": {"public_id": person.public_id},
        "workspace:job_seeker_edit": {"public_id": person.public_id, "step": "identity"},
        "workspace:job_seeker_document_add": {"public_id": person.public_id},
        "workspace:job_seeker_document": {
            "public_id": person.public_id,
            "pk": JobSeekerDocumentFactory(job_seeker=person).pk,
        },
        "workspace:job_seeker_document_remove": {
            "public_id": person.public_id,
            "pk": JobSeekerDocumentFactory(job_seeker=person).pk,
        },
        "workspace:partner_detail": {"code": "FR"},
        "workspace:partner_move": {"code": "FR"},
        "workspace:engagement_create": {"code": "FR"},
        "workspace:indicator_add": {"code": "FR"},
        "workspace:decision_create": {"code": "FR"},
        "workspace:briefing": {"code": "FR"},
        "workspace:briefing_pdf": {"code": "FR"},
        "workspace:action_plan_detail": {"pk": ActionFactory().plan_id},
        "workspace:action_update": {"pk": ActionFactory().pk},
        "workspace:agreement_create": {"code": "FR"},
        "workspace:agreement_detail": {"pk": AgreementFactory().pk},
        "workspace:agreement_edit": {"pk": AgreementFactory().pk},
        "workspace:agreement_move": {"pk": AgreementFactory().pk},
        "workspace:agreement_quota_add": {"pk": AgreementFactory().pk},
        "workspace:agreement_document_add": {"pk": AgreementFactory().pk},
        "workspace:agreement_document": {"pk": AgreementDocumentFactory().pk},
        "workspace:agreement_document_remove": {"pk": AgreementDocumentFactory().pk},
        "workspace:employer_detail": {"pk": employer.pk},
        "workspace:employer_edit": {"pk": employer.pk},
        "workspace:employer_vet": {"pk": employer.pk},
        "workspace:employer_document_add": {"pk": employer.pk},
        "workspace:employer_document": {"pk": EmployerDocumentFactory(employer=employer).pk},
        "workspace:employer_document_remove": {"pk": EmployerDocumentFactory(employer=employer).pk},
        "workspace:agency_detail": {"pk": report.agency_id},
        "workspace:agency_move": {"pk": report.agency_id},
        "workspace:agency_report_create": {"pk": report.agency_id},
        "workspace:agency_report_detail": {"pk": report.pk},
        "workspace:vacancy_detail": {"pk": vacancy.pk},
        "workspace:vacancy_edit": {"pk": vacancy.pk},
        "workspace:vacancy_move": {"pk": vacancy.pk},
        "workspace:study_detail": {"pk": in_demand.study_id},
        "workspace:study_edit": {"pk": in_demand.study_id},
        "workspace:in_demand_create": {"pk": in_demand.study_id},
        "workspace:in_demand_edit": {"pk": in_demand.pk},
        "workspace:in_demand_remove": {"pk": in_demand.pk},
        "workspace:import_upload": {"kind": "foreign_employers"},
        "workspace:import_template": {"kind": "foreign_employers", "file_format": "xlsx"},
        "workspace:import_job": {"pk": ImportJobFactory().pk},
        "workspace:import_job_errors": {"pk": ImportJobFactory().pk},
        "workspace:deletion_request_detail": {"pk": DeletionRequestFactory().pk},
        "workspace:vacancy_eligibility": {"pk": vacancy.pk},
        "workspace:agreement_eligibility": {"pk": AgreementFactory().pk},
        "workspace:eligibility_rule_remove": {"pk": EligibilityRuleFactory().pk},
        "workspace:duplicate_detail": {"pk": DuplicateCandidateFactory().pk},
        "workspace:duplicate_merge": {"pk": DuplicateCandidateFactory().pk},
        "workspace:duplicate_dismiss": {"pk": DuplicateCandidateFactory().pk},
        # POST-only: the method is refused before any merge is looked up.
        "workspace:merge_undo": {"pk": 1},
        # Matching: the walk's vacancy (seen by all who run matching) and a run of it.
        "workspace:vacancy_shortlists": {"pk": vacancy.pk},
        "workspace:match_run": {"public_id": MatchRunFactory(vacancy=vacancy).public_id},
        "workspace:matching_weights_edit": {"scheme": "national"},
    }.get(name, {})
    return reverse(name, kwargs=kwargs)


RECRUITMENT_URLS = {
    "workspace:vacancy_applications",
    "workspace:application_detail",
    "workspace:shortlist_applications",
    "workspace:vacancy_rounds",
    "workspace:selection_round",
    "workspace:round_publish",
}


def _recruitment_url(name: str, person, vacancy) -> str:
    """Applications and selection rounds of the walk's vacancy; the application is the walk's
    person's."""
    kwargs = {
        "workspace:vacancy_applications": lambda: {"pk": vacancy.pk},
        "workspace:vacancy_rounds": lambda: {"pk": vacancy.pk},
        "workspace:application_detail": lambda: {
            "public_id": ApplicationFactory(job_seeker=person, vacancy=vacancy).public_id
        },
        "workspace:shortlist_applications": lambda: {
            "public_id": MatchRunFactory(vacancy=vacancy).public_id
        },
        "workspace:selection_round": lambda: {
            "public_id": SelectionRoundFactory(vacancy=vacancy).public_id
        },
        "workspace:round_publish": lambda: {
            "public_id": SelectionRoundFactory(vacancy=vacancy).public_id
        },
    }[name]()
    return reverse(name, kwargs=kwargs)


def _protection_url(name: str, person, vacancy) -> str:
    """Grievances and check-ins: the person works for the walk's employer in France, where the
    test embassy is, so every role that handles grievances sees them."""
    placement = PlacementFactory(application__job_seeker=person, application__vacancy=vacancy)
    kwargs = {
        "workspace:grievance_detail": lambda: {
            "public_id": GrievanceFactory(placement=placement).public_id
        },
        "workspace:grievance_action": lambda: {
            "public_id": GrievanceFactory(placement=placement).public_id
        },
        "workspace:grievance_create": lambda: {"public_id": person.public_id},
        "workspace:check_in_record": lambda: {"pk": CheckInFactory(placement=placement).pk},
    }.get(name, dict)()
    return reverse(name, kwargs=kwargs)


MOBILITY_URLS = {
    "workspace:application_predeparture",
    "workspace:application_invite",
    "workspace:placement_create",
    "workspace:session_detail",
    "workspace:session_edit",
    "workspace:attendance_mark",
    "workspace:certificate_download",
    "workspace:placement_detail",
    "workspace:placement_move",
    "workspace:return_create",
}


def _mobility_url(name: str, person, vacancy) -> str:
    """Pre-departure, sessions and placements: the walk's person applied to the walk's vacancy
    in France (the test embassy's country); the session is run by the user's organisation, so
    its editors include every role that manages mobility."""
    from tests.mobility.factories import (
        AttendanceFactory,
        DepartingApplicationFactory,
        OrientationSessionFactory,
    )

    def application(**traits):
        return DepartingApplicationFactory(job_seeker=person, vacancy=vacancy, **traits)

    def session():
        if person.registered_by_organisation_id:
            return OrientationSessionFactory(organisation=person.registered_by_organisation)
        return OrientationSessionFactory()

    def certificate():
        return AttendanceFactory(
            application=application(pre_departure=True),
            attended=True,
            certificate_code="ABCDE23456",
        )

    def placement():
        return PlacementFactory(application__job_seeker=person, application__vacancy=vacancy)

    kwargs = {
        "workspace:application_predeparture": lambda: {
            "public_id": application(pre_departure=True).public_id
        },
        "workspace:application_invite": lambda: {
            "public_id": application(pre_departure=True).public_id
        },
        "workspace:placement_create": lambda: {"public_id": application(ready=True).public_id},
        "workspace:session_detail": lambda: {"pk": session().pk},
        "workspace:session_edit": lambda: {"pk": session().pk},
        "workspace:attendance_mark": lambda: {"pk": 1},
        "workspace:certificate_download": lambda: {"pk": certificate().pk},
        "workspace:placement_detail": lambda: {"public_id": placement().public_id},
        "workspace:placement_move": lambda: {"public_id": placement().public_id},
        "workspace:return_create": lambda: {"public_id": placement().public_id},
    }[name]()
    return reverse(name, kwargs=kwargs)


def _reintegration_url(name: str, person) -> str:
    """A reintegration case of the walk's person, assisted by an NGO: the ministry and the
    employment agency's caseworkers (the walk's organisation) see it; NGO scoping has its own
    tests (tests/web/workspace/test_reintegration.py)."""
    if name in {"workspace:reintegration_case_list", "workspace:reintegration_case_open"}:
        return reverse(name)
    case = ReintegrationCaseFactory(job_seeker=person)
    kwargs: dict[str, object] = {"public_id": case.public_id}
    if name == "workspace:reintegration_plan_move":
        kwargs["pk"] = AssistanceItemFactory(case=case).pk
    if name == "workspace:reintegration_follow_up":
        kwargs["month"] = 3
    return reverse(name, kwargs=kwargs)


@pytest.mark.parametrize("role", Role.values)
@pytest.mark.parametrize("url_name", WORKSPACE_URLS)
def test_role_matrix(client, role, url_name):
    # An embassy officer works at the embassy in France, the partner these pages show.
    user = (
        UserFactory(embassy_officer=True)
        if role == Role.EMBASSY_OFFICER
        else UserFactory(role=role)
    )
    PartnerCountryFactory(country_id="FR")
    # A person this user's organisation registered, so scoping does not hide them from
    # caseworkers; the matrix is about rights, scoping has its own tests.
    person = JobSeekerFactory(registered_by_organisation=user.organisation)
    if role == Role.JOB_SEEKER:
        person.user = user
        person.save()
    url = _url(url_name, person, OrganisationFactory())
    client.force_login(user)
    response = client.get(url)
    if response.streaming:  # a download: read it to the end so the file is closed
        b"".join(response.streaming_content)

    required = resolve(url).func.required_right
    allowed = Right.WORKSPACE in ROLE_RIGHTS[role] and required in ROLE_RIGHTS[role]
    if role == Role.JOB_SEEKER and url_name == "workspace:home":
        assert response.status_code == 302
        assert response.url == reverse("portal:me")
    elif allowed and url_name in DEMAND_PAGES:
        expected = dict(zip(DEMAND_ROLES, DEMAND_PAGES[url_name], strict=True))
        assert response.status_code == expected[role]
    elif allowed and url_name in IMPORT_PAGES:
        if role == Role.CASEWORKER:
            # Caseworkers import job seekers, not the foreign employers these URLs name.
            expected = 403 if url_name in CASEWORKER_BARRED_IMPORT_PAGES else IMPORT_PAGES[url_name]
        else:
            expected = IMPORT_PAGES[url_name] if role in IMPORT_ROLES else 403
        assert response.status_code == expected
    elif allowed and url_name in POST_ONLY:
        assert response.status_code == 405  # rights are checked first, then the method
    elif allowed and url_name in FORM_TARGETS:
        assert response.status_code == 302  # a form target: a GET goes back to the record
    elif allowed and url_name in MINISTRY_ONLY:
        assert response.status_code == (200 if role == Role.MINISTRY_OFFICER else 403)
    elif allowed and url_name in EDITING_FORM_TARGETS:
        editors = {Role.MINISTRY_OFFICER, Role.EMBASSY_OFFICER}
        assert response.status_code == (302 if role in editors else 403)
    elif allowed and url_name in EDITING_PAGES:
        # Reading partners is not editing them: only the ministry and the country's embassy.
        editors = {Role.MINISTRY_OFFICER, Role.EMBASSY_OFFICER}
        assert response.status_code == (200 if role in editors else 403)
    elif allowed:
        assert response.status_code == 200
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("url_name", WORKSPACE_URLS)
def test_anonymous_visitors_are_sent_to_sign_in(client, url_name):
    PartnerCountryFactory(country_id="FR")
    url = _url(url_name, JobSeekerFactory(), OrganisationFactory())
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
