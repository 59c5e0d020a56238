"""Demand abroad over the API: foreign employers and their vetting, licensed agencies, their
annual reports, and the public check of an agency's certification.

The same services as the workspace (rights, one transaction, the audit trail) and the same
scoping: a record outside the user's remit is a 404, a record they may read but not change a
403."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from gza.core.roles import Right, has_right
from gza.demand.enums import CertificationStatus, NaceSection, VettingStatus
from gza.demand.models import (
    CERTIFICATION,
    VETTING,
    Agency,
    AgencyReport,
    AgencyReportLine,
    ForeignEmployer,
)
from gza.demand.services import (
    agency_move,
    agency_register,
    agency_report_file,
    agency_scorecard,
    agency_status_lookup,
    employer_register,
    employer_registration_allowed,
    employer_update,
    employer_vet,
)
from gza.taxonomy.models import Country, Occupation


class CanSeeDemand(BasePermission):
    def has_permission(self, request, view) -> bool:
        return has_right(request.user, Right.DEMAND_VIEW)


STAFF = [IsAuthenticated, CanSeeDemand]


class EmployerOutput(serializers.ModelSerializer):
    class Meta:
        model = ForeignEmployer
        fields = [
            "id",
            "name",
            "country",
            "city",
            "address",
            "nace_section",
            "registration_number",
            "website",
            "contact_person",
            "contact_email",
            "contact_phone",
            "vetting_status",
            "status_since",
        ]


class EmployerInput(serializers.Serializer):
    name = serializers.CharField(max_length=300)
    country = serializers.PrimaryKeyRelatedField(queryset=Country.objects.states())
    city = serializers.CharField(max_length=100)
    address = serializers.CharField(max_length=300, required=False, allow_blank=True)
    nace_section = serializers.ChoiceField(choices=NaceSection.choices)
    registration_number = serializers.CharField(max_length=60)
    website = serializers.URLField(required=False, allow_blank=True)
    contact_person = serializers.CharField(max_length=200)
    contact_email = serializers.EmailField()
    contact_phone = serializers.CharField(max_length=40, required=False, allow_blank=True)


class VettingInput(serializers.Serializer):
    transition = serializers.ChoiceField(choices=sorted(VETTING.transitions))
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class EmployerListApi(APIView):
    permission_classes = STAFF

    @extend_schema(
        parameters=[
            OpenApiParameter("country", str, description=_("ISO 3166 code")),
            OpenApiParameter("status", str, enum=VettingStatus.values),
        ],
        responses=EmployerOutput(many=True),
        operation_id="employers_list",
    )
    def get(self, request: Request) -> Response:
        employers = ForeignEmployer.objects.visible_to(request.user)
        if country := request.query_params.get("country"):
            employers = employers.filter(country_id=country.upper())
        if wanted := request.query_params.get("status"):
            employers = employers.filter(vetting_status=wanted)
        return Response(EmployerOutput(employers.order_by("name", "id"), many=True).data)

    @extend_schema(
        request=EmployerInput,
        responses={201: EmployerOutput},
        operation_id="employers_create",
    )
    def post(self, request: Request) -> Response:
        if not employer_registration_allowed(request.user):
            raise PermissionDenied
        data = EmployerInput(data=request.data)
        data.is_valid(raise_exception=True)
        employer = employer_register(
            actor=request.user, employer=ForeignEmployer(**data.validated_data)
        )
        return Response(EmployerOutput(employer).data, status=status.HTTP_201_CREATED)


def _employer(request: Request, pk: int) -> ForeignEmployer:
    return get_object_or_404(ForeignEmployer.objects.visible_to(request.user), pk=pk)


class EmployerDetailApi(APIView):
    permission_classes = STAFF

    @extend_schema(responses=EmployerOutput, operation_id="employers_retrieve")
    def get(self, request: Request, pk: int) -> Response:
        return Response(EmployerOutput(_employer(request, pk)).data)

    @extend_schema(request=EmployerInput, responses=EmployerOutput, operation_id="employers_update")
    def put(self, request: Request, pk: int) -> Response:
        employer = _employer(request, pk)
        if not ForeignEmployer.objects.editable_by(request.user).filter(pk=pk).exists():
            raise PermissionDenied
        data = EmployerInput(data=request.data)
        data.is_valid(raise_exception=True)
        for name, value in data.validated_data.items():
            setattr(employer, name, value)
        employer = employer_update(actor=request.user, employer=employer)
        return Response(EmployerOutput(employer).data)


class EmployerVetApi(APIView):
    permission_classes = STAFF

    @extend_schema(request=VettingInput, responses=EmployerOutput, operation_id="employers_vet")
    def post(self, request: Request, pk: int) -> Response:
        employer = _employer(request, pk)
        if not ForeignEmployer.objects.vettable_by(request.user).filter(pk=pk).exists():
            raise PermissionDenied
        data = VettingInput(data=request.data)
        data.is_valid(raise_exception=True)
        employer = employer_vet(actor=request.user, employer=employer, **data.validated_data)
        return Response(EmployerOutput(employer).data)


class AgencyOutput(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = [
            "id",
            "name_ka",
            "name_en",
            "registry_number",
            "address",
            "contact_email",
            "contact_phone",
            "status",
            "status_since",
            "certified_on",
            "expires_on",
        ]


class ScorecardOutput(serializers.Serializer):
    on_time = serializers.IntegerField()
    late = serializers.IntegerField()
    missing = serializers.IntegerField()
    missing_years = serializers.ListField(child=serializers.IntegerField())
    complaints = serializers.IntegerField()
    placements = serializers.IntegerField()
    suspensions = serializers.IntegerField()


class AgencyDetailOutput(AgencyOutput):
    scorecard = serializers.SerializerMethodField()

    class Meta(AgencyOutput.Meta):
        fields = [*AgencyOutput.Meta.fields, "scorecard"]

    @extend_schema_field(ScorecardOutput)
    def get_scorecard(self, agency: Agency) -> dict:
        card = agency_scorecard(agency)
        return ScorecardOutput(
            {
                "on_time": card.on_time,
                "late": card.late,
                "missing": card.missing,
                "missing_years": card.missing_years,
                "complaints": card.complaints,
                "placements": card.placements,
                "suspensions": card.suspensions,
            }
        ).data


class AgencyInput(serializers.Serializer):
    name_ka = serializers.CharField(max_length=300)
    name_en = serializers.CharField(max_length=300)
    registry_number = serializers.CharField(max_length=11)
    address = serializers.CharField(max_length=300, required=False, allow_blank=True)
    contact_email = serializers.EmailField(required=False, allow_blank=True)
    contact_phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    applied_on = serializers.DateField(required=False)


class AgencyMoveInput(serializers.Serializer):
    transition = serializers.ChoiceField(choices=sorted(CERTIFICATION.transitions))
    occurred_on = serializers.DateField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    expires_on = serializers.DateField(required=False, allow_null=True, default=None)


class ReportLineInput(serializers.Serializer):
    country = serializers.PrimaryKeyRelatedField(queryset=Country.objects.all())
    occupation = serializers.PrimaryKeyRelatedField(queryset=Occupation.objects.filter(level=4))
    sex = serializers.ChoiceField(choices=AgencyReportLine._meta.get_field("sex").choices)
    placements = serializers.IntegerField(min_value=0)


class ReportInput(serializers.Serializer):
    year = serializers.IntegerField(min_value=2023)
    complaints_received = serializers.IntegerField(min_value=0)
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    lines = ReportLineInput(many=True)


class ReportLineOutput(serializers.Serializer):
    country = serializers.CharField(source="country_id")
    occupation = serializers.CharField(source="occupation_id")
    sex = serializers.CharField()
    placements = serializers.IntegerField()


class ReportOutput(serializers.Serializer):
    id = serializers.IntegerField()
    year = serializers.IntegerField()
    deadline = serializers.DateField()
    submitted_at = serializers.DateTimeField()
    late = serializers.BooleanField(source="is_late")
    complaints_received = serializers.IntegerField()
    lines = ReportLineOutput(many=True)


class AgencyListApi(APIView):
    permission_classes = STAFF

    @extend_schema(
        parameters=[OpenApiParameter("status", str, enum=CertificationStatus.values)],
        responses=AgencyOutput(many=True),
        operation_id="agencies_list",
    )
    def get(self, request: Request) -> Response:
        agencies = Agency.objects.visible_to(request.user)
        if wanted := request.query_params.get("status"):
            agencies = agencies.filter(status=wanted)
        return Response(AgencyOutput(agencies.order_by("name_en", "id"), many=True).data)

    @extend_schema(
        request=AgencyInput, responses={201: AgencyOutput}, operation_id="agencies_create"
    )
    def post(self, request: Request) -> Response:
        if not has_right(request.user, Right.DEMAND_MANAGE):
            raise PermissionDenied
        data = AgencyInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        applied_on = fields.pop("applied_on", None)
        agency = agency_register(actor=request.user, agency=Agency(**fields), applied_on=applied_on)
        return Response(AgencyOutput(agency).data, status=status.HTTP_201_CREATED)


def _agency(request: Request, pk: int) -> Agency:
    return get_object_or_404(Agency.objects.visible_to(request.user), pk=pk)


class AgencyDetailApi(APIView):
    permission_classes = STAFF

    @extend_schema(responses=AgencyDetailOutput, operation_id="agencies_retrieve")
    def get(self, request: Request, pk: int) -> Response:
        return Response(AgencyDetailOutput(_agency(request, pk)).data)


class AgencyMoveApi(APIView):
    permission_classes = STAFF

    @extend_schema(request=AgencyMoveInput, responses=AgencyOutput, operation_id="agencies_move")
    def post(self, request: Request, pk: int) -> Response:
        agency = _agency(request, pk)
        if not has_right(request.user, Right.DEMAND_MANAGE):
            raise PermissionDenied
        data = AgencyMoveInput(data=request.data)
        data.is_valid(raise_exception=True)
        agency = agency_move(actor=request.user, agency=agency, **data.validated_data)
        return Response(AgencyOutput(agency).data)


class AgencyReportApi(APIView):
    permission_classes = STAFF

    @extend_schema(responses=ReportOutput(many=True), operation_id="agencies_reports_list")
    def get(self, request: Request, pk: int) -> Response:
        agency = _agency(request, pk)
        reports = (
            AgencyReport.objects.visible_to(request.user)
            .filter(agency=agency)
            .prefetch_related("lines")
            .order_by("-year")
        )
        return Response(ReportOutput(reports, many=True).data)

    @extend_schema(
        request=ReportInput, responses={201: ReportOutput}, operation_id="agencies_reports_file"
    )
    def post(self, request: Request, pk: int) -> Response:
        agency = _agency(request, pk)
        data = ReportInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        lines = [AgencyReportLine(**line) for line in fields.pop("lines")]
        report = agency_report_file(actor=request.user, agency=agency, lines=lines, **fields)
        return Response(ReportOutput(report).data, status=status.HTTP_201_CREATED)


class PublicAgencyStatusOutput(serializers.Serializer):
    name_ka = serializers.CharField()
    name_en = serializers.CharField()
    registry_number = serializers.CharField()
    status = serializers.ChoiceField(choices=CertificationStatus.choices)
    status_label = serializers.CharField()
    certified_on = serializers.DateField(allow_null=True)
    expires_on = serializers.DateField(allow_null=True)


class AgencyStatusLookupApi(APIView):
    """Anyone may check whether an agency is certified: by registry number or name."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "q", str, required=True, description=_("registry number or part of the name")
            )
        ],
        responses=PublicAgencyStatusOutput(many=True),
        operation_id="agencies_status_lookup",
        auth=[],
    )
    def get(self, request: Request) -> Response:
        found = agency_status_lookup(request.query_params.get("q", ""))
        return Response(PublicAgencyStatusOutput(found, many=True).data)
