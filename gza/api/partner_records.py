"""The records kept on partner countries over the API: agreements and their quotas,
indicators, decisions, action plans and their actions.

Every write goes through the partners services (rights, one transaction, the audit trail). The
views narrow querysets first, so a record outside the user's remit is a 404; a record they may
read but not change is a 403, checked before the body so the answer does not depend on it."""

from django.db.models import Prefetch, QuerySet, TextChoices
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from gza.api.partners import CanFollowPartners
from gza.core.enums import Role
from gza.core.errors import DomainError
from gza.core.models import Organisation
from gza.partners.enums import (
    ActionStatus,
    AgreementKind,
    AgreementStatus,
    IndicatorKind,
    Verdict,
)
from gza.partners.models import (
    AGREEMENT_LIFECYCLE,
    Action,
    ActionPlan,
    Agreement,
    AgreementQuota,
    CountryIndicator,
    Decision,
    PartnerCountry,
)
from gza.partners.services import (
    action_add,
    action_update,
    agreement_move,
    agreement_save,
    decision_record,
    indicator_record,
    quota_record,
)
from gza.taxonomy.models import Occupation

# The model's own message for an indicator without a source, so the API refuses it in the
# same words (and the same two languages) as the database constraint does.
NO_SOURCE = next(
    c.violation_error_message
    for c in CountryIndicator._meta.constraints
    if c.name == "indicator_has_source"
)


class Choice(serializers.ChoiceField):
    """One of a TextChoices enum. The schema names the choice set after the enum
    (AgreementStatusEnum, ActionStatusEnum), so fields called "status" or "kind" with
    different choice sets do not collide."""

    def __init__(self, enum: type[TextChoices], **kwargs) -> None:
        self.enum = enum
        super().__init__(choices=enum.choices, **kwargs)


class ChoiceSchema(OpenApiSerializerFieldExtension):
    target_class = Choice

    def get_name(self) -> str:
        return f"{self.target.enum.__name__}Enum"

    def map_serializer_field(self, auto_schema, direction) -> dict:
        choices = self.target.enum.choices
        return {
            "type": "string",
            "enum": [value for value, _label in choices],
            "description": "\n".join(f"* `{value}` - {label}" for value, label in choices),
        }


# Access ---------------------------------------------------------------------------------------


def _partner(request: Request, code: str) -> PartnerCountry:
    return get_object_or_404(
        PartnerCountry.objects.visible_to(request.user).select_related("country"),
        country_id=code.upper(),
    )


def _require_editor(request: Request, partner: PartnerCountry) -> None:
    if not PartnerCountry.objects.editable_by(request.user).filter(pk=partner.pk).exists():
        raise DomainError(DomainError.NOT_PERMITTED)


def _require_ministry(request: Request) -> None:
    if request.user.role != Role.MINISTRY_OFFICER:
        raise DomainError(DomainError.NOT_PERMITTED)


def _agreements(request: Request) -> QuerySet[Agreement]:
    visible = PartnerCountry.objects.visible_to(request.user)
    return Agreement.objects.filter(partner__in=visible).select_related("partner")


def _agreement_detail(request: Request, pk: int) -> Agreement:
    return get_object_or_404(
        _agreements(request).prefetch_related(
            Prefetch("quotas", queryset=AgreementQuota.objects.order_by("year", "occupation")),
            "events",
            Prefetch("occupations", queryset=Occupation.objects.order_by("code").only("code")),
            Prefetch("implementing_bodies", queryset=Organisation.objects.order_by("pk")),
        ),
        pk=pk,
    )


# Agreements -----------------------------------------------------------------------------------


class QuotaOutput(serializers.Serializer):
    id = serializers.IntegerField()
    year = serializers.IntegerField(label=_("year"))
    occupation = serializers.CharField(
        source="occupation_id", allow_null=True, label=_("occupation")
    )
    places = serializers.IntegerField(label=_("places"))
    used = serializers.SerializerMethodField(label=_("places used"))

    def get_used(self, quota: AgreementQuota) -> int:
        return quota.agreement.quota_used(year=quota.year, occupation_id=quota.occupation_id)


