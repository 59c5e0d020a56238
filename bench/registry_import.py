"""Import of 100,000 job seekers from CSV, with the error report, against the target of 60 s
(issue 7, item 12).

The benchmark makes its own PostgreSQL database (gza_bench_import on 127.0.0.1:5432, user
postgres, trust authentication), migrates it, loads the reference data, writes a CSV of
BENCH_IMPORT_ROWS people (100,000 by default) of whom about 1% are bad in the ways the issue
names, and imports it through the product's own path: `import_job_create` (the upload check and
the ImportJob) and the background task (the immediate backend, so the task runs at commit, in
this process). The clock runs from the upload to the error report written as CSV. Then the same
file is imported again: every good line is an update that changes nothing. The measurement runs
in a subprocess, since Django is set up once per process with the database named at start.
"""

import csv
import datetime
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "gza_bench_import"
SERVER = "postgres://postgres@127.0.0.1:5432"
TARGET_SECONDS = 60
# The upload limit raised for the benchmark's file (about 20 MB for 100,000 people); the
# product's default (GZA_UPLOAD_MAX_MB=10) takes about 50,000 such lines.
UPLOAD_MAX_MB = 64

HEADER = [
    "Personal number",
    "First name (Georgian)",
    "Last name (Georgian)",
    "First name (Latin)",
    "Last name (Latin)",
    "Date of birth",
    "Sex",
    "Municipality",
    "Phone",
    "E-mail",
    "Passport number",
    "Occupations sought (ISCO-08)",
    "Languages",
    "Driving licence categories",
    "Available from",
    "External reference",
]
FIRST_NAMES = ["ნინო", "მარიამ", "ანა", "თამარ", "გიორგი", "დავით", "ლევან", "ნიკოლოზ", "ლუკა"]
LAST_NAMES = ["ბერიძე", "კაპანაძე", "მაისურაძე", "გელაშვილი", "ლომიძე", "ჯაფარიძე", "წიკლაური"]
MUNICIPALITIES = ["Tbilisi", "თელავი", "batumi", "Kutaisi", "რუსთავი", "Gori", "zugdidi"]
OCCUPATIONS = ["9211", "7115", "5120", "8322", "9112", "6111", "7212"]
MOBILE_PREFIXES = ["555", "557", "558", "568", "571", "574", "577", "591", "595", "599"]
LANGUAGES = ["pl:A2", "en:B1", "de:A1", "he:A1; en:A2", "ru:B2; en:A2"]
# The kinds of bad line, each a change to a good one, and the start of the reason reported.
BAD_KINDS = {
    "malformed personal number": "Personal number: ",
    "Latin letters in the Georgian name": "First name (Georgian): ",
    "Georgian letters in the Latin name": "Last name (Latin): ",
    "birth date in the future": "Date of birth: ",
    "under 16": "Date of birth: ",
    "invalid phone": "Phone: ",
    "unknown municipality": "Municipality: ",
    "unknown occupation": "Occupations sought (ISCO-08): ",
    "unknown CEFR level": "Languages: ",
    "personal number repeated": "This line repeats line ",
}


def _good_line(index: int, rng: random.Random) -> list[str]:
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    birth = datetime.date(1960, 1, 1) + datetime.timedelta(days=rng.randint(0, 40 * 365))
    return [
        f"{10_000_000_000 + index:011d}",
        first,
        last,
        "",  # suggested from the Georgian
        "",
        birth.strftime("%d.%m.%Y") if index % 2 else birth.isoformat(),
        rng.choice(["f", "m", "ქალი", "კაცი"]),
        rng.choice(MUNICIPALITIES),
        f"{rng.choice(MOBILE_PREFIXES)} {rng.randint(10, 99)} {rng.randint(10, 99)} "
        f"{rng.randint(10, 99)}",
        f"person{index}@example.ge" if index % 3 == 0 else "",
        f"{rng.randint(10, 99)}AB{rng.randint(10000, 99999)}" if index % 4 == 0 else "",
        "; ".join(
            f"{code}:{rng.randint(0, 20)}" for code in rng.sample(OCCUPATIONS, rng.randint(1, 2))
        ),
        rng.choice(LANGUAGES),
        rng.choice(["", "B", "B, C", "CE"]),
        "2027-03-01" if index % 5 == 0 else "",
        f"CAMPAIGN-{index}",
    ]


