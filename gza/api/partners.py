"""Partner countries over the API: read what the user may see, move stages, record engagements.

The same services as the workspace; the same scoping (a 404 outside the user's remit)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from gza.core.models import Organisation
from gza.core.roles import Right, has_right
from gza.partners.assessment import assess
from gza.partners.enums import CooperationStage, EngagementKind
from gza.partners.models import COOPERATION, Engagement, PartnerCountry
from gza.partners.services import engagement_record, partner_stage_move


class CanFollowPartners(BasePermission):
    def has_permission(self, request, view) -> bool:
        return has_right(request.user, Right.PARTNERS_VIEW)


class PartnerOutput(serializers.Serializer):
    country = serializers.CharField(source="country_id")
    name_ka = serializers.CharField(source="country.name_ka")
    name_en = serializers.CharField(source="country.name_en")
    stage = serializers.ChoiceField(choices=CooperationStage.choices)
    stage_since = serializers.DateField()


class StageChangeOutput(serializers.Serializer):
    transition = serializers.CharField()
    from_stage = serializers.CharField()
    to_stage = serializers.CharField()
    occurred_on = serializers.DateField()
    reason = serializers.CharField()
    source_document = serializers.CharField()


class AgreementOutput(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    title_ka = serializers.CharField()
    title_en = serializers.CharField()
    status = serializers.CharField()
    signed_on = serializers.DateField(allow_null=True)
    in_force_on = serializers.DateField(allow_null=True)


class EngagementOutput(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=EngagementKind.choices)
    occurred_on = serializers.DateField()
    place = serializers.CharField()
    summary_ka = serializers.CharField()
    summary_en = serializers.CharField()


class PartnerDetailOutput(PartnerOutput):
    assessment_score = serializers.SerializerMethodField()
    stage_changes = StageChangeOutput(many=True)
    agreements = AgreementOutput(many=True)
    engagements = EngagementOutput(many=True)

    def get_assessment_score(self, partner: PartnerCountry) -> float | None:
        score = assess(partner).score
        return float(score) if score is not None else None


def _visible(request: Request, code: str) -> PartnerCountry:
    return get_object_or_404(
        PartnerCountry.objects.visible_to(request.user).select_related("country"),
        country_id=code.upper(),
    )


class PartnerListApi(APIView):
    permission_classes = [IsAuthenticated, CanFollowPartners]

    @extend_schema(responses=PartnerOutput(many=True), operation_id="partners_list")
    def get(self, request: Request) -> Response:
        partners = PartnerCountry.objects.visible_to(request.user).select_related("country")
        return Response(PartnerOutput(partners, many=True).data)


class PartnerDetailApi(APIView):
    permission_classes = [IsAuthenticated, CanFollowPartners]

    @extend_schema(responses=PartnerDetailOutput, operation_id="partners_retrieve")
    def get(self, request: Request, code: str) -> Response:
        partner = _visible(request, code)
        return Response(PartnerDetailOutput(partner).data)


class StageMoveInput(serializers.Serializer):
    transition = serializers.ChoiceField(choices=sorted(COOPERATION.transitions))
    occurred_on = serializers.DateField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    source_document = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=300
    )


class PartnerStageMoveApi(APIView):
    permission_classes = [IsAuthenticated, CanFollowPartners]

    @extend_schema(
        request=StageMoveInput, responses=PartnerOutput, operation_id="partners_stage_move"
    )
    def post(self, request: Request, code: str) -> Response:
        partner = _visible(request, code)
        data = StageMoveInput(data=request.data)
        data.is_valid(raise_exception=True)
        partner = partner_stage_move(actor=request.user, partner=partner, **data.validated_data)
        return Response(PartnerOutput(partner).data)


class EngagementInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=EngagementKind.choices)
    occurred_on = serializers.DateField()
    place = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    summary_ka = serializers.CharField()
    summary_en = serializers.CharField(required=False, allow_blank=True, default="")
    outcomes_ka = serializers.CharField(required=False, allow_blank=True, default="")
    outcomes_en = serializers.CharField(required=False, allow_blank=True, default="")
    organisations = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.active(), many=True, required=False, default=list
    )


class EngagementCreateApi(APIView):
    permission_classes = [IsAuthenticated, CanFollowPartners]

    @extend_schema(
        request=EngagementInput,
        responses={201: EngagementOutput},
        operation_id="partners_engagements_create",
    )
    def post(self, request: Request, code: str) -> Response:
        partner = _visible(request, code)
        data = EngagementInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        organisations = fields.pop("organisations")
        engagement = engagement_record(
            actor=request.user,
            engagement=Engagement(partner=partner, **fields),
            organisations=organisations,
        )
        return Response(EngagementOutput(engagement).data, status=status.HTTP_201_CREATED)