class AgreementEventOutput(serializers.Serializer):
    transition = serializers.CharField(label=_("transition"))
    from_status = Choice(AgreementStatus, label=_("from"))
    to_status = Choice(AgreementStatus, label=_("to"))
    occurred_on = serializers.DateField(label=_("date"))
    reason = serializers.CharField(label=_("reason"))


class AgreementListOutput(serializers.Serializer):
    id = serializers.IntegerField()
    partner = serializers.CharField(source="partner.country_id", label=_("partner country"))
    kind = Choice(AgreementKind, label=_("kind"))
    title_ka = serializers.CharField(label=_("title (Georgian)"))
    title_en = serializers.CharField(label=_("title (English)"))
    status = Choice(AgreementStatus, label=_("status"))
    signed_on = serializers.DateField(allow_null=True, label=_("signed"))
    in_force_on = serializers.DateField(allow_null=True, label=_("in force from"))
    expires_on = serializers.DateField(allow_null=True, label=_("expires"))


class AgreementDetailOutput(AgreementListOutput):
    subject_ka = serializers.CharField(label=_("subject (Georgian)"))
    subject_en = serializers.CharField(label=_("subject (English)"))
    negotiation_opened_on = serializers.DateField(allow_null=True, label=_("negotiation opened"))
    ratified_georgia_on = serializers.DateField(allow_null=True, label=_("ratified by Georgia"))
    ratified_partner_on = serializers.DateField(allow_null=True, label=_("ratified by the partner"))
    suspended_on = serializers.DateField(allow_null=True, label=_("suspended"))
    allowed_transitions = serializers.SerializerMethodField(label=_("allowed moves"))
    occupations = serializers.SerializerMethodField(label=_("occupations covered"))
    implementing_bodies = serializers.SerializerMethodField(label=_("implementing bodies"))
    quotas = QuotaOutput(many=True, label=_("quotas"))
    events = AgreementEventOutput(many=True, label=_("agreement events"))

    def get_allowed_transitions(self, agreement: Agreement) -> list[str]:
        return [t.name for t in agreement.allowed_transitions()]

    def get_occupations(self, agreement: Agreement) -> list[str]:
        return [occupation.code for occupation in agreement.occupations.all()]

    def get_implementing_bodies(self, agreement: Agreement) -> list[int]:
        return [body.pk for body in agreement.implementing_bodies.all()]


class AgreementFilter(serializers.Serializer):
    country = serializers.CharField(
        required=False, max_length=2, label=_("partner country"), help_text=_("ISO 3166 code")
    )
    status = Choice(AgreementStatus, required=False, label=_("status"))


class AgreementInput(serializers.Serializer):
    """The particulars of an agreement. Signature, entry into force, suspension and expiry
    dates are recorded by moving the agreement along its lifecycle."""

    kind = Choice(AgreementKind, label=_("kind"))
    title_ka = serializers.CharField(max_length=300, label=_("title (Georgian)"))
    title_en = serializers.CharField(max_length=300, label=_("title (English)"))
    subject_ka = serializers.CharField(
        required=False, allow_blank=True, label=_("subject (Georgian)")
    )
    subject_en = serializers.CharField(
        required=False, allow_blank=True, label=_("subject (English)")
    )
    negotiation_opened_on = serializers.DateField(
        required=False, allow_null=True, label=_("negotiation opened")
    )
    ratified_georgia_on = serializers.DateField(
        required=False, allow_null=True, label=_("ratified by Georgia")
    )
    ratified_partner_on = serializers.DateField(
        required=False, allow_null=True, label=_("ratified by the partner")
    )
    expires_on = serializers.DateField(required=False, allow_null=True, label=_("expires"))
    occupations = serializers.PrimaryKeyRelatedField(
        queryset=Occupation.objects.units(),
        many=True,
        required=False,
        label=_("occupations covered"),
        help_text=_("ISCO-08 unit group codes (four digits)"),
    )
    implementing_bodies = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.active(),
        many=True,
        required=False,
        label=_("implementing bodies"),
    )