def _spoil(line: list[str], kind: str, first_number: str) -> None:
    if kind == "malformed personal number":
        line[0] = line[0][:9]
    elif kind == "Latin letters in the Georgian name":
        line[1] = "Nino"
    elif kind == "Georgian letters in the Latin name":
        line[4] = "ბერიძე"
    elif kind == "birth date in the future":
        line[5] = "2099-01-01"
    elif kind == "under 16":
        line[5] = (datetime.date.today() - datetime.timedelta(days=10 * 365)).isoformat()
    elif kind == "invalid phone":
        line[8] = "12345"
    elif kind == "unknown municipality":
        line[7] = "Narnia"
    elif kind == "unknown occupation":
        line[11] = "0000"
    elif kind == "unknown CEFR level":
        line[12] = "pl:Z9"
    elif kind == "personal number repeated":
        line[0] = first_number


def write_csv(path: Path, rows: int, seed: int = 7) -> dict[int, str]:
    """Write the file; return the bad lines' numbers (as the report counts them) and kinds."""
    rng = random.Random(seed)  # noqa: S311 - generated test data, reproducible by its seed
    kinds = list(BAD_KINDS)
    bad: dict[int, str] = {}
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    first_number = ""
    for index in range(rows):
        line = _good_line(index, rng)
        if index == 0:
            first_number = line[0]
        elif index % 100 == 50:  # 1%
            kind = kinds[(index // 100) % len(kinds)]
            _spoil(line, kind, first_number)
            bad[index + 2] = kind  # the header is line 1
        writer.writerow(line)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return bad


# In the subprocess -------------------------------------------------------------------------


def _measure(csv_path: str, expected_path: str) -> dict:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gza.settings")
    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection, transaction
    from django.utils import translation

    from gza.core.enums import ImportStatus, OrganisationKind, Role
    from gza.core.imports import error_report_rows, get_import, import_job_create
    from gza.core.models import ImportJob, Organisation, User
    from gza.core.tabular import csv_bytes
    from gza.registry.models import JobSeeker

    if connection.vendor != "postgresql":
        raise RuntimeError("The import benchmark measures PostgreSQL.")
    expected = {
        int(line): kind for line, kind in json.loads(Path(expected_path).read_text()).items()
    }
    organisation = Organisation.objects.create(
        kind=OrganisationKind.LABOUR_MINISTRY, name_ka="სამინისტრო", name_en="Ministry"
    )
    actor = User.objects.create_user(
        "bench-import@example.ge",
        None,
        full_name="Bench Importer",
        role=Role.MINISTRY_OFFICER,
        organisation=organisation,
    )
    importer = get_import("job_seekers")
    content = Path(csv_path).read_bytes()

    def one_pass() -> dict:
        upload = SimpleUploadedFile("people.csv", content, content_type="text/csv")
        started = time.perf_counter()
        with translation.override("en"), transaction.atomic():
            # The task is enqueued at commit and, with the immediate backend, runs there.
            job = import_job_create(actor=actor, importer=importer, upload=upload)
        imported = time.perf_counter()
        job = ImportJob.objects.get(pk=job.pk)
        with translation.override("en"):
            report = csv_bytes(error_report_rows(job))
        finished = time.perf_counter()
        reported = list(csv.reader(io.StringIO(report.decode("utf-8-sig"))))[1:]
        wrong = [
            (line, message)
            for line, _reference, message in reported
            if int(line) not in expected or not message.startswith(BAD_KINDS[expected[int(line)]])
        ]
        return {
            "status": job.status,
            "message": job.message,
            "total": job.total_rows,
            "created": job.created_count,
            "updated": job.updated_count,
            "errors": job.error_count,
            "import_seconds": imported - started,
            "report_seconds": finished - imported,
            "seconds": finished - started,
            "report_lines": len(reported),
            "report_bytes": len(report),
            "report_matches": not wrong and len(reported) == len(expected),
            "wrong_reports": wrong[:5],
            "people": JobSeeker.objects.count(),
            "done": job.status == ImportStatus.DONE,
        }

    first = one_pass()
    second = one_pass()
    return {"first": first, "second": second, "file_bytes": len(content)}


# In `make bench` ---------------------------------------------------------------------------


def _admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
        admin.execute(sql)


def _manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def _pass_row(name: str, result: dict, rows: int) -> str:
    rate = rows / result["seconds"] if result["seconds"] else 0
    return (
        f"| {name} | {result['seconds']:.1f} s | {result['import_seconds']:.1f} s | "
        f"{result['report_seconds']:.2f} s | {rate:,.0f} | {result['created']:,} | "
        f"{result['updated']:,} | {result['errors']:,} |"
    )


def run() -> str:
    rows = int(os.environ.get("BENCH_IMPORT_ROWS", "100000"))
    env = {
        **os.environ,
        "DATABASE_URL": f"{SERVER}/{DATABASE}",
        "TASKS_BACKEND": "immediate",
        "GZA_UPLOAD_MAX_MB": str(UPLOAD_MAX_MB),
        "DJANGO_SETTINGS_MODULE": "gza.settings",
    }
    _admin(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
    _admin(f"CREATE DATABASE {DATABASE}")
    try:
        _manage(env, "migrate", "--no-input")
        _manage(env, "load_reference")
        with tempfile.TemporaryDirectory(prefix="gza-bench-import-") as folder:
            csv_path = Path(folder) / "people.csv"
            expected = write_csv(csv_path, rows)
            expected_path = Path(folder) / "expected.json"
            expected_path.write_text(json.dumps(expected))
            completed = subprocess.run(  # noqa: S603 - our own interpreter and module
                [sys.executable, "-m", "bench.registry_import", str(csv_path), str(expected_path)],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
            )
            if completed.returncode:
                raise RuntimeError(f"The measurement failed:\n{completed.stderr[-3000:]}")
        result = json.loads(completed.stdout.strip().splitlines()[-1])
    finally:
        _admin(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
    first, second = result["first"], result["second"]
    bad = len(expected)
    checks = [
        ("both jobs finished", first["done"] and second["done"]),
        ("first pass: created + errors = rows", first["created"] + first["errors"] == rows),
        ("first pass: errors = bad lines", first["errors"] == bad),
        ("error report: every bad line, with the expected reason", first["report_matches"]),
        (
            "re-run: no one created, every good line updated",
            second["created"] == 0 and second["updated"] == rows - bad,
        ),
        (
            "re-run: the registry holds the same people",
            second["people"] == first["people"] == rows - bad,
        ),
        ("re-run: the same error report", second["report_matches"]),
    ]
    verdict = (
        "met" if first["seconds"] <= TARGET_SECONDS and all(ok for _, ok in checks) else "NOT met"
    )
    lines = [
        f"{rows:,} job seekers from CSV ({result['file_bytes'] / 1e6:.1f} MB, {bad:,} bad lines "
        f"of {len(BAD_KINDS)} kinds), PostgreSQL, through `import_job_create` and the import "
        "task; the clock includes the CSV error report.",
        "",
        "| pass | total | import | error report | lines/s | created | updated | errors |",
        "|---|---|---|---|---|---|---|---|",
        _pass_row("first import", first, rows),
        _pass_row("same file again", second, rows),
        "",
        f"Target: <= {TARGET_SECONDS} s with the error report (issue 7) — **{verdict}** "
        f"({first['seconds']:.1f} s).",
        "",
        *[f"- {'ok' if ok else 'FAILED'}: {name}" for name, ok in checks],
    ]
    if first["wrong_reports"]:
        lines.append(f"- unexpected report lines (first 5): {first['wrong_reports']}")
    if first["message"]:
        lines.append(f"- job message: {first['message']}")
    return "\n".join(lines)


if __name__ == "__main__":
    print(json.dumps(_measure(sys.argv[1], sys.argv[2])))
