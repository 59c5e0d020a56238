"""The worker's own placement on the portal (the promised terms, their orientation certificates)
and the public check of a certificate's code. Works without JavaScript."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _

from gza.core.audit import access_record
from gza.core.enums import AccessAction, Role
from gza.mobility.certificates import certificate_verify, display_code
from gza.mobility.models import Attendance, Placement
from gza.registry.models import JobSeeker
from gza.web.workspace.mobility import certificate_response


def _person(request: HttpRequest) -> JobSeeker | None:
    return JobSeeker.objects.visible_to(request.user).first()


@login_required
def my_placement(request: HttpRequest) -> HttpResponse:
    """The person's placements (the current one first) with the terms promised to them, and
    their orientation certificates."""
    if request.user.role != Role.JOB_SEEKER:
        return redirect("workspace:home")
    person = _person(request)
    placements = (
        Placement.objects.visible_to(request.user)
        .select_related("employer", "country", "occupation")
        .order_by("-departure_date")
    )
    certificates = Attendance.objects.filter(
        application__job_seeker__user=request.user,
        attended=True,
        certificate_code__isnull=False,
    ).select_related("session__organisation")
    if person is not None:
        access_record(actor=request.user, subject=person, action=AccessAction.VIEW, purpose="self")
    return render(
        request,
        "portal/mobility/my_placement.html",
        {
            "placements": placements,
            "certificates": [(row, display_code(row.certificate_code)) for row in certificates],
        },
    )


@login_required
def my_certificate(request: HttpRequest, pk: int) -> HttpResponse:
    attendance = get_object_or_404(
        Attendance.objects.filter(
            application__job_seeker__user=request.user,
            attended=True,
            certificate_code__isnull=False,
        ).select_related("session__organisation", "application__job_seeker"),
        pk=pk,
    )
    return certificate_response(attendance, request.user)


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("Certificate code"),
        max_length=20,
        help_text=_(
            "Ten letters and digits, as printed on the certificate, for example ABCDE-23456."
        ),
    )


def certificate_verify_page(request: HttpRequest) -> HttpResponse:
    """Anyone checks a certificate's code: valid or not, and for whom (initials and the
    session's date only)."""
    form = VerifyForm(request.POST or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = certificate_verify(form.cleaned_data["code"])
    return render(
        request, "portal/mobility/certificate_verify.html", {"form": form, "result": result}
    )
