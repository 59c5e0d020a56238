"""Vacancies over the API: anyone reads and searches published vacancies; employers, agencies,
embassies and the ministry write through the vacancy services, scoped as in the workspace."""

import datetime
from decimal import Decimal

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from gza.api.demand import CanSeeDemand
from gza.demand.enums import SelectionMethod, VacancyStatus, WagePeriod
from gza.demand.models import VACANCY_LIFECYCLE, Vacancy, VacancyLanguage
from gza.demand.vacancies import (
    esco_skill_code,
    esco_skills_named,
    published_vacancies,
    vacancy_creation_allowed,
    vacancy_move,
    vacancy_save,
)
from gza.partners.models import Agreement
from gza.taxonomy.models import CefrLevel, Country, EscoSkill, IscedLevel, Language, Occupation


class LanguageRequirement(serializers.Serializer):
    language = serializers.PrimaryKeyRelatedField(queryset=Language.objects.all())
    min_level = serializers.PrimaryKeyRelatedField(queryset=CefrLevel.objects.all())


class SkillOutput(serializers.Serializer):
    uri = serializers.CharField()
    code = serializers.SerializerMethodField()
    label = serializers.CharField(source="label_en")

    def get_code(self, skill: EscoSkill) -> str:
        return esco_skill_code(skill)


class PublicVacancyOutput(serializers.Serializer):
    """What anyone may read of a published vacancy: no contact person, no internal status."""

    id = serializers.IntegerField()
    title_ka = serializers.CharField()
    title_en = serializers.CharField()
    occupation = serializers.CharField(source="occupation_id")
    country = serializers.CharField(source="country_id")
    city = serializers.CharField()
    employer = serializers.CharField(source="employer.name", default=None)
    agency = serializers.CharField(source="agency.name_en", default=None)
    agreement = serializers.IntegerField(source="agreement_id", allow_null=True)
    description_ka = serializers.CharField()
    description_en = serializers.CharField()
    positions = serializers.IntegerField()
    wage_amount = serializers.DecimalField(max_digits=10, decimal_places=2)
    wage_currency = serializers.CharField()
    wage_period = serializers.ChoiceField(choices=WagePeriod.choices)
    hours_per_week = serializers.IntegerField(allow_null=True)
    contract_months = serializers.IntegerField(allow_null=True)
    start_date = serializers.DateField(allow_null=True)
    housing_provided = serializers.BooleanField()
    travel_provided = serializers.BooleanField()
    insurance_provided = serializers.BooleanField()
    experience_years = serializers.IntegerField()
    selection_method = serializers.ChoiceField(choices=SelectionMethod.choices)
    application_deadline = serializers.DateField(allow_null=True)
    languages = serializers.SerializerMethodField()
    skills = SkillOutput(many=True, source="skills.all")

    def get_languages(self, vacancy: Vacancy) -> list[dict[str, str]]:
        return [
            {"language": row.language_id, "min_level": row.min_level_id}
            for row in vacancy.languages.all()
        ]


class VacancyOutput(PublicVacancyOutput):
    status = serializers.ChoiceField(choices=VacancyStatus.choices)
    status_since = serializers.DateField()
    external_ref = serializers.CharField()


class VacancyInput(serializers.Serializer):
    employer = serializers.IntegerField(required=False, allow_null=True, default=None)
    agency = serializers.IntegerField(required=False, allow_null=True, default=None)
    country = serializers.PrimaryKeyRelatedField(queryset=Country.objects.all())
    city = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    agreement = serializers.PrimaryKeyRelatedField(
        queryset=Agreement.objects.all(), required=False, allow_null=True, default=None
    )
    occupation = serializers.PrimaryKeyRelatedField(queryset=Occupation.objects.filter(level=4))
    title_ka = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    title_en = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    description_ka = serializers.CharField(required=False, allow_blank=True, default="")
    description_en = serializers.CharField(required=False, allow_blank=True, default="")
    positions = serializers.IntegerField()
    wage_amount = serializers.DecimalField(max_digits=10, decimal_places=2)
    wage_currency = serializers.CharField(max_length=3)
    wage_period = serializers.ChoiceField(choices=WagePeriod.choices)
    hours_per_week = serializers.IntegerField(required=False, allow_null=True, default=None)
    contract_months = serializers.IntegerField(required=False, allow_null=True, default=None)
    start_date = serializers.DateField(required=False, allow_null=True, default=None)
    housing_provided = serializers.BooleanField(required=False, default=False)
    travel_provided = serializers.BooleanField(required=False, default=False)
    insurance_provided = serializers.BooleanField(required=False, default=False)
    experience_years = serializers.IntegerField(min_value=0, required=False, default=0)
    isced_level = serializers.PrimaryKeyRelatedField(
        queryset=IscedLevel.objects.all(), required=False, allow_null=True, default=None
    )
    driving_licences = serializers.CharField(required=False, allow_blank=True, default="")
    certificates = serializers.CharField(required=False, allow_blank=True, default="")
    selection_method = serializers.ChoiceField(choices=SelectionMethod.choices)
    application_deadline = serializers.DateField(required=False, allow_null=True, default=None)
    external_ref = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default=""
    )
    languages = LanguageRequirement(many=True, required=False, default=list)
    # ESCO skill URIs or codes; left out, a vacancy's skills stay as they are.
    skills = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, max_length=200
    )

    def validate_skills(self, value: list[str]) -> list[EscoSkill]:
        skills, errors = esco_skills_named(value, labels=False)
        if errors:
            raise serializers.ValidationError([str(error.messages[0]) for error in errors])
        return skills

    def vacancy(
        self, instance: Vacancy | None = None
    ) -> tuple[Vacancy, list[VacancyLanguage], list[EscoSkill] | None]:
        fields = dict(self.validated_data)
        languages = [VacancyLanguage(**row) for row in fields.pop("languages")]
        skills = fields.pop("skills", None)
        employer, agency = fields.pop("employer"), fields.pop("agency")
        vacancy = instance or Vacancy()
        for name, value in fields.items():
            setattr(vacancy, name, value)
        if instance is None:
            vacancy.employer_id, vacancy.agency_id = employer, agency
        return vacancy, languages, skills


