"""Job seekers' records in the workspace, beyond the search: an officer registers a person at a
service centre, edits their identity and profile, and handles their documents.

Every person is fetched through `JobSeeker.objects.visible_to(user)`, so one outside the
officer's remit is a 404; every page that shows a record writes the access log. The forms and
services are the portal's (gza/registry/forms.py, gza/registry/profile.py)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gza.core.audit import access_record
from gza.core.enums import AccessAction
from gza.core.errors import DomainError
from gza.core.roles import Right
from gza.registry.forms import (
    SECTIONS,
    AssistedRegistrationForm,
    DocumentForm,
    add_errors,
    refusal_text,
)
from gza.registry.models import (
    Consent,
    Education,
    JobSeeker,
    JobSeekerDocument,
    LanguageSkill,
    SoughtOccupation,
    WorkExperience,
)
from gza.registry.profile import (
    job_seeker_document_add,
    job_seeker_document_remove,
    job_seeker_editable_by,
    job_seeker_register_assisted,
    profile_progress,
)
from gza.web.files import file_response
from gza.web.workspace.access import workspace_view


def _person(request: HttpRequest, public_id: str) -> JobSeeker:
    return get_object_or_404(
        JobSeeker.objects.visible_to(request.user).select_related(
            "municipality__region", "registered_by_organisation", "citizenship"
        ),
        public_id=public_id,
    )


@workspace_view(Right.JOB_SEEKERS_MANAGE)
def job_seeker_register(request: HttpRequest) -> HttpResponse:
    """Register a person at a service centre, with the consents they signed."""
    form = AssistedRegistrationForm(request.POST or None, instance=JobSeeker())
    if request.method == "POST" and form.is_valid():
        try:
            person = job_seeker_register_assisted(
                actor=request.user, person=form.instance, consents=form.cleaned_data["consents"]
            )
        except DomainError as error:
            form.add_error(None, refusal_text(error))
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _("The person is registered with number %(number)s.")
                % {"number": person.registration_number},
            )
            return redirect(person)
    return render(request, "workspace/job_seekers/register.html", {"form": form})


PROFILE_PREFETCH = [
    Prefetch("education", queryset=Education.objects.select_related("isced_level")),
    Prefetch(
        "work_experience", queryset=WorkExperience.objects.select_related("country", "occupation")
    ),
    Prefetch("sought_occupations", queryset=SoughtOccupation.objects.select_related("occupation")),
    Prefetch("language_skills", queryset=LanguageSkill.objects.select_related("language", "level")),
    "certificates",
    "skills",
    "desired_countries",
    "documents",
    Prefetch("consents", queryset=Consent.objects.select_related("text")),
]


def render_job_seeker(
    request: HttpRequest, person: JobSeeker, document_form: DocumentForm | None = None
) -> HttpResponse:
    """The whole record on one page, in a fixed number of queries however long the profile.
    The detail view (gza/web/workspace/job_seekers.py) fetches the person in scope and logs
    the view; this renders it."""
    prefetch_related_objects([person], *PROFILE_PREFETCH)
    can_edit = job_seeker_editable_by(request.user, person)
    return render(
        request,
        "workspace/job_seekers/detail.html",
        {
            "person": person,
            "progress": profile_progress(person),
            "can_edit": can_edit,
            "document_form": (document_form or DocumentForm()) if can_edit else None,
        },
    )


@workspace_view(Right.JOB_SEEKERS_MANAGE)
def job_seeker_edit(request: HttpRequest, public_id: str, step: str) -> HttpResponse:
    """Edit one section of a person's record: the portal's step, filled in by an officer."""
    if step not in SECTIONS or step == "documents":
        raise Http404
    person = _person(request, public_id)
    if not job_seeker_editable_by(request.user, person):
        raise PermissionDenied
    section = SECTIONS[step](person, request.POST or None, officer=True)
    if request.method == "POST":
        if "suggest" in request.POST:
            section.find_suggestions()
        elif section.save(request.user):
            messages.success(request, _("The record is updated."))
            return redirect(person)
    else:
        access_record(actor=request.user, subject=person, action=AccessAction.VIEW)
    return render(
        request,
        "workspace/job_seekers/edit.html",
        {"person": person, "step": section.step, **section.context()},
    )


@workspace_view(Right.JOB_SEEKERS_MANAGE)
def job_seeker_document_add_view(request: HttpRequest, public_id: str) -> HttpResponse:
    person = _person(request, public_id)
    if not job_seeker_editable_by(request.user, person):
        raise PermissionDenied
    if request.method != "POST":
        return redirect(person)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            job_seeker_document_add(actor=request.user, person=person, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, refusal_text(error))
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The document is added."))
            return redirect(person)
    access_record(actor=request.user, subject=person, action=AccessAction.VIEW)
    return render_job_seeker(request, person, document_form=form)


def _document(request: HttpRequest, public_id: str, pk: int) -> JobSeekerDocument:
    person = _person(request, public_id)
    return get_object_or_404(person.documents.select_related("job_seeker"), pk=pk)


@workspace_view(Right.JOB_SEEKERS_VIEW)
def job_seeker_document(request: HttpRequest, public_id: str, pk: int) -> HttpResponse:
    """Download a document of a person in the officer's remit; every download is logged."""
    document = _document(request, public_id, pk)
    response = file_response(document)
    access_record(
        actor=request.user,
        subject=document.job_seeker,
        action=AccessAction.EXPORT,
        purpose="document",
    )
    return response


@workspace_view(Right.JOB_SEEKERS_MANAGE)
@require_POST
def job_seeker_document_remove_view(request: HttpRequest, public_id: str, pk: int) -> HttpResponse:
    document = _document(request, public_id, pk)
    try:
        job_seeker_document_remove(actor=request.user, document=document)
    except DomainError as error:
        messages.error(request, refusal_text(error))
    else:
        messages.success(request, _("The document is removed."))
    return redirect(document.job_seeker)
