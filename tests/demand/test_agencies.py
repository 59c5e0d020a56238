import dataclasses
import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from gza.core.enums import Role
from gza.core.errors import DomainError
from gza.demand.enums import CertificationStatus
from gza.demand.models import (
    CERTIFICATION,
    Agency,
    AgencyReport,
    AgencyReportLine,
    AgencyStatusEvent,
    last_due_year,
    report_deadline,
)
from gza.demand.services import (
    PUBLIC_AGENCY_FIELDS,
    agencies_late_with_report,
    agency_move,
    agency_register,
    agency_report_file,
    agency_scorecard,
    agency_status_lookup,
)
from gza.registry.enums import Sex
from tests.core.factories import UserFactory
from tests.demand.factories import (
    AgencyFactory,
    AgencyReportFactory,
    AgencyReportLineFactory,
    at_noon,
)

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2026, 11, 22)
NOT_PERMITTED = re.escape(str(DomainError.NOT_PERMITTED))


def test_certification_reaches_every_status_and_only_known_ones():
    assert CERTIFICATION.states == set(CertificationStatus.values)


@given(st.lists(st.sampled_from(sorted(CERTIFICATION.transitions)), max_size=12))
def test_any_sequence_of_certification_moves_stays_legal(names):
    state = CertificationStatus.APPLIED
    for name in names:
        try:
            move = CERTIFICATION.get(name, state=state)
        except DomainError:
            continue
        assert state in move.sources
        state = move.target
        assert state in CertificationStatus.values


@settings(max_examples=15, deadline=None)
@given(st.lists(st.sampled_from(sorted(CERTIFICATION.transitions)), max_size=6))
def test_the_service_logs_exactly_the_accepted_moves(names):
    officer = UserFactory()
    agency = AgencyFactory()
    accepted = 0
    for name in names:
        try:
            agency_move(
                actor=officer,
                agency=agency,
                transition=name,
                occurred_on=D(2024, 1, 10),
                reason="why",
            )
            accepted += 1
        except DomainError:
            pass
    agency.refresh_from_db()
    assert agency.status in CertificationStatus.values
    # The factory's log holds the application; each accepted move adds one row.
    assert agency.status_events.count() == 1 + accepted


def test_the_deadline_rule_and_the_latest_year_due():
    assert report_deadline(2024) == D(2025, 3, 31)
    assert last_due_year(D(2026, 3, 31)) == 2024  # the report on 2025 is due today, not late
    assert last_due_year(D(2026, 4, 1)) == 2025


def test_the_ministry_registers_and_certifies_an_agency():
    officer = UserFactory()
    agency = agency_register(
        actor=officer,
        agency=Agency(
            name_ka="შპს „ახალი გზა“", name_en="New Way LLC", registry_number="405111222"
        ),
        applied_on=D(2024, 2, 1),
    )
    assert (agency.status, agency.status_since) == (CertificationStatus.APPLIED, D(2024, 2, 1))
    agency_move(
        actor=officer,
        agency=agency,
        transition="certify",
        occurred_on=D(2024, 3, 1),
        expires_on=D(2029, 3, 1),
    )
    agency.refresh_from_db()
    assert (agency.status, agency.certified_on, agency.expires_on) == (
        CertificationStatus.CERTIFIED,
        D(2024, 3, 1),
        D(2029, 3, 1),
    )
    assert [e.transition for e in agency.status_events.order_by("id")] == ["apply", "certify"]


@pytest.mark.parametrize(
    "role", [Role.EMBASSY_OFFICER, Role.CASEWORKER, Role.AGENCY, Role.EMPLOYER, Role.ANALYST]
)
def test_only_the_ministry_registers_and_moves_agencies(role):
    actor = UserFactory(role=role)
    with pytest.raises(DomainError, match=NOT_PERMITTED):
        agency_register(actor=actor, agency=AgencyFactory.build())
    with pytest.raises(DomainError, match=NOT_PERMITTED):
        agency_move(
            actor=actor, agency=AgencyFactory(), transition="certify", occurred_on=D(2024, 1, 1)
        )


@pytest.mark.parametrize("number", ["40512345", "4051234567", "40512345a", "405 123 456", ""])
def test_a_registry_number_has_9_or_11_digits(number):
    with pytest.raises(ValidationError) as refused:
        AgencyFactory.build(registry_number=number).full_clean()
    assert "registry_number" in refused.value.error_dict


@pytest.mark.usefixtures("english")
def test_a_registry_number_is_recorded_once():
    AgencyFactory(registry_number="405000111")
    with pytest.raises(ValidationError, match="already recorded"):
        agency_register(
            actor=UserFactory(), agency=AgencyFactory.build(registry_number="405000111")
        )