class MoveInput(serializers.Serializer):
    transition = serializers.ChoiceField(choices=sorted(VACANCY_LIFECYCLE.transitions))
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class PublishedVacancyListApi(APIView):
    """Published vacancies open for applications, for the portal and partner systems."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        parameters=[
            OpenApiParameter("country", str, description=_("ISO 3166 code")),
            OpenApiParameter("q", str, description=_("occupation words or an ISCO-08 code")),
            OpenApiParameter("min_wage", Decimal, description=_("monthly wage at least")),
            OpenApiParameter("currency", str),
            OpenApiParameter("starts_after", datetime.date),
            OpenApiParameter("agreement", int),
            OpenApiParameter("limit", int),
            OpenApiParameter("offset", int),
        ],
        responses=PublicVacancyOutput(many=True),
        operation_id="vacancies_published",
        auth=[],
    )
    def get(self, request: Request) -> Response:
        query = PublishedQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        vacancies = published_vacancies(**query.validated_data).select_related("employer", "agency")
        vacancies = vacancies.prefetch_related("languages", "skills")
        paginator = LimitOffsetPagination()
        page = paginator.paginate_queryset(vacancies, request, view=self)
        return paginator.get_paginated_response(PublicVacancyOutput(page, many=True).data)


class PublishedQuery(serializers.Serializer):
    country = serializers.CharField(required=False, max_length=2)
    q = serializers.CharField(required=False, max_length=200, source="occupation_query")
    min_wage = serializers.DecimalField(
        required=False, max_digits=10, decimal_places=2, min_value=0
    )
    currency = serializers.CharField(required=False, max_length=3)
    starts_after = serializers.DateField(required=False)
    agreement = serializers.IntegerField(required=False, min_value=1)

    def validate_country(self, value: str) -> str:
        return value.upper()


class PublishedVacancyDetailApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        responses=PublicVacancyOutput, operation_id="vacancies_published_retrieve", auth=[]
    )
    def get(self, request: Request, pk: int) -> Response:
        vacancy = get_object_or_404(
            published_vacancies().select_related("employer", "agency"), pk=pk
        )
        return Response(PublicVacancyOutput(vacancy).data)


STAFF = [IsAuthenticated, CanSeeDemand]


class VacancyListApi(APIView):
    permission_classes = STAFF

    @extend_schema(
        parameters=[OpenApiParameter("status", str, enum=VacancyStatus.values)],
        responses=VacancyOutput(many=True),
        operation_id="vacancies_list",
    )
    def get(self, request: Request) -> Response:
        vacancies = Vacancy.objects.visible_to(request.user).select_related("employer", "agency")
        if wanted := request.query_params.get("status"):
            vacancies = vacancies.filter(status=wanted)
        vacancies = vacancies.prefetch_related("languages", "skills").order_by("-created_at", "-id")
        paginator = LimitOffsetPagination()
        page = paginator.paginate_queryset(vacancies, request, view=self)
        return paginator.get_paginated_response(VacancyOutput(page, many=True).data)

    @extend_schema(
        request=VacancyInput, responses={201: VacancyOutput}, operation_id="vacancies_create"
    )
    def post(self, request: Request) -> Response:
        if not vacancy_creation_allowed(request.user):
            raise PermissionDenied
        data = VacancyInput(data=request.data)
        data.is_valid(raise_exception=True)
        vacancy, languages, skills = data.vacancy()
        vacancy = vacancy_save(
            actor=request.user, vacancy=vacancy, languages=languages, skills=skills
        )
        return Response(VacancyOutput(vacancy).data, status=status.HTTP_201_CREATED)


def _vacancy(request: Request, pk: int) -> Vacancy:
    return get_object_or_404(Vacancy.objects.visible_to(request.user), pk=pk)


class VacancyDetailApi(APIView):
    permission_classes = STAFF

    @extend_schema(responses=VacancyOutput, operation_id="vacancies_retrieve")
    def get(self, request: Request, pk: int) -> Response:
        return Response(VacancyOutput(_vacancy(request, pk)).data)

    @extend_schema(request=VacancyInput, responses=VacancyOutput, operation_id="vacancies_update")
    def put(self, request: Request, pk: int) -> Response:
        vacancy = _vacancy(request, pk)
        if not Vacancy.objects.editable_by(request.user).filter(pk=vacancy.pk).exists():
            raise PermissionDenied
        data = VacancyInput(data=request.data)
        data.is_valid(raise_exception=True)
        vacancy, languages, skills = data.vacancy(vacancy)
        vacancy = vacancy_save(
            actor=request.user, vacancy=vacancy, languages=languages, skills=skills
        )
        return Response(VacancyOutput(vacancy).data)


class VacancyMoveApi(APIView):
    permission_classes = STAFF

    @extend_schema(request=MoveInput, responses=VacancyOutput, operation_id="vacancies_move")
    def post(self, request: Request, pk: int) -> Response:
        vacancy = _vacancy(request, pk)
        data = MoveInput(data=request.data)
        data.is_valid(raise_exception=True)
        vacancy = vacancy_move(actor=request.user, vacancy=vacancy, **data.validated_data)
        return Response(VacancyOutput(vacancy).data)
