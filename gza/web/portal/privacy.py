"""A signed-in job seeker's consents and privacy page.

/me/consents/: each purpose with its text and status; giving is one POST from the page (the
text is on it), withdrawing asks for confirmation first, because it has effects.
/me/privacy/: which organisations viewed, exported or changed the record, a download of all
the person's data (a POST: it writes an export to the access log), and the deletion request.
The rules are in gza/registry/consent.py and gza/registry/privacy.py."""

import json
from collections.abc import Callable
from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gza.core.enums import Role
from gza.core.errors import DomainError
from gza.registry.consent import (
    ConsentError,
    consent_give,
    consent_states,
    consent_withdraw,
)
from gza.registry.enums import ConsentPurpose, DeletionRequestStatus
from gza.registry.models import JobSeeker
from gza.registry.privacy import (
    access_history,
    deletion_request_open,
    personal_data_export,
)
from gza.web.workspace.paging import paginate

HISTORY_PAGE_SIZE = 25

PersonView = Callable[..., HttpResponse]


def own_record_view(view: PersonView) -> Callable[..., HttpResponse]:
    """Signed-in job seekers with a registry record only: staff go to their workspace, a
    job seeker not yet in the registry to their page. The view gets the record."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if request.user.role != Role.JOB_SEEKER:
            return redirect("workspace:home")
        person = JobSeeker.objects.visible_to(request.user).active().first()
        if person is None:
            return redirect("portal:me")
        return view(request, person, *args, **kwargs)

    return wrapper


def _refusal(error: DomainError) -> str:
    return str(error.message) % error.params if error.params else str(error.message)


def _purpose(value: str) -> str:
    if value not in ConsentPurpose.values:
        raise Http404
    return value


# Consents --------------------------------------------------------------------------------------


@own_record_view
def consents(request: HttpRequest, person: JobSeeker) -> HttpResponse:
    return render(
        request,
        "portal/privacy/consents.html",
        {"person": person, "states": consent_states(person)},
    )


@require_POST
@own_record_view
def consent_give_view(request: HttpRequest, person: JobSeeker, purpose: str) -> HttpResponse:
    try:
        consent_give(person=person, purpose=_purpose(purpose), actor=request.user)
    except DomainError as error:
        messages.error(request, _refusal(error))
    else:
        messages.success(request, _("Thank you: your consent is recorded."))
    return redirect("portal:consents")


@own_record_view
def consent_withdraw_view(request: HttpRequest, person: JobSeeker, purpose: str) -> HttpResponse:
    """GET: what withdrawing means, and a button to confirm. POST: withdraw."""
    purpose = _purpose(purpose)
    state = next(s for s in consent_states(person) if s.purpose == purpose)
    if purpose == ConsentPurpose.REGISTRATION:
        # Withdrawn only by deleting the record (gza/registry/consent.py): offer that path.
        messages.info(request, ConsentError.REGISTRATION_NEEDS_DELETION)
        return redirect("portal:privacy")
    if request.method == "POST":
        try:
            consent_withdraw(person=person, purpose=purpose, actor=request.user)
        except DomainError as error:
            messages.error(request, _refusal(error))
        else:
            messages.success(request, _("Your consent is withdrawn."))
        return redirect("portal:consents")
    if not state.is_given:
        messages.info(request, _("There is no standing consent for this purpose to withdraw."))
        return redirect("portal:consents")
    return render(request, "portal/privacy/withdraw.html", {"state": state})


# Privacy page ----------------------------------------------------------------------------------


class DeletionRequestForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why do you want your record deleted? (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


@own_record_view
def privacy(request: HttpRequest, person: JobSeeker) -> HttpResponse:
    return _render_privacy(request, person, DeletionRequestForm())


def _render_privacy(
    request: HttpRequest, person: JobSeeker, form: DeletionRequestForm
) -> HttpResponse:
    return render(
        request,
        "portal/privacy/privacy.html",
        {
            "person": person,
            "page": paginate(request, access_history(person), per_page=HISTORY_PAGE_SIZE),
            "open_request": person.deletion_requests.filter(
                status=DeletionRequestStatus.OPEN
            ).first(),
            "last_request": person.deletion_requests.order_by("-requested_at", "-id").first(),
            "form": form,
        },
    )


@require_POST
@own_record_view
def privacy_download(request: HttpRequest, person: JobSeeker) -> HttpResponse:
    """All the person's data as a JSON file; the export is logged and audited."""
    data = personal_data_export(person=person, actor=request.user)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    # The registration number is the person's own, not a secret; no name in the file name.
    response["Content-Disposition"] = (
        f'attachment; filename="gza-my-data-{person.registration_number}.json"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, private=True, no_store=True)
    return response


@require_POST
@own_record_view
def deletion_request(request: HttpRequest, person: JobSeeker) -> HttpResponse:
    form = DeletionRequestForm(request.POST)
    if not form.is_valid():
        return _render_privacy(request, person, form)
    try:
        deletion_request_open(person=person, actor=request.user, reason=form.cleaned_data["reason"])
    except DomainError as error:
        messages.error(request, _refusal(error))
    else:
        messages.success(
            request,
            _(
                "Your request is sent to the ministry. You will see its decision on this page; "
                "until then your record stays as it is."
            ),
        )
    return redirect("portal:privacy")
