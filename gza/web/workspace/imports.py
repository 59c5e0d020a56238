"""Bulk imports in the workspace: choose a kind, download its template, upload a file, follow the
job's progress and read its per-line report (gza/core/imports.py does the work).

A person with no import kind gets 403 on every page here; a job outside their scope is a 404."""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language, gettext_lazy

from gza.core.audit import audit_record
from gza.core.enums import AuditVerb, ImportRowStatus
from gza.core.errors import DomainError
from gza.core.imports import (
    Import,
    error_report_rows,
    get_import,
    import_job_create,
    imports_for,
    template_rows,
)
from gza.core.models import ImportJob
from gza.core.roles import Right
from gza.core.tabular import csv_bytes, xlsx_bytes
from gza.core.uploads import XLSX
from gza.web.workspace.access import workspace_view
from gza.web.workspace.paging import paginate

LANGUAGES = ("ka", "en")
# Seconds between reloads of a job's page while it runs.
REFRESH_SECONDS = 3
CSV_TYPE = "text/csv; charset=utf-8"


class UploadForm(forms.Form):
    upload = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy(
            "CSV (UTF-8) or Excel workbook (.xlsx), with the template's header."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )


def _importers(request: HttpRequest) -> list[type[Import]]:
    importers = imports_for(request.user)
    if not importers:
        raise PermissionDenied
    return importers


def _importer(request: HttpRequest, kind: str) -> type[Import]:
    importer = get_import(kind)
    if importer is None:
        raise Http404
    if not importer.allowed(request.user):
        raise PermissionDenied
    return importer


def _job(request: HttpRequest, pk: int) -> ImportJob:
    _importers(request)
    return get_object_or_404(
        ImportJob.objects.visible_to(request.user).select_related("created_by"), pk=pk
    )


def _kind_label(kind: str) -> str:
    importer = get_import(kind)
    return str(importer.label) if importer else kind


def _download(content: bytes, *, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, private=True, no_store=True)
    return response


@workspace_view(Right.WORKSPACE)
def import_list(request: HttpRequest) -> HttpResponse:
    importers = _importers(request)
    page = paginate(
        request, ImportJob.objects.visible_to(request.user).select_related("created_by")
    )
    for job in page:
        job.kind_label = _kind_label(job.kind)
    return render(request, "workspace/imports/list.html", {"importers": importers, "page": page})


@workspace_view(Right.WORKSPACE)
def import_upload(request: HttpRequest, kind: str) -> HttpResponse:
    importer = _importer(request, kind)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = import_job_create(
                actor=request.user, importer=importer, upload=form.cleaned_data["upload"]
            )
        except DomainError as error:
            form.add_error(None, str(error.message))
        except ValidationError as error:
            form.add_error("upload", error.message_dict.get("upload", error.messages))
        else:
            return redirect(job)
    return render(
        request,
        "workspace/imports/upload.html",
        {
            "importer": importer,
            "form": form,
            "columns": [
                {
                    "name": column.name,
                    "label_ka": column.label_ka,
                    "label_en": column.label_en,
                    "required": column.required,
                    "help": column.help,
                }
                for column in importer.columns
            ],
            "template_links": [
                {"language": language, "format": file_format}
                for file_format in ("xlsx", "csv")
                for language in LANGUAGES
            ],
        },
    )


@workspace_view(Right.WORKSPACE)
def import_template(request: HttpRequest, kind: str, file_format: str) -> HttpResponse:
    """The header row of an import, in Georgian (?lang=ka) or English (?lang=en), as CSV or
    XLSX."""
    importer = _importer(request, kind)
    language = request.GET.get("lang", "")
    if language not in LANGUAGES:
        language = (get_language() or "ka")[:2]
    rows = template_rows(importer, language)
    filename = f"{importer.name}-{language}.{file_format}"
    if file_format == "csv":
        return _download(csv_bytes(rows), filename=filename, content_type=CSV_TYPE)
    if file_format == "xlsx":
        title = "იმპორტი" if language == "ka" else "Import"
        return _download(
            xlsx_bytes(rows, sheet_title=title), filename=filename, content_type=XLSX.content_type
        )
    raise Http404


@workspace_view(Right.WORKSPACE)
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    outcome = request.GET.get("outcome", "")
    rows = job.rows.all()
    if outcome in ImportRowStatus.values:
        rows = rows.filter(status=outcome)
    else:
        outcome = ""
    return render(
        request,
        "workspace/imports/job.html",
        {
            "job": job,
            "kind_label": _kind_label(job.kind),
            "page": paginate(request, rows),
            "outcome": outcome,
            "outcomes": ImportRowStatus.choices,
            # The page reloads itself while the job runs: no JavaScript needed.
            "refresh_seconds": None if job.is_finished else REFRESH_SECONDS,
        },
    )


@workspace_view(Right.WORKSPACE)
def import_job_errors(request: HttpRequest, pk: int) -> HttpResponse:
    """The lines that were not imported, with their reasons, as CSV (audited: a reference may
    identify a person)."""
    job = _job(request, pk)
    content = csv_bytes(error_report_rows(job))
    audit_record(
        actor=request.user,
        verb=AuditVerb.EXPORTED,
        target=job,
        payload={"report": "errors", "lines": job.error_count},
    )
    return _download(content, filename=f"import-{job.pk}-errors.csv", content_type=CSV_TYPE)
