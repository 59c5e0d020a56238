from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from gza.core.audit import access_record
from gza.core.enums import AccessAction, Role
from gza.core.roles import ROLE_DUTIES
from gza.matching.runs import recommendations_for
from gza.registry.models import JobSeeker, SoughtOccupation
from gza.registry.profile import profile_progress
from gza.taxonomy.models import Country, Occupation


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html")


def about(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/about.html",
        {
            "occupation_count": Occupation.objects.count(),
            "country_count": Country.objects.states().count(),
        },
    )


@login_required
def me(request: HttpRequest) -> HttpResponse:
    """A job seeker's own page. Staff have the workspace instead."""
    if request.user.role != Role.JOB_SEEKER:
        return redirect("workspace:home")
    person = (
        JobSeeker.objects.visible_to(request.user)
        .select_related("municipality")
        .prefetch_related(
            Prefetch(
                "sought_occupations",
                queryset=SoughtOccupation.objects.select_related("occupation"),
            )
        )
        .first()
    )
    if person is not None:
        access_record(actor=request.user, subject=person, action=AccessAction.VIEW, purpose="self")
    empty = person is not None and _profile_is_empty(person)
    return render(
        request,
        "portal/me.html",
        {
            "person": person,
            "duties": ROLE_DUTIES[Role.JOB_SEEKER],
            "progress": profile_progress(person) if person else None,
            "profile_empty": empty,
            # Computed on the fly (gza/matching): a page view stores no match run.
            "recommendations": recommendations_for(person) if person and not empty else [],
        },
    )


def _profile_is_empty(person: JobSeeker) -> bool:
    """Nothing to match on yet: no occupation sought, language, education, job or skill."""
    if person.sought_occupations.all():
        return False
    return not (
        JobSeeker.objects.filter(pk=person.pk)
        .filter(
            Q(language_skills__isnull=False)
            | Q(education__isnull=False)
            | Q(work_experience__isnull=False)
            | Q(skills__isnull=False)
        )
        .exists()
    )
