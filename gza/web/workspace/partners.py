"""Partner countries: the pipeline overview, one page per country, stage moves, engagements."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gza.core.errors import DomainError
from gza.core.models import Organisation
from gza.core.roles import Right
from gza.partners.enums import CooperationStage
from gza.partners.models import CountryIndicator, Engagement, PartnerCountry
from gza.partners.services import engagement_record, partner_stage_move
from gza.web.workspace.access import workspace_view


class StageMoveForm(forms.Form):
    transition = forms.ChoiceField(label=gettext_lazy("Move"))
    occurred_on = forms.DateField(
        label=gettext_lazy("Date"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    source_document = forms.CharField(
        label=gettext_lazy("Source document"), max_length=300, required=False
    )

    def __init__(self, *args, partner: PartnerCountry, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["transition"].choices = [
            (t.name, t.label) for t in partner.allowed_transitions()
        ]


class EngagementForm(forms.ModelForm):
    organisations = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Participating organisations"),
        queryset=Organisation.objects.active(),
        required=False,
    )

    class Meta:
        model = Engagement
        fields = [
            "kind",
            "occurred_on",
            "place",
            "summary_ka",
            "summary_en",
            "outcomes_ka",
            "outcomes_en",
        ]
        widgets = {"occurred_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


def _add_errors(form: forms.Form, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _partner(request: HttpRequest, code: str) -> PartnerCountry:
    return get_object_or_404(
        PartnerCountry.objects.visible_to(request.user).select_related("country"), country_id=code
    )


def _can_edit(request: HttpRequest, partner: PartnerCountry) -> bool:
    return PartnerCountry.objects.editable_by(request.user).filter(pk=partner.pk).exists()


@workspace_view(Right.PARTNERS_VIEW)
def partner_list(request: HttpRequest) -> HttpResponse:
    partners = PartnerCountry.objects.visible_to(request.user).select_related("country")
    by_stage = {stage: [] for stage in CooperationStage.values}
    for partner in partners:
        by_stage[partner.stage].append(partner)
    stages = [(stage, CooperationStage(stage).label, by_stage[stage]) for stage in by_stage]
    return render(request, "workspace/partners/list.html", {"stages": stages})


def _render_detail(
    request: HttpRequest, partner: PartnerCountry, move_form: StageMoveForm | None = None
) -> HttpResponse:
    changes = list(partner.stage_changes.select_related("actor"))
    engagements = list(
        partner.engagements.prefetch_related(
            Prefetch("organisations", queryset=Organisation.objects.order_by("name_en"))
        )
    )
    timeline = sorted(
        [("stage", change.occurred_on, change) for change in changes]
        + [("engagement", engagement.occurred_on, engagement) for engagement in engagements],
        key=lambda item: (item[1], item[0] == "stage"),
        reverse=True,
    )
    indicators = CountryIndicator.objects.filter(country=partner.country).order_by(
        "kind", "-period"
    )
    latest: dict[str, CountryIndicator] = {}
    for indicator in indicators:
        latest.setdefault(indicator.kind, indicator)
    can_edit = _can_edit(request, partner)
    return render(
        request,
        "workspace/partners/detail.html",
        {
            "partner": partner,
            "timeline": timeline,
            "indicators": list(latest.values()),
            "can_edit": can_edit,
            "move_form": (move_form or StageMoveForm(partner=partner)) if can_edit else None,
        },
    )


@workspace_view(Right.PARTNERS_VIEW)
def partner_detail(request: HttpRequest, code: str) -> HttpResponse:
    return _render_detail(request, _partner(request, code))


@workspace_view(Right.PARTNERS_VIEW)
def partner_move(request: HttpRequest, code: str) -> HttpResponse:
    partner = _partner(request, code)
    if request.method != "POST":
        return redirect(partner)
    form = StageMoveForm(request.POST, partner=partner)
    if form.is_valid():
        try:
            partner_stage_move(actor=request.user, partner=partner, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, str(error.message))
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The cooperation stage is updated."))
            return redirect(partner)
    partner.refresh_from_db()
    return _render_detail(request, partner, move_form=form)


@workspace_view(Right.PARTNERS_VIEW)
def engagement_create(request: HttpRequest, code: str) -> HttpResponse:
    partner = _partner(request, code)
    if not _can_edit(request, partner):
        raise PermissionDenied
    form = EngagementForm(request.POST or None, instance=Engagement(partner=partner))
    if request.method == "POST" and form.is_valid():
        engagement_record(
            actor=request.user,
            engagement=form.instance,
            organisations=list(form.cleaned_data["organisations"]),
        )
        messages.success(request, _("The engagement is recorded."))
        return redirect(partner)
    return render(
        request, "workspace/partners/engagement_form.html", {"form": form, "partner": partner}
    )
