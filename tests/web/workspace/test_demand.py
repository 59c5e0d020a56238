from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from gza.core.enums import OrganisationKind, Role
from gza.core.models import User
from gza.demand.demo import demand_demo_load
from gza.demand.enums import CertificationStatus, VettingStatus
from gza.demand.models import Agency, AgencyReport, ForeignEmployer, last_due_year
from tests.core.factories import OrganisationFactory, UserFactory
from tests.demand.factories import (
    AgencyFactory,
    AgencyReportFactory,
    AgencyReportLineFactory,
    ForeignEmployerFactory,
)

pytestmark = pytest.mark.django_db

# With ATOMIC_REQUESTS (PostgreSQL) each request is a savepoint inside the test transaction.
REQUEST_SAVEPOINT = 2 if connection.settings_dict["ATOMIC_REQUESTS"] else 0


def _en(name: str, *args) -> str:
    return "/en" + reverse(name, args=args)[3:]


def test_the_embassy_vets_an_employer_from_its_page(client):
    client.force_login(UserFactory(embassy_officer=True))
    employer = ForeignEmployerFactory()
    url = _en("workspace:employer_vet", employer.pk)
    refused = client.post(url, {"transition": "reject", "reason": ""})
    assert refused.status_code == 200
    assert "this move needs a reason" in refused.content.decode()
    done = client.post(url, {"transition": "verify"})
    assert done.status_code == 302
    employer.refresh_from_db()
    assert employer.vetting_status == VettingStatus.VERIFIED
    page = client.get(_en("workspace:employer_detail", employer.pk)).content.decode()
    assert "Pending vetting → verified" in page


def test_an_embassy_meets_a_404_for_another_countrys_employer(client):
    client.force_login(UserFactory(embassy_officer=True))
    polish = ForeignEmployerFactory(in_poland=True)
    for name in ["workspace:employer_detail", "workspace:employer_edit"]:
        assert client.get(reverse(name, args=[polish.pk])).status_code == 404
    vet = client.post(reverse("workspace:employer_vet", args=[polish.pk]), {"transition": "verify"})
    assert vet.status_code == 404
    polish.refresh_from_db()
    assert polish.vetting_status == VettingStatus.PENDING


def test_a_caseworker_reads_an_employer_but_may_not_vet_it(client):
    client.force_login(UserFactory(iom_caseworker=True))
    employer = ForeignEmployerFactory()
    page = client.get(reverse("workspace:employer_detail", args=[employer.pk])).content.decode()
    assert employer.contact_email in page and "/vetting/" not in page
    vet = client.post(
        reverse("workspace:employer_vet", args=[employer.pk]), {"transition": "verify"}
    )
    assert vet.status_code == 403


def test_an_employer_registers_itself_and_sees_only_its_own_record(client):
    organisation = OrganisationFactory(kind=OrganisationKind.FOREIGN_EMPLOYER, country_id="PL")
    user = UserFactory(role=Role.EMPLOYER, organisation=organisation)
    other = ForeignEmployerFactory(in_poland=True)
    client.force_login(user)
    response = client.post(
        reverse("workspace:employer_create"),
        {
            "name": "Sady Testowe sp. z o.o.",
            "country": "PL",
            "city": "Grójec",
            "nace_section": "A",
            "registration_number": "0000123456",
            "contact_person": "Anna Kowalska",
            "contact_email": "anna@sady.example",
        },
    )
    assert response.status_code == 302
    own = ForeignEmployer.objects.get(organisation=organisation)
    assert own.vetting_status == VettingStatus.PENDING
    listing = client.get(reverse("workspace:employer_list")).content.decode()
    assert own.name in listing and other.name not in listing
    assert client.get(other.get_absolute_url()).status_code == 404
    # One record per organisation: the form is closed once it exists.
    assert client.get(reverse("workspace:employer_create")).status_code == 403
    # Its own record it may edit, but not move to another country.
    edit = client.get(reverse("workspace:employer_edit", args=[own.pk])).content.decode()
    assert 'name="country"' in edit and "disabled" in edit


