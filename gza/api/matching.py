"""Matching over the API: shortlists (run, read, review), one pair's explained score, a job
seeker's own recommendations, and the matching weights per scheme.

The same services, rights and scoping as the workspace (gza/web/workspace/matching.py):
MATCHING_RUN to run, read and review runs and scores, MATCHING_WEIGHTS for the weights;
vacancies through `Vacancy.objects.visible_to`, people through `JobSeeker.objects.visible_to`
(outside scope is a 404, and a run lists only the people the caller sees). Every response
that shows a person's score writes the access log."""

from typing import Any

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from gza.api.partner_records import Choice
from gza.core.audit import access_record, access_record_many
from gza.core.enums import AccessAction, Role
from gza.core.roles import Right, has_right
from gza.demand.models import Vacancy
from gza.matching import engine
from gza.matching.enums import Component, Direction, EntryDecision, RunStatus, RunTrigger
from gza.matching.models import DEFAULT_WEIGHTS, MAX_WEIGHT, MatchRun, MatchRunEntry
from gza.matching.runs import (
    MAX_LIMIT,
    REASON_MAX,
    SHORTLIST_LIMIT,
    entry_components,
    entry_flags,
    live_components,
    recommendations_for,
    review_run,
    run_shortlist,
    run_visible_to,
    set_weights,
    weights_row,
)
from gza.partners.models import Agreement
from gza.registry.models import JobSeeker


class CanRunMatching(BasePermission):
    def has_permission(self, request, view) -> bool:
        return has_right(request.user, Right.MATCHING_RUN)


class CanSetWeights(BasePermission):
    def has_permission(self, request, view) -> bool:
        return has_right(request.user, Right.MATCHING_WEIGHTS)


MATCHING = [IsAuthenticated, CanRunMatching]
WEIGHTS = [IsAuthenticated, CanSetWeights]


# Output ------------------------------------------------------------------------------------------


class ScoreComponentOutput(serializers.Serializer):
    name = Choice(Component)
    label = serializers.CharField()
    value = serializers.IntegerField(min_value=0, max_value=100)
    weight = serializers.IntegerField(min_value=0, max_value=MAX_WEIGHT)
    detail = serializers.CharField()


class ShortlistedPersonOutput(serializers.Serializer):
    public_id = serializers.UUIDField()
    registration_number = serializers.CharField()
    name = serializers.CharField(source="display_name")


class MatchEntryOutput(serializers.Serializer):
    id = serializers.IntegerField()
    rank = serializers.IntegerField()
    job_seeker = ShortlistedPersonOutput()
    vacancy = serializers.IntegerField(source="vacancy_id")
    score = serializers.DecimalField(max_digits=5, decimal_places=2)
    components = serializers.SerializerMethodField()
    flags = serializers.SerializerMethodField()
    decision = Choice(EntryDecision)
    decision_reason = serializers.CharField()

    @extend_schema_field(ScoreComponentOutput(many=True))
    def get_components(self, entry: MatchRunEntry) -> list[dict]:
        return ScoreComponentOutput(entry_components(entry), many=True).data

    def get_flags(self, entry: MatchRunEntry) -> list[str]:
        return entry_flags(entry)


