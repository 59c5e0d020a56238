"""Mobility over the API: an application's pre-departure checklist, orientation sessions with
invitations and attendance, the public check of a certificate's code, placements (list,
detail, create at departure, status moves) and returns.

The same services, rights and scoping as the workspace (gza/web/workspace/mobility.py):
MOBILITY_MANAGE for everything but the certificate check, which anyone may make; applications
through `applications_visible_to`, placements through `Placement.objects.visible_to` (outside
scope is a 404). Responses about a person write the access log."""

from typing import Any

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from gza.api.partner_records import Choice
from gza.core.audit import access_record
from gza.core.enums import AccessAction
from gza.core.models import Organisation
from gza.core.roles import Right, has_right
from gza.mobility.certificates import CODE_LENGTH, certificate_verify
from gza.mobility.enums import (
    ChecklistItem,
    EarlyReturnReason,
    PayPeriod,
    PlacementStatus,
    ReturnKind,
)
from gza.mobility.models import Attendance, OrientationSession, Placement
from gza.mobility.scoping import applications_visible_to
from gza.mobility.services import (
    PLACEMENT_LIFECYCLE,
    attendance_mark,
    checklist_mark,
    checklist_missing,
    placement_allowed_moves,
    placement_create,
    placement_move,
    placement_quota_warnings,
    return_record,
    session_invite,
    session_save,
)
from gza.recruitment.models import Application
from gza.taxonomy.models import Language


class CanManageMobility(BasePermission):
    def has_permission(self, request, view) -> bool:
        return has_right(request.user, Right.MOBILITY_MANAGE)


MOBILITY = [IsAuthenticated, CanManageMobility]
UNKNOWN_APPLICATIONS = _("Some of these applications are unknown or outside your remit.")


def _application(request: Request, public_id) -> Application:
    return get_object_or_404(
        applications_visible_to(request.user).select_related("job_seeker"), public_id=public_id
    )


def _placement(request: Request, public_id) -> Placement:
    return get_object_or_404(
        Placement.objects.visible_to(request.user).select_related("job_seeker", "application"),
        public_id=public_id,
    )


# The checklist ----------------------------------------------------------------------------------


class ChecklistMarkOutput(serializers.Serializer):
    item = Choice(ChecklistItem)
    done_on = serializers.DateField()
    language = serializers.CharField(source="language_id", allow_null=True)
    note = serializers.CharField()


class ChecklistOutput(serializers.Serializer):
    application = serializers.UUIDField()
    stage = serializers.CharField()
    complete = serializers.BooleanField()
    missing = serializers.ListField(child=Choice(ChecklistItem))
    marks = ChecklistMarkOutput(many=True)


class ChecklistMarkInput(serializers.Serializer):
    item = Choice(ChecklistItem)
    done_on = serializers.DateField()
    language = serializers.PrimaryKeyRelatedField(
        queryset=Language.objects.all(), required=False, allow_null=True, default=None
    )
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


def _checklist_data(application: Application) -> dict[str, Any]:
    missing = checklist_missing(application)
    return ChecklistOutput(
        {
            "application": application.public_id,
            "stage": application.stage,
            "complete": not missing,
            "missing": missing,
            "marks": application.checklist.all(),
        }
    ).data


class ChecklistApi(APIView):
    permission_classes = MOBILITY

    @extend_schema(responses=ChecklistOutput, operation_id="applications_checklist")
    def get(self, request: Request, public_id) -> Response:
        application = _application(request, public_id)
        access_record(
            actor=request.user,
            subject=application.job_seeker,
            action=AccessAction.VIEW,
            purpose="api: pre-departure",
        )
        return Response(_checklist_data(application))

    @extend_schema(
        request=ChecklistMarkInput,
        responses={201: ChecklistOutput},
        operation_id="applications_checklist_mark",
    )
    def post(self, request: Request, public_id) -> Response:
        application = _application(request, public_id)
        data = ChecklistMarkInput(data=request.data)
        data.is_valid(raise_exception=True)
        checklist_mark(actor=request.user, application=application, **data.validated_data)
        return Response(_checklist_data(application), status=status.HTTP_201_CREATED)


