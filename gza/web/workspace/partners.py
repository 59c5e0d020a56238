"""Partner countries: the pipeline overview, one page per country, stage moves, engagements."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gza.core.audit import audit_record
from gza.core.enums import AuditVerb, Role
from gza.core.errors import DomainError
from gza.core.models import Organisation
from gza.core.pdf import html_to_pdf
from gza.core.roles import Right
from gza.core.workflow import Transition
from gza.partners.assessment import assess, georgian_earnings
from gza.partners.enums import (
    ActionStatus,
    AgreementDocumentKind,
    CooperationStage,
    DocumentLanguage,
)
from gza.partners.models import (
    Action,
    ActionPlan,
    Agreement,
    AgreementDocument,
    AgreementEvent,
    AgreementQuota,
    AssessmentWeights,
    CountryIndicator,
    Decision,
    Engagement,
    PartnerCountry,
)
from gza.partners.services import (
    action_add,
    action_update,
    agreement_document_add,
    agreement_document_remove,
    agreement_move,
    agreement_save,
    assessment_weights_set,
    decision_record,
    engagement_record,
    indicator_record,
    partner_stage_move,
    quota_record,
)
from gza.partners.services import partner_add as partner_add_service
from gza.taxonomy.models import Country, Occupation
from gza.web.files import file_response
from gza.web.workspace.access import workspace_view


class MoveForm(forms.Form):
    """A lifecycle move: which transition, when, and why."""

    transition = forms.ChoiceField(label=gettext_lazy("Move"))
    occurred_on = forms.DateField(
        label=gettext_lazy("Date"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, transitions: list[Transition], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["transition"].choices = [(t.name, t.label) for t in transitions]


class StageMoveForm(MoveForm):
    source_document = forms.CharField(
        label=gettext_lazy("Source document"), max_length=300, required=False
    )


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


def _service_accepts(form: forms.Form, service, **arguments) -> bool:
    """Run a lifecycle service; a refusal ("not allowed from here", a bad date) lands on the
    form, in the page's language. True when the service accepted the move."""
    try:
        service(**arguments)
    except DomainError as error:
        form.add_error(None, str(error.message))
    except ValidationError as error:
        _add_errors(form, error)
    else:
        return True
    return False


def _partner(request: HttpRequest, code: str) -> PartnerCountry:
    return get_object_or_404(
        PartnerCountry.objects.visible_to(request.user).select_related("country"), country_id=code
    )


def _can_edit(request: HttpRequest, partner: PartnerCountry) -> bool:
    return PartnerCountry.objects.editable_by(request.user).filter(pk=partner.pk).exists()


def _can_record_engagement(request: HttpRequest, partner: PartnerCountry) -> bool:
    recordable = PartnerCountry.objects.engagements_recordable_by(request.user)
    return recordable.filter(pk=partner.pk).exists()


@workspace_view(Right.PARTNERS_VIEW)
def partner_list(request: HttpRequest) -> HttpResponse:
    partners = PartnerCountry.objects.visible_to(request.user).select_related("country")
    by_stage = {stage: [] for stage in CooperationStage.values}
    for partner in partners:
        by_stage[partner.stage].append(partner)
    stages = [(stage, CooperationStage(stage).label, by_stage[stage]) for stage in by_stage]
    return render(
        request,
        "workspace/partners/list.html",
        {"stages": stages, "can_add": request.user.role == Role.MINISTRY_OFFICER},
    )


