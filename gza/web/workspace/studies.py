"""Labour-market studies in the workspace: the list, a study with its in-demand occupations and
the Georgian supply gap, and the forms that record them.

Studies are read through `studies_visible_to(user)` (outside scope is a 404) and changed only by
those `studies_editable_by(user)` names (a visible study the user may not change is a 403)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gza.core.enums import Role
from gza.core.errors import DomainError
from gza.core.models import Organisation, User
from gza.core.roles import Right
from gza.demand.enums import WagePeriod
from gza.demand.models import InDemandOccupation, LabourMarketStudy
from gza.demand.studies import (
    STUDY_FIELDS,
    SupplyGapRow,
    in_demand_remove,
    in_demand_save,
    studies_editable_by,
    studies_visible_to,
    study_creation_allowed,
    study_save,
    study_supply_gap,
)
from gza.matching.coding import occupation_suggestions
from gza.taxonomy.models import CefrLevel, Country, Language, Occupation
from gza.web.workspace.access import workspace_view
from gza.web.workspace.demand import DATE_INPUT, _add_errors
from gza.web.workspace.paging import paginate

# Study forms


class StudyForm(forms.ModelForm):
    class Meta:
        model = LabourMarketStudy
        fields = STUDY_FIELDS
        widgets = {
            "period_start": DATE_INPUT,
            "period_end": DATE_INPUT,
            "method": forms.Textarea(attrs={"rows": 3}),
            "sources": forms.Textarea(attrs={"rows": 3}),
            "findings_ka": forms.Textarea(attrs={"rows": 6}),
            "findings_en": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if user.role == Role.CASEWORKER:
            # A caseworker's study is their organisation's: the service sets the author.
            del self.fields["author_organisation"]
        else:
            self.fields["author_organisation"].queryset = Organisation.objects.active()
        if user.role == Role.EMBASSY_OFFICER and user.organisation_id:
            # An embassy records studies of its own country only.
            home = user.organisation.country_id
            self.fields["country"].queryset = Country.objects.filter(code=home)
            if not self.instance.country_id:
                self.initial["country"] = home


# In-demand occupation forms


class InDemandForm(forms.Form):
    # A code typed (or picked from the list of unit groups) rather than a select of 400 titles.
    occupation = forms.CharField(
        label=gettext_lazy("Occupation (ISCO-08 code)"),
        max_length=200,
        widget=forms.TextInput(attrs={"list": "isco-units", "size": 30}),
        help_text=gettext_lazy(
            "The 4-digit code; or type the occupation in words to be shown the codes that fit."
        ),
    )
    estimated_demand = forms.IntegerField(label=gettext_lazy("Estimated demand (workers)"))
    wage_min = forms.DecimalField(
        label=gettext_lazy("Wage from"), max_digits=10, decimal_places=2, required=False
    )
    wage_max = forms.DecimalField(
        label=gettext_lazy("Wage to"), max_digits=10, decimal_places=2, required=False
    )
    wage_currency = forms.CharField(
        label=gettext_lazy("Currency"),
        max_length=3,
        required=False,
        help_text=gettext_lazy("A three-letter ISO 4217 code, for example PLN or EUR."),
    )
    wage_period = forms.ChoiceField(
        label=gettext_lazy("Wage period"),
        choices=[("", "—"), *WagePeriod.choices],
        required=False,
    )
    qualifications = forms.CharField(
        label=gettext_lazy("Qualifications"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    licences = forms.CharField(
        label=gettext_lazy("Licences"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    external_ref = forms.CharField(
        label=gettext_lazy("External reference"),
        max_length=100,
        required=False,
        help_text=gettext_lazy("The row's key in the study's own list, if it has one."),
    )

    def clean_occupation(self) -> str:
        """A code as typed; words get the autocoder's suggestions for the officer to choose
        from (nothing is taken unconfirmed)."""
        text = self.cleaned_data["occupation"].strip()
        code = text.split()[0] if text else ""
        if code.isdigit():
            return code
        found = occupation_suggestions(text, limit=5)
        if not found:
            raise ValidationError(
                _("No ISCO-08 code matches “%(text)s”: type the 4-digit code."),
                code="occupation_text",
                params={"text": text},
            )
        raise ValidationError(
            _("Choose the code for “%(text)s” and type it: %(codes)s."),
            code="occupation_text",
            params={"text": text, "codes": "; ".join(f"{o.code} {o.title}" for o in found)},
        )


class LanguageRequirementForm(forms.Form):
    language = forms.ModelChoiceField(
        label=gettext_lazy("Language"), queryset=Language.objects.all(), required=False
    )
    min_level = forms.ModelChoiceField(
        label=gettext_lazy("Minimum CEFR level"), queryset=CefrLevel.objects.all(), required=False
    )

    def clean(self) -> dict:
        data = super().clean()
        if bool(data.get("language")) != bool(data.get("min_level")):
            raise ValidationError(
                gettext_lazy("Name both the language and its minimum level, or neither."),
                code="incomplete",
            )
        return data


LanguageFormSet = forms.formset_factory(LanguageRequirementForm, extra=2, max_num=10)


def _study(request: HttpRequest, pk: int) -> LabourMarketStudy:
    return get_object_or_404(
        studies_visible_to(request.user).select_related("country", "author_organisation"), pk=pk
    )


def _can_edit(user: User, study: LabourMarketStudy) -> bool:
    return studies_editable_by(user).filter(pk=study.pk).exists()


@workspace_view(Right.STUDIES_VIEW)
def study_list(request: HttpRequest) -> HttpResponse:
    visible = studies_visible_to(request.user)
    studies = (
        visible.select_related("country", "author_organisation")
        .annotate(
            occupations=Count("in_demand_occupations"),
            demand=Sum("in_demand_occupations__estimated_demand"),
        )
        .order_by("-period_end", "id")  # Meta.ordering does not survive the aggregate
    )
    country = request.GET.get("country", "")
    if country:
        studies = studies.filter(country_id=country)
    return render(
        request,
        "workspace/studies/list.html",
        {
            "page": paginate(request, studies),
            "countries": Country.objects.filter(labour_market_studies__in=visible).distinct(),
            "country": country,
            "can_create": study_creation_allowed(request.user),
        },
    )


def _region_table(rows: list[SupplyGapRow]) -> tuple[list, list]:
    """The supply by region as a grid: the regions any occupation draws from, and for each
    occupation one cell per region (None where no one is registered)."""
    regions = sorted(
        {cell.region.code: cell.region for row in rows for cell in row.by_region}.values(),
        key=lambda region: region.code,
    )
    return regions, [(row, [row.in_region(region.code) for region in regions]) for row in rows]


@workspace_view(Right.STUDIES_VIEW)
def study_detail(request: HttpRequest, pk: int) -> HttpResponse:
    study = _study(request, pk)
    rows = study_supply_gap(study)
    regions, grid = _region_table(rows)
    return render(
        request,
        "workspace/studies/detail.html",
        {
            "study": study,
            "rows": rows,
            "regions": regions,
            "grid": grid,
            # No total of seekers: a person seeking two listed occupations would count twice.
            "totals": {
                "demand": sum(row.demand for row in rows),
                "gap": sum(row.gap for row in rows),
                "surplus": sum(row.surplus for row in rows),
            },
            "can_edit": _can_edit(request.user, study),
        },
    )


def _study_form(request: HttpRequest, study: LabourMarketStudy) -> HttpResponse:
    form = StudyForm(request.POST or None, instance=study, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            saved = study_save(actor=request.user, study=form.instance)
        except DomainError as error:
            raise PermissionDenied from error
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The study is saved."))
            return redirect("workspace:study_detail", pk=saved.pk)
    return render(request, "workspace/studies/form.html", {"form": form, "study": study})


@workspace_view(Right.STUDIES_VIEW)
def study_create(request: HttpRequest) -> HttpResponse:
    if not study_creation_allowed(request.user):
        raise PermissionDenied
    return _study_form(request, LabourMarketStudy())


@workspace_view(Right.STUDIES_VIEW)
def study_edit(request: HttpRequest, pk: int) -> HttpResponse:
    study = _study(request, pk)
    if not _can_edit(request.user, study):
        raise PermissionDenied
    return _study_form(request, study)


def _in_demand_form(
    request: HttpRequest, study: LabourMarketStudy, row: InDemandOccupation | None
) -> HttpResponse:
    initial = {}
    initial_languages = []
    if row is not None:
        initial = {name: getattr(row, name) for name in InDemandForm.base_fields}
        initial["occupation"] = row.occupation_id
        initial_languages = [
            {"language": r.language_id, "min_level": r.min_level_id} for r in row.languages.all()
        ]
    form = InDemandForm(request.POST or None, initial=initial)
    formset = LanguageFormSet(request.POST or None, initial=initial_languages, prefix="languages")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        languages = [
            (line.cleaned_data["language"].pk, line.cleaned_data["min_level"].pk)
            for line in formset.forms
            if line.cleaned_data.get("language")
        ]
        try:
            in_demand_save(
                actor=request.user,
                study=study,
                in_demand=row,
                languages=languages,
                **form.cleaned_data,
            )
        except DomainError as error:
            raise PermissionDenied from error
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The in-demand occupation is saved."))
            return redirect("workspace:study_detail", pk=study.pk)
    return render(
        request,
        "workspace/studies/in_demand_form.html",
        {
            "study": study,
            "row": row,
            "form": form,
            "formset": formset,
            "units": Occupation.objects.units().only("code", "title_ka", "title_en"),
        },
    )


@workspace_view(Right.STUDIES_VIEW)
def in_demand_create(request: HttpRequest, pk: int) -> HttpResponse:
    study = _study(request, pk)
    if not _can_edit(request.user, study):
        raise PermissionDenied
    return _in_demand_form(request, study, None)


def _in_demand(request: HttpRequest, pk: int) -> InDemandOccupation:
    return get_object_or_404(
        InDemandOccupation.objects.filter(
            study__in=studies_visible_to(request.user)
        ).select_related("study", "occupation"),
        pk=pk,
    )


@workspace_view(Right.STUDIES_VIEW)
def in_demand_edit(request: HttpRequest, pk: int) -> HttpResponse:
    row = _in_demand(request, pk)
    if not _can_edit(request.user, row.study):
        raise PermissionDenied
    return _in_demand_form(request, row.study, row)


@workspace_view(Right.STUDIES_VIEW)
@require_POST
def in_demand_remove_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Take an occupation off the study's list (POST only)."""
    row = _in_demand(request, pk)
    if not _can_edit(request.user, row.study):
        raise PermissionDenied
    in_demand_remove(actor=request.user, in_demand=row)
    messages.success(request, _("The occupation is taken off the list."))
    return redirect("workspace:study_detail", pk=row.study_id)