def _agreement_save(request: Request, agreement: Agreement, data: AgreementInput) -> Agreement:
    fields = dict(data.validated_data)
    occupations = fields.pop("occupations", None)
    bodies = fields.pop("implementing_bodies", None)
    for name, value in fields.items():
        setattr(agreement, name, value)
    return agreement_save(
        actor=request.user,
        agreement=agreement,
        occupations=occupations,
        implementing_bodies=bodies,
    )


class AgreementListApi(APIView):
    permission_classes = [IsAuthenticated, CanFollowPartners]

    @extend_schema(
        parameters=[AgreementFilter],
        responses=AgreementListOutput(many=True),
        operation_id="agreements_list",
    )
    def get(self, request: Request) -> Response:
        params = AgreementFilter(data=request.query_params)
        params.is_valid(raise_exception=True)
        agreements = _agreements(request).order_by("-signed_on", "title_en", "pk")
        if country := params.validated_data.get("country"):
            agreements = agreements.filter(partner__country_id=country.upper())
        if agreement_status := params.validated_data.get("status"):
            agreements = agreements.filter(status=agreement_status)
        return Response(AgreementListOutput(agreements, many=True).data)


class AgreementCreateApi(APIView):
    permission_classes = [IsAuthenticated, CanFollowPartners]

    @extend_schema(
        request=AgreementInput,
        responses={201: AgreementDetailOutput},
        operation_id="partners_agreements_create",
    )
    def post(self, request: Request, code: str) -> Response:
        partner = _partner(request, code)
        _require_editor(request, partner)
        data = AgreementInput(data=request.data)
        data.is_valid(raise_exception=True)
        agreement = _agreement_save(request, Agreement(partner=partner), data)
        return Response(
            AgreementDetailOutput(_agreement_detail(request, agreement.pk)).data,
            status=status.HTTP_201_CREATED,
        )


class AgreementDetailApi(APIView):
    permission_classes = [IsAuthenticated, CanFollowPartners]

    @extend_schema(responses=AgreementDetailOutput, operation_id="agreements_retrieve")
    def get(self, request: Request, pk: int) -> Response:
        return Response(AgreementDetailOutput(_agreement_detail(request, pk)).data)

    @extend_schema(
        request=AgreementInput,
        responses=AgreementDetailOutput,
        operation_id="agreements_partial_update",
    )
    def patch(self, request: Request, pk: int) -> Response:
        agreement = get_object_or_404(_agreements(request), pk=pk)
        _require_editor(request, agreement.partner)
        data = AgreementInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        _agreement_save(request, agreement, data)
        return Response(AgreementDetailOutput(_agreement_detail(request, pk)).data)


class AgreementMoveInput(serializers.Serializer):
    transition = serializers.ChoiceField(
        choices=[(t.name, t.label) for t in AGREEMENT_LIFECYCLE.transitions.values()],
        label=_("Move"),
    )
    occurred_on = serializers.DateField(label=_("Date"))
    reason = serializers.CharField(required=False, allow_blank=True, default="", label=_("Reason"))


class AgreementMoveApi(APIView):
    permission_classes = [IsAuthenticated, CanFollowPartners]

    @extend_schema(
        request=AgreementMoveInput,
        responses=AgreementDetailOutput,
        operation_id="agreements_status_move",
    )
    def post(self, request: Request, pk: int) -> Response:
        agreement = get_object_or_404(_agreements(request), pk=pk)
        _require_editor(request, agreement.partner)
        data = AgreementMoveInput(data=request.data)
        data.is_valid(raise_exception=True)
        agreement_move(actor=request.user, agreement=agreement, **data.validated_data)
        return Response(AgreementDetailOutput(_agreement_detail(request, pk)).data)