def _render_detail(
    request: HttpRequest, partner: PartnerCountry, move_form: StageMoveForm | None = None
) -> HttpResponse:
    changes = list(partner.stage_changes.select_related("actor"))
    engagements = list(
        partner.engagements.prefetch_related(
            Prefetch("organisations", queryset=Organisation.objects.order_by("name_en"))
        )
    )
    agreement_events = list(
        AgreementEvent.objects.filter(agreement__partner=partner).select_related("agreement")
    )
    decisions = list(partner.decisions.select_related("author"))
    timeline = sorted(
        [("stage", change.occurred_on, change) for change in changes]
        + [("engagement", engagement.occurred_on, engagement) for engagement in engagements]
        + [("agreement", event.occurred_on, event) for event in agreement_events]
        + [("decision", decision.decided_on, decision) for decision in decisions],
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
            "agreements": partner.agreements.order_by("-signed_on", "title_en"),
            "assessment": assess(partner),
            "decisions": decisions,
            "open_actions": Action.objects.visible_to(request.user)
            .filter(partner=partner, status__in=[ActionStatus.OPEN, ActionStatus.IN_PROGRESS])
            .select_related("owner"),
            "can_decide": request.user.role == Role.MINISTRY_OFFICER,
            "can_edit": can_edit,
            "can_record_engagement": can_edit or _can_record_engagement(request, partner),
            "move_form": (move_form or StageMoveForm(transitions=partner.allowed_transitions()))
            if can_edit
            else None,
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
    form = StageMoveForm(request.POST, transitions=partner.allowed_transitions())
    if form.is_valid() and _service_accepts(
        form, partner_stage_move, actor=request.user, partner=partner, **form.cleaned_data
    ):
        messages.success(request, _("The cooperation stage is updated."))
        return redirect(partner)
    partner.refresh_from_db()
    return _render_detail(request, partner, move_form=form)


@workspace_view(Right.PARTNERS_VIEW)
def engagement_create(request: HttpRequest, code: str) -> HttpResponse:
    partner = _partner(request, code)
    if not _can_record_engagement(request, partner):
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


class AgreementForm(forms.ModelForm):
    occupations = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Occupations covered (ISCO-08 unit groups)"),
        queryset=Occupation.objects.units(),
        required=False,
    )
    implementing_bodies = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Implementing bodies"),
        queryset=Organisation.objects.active(),
        required=False,
    )

    class Meta:
        model = Agreement
        fields = [
            "kind",
            "title_ka",
            "title_en",
            "subject_ka",
            "subject_en",
            "negotiation_opened_on",
            "ratified_georgia_on",
            "ratified_partner_on",
            "expires_on",
        ]
        widgets = {
            name: forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
            for name in [
                "negotiation_opened_on",
                "ratified_georgia_on",
                "ratified_partner_on",
                "expires_on",
            ]
        }


class QuotaForm(forms.ModelForm):
    class Meta:
        model = AgreementQuota
        fields = ["year", "occupation", "places"]


def _agreement(request: HttpRequest, pk: int) -> Agreement:
    visible = PartnerCountry.objects.visible_to(request.user)
    return get_object_or_404(
        Agreement.objects.filter(partner__in=visible).select_related("partner__country"), pk=pk
    )


def _render_agreement(
    request: HttpRequest,
    agreement: Agreement,
    move_form: forms.Form | None = None,
    quota_form: forms.Form | None = None,
    document_form: forms.Form | None = None,
) -> HttpResponse:
    can_edit = _can_edit(request, agreement.partner)
    return render(
        request,
        "workspace/partners/agreement_detail.html",
        {
            "agreement": agreement,
            "events": agreement.events.select_related("actor"),
            "quotas": agreement.quotas.select_related("occupation"),
            "occupations": agreement.occupations.order_by("code"),
            "bodies": agreement.implementing_bodies.order_by("name_en"),
            "can_edit": can_edit,
            "move_form": (move_form or MoveForm(transitions=agreement.allowed_transitions()))
            if can_edit
            else None,
            "quota_form": (quota_form or QuotaForm()) if can_edit else None,
            "documents": agreement.documents.select_related("uploaded_by"),
            "document_form": (document_form or AgreementDocumentForm()) if can_edit else None,
        },
    )


@workspace_view(Right.PARTNERS_VIEW)
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_agreement(request, _agreement(request, pk))