class MatchRunOutput(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    direction = Choice(Direction)
    vacancy = serializers.IntegerField(source="vacancy_id", allow_null=True)
    job_seeker = serializers.UUIDField(source="job_seeker.public_id", allow_null=True)
    trigger = Choice(RunTrigger)
    status = Choice(RunStatus)
    requested_by = serializers.CharField(source="requested_by.full_name", allow_null=True)
    created_at = serializers.DateTimeField()
    parameters = serializers.JSONField()
    considered = serializers.IntegerField()
    passed_filters = serializers.IntegerField()
    reviewed_by = serializers.CharField(source="reviewed_by.full_name", allow_null=True)
    reviewed_at = serializers.DateTimeField(allow_null=True)
    review_note = serializers.CharField()
    hidden_entries = serializers.IntegerField(
        help_text=_("Lines of the run about people outside the caller's remit, not shown.")
    )
    entries = MatchEntryOutput(many=True, source="entries_shown")


class MatchRunSummaryOutput(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    trigger = Choice(RunTrigger)
    status = Choice(RunStatus)
    created_at = serializers.DateTimeField()
    reviewed_at = serializers.DateTimeField(allow_null=True)


def _run_data(request: Request, run: MatchRun) -> dict[str, Any]:
    """The run with the lines the caller may see, and the access log written for them."""
    entries = list(
        run.entries.filter(job_seeker__in=JobSeeker.objects.visible_to(request.user))
        .select_related("job_seeker")
        .order_by("rank")
    )
    access_record_many(
        actor=request.user,
        subjects=[entry.job_seeker for entry in entries]
        if run.direction == Direction.SHORTLIST
        else [run.job_seeker],
        action=AccessAction.VIEW,
        purpose="api: shortlist" if run.direction == Direction.SHORTLIST else "api",
    )
    run.hidden_entries = run.entries.count() - len(entries)
    run.entries_shown = entries
    return MatchRunOutput(run).data


# Shortlists --------------------------------------------------------------------------------------


class ShortlistInput(serializers.Serializer):
    limit = serializers.IntegerField(
        min_value=1, max_value=MAX_LIMIT, required=False, default=SHORTLIST_LIMIT
    )


class VacancyShortlistsApi(APIView):
    permission_classes = MATCHING

    @extend_schema(responses=MatchRunSummaryOutput(many=True), operation_id="vacancies_shortlists")
    def get(self, request: Request, pk: int) -> Response:
        vacancy = get_object_or_404(Vacancy.objects.visible_to(request.user), pk=pk)
        runs = MatchRun.objects.filter(direction=Direction.SHORTLIST, vacancy=vacancy)
        return Response(MatchRunSummaryOutput(runs, many=True).data)

    @extend_schema(
        request=ShortlistInput,
        responses={201: MatchRunOutput},
        operation_id="vacancies_shortlists_create",
    )
    def post(self, request: Request, pk: int) -> Response:
        vacancy = get_object_or_404(Vacancy.objects.visible_to(request.user), pk=pk)
        data = ShortlistInput(data=request.data)
        data.is_valid(raise_exception=True)
        run = run_shortlist(
            vacancy,
            actor=request.user,
            trigger=RunTrigger.API,
            limit=data.validated_data["limit"],
        )
        return Response(
            _run_data(request, _scoped_run(request, run.public_id)), status=status.HTTP_201_CREATED
        )


def _scoped_run(request: Request, public_id) -> MatchRun:
    return run_visible_to(
        request.user,
        public_id,
        MatchRun.objects.select_related("requested_by", "reviewed_by", "job_seeker"),
    )


class MatchRunApi(APIView):
    permission_classes = MATCHING

    @extend_schema(responses=MatchRunOutput, operation_id="match_runs_retrieve")
    def get(self, request: Request, public_id: str) -> Response:
        return Response(_run_data(request, _scoped_run(request, public_id)))


class MatchDecisionInput(serializers.Serializer):
    entry = serializers.IntegerField()
    decision = serializers.ChoiceField(choices=[EntryDecision.KEPT, EntryDecision.EXCLUDED])
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=REASON_MAX
    )


class MatchReviewInput(serializers.Serializer):
    decisions = MatchDecisionInput(many=True, max_length=MAX_LIMIT)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class MatchRunReviewApi(APIView):
    permission_classes = MATCHING

    @extend_schema(
        request=MatchReviewInput, responses=MatchRunOutput, operation_id="match_runs_review"
    )
    def post(self, request: Request, public_id: str) -> Response:
        run = _scoped_run(request, public_id)
        data = MatchReviewInput(data=request.data)
        data.is_valid(raise_exception=True)
        decisions = {
            row["entry"]: (row["decision"], row["reason"])
            for row in data.validated_data["decisions"]
        }
        review_run(run, actor=request.user, decisions=decisions, note=data.validated_data["note"])
        return Response(_run_data(request, _scoped_run(request, public_id)))


# One pair ----------------------------------------------------------------------------------------


class ScoreQuery(serializers.Serializer):
    vacancy = serializers.IntegerField(min_value=1)
    job_seeker = serializers.UUIDField()


class ScoreOutput(serializers.Serializer):
    vacancy = serializers.IntegerField()
    job_seeker = serializers.UUIDField()
    passes_hard_filters = serializers.BooleanField()
    hard_filter_failures = serializers.ListField(child=serializers.CharField())
    total = serializers.DecimalField(max_digits=5, decimal_places=2)
    components = ScoreComponentOutput(many=True)
    flags = serializers.ListField(child=serializers.CharField())


class MatchScoreApi(APIView):
    """One person's score for one vacancy, explained, with the hard conditions they fail (a
    person who fails one would not be on the shortlist). Logged as a view of the person."""

    permission_classes = MATCHING

    @extend_schema(
        parameters=[
            OpenApiParameter("vacancy", int, required=True),
            OpenApiParameter("job_seeker", str, required=True, description=_("public id")),
        ],
        responses=ScoreOutput,
        operation_id="match_score",
    )
    def get(self, request: Request) -> Response:
        query = ScoreQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        vacancy = get_object_or_404(
            Vacancy.objects.visible_to(request.user), pk=query.validated_data["vacancy"]
        )
        person = get_object_or_404(
            JobSeeker.objects.visible_to(request.user),
            public_id=query.validated_data["job_seeker"],
        )
        scored, failures = engine.explain(person, vacancy)
        access_record(
            actor=request.user, subject=person, action=AccessAction.VIEW, purpose="api: score"
        )
        return Response(
            ScoreOutput(
                {
                    "vacancy": vacancy.pk,
                    "job_seeker": person.public_id,
                    "passes_hard_filters": not failures,
                    "hard_filter_failures": [str(failure) for failure in failures],
                    "total": scored.total,
                    "components": live_components(scored),
                    "flags": [str(flag) for flag in scored.flags],
                }
            ).data
        )


# The job seeker's own recommendations -------------------------------------------------------------


class RecommendationOutput(serializers.Serializer):
    vacancy = serializers.IntegerField(source="vacancy.pk")
    title = serializers.CharField(source="vacancy.title")
    country = serializers.CharField(source="vacancy.country_id")
    city = serializers.CharField(source="vacancy.city")
    total = serializers.DecimalField(max_digits=5, decimal_places=2)
    reasons = serializers.ListField(
        child=serializers.CharField(),
        help_text=_("The components that raised the score most, in plain words."),
    )
    components = ScoreComponentOutput(many=True)


class MyRecommendationsApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=RecommendationOutput(many=True), operation_id="me_recommendations")
    def get(self, request: Request) -> Response:
        if request.user.role != Role.JOB_SEEKER:
            raise PermissionDenied
        person = get_object_or_404(JobSeeker.objects.visible_to(request.user).active())
        access_record(
            actor=request.user,
            subject=person,
            action=AccessAction.VIEW,
            purpose="self: recommendations",
        )
        return Response(RecommendationOutput(recommendations_for(person), many=True).data)