class QuotaInput(serializers.Serializer):
    # A calendar year, not any small integer the column would hold.
    year = serializers.IntegerField(min_value=1991, max_value=2100, label=_("year"))
    occupation = serializers.PrimaryKeyRelatedField(
        queryset=Occupation.objects.units(),
        required=False,
        allow_null=True,
        default=None,
        label=_("occupation"),
        help_text=_("Leave empty for a quota that covers every occupation."),
    )
    places = serializers.IntegerField(min_value=0, label=_("places"))


class QuotaCreateApi(APIView):
    permission_classes = [IsAuthenticated, CanFollowPartners]

    @extend_schema(
        request=QuotaInput, responses={201: QuotaOutput}, operation_id="agreements_quotas_create"
    )
    def post(self, request: Request, pk: int) -> Response:
        agreement = get_object_or_404(_agreements(request), pk=pk)
        _require_editor(request, agreement.partner)
        data = QuotaInput(data=request.data)
        data.is_valid(raise_exception=True)
        quota = quota_record(
            actor=request.user, quota=AgreementQuota(agreement=agreement, **data.validated_data)
        )
        return Response(QuotaOutput(quota).data, status=status.HTTP_201_CREATED)


# Indicators -----------------------------------------------------------------------------------


class IndicatorOutput(serializers.Serializer):
    id = serializers.IntegerField()
    kind = Choice(IndicatorKind, label=_("indicator"))
    value = serializers.DecimalField(
        max_digits=14, decimal_places=3, allow_null=True, label=_("value")
    )
    text_value = serializers.CharField(label=_("value (text)"))
    unit = serializers.CharField(label=_("unit"))
    currency = serializers.CharField(label=_("currency"))
    period = serializers.CharField(label=_("period"))
    source = serializers.CharField(label=_("source"))
    created_at = serializers.DateTimeField(label=_("recorded"))


class IndicatorInput(serializers.Serializer):
    kind = Choice(IndicatorKind, label=_("indicator"))
    value = serializers.DecimalField(
        max_digits=14,
        decimal_places=3,
        required=False,
        allow_null=True,
        default=None,
        label=_("value"),
    )
    text_value = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default="", label=_("value (text)")
    )
    unit = serializers.CharField(
        max_length=40, required=False, allow_blank=True, default="", label=_("unit")
    )
    currency = serializers.CharField(
        max_length=12, required=False, allow_blank=True, default="", label=_("currency")
    )
    period = serializers.CharField(
        max_length=20, label=_("period"), help_text=_("for example 2024")
    )
    source = serializers.CharField(
        max_length=300,
        label=_("source"),
        error_messages={"required": NO_SOURCE, "blank": NO_SOURCE, "null": NO_SOURCE},
    )


class IndicatorListApi(APIView):
    permission_classes = [IsAuthenticated, CanFollowPartners]

    @extend_schema(responses=IndicatorOutput(many=True), operation_id="partners_indicators_list")
    def get(self, request: Request, code: str) -> Response:
        partner = _partner(request, code)
        indicators = CountryIndicator.objects.filter(country=partner.country).order_by(
            "kind", "-period", "pk"
        )
        return Response(IndicatorOutput(indicators, many=True).data)

    @extend_schema(
        request=IndicatorInput,
        responses={201: IndicatorOutput},
        operation_id="partners_indicators_create",
    )
    def post(self, request: Request, code: str) -> Response:
        partner = _partner(request, code)
        _require_editor(request, partner)
        data = IndicatorInput(data=request.data)
        data.is_valid(raise_exception=True)
        indicator = indicator_record(
            actor=request.user,
            indicator=CountryIndicator(country=partner.country, **data.validated_data),
        )
        return Response(IndicatorOutput(indicator).data, status=status.HTTP_201_CREATED)


