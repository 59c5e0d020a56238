"""Labour-market studies over the API: a study, its in-demand occupations with their language
requirements, and the Georgian supply gap (counts only, never a person).

The same services and scoping as the workspace (`gza/demand/studies.py`): a study outside the
user's remit is a 404, a study they may read but not change a 403. Domain rules (unknown ISCO-08
unit groups, CEFR levels outside A1–C2, demand below 1, a reversed wage range) are checked by the
services, so the API, the workspace and the import give the same bilingual messages."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from gza.core.models import Organisation
from gza.core.roles import Right, has_right
from gza.demand.enums import WagePeriod
from gza.demand.models import InDemandOccupation, LabourMarketStudy
from gza.demand.studies import (
    in_demand_remove,
    in_demand_save,
    studies_editable_by,
    studies_visible_to,
    study_creation_allowed,
    study_save,
    study_supply_gap,
)
from gza.taxonomy.models import Country


class CanSeeStudies(BasePermission):
    def has_permission(self, request, view) -> bool:
        return has_right(request.user, Right.STUDIES_VIEW)


READERS = [IsAuthenticated, CanSeeStudies]


class InDemandLanguageOutput(serializers.Serializer):
    language = serializers.CharField(source="language_id")
    min_level = serializers.CharField(source="min_level_id")


class InDemandOutput(serializers.Serializer):
    id = serializers.IntegerField()
    study = serializers.IntegerField(source="study_id")
    occupation = serializers.CharField(source="occupation_id")
    estimated_demand = serializers.IntegerField()
    wage_min = serializers.DecimalField(max_digits=10, decimal_places=2, allow_null=True)
    wage_max = serializers.DecimalField(max_digits=10, decimal_places=2, allow_null=True)
    wage_currency = serializers.CharField()
    wage_period = serializers.ChoiceField(choices=WagePeriod.choices, allow_blank=True)
    qualifications = serializers.CharField()
    licences = serializers.CharField()
    external_ref = serializers.CharField()
    languages = InDemandLanguageOutput(many=True)


class StudyOutput(serializers.ModelSerializer):
    class Meta:
        model = LabourMarketStudy
        fields = [
            "id",
            "country",
            "title_ka",
            "title_en",
            "period_start",
            "period_end",
            "method",
            "sources",
            "findings_ka",
            "findings_en",
            "author_organisation",
            "created_at",
            "updated_at",
        ]


class StudyDetailOutput(StudyOutput):
    in_demand_occupations = InDemandOutput(many=True)

    class Meta(StudyOutput.Meta):
        fields = [*StudyOutput.Meta.fields, "in_demand_occupations"]


class StudyInput(serializers.Serializer):
    country = serializers.PrimaryKeyRelatedField(queryset=Country.objects.all())
    title_ka = serializers.CharField(max_length=300)
    title_en = serializers.CharField(max_length=300)
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    method = serializers.CharField(required=False, allow_blank=True, default="")
    sources = serializers.CharField(required=False, allow_blank=True, default="")
    findings_ka = serializers.CharField(required=False, allow_blank=True, default="")
    findings_en = serializers.CharField(required=False, allow_blank=True, default="")
    # No default: an update that leaves the author out keeps it (a caseworker's study is their
    # organisation's, set by the service).
    author_organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.active(),
        required=False,
        allow_null=True,
        help_text=_("The organisation that carried out the study; kept as it is when left out."),
    )


class InDemandLanguageInput(serializers.Serializer):
    # Codes as text: the service names an unknown language or CEFR level in its own words.
    language = serializers.CharField(max_length=10, help_text=_("ISO 639-1 code"))
    min_level = serializers.CharField(max_length=10, help_text=_("CEFR level, A1 to C2"))


class InDemandInput(serializers.Serializer):
    occupation = serializers.CharField(max_length=10, help_text=_("ISCO-08 unit group code"))
    estimated_demand = serializers.IntegerField(help_text=_("workers, at least 1"))
    wage_min = serializers.DecimalField(
        max_digits=10, decimal_places=2, required=False, allow_null=True, default=None
    )
    wage_max = serializers.DecimalField(
        max_digits=10, decimal_places=2, required=False, allow_null=True, default=None
    )
    wage_currency = serializers.CharField(
        max_length=3, required=False, allow_blank=True, default=""
    )
    wage_period = serializers.ChoiceField(
        choices=WagePeriod.choices, required=False, allow_blank=True, default=""
    )
    qualifications = serializers.CharField(required=False, allow_blank=True, default="")
    licences = serializers.CharField(required=False, allow_blank=True, default="")
    external_ref = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default=""
    )
    languages = InDemandLanguageInput(
        many=True,
        required=False,
        default=list,
        help_text=_("The full list of language requirements: it replaces the old one."),
    )

    def arguments(self) -> dict:
        """The validated data as `in_demand_save` takes it."""
        fields = dict(self.validated_data)
        fields["languages"] = [(row["language"], row["min_level"]) for row in fields["languages"]]
        return fields


class RegionSupplyOutput(serializers.Serializer):
    region = serializers.CharField(source="region.code")
    name_ka = serializers.CharField(source="region.name_ka")
    name_en = serializers.CharField(source="region.name_en")
    seekers = serializers.IntegerField()
    qualified = serializers.IntegerField()


class SupplyGapRowOutput(serializers.Serializer):
    in_demand = serializers.IntegerField(source="in_demand.pk")
    occupation = serializers.CharField(source="in_demand.occupation_id")
    title_ka = serializers.CharField(source="in_demand.occupation.title_ka")
    title_en = serializers.CharField(source="in_demand.occupation.title_en")
    languages = InDemandLanguageOutput(source="in_demand.languages", many=True)
    demand = serializers.IntegerField()
    seekers = serializers.IntegerField(help_text=_("registered job seekers seeking it"))
    qualified = serializers.IntegerField(help_text=_("of them, those meeting every language"))
    gap = serializers.IntegerField()
    surplus = serializers.IntegerField()
    language_trainable = serializers.IntegerField()
    training_needed = serializers.BooleanField()
    by_region = RegionSupplyOutput(many=True)


class SupplyGapTotals(serializers.Serializer):
    demand = serializers.IntegerField()
    gap = serializers.IntegerField()
    surplus = serializers.IntegerField()


class SupplyGapOutput(serializers.Serializer):
    study = serializers.IntegerField()
    rows = SupplyGapRowOutput(many=True)
    totals = SupplyGapTotals()


def _study(request: Request, pk: int) -> LabourMarketStudy:
    return get_object_or_404(studies_visible_to(request.user), pk=pk)


def _study_with_list(request: Request, pk: int) -> LabourMarketStudy:
    rows = InDemandOccupation.objects.prefetch_related("languages").order_by("occupation_id")
    return get_object_or_404(
        studies_visible_to(request.user).prefetch_related(
            Prefetch("in_demand_occupations", queryset=rows)
        ),
        pk=pk,
    )


def _check_editable(request: Request, study: LabourMarketStudy) -> None:
    if not studies_editable_by(request.user).filter(pk=study.pk).exists():
        raise PermissionDenied


class StudyListApi(APIView):
    permission_classes = READERS

    @extend_schema(
        parameters=[OpenApiParameter("country", str, description=_("ISO 3166 code"))],
        responses=StudyOutput(many=True),
        operation_id="studies_list",
    )
    def get(self, request: Request) -> Response:
        studies = studies_visible_to(request.user)
        if country := request.query_params.get("country"):
            studies = studies.filter(country_id=country.upper())
        return Response(StudyOutput(studies.order_by("-period_end", "id"), many=True).data)

    @extend_schema(
        request=StudyInput, responses={201: StudyDetailOutput}, operation_id="studies_create"
    )
    def post(self, request: Request) -> Response:
        if not study_creation_allowed(request.user):
            raise PermissionDenied
        data = StudyInput(data=request.data)
        data.is_valid(raise_exception=True)
        study = study_save(actor=request.user, study=LabourMarketStudy(**data.validated_data))
        return Response(
            StudyDetailOutput(_study_with_list(request, study.pk)).data,
            status=status.HTTP_201_CREATED,
        )


class StudyDetailApi(APIView):
    permission_classes = READERS

    @extend_schema(responses=StudyDetailOutput, operation_id="studies_retrieve")
    def get(self, request: Request, pk: int) -> Response:
        return Response(StudyDetailOutput(_study_with_list(request, pk)).data)

    @extend_schema(request=StudyInput, responses=StudyDetailOutput, operation_id="studies_update")
    def put(self, request: Request, pk: int) -> Response:
        study = _study(request, pk)
        _check_editable(request, study)
        data = StudyInput(data=request.data)
        data.is_valid(raise_exception=True)
        for name, value in data.validated_data.items():
            setattr(study, name, value)
        study_save(actor=request.user, study=study)
        return Response(StudyDetailOutput(_study_with_list(request, pk)).data)


class InDemandCreateApi(APIView):
    """Add an occupation to a study's list. A row whose external reference the study already
    holds is updated instead (an import run again): 200 rather than 201."""

    permission_classes = READERS

    @extend_schema(
        request=InDemandInput,
        responses={201: InDemandOutput, 200: InDemandOutput},
        operation_id="studies_occupations_add",
    )
    def post(self, request: Request, pk: int) -> Response:
        study = _study(request, pk)
        _check_editable(request, study)
        data = InDemandInput(data=request.data)
        data.is_valid(raise_exception=True)
        arguments = data.arguments()
        reference = arguments["external_ref"].strip()
        known = bool(reference) and (
            study.in_demand_occupations.filter(external_ref=reference).exists()
        )
        row = in_demand_save(actor=request.user, study=study, **arguments)
        return Response(
            InDemandOutput(row).data,
            status=status.HTTP_200_OK if known else status.HTTP_201_CREATED,
        )


def _in_demand(request: Request, pk: int) -> InDemandOccupation:
    return get_object_or_404(
        InDemandOccupation.objects.filter(study__in=studies_visible_to(request.user))
        .select_related("study")
        .prefetch_related("languages"),
        pk=pk,
    )


class InDemandDetailApi(APIView):
    permission_classes = READERS

    @extend_schema(responses=InDemandOutput, operation_id="study_occupations_retrieve")
    def get(self, request: Request, pk: int) -> Response:
        return Response(InDemandOutput(_in_demand(request, pk)).data)

    @extend_schema(
        request=InDemandInput, responses=InDemandOutput, operation_id="study_occupations_update"
    )
    def put(self, request: Request, pk: int) -> Response:
        row = _in_demand(request, pk)
        _check_editable(request, row.study)
        data = InDemandInput(data=request.data)
        data.is_valid(raise_exception=True)
        row = in_demand_save(actor=request.user, study=row.study, in_demand=row, **data.arguments())
        return Response(InDemandOutput(row).data)

    @extend_schema(responses={204: None}, operation_id="study_occupations_remove")
    def delete(self, request: Request, pk: int) -> Response:
        row = _in_demand(request, pk)
        _check_editable(request, row.study)
        in_demand_remove(actor=request.user, in_demand=row)
        return Response(status=status.HTTP_204_NO_CONTENT)


class SupplyGapApi(APIView):
    """For each in-demand occupation: registered job seekers seeking it, by region of Georgia
    and by whether they meet its language requirements, and the gap to the study's demand.
    Aggregate counts only; the cost does not grow with the list (docs/decisions/0012)."""

    permission_classes = READERS

    @extend_schema(responses=SupplyGapOutput, operation_id="studies_supply_gap")
    def get(self, request: Request, pk: int) -> Response:
        study = _study(request, pk)
        rows = study_supply_gap(study)
        return Response(
            SupplyGapOutput(
                {
                    "study": study.pk,
                    "rows": rows,
                    # No total of seekers: a person seeking two listed occupations counts twice.
                    "totals": {
                        "demand": sum(row.demand for row in rows),
                        "gap": sum(row.gap for row in rows),
                        "surplus": sum(row.surplus for row in rows),
                    },
                }
            ).data
        )
