"""The eligibility self-check on the portal: a job seeker picks a published vacancy and sees,
rule by rule, what they meet and exactly what they lack (gza/registry/eligibility.py).

The vacancy's number is in the URL: vacancies are public, the person is the signed-in one."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from gza.core.audit import access_record
from gza.core.enums import AccessAction
from gza.demand.vacancies import published_vacancies
from gza.recruitment.models import Application
from gza.registry.eligibility import check, summary
from gza.registry.models import JobSeeker
from gza.web.portal.privacy import own_record_view
from gza.web.workspace.paging import paginate

VACANCIES_PAGE_SIZE = 20


@own_record_view
def eligibility(request: HttpRequest, person: JobSeeker) -> HttpResponse:
    return render(
        request,
        "portal/eligibility/list.html",
        {"page": paginate(request, published_vacancies(), per_page=VACANCIES_PAGE_SIZE)},
    )


@own_record_view
def eligibility_check(request: HttpRequest, person: JobSeeker, pk: int) -> HttpResponse:
    vacancy = get_object_or_404(published_vacancies(), pk=pk)
    results = check(person, vacancy)
    # The check reads the person's record: their own read, like their page.
    access_record(
        actor=request.user, subject=person, action=AccessAction.VIEW, purpose="self: eligibility"
    )
    return render(
        request,
        "portal/eligibility/check.html",
        {
            "vacancy": vacancy,
            "results": results,
            "overall": summary(results),
            "application": Application.objects.filter(job_seeker=person, vacancy=vacancy).first(),
        },
    )
