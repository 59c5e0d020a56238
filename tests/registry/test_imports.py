"""The job-seeker import: valid lines register people, each bad line is reported with its line
and reason, a re-run updates instead of duplicating, an importer touches only the records they
may see, and a batch costs the same few queries however many lines it holds."""

import datetime
import io

import openpyxl
import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from gza.core import imports as framework
from gza.core.enums import AccessAction, AuditVerb, ImportStatus, Role
from gza.core.imports import get_import, import_job_create, import_job_run, imports_for
from gza.core.models import AccessLogEntry, AuditEvent, ImportJob
from gza.core.roles import ROLE_RIGHTS, Right
from gza.registry import imports as registry_imports
from gza.registry.enums import RecordStatus, RegistrationChannel, Sex
from gza.registry.imports import JobSeekerImport
from gza.registry.models import JobSeeker, is_valid_registration_number
from gza.registry.names import name_key
from tests.core.factories import UserFactory
from tests.registry.factories import JobSeekerFactory

pytestmark = pytest.mark.django_db

HEADER = (
    "Personal number,First name (Georgian),Last name (Georgian),First name (Latin),"
    "Last name (Latin),Date of birth,Sex,Municipality,Phone,E-mail,Occupations sought (ISCO-08),"
    "Languages,Driving licence categories,Available from,External reference"
)
NINO = (
    "01001012345,ნინო,ბერიძე,,,1990-05-17,female,Telavi,599 12 34 56,Nino@Example.ge,"
    '7115:3; 9211,pl:B1; en:A2,"B, C",2027-03-01,REF-1'
)
GIORGI = "01001012346,გიორგი,კაპანაძე,Giorgi,Kapanadze,17.05.1985,კაცი,ბათუმი,,,,,,,REF-2"


