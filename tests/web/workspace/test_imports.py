"""Imports in the workspace: choose a kind, download the template in either language, upload,
follow the job and read or download its report; only roles with an import kind see any of it."""

import csv
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gza.core.enums import AuditVerb, ImportStatus, Role
from gza.core.models import AuditEvent, ImportJob
from gza.demand.models import ForeignEmployer
from tests.core.factories import ImportJobFactory, UserFactory

pytestmark = pytest.mark.django_db

HEADER = "Country,Registration number,Name,City,Sector (NACE),Contact person,Contact e-mail"
SADY = "PL,0000123,Sady Grójeckie,Grójec,A,Anna Nowak,anna@sady.example"
BAD = "FR,2,Ferme,Angers,A,Claire,not-an-address"


def _en(name: str, **kwargs) -> str:
    return "/en" + reverse(name, kwargs=kwargs)[3:]


def csv_upload(*lines: str, header: str = HEADER) -> SimpleUploadedFile:
    return SimpleUploadedFile("employers.csv", ("\n".join([header, *lines]) + "\n").encode())


def upload(client, django_capture_on_commit_callbacks, *lines, header=HEADER, lang="en"):
    url = reverse("workspace:import_upload", kwargs={"kind": "foreign_employers"})
    if lang == "en":
        url = "/en" + url[3:]
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(url, {"upload": csv_upload(*lines, header=header)})


@pytest.fixture
def ministry(client):
    user = UserFactory(role=Role.MINISTRY_OFFICER)
    client.force_login(user)
    return user


def test_the_imports_page_lists_the_kinds_and_recent_jobs(client, ministry):
    ImportJobFactory(created_by=ministry, original_name="poland.csv")
    page = client.get(_en("workspace:import_list")).content.decode()
    assert "Foreign employers" in page
    assert reverse("workspace:import_upload", kwargs={"kind": "foreign_employers"})[3:] in page
    assert "poland.csv" in page


def test_the_upload_page_explains_the_columns_and_offers_templates(client, ministry):
    page = client.get(_en("workspace:import_upload", kind="foreign_employers")).content.decode()
    assert "სარეგისტრაციო ნომერი" in page and "Registration number" in page
    assert "template.xlsx?lang=ka" in page and "template.csv?lang=en" in page
    assert 'enctype="multipart/form-data"' in page


def test_an_upload_leads_to_the_job_and_its_report(
    client, ministry, django_capture_on_commit_callbacks
):
    response = upload(client, django_capture_on_commit_callbacks, SADY, BAD)
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response.url == job.get_absolute_url()
    assert job.status == ImportStatus.DONE
    assert ForeignEmployer.objects.filter(registration_number="0000123").exists()
    page = client.get(_en("workspace:import_job", pk=job.pk)).content.decode()
    assert "Contact e-mail: Enter a valid email address." in page
    assert "2 of 2 lines" in page
    assert 'http-equiv="refresh"' not in page  # finished: no more reloading
    errors_only = client.get(_en("workspace:import_job", pk=job.pk) + "?outcome=error")
    assert "PL 0000123" not in errors_only.content.decode()
    assert "FR 2" in errors_only.content.decode()


def test_a_running_job_page_reloads_itself(client, ministry):
    job = ImportJobFactory(created_by=ministry, status=ImportStatus.RUNNING, total_rows=10)
    page = client.get(_en("workspace:import_job", pk=job.pk)).content.decode()
    assert '<meta http-equiv="refresh" content="3">' in page
    assert "0 of 10 lines" in page


def test_the_report_is_in_the_language_of_the_upload(
    client, ministry, django_capture_on_commit_callbacks
):
    upload(client, django_capture_on_commit_callbacks, BAD, lang="ka")
    job = ImportJob.objects.get()
    assert job.language == "ka"
    assert job.rows.get().message.startswith("საკონტაქტო ელფოსტა: ")


def test_a_wrong_file_is_refused_on_the_form_and_no_job_is_made(
    client, ministry, django_capture_on_commit_callbacks
):
    response = upload(client, django_capture_on_commit_callbacks, SADY, header="Country,Name,Phone")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Required columns are missing: “Registration number”" in page
    assert "These columns are not known: “Phone”." in page
    assert not ImportJob.objects.exists()