def test_moves_need_reasons_and_dates_in_order():
    officer = UserFactory()
    agency = AgencyFactory(certified=True)
    with pytest.raises(ValidationError) as no_reason:
        agency_move(actor=officer, agency=agency, transition="suspend", occurred_on=D(2024, 5, 1))
    assert "reason" in no_reason.value.error_dict
    with pytest.raises(ValidationError) as early:
        agency_move(
            actor=officer,
            agency=agency,
            transition="suspend",
            occurred_on=D(2023, 1, 1),
            reason="complaints",
        )
    assert "occurred_on" in early.value.error_dict
    with pytest.raises(ValidationError) as future:
        agency_move(
            actor=officer,
            agency=agency,
            transition="expire",
            occurred_on=datetime.date.today() + datetime.timedelta(days=2),
        )
    assert "occurred_on" in future.value.error_dict
    applicant = AgencyFactory()
    with pytest.raises(ValidationError) as backwards:
        agency_move(
            actor=officer,
            agency=applicant,
            transition="certify",
            occurred_on=D(2024, 3, 1),
            expires_on=D(2024, 2, 1),
        )
    assert "expires_on" in backwards.value.error_dict
    assert AgencyStatusEvent.objects.filter(agency=agency).count() == 2  # as the factory made it


def _agency_user(agency: Agency):
    return UserFactory(role=Role.AGENCY, organisation=agency.organisation)


def _line(country="PL", occupation="9211", sex=Sex.FEMALE, placements=5) -> AgencyReportLine:
    return AgencyReportLine(
        country_id=country, occupation_id=occupation, sex=sex, placements=placements
    )


def test_the_agency_files_its_report_with_its_lines_in_one_go():
    agency = AgencyFactory(certified=True, with_organisation=True)
    user = _agency_user(agency)
    report = agency_report_file(
        actor=user,
        agency=agency,
        year=2025,
        complaints_received=2,
        lines=[_line(), _line(sex=Sex.MALE, placements=7), _line(country="DE", occupation="5120")],
    )
    assert report.deadline == D(2026, 3, 31)
    assert report.submitted_by == user
    assert report.lines.count() == 3
    assert sum(report.lines.values_list("placements", flat=True)) == 17


def test_a_report_filed_after_its_deadline_is_accepted_and_marked_late():
    agency = AgencyFactory(certified=True, with_organisation=True)
    report = agency_report_file(
        actor=_agency_user(agency), agency=agency, year=2023, complaints_received=0, lines=[]
    )
    assert report.is_late  # the report on 2023 was due by 31 March 2024


@pytest.mark.parametrize(
    "actor",
    [
        lambda agency: UserFactory(),  # the ministry files nothing on an agency's behalf
        lambda agency: UserFactory(role=Role.AGENCY),  # another agency's user
    ],
)
def test_only_the_agencys_own_user_files_its_report(actor):
    agency = AgencyFactory(certified=True, with_organisation=True)
    with pytest.raises(DomainError, match=NOT_PERMITTED):
        agency_report_file(
            actor=actor(agency), agency=agency, year=2025, complaints_received=0, lines=[]
        )


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (
            [_line, lambda: _line(placements=3)],
            "Line 2 repeats line 1: the same country, occupation and sex.",
        ),
        ([lambda: _line(placements=-1)], "Line 1, placements: "),
        ([lambda: _line(occupation="9999")], "Unknown ISCO-08 unit group: 9999."),
        ([lambda: _line(occupation="921")], "Unknown ISCO-08 unit group: 921."),
        ([_line, lambda: _line(country="XX")], "Line 2, country: "),
    ],
)
@pytest.mark.usefixtures("english")
def test_a_bad_line_refuses_the_whole_report(lines, message):
    agency = AgencyFactory(certified=True, with_organisation=True)
    with pytest.raises(ValidationError) as refused:
        agency_report_file(
            actor=_agency_user(agency),
            agency=agency,
            year=2025,
            complaints_received=0,
            lines=[make() for make in lines],
        )
    assert any(message in text for text in refused.value.message_dict["lines"])
    assert not AgencyReport.objects.exists()
    assert not AgencyReportLine.objects.exists()


@pytest.mark.usefixtures("english")
def test_a_report_on_a_future_year_or_a_second_one_for_a_year_is_refused():
    agency = AgencyFactory(certified=True, with_organisation=True)
    user = _agency_user(agency)
    future = datetime.date.today().year + 1
    with pytest.raises(ValidationError) as refused:
        agency_report_file(actor=user, agency=agency, year=future, complaints_received=0, lines=[])
    assert "year" in refused.value.error_dict
    agency_report_file(actor=user, agency=agency, year=2024, complaints_received=0, lines=[])
    with pytest.raises(ValidationError, match="already filed"):
        agency_report_file(actor=user, agency=agency, year=2024, complaints_received=1, lines=[])
    assert AgencyReport.objects.count() == 1


