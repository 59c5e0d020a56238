"""Bulk imports from CSV and XLSX: one framework, a small class per kind of record.

A concrete import lives in its domain, in `gza/<domain>/imports.py`, and registers itself:

    from gza.core.imports import Column, Import, ImportContext, register

    @register
    class ForeignEmployerImport(Import):
        name = "foreign_employers"                 # in URLs and on ImportJob.kind; never change it
        label = _("Foreign employers")
        description = _("One line per employer ...")
        right = Right.DEMAND_VIEW                  # who may open it (narrow with allowed())
        model = ForeignEmployer                    # names a service's errors on other fields
        key_columns = ("country", "registration_number")
        columns = (
            Column("country", "ქვეყანა", "Country", required=True, parser=parse_country),
            Column("registration_number", "სარეგისტრაციო ნომერი", "Registration number",
                   required=True),
            ...
        )

        def key(self, row):                        # the external reference, as text
            return f"{row['country'].code} {row['registration_number']}"

        def apply(self, row, *, actor, context):   # finds the record by the key, calls the
            ...                                    # domain service to create or update it
            return ImportRowStatus.CREATED         # or UPDATED

`gza.core.imports` finds these modules itself (every installed app's `imports` module is
imported on first use of the registry), so registering needs no other file.

What the framework does, so an import need not:

- reads the file safely (gza/core/tabular.py) and matches its header to `columns` by the
  Georgian or English heading or the machine name; a wrong header refuses the whole file;
- gives `apply` a dict of parsed values for the columns present in the file (a column left out
  of the file is absent from the dict, so an update leaves that field alone; an empty cell is
  `column.default`);
- refuses a line whose required cells are empty or whose cells do not parse, and a line whose
  `key` repeats an earlier line of the same file, before `apply` is called;
- runs `apply` for each line in its own transaction: a line that fails (ValidationError or
  DomainError) leaves nothing behind and is reported with its line and reason; a line that
  succeeds is committed together with its report row, so the report lists every record stored;
- or, for an import that defines `apply_batch` (a file of many thousand lines, where a
  transaction and a few queries per line are too slow), hands it up to BULK_BATCH_SIZE good lines
  at once, in one transaction with their report rows. `apply_batch` validates every line before
  it writes anything, returns for each line its outcome or the error that refuses it (a refused
  line must leave nothing behind), and writes the rest in bulk. If it raises instead
  (ValidationError, DomainError, or a database error such as a unique record saved meanwhile),
  the batch is rolled back and its lines go through `apply` one by one, so the good lines are
  still stored and the bad one is reported: an import with `apply_batch` keeps `apply`;
- writes every message in the language of the person who uploaded the file, keeps the progress
  up to date, and offers the errors as CSV.

`apply` must make re-runs idempotent: look the record up by the same key and update it rather
than create another. It receives the actor; the domain service it calls checks what the actor
may do with that record (an embassy only its own country's employers, an employer only its own
vacancies), so the framework never needs to know.
"""

import hashlib
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.files import File
from django.db import DatabaseError, IntegrityError, models, transaction
from django.tasks import task
from django.utils import timezone, translation
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from gza.core.audit import audit_record
from gza.core.enums import AuditVerb, ImportRowStatus, ImportStatus
from gza.core.errors import DomainError
from gza.core.models import ImportJob, ImportRow, User
from gza.core.roles import Right, has_right
from gza.core.tabular import Table, column_label, match_header, open_table
from gza.core.uploads import safe_filename

logger = logging.getLogger(__name__)

# Progress and the buffered error rows are written every this many lines.
BATCH_SIZE = 100
# Lines handed to an import's `apply_batch` at once (and stored in one transaction).
BULK_BATCH_SIZE = 1000

REQUIRED = _("%(column)s is required.")
CELL_ERROR = _("%(column)s: %(message)s")
NO_HEADING = _("There is a value in column %(position)s, which has no heading.")
REPEATED_KEY = _("This line repeats line %(first)s (the same %(key)s).")
CONFLICT = _("Another change to this record was saved at the same time; import the file again.")
UNEXPECTED = _(
    "The import stopped at line %(line)s because of an error in Gza, which is logged for the "
    "administrators; the lines before it are in the report."
)
UNKNOWN_KIND = _("This kind of import is no longer offered.")


@dataclass(frozen=True)
class Column:
    """One column of an import: its machine name (the key in a row), its heading in each
    language, whether a value is required, and how a cell's text becomes a value.

    `parser` takes the stripped, non-empty text of the cell and returns the value, or raises
    ValidationError with a translatable message; an empty cell is `default` without parsing."""

    name: str
    label_ka: str
    label_en: str
    required: bool = False
    parser: Callable[[str], Any] = str
    default: Any = ""
    help: Any = ""

    @property
    def label(self) -> str:
        return column_label(self)


