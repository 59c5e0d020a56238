"""The bulk-import framework, exercised end to end by the foreign-employer import: valid lines go
in, each invalid line is reported with its line and reason in the requester's language, nothing
is stored half-way, a re-run updates instead of duplicating, and progress is kept."""

import io
import logging

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import translation

from gza.core import imports as framework
from gza.core.enums import ImportRowStatus, ImportStatus, OrganisationKind, Role
from gza.core.errors import DomainError
from gza.core.imports import (
    Column,
    Import,
    error_report_rows,
    get_import,
    import_job_create,
    import_job_run,
    imports_for,
    register,
)
from gza.core.models import ImportJob, Organisation
from gza.core.roles import Right
from gza.demand.enums import VettingStatus
from gza.demand.imports import ForeignEmployerImport
from gza.demand.models import EmployerVettingEvent, ForeignEmployer
from tests.core.factories import UserFactory
from tests.demand.factories import ForeignEmployerFactory

pytestmark = pytest.mark.django_db

HEADER = "Country,Registration number,Name,City,Sector (NACE),Contact person,Contact e-mail"
SADY = "PL,0000123,Sady Grójeckie,Grójec,A,Anna Nowak,anna@sady.example"
FERME = "France,B-77,Ferme du Val,Angers,a,Claire Martin,claire@ferme.example"
HOTEL = "DE,HRB 9,Hotel am See,Konstanz,I,Jonas Weber,jonas@hotel.example"


def csv_upload(*lines: str, header: str = HEADER, name: str = "employers.csv"):
    return SimpleUploadedFile(name, ("\n".join([header, *lines]) + "\n").encode())


