"""Job seekers' records in the workspace: scoped to the user's work, every view logged.

Searching by name or personal number is a POST, so those never appear in a URL or a log."""

from django import forms
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _

from gza.core.audit import access_record
from gza.core.enums import AccessAction
from gza.core.roles import Right
from gza.registry.models import JobSeeker
from gza.taxonomy.models import GeorgianRegion
from gza.web.workspace.access import workspace_view
from gza.web.workspace.paging import paginate

SEARCH_KEY = "job_seeker_search"


class JobSeekerSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name or personal number"), max_length=100, required=False, strip=True
    )
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=GeorgianRegion.objects.all(), required=False
    )


@workspace_view(Right.JOB_SEEKERS_VIEW)
def job_seeker_list(request: HttpRequest) -> HttpResponse:
    # The search is POSTed and kept in the session, so paging (a GET) keeps it without putting
    # a name or personal number in the URL.
    form = JobSeekerSearchForm(request.POST or None, initial=request.session.get(SEARCH_KEY, {}))
    if form.is_bound:
        if form.is_valid():
            region = form.cleaned_data["region"]
            request.session[SEARCH_KEY] = {
                "q": form.cleaned_data["q"],
                "region": region.code if region else "",
            }
        else:
            request.session.pop(SEARCH_KEY, None)
    search = request.session.get(SEARCH_KEY, {})
    people = (
        JobSeeker.objects.visible_to(request.user)
        .select_related("municipality__region")
        .only(
            "public_id",
            "first_name",
            "last_name",
            "first_name_latin",
            "last_name_latin",
            "municipality__name_ka",
            "municipality__name_en",
            "municipality__region__name_ka",
            "municipality__region__name_en",
            "created_at",
        )
    )
    if query := search.get("q"):
        for word in query.split():
            people = people.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(first_name_latin__icontains=word)
                | Q(last_name_latin__icontains=word)
                | Q(personal_number=word)
            )
    if region := search.get("region"):
        people = people.in_region(region)
    return render(
        request,
        "workspace/job_seekers/list.html",
        {"page": paginate(request, people), "form": form},
    )


@workspace_view(Right.JOB_SEEKERS_VIEW)
def job_seeker_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    person = get_object_or_404(
        JobSeeker.objects.visible_to(request.user).select_related(
            "municipality__region", "registered_by_organisation"
        ),
        public_id=public_id,
    )
    access_record(actor=request.user, subject=person, action=AccessAction.VIEW)
    return render(request, "workspace/job_seekers/detail.html", {"person": person})