@dataclass(frozen=True)
class ImportLine:
    """A line ready to be stored by `apply_batch`: its number in the file, its parsed values
    (as `apply` gets them) and its key."""

    number: int
    row: dict[str, Any]
    reference: str


# What `apply_batch` returns for each line: ImportRowStatus.CREATED or UPDATED, or the error
# that refuses the line.
LineOutcome = str | ValidationError | DomainError


@dataclass
class ImportContext:
    """What `apply` may use besides the row: the job, the line being applied, and a cache that
    lives as long as the job (for look-ups worth doing once per file)."""

    job: ImportJob
    line: int = 0
    cache: dict[str, Any] = field(default_factory=dict)


class Import:
    """Base of a concrete import; see the module docstring. Instances are made per use and hold
    no state between jobs."""

    # Templates get the class itself; they must not instantiate it.
    do_not_call_in_templates: ClassVar[bool] = True

    name: ClassVar[str]
    label: ClassVar[Any]
    description: ClassVar[Any] = ""
    right: ClassVar[Right]
    columns: ClassVar[tuple[Column, ...]]
    # The model the import writes: its fields' names label a service's errors that are not
    # on a column.
    model: ClassVar[type[models.Model] | None] = None
    # The columns `key` is made of, to name them when a line repeats another's key.
    key_columns: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def allowed(cls, user: User) -> bool:
        """Whether `user` may run this import at all. Which records they may touch is the
        domain service's business, checked on every line."""
        return has_right(user, Right.WORKSPACE) and has_right(user, cls.right)

    def key(self, row: dict[str, Any]) -> str:
        """The line's external reference: what makes a re-run update instead of duplicate."""
        raise NotImplementedError

    def key_label(self) -> str:
        """The key's columns, named for a message about a repeated key."""
        names = self.key_columns or tuple(c.name for c in self.columns if c.required)
        return ", ".join(self.column(name).label for name in names)

    def apply(self, row: dict[str, Any], *, actor: User, context: ImportContext) -> str:
        """Store one line through the domain service; return ImportRowStatus.CREATED or
        UPDATED; raise ValidationError or DomainError to refuse it."""
        raise NotImplementedError

    def apply_batch(
        self, lines: Sequence[ImportLine], *, actor: User, context: ImportContext
    ) -> list[LineOutcome]:
        """Optional: store many lines at once (see the module docstring). Return one outcome
        per line, in order; raise to have the whole batch applied line by line instead."""
        raise NotImplementedError

    @classmethod
    def batched(cls) -> bool:
        """Whether the import stores its lines in batches (it defines `apply_batch`)."""
        return cls.apply_batch is not Import.apply_batch

    def column(self, name: str) -> Column:
        return next(column for column in self.columns if column.name == name)


_registry: dict[str, type[Import]] = {}
_discovered = False


def register(cls: type[Import]) -> type[Import]:
    """Class decorator: make an import available under its `name`."""
    existing = _registry.get(cls.name)
    if existing is not None and (existing.__module__, existing.__qualname__) != (
        cls.__module__,
        cls.__qualname__,
    ):
        raise ValueError(f"Two imports are named {cls.name!r}.")
    _registry[cls.name] = cls
    return cls


def _discover() -> None:
    global _discovered  # the registry is filled once per process
    if not _discovered:
        autodiscover_modules("imports")
        _discovered = True


def registered() -> list[type[Import]]:
    _discover()
    return sorted(_registry.values(), key=lambda cls: cls.name)


def get_import(name: str) -> type[Import] | None:
    _discover()
    return _registry.get(name)


def imports_for(user: User) -> list[type[Import]]:
    """The imports `user` may run, in a stable order."""
    return [cls for cls in registered() if cls.allowed(user)]


# Uploading


def _sha256(file: File) -> str:
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def import_job_create(*, actor: User, importer: type[Import], upload: File) -> ImportJob:
    """Accept a file for import and queue the work. The file's type, size and header are
    checked now, so a wrong file is refused while the person waits; its lines are read in the
    background. ValidationError (on "upload") if the file is refused."""
    if not importer.allowed(actor):
        raise DomainError(DomainError.NOT_PERMITTED)
    try:
        with open_table(upload) as table:
            match_header(table.header, importer.columns)
            file_type = table.kind
    except ValidationError as error:
        raise ValidationError({"upload": error.error_list}) from error
    job = ImportJob(
        kind=importer.name,
        original_name=safe_filename(upload.name or f"import.{file_type}"),
        file_type=file_type,
        size=upload.size,
        sha256=_sha256(upload),
        created_by=actor,
        organisation_id=actor.organisation_id,
        language=(get_language() or actor.preferred_language or "ka")[:2],
    )
    job.full_clean(exclude=["file"])
    job.file.save(job.original_name, upload, save=False)
    try:
        with transaction.atomic():
            job.save()
            audit_record(
                actor=actor,
                verb=AuditVerb.CREATED,
                target=job,
                # No file name: it may name a person.
                payload={"kind": job.kind, "size": job.size, "sha256": job.sha256},
            )
            # The worker must find the job committed; on PostgreSQL the view's transaction
            # commits after this function returns.
            transaction.on_commit(lambda: run_import_job.enqueue(job_id=job.pk))
    except BaseException:
        # Nothing half-stored: a file without its job would never be read or removed.
        job.file.storage.delete(job.file.name)
        raise
    return job