# Orientation sessions ---------------------------------------------------------------------------


class SessionOutput(serializers.Serializer):
    id = serializers.IntegerField()
    starts_at = serializers.DateTimeField()
    place = serializers.CharField()
    online = serializers.BooleanField()
    organisation = serializers.IntegerField(source="organisation_id")
    agreement = serializers.IntegerField(source="agreement_id", allow_null=True)
    topics_ka = serializers.CharField()
    topics_en = serializers.CharField()
    capacity = serializers.IntegerField(allow_null=True)


class SessionInput(serializers.Serializer):
    starts_at = serializers.DateTimeField()
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    online = serializers.BooleanField(required=False, default=False)
    organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text=_("The ministry may name any organisation; others run their own's sessions."),
    )
    topics_ka = serializers.CharField()
    topics_en = serializers.CharField(required=False, allow_blank=True, default="")
    capacity = serializers.IntegerField(min_value=1, required=False, allow_null=True, default=None)


def _session_values(data: dict[str, Any]) -> dict[str, Any]:
    values = dict(data)
    organisation = values.pop("organisation", None)
    if organisation is not None:
        values["organisation_id"] = organisation.pk
    return values


class SessionListApi(APIView):
    permission_classes = MOBILITY

    @extend_schema(responses=SessionOutput(many=True), operation_id="orientation_sessions_list")
    def get(self, request: Request) -> Response:
        sessions = OrientationSession.objects.order_by("-starts_at", "-id")
        return Response(SessionOutput(sessions, many=True).data)

    @extend_schema(
        request=SessionInput,
        responses={201: SessionOutput},
        operation_id="orientation_sessions_create",
    )
    def post(self, request: Request) -> Response:
        data = SessionInput(data=request.data)
        data.is_valid(raise_exception=True)
        session = session_save(
            actor=request.user, session=OrientationSession(**_session_values(data.validated_data))
        )
        return Response(SessionOutput(session).data, status=status.HTTP_201_CREATED)


class SessionDetailApi(APIView):
    permission_classes = MOBILITY

    @extend_schema(responses=SessionOutput, operation_id="orientation_sessions_detail")
    def get(self, request: Request, pk: int) -> Response:
        return Response(SessionOutput(get_object_or_404(OrientationSession, pk=pk)).data)

    @extend_schema(
        request=SessionInput, responses=SessionOutput, operation_id="orientation_sessions_update"
    )
    def put(self, request: Request, pk: int) -> Response:
        session = get_object_or_404(OrientationSession, pk=pk)
        data = SessionInput(data=request.data)
        data.is_valid(raise_exception=True)
        for name, value in _session_values(data.validated_data).items():
            setattr(session, name, value)
        return Response(SessionOutput(session_save(actor=request.user, session=session)).data)


class AttendanceOutput(serializers.Serializer):
    id = serializers.IntegerField()
    session = serializers.IntegerField(source="session_id")
    application = serializers.UUIDField(source="application.public_id")
    attended = serializers.BooleanField(allow_null=True)
    certificate_code = serializers.CharField(allow_null=True)
    certificate_issued_at = serializers.DateTimeField(allow_null=True)


class InvitationInput(serializers.Serializer):
    applications = serializers.ListField(child=serializers.UUIDField(), min_length=1)


class InvitationsApi(APIView):
    permission_classes = MOBILITY

    @extend_schema(
        responses=AttendanceOutput(many=True), operation_id="orientation_sessions_attendances"
    )
    def get(self, request: Request, pk: int) -> Response:
        session = get_object_or_404(OrientationSession, pk=pk)
        rows = session.attendances.filter(
            application__in=applications_visible_to(request.user)
        ).select_related("application")
        return Response(AttendanceOutput(rows, many=True).data)

    @extend_schema(
        request=InvitationInput,
        responses={201: AttendanceOutput(many=True)},
        operation_id="orientation_sessions_invite",
    )
    def post(self, request: Request, pk: int) -> Response:
        session = get_object_or_404(OrientationSession, pk=pk)
        data = InvitationInput(data=request.data)
        data.is_valid(raise_exception=True)
        wanted = set(data.validated_data["applications"])
        applications = list(applications_visible_to(request.user).filter(public_id__in=wanted))
        if len(applications) != len(wanted):
            raise serializers.ValidationError(
                {
                    "applications": [
                        _("Some of these applications are unknown or outside your remit.")
                    ]
                }
            )
        invited = session_invite(actor=request.user, session=session, applications=applications)
        return Response(AttendanceOutput(invited, many=True).data, status=status.HTTP_201_CREATED)


