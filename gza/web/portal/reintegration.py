"""A returnee's own reintegration case on the portal: who helps them, the assistance planned
and its status, and when the follow-ups are. The assessment and the caseworkers' notes are
not shown: they are working notes about vulnerability and health."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from gza.core.audit import access_record
from gza.core.enums import AccessAction
from gza.registry.models import JobSeeker
from gza.reintegration.models import ReintegrationCase
from gza.web.portal.privacy import own_record_view


@own_record_view
def my_reintegration(request: HttpRequest, person: JobSeeker) -> HttpResponse:
    cases = list(
        ReintegrationCase.objects.visible_to(request.user)
        .filter(job_seeker=person)
        .select_related("returned_from", "organisation")
        .prefetch_related("plan", "follow_ups")
        .order_by("-opened_on", "-id")
    )
    if cases:
        access_record(actor=request.user, subject=person, action=AccessAction.VIEW, purpose="self")
    return render(
        request,
        "portal/reintegration.html",
        {"person": person, "case": cases[0] if cases else None, "earlier": cases[1:]},
    )