@pytest.fixture
def ministry():
    return UserFactory(role=Role.MINISTRY_OFFICER)


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Upload a file as `actor` in `language` and let the (immediate) task run."""

    def run(actor, upload, *, language="en", importer=ForeignEmployerImport) -> ImportJob:
        with translation.override(language), django_capture_on_commit_callbacks(execute=True):
            job = import_job_create(actor=actor, importer=importer, upload=upload)
        job.refresh_from_db()
        return job

    return run


def report(job: ImportJob) -> dict[int, tuple[str, str]]:
    return {row.line: (row.status, row.message) for row in job.rows.all()}


class OrganisationImport(Import):
    """A test import that writes before it may refuse, or crash, to show the transactions."""

    name = "test_organisations"
    label = "Test organisations"
    right = Right.ORGANISATIONS_MANAGE
    columns = (Column("name", "სახელი", "Name", required=True),)
    progress_seen: list[int] = []

    def key(self, row):
        return row["name"]

    def apply(self, row, *, actor, context):
        self.progress_seen.append(ImportJob.objects.get(pk=context.job.pk).processed_rows)
        Organisation.objects.create(
            kind=OrganisationKind.IOM_NGO, name_ka=row["name"], name_en=row["name"]
        )
        if row["name"].startswith("refused"):
            raise ValidationError("Refused after writing.")
        if row["name"] == "crash":
            raise RuntimeError("a bug")
        return ImportRowStatus.CREATED


@pytest.fixture
def organisation_import():
    register(OrganisationImport)
    OrganisationImport.progress_seen = []
    yield OrganisationImport
    framework._registry.pop(OrganisationImport.name)


# What goes in


def test_the_employer_import_is_registered():
    assert get_import("foreign_employers") is ForeignEmployerImport


def test_valid_lines_are_registered_as_employers_waiting_for_vetting(run, ministry):
    job = run(ministry, csv_upload(SADY, FERME, HOTEL))
    assert job.status == ImportStatus.DONE
    assert (job.total_rows, job.processed_rows) == (3, 3)
    assert (job.created_count, job.updated_count, job.error_count) == (3, 0, 0)
    assert job.started_at and job.finished_at and job.message == ""
    ferme = ForeignEmployer.objects.get(registration_number="B-77")
    assert (ferme.country_id, ferme.nace_section) == ("FR", "A")
    assert ferme.vetting_status == VettingStatus.PENDING
    assert ferme.created_by == ministry
    assert list(job.rows.values_list("line", "status", "reference")) == [
        (2, "created", "PL 0000123"),
        (3, "created", "FR B-77"),
        (4, "created", "DE HRB 9"),
    ]


def test_invalid_lines_are_reported_with_their_line_and_reason(run, ministry):
    job = run(
        ministry,
        csv_upload(
            SADY,
            "Narnia,1,Castle,Cair Paravel,A,Aslan,aslan@narnia.example",
            "FR,2,Ferme,Angers,A,Claire,not-an-address",
            "FR,3,,Angers,A,Claire,claire@ferme.example",
            "FR,4,Ferme,Angers,Z,Claire,claire@ferme.example",
        ),
    )
    assert job.status == ImportStatus.DONE
    assert (job.created_count, job.error_count, job.processed_rows) == (1, 4, 5)
    lines = report(job)
    assert lines[2] == ("created", "")
    assert lines[3] == (
        "error",
        "Country: “Narnia” is not a known country. Write its two-letter ISO code (FR) or its name.",
    )
    assert lines[4] == ("error", "Contact e-mail: Enter a valid email address.")
    assert lines[5] == ("error", "Name is required.")
    assert lines[6][1].startswith("Sector (NACE): “Z” is not a section of NACE Rev. 2.")
    assert ForeignEmployer.objects.count() == 1


def test_an_xlsx_with_georgian_headings_imports(run, ministry):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["ქვეყანა", "სარეგისტრაციო ნომერი", "დასახელება", "ქალაქი", "სექტორი (NACE)"])
    sheet.append(["პოლონეთი", 123, "Sady", "Grójec", "A"])
    sheet.append([])
    sheet.append(["PL", "124", "Sady 2", "Grójec", "A — Agriculture"])
    sheet["F1"], sheet["G1"] = "საკონტაქტო პირი", "საკონტაქტო ელფოსტა"
    sheet["F2"], sheet["G2"] = "Anna", "anna@sady.example"
    sheet["F4"], sheet["G4"] = "Jan", "jan@sady.example"
    buffer = io.BytesIO()
    book.save(buffer)
    job = run(ministry, SimpleUploadedFile("employers.xlsx", buffer.getvalue()))
    assert job.file_type == "xlsx"
    assert (job.status, job.created_count, job.error_count) == (ImportStatus.DONE, 2, 0)
    assert set(job.rows.values_list("line", flat=True)) == {2, 4}
    assert ForeignEmployer.objects.get(registration_number="123").country_id == "PL"


# Nothing half-stored, nothing twice


def test_a_refused_line_leaves_nothing_behind_and_a_good_one_stays(run, organisation_import):
    job = run(
        UserFactory(role=Role.MINISTRY_OFFICER),
        csv_upload("kept one", "refused one", "kept two", header="Name"),
        importer=organisation_import,
    )
    assert (job.created_count, job.error_count) == (2, 1)
    assert report(job)[3] == ("error", "Refused after writing.")
    names = set(Organisation.objects.values_list("name_en", flat=True))
    assert {"kept one", "kept two"} <= names
    assert "refused one" not in names


def test_a_refused_employer_line_writes_no_vetting_event(run, ministry):
    job = run(ministry, csv_upload(SADY, "FR,2,Ferme,Angers,A,Claire,not-an-address"))
    assert job.error_count == 1
    assert EmployerVettingEvent.objects.count() == 1


def test_running_the_same_file_again_updates_instead_of_duplicating(run, ministry):
    first = run(ministry, csv_upload(SADY, FERME))
    second = run(
        ministry,
        csv_upload(SADY.replace("Grójec", "Warka"), FERME, HOTEL),
    )
    assert (first.created_count, first.updated_count) == (2, 0)
    assert (second.created_count, second.updated_count, second.error_count) == (1, 2, 0)
    assert ForeignEmployer.objects.count() == 3
    assert ForeignEmployer.objects.get(registration_number="0000123").city == "Warka"
    # Registered once each: an update is not a second registration.
    assert EmployerVettingEvent.objects.filter(transition="register").count() == 3
    assert report(second)[2] == ("updated", "")


def test_an_update_keeps_the_vetting_status(run, ministry):
    employer = ForeignEmployerFactory(
        verified=True, country_id="FR", registration_number="B-77", city="Angers"
    )
    job = run(ministry, csv_upload(FERME.replace("Angers", "Nantes")))
    employer.refresh_from_db()
    assert job.updated_count == 1
    assert (employer.city, employer.vetting_status) == ("Nantes", VettingStatus.VERIFIED)


def test_a_column_left_out_is_left_alone_and_an_empty_cell_clears(run, ministry):
    employer = ForeignEmployerFactory(
        country_id="FR",
        registration_number="B-77",
        website="https://ferme.example",
        contact_phone="+33 2 41 00 00 00",
    )
    run(ministry, csv_upload(FERME + ",", header=HEADER + ",Contact phone"))
    employer.refresh_from_db()
    assert employer.website == "https://ferme.example"
    assert employer.contact_phone == ""


def test_a_line_repeating_an_earlier_reference_is_refused(run, ministry):
    job = run(ministry, csv_upload(SADY, FERME, SADY.replace("Sady Grójeckie", "Sady Bis")))
    assert report(job)[4] == (
        "error",
        "This line repeats line 2 (the same Country, Registration number).",
    )
    assert ForeignEmployer.objects.get(registration_number="0000123").name == "Sady Grójeckie"


def test_a_value_under_no_heading_is_refused(run, ministry):
    job = run(ministry, csv_upload(SADY + ",,stray"))
    assert report(job)[2] == (
        "error",
        "There is a value in column 9, which has no heading.",
    )


# The file as a whole


def test_wrong_columns_are_refused_at_upload_and_nothing_is_kept(ministry, settings):
    upload = csv_upload(SADY, header="Country,Registration,Name,City,Sector (NACE),Phone")
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        import_job_create(actor=ministry, importer=ForeignEmployerImport, upload=upload)
    with translation.override("en"):
        text = " ".join(refused.value.message_dict["upload"])
    assert "Required columns are missing: “Registration number”, “Contact person”, " in text
    assert "These columns are not known: “Registration”, “Phone”." in text
    assert not ImportJob.objects.exists()
    assert not (settings.PRIVATE_MEDIA_ROOT / "imports").exists() or not any(
        (settings.PRIVATE_MEDIA_ROOT / "imports").iterdir()
    )


def test_a_formula_deep_in_the_file_fails_the_job_before_any_line_is_stored(run, ministry):
    book = openpyxl.Workbook()
    sheet = book.active
    for row in [HEADER.split(","), SADY.split(","), FERME.split(","), HOTEL.split(",")]:
        sheet.append(row)
    sheet["C4"] = '=CONCAT("Hotel", " am See")'
    buffer = io.BytesIO()
    book.save(buffer)
    job = run(ministry, SimpleUploadedFile("employers.xlsx", buffer.getvalue()))
    assert job.status == ImportStatus.FAILED
    assert "Cell C4 holds a formula" in job.message
    assert (job.processed_rows, job.created_count) == (0, 0)
    assert not ForeignEmployer.objects.exists()


def test_an_unexpected_error_stops_the_job_and_keeps_the_report_of_what_was_stored(
    run, organisation_import, caplog
):
    with caplog.at_level(logging.ERROR, logger="gza.core.imports"):
        job = run(
            UserFactory(role=Role.MINISTRY_OFFICER),
            csv_upload("first", "crash", "never", header="Name"),
            importer=organisation_import,
        )
    assert job.status == ImportStatus.FAILED
    assert "stopped at line 3" in job.message
    assert report(job) == {2: ("created", "")}
    assert "stopped at line 3" in caplog.text
    assert not Organisation.objects.filter(name_en__in=["crash", "never"]).exists()


def test_a_job_is_run_once_even_if_queued_twice(run, ministry):
    job = run(ministry, csv_upload(SADY))
    import_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert (job.processed_rows, job.created_count) == (1, 1)
    assert job.rows.count() == 1


# Progress and report


def test_progress_is_written_batch_by_batch(run, organisation_import, monkeypatch):
    monkeypatch.setattr(framework, "BATCH_SIZE", 2)
    job = run(
        UserFactory(role=Role.MINISTRY_OFFICER),
        csv_upload("a", "b", "c", "d", "e", header="Name"),
        importer=organisation_import,
    )
    # What the job page would have shown while each line was being applied.
    assert organisation_import.progress_seen == [0, 0, 2, 2, 4]
    assert (job.total_rows, job.processed_rows, job.created_count) == (5, 5, 5)
    assert job.percent == 100


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Contact e-mail: Enter a valid email address."),
        ("ka", "საკონტაქტო ელფოსტა: შეიყვანეთ მართებული ელფოსტის მისამართი."),
    ],
)
def test_the_report_is_written_in_the_requesters_language(run, ministry, language, expected):
    job = run(ministry, csv_upload("FR,2,Ferme,Angers,A,Claire,not-an-address"), language=language)
    assert job.language == language
    # Read later, in another language, the report stays as it was written.
    with translation.override("en" if language == "ka" else "ka"):
        assert report(job)[2] == ("error", expected)


def test_the_error_report_lists_the_lines_not_imported(run, ministry):
    job = run(ministry, csv_upload(SADY, "FR,2,Ferme,Angers,A,Claire,not-an-address"))
    with translation.override("en"):
        rows = list(error_report_rows(job))
    assert rows == [
        ["Line", "Reference", "Reason"],
        [3, "FR 2", "Contact e-mail: Enter a valid email address."],
    ]


# Who may import what


def test_an_embassy_imports_employers_of_its_own_country_only(run):
    embassy = UserFactory(embassy_officer=True)
    job = run(embassy, csv_upload(SADY, FERME))
    assert (job.created_count, job.error_count) == (1, 1)
    assert report(job)[2] == ("error", "You do not have the right to do this.")
    assert ForeignEmployer.objects.get().country_id == "FR"


def test_an_embassy_cannot_update_another_countrys_employer(run):
    ForeignEmployerFactory(in_poland=True, registration_number="0000123")
    job = run(UserFactory(embassy_officer=True), csv_upload(SADY.replace("Grójec", "Warka")))
    assert report(job)[2] == ("error", "You do not have the right to do this.")
    assert ForeignEmployer.objects.get().city == "Grójec"


@pytest.mark.parametrize(
    ("role", "may"),
    [
        (Role.MINISTRY_OFFICER, True),
        (Role.EMBASSY_OFFICER, True),
        (Role.CASEWORKER, False),
        (Role.EMPLOYER, False),
        (Role.AGENCY, False),
        (Role.ANALYST, False),
        (Role.CONTENT_EDITOR, False),
        (Role.ADMINISTRATOR, False),
        (Role.JOB_SEEKER, False),
        (Role.NONE, False),
    ],
)
def test_who_may_import_employers(role, may):
    user = UserFactory(embassy_officer=True) if role == Role.EMBASSY_OFFICER else None
    user = user or UserFactory(role=role)
    assert (ForeignEmployerImport in imports_for(user)) is may
    if not may:
        with pytest.raises(DomainError):
            import_job_create(actor=user, importer=ForeignEmployerImport, upload=csv_upload(SADY))


def test_jobs_are_visible_to_their_author_and_colleagues_who_may_run_the_kind(run, ministry):
    job = run(ministry, csv_upload(SADY))
    colleague = UserFactory(role=Role.MINISTRY_OFFICER, organisation=ministry.organisation)
    stranger = UserFactory(role=Role.MINISTRY_OFFICER)
    analyst = UserFactory(role=Role.ANALYST, organisation=ministry.organisation)
    assert list(ImportJob.objects.visible_to(ministry)) == [job]
    assert list(ImportJob.objects.visible_to(colleague)) == [job]
    assert not ImportJob.objects.visible_to(stranger).exists()
    assert not ImportJob.objects.visible_to(analyst).exists()


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_runs_a_queued_import_line_by_line(settings, organisation_import):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    user = UserFactory(role=Role.MINISTRY_OFFICER)
    with translation.override("en"):
        job = import_job_create(
            actor=user,
            importer=organisation_import,
            upload=csv_upload("kept", "refused", header="Name"),
        )
    job.refresh_from_db()
    assert job.status == ImportStatus.QUEUED  # queued, not run
    call_command("db_worker", batch=True, no_startup_delay=True, reload=False)
    job.refresh_from_db()
    assert (job.status, job.created_count, job.error_count) == (ImportStatus.DONE, 1, 1)
    assert Organisation.objects.filter(name_en="kept").exists()
    assert not Organisation.objects.filter(name_en="refused").exists()