# Running


def render_error(error: ValidationError | DomainError, importer: Import) -> str:
    """A service's refusal as one line of text in the active language, each message prefixed
    by the column (or the model field) it is about."""
    if isinstance(error, DomainError):
        return str(error.message) % error.params if error.params else str(error.message)
    if not hasattr(error, "error_dict"):
        return " ".join(str(message) for message in error.messages)
    names = {column.name: column.label for column in importer.columns}
    parts = []
    for name, messages in error.message_dict.items():
        label = names.get(name)
        if label is None and importer.model is not None and name != "__all__":
            try:
                label = str(importer.model._meta.get_field(name).verbose_name)
            except FieldDoesNotExist:  # not a field: the message stands alone
                label = None
        for message in messages:
            parts.append(
                str(CELL_ERROR % {"column": label, "message": message}) if label else message
            )
    return " ".join(parts)


@dataclass
class _Tally:
    processed: int = 0
    created: int = 0
    updated: int = 0
    errors: int = 0
    line: int = 0
    pending: list[ImportRow] = field(default_factory=list)

    def fields(self) -> dict[str, int]:
        return {
            "processed_rows": self.processed,
            "created_count": self.created,
            "updated_count": self.updated,
            "error_count": self.errors,
        }


def _parse(cells: Sequence[str], positions: dict[int, Column]) -> tuple[dict[str, Any], list[str]]:
    """The line's values by column name, and what is wrong with its cells."""
    row: dict[str, Any] = {}
    problems: list[str] = []
    for position, text in enumerate(cells):
        if text and position not in positions:
            problems.append(str(NO_HEADING % {"position": position + 1}))
    for position, column in positions.items():
        text = cells[position] if position < len(cells) else ""
        if not text:
            if column.required:
                problems.append(str(REQUIRED % {"column": column.label}))
            row[column.name] = column.default
            continue
        try:
            row[column.name] = column.parser(text)
        except ValidationError as error:
            for message in error.messages:
                problems.append(str(CELL_ERROR % {"column": column.label, "message": message}))
    return row, problems


def _flush(job: ImportJob, tally: _Tally, **finish: Any) -> None:
    with transaction.atomic():
        ImportRow.objects.bulk_create(tally.pending)
        ImportJob.objects.filter(pk=job.pk).update(**tally.fields(), **finish)
    tally.pending = []


def _count(
    job: ImportJob, tally: _Tally, number: int, reference: str, outcome: Any, problems: list[str]
) -> None:
    """Add a line's outcome to the tally; a refused line's report row waits for the next flush
    (a stored line's row was written with it)."""
    tally.processed += 1
    if outcome == ImportRowStatus.CREATED:
        tally.created += 1
    elif outcome == ImportRowStatus.UPDATED:
        tally.updated += 1
    else:
        tally.errors += 1
        tally.pending.append(
            ImportRow(
                job=job,
                line=number,
                status=ImportRowStatus.ERROR,
                reference=reference,
                message=" ".join(problems),
            )
        )


def _store_line(
    job: ImportJob, importer: Import, line: ImportLine, context: ImportContext
) -> tuple[str | None, str]:
    """Store one line through `apply`: its outcome, or None and why it was refused."""
    try:
        # One transaction per line: a refused line leaves nothing behind, a good one is
        # committed at once with its report row.
        with transaction.atomic():
            outcome = importer.apply(line.row, actor=job.created_by, context=context)
            ImportRow.objects.create(
                job=job, line=line.number, status=outcome, reference=line.reference
            )
    except (ValidationError, DomainError) as error:
        return None, render_error(error, importer)
    except IntegrityError:
        # A unique record saved by someone else between the service's check and its insert.
        return None, str(CONFLICT)
    return outcome, ""