def _agreement_form(request: HttpRequest, agreement: Agreement) -> HttpResponse:
    if not _can_edit(request, agreement.partner):
        raise PermissionDenied
    initial = (
        {
            "occupations": agreement.occupations.all(),
            "implementing_bodies": agreement.implementing_bodies.all(),
        }
        if agreement.pk
        else {}
    )
    form = AgreementForm(request.POST or None, instance=agreement, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = agreement_save(
                actor=request.user,
                agreement=form.instance,
                occupations=list(form.cleaned_data["occupations"]),
                implementing_bodies=list(form.cleaned_data["implementing_bodies"]),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The agreement is saved."))
            return redirect(saved)
    return render(
        request, "workspace/partners/agreement_form.html", {"form": form, "agreement": agreement}
    )


@workspace_view(Right.PARTNERS_VIEW)
def agreement_create(request: HttpRequest, code: str) -> HttpResponse:
    return _agreement_form(request, Agreement(partner=_partner(request, code)))


@workspace_view(Right.PARTNERS_VIEW)
def agreement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _agreement_form(request, _agreement(request, pk))


@workspace_view(Right.PARTNERS_VIEW)
def agreement_move_view(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _agreement(request, pk)
    if request.method != "POST":
        return redirect(agreement)
    form = MoveForm(request.POST, transitions=agreement.allowed_transitions())
    if form.is_valid() and _service_accepts(
        form, agreement_move, actor=request.user, agreement=agreement, **form.cleaned_data
    ):
        messages.success(request, _("The agreement's status is updated."))
        return redirect(agreement)
    agreement.refresh_from_db()
    return _render_agreement(request, agreement, move_form=form)


@workspace_view(Right.PARTNERS_VIEW)
def agreement_quota_add(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _agreement(request, pk)
    if not _can_edit(request, agreement.partner):
        raise PermissionDenied
    if request.method != "POST":
        return redirect(agreement)
    form = QuotaForm(request.POST, instance=AgreementQuota(agreement=agreement))
    if form.is_valid() and _service_accepts(
        form, quota_record, actor=request.user, quota=form.instance
    ):
        messages.success(request, _("The quota is saved."))
        return redirect(agreement)
    return _render_agreement(request, agreement, quota_form=form)


class PartnerAddForm(forms.ModelForm):
    class Meta:
        model = PartnerCountry
        fields = ["country", "summary_ka", "summary_en"]


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = CountryIndicator
        fields = ["kind", "value", "text_value", "unit", "currency", "period", "source"]


@workspace_view(Right.PARTNERS_VIEW)
def partner_add(request: HttpRequest) -> HttpResponse:
    if request.user.role != Role.MINISTRY_OFFICER:
        raise PermissionDenied
    form = PartnerAddForm(request.POST or None)
    form.fields["country"].queryset = Country.objects.filter(partnership__isnull=True)
    if request.method == "POST" and form.is_valid():
        partner = partner_add_service(actor=request.user, **form.cleaned_data)
        messages.success(request, _("The country is added to the pipeline."))
        return redirect(partner)
    return render(request, "workspace/partners/partner_form.html", {"form": form})


@workspace_view(Right.PARTNERS_VIEW)
def indicator_add(request: HttpRequest, code: str) -> HttpResponse:
    partner = _partner(request, code)
    if not _can_edit(request, partner):
        raise PermissionDenied
    form = IndicatorForm(request.POST or None, instance=CountryIndicator(country=partner.country))
    if request.method == "POST" and form.is_valid():
        indicator_record(actor=request.user, indicator=form.instance)
        messages.success(request, _("The indicator is recorded."))
        return redirect(partner)
    return render(
        request, "workspace/partners/indicator_form.html", {"form": form, "partner": partner}
    )


class DecisionForm(forms.ModelForm):
    class Meta:
        model = Decision
        fields = [
            "verdict",
            "decided_on",
            "reasoning_ka",
            "reasoning_en",
            "conditions_ka",
            "conditions_en",
        ]
        widgets = {"decided_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class WeightsForm(forms.ModelForm):
    class Meta:
        model = AssessmentWeights
        fields = ["pay", "demand", "legal_pathway", "cooperation"]


@workspace_view(Right.PARTNERS_VIEW)
def decision_create(request: HttpRequest, code: str) -> HttpResponse:
    partner = _partner(request, code)
    if request.user.role != Role.MINISTRY_OFFICER:
        raise PermissionDenied
    form = DecisionForm(
        request.POST or None,
        instance=Decision(partner=partner),
        initial={"decided_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        decision_record(actor=request.user, decision=form.instance)
        messages.success(request, _("The decision is recorded."))
        return redirect(partner)
    return render(
        request,
        "workspace/partners/decision_form.html",
        {"form": form, "partner": partner, "assessment": assess(partner)},
    )


@workspace_view(Right.PARTNERS_VIEW)
def assessment_weights(request: HttpRequest) -> HttpResponse:
    """The weights in force, and every visible partner ranked by them. The ministry may try
    other weights (a preview) and then put them in force."""
    can_set = request.user.role == Role.MINISTRY_OFFICER
    current = AssessmentWeights.current()
    form = WeightsForm(
        request.POST or None,
        instance=AssessmentWeights(
            pay=current.pay,
            demand=current.demand,
            legal_pathway=current.legal_pathway,
            cooperation=current.cooperation,
        ),
    )
    weights = current
    if request.method == "POST":
        if not can_set:
            raise PermissionDenied
        if form.is_valid():
            if "save" in request.POST:
                assessment_weights_set(actor=request.user, weights=form.instance)
                messages.success(request, _("The new weights are in force."))
                return redirect("workspace:assessment_weights")
            weights = form.instance  # preview only
    partners = PartnerCountry.objects.visible_to(request.user).select_related("country")
    home = georgian_earnings()
    assessments = [(partner, assess(partner, current, home=home)) for partner in partners]
    ranking = sorted(
        (
            (partner, assessment.reweighted(weights).score, assessment.score)
            for partner, assessment in assessments
        ),
        key=lambda row: (row[1] is None, -(row[1] or 0)),
    )
    return render(
        request,
        "workspace/partners/weights.html",
        {
            "form": form if can_set else None,
            "ranking": ranking,
            "previewing": weights is not current,
            "current": current,
        },
    )


class ActionUpdateForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=ActionStatus.choices)
    note = forms.CharField(
        label=gettext_lazy("Progress note"), widget=forms.Textarea(attrs={"rows": 3})
    )


class ActionForm(forms.ModelForm):
    class Meta:
        model = Action
        fields = ["partner", "title_ka", "title_en", "owner", "responsible", "due_on"]
        widgets = {"due_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


@workspace_view(Right.PARTNERS_VIEW)
def action_plan_list(request: HttpRequest) -> HttpResponse:
    actions = Action.objects.visible_to(request.user)
    plans = (
        ActionPlan.objects.filter(actions__in=actions)
        .distinct()
        .prefetch_related(
            Prefetch(
                "actions",
                queryset=actions.select_related("partner__country", "owner"),
                to_attr="visible_actions",
            )
        )
    )
    return render(
        request,
        "workspace/partners/action_plans.html",
        {"plans": plans, "overdue_count": actions.overdue().count()},
    )


@workspace_view(Right.PARTNERS_VIEW)
def action_plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(ActionPlan, pk=pk)
    actions = Action.objects.visible_to(request.user).filter(plan=plan)
    if not actions.exists() and request.user.role != Role.MINISTRY_OFFICER:
        raise Http404
    form = ActionForm(request.POST or None, instance=Action(plan=plan))
    if request.method == "POST":
        if request.user.role != Role.MINISTRY_OFFICER:
            raise PermissionDenied
        if form.is_valid():
            action_add(actor=request.user, action=form.instance)
            messages.success(request, _("The action is added."))
            return redirect(plan)
    return render(
        request,
        "workspace/partners/action_plan_detail.html",
        {
            "plan": plan,
            "actions": actions.select_related("partner__country", "owner").prefetch_related(
                "notes"
            ),
            "form": form if request.user.role == Role.MINISTRY_OFFICER else None,
        },
    )


@workspace_view(Right.PARTNERS_VIEW)
def action_update_view(request: HttpRequest, pk: int) -> HttpResponse:
    action = get_object_or_404(
        Action.objects.visible_to(request.user).select_related("plan", "partner__country"), pk=pk
    )
    form = ActionUpdateForm(request.POST or None, initial={"status": action.status})
    if request.method == "POST" and form.is_valid():
        try:
            action_update(actor=request.user, action=action, **form.cleaned_data)
        except DomainError as error:
            raise PermissionDenied from error
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The progress is recorded."))
            return redirect(action.plan)
    return render(request, "workspace/partners/action_form.html", {"form": form, "action": action})


def _briefing_sections(partners: list[PartnerCountry]) -> dict[str, list[PartnerCountry]]:
    """The memo's structure: experience so far, ongoing work, not pursued for now."""
    operating = {CooperationStage.SCHEME_OPERATING, CooperationStage.AGREEMENT_SIGNED}
    stopped = {CooperationStage.NOT_PURSUED, CooperationStage.ON_HOLD}
    return {
        "experience": [p for p in partners if p.stage in operating],
        "ongoing": [p for p in partners if p.stage not in operating | stopped],
        "stopped": [p for p in partners if p.stage in stopped],
    }


def _briefing_context(request: HttpRequest, code: str | None) -> dict:
    """What a briefing note shows: the partners in the user's remit, or one of them."""
    partners = PartnerCountry.objects.visible_to(request.user).select_related("country")
    if code is not None:
        partners = partners.filter(country_id=code)
        if not partners.exists():
            raise Http404
    partners = list(
        partners.prefetch_related(
            Prefetch("agreements", queryset=Agreement.objects.order_by("signed_on")),
            Prefetch("engagements", queryset=Engagement.objects.order_by("-occurred_on")),
            Prefetch("decisions", queryset=Decision.objects.order_by("-decided_on")),
            Prefetch(
                "actions",
                queryset=Action.objects.filter(
                    status__in=[ActionStatus.OPEN, ActionStatus.IN_PROGRESS]
                ).order_by("due_on"),
            ),
        )
    )
    single = partners[0] if code is not None else None
    return {
        "sections": _briefing_sections(partners),
        "single": single,
        "title": (
            _("Briefing note: %(country)s") % {"country": single.country.name}
            if single
            else _("Briefing note: partner countries")
        ),
        "today": timezone.localdate(),
    }


@workspace_view(Right.PARTNERS_VIEW)
def briefing(request: HttpRequest, code: str | None = None) -> HttpResponse:
    """A printable briefing note, on one country or on all partners, in the page's language."""
    return render(request, "workspace/partners/briefing.html", _briefing_context(request, code))


@workspace_view(Right.PARTNERS_VIEW)
def briefing_pdf(request: HttpRequest, code: str | None = None) -> HttpResponse:
    """The same briefing note as a PDF with an embedded Georgian font."""
    context = _briefing_context(request, code)
    html = render_to_string("workspace/partners/briefing_pdf.html", context, request=request)
    document = html_to_pdf(
        html,
        title=context["title"],
        footer=_("Gza — briefing note"),
        language=get_language(),
    )
    audit_record(
        actor=request.user,
        verb=AuditVerb.EXPORTED,
        target=context["single"],
        payload={"document": "briefing", "language": get_language()},
    )
    filename = f"gza-briefing-{code or 'all'}-{context['today']:%Y-%m-%d}-{get_language()}.pdf"
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class AgreementDocumentForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=300)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=AgreementDocumentKind.choices)
    language = forms.ChoiceField(label=gettext_lazy("Language"), choices=DocumentLanguage.choices)
    upload = forms.FileField(
        label=gettext_lazy("File"),
        widget=forms.FileInput(attrs={"accept": ".pdf,.docx,.xlsx,.odt"}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["upload"].help_text = _("PDF, DOCX, XLSX or ODT, at most %(limit)s MB.") % {
            "limit": settings.UPLOAD_MAX_MB
        }


@workspace_view(Right.PARTNERS_VIEW)
def agreement_document_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _agreement(request, pk)
    if not _can_edit(request, agreement.partner):
        raise PermissionDenied
    if request.method != "POST":
        return redirect(agreement)
    form = AgreementDocumentForm(request.POST, request.FILES)
    if form.is_valid() and _service_accepts(
        form,
        agreement_document_add,
        actor=request.user,
        agreement=agreement,
        **form.cleaned_data,
    ):
        messages.success(request, _("The document is attached."))
        return redirect(agreement)
    return _render_agreement(request, agreement, document_form=form)


@workspace_view(Right.PARTNERS_VIEW)
def agreement_document(request: HttpRequest, pk: int) -> HttpResponse:
    """Download a document of an agreement the user may see; every download is audited."""
    visible = PartnerCountry.objects.visible_to(request.user)
    document = get_object_or_404(
        AgreementDocument.objects.filter(agreement__partner__in=visible), pk=pk
    )
    response = file_response(document)
    audit_record(
        actor=request.user,
        verb=AuditVerb.EXPORTED,
        target=document,
        payload={"agreement": document.agreement_id, "sha256": document.sha256},
    )
    return response


@workspace_view(Right.PARTNERS_VIEW)
@require_POST
def agreement_document_remove_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove a document (POST only); the file goes once the removal is committed."""
    visible = PartnerCountry.objects.visible_to(request.user)
    document = get_object_or_404(
        AgreementDocument.objects.filter(agreement__partner__in=visible).select_related(
            "agreement"
        ),
        pk=pk,
    )
    if not _can_edit(request, document.agreement.partner):
        raise PermissionDenied
    agreement_document_remove(actor=request.user, document=document)
    messages.success(request, _("The document is removed."))
    return redirect(document.agreement)
