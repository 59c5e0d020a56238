"""Check-ins and grievances over the API (issue 6, items 6 and 7).

- /v1/me/check-ins/: the signed-in worker's check-ins (due and answered).
- /v1/check-ins/<id>/answer/: the worker answers, or an officer who follows the placement
  records a phone answer; a breach opens a grievance, returned with the answer.
- /v1/grievances/: the grievances the caller sees (a worker their own; staff who handle
  grievances their remit), and opening one; /v1/grievances/board/: the board's counts.
- /v1/grievances/<public_id>/ and its actions: assign, start, escalate, resolve, close, rate.

The same services, rights and scoping as the workspace and the portal
(gza/mobility/protection.py): outside the caller's remit is a 404."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from gza.api.partner_records import Choice
from gza.core.audit import access_record
from gza.core.enums import AccessAction, Role
from gza.core.models import User
from gza.core.roles import Right, has_right
from gza.mobility.enums import (
    Breach,
    GrievanceCategory,
    GrievanceSource,
    GrievanceStatus,
    PaidAsPromised,
    Severity,
)
from gza.mobility.models import Grievance, Placement
from gza.mobility.protection import (
    DEFAULT_SEVERITY,
    MAX_HOURS_PER_WEEK,
    RATINGS,
    board_counts,
    check_in_answer,
    check_ins_visible_to,
    grievance_assign,
    grievance_close,
    grievance_escalate,
    grievance_open,
    grievance_rate,
    grievance_resolve,
    grievance_start,
    grievances_visible_to,
)
from gza.registry.models import JobSeeker


class WorkerOrHandler(BasePermission):
    """A worker (their own records) or staff who handle grievances."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        return user.role == Role.JOB_SEEKER or has_right(user, Right.GRIEVANCES_HANDLE)


class Handler(BasePermission):
    def has_permission(self, request, view) -> bool:
        return has_right(request.user, Right.GRIEVANCES_HANDLE)


PROTECTION = [IsAuthenticated, WorkerOrHandler]
HANDLERS = [IsAuthenticated, Handler]


# Output ------------------------------------------------------------------------------------------


class CheckInOutput(serializers.Serializer):
    id = serializers.IntegerField()
    placement = serializers.UUIDField(source="placement.public_id")
    sequence = serializers.IntegerField()
    due_on = serializers.DateField()
    answered_at = serializers.DateTimeField(allow_null=True)
    paid_as_promised = serializers.CharField()
    pay_received = serializers.DecimalField(max_digits=10, decimal_places=2, allow_null=True)
    hours_per_week = serializers.IntegerField(allow_null=True)
    housing_as_promised = serializers.BooleanField(allow_null=True)
    documents_held_by_employer = serializers.BooleanField(allow_null=True)
    feels_safe = serializers.BooleanField(allow_null=True)
    comment = serializers.CharField()
    breaches = serializers.ListField(child=Choice(Breach))


class GrievanceEventOutput(serializers.Serializer):
    action = serializers.CharField()
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    note = serializers.CharField()
    actor = serializers.CharField(source="actor.full_name", allow_null=True)
    occurred_at = serializers.DateTimeField()