def test_the_employer_list_filters_and_costs_a_fixed_number_of_queries(
    client, django_assert_num_queries
):
    client.force_login(UserFactory())
    ForeignEmployerFactory(name="Ferme Alpha", verified=True)
    ForeignEmployerFactory(name="Sady Beta", in_poland=True)
    url = reverse("workspace:employer_list")
    assert "Sady Beta" not in client.get(url, {"country": "FR"}).content.decode()
    assert "Ferme Alpha" not in client.get(url, {"status": "pending"}).content.decode()
    client.get(url)  # warm up: content types, session
    # session, user, TOTP devices, count, organisation, page, countries for the filter, and the
    # session renewal (savepoint, update, release): the same however many employers there are.
    with django_assert_num_queries(10 + REQUEST_SAVEPOINT):
        client.get(url)
    ForeignEmployerFactory.create_batch(10)
    with django_assert_num_queries(10 + REQUEST_SAVEPOINT):
        client.get(url)


def test_the_ministry_records_an_application_and_certifies_the_agency(client):
    client.force_login(UserFactory())
    response = client.post(
        reverse("workspace:agency_create"),
        {
            "name_ka": "შპს „ახალი გზა“",
            "name_en": "New Way LLC",
            "registry_number": "405111222",
            "applied_on": "2024-02-01",
        },
    )
    assert response.status_code == 302
    agency = Agency.objects.get()
    bad = client.post(
        _en("workspace:agency_move", agency.pk),
        {"transition": "certify", "occurred_on": "2024-01-01"},
    )
    assert "before the current status began" in bad.content.decode()
    done = client.post(
        reverse("workspace:agency_move", args=[agency.pk]),
        {"transition": "certify", "occurred_on": "2024-03-01", "expires_on": "2029-02-28"},
    )
    assert done.status_code == 302
    agency.refresh_from_db()
    assert agency.status == CertificationStatus.CERTIFIED
    invalid = client.post(reverse("workspace:agency_create"), {"registry_number": "12"})
    assert invalid.status_code == 200 and Agency.objects.count() == 1


def _report_form(rows: list[tuple], year: int = 2025, total: int = 5) -> dict:
    data = {
        "year": str(year),
        "complaints_received": "1",
        "lines-TOTAL_FORMS": str(total),
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "60",
    }
    for index, (country, occupation, sex, placements) in enumerate(rows):
        data |= {
            f"lines-{index}-country": country,
            f"lines-{index}-occupation": occupation,
            f"lines-{index}-sex": sex,
            f"lines-{index}-placements": str(placements),
        }
    return data


def test_the_agency_files_its_report_through_the_form(client):
    agency = AgencyFactory(certified=True, with_organisation=True)
    client.force_login(UserFactory(role=Role.AGENCY, organisation=agency.organisation))
    url = _en("workspace:agency_report_create", agency.pk)
    page = client.get(url).content.decode()
    assert '<datalist id="isco-units">' in page and "lines-4-country" in page
    assert "lines-9-country" in client.get(url + "?rows=10").content.decode()

    unknown = client.post(url, _report_form([("PL", "9999", "f", 3)]))
    assert "Unknown ISCO-08 unit group: 9999." in unknown.content.decode()
    duplicate = client.post(url, _report_form([("PL", "9211", "f", 3), ("PL", "9211", "f", 4)]))
    assert "Line 2 repeats line 1" in duplicate.content.decode()
    negative = client.post(url, _report_form([("PL", "9211", "f", -2)]))
    assert negative.status_code == 200
    assert not AgencyReport.objects.exists()

    done = client.post(url, _report_form([("PL", "9211", "f", 3), ("PL", "9211", "m", 4)]))
    assert done.status_code == 302
    report = AgencyReport.objects.get()
    assert (report.year, report.lines.count(), report.submitted_by.role) == (2025, 2, "agency")
    detail = client.get(done.url).content.decode()
    assert "9211" in detail


def test_only_the_agencys_own_user_reaches_its_report_form(client):
    agency = AgencyFactory(certified=True, with_organisation=True)
    client.force_login(UserFactory())
    assert (
        client.get(reverse("workspace:agency_report_create", args=[agency.pk])).status_code == 403
    )
    client.force_login(UserFactory(role=Role.AGENCY))
    assert (
        client.get(reverse("workspace:agency_report_create", args=[agency.pk])).status_code == 404
    )
    assert client.get(agency.get_absolute_url()).status_code == 404


