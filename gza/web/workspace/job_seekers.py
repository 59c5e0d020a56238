"""Job seekers' records in the workspace: scoped to the user's work, every view logged.

Searching by name or personal number is a POST, so those never appear in a URL or a log."""

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _

from gza.core.audit import access_record
from gza.core.enums import AccessAction
from gza.core.roles import Right
from gza.registry.models import JobSeeker
from gza.registry.search import job_seekers_search
from gza.taxonomy.models import CefrLevel, GeorgianRegion, Language, Occupation
from gza.web.workspace.access import workspace_view
from gza.web.workspace.paging import paginate
from gza.web.workspace.registry import render_job_seeker

SEARCH_KEY = "job_seeker_search"


class JobSeekerSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Registration number, personal number or name"),
        help_text=_("A name in Georgian, Latin or Russian letters; a typo is forgiven."),
        max_length=100,
        required=False,
        strip=True,
    )
    occupation = forms.CharField(
        label=_("Occupation sought (ISCO-08 code)"),
        help_text=_("A unit group such as 9211, or a broader group such as 92."),
        max_length=4,
        required=False,
        strip=True,
    )
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=GeorgianRegion.objects.all(), required=False
    )
    language = forms.ModelChoiceField(
        label=_("Language"), queryset=Language.objects.all(), required=False
    )
    level = forms.ModelChoiceField(
        label=_("At least level"), queryset=CefrLevel.objects.all(), required=False
    )

    def clean_occupation(self) -> str:
        code = self.cleaned_data["occupation"]
        if code and not Occupation.objects.filter(code=code).exists():
            raise forms.ValidationError(
                _("There is no ISCO-08 group with this code."), code="unknown_occupation"
            )
        return code

    def criteria(self) -> dict[str, str]:
        """What the session keeps: plain strings, never objects."""
        data = self.cleaned_data
        return {
            "q": data["q"],
            "occupation": data["occupation"],
            "region": data["region"].code if data["region"] else "",
            "language": data["language"].code if data["language"] else "",
            "level": data["level"].code if data["level"] else "",
        }


@workspace_view(Right.JOB_SEEKERS_VIEW)
def job_seeker_list(request: HttpRequest) -> HttpResponse:
    # The search is POSTed and kept in the session, so paging (a GET) keeps it without putting
    # a name or personal number in the URL.
    form = JobSeekerSearchForm(request.POST or None, initial=request.session.get(SEARCH_KEY, {}))
    if form.is_bound:
        if form.is_valid():
            request.session[SEARCH_KEY] = form.criteria()
        else:
            request.session.pop(SEARCH_KEY, None)
    criteria = request.session.get(SEARCH_KEY, {})
    result = None
    if not form.errors:
        try:
            result = job_seekers_search(
                user=request.user,
                q=criteria.get("q", ""),
                occupation=criteria.get("occupation") or None,
                region=criteria.get("region") or None,
                language=criteria.get("language") or None,
                level=criteria.get("level") or None,
            )
        except ValidationError as error:
            # A number that cannot be one (a wrong check digit): say so beside the box.
            request.session.pop(SEARCH_KEY, None)
            if not form.is_bound:
                form = JobSeekerSearchForm(criteria)
                form.is_valid()
            form.add_error("q", error)
    return render(
        request,
        "workspace/job_seekers/list.html",
        {
            "form": form,
            "page": paginate(request, result.hits) if result else None,
            "result": result,
        },
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
    return render_job_seeker(request, person)
