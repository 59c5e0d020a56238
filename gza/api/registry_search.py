"""Searching the registry of job seekers over the API: the workspace's search, same scope.

A POST, so a name or personal number searched for never sits in a URL or an access log line.
Results carry the personal number only for callers who may see identities
(`gza.registry.search.may_see_identity`)."""

from typing import Any

from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from gza.core.roles import Right, has_right
from gza.registry.search import MatchKind, SearchHit, job_seekers_search, may_see_identity
from gza.taxonomy.models import CefrLevel, GeorgianRegion, Language, Occupation


class CanSeeJobSeekers(BasePermission):
    def has_permission(self, request, view) -> bool:
        return has_right(request.user, Right.JOB_SEEKERS_VIEW)


class JobSeekerSearchInput(serializers.Serializer):
    q = serializers.CharField(
        max_length=100,
        required=False,
        allow_blank=True,
        default="",
        help_text="A registration number, a personal number, or names in any script.",
    )
    occupation = serializers.PrimaryKeyRelatedField(
        queryset=Occupation.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text="ISCO-08 code; a broader group takes in its unit groups.",
    )
    region = serializers.PrimaryKeyRelatedField(
        queryset=GeorgianRegion.objects.all(), required=False, allow_null=True, default=None
    )
    language = serializers.PrimaryKeyRelatedField(
        queryset=Language.objects.all(), required=False, allow_null=True, default=None
    )
    level = serializers.PrimaryKeyRelatedField(
        queryset=CefrLevel.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text="With a language: at least this CEFR level.",
    )


class JobSeekerHitOutput(serializers.Serializer):
    public_id = serializers.UUIDField(source="person.public_id")
    registration_number = serializers.CharField(source="person.registration_number")
    first_name = serializers.CharField(source="person.first_name")
    last_name = serializers.CharField(source="person.last_name")
    first_name_latin = serializers.CharField(source="person.first_name_latin")
    last_name_latin = serializers.CharField(source="person.last_name_latin")
    municipality = serializers.CharField(source="person.municipality_id")
    region = serializers.CharField(source="person.municipality.region_id")
    match = serializers.ChoiceField(
        choices=[(kind, str(label)) for kind, label in MatchKind.LABELS.items()]
    )
    personal_number = serializers.CharField(
        source="person.personal_number",
        required=False,
        help_text="Only for callers who may see identities.",
    )

    def to_representation(self, hit: SearchHit) -> dict[str, Any]:
        data = super().to_representation(hit)
        if not self.context.get("identity"):
            data.pop("personal_number", None)
        return data


class JobSeekerSearchApi(APIView):
    permission_classes = [IsAuthenticated, CanSeeJobSeekers]

    @extend_schema(
        request=JobSeekerSearchInput,
        responses=JobSeekerHitOutput(many=True),
        operation_id="job_seekers_search",
    )
    def post(self, request: Request) -> Response:
        data = JobSeekerSearchInput(data=request.data)
        data.is_valid(raise_exception=True)
        criteria = data.validated_data
        try:
            result = job_seekers_search(
                user=request.user,
                q=criteria["q"],
                occupation=criteria["occupation"].code if criteria["occupation"] else None,
                region=criteria["region"].code if criteria["region"] else None,
                language=criteria["language"].code if criteria["language"] else None,
                level=criteria["level"].code if criteria["level"] else None,
            )
        except ValidationError as error:
            raise serializers.ValidationError({"q": error.messages}) from None
        paginator = LimitOffsetPagination()
        page = paginator.paginate_queryset(result.hits, request, view=self)
        output = JobSeekerHitOutput(
            page, many=True, context={"identity": may_see_identity(request.user)}
        )
        response = paginator.get_paginated_response(output.data)
        response.data["truncated"] = result.truncated
        return response
