"""Reintegration over the API: cases (list, open, read), the needs assessment, the assistance
plan, the follow-ups with their sustainability scores, closure; and a returnee's own case.

The same services, right and scoping as the workspace (gza/web/workspace/reintegration.py):
REINTEGRATION_MANAGE, cases through `ReintegrationCase.objects.visible_to` (outside scope is a
404). The person is named by registration number in the request body, never in a URL. Reading
a case writes the access log."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from gza.api.partner_records import Choice
from gza.core.audit import access_record, access_record_many
from gza.core.enums import AccessAction, Role
from gza.core.models import Organisation
from gza.core.roles import Right, has_right
from gza.mobility.models import Placement
from gza.registry.models import JobSeeker
from gza.reintegration.enums import (
    AssistanceKind,
    AssistanceStatus,
    CaseStatus,
    ClosureReason,
    Vulnerability,
)
from gza.reintegration.models import FollowUp, ReintegrationCase
from gza.reintegration.services import (
    SCORE_MAX,
    assessment_record,
    assistance_add,
    assistance_status_set,
    case_close,
    case_open,
    follow_up_record,
    returnee_find,
    sustainability_trend,
)
from gza.taxonomy.models import Country
from gza.web.workspace.reintegration import cases_listed


class CanManageReintegration(BasePermission):
    def has_permission(self, request, view) -> bool:
        return has_right(request.user, Right.REINTEGRATION_MANAGE)


MANAGE = [IsAuthenticated, CanManageReintegration]


# Output ------------------------------------------------------------------------------------------


class ReturneeOutput(serializers.Serializer):
    public_id = serializers.UUIDField()
    registration_number = serializers.CharField()
    name = serializers.CharField(source="display_name")


class AssessmentOutput(serializers.Serializer):
    id = serializers.IntegerField()
    assessed_on = serializers.DateField()
    economic = serializers.IntegerField(min_value=0, max_value=3)
    social = serializers.IntegerField(min_value=0, max_value=3)
    psychosocial = serializers.IntegerField(min_value=0, max_value=3)
    medical = serializers.IntegerField(min_value=0, max_value=3)
    vulnerability = Choice(Vulnerability)
    notes = serializers.CharField()
    assessed_by = serializers.CharField(source="assessed_by.full_name")


class AssistanceOutput(serializers.Serializer):
    id = serializers.IntegerField()
    kind = Choice(AssistanceKind)
    provider = serializers.CharField()
    amount = serializers.DecimalField(max_digits=10, decimal_places=2, allow_null=True)
    currency = serializers.CharField()
    status = Choice(AssistanceStatus)
    note = serializers.CharField()


class FollowUpOutput(serializers.Serializer):
    month = serializers.IntegerField()
    due_on = serializers.DateField()
    done_on = serializers.DateField(allow_null=True)
    economic = serializers.IntegerField(allow_null=True)
    social = serializers.IntegerField(allow_null=True)
    psychosocial = serializers.IntegerField(allow_null=True)
    sustainability = serializers.FloatField(
        allow_null=True, help_text=_("The mean of the three scores, 0 to 100.")
    )
    change = serializers.FloatField(
        allow_null=True, help_text=_("The change since the previous follow-up done.")
    )
    notes = serializers.CharField()


class CaseSummaryOutput(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    job_seeker = ReturneeOutput()
    returned_from = serializers.CharField(source="returned_from_id")
    returned_on = serializers.DateField()
    organisation = serializers.IntegerField(source="organisation_id")
    status = Choice(CaseStatus)
    opened_on = serializers.DateField()
    closed_on = serializers.DateField(allow_null=True)
    closure_reason = serializers.CharField()
    vulnerability = serializers.CharField(
        allow_null=True, help_text=_("From the latest assessment; null until assessed.")
    )
    next_follow_up = serializers.DateField(source="next_due", allow_null=True)
    follow_up_overdue = serializers.BooleanField(source="overdue")


class CaseOutput(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    job_seeker = ReturneeOutput()
    placement = serializers.UUIDField(source="placement.public_id", allow_null=True)
    returned_from = serializers.CharField(source="returned_from_id")
    returned_on = serializers.DateField()
    organisation = serializers.IntegerField(source="organisation_id")
    caseworker = serializers.CharField(source="caseworker.full_name", allow_null=True)
    status = Choice(CaseStatus)
    opened_on = serializers.DateField()
    closed_on = serializers.DateField(allow_null=True)
    closure_reason = serializers.CharField()
    assessments = AssessmentOutput(many=True, source="assessments_shown")
    plan = AssistanceOutput(many=True, source="plan_shown")
    follow_ups = FollowUpOutput(many=True, source="follow_ups_shown")


def _case_data(request: Request, public_id) -> dict:
    case = get_object_or_404(
        ReintegrationCase.objects.visible_to(request.user).select_related(
            "job_seeker", "placement", "caseworker"
        ),
        public_id=public_id,
    )
    access_record(
        actor=request.user,
        subject=case.job_seeker,
        action=AccessAction.VIEW,
        purpose="api: reintegration",
    )
    follow_ups = list(case.follow_ups.order_by("month"))
    trend = {point.month: point for point in sustainability_trend(follow_ups)}
    for follow_up in follow_ups:
        follow_up.change = trend[follow_up.month].change
    case.assessments_shown = case.assessments.select_related("assessed_by").order_by(
        "-assessed_on", "-id"
    )
    case.plan_shown = case.plan.order_by("id")
    case.follow_ups_shown = follow_ups
    return CaseOutput(case).data


def _managed_case(request: Request, public_id) -> ReintegrationCase:
    return get_object_or_404(
        ReintegrationCase.objects.visible_to(request.user), public_id=public_id
    )


# Cases -------------------------------------------------------------------------------------------


class CaseOpenInput(serializers.Serializer):
    registration_number = serializers.CharField(
        max_length=10, required=False, help_text=_("Unless a placement is given.")
    )
    personal_number = serializers.CharField(
        max_length=11,
        required=False,
        default="",
        help_text=_("Needed when another organisation registered the person."),
    )
    placement = serializers.UUIDField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("The placement the person returned from, when Gza placed them."),
    )
    returned_from = serializers.SlugRelatedField(
        slug_field="code", queryset=Country.objects.states()
    )
    returned_on = serializers.DateField()
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())

    def validate(self, data: dict) -> dict:
        if not data.get("placement") and not data.get("registration_number"):
            raise serializers.ValidationError(
                {"registration_number": [_("Give the registration number or the placement.")]}
            )
        return data


class CaseListApi(ListAPIView):
    """The caller's cases, newest first; POST opens a case and schedules its follow-ups."""

    permission_classes = MANAGE
    serializer_class = CaseSummaryOutput

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=CaseStatus.values),
            OpenApiParameter("vulnerability", str, enum=Vulnerability.values),
            OpenApiParameter("overdue", bool, description=_("Only cases with a follow-up overdue")),
        ],
        operation_id="reintegration_cases_list",
    )
    def get(self, request: Request, *args: object, **kwargs: object) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        params = self.request.query_params
        return cases_listed(
            self.request.user,
            status=params.get("status", ""),
            vulnerability=params.get("vulnerability", ""),
            overdue=params.get("overdue", "").lower() in {"1", "true"},
        )

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        access_record_many(
            actor=self.request.user,
            subjects=[case.job_seeker for case in (page if page is not None else queryset)],
            action=AccessAction.VIEW,
            purpose="api: reintegration cases",
        )
        return page

    @extend_schema(
        request=CaseOpenInput,
        responses={201: CaseOutput},
        operation_id="reintegration_cases_open",
    )
    def post(self, request: Request) -> Response:
        data = CaseOpenInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        placement = None
        if values["placement"]:
            placement = (
                Placement.objects.filter(
                    public_id=values["placement"],
                    job_seeker__in=JobSeeker.objects.visible_to(request.user),
                )
                .select_related("job_seeker", "country")
                .first()
            )
            if placement is None:
                raise Http404
            person = placement.job_seeker
        else:
            person = returnee_find(
                actor=request.user,
                registration_number=values["registration_number"],
                personal_number=values["personal_number"],
            )
        case = case_open(
            actor=request.user,
            job_seeker=person,
            returned_from=values["returned_from"],
            returned_on=values["returned_on"],
            organisation=values["organisation"],
            placement=placement,
        )
        return Response(_case_data(request, case.public_id), status=status.HTTP_201_CREATED)