def _store_batch(
    job: ImportJob,
    importer: Import,
    lines: list[ImportLine],
    context: ImportContext,
    tally: _Tally,
) -> None:
    """Store a batch through `apply_batch` in one transaction with its report rows; if the
    batch is refused as a whole, roll it back and store its lines one by one."""
    tally.line = context.line = lines[0].number
    try:
        with transaction.atomic():
            outcomes = importer.apply_batch(lines, actor=job.created_by, context=context)
            if len(outcomes) != len(lines):
                raise RuntimeError(f"apply_batch gave {len(outcomes)} outcomes for {len(lines)}")
            ImportRow.objects.bulk_create(
                ImportRow(job=job, line=line.number, status=outcome, reference=line.reference)
                for line, outcome in zip(lines, outcomes, strict=True)
                if isinstance(outcome, str)
            )
    except (ValidationError, DomainError, DatabaseError):
        for line in lines:
            tally.line = context.line = line.number
            outcome, problem = _store_line(job, importer, line, context)
            _count(job, tally, line.number, line.reference, outcome, [problem])
    else:
        for line, outcome in zip(lines, outcomes, strict=True):
            if isinstance(outcome, str):
                _count(job, tally, line.number, line.reference, outcome, [])
            else:
                message = render_error(outcome, importer)
                _count(job, tally, line.number, line.reference, None, [message])
    _flush(job, tally)


def _run(job: ImportJob, importer: Import, table: Table, tally: _Tally) -> None:
    positions = {
        position: importer.column(name)
        for position, name in match_header(table.header, importer.columns).items()
    }
    # A first pass reads the whole file, so that a formula or a bad byte at line 90,000 refuses
    # the file before a single line is stored, and the progress has a total.
    total = sum(1 for _line in table.lines())
    ImportJob.objects.filter(pk=job.pk).update(total_rows=total)
    context = ImportContext(job=job)
    first_lines: dict[str, int] = {}
    batched = importer.batched()
    batch: list[ImportLine] = []
    for line in table.lines():
        tally.line = context.line = line.number
        row, problems = _parse(line.cells, positions)
        reference = ""
        if not problems:
            reference = importer.key(row)[:200]
            if reference in first_lines:
                problems.append(
                    str(
                        REPEATED_KEY
                        % {"first": first_lines[reference], "key": importer.key_label()}
                    )
                )
            else:
                first_lines[reference] = line.number
        if problems:
            _count(job, tally, line.number, reference, None, problems)
        elif batched:
            batch.append(ImportLine(line.number, row, reference))
            if len(batch) >= BULK_BATCH_SIZE:
                _store_batch(job, importer, batch, context, tally)
                batch = []
            continue
        else:
            outcome, problem = _store_line(
                job, importer, ImportLine(line.number, row, reference), context
            )
            _count(job, tally, line.number, reference, outcome, [problem])
        if tally.processed % BATCH_SIZE == 0:
            _flush(job, tally)
    if batch:
        _store_batch(job, importer, batch, context, tally)


def import_job_run(*, job_id: int) -> None:
    """Import the lines of a queued job, through the import's `apply` (or its `apply_batch`),
    and finish with its report. A job is claimed before it runs, so one queued twice runs once."""
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportStatus.QUEUED).update(
        status=ImportStatus.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    importer = get_import(job.kind)
    tally = _Tally()
    status, message = ImportStatus.DONE, ""
    with translation.override(job.language):
        try:
            if importer is None:
                raise ValidationError(UNKNOWN_KIND, code="unknown_kind")
            with (
                job.file.storage.open(job.file.name, "rb") as handle,
                open_table(File(handle, name=job.original_name)) as table,
            ):
                _run(job, importer(), table, tally)
        except ValidationError as error:
            # The file as a whole is refused (found by the first pass): nothing was stored.
            status, message = ImportStatus.FAILED, " ".join(error.messages)
        except Exception:
            logger.exception("Import job %s stopped at line %s", job_id, tally.line)
            status = ImportStatus.FAILED
            message = str(UNEXPECTED % {"line": tally.line})
    _flush(job, tally, status=status, message=message, finished_at=timezone.now())
    audit_record(
        actor=job.created_by,
        verb=AuditVerb.UPDATED,
        target=job,
        payload={"status": status, **tally.fields()},
    )


@task()
def run_import_job(*, job_id: int) -> None:
    # Only the job's id travels through the queue; the file stays in private storage.
    import_job_run(job_id=job_id)


# Files handed out


def template_rows(importer: type[Import], language: str) -> list[list[str]]:
    """The template of an import: its header row in `language`."""
    return [[column_label(column, language) for column in importer.columns]]


def error_report_rows(job: ImportJob) -> Iterable[list[object]]:
    """The lines of a job that were not imported, with the reason, under a header in the
    active language."""
    yield [str(_("Line")), str(_("Reference")), str(_("Reason"))]
    errors = job.rows.filter(status=ImportRowStatus.ERROR).order_by("line")
    for row in errors.values_list("line", "reference", "message").iterator(chunk_size=2000):
        yield list(row)