# Decisions ------------------------------------------------------------------------------------


class DecisionOutput(serializers.Serializer):
    id = serializers.IntegerField()
    verdict = Choice(Verdict, label=_("decision"))
    decided_on = serializers.DateField(label=_("date"))
    reasoning_ka = serializers.CharField(label=_("reasoning (Georgian)"))
    reasoning_en = serializers.CharField(label=_("reasoning (English)"))
    conditions_ka = serializers.CharField(label=_("conditions (Georgian)"))
    conditions_en = serializers.CharField(label=_("conditions (English)"))
    assessment = serializers.DictField(label=_("assessment at the time"))
    created_at = serializers.DateTimeField(label=_("recorded"))


class DecisionInput(serializers.Serializer):
    verdict = Choice(Verdict, label=_("decision"))
    decided_on = serializers.DateField(label=_("date"))
    reasoning_ka = serializers.CharField(label=_("reasoning (Georgian)"))
    reasoning_en = serializers.CharField(
        required=False, allow_blank=True, default="", label=_("reasoning (English)")
    )
    conditions_ka = serializers.CharField(
        required=False, allow_blank=True, default="", label=_("conditions (Georgian)")
    )
    conditions_en = serializers.CharField(
        required=False, allow_blank=True, default="", label=_("conditions (English)")
    )


class DecisionListApi(APIView):
    permission_classes = [IsAuthenticated, CanFollowPartners]

    @extend_schema(responses=DecisionOutput(many=True), operation_id="partners_decisions_list")
    def get(self, request: Request, code: str) -> Response:
        partner = _partner(request, code)
        return Response(DecisionOutput(partner.decisions.all(), many=True).data)

    @extend_schema(
        request=DecisionInput,
        responses={201: DecisionOutput},
        operation_id="partners_decisions_create",
    )
    def post(self, request: Request, code: str) -> Response:
        partner = _partner(request, code)
        _require_ministry(request)
        data = DecisionInput(data=request.data)
        data.is_valid(raise_exception=True)
        decision = decision_record(
            actor=request.user, decision=Decision(partner=partner, **data.validated_data)
        )
        return Response(DecisionOutput(decision).data, status=status.HTTP_201_CREATED)


# Action plans and actions ---------------------------------------------------------------------


class ActionNoteOutput(serializers.Serializer):
    status = Choice(ActionStatus, label=_("status"))
    text = serializers.CharField(label=_("progress note"))
    created_at = serializers.DateTimeField(label=_("written"))


class ActionOutput(serializers.Serializer):
    id = serializers.IntegerField()
    plan = serializers.IntegerField(source="plan_id", label=_("action plan"))
    partner = serializers.CharField(
        source="partner.country_id", allow_null=True, label=_("country")
    )
    title_ka = serializers.CharField(label=_("action (Georgian)"))
    title_en = serializers.CharField(label=_("action (English)"))
    owner = serializers.IntegerField(source="owner_id", label=_("owner"))
    responsible = serializers.CharField(label=_("responsible person"))
    due_on = serializers.DateField(label=_("due"))
    status = Choice(ActionStatus, label=_("status"))
    is_overdue = serializers.BooleanField(label=_("overdue"))
    notes = ActionNoteOutput(many=True, label=_("progress notes"))


class ActionPlanOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title_ka = serializers.CharField(label=_("title (Georgian)"))
    title_en = serializers.CharField(label=_("title (English)"))
    period = serializers.CharField(label=_("period"))
    actions_count = serializers.SerializerMethodField(label=_("actions"))
    overdue_count = serializers.SerializerMethodField(label=_("overdue"))

    def get_actions_count(self, plan: ActionPlan) -> int:
        return len(plan.visible_actions)

    def get_overdue_count(self, plan: ActionPlan) -> int:
        return sum(action.is_overdue for action in plan.visible_actions)