class GrievanceOutput(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    job_seeker = serializers.UUIDField(source="job_seeker.public_id")
    placement = serializers.UUIDField(source="placement.public_id", allow_null=True)
    country = serializers.CharField(source="placement.country_id", allow_null=True)
    check_in = serializers.IntegerField(source="check_in_id", allow_null=True)
    source = Choice(GrievanceSource)
    category = Choice(GrievanceCategory)
    severity = Choice(Severity)
    status = Choice(GrievanceStatus)
    description = serializers.CharField()
    opened_at = serializers.DateTimeField()
    response_due_at = serializers.DateTimeField()
    assigned_to = serializers.IntegerField(source="assigned_to_id", allow_null=True)
    escalated_at = serializers.DateTimeField(allow_null=True)
    resolution = serializers.CharField()
    resolved_at = serializers.DateTimeField(allow_null=True)
    worker_rating = serializers.IntegerField(allow_null=True)


class GrievanceDetailOutput(GrievanceOutput):
    escalated_to = serializers.SerializerMethodField()
    events = GrievanceEventOutput(many=True, source="events.all")

    def get_escalated_to(self, grievance: Grievance) -> list[str]:
        return [organisation.name for organisation in grievance.escalated_to.all()]


class CheckInAnswerOutput(serializers.Serializer):
    check_in = CheckInOutput()
    grievance = GrievanceOutput(allow_null=True)


class CountsOutput(serializers.Serializer):
    total = serializers.IntegerField()
    by_deadline = serializers.DictField(child=serializers.IntegerField())
    by_age = serializers.DictField(child=serializers.IntegerField())
    by_severity = serializers.DictField(child=serializers.IntegerField())


# Check-ins ---------------------------------------------------------------------------------------


class CheckInAnswerInput(serializers.Serializer):
    paid_as_promised = serializers.ChoiceField(choices=PaidAsPromised.choices)
    pay_received = serializers.DecimalField(
        max_digits=10, decimal_places=2, required=False, allow_null=True, default=None
    )
    hours_per_week = serializers.IntegerField(min_value=0, max_value=MAX_HOURS_PER_WEEK)
    housing_as_promised = serializers.BooleanField()
    documents_held_by_employer = serializers.BooleanField()
    feels_safe = serializers.BooleanField()
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class MyCheckInsApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=CheckInOutput(many=True), operation_id="me_check_ins_list")
    def get(self, request: Request) -> Response:
        if request.user.role != Role.JOB_SEEKER:
            raise PermissionDenied
        check_ins = check_ins_visible_to(request.user).select_related("placement")
        return Response(CheckInOutput(check_ins.order_by("due_on", "pk"), many=True).data)


class CheckInAnswerApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=CheckInAnswerInput,
        responses={201: CheckInAnswerOutput},
        operation_id="check_ins_answer",
    )
    def post(self, request: Request, pk: int) -> Response:
        check_in = get_object_or_404(check_ins_visible_to(request.user), pk=pk)
        data = CheckInAnswerInput(data=request.data)
        data.is_valid(raise_exception=True)
        answered = check_in_answer(actor=request.user, check_in=check_in, **data.validated_data)
        grievance = Grievance.objects.filter(check_in=answered).first()
        return Response(
            CheckInAnswerOutput({"check_in": answered, "grievance": grievance}).data,
            status=status.HTTP_201_CREATED,
        )


# Grievances --------------------------------------------------------------------------------------


class GrievanceInput(serializers.Serializer):
    job_seeker = serializers.UUIDField(
        required=False, help_text="Staff only: the person; a worker raises their own."
    )
    placement = serializers.UUIDField(required=False, allow_null=True, default=None)
    category = serializers.ChoiceField(choices=GrievanceCategory.choices)
    severity = serializers.ChoiceField(
        choices=Severity.choices,
        required=False,
        help_text="Staff set it; a worker's follows the category unless in_danger.",
    )
    in_danger = serializers.BooleanField(required=False, default=False)
    description = serializers.CharField(max_length=5000)


def _grievances(request: Request):
    return grievances_visible_to(request.user).select_related(
        "job_seeker", "placement", "assigned_to"
    )


def _grievance(request: Request, public_id) -> Grievance:
    return get_object_or_404(_grievances(request), public_id=public_id)


class GrievanceListApi(APIView):
    permission_classes = PROTECTION

    @extend_schema(responses=GrievanceOutput(many=True), operation_id="grievances_list")
    def get(self, request: Request) -> Response:
        grievances = _grievances(request)
        for name in ("status", "severity", "category"):
            if value := request.query_params.get(name):
                grievances = grievances.filter(**{name: value})
        if country := request.query_params.get("country"):
            grievances = grievances.filter(placement__country_id=country.upper())
        paginator = LimitOffsetPagination()
        page = paginator.paginate_queryset(grievances, request, view=self)
        return paginator.get_paginated_response(GrievanceOutput(page, many=True).data)

    @extend_schema(
        request=GrievanceInput,
        responses={201: GrievanceDetailOutput},
        operation_id="grievances_open",
    )
    def post(self, request: Request) -> Response:
        data = GrievanceInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        user = request.user
        worker = user.role == Role.JOB_SEEKER
        if worker:
            person = get_object_or_404(JobSeeker.objects.visible_to(user).active())
            source = GrievanceSource.PORTAL
            severity = (
                Severity.CRITICAL if values["in_danger"] else DEFAULT_SEVERITY[values["category"]]
            )
        else:
            if "job_seeker" not in values or "severity" not in values:
                raise ApiValidationError(
                    {
                        name: [serializers.Field.default_error_messages["required"]]
                        for name in ("job_seeker", "severity")
                        if name not in values
                    }
                )
            person = get_object_or_404(
                JobSeeker.objects.visible_to(user), public_id=values["job_seeker"]
            )
            source = (
                GrievanceSource.EMBASSY
                if user.role == Role.EMBASSY_OFFICER
                else GrievanceSource.OFFICER
            )
            severity = values["severity"]
        placement = None
        if values["placement"]:
            placement = get_object_or_404(
                Placement.objects.visible_to(user), public_id=values["placement"]
            )
        grievance = grievance_open(
            actor=user,
            job_seeker=person,
            placement=placement,
            source=source,
            category=values["category"],
            severity=severity,
            description=values["description"],
        )
        return Response(GrievanceDetailOutput(grievance).data, status=status.HTTP_201_CREATED)