def _crafted_agencies() -> dict[str, Agency]:
    """Five agencies on 22 November 2026, when the reports on 2025 are overdue."""
    officer = UserFactory()
    filed = AgencyFactory(certified=True, name_en="Filed")
    AgencyReportFactory(agency=filed, year=2025)
    silent = AgencyFactory(certified=True, name_en="Silent")
    applicant = AgencyFactory(name_en="Applicant")
    revoked = AgencyFactory(certified=True, name_en="Revoked")
    agency_move(
        actor=officer,
        agency=revoked,
        transition="revoke",
        occurred_on=D(2024, 6, 1),
        reason="placed workers without contracts",
    )
    newcomer = AgencyFactory(name_en="Newcomer")
    agency_move(actor=officer, agency=newcomer, transition="certify", occurred_on=D(2026, 2, 1))
    return {
        "filed": filed,
        "silent": silent,
        "applicant": applicant,
        "revoked": revoked,
        "newcomer": newcomer,
    }


def test_the_late_list_names_agencies_that_held_a_certificate_and_have_not_filed():
    agencies = _crafted_agencies()
    late_2025 = agencies_late_with_report(2025, TODAY)
    assert {a.name_en for a in late_2025} == {"Silent"}
    # The revoked agency held its certificate in 2024, so that year's report is still owed.
    late_2024 = agencies_late_with_report(2024, TODAY)
    assert {a.name_en for a in late_2024} == {"Filed", "Silent", "Revoked"}
    # Before the deadline nobody is late.
    assert agencies_late_with_report(2026, TODAY) == []
    assert agencies_late_with_report(2025, D(2026, 3, 31)) == []
    among = Agency.objects.filter(pk=agencies["filed"].pk)
    assert agencies_late_with_report(2024, TODAY, among=among) == [agencies["filed"]]


def test_the_scorecard_counts_reports_complaints_placements_and_suspensions():
    officer = UserFactory()
    agency = AgencyFactory(certified=True)
    on_time = AgencyReportFactory(agency=agency, year=2023, complaints_received=2)
    AgencyReportLineFactory(report=on_time, placements=10)
    AgencyReportLineFactory(report=on_time, sex=Sex.MALE, placements=5)
    late = AgencyReportFactory(agency=agency, year=2024, complaints_received=1, late=True)
    AgencyReportLineFactory(report=late, country_id="FR", placements=7)
    # An unsubmitted report counts for nothing.
    AgencyReportFactory(agency=agency, year=2025, submitted_at=None, complaints_received=9)
    for day, move in [
        (D(2024, 5, 1), "suspend"),
        (D(2024, 6, 1), "reinstate"),
        (D(2025, 2, 1), "suspend"),
        (D(2025, 3, 1), "reinstate"),
    ]:
        agency_move(actor=officer, agency=agency, transition=move, occurred_on=day, reason="r")
    other = AgencyReportFactory(year=2023, complaints_received=50)
    AgencyReportLineFactory(report=other, placements=100)

    card = agency_scorecard(agency, TODAY)
    assert (card.on_time, card.late, card.missing_years, card.missing) == (1, 1, [2025], 1)
    assert (card.complaints, card.placements, card.suspensions) == (3, 22, 2)
    assert late.is_late and not on_time.is_late


def test_a_report_filed_on_its_deadline_day_in_tbilisi_is_on_time():
    report = AgencyReportFactory(year=2024, submitted_at=at_noon(D(2025, 3, 31)))
    assert not report.is_late


def test_the_public_lookup_finds_by_name_or_registry_number_and_shows_no_contacts():
    AgencyFactory(
        certified=True,
        name_ka="შპს „სამართლიანი გზა“",
        name_en="Fair Way Employment LLC",
        registry_number="405900001",
        contact_email="director@fairway.example",
    )
    AgencyFactory(name_en="Other Agency LLC", registry_number="405900002")
    assert [r.name_en for r in agency_status_lookup("fair WAY")] == ["Fair Way Employment LLC"]
    assert [r.name_en for r in agency_status_lookup("სამართლიანი")] == ["Fair Way Employment LLC"]
    (found,) = agency_status_lookup(" 405900001 ")
    assert {f.name for f in dataclasses.fields(found)} == set(PUBLIC_AGENCY_FIELDS)
    assert "fairway.example" not in repr(found)
    assert (found.status, found.certified_on) == ("certified", D(2023, 10, 2))
    assert agency_status_lookup("40590000") == []  # a registry number matches whole
    assert agency_status_lookup("") == agency_status_lookup(" a ") == []


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        (Role.MINISTRY_OFFICER, 2),
        (Role.EMBASSY_OFFICER, 2),
        (Role.CASEWORKER, 2),
        (Role.AGENCY, 0),
        (Role.EMPLOYER, 0),
        (Role.ANALYST, 0),
        (Role.NONE, 0),
    ],
)
def test_who_sees_which_agencies(role, sees):
    AgencyFactory()
    AgencyReportFactory()
    user = UserFactory(role=role)
    assert Agency.objects.visible_to(user).count() == sees
    assert AgencyReport.objects.visible_to(user).count() == (1 if sees else 0)


def test_an_agency_user_sees_its_own_agency_and_reports_only():
    own = AgencyFactory(certified=True, with_organisation=True)
    AgencyReportFactory(agency=own)
    AgencyReportFactory()
    user = _agency_user(own)
    assert list(Agency.objects.visible_to(user)) == [own]
    assert [r.agency for r in AgencyReport.objects.visible_to(user)] == [own]