class CaseDetailApi(APIView):
    permission_classes = MANAGE

    @extend_schema(responses=CaseOutput, operation_id="reintegration_cases_read")
    def get(self, request: Request, public_id) -> Response:
        return Response(_case_data(request, public_id))


# Writes on a case --------------------------------------------------------------------------------


class AssessmentInput(serializers.Serializer):
    assessed_on = serializers.DateField(required=False, default=None, allow_null=True)
    economic = serializers.IntegerField(min_value=0, max_value=3)
    social = serializers.IntegerField(min_value=0, max_value=3)
    psychosocial = serializers.IntegerField(min_value=0, max_value=3)
    medical = serializers.IntegerField(min_value=0, max_value=3)
    vulnerability = Choice(Vulnerability)
    notes = serializers.CharField(required=False, default="", allow_blank=True)


class AssessmentApi(APIView):
    permission_classes = MANAGE

    @extend_schema(
        request=AssessmentInput,
        responses={201: CaseOutput},
        operation_id="reintegration_assessments_create",
    )
    def post(self, request: Request, public_id) -> Response:
        case = _managed_case(request, public_id)
        data = AssessmentInput(data=request.data)
        data.is_valid(raise_exception=True)
        assessment_record(actor=request.user, case=case, **data.validated_data)
        return Response(_case_data(request, public_id), status=status.HTTP_201_CREATED)


class AssistanceInput(serializers.Serializer):
    kind = Choice(AssistanceKind)
    provider = serializers.CharField(max_length=200)
    amount = serializers.DecimalField(
        max_digits=10, decimal_places=2, required=False, allow_null=True, default=None
    )
    currency = serializers.CharField(max_length=3, required=False, default="", allow_blank=True)
    note = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)


