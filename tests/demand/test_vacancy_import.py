"""The vacancy import: each line goes through vacancy_save as a draft, each bad value is reported
with its line and column, a re-run updates the drafts it made (and leaves a vacancy that has left
draft alone, saying so), and each role imports only the vacancies it may keep."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from gza.core.enums import ImportStatus, OrganisationKind, Role
from gza.core.imports import get_import, import_job_create, imports_for, template_rows
from gza.core.models import ImportJob
from gza.demand.enums import SelectionMethod, VacancyStatus, WagePeriod
from gza.demand.imports import (
    VacancyImport,
    parse_amount,
    parse_date,
    parse_languages,
    parse_wage_period,
    parse_yes_no,
)
from gza.demand.models import Vacancy
from gza.demand.vacancies import vacancy_move
from gza.partners.enums import AgreementStatus, IndicatorKind
from gza.partners.models import CountryIndicator
from gza.taxonomy.models import EscoSkill
from tests.core.factories import OrganisationFactory, UserFactory
from tests.demand.factories import AgencyFactory, ForeignEmployerFactory
from tests.partners.factories import AgreementFactory, PartnerCountryFactory

pytestmark = pytest.mark.django_db

HEADER = (
    "External reference,Employer registration number,Country,City,Occupation (ISCO-08),"
    "Title (English),Positions,Wage,Currency,Wage period,Hours per week,Start date,"
    "Application deadline,Housing provided,Languages"
)


def days(n: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=n)).isoformat()


def line(ref: str, **cells: str) -> str:
    """A line of HEADER for the Polish orchard: 20 fruit pickers at 32 PLN an hour."""
    values = {
        "employer": "0000123",
        "country": "PL",
        "city": "Grójec",
        "occupation": "9211",
        "title": "Fruit picker",
        "positions": "20",
        "wage": "32.00",
        "currency": "PLN",
        "period": "hour",
        "hours": "40",
        "start": days(60),
        "deadline": days(30),
        "housing": "yes",
        "languages": "pl:A2",
        **cells,
    }
    return ",".join([ref, *values.values()])


def csv_upload(*lines: str, header: str = HEADER) -> SimpleUploadedFile:
    return SimpleUploadedFile("vacancies.csv", ("\n".join([header, *lines]) + "\n").encode())


def xlsx_upload(rows: list[list[object]]) -> SimpleUploadedFile:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("vacancies.xlsx", buffer.getvalue())


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    def run(actor, upload, *, language="en") -> ImportJob:
        with translation.override(language), django_capture_on_commit_callbacks(execute=True):
            job = import_job_create(actor=actor, importer=VacancyImport, upload=upload)
        job.refresh_from_db()
        return job

    return run


def report(job: ImportJob) -> dict[int, tuple[str, str]]:
    return {row.line: (row.status, row.message) for row in job.rows.all()}


@pytest.fixture
def orchard():
    return ForeignEmployerFactory(verified=True, in_poland=True, registration_number="0000123")


@pytest.fixture
def ministry():
    return UserFactory(role=Role.MINISTRY_OFFICER)


def employer_user(employer):
    organisation = OrganisationFactory(
        kind=OrganisationKind.FOREIGN_EMPLOYER, country_id=employer.country_id
    )
    employer.organisation = organisation
    employer.save()
    return UserFactory(role=Role.EMPLOYER, organisation=organisation)


# Cells


@pytest.mark.parametrize(
    ("text", "value"),
    [("2027-03-01", datetime.date(2027, 3, 1)), ("01.03.2027", datetime.date(2027, 3, 1))],
)
def test_dates_are_read_in_iso_and_georgian_order(text, value):
    assert parse_date(text) == value


@pytest.mark.parametrize("text", ["31.02.2027", "2027/03/01", "March 1", "2027-3-1"])
def test_other_dates_are_refused(text):
    with pytest.raises(Exception, match="თარიღი არ არის"):  # tests are Georgian first
        parse_date(text)


def test_yes_no_periods_amounts_and_languages_read_in_either_language():
    assert (parse_yes_no("კი"), parse_yes_no("არა"), parse_yes_no("Yes")) == (True, False, True)
    assert parse_wage_period("საათი") == WagePeriod.HOUR
    assert parse_wage_period("თვე") == parse_wage_period("Month") == WagePeriod.MONTH
    assert parse_amount("4 666,50") == parse_amount("4,666.50") == Decimal("4666.50")
    assert parse_languages("pl:A2; EN b1") == (("pl", "A2"), ("en", "B1"))


# A file with good and bad lines


@pytest.mark.usefixtures("orchard")
def test_valid_lines_become_drafts_and_each_bad_line_names_its_column(run, ministry):
    CountryIndicator.objects.create(
        country_id="PL",
        kind=IndicatorKind.MINIMUM_WAGE,
        value=Decimal("4666"),
        unit="per month",
        currency="PLN",
        period="2025",
        source="GUS (test)",
    )
    job = run(
        ministry,
        csv_upload(
            line("V-1"),
            line("V-2", occupation="9999"),
            line("V-3", languages="pl:D1"),
            line("V-4", positions="0"),
            line("V-5", deadline=days(-1), start=days(10)),
            line("V-6", wage="10"),
            line("V-7", employer="555"),
            line("V-8", start="31.02.2027", period="weekly"),
            line("V-9", title="Sorter", period="თვე", wage="5000", languages="pl:B1; en:A2"),
            line("V-1", title="Again"),
        ),
    )
    assert job.status == ImportStatus.DONE
    assert (job.total_rows, job.created_count, job.updated_count, job.error_count) == (10, 2, 0, 8)
    lines = report(job)
    assert set(lines) == set(range(2, 12))  # the report lists every line
    assert lines[2] == ("created", "")
    assert lines[3] == ("error", "Occupation (ISCO-08): Unknown ISCO-08 code: 9999.")
    assert lines[4] == (
        "error",
        "Languages: The CEFR level D1 is not one of A1, A2, B1, B2, C1 or C2.",
    )
    assert lines[5] == ("error", "Positions: A vacancy offers at least one position.")
    assert lines[6][1] == (
        f"Application deadline: The application deadline ({days(-1)}) has passed: set a later one."
    )
    assert lines[7][1].startswith("Wage: The wage, ")
    assert "below the statutory minimum wage in Poland" in lines[7][1]
    assert lines[8][1] == (
        "Employer registration number: No employer you may name is registered in Poland under "
        "the number 555."
    )
    assert "Start date: “31.02.2027” is not a date" in lines[9][1]
    assert "Wage period: “weekly” is not a wage period" in lines[9][1]
    assert lines[10] == ("created", "")
    assert lines[11][1].startswith("This line repeats line 2")

    picker = Vacancy.objects.get(external_ref="V-1")
    assert (picker.status, picker.title_en, picker.occupation_id) == (
        "draft",
        "Fruit picker",
        "9211",
    )
    assert (picker.wage_amount, picker.hours_per_week, picker.housing_provided) == (
        Decimal("32.00"),
        40,
        True,
    )
    assert picker.created_by == ministry
    assert list(picker.languages.values_list("language", "min_level")) == [("pl", "A2")]
    sorter = Vacancy.objects.get(external_ref="V-9")
    assert sorter.wage_period == WagePeriod.MONTH
    assert sorted(sorter.languages.values_list("language", "min_level")) == [
        ("en", "A2"),
        ("pl", "B1"),
    ]
    assert Vacancy.objects.count() == 2


def test_the_report_is_written_in_georgian_for_a_georgian_upload(run, ministry, orchard):
    job = run(ministry, csv_upload(line("V-1", positions="0")), language="ka")
    message = job.rows.get().message
    assert message.startswith("ადგილების რაოდენობა: ")


@pytest.mark.usefixtures("orchard")
def test_an_xlsx_with_georgian_headings_and_typed_cells_imports(run, ministry):
    start = timezone.localdate() + datetime.timedelta(days=90)
    deadline = timezone.localdate() + datetime.timedelta(days=40)
    header = [
        "გარე საცნობარო ნომერი",
        "დამსაქმებლის სარეგისტრაციო ნომერი",
        "ქვეყანა",
        "პროფესია (ISCO-08)",
        "დასახელება (ქართულად)",
        "ადგილების რაოდენობა",
        "ხელფასი",
        "ვალუტა",
        "ხელფასის პერიოდი",
        "სამუშაო საათები კვირაში",
        "მუშაობის დაწყების თარიღი",
        "განაცხადების მიღების ვადა",
        "მგზავრობის ხარჯის ანაზღაურება",
        "შერჩევის მეთოდი",
        "მართვის მოწმობის კატეგორიები",
        "ენები",
    ]
    good = ["X-1", "0000123", "პოლონეთი", 9211, "ხილის მკრეფი", 12, 31.5, "pln", "საათი", 40]
    good += [start, deadline, "კი", "წილისყრა", "b; c", "pl:A2"]
    bad = ["X-2", "0000123", "PL", 711, "მკრეფი", 5, 31.5, "PLN", "საათი", 40]
    bad += [start, deadline, "ალბათ", "", "", "pl:Z9"]
    job = run(ministry, xlsx_upload([header, good, bad]))
    assert (job.status, job.created_count, job.error_count) == (ImportStatus.DONE, 1, 1)
    vacancy = Vacancy.objects.get()
    assert (vacancy.country_id, vacancy.wage_currency, vacancy.positions) == ("PL", "PLN", 12)
    assert (vacancy.start_date, vacancy.application_deadline) == (start, deadline)
    assert vacancy.travel_provided and not vacancy.housing_provided
    assert vacancy.selection_method == SelectionMethod.LOTTERY
    assert vacancy.driving_licences == "B,C"
    message = report(job)[3][1]
    # Cells that do not parse are reported before the service sees the line.
    assert message == ("Travel paid: “ალბათ” is neither yes nor no: write yes or no (კი or არა).")


# Re-runs


def test_a_re_run_updates_the_drafts_instead_of_duplicating(run, ministry, orchard):
    first = run(ministry, csv_upload(line("V-1"), line("V-2", title="Sorter")))
    assert first.created_count == 2
    again = run(ministry, csv_upload(line("V-1", positions="35", languages="pl:B1; en:A1")))
    assert (again.created_count, again.updated_count, again.error_count) == (0, 1, 0)
    assert again.rows.get().reference == "PL 0000123: V-1"
    assert Vacancy.objects.count() == 2
    picker = Vacancy.objects.get(external_ref="V-1")
    assert picker.positions == 35
    assert sorted(picker.languages.values_list("language", "min_level")) == [
        ("en", "A1"),
        ("pl", "B1"),
    ]


def test_a_column_left_out_of_the_file_keeps_its_value(run, ministry, orchard):
    run(ministry, csv_upload(line("V-1")))
    header = "External reference,Employer registration number,Country,Occupation (ISCO-08),"
    header += "Positions,Wage,Currency,Wage period"
    run(ministry, csv_upload("V-1,0000123,PL,9211,25,33,PLN,hour", header=header))
    picker = Vacancy.objects.get()
    assert (picker.positions, picker.wage_amount, picker.city) == (25, Decimal("33.00"), "Grójec")
    assert picker.housing_provided and picker.hours_per_week == 40
    assert list(picker.languages.values_list("language", "min_level")) == [("pl", "A2")]


def test_a_vacancy_that_left_draft_is_not_updated_and_the_file_goes_on(run, ministry, orchard):
    run(ministry, csv_upload(line("V-1"), line("V-2")))
    submitted = Vacancy.objects.get(external_ref="V-1")
    vacancy_move(actor=ministry, vacancy=submitted, transition="submit")
    job = run(ministry, csv_upload(line("V-1", positions="99"), line("V-2", positions="7")))
    assert (job.status, job.updated_count, job.error_count) == (ImportStatus.DONE, 1, 1)
    assert report(job)[2] == (
        "error",
        "Not updated: the vacancy is submitted, and an import changes only drafts.",
    )
    submitted.refresh_from_db()
    assert (submitted.status, submitted.positions) == (VacancyStatus.SUBMITTED, 20)
    assert Vacancy.objects.get(external_ref="V-2").positions == 7


def test_the_same_reference_of_two_employers_makes_two_vacancies(run, ministry, orchard):
    ForeignEmployerFactory(verified=True, in_poland=True, registration_number="0000456")
    job = run(ministry, csv_upload(line("1"), line("1", employer="0000456")))
    assert job.created_count == 2


# Who imports what


def test_an_employer_imports_its_own_vacancies_and_no_one_elses(run, orchard):
    user = employer_user(orchard)
    other = ForeignEmployerFactory(verified=True, in_poland=True, registration_number="0000999")
    job = run(
        user, csv_upload(line("E-1", employer=""), line("E-2"), line("E-3", employer="0000999"))
    )
    assert (job.created_count, job.error_count) == (2, 1)
    assert report(job)[4] == (
        "error",
        "Employer registration number: You import your own vacancies only: 0000999 is not your "
        "registration number.",
    )
    assert set(Vacancy.objects.values_list("employer", flat=True)) == {orchard.pk}
    assert not other.vacancies.exists()


def test_an_employer_cannot_update_another_employers_vacancy(run, ministry, orchard):
    other = ForeignEmployerFactory(verified=True, in_poland=True, registration_number="0000999")
    run(ministry, csv_upload(line("E-1", employer="0000999")))
    job = run(employer_user(orchard), csv_upload(line("E-1", employer="0000999", positions="1")))
    assert job.error_count == 1
    assert other.vacancies.get().positions == 20


def test_an_agency_imports_its_own_job_orders(run, orchard):
    agency = AgencyFactory(certified=True, with_organisation=True)
    user = UserFactory(role=Role.AGENCY, organisation=agency.organisation)
    header = HEADER.replace("Employer registration number", "Agency registry number")
    job = run(
        user,
        csv_upload(
            line("A-1", employer=""),
            line("A-2", employer=agency.registry_number),
            line("A-3", employer="499999999"),
            header=header,
        ),
    )
    assert (job.created_count, job.error_count) == (2, 1)
    assert "is not your agency's registry number" in report(job)[4][1]
    assert set(Vacancy.objects.values_list("agency", flat=True)) == {agency.pk}
    # Its own employer column names the employer it recruits for; the reference is the agency's.
    header = HEADER
    job = run(user, csv_upload(line("A-1", positions="3"), header=header))
    assert (job.updated_count, Vacancy.objects.get(external_ref="A-1").employer) == (1, orchard)


def test_an_embassy_imports_vacancies_in_its_own_country_only(run):
    PartnerCountryFactory(country_id="FR")
    ForeignEmployerFactory(verified=True, registration_number="FR-1")
    ForeignEmployerFactory(verified=True, in_poland=True, registration_number="0000123")
    embassy = UserFactory(embassy_officer=True)
    header = (
        "External reference,Employer registration number,Employer country,Country,City,"
        "Occupation (ISCO-08),Title (English),Positions,Wage,Currency,Wage period,"
        "Hours per week,Start date,Application deadline"
    )
    dates = f"{days(60)},{days(30)}"
    job = run(
        embassy,
        csv_upload(
            f"F-1,FR-1,FR,FR,Angers,9211,Picker,20,12,EUR,hour,35,{dates}",
            f"F-2,FR-1,FR,PL,Grójec,9211,Picker,20,32,PLN,hour,40,{dates}",
            f"P-1,0000123,PL,PL,Grójec,9211,Picker,20,32,PLN,hour,40,{dates}",
            header=header,
        ),
    )
    assert (job.created_count, job.error_count) == (1, 2)
    lines = report(job)
    assert lines[3] == ("error", "You do not have the right to do this.")
    assert lines[4][1].startswith("Employer registration number: No employer you may name")
    assert Vacancy.objects.get().country_id == "FR"


def test_a_vacancy_names_an_owner_and_an_agreement_open_to_vacancies(run, ministry, orchard):
    ForeignEmployerFactory(verified=True, registration_number="FR-1")
    agreement = AgreementFactory(status=AgreementStatus.IN_FORCE)  # with France
    draft = AgreementFactory(status=AgreementStatus.NEGOTIATING)
    in_france = {"employer": "FR-1", "country": "FR", "city": "Angers", "currency": "EUR"}
    job = run(
        ministry,
        csv_upload(
            line("N-1", employer="") + ",",
            line("N-2", **in_france) + f",{agreement.pk}",
            line("N-3") + f",{agreement.pk}",
            line("N-4") + f",{draft.pk}",
            line("N-5") + ",12x",
            header=HEADER + ",Agreement",
        ),
    )
    lines = report(job)
    assert lines[2][1] == (
        "Employer registration number: Name the employer (its registration number) or the "
        "agency that placed the order."
    )
    assert lines[3] == ("created", "")
    assert Vacancy.objects.get().agreement == agreement
    assert lines[4][1] == (
        "Agreement: The agreement is with France, not with the country of the vacancy."
    )
    assert lines[5][1] == (
        f"Agreement: No agreement numbered {draft.pk} is open to vacancies (signed, ratified "
        "or in force)."
    )
    assert lines[6][1] == "Agreement: “12x” is not a whole number."


@pytest.mark.parametrize(
    ("maker", "allowed"),
    [
        (lambda: UserFactory(role=Role.MINISTRY_OFFICER), True),
        (lambda: UserFactory(embassy_officer=True), True),
        (lambda: employer_user(ForeignEmployerFactory()), True),
        (
            lambda: UserFactory(
                role=Role.AGENCY,
                organisation=AgencyFactory(with_organisation=True).organisation,
            ),
            True,
        ),
        (lambda: UserFactory(role=Role.EMPLOYER), False),  # no employer record yet
        (lambda: UserFactory(role=Role.AGENCY), False),
        (lambda: UserFactory(iom_caseworker=True), False),
        (lambda: UserFactory(role=Role.ANALYST), False),
        (lambda: UserFactory(role=Role.ADMINISTRATOR), False),
    ],
)
def test_who_may_import_vacancies(maker, allowed):
    assert (VacancyImport in imports_for(maker())) is allowed


def test_the_kind_is_registered_and_its_template_heads_in_both_languages():
    assert get_import("vacancies") is VacancyImport
    georgian = template_rows(VacancyImport, "ka")[0]
    english = template_rows(VacancyImport, "en")[0]
    assert georgian[:2] == ["გარე საცნობარო ნომერი", "დამსაქმებლის სარეგისტრაციო ნომერი"]
    assert english[:2] == ["External reference", "Employer registration number"]
    assert "ენები" in georgian and "Languages" in english


def test_the_georgian_template_downloads_and_an_employer_sees_the_kind(client, orchard):
    client.force_login(employer_user(orchard))
    assert client.get(reverse("workspace:import_list")).status_code == 200
    url = reverse("workspace:import_template", kwargs={"kind": "vacancies", "file_format": "xlsx"})
    response = client.get(url + "?lang=ka")
    book = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    header = next(book.worksheets[0].iter_rows(values_only=True))
    book.close()
    assert header[0] == "გარე საცნობარო ნომერი"
    assert header[-2:] == ("ენები", "ESCO უნარები")
    assert len(header) == len(VacancyImport.columns)


def test_the_upload_page_lists_the_columns_in_both_languages(client, ministry):
    client.force_login(ministry)
    url = reverse("workspace:import_upload", kwargs={"kind": "vacancies"})
    page = client.get(url).content.decode()
    assert "განაცხადების მიღების ვადა" in page and "Application deadline" in page
    assert "template.xlsx?lang=ka" in page


def test_an_esco_skills_column_sets_them_and_names_each_unknown_one(run, ministry, orchard):
    first, second = EscoSkill.objects.order_by("pk")[:2]
    header = f"{HEADER},ESCO skills"
    code = second.uri.rsplit("/", 1)[-1]
    unknown = "http://data.europa.eu/esco/skill/nothing"
    job = run(
        ministry,
        csv_upload(
            f"{line('V-1')},{first.uri}; {code}",
            f"{line('V-2')},{first.uri}; {unknown}",
            header=header,
        ),
    )
    assert (job.created_count, job.error_count) == (1, 1)
    lines = report(job)
    assert lines[3] == ("error", f"ESCO skills: Unknown ESCO skill: {unknown}.")
    picker = Vacancy.objects.get()
    assert set(picker.skills.all()) == {first, second}
    # A file without the column keeps them; an empty cell clears them.
    run(ministry, csv_upload(line("V-1", positions="30")))
    assert set(picker.skills.all()) == {first, second}
    run(ministry, csv_upload(f"{line('V-1')},", header=header))
    assert not picker.skills.exists()


def test_an_occupation_in_words_is_coded_or_refused_with_the_closest_codes(run, ministry, orchard):
    job = run(
        ministry,
        csv_upload(line("W-1", occupation="შემდუღებელი"), line("W-2", occupation="qwzx")),
    )
    lines = report(job)
    assert lines[2] == ("created", "")
    assert Vacancy.objects.get(external_ref="W-1").occupation_id == "7212"
    assert lines[3][0] == "error"
    assert lines[3][1].startswith("Occupation (ISCO-08): “qwzx” could not be coded")
    assert "Closest:" in lines[3][1]