def test_the_agency_page_shows_its_reports_and_scorecard_and_the_late_list_its_absence(client):
    client.force_login(UserFactory())
    agency = AgencyFactory(certified=True, name_en="Slow Agency LLC")
    late = AgencyReportFactory(agency=agency, year=2023, late=True, complaints_received=4)
    AgencyReportLineFactory(report=late, placements=12)
    page = client.get(_en("workspace:agency_detail", agency.pk)).content.decode()
    assert "Reports filed late" in page and "late</strong>" in page
    assert "Placements reported</dt><dd>12" in page
    year = last_due_year(timezone.localdate())
    listing = client.get(_en("workspace:agency_late"), {"year": year}).content.decode()
    assert "Slow Agency LLC" in listing
    assert f'<option value="{year}" selected>{year}</option>' in listing  # years, not numbers
    flagged = client.get(_en("workspace:agency_list"), {"late": "1"}).content.decode()
    assert "Slow Agency LLC" in flagged and "missing: 2024" in flagged


@pytest.mark.parametrize("language", ["ka", "en"])
def test_demand_pages_render_in_both_languages(client, language):
    client.force_login(UserFactory())
    employer = ForeignEmployerFactory()
    report = AgencyReportFactory(agency__name_ka="შპს „თბილისის კადრები“")
    AgencyReportLineFactory(report=report)
    names = [
        ("workspace:employer_list", ()),
        ("workspace:employer_create", ()),
        ("workspace:employer_detail", (employer.pk,)),
        ("workspace:employer_edit", (employer.pk,)),
        ("workspace:agency_list", ()),
        ("workspace:agency_create", ()),
        ("workspace:agency_late", ()),
        ("workspace:agency_detail", (report.agency_id,)),
        ("workspace:agency_report_detail", (report.pk,)),
    ]
    for name, args in names:
        url = f"/{language}" + reverse(name, args=args)[3:]
        response = client.get(url)
        assert response.status_code == 200, url
        assert f'<html lang="{language}">' in response.content.decode(), url
    agency_page = client.get(f"/{language}/workspace/demand/agencies/{report.agency_id}/")
    shown = "შპს „თბილისის კადრები“" if language == "ka" else report.agency.name_en
    assert shown in agency_page.content.decode()


def test_the_demo_gives_the_employer_and_agency_logins_their_own_records(client):
    output = StringIO()
    call_command("load_demo", job_seekers=0, stdout=output)
    assert "Demand abroad: 6 employers and 4 licensed agencies added." in output.getvalue()
    assert demand_demo_load() == (0, 0)  # a second run adds nothing

    employer_user = User.objects.get(email="employer@demo.gza.ge")
    client.force_login(employer_user)
    listing = client.get(_en("workspace:employer_list")).content.decode()
    assert "Val de Loire Farming Cooperative (demo)" in listing
    assert "Sady Grójeckie" not in listing

    agency_user = User.objects.get(email="agency@demo.gza.ge")
    client.force_login(agency_user)
    (own,) = Agency.objects.visible_to(agency_user)
    assert own.name_en == "Fair Way Employment Agency LLC (demo)"
    assert own.missing_reports(timezone.localdate()) == []
    assert client.get(own.get_absolute_url()).status_code == 200

    client.force_login(User.objects.get(email="ministry@demo.gza.ge"))
    late = client.get(_en("workspace:agency_late")).content.decode()
    assert "Kartli Staffing LLC (demo)" in late and "Fair Way" not in late
    assert Agency.objects.get(name_en="Seaside Employment LLC (demo)").status == "suspended"
    assert ForeignEmployer.objects.filter(vetting_status="pending").count() == 2
    assert set(ForeignEmployer.objects.verified().values_list("country", flat=True)) == {"FR", "PL"}
    kartli = Agency.objects.get(name_en="Kartli Staffing LLC (demo)")
    assert any(report.is_late for report in kartli.reports.all())
    embassy = User.objects.get(email="embassy@demo.gza.ge")
    assert list(ForeignEmployer.objects.visible_to(embassy).values_list("country", flat=True)) == [
        "FR"
    ]