class AssistanceApi(APIView):
    permission_classes = MANAGE

    @extend_schema(
        request=AssistanceInput,
        responses={201: AssistanceOutput},
        operation_id="reintegration_plan_add",
    )
    def post(self, request: Request, public_id) -> Response:
        case = _managed_case(request, public_id)
        data = AssistanceInput(data=request.data)
        data.is_valid(raise_exception=True)
        item = assistance_add(actor=request.user, case=case, **data.validated_data)
        return Response(AssistanceOutput(item).data, status=status.HTTP_201_CREATED)


class AssistanceStatusInput(serializers.Serializer):
    status = Choice(AssistanceStatus)
    note = serializers.CharField(max_length=300, required=False, allow_null=True, default=None)


class AssistanceStatusApi(APIView):
    permission_classes = MANAGE

    @extend_schema(
        request=AssistanceStatusInput,
        responses=AssistanceOutput,
        operation_id="reintegration_plan_status",
    )
    def post(self, request: Request, public_id, pk: int) -> Response:
        case = _managed_case(request, public_id)
        item = get_object_or_404(case.plan.select_related("case"), pk=pk)
        data = AssistanceStatusInput(data=request.data)
        data.is_valid(raise_exception=True)
        item = assistance_status_set(actor=request.user, item=item, **data.validated_data)
        return Response(AssistanceOutput(item).data)


class FollowUpInput(serializers.Serializer):
    done_on = serializers.DateField(required=False, default=None, allow_null=True)
    economic = serializers.IntegerField(min_value=0, max_value=SCORE_MAX)
    social = serializers.IntegerField(min_value=0, max_value=SCORE_MAX)
    psychosocial = serializers.IntegerField(min_value=0, max_value=SCORE_MAX)
    notes = serializers.CharField(required=False, default="", allow_blank=True)


class FollowUpApi(APIView):
    permission_classes = MANAGE

    @extend_schema(
        request=FollowUpInput,
        responses=CaseOutput,
        operation_id="reintegration_follow_ups_record",
    )
    def post(self, request: Request, public_id, month: int) -> Response:
        case = _managed_case(request, public_id)
        follow_up = get_object_or_404(
            FollowUp.objects.select_related("case"), case=case, month=month
        )
        data = FollowUpInput(data=request.data)
        data.is_valid(raise_exception=True)
        follow_up_record(actor=request.user, follow_up=follow_up, **data.validated_data)
        return Response(_case_data(request, public_id))


class CloseInput(serializers.Serializer):
    reason = Choice(ClosureReason)
    closed_on = serializers.DateField(required=False, default=None, allow_null=True)


class CaseCloseApi(APIView):
    permission_classes = MANAGE

    @extend_schema(request=CloseInput, responses=CaseOutput, operation_id="reintegration_close")
    def post(self, request: Request, public_id) -> Response:
        case = _managed_case(request, public_id)
        data = CloseInput(data=request.data)
        data.is_valid(raise_exception=True)
        case_close(actor=request.user, case=case, **data.validated_data)
        return Response(_case_data(request, public_id))


# The returnee's own case -------------------------------------------------------------------------


class OwnFollowUpOutput(serializers.Serializer):
    month = serializers.IntegerField()
    due_on = serializers.DateField()
    done = serializers.SerializerMethodField()

    def get_done(self, follow_up: FollowUp) -> bool:
        return follow_up.done_on is not None


class OwnAssistanceOutput(serializers.Serializer):
    kind = Choice(AssistanceKind)
    provider = serializers.CharField()
    amount = serializers.DecimalField(max_digits=10, decimal_places=2, allow_null=True)
    currency = serializers.CharField()
    status = Choice(AssistanceStatus)


class OwnCaseOutput(serializers.Serializer):
    """What the person sees on the portal: no assessment, no caseworkers' notes."""

    id = serializers.UUIDField(source="public_id")
    organisation = serializers.CharField(source="organisation.name")
    returned_from = serializers.CharField(source="returned_from_id")
    returned_on = serializers.DateField()
    status = Choice(CaseStatus)
    closed_on = serializers.DateField(allow_null=True)
    plan = OwnAssistanceOutput(many=True, source="plan.all")
    follow_ups = OwnFollowUpOutput(many=True, source="follow_ups.all")


class IsJobSeeker(BasePermission):
    def has_permission(self, request, view) -> bool:
        return getattr(request.user, "role", None) == Role.JOB_SEEKER


class MyReintegrationApi(APIView):
    permission_classes = [IsAuthenticated, IsJobSeeker]

    @extend_schema(responses=OwnCaseOutput(many=True), operation_id="me_reintegration")
    def get(self, request: Request) -> Response:
        cases = (
            ReintegrationCase.objects.visible_to(request.user)
            .select_related("organisation")
            .prefetch_related("plan", "follow_ups")
            .order_by("-opened_on", "-id")
        )
        return Response(OwnCaseOutput(cases, many=True).data)