def csv_upload(*lines: str, header: str = HEADER, name: str = "people.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, ("\n".join([header, *lines]) + "\n").encode())


def person_line(number: int, **cells: str) -> str:
    """A valid line for the personal number 010010{number:05d}, cells replaced by name."""
    values = {
        "personal_number": f"010010{number:05d}",
        "first_name": "ნინო",
        "last_name": "ბერიძე",
        "first_name_latin": "",
        "last_name_latin": "",
        "birth_date": "1990-05-17",
        "sex": "f",
        "municipality": "telavi",
        "phone": "",
        "email": "",
        "occupations": "9211",
        "languages": "pl:A2",
        "driving_licences": "",
        "availability_date": "",
        "external_ref": "",
    }
    values.update(cells)
    return ",".join(values.values())


@pytest.fixture
def ministry():
    return UserFactory(role=Role.MINISTRY_OFFICER)


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Upload a file as `actor` in `language` and let the (immediate) task run."""

    def run(actor, upload, *, language="en") -> ImportJob:
        with translation.override(language), django_capture_on_commit_callbacks(execute=True):
            job = import_job_create(actor=actor, importer=JobSeekerImport, upload=upload)
        job.refresh_from_db()
        return job

    return run


def report(job: ImportJob) -> dict[int, tuple[str, str]]:
    return {row.line: (row.status, row.message) for row in job.rows.all()}


@pytest.fixture
def caseworkers_import(monkeypatch):
    """Caseworkers at service centres given the right to register people (the role matrix may
    grant it; the scope rules are what is tested)."""
    rights = ROLE_RIGHTS[Role.CASEWORKER] | {Right.JOB_SEEKERS_MANAGE}
    monkeypatch.setitem(ROLE_RIGHTS, Role.CASEWORKER, rights)


# What goes in


def test_the_import_is_registered_for_those_who_manage_job_seekers():
    assert get_import("job_seekers") is JobSeekerImport
    assert JobSeekerImport in imports_for(UserFactory(role=Role.MINISTRY_OFFICER))
    assert JobSeekerImport not in imports_for(UserFactory(role=Role.ANALYST))
    assert JobSeekerImport not in imports_for(UserFactory(embassy_officer=True))


def test_valid_lines_register_people_through_the_import(run, ministry):
    job = run(ministry, csv_upload(NINO, GIORGI))
    assert (job.status, job.message) == (ImportStatus.DONE, "")
    assert (job.total_rows, job.created_count, job.updated_count, job.error_count) == (2, 2, 0, 0)
    assert list(job.rows.values_list("line", "status", "reference")) == [
        (2, "created", "01001012345"),
        (3, "created", "01001012346"),
    ]
    nino = JobSeeker.objects.get(personal_number="01001012345")
    assert (nino.first_name, nino.last_name) == ("ნინო", "ბერიძე")
    # The Latin names are suggested from the Georgian by the national romanisation.
    assert (nino.first_name_latin, nino.last_name_latin) == ("Nino", "Beridze")
    assert (nino.first_name_key, nino.last_name_key) == ("nino", name_key("ბერიძე"))
    assert is_valid_registration_number(nino.registration_number)
    assert (nino.sex, nino.birth_date) == (Sex.FEMALE, datetime.date(1990, 5, 17))
    assert (nino.municipality_id, nino.phone, nino.email) == (
        "telavi",
        "+995599123456",
        "nino@example.ge",
    )
    assert (nino.driving_licences, nino.availability_date) == ("B,C", datetime.date(2027, 3, 1))
    assert nino.registered_via == RegistrationChannel.IMPORT
    assert nino.registered_by_organisation == ministry.organisation
    assert nino.external_ref == "REF-1"
    assert set(nino.sought_occupations.values_list("occupation_id", "years_experience")) == {
        ("7115", 3),
        ("9211", 0),
    }
    assert set(nino.language_skills.values_list("language_id", "level_id")) == {
        ("pl", "B1"),
        ("en", "A2"),
    }
    giorgi = JobSeeker.objects.get(personal_number="01001012346")
    assert (giorgi.first_name_latin, giorgi.sex, giorgi.municipality_id) == (
        "Giorgi",
        Sex.MALE,
        "batumi",
    )
    assert giorgi.birth_date == datetime.date(1985, 5, 17)
    # The creations are audited as one event per batch, on the job, with the counts.
    batch = AuditEvent.objects.get(target_type__model="importjob", payload__created=2)
    assert (batch.actor, batch.target_id) == (ministry, str(job.pk))
    assert batch.payload == {"batch_from_line": 2, "created": 2, "updated": 0, "changed": 0}
    assert not AuditEvent.objects.filter(target_type__model="jobseeker").exists()


def test_an_xlsx_with_georgian_headings_imports(run, ministry):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(
        ["პირადი ნომერი", "სახელი", "გვარი", "დაბადების თარიღი", "სქესი", "მუნიციპალიტეტი"]
    )
    sheet.append(
        ["01001012345", "ნინო", "ბერიძე", datetime.datetime(1990, 5, 17), "ქალი", "თელავი"]
    )
    sheet.append([1001012346, "გიორგი", "კაპანაძე", "1985-05-17", "კაცი", "Batumi"])
    buffer = io.BytesIO()
    book.save(buffer)
    job = run(ministry, SimpleUploadedFile("people.xlsx", buffer.getvalue()), language="ka")
    assert job.file_type == "xlsx"
    assert (job.created_count, job.error_count) == (1, 1)
    nino = JobSeeker.objects.get()
    assert (nino.birth_date, nino.municipality_id) == (datetime.date(1990, 5, 17), "telavi")
    # A personal number typed as a number loses its leading zero: the line says what is wrong.
    assert report(job)[3][1].startswith("პირადი ნომერი: ")


# Bad input, line by line


@pytest.mark.parametrize(
    ("cells", "reason"),
    [
        ({"personal_number": "0100101234"}, "Personal number: A personal number has exactly 11"),
        ({"personal_number": "0100101234X"}, "Personal number: A personal number has exactly 11"),
        ({"first_name": "Nino"}, "First name (Georgian): Write the name in Georgian letters"),
        ({"last_name": "ბერიძე2"}, "Last name (Georgian): Write the name in Georgian letters"),
        ({"first_name_latin": "ნინო"}, "First name (Latin): Write the name in Latin letters"),
        ({"birth_date": "2090-01-01"}, "Date of birth: The date of birth is in the future."),
        ({"birth_date": "1990-02-30"}, "Date of birth: “1990-02-30” is not a date"),
        ({"sex": "x"}, "Sex: “x” is not a sex: write female or male"),
        ({"municipality": "Narnia"}, "Municipality: “Narnia” is not a municipality of Georgia."),
        ({"phone": "12345"}, "Phone: Enter a valid phone number"),
        ({"email": "not-an-address"}, "E-mail: Enter a valid email address."),
        ({"occupations": "0000"}, "Occupations sought (ISCO-08): 0000 is not an ISCO-08 unit"),
        ({"occupations": "qwzx"}, "Occupations sought (ISCO-08): “qwzx” could not be coded"),
        ({"occupations": "9211:99"}, "Occupations sought (ISCO-08): Years of experience are"),
        ({"occupations": "9211; 9211:2"}, "Occupations sought (ISCO-08): The occupation 9211 is"),
        ({"languages": "pl:Z9"}, "Languages: “Z9” is not a CEFR level"),
        ({"languages": "xx:B1"}, "Languages: “xx” is not a language code"),
        ({"languages": "pl:B1; pl:A2"}, "Languages: The language pl is named twice."),
        ({"driving_licences": "Q"}, "Driving licence categories: Unknown driving licence"),
        ({"first_name": ""}, "First name (Georgian) is required."),
    ],
)
def test_a_bad_line_is_reported_with_its_line_and_reason(run, ministry, cells, reason):
    job = run(ministry, csv_upload(person_line(1), person_line(2, **cells)))
    assert (job.status, job.created_count, job.error_count) == (ImportStatus.DONE, 1, 1)
    status, message = report(job)[3]
    assert status == "error"
    assert message.startswith(reason), message
    assert JobSeeker.objects.count() == 1


def test_occupations_in_words_are_coded_when_the_autocoder_is_confident(run, ministry):
    line = person_line(1, occupations='"შემდუღებელი: 3; მძღოლი"')
    job = run(ministry, csv_upload(line))
    assert job.created_count == 1, report(job)
    person = JobSeeker.objects.get()
    assert dict(person.sought_occupations.values_list("occupation_id", "years_experience")) == {
        "7212": 3,
        "8322": 0,
    }


def test_an_age_under_16_is_refused(run, ministry):
    young = (datetime.date.today() - datetime.timedelta(days=15 * 366)).isoformat()
    job = run(ministry, csv_upload(person_line(1, birth_date=young)))
    assert report(job)[2] == (
        "error",
        "Date of birth: Gza registers people from the age of 16; this person is 15.",
    )


def test_several_faults_on_one_line_are_reported_together(run, ministry):
    job = run(ministry, csv_upload(person_line(1, first_name="Nino", phone="12345")))
    message = report(job)[2][1]
    assert "First name (Georgian): " in message and "Phone: " in message


def test_a_personal_number_repeated_in_the_file_is_refused(run, ministry):
    job = run(ministry, csv_upload(person_line(1), person_line(2), person_line(1, sex="m")))
    assert report(job)[4] == (
        "error",
        "This line repeats line 2 (the same Personal number).",
    )
    assert JobSeeker.objects.get(personal_number="01001000001").sex == Sex.FEMALE


def test_the_report_is_written_in_georgian_for_a_georgian_upload(run, ministry):
    job = run(ministry, csv_upload(person_line(1, municipality="Narnia")), language="ka")
    assert report(job)[2][1].startswith("მუნიციპალიტეტი: ")


def test_a_csv_with_broken_encoding_is_refused_at_upload_with_the_line(ministry):
    content = (
        (HEADER + "\n" + person_line(1) + "\n").encode()
        + "01001000002,ნინო".encode()[:-1]
        + b",\xe9\n"
    )
    upload = SimpleUploadedFile("people.csv", content)
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        import_job_create(actor=ministry, importer=JobSeekerImport, upload=upload)
    with translation.override("en"):
        text = " ".join(refused.value.message_dict["upload"])
    assert text.startswith("Line 3 is not valid UTF-8. Save the file as “CSV UTF-8”")
    assert not ImportJob.objects.exists()
    assert not JobSeeker.objects.exists()


def test_a_csv_in_a_windows_code_page_is_refused_rather_than_guessed(ministry):
    upload = SimpleUploadedFile(
        "people.csv", ("Personal number,Municipality\n01001000001,Tbilisi ё\n").encode("cp1251")
    )
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        import_job_create(actor=ministry, importer=JobSeekerImport, upload=upload)
    with translation.override("en"):
        assert "Line 2 is not valid UTF-8" in " ".join(refused.value.messages)


# Re-runs


def test_running_the_same_file_again_updates_instead_of_duplicating(run, ministry):
    first = run(ministry, csv_upload(NINO, GIORGI))
    nino = JobSeeker.objects.get(personal_number="01001012345")
    history = AuditEvent.objects.filter(target_type__model="jobseeker", target_id=str(nino.pk))
    events_before = history.count()
    second = run(ministry, csv_upload(NINO, GIORGI))
    assert (first.created_count, second.created_count, second.updated_count) == (2, 0, 2)
    assert JobSeeker.objects.count() == 2
    assert report(second)[2] == ("updated", "")
    unchanged = JobSeeker.objects.get(pk=nino.pk)
    assert unchanged.registration_number == nino.registration_number
    assert unchanged.sought_occupations.count() == 2
    # Nothing changed, so nothing is audited as a change.
    assert history.count() == events_before


def test_a_changed_line_updates_the_record_and_audits_the_change(run, ministry):
    run(ministry, csv_upload(NINO, GIORGI))
    nino = JobSeeker.objects.get(personal_number="01001012345")
    changed = NINO.replace("Telavi", "Batumi").replace("7115:3; 9211", "7115:4")
    job = run(ministry, csv_upload(changed, GIORGI.replace("გიორგი", "ლევანი")))
    assert (job.created_count, job.updated_count) == (0, 2)
    nino.refresh_from_db()
    assert nino.municipality_id == "batumi"
    assert list(nino.sought_occupations.values_list("occupation_id", "years_experience")) == [
        ("7115", 4)
    ]
    event = AuditEvent.objects.filter(
        verb=AuditVerb.UPDATED, target_type__model="jobseeker", target_id=str(nino.pk)
    ).get()
    assert event.payload == {
        "changes": {"municipality_id": ["telavi", "batumi"]},
        "lists_replaced": ["occupations"],
        "import_job": job.pk,
    }
    assert AccessLogEntry.objects.filter(
        subject_id=str(nino.pk), action=AccessAction.CHANGE, actor=ministry
    ).exists()
    giorgi = JobSeeker.objects.get(personal_number="01001012346")
    # The Latin name was in the file, so it stays as the file says; the key follows the name.
    assert (giorgi.first_name, giorgi.first_name_latin, giorgi.first_name_key) == (
        "ლევანი",
        "Giorgi",
        "levani",
    )


def test_a_column_left_out_is_left_alone(run, ministry):
    person = JobSeekerFactory(
        personal_number="01001000001",
        first_name_latin="Mariami",
        phone="+995599123456",
        external_ref="OLD",
    )
    header = (
        "Personal number,First name (Georgian),Last name (Georgian),Date of birth,Sex,Municipality"
    )
    job = run(ministry, csv_upload("01001000001,მარიამ,ბერიძე,1995-03-08,f,telavi", header=header))
    person.refresh_from_db()
    assert job.updated_count == 1
    assert (person.last_name, person.first_name_latin, person.phone, person.external_ref) == (
        "ბერიძე",
        "Mariami",
        "+995599123456",
        "OLD",
    )


def test_an_empty_latin_cell_on_update_is_suggested_again(run, ministry):
    person = JobSeekerFactory(personal_number="01001000001", first_name_latin="Mary")
    run(ministry, csv_upload(person_line(1, first_name="მარიამ")))
    person.refresh_from_db()
    assert person.first_name_latin == "Mariam"


# Who may touch what


def test_a_caseworker_updates_their_organisations_people_and_not_others(run, caseworkers_import):
    caseworker = UserFactory(iom_caseworker=True)
    own = JobSeekerFactory(
        personal_number="01001000001", registered_by_organisation=caseworker.organisation
    )
    foreign = JobSeekerFactory(personal_number="01001000002", phone="+995599000000")
    job = run(
        caseworker,
        csv_upload(
            person_line(1, phone="599 11 11 11"),
            person_line(2, phone="599 22 22 22"),
            person_line(3),
        ),
    )
    assert (job.created_count, job.updated_count, job.error_count) == (1, 1, 1)
    assert report(job)[3] == (
        "error",
        "A person with this personal number is already registered by another organisation; "
        "the record is not changed. Ask the ministry to update it.",
    )
    own.refresh_from_db()
    foreign.refresh_from_db()
    assert (own.phone, foreign.phone) == ("+995599111111", "+995599000000")
    new = JobSeeker.objects.get(personal_number="01001000003")
    assert new.registered_by_organisation == caseworker.organisation


def test_a_merged_record_is_not_updated(run, ministry):
    survivor = JobSeekerFactory()
    JobSeekerFactory(
        personal_number="01001000001", status=RecordStatus.MERGED, merged_into=survivor
    )
    job = run(ministry, csv_upload(person_line(1)))
    assert report(job)[2][1].startswith("The record with this personal number was merged")


# Batches


def _run_queries(ministry, lines: list[str], settings) -> tuple[ImportJob, int]:
    with translation.override("en"):
        job = import_job_create(actor=ministry, importer=JobSeekerImport, upload=csv_upload(*lines))
    with CaptureQueriesContext(connection) as queries:
        import_job_run(job_id=job.pk)
    job.refresh_from_db()
    return job, len(queries)


@pytest.mark.parametrize("existing", [False, True])
def test_a_batch_costs_the_same_queries_however_many_lines(ministry, settings, existing):
    small = [person_line(n) for n in range(1, 11)]
    large = [person_line(n) for n in range(101, 161)]
    if existing:
        for n in [*range(1, 11), *range(101, 161)]:
            JobSeekerFactory(
                personal_number=f"010010{n:05d}", registered_by_organisation=ministry.organisation
            )
    ContentType.objects.get_for_model(JobSeeker)  # cached for the process: not the batch's
    small_job, small_queries = _run_queries(ministry, small, settings)
    large_job, large_queries = _run_queries(ministry, large, settings)
    assert small_job.error_count == large_job.error_count == 0
    # Only the name dictionary's inserts differ, by one statement per few hundred new variants
    # (SQLite caps a statement's parameters); everything else is per batch.
    assert abs(large_queries - small_queries) <= 6, (small_queries, large_queries)
    assert large_queries < 40, large_queries


def test_lines_are_stored_in_batches_with_progress(ministry, monkeypatch, settings):
    monkeypatch.setattr(framework, "BULK_BATCH_SIZE", 3)
    calls: list[int] = []
    monkeypatch.setattr(registry_imports, "after_import", lambda people: calls.append(len(people)))
    lines = [person_line(n) for n in range(1, 8)]
    lines.insert(2, person_line(99, sex="x"))
    job, _queries = _run_queries(ministry, lines, settings)
    assert (job.processed_rows, job.created_count, job.error_count) == (8, 7, 1)
    assert calls == [3, 3, 1]


def test_a_batch_failing_as_a_whole_is_stored_line_by_line(run, ministry, monkeypatch):
    """A write refused by the database (here a clash raised for the whole batch and for one
    person) rolls the batch back; its lines then go in one by one, and only the one that
    clashes is reported."""

    def clash(people):
        if len(people) > 1 or people[0].personal_number == "01001000002":
            raise IntegrityError("duplicate key")

    monkeypatch.setattr(registry_imports, "after_import", clash)
    job = run(ministry, csv_upload(person_line(1), person_line(2), person_line(3, sex="x")))
    assert (job.created_count, job.error_count) == (1, 2)
    assert report(job)[3] == (
        "error",
        "Another change to this record was saved at the same time; import the file again.",
    )
    assert report(job)[4][1].startswith("Sex: ")
    assert list(JobSeeker.objects.values_list("personal_number", flat=True)) == ["01001000001"]
    # Only the stored line's audit event is kept; the rolled-back batch's is gone with it.
    assert list(
        AuditEvent.objects.filter(
            target_type__model="importjob", payload__has_key="created"
        ).values_list("payload__created", flat=True)
    ) == [1]


def test_registration_numbers_drawn_twice_are_drawn_again(run, ministry, monkeypatch):
    taken = JobSeekerFactory(registration_number="1000000009")
    draws = iter(["1000000009", "1000000017", "1000000017", "1000000025"])
    monkeypatch.setattr(registry_imports, "new_registration_number", lambda: next(draws))
    job = run(ministry, csv_upload(person_line(1), person_line(2)))
    assert job.created_count == 2
    numbers = set(
        JobSeeker.objects.exclude(pk=taken.pk).values_list("registration_number", flat=True)
    )
    assert numbers == {"1000000017", "1000000025"}


# The workspace


def _en(name: str, **kwargs) -> str:
    return "/en" + reverse(name, kwargs=kwargs)[3:]


def test_the_workspace_offers_the_template_and_imports_an_upload(
    client, ministry, django_capture_on_commit_callbacks
):
    client.force_login(ministry)
    page = client.get(_en("workspace:import_upload", kind="job_seekers")).content.decode()
    assert "პირადი ნომერი" in page and "Personal number" in page
    template = client.get(
        _en("workspace:import_template", kind="job_seekers", file_format="csv") + "?lang=ka"
    )
    header = template.content.decode("utf-8-sig").splitlines()[0]
    assert header.startswith("პირადი ნომერი,სახელი,გვარი,")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _en("workspace:import_upload", kind="job_seekers"),
            {"upload": csv_upload(NINO, person_line(2, first_name="Nino"))},
        )
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert (job.status, job.created_count, job.error_count) == (ImportStatus.DONE, 1, 1)
    page = client.get(_en("workspace:import_job", pk=job.pk)).content.decode()
    assert "First name (Georgian): Write the name in Georgian letters" in page


def test_the_workspace_refuses_the_import_to_those_without_the_right(client):
    client.force_login(UserFactory(role=Role.ANALYST))
    assert client.get(_en("workspace:import_upload", kind="job_seekers")).status_code == 403
