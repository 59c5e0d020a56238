"""The in-demand list import: each line goes through in_demand_save into the study it names, each
bad value is reported with its line and column, a re-run updates the rows it made (and takes over
an occupation listed by hand), and only those who may edit a study import into it."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from gza.core.enums import ImportStatus, Role
from gza.core.imports import get_import, import_job_create, imports_for, template_rows
from gza.core.models import ImportJob
from gza.demand.enums import WagePeriod
from gza.demand.imports import InDemandImport
from gza.demand.models import InDemandOccupation
from tests.core.factories import UserFactory
from tests.demand.factories import (
    InDemandLanguageFactory,
    InDemandOccupationFactory,
    LabourMarketStudyFactory,
)

pytestmark = pytest.mark.django_db

HEADER = (
    "Study number,External reference,Occupation (ISCO-08),Estimated demand (workers),"
    "Wage from,Wage to,Currency,Wage period,Languages,Qualifications,Licences"
)


def csv_upload(*lines: str, header: str = HEADER) -> SimpleUploadedFile:
    return SimpleUploadedFile("in-demand.csv", ("\n".join([header, *lines]) + "\n").encode())


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    def run(actor, upload, *, language="en") -> ImportJob:
        with translation.override(language), django_capture_on_commit_callbacks(execute=True):
            job = import_job_create(actor=actor, importer=InDemandImport, upload=upload)
        job.refresh_from_db()
        return job

    return run


def report(job: ImportJob) -> dict[int, tuple[str, str]]:
    return {row.line: (row.status, row.message) for row in job.rows.all()}


@pytest.fixture
def ministry():
    return UserFactory(role=Role.MINISTRY_OFFICER)


@pytest.fixture
def study():
    return LabourMarketStudyFactory(in_poland=True)


def test_valid_lines_join_the_study_and_each_bad_line_names_its_column(run, ministry, study):
    s = study.pk
    job = run(
        ministry,
        csv_upload(
            f"{s},R-1,9211,40,25,32,pln,საათი,pl:A2; en:A1,,",
            f"{s},R-2,9999,10,,,,,,,",
            f"{s},R-3,7115,10,,,,,pl:C3,,",
            f"{s},R-4,7115,0,,,,,,,",
            f"{s},R-5,7115,10,3000,2500,PLN,month,,,",
            f"{s},R-6,7115,10,3000,,,,,,",
            "999999,R-7,7115,10,,,,,,,",
            f"{s},R-8,7115,lots,,,,,,,",
            f'{s},R-9,8160,15,"4 200,50",,EUR,თვე,pl,"Forklift licence",C',
            f'{s},R-10,7115,8,,,,,"pl:B1, ru:A2","Carpentry certificate",',
            f"{s},R-1,9211,41,,,,,,,",
        ),
    )
    assert job.status == ImportStatus.DONE
    assert (job.total_rows, job.created_count, job.updated_count, job.error_count) == (11, 2, 0, 9)
    lines = report(job)
    assert set(lines) == set(range(2, 13))
    assert lines[2] == ("created", "")
    assert lines[3][1] == "Occupation (ISCO-08): Unknown ISCO-08 unit group: 9999."
    assert lines[4][1] == "Languages: A CEFR level is one of A1, A2, B1, B2, C1 or C2, not C3."
    assert lines[5][1] == "Estimated demand (workers): The estimated demand is at least 1."
    assert lines[6][1] == "Wage to: The upper wage cannot be below the lower one."
    assert lines[7][1] == "Currency: A wage needs its currency and period."
    assert lines[8][1] == ("Study number: No labour-market study numbered 999999 is open to you.")
    assert lines[9][1] == "Estimated demand (workers): “lots” is not a whole number."
    assert lines[10][1].startswith("Languages: “pl” is not a language requirement")
    assert lines[11] == ("created", "")
    assert lines[12][1].startswith("This line repeats line 2")

    pickers = InDemandOccupation.objects.get(external_ref="R-1")
    assert (pickers.study, pickers.occupation_id, pickers.estimated_demand) == (study, "9211", 40)
    assert (pickers.wage_min, pickers.wage_max) == (Decimal("25.00"), Decimal("32.00"))
    assert (pickers.wage_currency, pickers.wage_period) == ("PLN", WagePeriod.HOUR)
    assert sorted(pickers.languages.values_list("language", "min_level")) == [
        ("en", "A1"),
        ("pl", "A2"),
    ]
    carpenters = InDemandOccupation.objects.get(external_ref="R-10")
    assert carpenters.qualifications == "Carpentry certificate"
    assert sorted(carpenters.languages.values_list("language", "min_level")) == [
        ("pl", "B1"),
        ("ru", "A2"),
    ]
    assert InDemandOccupation.objects.count() == 2


def test_an_xlsx_with_georgian_headings_imports(run, ministry, study):
    book = openpyxl.Workbook()
    book.active.append(
        [
            "კვლევის ნომერი",
            "გარე საცნობარო ნომერი",
            "პროფესია (ISCO-08)",
            "სავარაუდო მოთხოვნა (მუშაკთა რაოდენობა)",
            "ხელფასი (ქვედა ზღვარი)",
            "ხელფასი (ზედა ზღვარი)",
            "ვალუტა",
            "ხელფასის პერიოდი",
            "ენები",
        ]
    )
    book.active.append([study.pk, "X-1", 9211, 120, 24.5, 30, "PLN", "საათი", "pl:A1"])
    book.active.append([study.pk, "X-2", 711, 5, None, None, None, None, None])
    buffer = io.BytesIO()
    book.save(buffer)
    job = run(ministry, SimpleUploadedFile("list.xlsx", buffer.getvalue()), language="ka")
    assert (job.status, job.created_count, job.error_count) == (ImportStatus.DONE, 1, 1)
    row = InDemandOccupation.objects.get()
    assert (row.estimated_demand, row.wage_min, row.wage_max) == (120, Decimal("24.50"), 30)
    # The report is in the language of the upload, under the Georgian heading.
    assert report(job)[3][1].startswith("პროფესია (ISCO-08): ")


def test_a_re_run_updates_instead_of_duplicating(run, ministry, study):
    run(ministry, csv_upload(f"{study.pk},R-1,9211,40,25,32,PLN,hour,pl:A2,,"))
    again = run(ministry, csv_upload(f"{study.pk},R-1,9211,55,26,33,PLN,hour,pl:B1,,"))
    assert (again.created_count, again.updated_count, again.error_count) == (0, 1, 0)
    assert again.rows.get().reference == f"{study.pk}: R-1"
    row = InDemandOccupation.objects.get()
    assert (row.estimated_demand, row.wage_min) == (55, Decimal("26.00"))
    assert list(row.languages.values_list("language", "min_level")) == [("pl", "B1")]


def test_a_column_left_out_keeps_its_value(run, ministry, study):
    run(ministry, csv_upload(f"{study.pk},R-1,9211,40,25,32,PLN,hour,pl:A2,Orchard work,"))
    header = "Study number,External reference,Occupation (ISCO-08),Estimated demand (workers)"
    run(ministry, csv_upload(f"{study.pk},R-1,9211,70", header=header))
    row = InDemandOccupation.objects.get()
    assert (row.estimated_demand, row.wage_max, row.qualifications) == (70, 32, "Orchard work")
    assert list(row.languages.values_list("language", "min_level")) == [("pl", "A2")]


def test_an_occupation_listed_by_hand_is_taken_over_not_duplicated(run, ministry, study):
    by_hand = InDemandLanguageFactory(in_demand__study=study, in_demand__occupation_id="9211")
    job = run(ministry, csv_upload(f"{study.pk},R-1,9211,99,,,,,,,"))
    assert (job.updated_count, job.error_count) == (1, 0)
    row = InDemandOccupation.objects.get()
    assert (row.pk, row.external_ref, row.estimated_demand) == (by_hand.in_demand_id, "R-1", 99)
    assert not row.languages.exists()  # the languages column was in the file, empty


def test_an_embassy_imports_into_its_own_countrys_studies_only(run):
    in_france = LabourMarketStudyFactory()
    in_poland = LabourMarketStudyFactory(in_poland=True)
    embassy = UserFactory(embassy_officer=True)
    job = run(
        embassy,
        csv_upload(f"{in_france.pk},R-1,9211,10,,,,,,,", f"{in_poland.pk},R-1,9211,10,,,,,,,"),
    )
    assert (job.created_count, job.error_count) == (1, 1)
    assert "No labour-market study numbered" in report(job)[3][1]
    assert InDemandOccupation.objects.get().study == in_france


def test_a_caseworker_imports_into_the_studies_of_its_organisation(run):
    caseworker = UserFactory(iom_caseworker=True)
    assert InDemandImport not in imports_for(caseworker)
    theirs = LabourMarketStudyFactory(author_organisation=caseworker.organisation)
    other = InDemandOccupationFactory().study
    assert InDemandImport in imports_for(caseworker)
    job = run(
        caseworker,
        csv_upload(f"{theirs.pk},R-1,9211,10,,,,,,,", f"{other.pk},R-1,9211,10,,,,,,,"),
    )
    assert (job.created_count, job.error_count) == (1, 1)
    assert not other.in_demand_occupations.filter(external_ref="R-1").exists()


@pytest.mark.parametrize(
    ("maker", "allowed"),
    [
        (lambda: UserFactory(role=Role.MINISTRY_OFFICER), True),
        (lambda: UserFactory(embassy_officer=True), True),
        (lambda: UserFactory(iom_caseworker=True), False),  # no study of its own yet
        (lambda: UserFactory(role=Role.CASEWORKER), False),
        (lambda: UserFactory(role=Role.ANALYST), False),
        (lambda: UserFactory(role=Role.EMPLOYER), False),
        (lambda: UserFactory(role=Role.AGENCY), False),
        (lambda: UserFactory(role=Role.ADMINISTRATOR), False),
    ],
)
def test_who_may_import_in_demand_lists(maker, allowed, study):
    assert (InDemandImport in imports_for(maker())) is allowed


def test_the_kind_is_registered_and_its_template_heads_in_both_languages(client, ministry):
    assert get_import("in_demand_occupations") is InDemandImport
    assert template_rows(InDemandImport, "en")[0][:2] == ["Study number", "External reference"]
    client.force_login(ministry)
    url = reverse(
        "workspace:import_template",
        kwargs={"kind": "in_demand_occupations", "file_format": "csv"},
    )
    content = client.get(url + "?lang=ka").content.decode("utf-8-sig")
    assert content.splitlines()[0].startswith("კვლევის ნომერი,გარე საცნობარო ნომერი,")
    assert len(content.splitlines()[0].split(",")) == len(InDemandImport.columns)


def test_the_upload_page_lists_the_columns_in_both_languages(client, ministry):
    client.force_login(ministry)
    url = reverse("workspace:import_upload", kwargs={"kind": "in_demand_occupations"})
    page = client.get(url).content.decode()
    assert "კვლევის ნომერი" in page and "Study number" in page