def test_a_disguised_file_is_refused_on_the_form(client, ministry):
    fake = SimpleUploadedFile("employers.xlsx", b"Country,Name\nPL,Sady\n")
    response = client.post(
        _en("workspace:import_upload", kind="foreign_employers"), {"upload": fake}
    )
    assert "The type is read from the file" in response.content.decode()
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize(
    ("lang", "first", "last"),
    [("ka", "ქვეყანა", "საკონტაქტო ტელეფონი"), ("en", "Country", "Contact phone")],
)
def test_the_csv_template_has_the_header_in_the_chosen_language(
    client, ministry, lang, first, last
):
    url = _en("workspace:import_template", kind="foreign_employers", file_format="csv")
    response = client.get(url + f"?lang={lang}")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f'filename="foreign_employers-{lang}.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 1
    assert (rows[0][0], rows[0][-1]) == (first, last)


@pytest.mark.parametrize(("lang", "first"), [("ka", "ქვეყანა"), ("en", "Country")])
def test_the_xlsx_template_has_the_header_in_the_chosen_language(client, ministry, lang, first):
    url = _en("workspace:import_template", kind="foreign_employers", file_format="xlsx")
    response = client.get(url + f"?lang={lang}")
    book = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    header = next(book.worksheets[0].iter_rows(values_only=True))
    book.close()
    assert header[0] == first
    assert len(header) == 10


def test_a_filled_in_template_imports(client, ministry, django_capture_on_commit_callbacks):
    url = _en("workspace:import_template", kind="foreign_employers", file_format="xlsx")
    book = openpyxl.load_workbook(io.BytesIO(client.get(url + "?lang=ka").content))
    book.active.append(["PL", "77", "Sady", "Grójec", "", "A", "", "Anna", "a@sady.example", ""])
    buffer = io.BytesIO()
    book.save(buffer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            _en("workspace:import_upload", kind="foreign_employers"),
            {"upload": SimpleUploadedFile("employers.xlsx", buffer.getvalue())},
        )
    job = ImportJob.objects.get()
    assert (job.status, job.created_count) == (ImportStatus.DONE, 1)


def test_an_unknown_template_format_or_kind_is_a_404(client, ministry):
    pdf = _en("workspace:import_template", kind="foreign_employers", file_format="pdf")
    assert client.get(pdf).status_code == 404
    assert client.get(_en("workspace:import_upload", kind="nothing")).status_code == 404


def test_the_lines_not_imported_download_as_csv_and_the_download_is_audited(
    client, ministry, django_capture_on_commit_callbacks
):
    upload(client, django_capture_on_commit_callbacks, SADY, BAD)
    job = ImportJob.objects.get()
    response = client.get(_en("workspace:import_job_errors", pk=job.pk))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [
        ["Line", "Reference", "Reason"],
        ["3", "FR 2", "Contact e-mail: Enter a valid email address."],
    ]
    assert AuditEvent.objects.filter(verb=AuditVerb.EXPORTED, target_id=str(job.pk)).exists()


def test_a_colleagues_job_is_visible_and_a_strangers_is_a_404(client, ministry):
    colleague = UserFactory(role=Role.MINISTRY_OFFICER, organisation=ministry.organisation)
    shared = ImportJobFactory(created_by=colleague)
    foreign = ImportJobFactory()
    assert client.get(_en("workspace:import_job", pk=shared.pk)).status_code == 200
    assert client.get(_en("workspace:import_job", pk=foreign.pk)).status_code == 404
    assert client.get(_en("workspace:import_job_errors", pk=foreign.pk)).status_code == 404


def test_an_embassy_imports_for_its_own_country(client, django_capture_on_commit_callbacks):
    client.force_login(UserFactory(embassy_officer=True))
    upload(client, django_capture_on_commit_callbacks, SADY, "FR,9,Ferme,Angers,A,C,c@f.example")
    job = ImportJob.objects.get()
    assert (job.created_count, job.error_count) == (1, 1)
    assert ForeignEmployer.objects.get().country_id == "FR"


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        (Role.MINISTRY_OFFICER, True),
        (Role.EMBASSY_OFFICER, True),
        (Role.CASEWORKER, True),  # job seekers
        (Role.EMPLOYER, False),
        (Role.AGENCY, False),
        (Role.ANALYST, False),
        (Role.ADMINISTRATOR, False),
    ],
)
def test_the_imports_entry_shows_only_to_roles_with_an_import(client, role, sees):
    user = UserFactory(embassy_officer=True) if role == Role.EMBASSY_OFFICER else None
    client.force_login(user or UserFactory(role=role))
    home = client.get(_en("workspace:home")).content.decode()
    assert (_en("workspace:import_list") in home) is sees
    expected = 200 if sees else 403
    assert client.get(_en("workspace:import_list")).status_code == expected
    # Caseworkers import job seekers, not foreign employers.
    employers = 403 if role == Role.CASEWORKER else expected
    assert client.get(_en("workspace:import_upload", kind="foreign_employers")).status_code == (
        employers
    )
