"""Consent and the eligibility check over the API.

- /v1/me/consents/: the signed-in job seeker's own consents (GET), give or withdraw (POST).
- /v1/job-seekers/<public_id>/consents/: the same for an officer, scoped like the workspace
  (`JobSeeker.objects.visible_to`: outside the remit is a 404); reading needs
  JOB_SEEKERS_VIEW and is logged, recording a consent given at a service centre needs
  JOB_SEEKERS_MANAGE.
- /v1/eligibility/check/: a job seeker checks themself against a published vacancy; an officer
  checks a person in their remit against a vacancy they can see (logged).
"""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from gza.core.audit import access_record
from gza.core.enums import AccessAction, Role
from gza.core.roles import Right, has_right
from gza.demand.models import Vacancy
from gza.demand.vacancies import published_vacancies
from gza.registry.consent import consent_give, consent_states, consent_withdraw
from gza.registry.eligibility import RuleResult, check, summary
from gza.registry.enums import ConsentPurpose
from gza.registry.models import JobSeeker

GIVE = "give"
WITHDRAW = "withdraw"


class ConsentOutput(serializers.Serializer):
    purpose = serializers.ChoiceField(choices=ConsentPurpose.choices)
    label = serializers.CharField()
    given = serializers.BooleanField(source="is_given")
    given_at = serializers.DateTimeField(source="standing.given_at", allow_null=True)
    version = serializers.IntegerField(source="standing.text.version", allow_null=True)
    current_version = serializers.IntegerField(source="text.version", allow_null=True)
    withdrawn_at = serializers.DateTimeField(source="last_withdrawn.withdrawn_at", allow_null=True)


class ConsentInput(serializers.Serializer):
    purpose = serializers.ChoiceField(choices=ConsentPurpose.choices)
    action = serializers.ChoiceField(choices=[GIVE, WITHDRAW])


def _states(person: JobSeeker) -> list[dict]:
    # A purpose with no standing or withdrawn consent gives nulls: DRF stops a dotted source
    # at None.
    return ConsentOutput(consent_states(person), many=True).data


def _apply(request: Request, person: JobSeeker) -> None:
    data = ConsentInput(data=request.data)
    data.is_valid(raise_exception=True)
    service = consent_give if data.validated_data["action"] == GIVE else consent_withdraw
    service(person=person, purpose=data.validated_data["purpose"], actor=request.user)


def _own_record(request: Request) -> JobSeeker:
    if request.user.role != Role.JOB_SEEKER:
        raise PermissionDenied
    return get_object_or_404(JobSeeker.objects.visible_to(request.user).active())


class MyConsentsApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=ConsentOutput(many=True), operation_id="me_consents_list")
    def get(self, request: Request) -> Response:
        return Response(_states(_own_record(request)))

    @extend_schema(
        request=ConsentInput, responses=ConsentOutput(many=True), operation_id="me_consents_set"
    )
    def post(self, request: Request) -> Response:
        person = _own_record(request)
        _apply(request, person)
        return Response(_states(person))


def _person_for_officer(request: Request, public_id: str) -> JobSeeker:
    if not has_right(request.user, Right.JOB_SEEKERS_VIEW):
        raise PermissionDenied
    return get_object_or_404(JobSeeker.objects.visible_to(request.user), public_id=public_id)


class JobSeekerConsentsApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=ConsentOutput(many=True), operation_id="job_seekers_consents_list")
    def get(self, request: Request, public_id: str) -> Response:
        person = _person_for_officer(request, public_id)
        access_record(actor=request.user, subject=person, action=AccessAction.VIEW, purpose="api")
        return Response(_states(person))

    @extend_schema(
        request=ConsentInput,
        responses=ConsentOutput(many=True),
        operation_id="job_seekers_consents_set",
    )
    def post(self, request: Request, public_id: str) -> Response:
        person = _person_for_officer(request, public_id)
        if not has_right(request.user, Right.JOB_SEEKERS_MANAGE):
            raise PermissionDenied
        _apply(request, person)
        return Response(_states(person))


class EligibilityCheckInput(serializers.Serializer):
    vacancy = serializers.IntegerField()
    job_seeker = serializers.UUIDField(required=False, help_text="Officers only: public_id.")


class RuleResultOutput(serializers.Serializer):
    kind = serializers.CharField(source="rule.kind")
    rule = serializers.CharField(source="rule.describe")
    source = serializers.CharField()
    outcome = serializers.CharField()
    message = serializers.CharField()


class EligibilityCheckOutput(serializers.Serializer):
    vacancy = serializers.IntegerField()
    outcome = serializers.CharField()
    results = RuleResultOutput(many=True)


class EligibilityCheckApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=EligibilityCheckInput,
        responses=EligibilityCheckOutput,
        operation_id="eligibility_check",
    )
    def post(self, request: Request) -> Response:
        data = EligibilityCheckInput(data=request.data)
        data.is_valid(raise_exception=True)
        public_id = data.validated_data.get("job_seeker")
        if request.user.role == Role.JOB_SEEKER:
            person = _own_record(request)
            if public_id and public_id != person.public_id:
                raise PermissionDenied
            vacancies = published_vacancies()
            purpose = "self: eligibility"
        else:
            if public_id is None:
                raise PermissionDenied
            person = _person_for_officer(request, public_id)
            vacancies = Vacancy.objects.visible_to(request.user).select_related("occupation")
            purpose = "eligibility"
        vacancy = get_object_or_404(vacancies, pk=data.validated_data["vacancy"])
        results: list[RuleResult] = check(person, vacancy)
        access_record(actor=request.user, subject=person, action=AccessAction.VIEW, purpose=purpose)
        return Response(
            EligibilityCheckOutput(
                {"vacancy": vacancy.pk, "outcome": summary(results), "results": results}
            ).data
        )