class ActionPlanDetailOutput(ActionPlanOutput):
    actions = ActionOutput(many=True, source="visible_actions", label=_("actions"))


def _plans(request: Request, *, with_notes: bool = False) -> QuerySet[ActionPlan]:
    """Plans with the actions the user may see on them (`visible_actions`): an embassy officer
    sees the plans that have actions on their country, and only those actions. The ministry
    sees every plan, an empty one too, since it adds the actions."""
    actions = Action.objects.visible_to(request.user).select_related("partner")
    if with_notes:
        actions = actions.prefetch_related("notes")
    plans = ActionPlan.objects.all()
    if request.user.role != Role.MINISTRY_OFFICER:
        plans = plans.filter(actions__in=actions).distinct()
    return plans.prefetch_related(Prefetch("actions", queryset=actions, to_attr="visible_actions"))


def _action(request: Request, pk: int) -> Action:
    return get_object_or_404(
        Action.objects.visible_to(request.user).select_related("partner").prefetch_related("notes"),
        pk=pk,
    )


class ActionPlanListApi(APIView):
    permission_classes = [IsAuthenticated, CanFollowPartners]

    @extend_schema(responses=ActionPlanOutput(many=True), operation_id="action_plans_list")
    def get(self, request: Request) -> Response:
        return Response(ActionPlanOutput(_plans(request), many=True).data)


class ActionPlanDetailApi(APIView):
    permission_classes = [IsAuthenticated, CanFollowPartners]

    @extend_schema(responses=ActionPlanDetailOutput, operation_id="action_plans_retrieve")
    def get(self, request: Request, pk: int) -> Response:
        plan = get_object_or_404(_plans(request, with_notes=True), pk=pk)
        return Response(ActionPlanDetailOutput(plan).data)


class ActionInput(serializers.Serializer):
    partner = serializers.SlugRelatedField(
        slug_field="country_id",
        queryset=PartnerCountry.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        label=_("country"),
        help_text=_("Leave empty for an action that concerns no single country."),
    )
    title_ka = serializers.CharField(max_length=300, label=_("action (Georgian)"))
    title_en = serializers.CharField(
        max_length=300, required=False, allow_blank=True, default="", label=_("action (English)")
    )
    owner = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.active(), label=_("owner")
    )
    responsible = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default="", label=_("responsible person")
    )
    due_on = serializers.DateField(label=_("due"))


class ActionCreateApi(APIView):
    permission_classes = [IsAuthenticated, CanFollowPartners]

    @extend_schema(
        request=ActionInput,
        responses={201: ActionOutput},
        operation_id="action_plans_actions_create",
    )
    def post(self, request: Request, pk: int) -> Response:
        if not _plans(request).filter(pk=pk).exists():
            raise Http404
        _require_ministry(request)
        data = ActionInput(data=request.data)
        data.is_valid(raise_exception=True)
        action = action_add(actor=request.user, action=Action(plan_id=pk, **data.validated_data))
        return Response(
            ActionOutput(_action(request, action.pk)).data, status=status.HTTP_201_CREATED
        )


class ActionUpdateInput(serializers.Serializer):
    status = Choice(ActionStatus, label=_("Status"))
    note = serializers.CharField(label=_("Progress note"))


class ActionUpdateApi(APIView):
    permission_classes = [IsAuthenticated, CanFollowPartners]

    @extend_schema(
        request=ActionUpdateInput, responses=ActionOutput, operation_id="actions_progress_create"
    )
    def post(self, request: Request, pk: int) -> Response:
        action = _action(request, pk)
        # A general action is the ministry's; one on a country, its editors' (as the service).
        if action.partner is None:
            _require_ministry(request)
        else:
            _require_editor(request, action.partner)
        data = ActionUpdateInput(data=request.data)
        data.is_valid(raise_exception=True)
        action_update(actor=request.user, action=action, **data.validated_data)
        return Response(ActionOutput(_action(request, pk)).data)
