"""The profile wizard and documents of a signed-in job seeker.

/me/profile/ resumes at the step where the person left; each step saves through the same
section (gza/registry/forms.py) and services as the workspace. Works without JavaScript: the
ISCO-08 suggestions come from a "Find the code" button that re-renders the step. Documents are
addressed by their number under the person's own record, never by anything personal, and are
served only to the person (officers use the workspace)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gza.core.audit import access_record
from gza.core.enums import AccessAction, Role
from gza.core.errors import DomainError
from gza.registry.enums import ProfileStep
from gza.registry.forms import SECTIONS, DocumentForm, add_errors, refusal_text
from gza.registry.models import JobSeeker, JobSeekerDocument
from gza.registry.profile import (
    STEPS,
    job_seeker_document_add,
    job_seeker_document_remove,
    next_step,
    previous_step,
    profile_progress,
)
from gza.web.files import file_response


def _own_record(request: HttpRequest) -> JobSeeker | None:
    return JobSeeker.objects.visible_to(request.user).active().first()


def _step_url(step: str) -> str:
    return reverse("portal:profile_step", kwargs={"step": step})


def _not_a_job_seeker(request: HttpRequest) -> HttpResponse | None:
    if request.user.role != Role.JOB_SEEKER:
        return redirect("workspace:home")
    return None


@login_required
def profile_resume(request: HttpRequest) -> HttpResponse:
    """Back to the step where the person left the wizard."""
    if refused := _not_a_job_seeker(request):
        return refused
    person = _own_record(request)
    if person is None:
        return redirect("portal:me")
    return redirect(_step_url(person.profile_step))


def _render_step(
    request: HttpRequest,
    person: JobSeeker,
    section,
    document_form: DocumentForm | None = None,
) -> HttpResponse:
    step = section.step
    context = {
        "person": person,
        "step": step,
        "steps": [(s, _step_url(s)) for s in STEPS],
        "number": STEPS.index(step) + 1,
        "progress": profile_progress(person),
        "previous_url": _step_url(previous) if (previous := previous_step(step)) else None,
        "is_last": next_step(step) is None,
        **section.context(),
    }
    if step == ProfileStep.DOCUMENTS:
        context["documents"] = person.documents.all()
        context["document_form"] = document_form or DocumentForm()
    return render(request, "portal/profile/step.html", context)


@login_required
def profile_step(request: HttpRequest, step: str) -> HttpResponse:
    if refused := _not_a_job_seeker(request):
        return refused
    if step not in SECTIONS:
        raise Http404
    person = _own_record(request)
    if person is None:
        return redirect("portal:me")
    section = SECTIONS[step](person, request.POST or None, officer=False)
    if request.method == "POST":
        if "suggest" in request.POST:
            section.find_suggestions()
        elif section.save(request.user):
            if "leave" in request.POST:
                messages.success(request, _("Saved. You can continue where you left off."))
                return redirect("portal:me")
            following = next_step(step)
            if following is None:
                messages.success(request, _("Your profile is complete."))
                return redirect("portal:me")
            return redirect(_step_url(following))
    else:
        access_record(actor=request.user, subject=person, action=AccessAction.VIEW, purpose="self")
    return _render_step(request, section.person, section)


@login_required
@require_POST
def document_add(request: HttpRequest) -> HttpResponse:
    if refused := _not_a_job_seeker(request):
        return refused
    person = _own_record(request)
    if person is None:
        return redirect("portal:me")
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
            return redirect(_step_url(ProfileStep.DOCUMENTS))
    section = SECTIONS[ProfileStep.DOCUMENTS](person, officer=False)
    return _render_step(request, person, section, document_form=form)


def _own_document(request: HttpRequest, pk: int) -> JobSeekerDocument:
    return get_object_or_404(
        JobSeekerDocument.objects.filter(
            job_seeker__in=JobSeeker.objects.visible_to(request.user)
        ).select_related("job_seeker"),
        pk=pk,
    )


@login_required
def document_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The person's own document; another person's is a 404."""
    document = _own_document(request, pk)
    response = file_response(document)
    access_record(
        actor=request.user,
        subject=document.job_seeker,
        action=AccessAction.EXPORT,
        purpose="self: document",
    )
    return response


@login_required
@require_POST
def document_remove(request: HttpRequest, pk: int) -> HttpResponse:
    document = _own_document(request, pk)
    try:
        job_seeker_document_remove(actor=request.user, document=document)
    except DomainError as error:
        messages.error(request, refusal_text(error))
    else:
        messages.success(request, _("The document is removed."))
    return redirect(_step_url(ProfileStep.DOCUMENTS))