class AttendanceInput(serializers.Serializer):
    attended = serializers.BooleanField()


class AttendanceApi(APIView):
    permission_classes = MOBILITY

    @extend_schema(
        request=AttendanceInput, responses=AttendanceOutput, operation_id="attendances_mark"
    )
    def post(self, request: Request, pk: int) -> Response:
        attendance = get_object_or_404(
            Attendance.objects.filter(application__in=applications_visible_to(request.user)),
            pk=pk,
        )
        data = AttendanceInput(data=request.data)
        data.is_valid(raise_exception=True)
        attendance = attendance_mark(
            actor=request.user, attendance=attendance, attended=data.validated_data["attended"]
        )
        return Response(AttendanceOutput(attendance).data)


class CertificateVerifyInput(serializers.Serializer):
    code = serializers.CharField(max_length=20, help_text=_("As printed, dashes allowed."))


class CertificateVerifyOutput(serializers.Serializer):
    valid = serializers.BooleanField()
    initials = serializers.CharField()
    session_date = serializers.DateField(allow_null=True)


class CertificateVerifyApi(APIView):
    """Anyone may check an orientation certificate's code: valid or not, and for whom (the
    holder's initials and the session's date only). Throttled as anonymous use is."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        request=CertificateVerifyInput,
        responses=CertificateVerifyOutput,
        operation_id="certificates_verify",
        auth=[],
        description=f"A code has {CODE_LENGTH} characters.",
    )
    def post(self, request: Request) -> Response:
        data = CertificateVerifyInput(data=request.data)
        data.is_valid(raise_exception=True)
        result = certificate_verify(data.validated_data["code"])
        return Response(CertificateVerifyOutput(result).data)


# Placements -------------------------------------------------------------------------------------


class PlacementEventOutput(serializers.Serializer):
    from_status = serializers.CharField()
    to_status = Choice(PlacementStatus)
    occurred_on = serializers.DateField()
    reason = serializers.CharField()


class ReturnOutput(serializers.Serializer):
    kind = Choice(ReturnKind)
    reason = serializers.CharField()
    returned_on = serializers.DateField()
    referred_to_reintegration = serializers.BooleanField()


class PlacementOutput(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    application = serializers.UUIDField(source="application.public_id")
    job_seeker = serializers.UUIDField(source="job_seeker.public_id")
    employer = serializers.IntegerField(source="employer_id", allow_null=True)
    agreement = serializers.IntegerField(source="agreement_id", allow_null=True)
    country = serializers.CharField(source="country_id")
    city = serializers.CharField()
    occupation = serializers.CharField(source="occupation_id")
    departure_date = serializers.DateField()
    contract_start = serializers.DateField()
    contract_end = serializers.DateField()
    pay_amount = serializers.DecimalField(max_digits=10, decimal_places=2)
    pay_currency = serializers.CharField()
    pay_period = Choice(PayPeriod)
    hours_per_week = serializers.IntegerField()
    housing_provided = serializers.BooleanField()
    housing_cost = serializers.DecimalField(max_digits=10, decimal_places=2, allow_null=True)
    deductions = serializers.CharField()
    status = Choice(PlacementStatus)
    status_since = serializers.DateField()


class PlacementDetailOutput(PlacementOutput):
    events = PlacementEventOutput(many=True, source="events.all")
    allowed_transitions = serializers.SerializerMethodField()
    homecoming = ReturnOutput(allow_null=True, source="return_or_none")

    def get_allowed_transitions(self, placement: Placement) -> list[str]:
        return [move.name for move in placement_allowed_moves(placement)]


class PlacementCreatedOutput(PlacementDetailOutput):
    warnings = serializers.ListField(child=serializers.CharField(), source="quota_warnings")


class PlacementInput(serializers.Serializer):
    application = serializers.UUIDField()
    departure_date = serializers.DateField()
    contract_start = serializers.DateField()
    contract_end = serializers.DateField()
    city = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    pay_amount = serializers.DecimalField(max_digits=10, decimal_places=2, min_value=0)
    pay_currency = serializers.CharField(min_length=3, max_length=3)
    pay_period = Choice(PayPeriod)
    hours_per_week = serializers.IntegerField(min_value=1, max_value=84)
    housing_provided = serializers.BooleanField()
    housing_cost = serializers.DecimalField(
        max_digits=10, decimal_places=2, min_value=0, required=False, allow_null=True, default=None
    )
    deductions = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


def _detail(placement: Placement) -> Placement:
    placement.return_or_none = getattr(placement, "homecoming", None)
    return placement


class PlacementListApi(APIView):
    permission_classes = MOBILITY

    @extend_schema(
        parameters=[
            OpenApiParameter("country", str, description=_("ISO 3166 code")),
            OpenApiParameter("status", str, enum=PlacementStatus.values),
        ],
        responses=PlacementOutput(many=True),
        operation_id="placements_list",
    )
    def get(self, request: Request) -> Response:
        placements = Placement.objects.visible_to(request.user).select_related(
            "application", "job_seeker"
        )
        if country := request.query_params.get("country"):
            placements = placements.filter(country_id=country.upper())
        if wanted := request.query_params.get("status"):
            placements = placements.filter(status=wanted)
        return Response(PlacementOutput(placements, many=True).data)

    @extend_schema(
        request=PlacementInput,
        responses={201: PlacementCreatedOutput},
        operation_id="placements_create",
    )
    def post(self, request: Request) -> Response:
        data = PlacementInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        application = _application(request, values.pop("application"))
        placement = placement_create(actor=request.user, application=application, **values)
        placement.quota_warnings = placement_quota_warnings(placement)
        return Response(
            PlacementCreatedOutput(_detail(placement)).data, status=status.HTTP_201_CREATED
        )


class PlacementDetailApi(APIView):
    permission_classes = MOBILITY

    @extend_schema(responses=PlacementDetailOutput, operation_id="placements_detail")
    def get(self, request: Request, public_id) -> Response:
        placement = _placement(request, public_id)
        access_record(
            actor=request.user,
            subject=placement.job_seeker,
            action=AccessAction.VIEW,
            purpose="api: placement",
        )
        return Response(PlacementDetailOutput(_detail(placement)).data)


class PlacementMoveInput(serializers.Serializer):
    transition = serializers.ChoiceField(choices=sorted(PLACEMENT_LIFECYCLE.transitions))
    occurred_on = serializers.DateField()
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class PlacementMoveApi(APIView):
    permission_classes = MOBILITY

    @extend_schema(
        request=PlacementMoveInput,
        responses=PlacementDetailOutput,
        operation_id="placements_status",
    )
    def post(self, request: Request, public_id) -> Response:
        placement = _placement(request, public_id)
        data = PlacementMoveInput(data=request.data)
        data.is_valid(raise_exception=True)
        placement = placement_move(actor=request.user, placement=placement, **data.validated_data)
        return Response(PlacementDetailOutput(_detail(placement)).data)


class ReturnInput(serializers.Serializer):
    kind = Choice(ReturnKind)
    returned_on = serializers.DateField()
    reason = serializers.ChoiceField(
        choices=EarlyReturnReason.choices, required=False, allow_blank=True, default=""
    )
    refer = serializers.BooleanField(required=False, default=False)
    organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text=_("The organisation a referral goes to; by default the caller's own."),
    )


class ReturnApi(APIView):
    permission_classes = MOBILITY

    @extend_schema(
        request=ReturnInput, responses={201: ReturnOutput}, operation_id="placements_return"
    )
    def post(self, request: Request, public_id) -> Response:
        placement = _placement(request, public_id)
        data = ReturnInput(data=request.data)
        data.is_valid(raise_exception=True)
        homecoming = return_record(actor=request.user, placement=placement, **data.validated_data)
        return Response(ReturnOutput(homecoming).data, status=status.HTTP_201_CREATED)