class GrievanceBoardApi(APIView):
    permission_classes = HANDLERS

    @extend_schema(responses=CountsOutput, operation_id="grievances_board")
    def get(self, request: Request) -> Response:
        return Response(CountsOutput(board_counts(request.user)).data)


class GrievanceDetailApi(APIView):
    permission_classes = PROTECTION

    @extend_schema(responses=GrievanceDetailOutput, operation_id="grievances_retrieve")
    def get(self, request: Request, public_id) -> Response:
        grievance = _grievance(request, public_id)
        if request.user.role != Role.JOB_SEEKER:
            access_record(
                actor=request.user,
                subject=grievance.job_seeker,
                action=AccessAction.VIEW,
                purpose="api: grievance",
            )
        return Response(GrievanceDetailOutput(grievance).data)


class AssignInput(serializers.Serializer):
    assignee = serializers.IntegerField(help_text="The id of a user who handles grievances.")


class NoteInput(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ResolveInput(serializers.Serializer):
    resolution = serializers.CharField()


class RateInput(serializers.Serializer):
    rating = serializers.ChoiceField(choices=list(RATINGS))


def _action(request: Request, public_id, service, input_class) -> Response:
    grievance = _grievance(request, public_id)
    data = input_class(data=request.data)
    data.is_valid(raise_exception=True)
    service(actor=request.user, grievance=grievance, **data.validated_data)
    return Response(GrievanceDetailOutput(_grievance(request, public_id)).data)


class GrievanceAssignApi(APIView):
    permission_classes = HANDLERS

    @extend_schema(
        request=AssignInput, responses=GrievanceDetailOutput, operation_id="grievances_assign"
    )
    def post(self, request: Request, public_id) -> Response:
        grievance = _grievance(request, public_id)
        data = AssignInput(data=request.data)
        data.is_valid(raise_exception=True)
        assignee = User.objects.filter(pk=data.validated_data["assignee"]).first()
        if assignee is None:
            raise ApiValidationError({"assignee": [_("Unknown user.")]})
        grievance_assign(actor=request.user, grievance=grievance, assignee=assignee)
        return Response(GrievanceDetailOutput(_grievance(request, public_id)).data)


class GrievanceStartApi(APIView):
    permission_classes = HANDLERS

    @extend_schema(
        request=NoteInput, responses=GrievanceDetailOutput, operation_id="grievances_start"
    )
    def post(self, request: Request, public_id) -> Response:
        return _action(request, public_id, grievance_start, NoteInput)


class GrievanceEscalateApi(APIView):
    permission_classes = HANDLERS

    @extend_schema(
        request=NoteInput, responses=GrievanceDetailOutput, operation_id="grievances_escalate"
    )
    def post(self, request: Request, public_id) -> Response:
        return _action(request, public_id, grievance_escalate, NoteInput)


class GrievanceResolveApi(APIView):
    permission_classes = HANDLERS

    @extend_schema(
        request=ResolveInput, responses=GrievanceDetailOutput, operation_id="grievances_resolve"
    )
    def post(self, request: Request, public_id) -> Response:
        return _action(request, public_id, grievance_resolve, ResolveInput)


class GrievanceCloseApi(APIView):
    permission_classes = HANDLERS

    @extend_schema(
        request=NoteInput, responses=GrievanceDetailOutput, operation_id="grievances_close"
    )
    def post(self, request: Request, public_id) -> Response:
        return _action(request, public_id, grievance_close, NoteInput)


class GrievanceRateApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=RateInput, responses=GrievanceDetailOutput, operation_id="grievances_rate"
    )
    def post(self, request: Request, public_id) -> Response:
        return _action(request, public_id, grievance_rate, RateInput)