# Weights ---------------------------------------------------------------------------------------


class MatchWeightsValues(serializers.Serializer):
    occupation = serializers.IntegerField()
    skills = serializers.IntegerField()
    languages = serializers.IntegerField()
    experience = serializers.IntegerField()
    education = serializers.IntegerField()
    availability = serializers.IntegerField()
    country = serializers.IntegerField()


class MatchWeightsOutput(serializers.Serializer):
    agreement = serializers.IntegerField(allow_null=True)
    source = serializers.ChoiceField(
        choices=["scheme", "national", "built_in"],
        help_text=_(
            "Where the weights in use come from: the scheme's own, the national default, or "
            "the built-in default when none is set."
        ),
    )
    weights = MatchWeightsValues()
    updated_at = serializers.DateTimeField(allow_null=True)
    updated_by = serializers.CharField(allow_null=True)


def _weights_data(agreement: Agreement | None) -> dict[str, Any]:
    row = weights_row(agreement)
    source = "scheme" if agreement is not None else "national"
    if row is None and agreement is not None:
        row = weights_row(None)
        source = "national"
    if row is None:
        return {
            "agreement": getattr(agreement, "pk", None),
            "source": "built_in",
            "weights": dict(DEFAULT_WEIGHTS),
            "updated_at": None,
            "updated_by": None,
        }
    return {
        "agreement": getattr(agreement, "pk", None),
        "source": source,
        "weights": row.as_dict(),
        "updated_at": row.updated_at,
        "updated_by": row.updated_by.full_name if row.updated_by_id else None,
    }


class _WeightsApi(APIView):
    permission_classes = WEIGHTS

    def _agreement(self, agreement_pk: int | None) -> Agreement | None:
        if agreement_pk is None:
            return None
        return get_object_or_404(Agreement, pk=agreement_pk)

    def _get(self, agreement_pk: int | None) -> Response:
        return Response(MatchWeightsOutput(_weights_data(self._agreement(agreement_pk))).data)

    def _put(self, request: Request, agreement_pk: int | None) -> Response:
        agreement = self._agreement(agreement_pk)
        data = MatchWeightsValues(data=request.data)
        data.is_valid(raise_exception=True)
        set_weights(agreement, data.validated_data, actor=request.user)
        return Response(MatchWeightsOutput(_weights_data(agreement)).data)


class NationalWeightsApi(_WeightsApi):
    @extend_schema(responses=MatchWeightsOutput, operation_id="matching_weights_national")
    def get(self, request: Request) -> Response:
        return self._get(None)

    @extend_schema(
        request=MatchWeightsValues,
        responses=MatchWeightsOutput,
        operation_id="matching_weights_national_set",
    )
    def put(self, request: Request) -> Response:
        return self._put(request, None)


class SchemeWeightsApi(_WeightsApi):
    @extend_schema(responses=MatchWeightsOutput, operation_id="matching_weights_scheme")
    def get(self, request: Request, agreement_pk: int) -> Response:
        return self._get(agreement_pk)

    @extend_schema(
        request=MatchWeightsValues,
        responses=MatchWeightsOutput,
        operation_id="matching_weights_scheme_set",
    )
    def put(self, request: Request, agreement_pk: int) -> Response:
        return self._put(request, agreement_pk)
