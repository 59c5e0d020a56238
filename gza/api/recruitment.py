"""Applications and selection over the API: a vacancy's applications, one application, starting
one from a reviewed shortlist, moving it; selection rounds drawn, read and published; the public
lottery; and the job seeker's own applications.

The same services, rights and scoping as the screens (gza/web/workspace/recruitment.py,
gza/web/portal/applications.py): applications through `Application.objects.visible_to`
(outside scope is a 404), employers see the pseudonymous profile until consent and selection
(gza/recruitment/employer.py), SELECTION_RUN for rounds. Responses that show people write the
access log."""

from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from gza.api.partner_records import Choice, ChoiceSchema
from gza.core.audit import access_record, access_record_many
from gza.core.enums import AccessAction, Role
from gza.core.roles import Right, has_right
from gza.demand.models import Vacancy
from gza.matching.models import MatchRunEntry
from gza.recruitment.employer import applicant_profiles, with_profiles
from gza.recruitment.enums import (
    ActorKind,
    RejectionReason,
    RoundOutcome,
    RoundStatus,
    Stage,
    StartedVia,
)
from gza.recruitment.models import Application, SelectionRound
from gza.recruitment.selection import round_draw, round_publish
from gza.recruitment.services import (
    application_move,
    application_moves_for,
    application_start,
)
from gza.recruitment.workflow import APPLICATION_WORKFLOW
from gza.registry.models import JobSeeker

TRANSITIONS = sorted(APPLICATION_WORKFLOW.transitions)


class CanSeeDemand(BasePermission):
    def has_permission(self, request, view) -> bool:
        return has_right(request.user, Right.DEMAND_VIEW)


class CanManageApplications(BasePermission):
    def has_permission(self, request, view) -> bool:
        return has_right(request.user, Right.APPLICATIONS_MANAGE)


class CanRunSelection(BasePermission):
    def has_permission(self, request, view) -> bool:
        return has_right(request.user, Right.SELECTION_RUN)


class IsJobSeeker(BasePermission):
    def has_permission(self, request, view) -> bool:
        return request.user.role == Role.JOB_SEEKER


class StageChoice(Choice):
    """An application's stage; its own schema name, as partner countries have a "stage" too."""

    def __init__(self, **kwargs) -> None:
        super().__init__(Stage, **kwargs)


class StageChoiceSchema(ChoiceSchema):
    target_class = StageChoice
    priority = 1

    def get_name(self) -> str:
        return "ApplicationStageEnum"


# Output -------------------------------------------------------------------------------------------


class ApplicationMoveOutput(serializers.Serializer):
    transition = serializers.CharField()
    label = serializers.CharField()
    acting_as = Choice(ActorKind, source="as")


class ApplicationEventOutput(serializers.Serializer):
    transition = serializers.CharField()
    from_stage = serializers.CharField()
    to_stage = StageChoice()
    actor_kind = Choice(ActorKind)
    occurred_at = serializers.DateTimeField()


class OfficerEventOutput(ApplicationEventOutput):
    actor = serializers.CharField(source="actor.full_name", allow_null=True)
    reason_code = serializers.CharField()
    note = serializers.CharField()


class ApplicantOutput(serializers.Serializer):
    public_id = serializers.UUIDField()
    registration_number = serializers.CharField()
    name = serializers.CharField(source="display_name")


class ApplicationOutput(serializers.Serializer):
    """The officer's view."""

    id = serializers.UUIDField(source="public_id")
    vacancy = serializers.IntegerField(source="vacancy_id")
    job_seeker = ApplicantOutput()
    stage = StageChoice()
    stage_since = serializers.DateTimeField()
    started_via = Choice(StartedVia)
    match_score = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    rejection_reason = serializers.CharField()
    created_at = serializers.DateTimeField()
    events = OfficerEventOutput(many=True, source="events.all")
    moves = ApplicationMoveOutput(many=True)


class IdentityOutput(serializers.Serializer):
    name = serializers.CharField()
    phone = serializers.CharField()
    email = serializers.CharField()


class EmployerApplicationOutput(serializers.Serializer):
    """The employer's view: no identity until the person is selected and consents."""

    id = serializers.UUIDField(source="application.public_id")
    vacancy = serializers.IntegerField(source="application.vacancy_id")
    registration_number = serializers.CharField()
    stage = StageChoice(source="application.stage")
    match_score = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    occupations = serializers.SerializerMethodField()
    languages = serializers.SerializerMethodField()
    experience = serializers.SerializerMethodField()
    identity = IdentityOutput(allow_null=True)
    moves = ApplicationMoveOutput(many=True, source="application.moves")

    def get_occupations(self, profile) -> list[dict[str, Any]]:
        return [
            {"occupation": row.occupation_id, "years_experience": row.years_experience}
            for row in profile.occupations
        ]

    def get_languages(self, profile) -> list[dict[str, str]]:
        return [{"language": row.language_id, "level": row.level_id} for row in profile.languages]

    def get_experience(self, profile) -> list[dict[str, Any]]:
        return [
            {
                "occupation": row.occupation_id,
                "occupation_text": row.occupation_text,
                "country": row.country_id,
                "start_date": row.start_date,
                "end_date": row.end_date,
            }
            for row in profile.experience
        ]


class MyApplicationOutput(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    vacancy = serializers.IntegerField(source="vacancy_id")
    vacancy_title = serializers.CharField(source="vacancy.title")
    country = serializers.CharField(source="vacancy.country_id")
    stage = StageChoice()
    stage_since = serializers.DateTimeField()
    rejection_reason = serializers.CharField()
    events = ApplicationEventOutput(many=True, source="events.all")
    moves = ApplicationMoveOutput(many=True)


def _moves(user, application: Application, kinds: set[str] | None = None) -> list[dict]:
    return [
        {"transition": move.name, "label": str(move.label), "as": kind}
        for kind, move in application_moves_for(user, application)
        if kinds is None or kind in kinds
    ]


def _scoped(request: Request):
    return with_profiles(Application.objects.visible_to(request.user)).select_related(
        "vacancy__employer"
    )


def _application_data(request: Request, applications: list[Application], purpose: str) -> list:
    """Each application in the caller's view (officer or employer), with the access log."""
    access_record_many(
        actor=request.user,
        subjects=[a.job_seeker for a in applications],
        action=AccessAction.VIEW,
        purpose=purpose,
    )
    for application in applications:
        application.moves = _moves(request.user, application)
    if has_right(request.user, Right.APPLICATIONS_MANAGE):
        return ApplicationOutput(applications, many=True).data
    return EmployerApplicationOutput(applicant_profiles(applications), many=True).data


# Applications -------------------------------------------------------------------------------------


class VacancyApplicationsApi(APIView):
    permission_classes = [IsAuthenticated, CanSeeDemand]

    @extend_schema(responses=ApplicationOutput(many=True), operation_id="vacancies_applications")
    def get(self, request: Request, pk: int) -> Response:
        vacancy = get_object_or_404(Vacancy.objects.visible_to(request.user), pk=pk)
        if not (
            has_right(request.user, Right.APPLICATIONS_MANAGE) or request.user.role == Role.EMPLOYER
        ):
            raise PermissionDenied
        applications = list(_scoped(request).filter(vacancy=vacancy).order_by("pk"))
        return Response(_application_data(request, applications, "api: applications"))


class ApplicationStartInput(serializers.Serializer):
    shortlist_entry = serializers.IntegerField(
        help_text="The id of a kept line of a reviewed shortlist (GET /v1/match-runs/<id>/)."
    )


class ApplicationStartApi(APIView):
    """An officer starts an application from a kept line of a reviewed shortlist."""

    permission_classes = [IsAuthenticated, CanManageApplications]

    @extend_schema(
        request=ApplicationStartInput,
        responses={201: ApplicationOutput},
        operation_id="applications_create",
    )
    def post(self, request: Request) -> Response:
        data = ApplicationStartInput(data=request.data)
        data.is_valid(raise_exception=True)
        entry = get_object_or_404(
            MatchRunEntry.objects.filter(
                vacancy__in=Vacancy.objects.visible_to(request.user),
                job_seeker__in=JobSeeker.objects.visible_to(request.user),
            ).select_related("job_seeker", "vacancy"),
            pk=data.validated_data["shortlist_entry"],
        )
        application = application_start(
            actor=request.user,
            job_seeker=entry.job_seeker,
            vacancy=entry.vacancy,
            via=StartedVia.SHORTLIST,
            shortlist_entry=entry,
        )
        shown = _scoped(request).get(pk=application.pk)
        return Response(
            _application_data(request, [shown], "api: application")[0],
            status=status.HTTP_201_CREATED,
        )


class ApplicationDetailApi(APIView):
    permission_classes = [IsAuthenticated, CanSeeDemand]

    @extend_schema(responses=ApplicationOutput, operation_id="applications_retrieve")
    def get(self, request: Request, public_id) -> Response:
        application = get_object_or_404(_scoped(request), public_id=public_id)
        return Response(_application_data(request, [application], "api: application")[0])


class ApplicationMoveInput(serializers.Serializer):
    transition = serializers.ChoiceField(choices=TRANSITIONS)
    acting_as = serializers.ChoiceField(
        choices=[ActorKind.OFFICER, ActorKind.EMPLOYER, ActorKind.PERSON],
        help_text="The capacity you act in: officer, employer or person.",
    )
    reason_code = serializers.ChoiceField(
        choices=RejectionReason.choices, required=False, default=""
    )
    note = serializers.CharField(required=False, default="", allow_blank=True, max_length=2000)
    expected_stage = serializers.ChoiceField(
        choices=Stage.choices,
        required=False,
        default="",
        help_text="The stage you saw: a move on a changed application is refused.",
    )


class ApplicationMoveApi(APIView):
    permission_classes = [IsAuthenticated, CanSeeDemand]

    @extend_schema(
        request=ApplicationMoveInput, responses=ApplicationOutput, operation_id="applications_move"
    )
    def post(self, request: Request, public_id) -> Response:
        application = get_object_or_404(_scoped(request), public_id=public_id)
        data = ApplicationMoveInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        application_move(
            actor=request.user,
            application=application,
            as_=values.pop("acting_as"),
            **values,
        )
        moved = _scoped(request).filter(pk=application.pk).first()
        if moved is None:  # moved out of the caller's sight (an employer's rejection is kept)
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(_application_data(request, [moved], "api: application")[0])


# The job seeker's own -----------------------------------------------------------------------------


class MyApplicationInput(serializers.Serializer):
    vacancy = serializers.IntegerField()


class MyApplicationsApi(APIView):
    permission_classes = [IsAuthenticated, IsJobSeeker]

    def _person(self, request: Request) -> JobSeeker:
        return get_object_or_404(JobSeeker.objects.visible_to(request.user).active())

    def _data(self, request: Request, applications) -> list:
        applications = list(applications)
        for application in applications:
            application.moves = _moves(request.user, application, {ActorKind.PERSON})
        return MyApplicationOutput(applications, many=True).data

    @extend_schema(responses=MyApplicationOutput(many=True), operation_id="me_applications")
    def get(self, request: Request) -> Response:
        person = self._person(request)
        access_record(
            actor=request.user,
            subject=person,
            action=AccessAction.VIEW,
            purpose="self: applications",
        )
        applications = (
            Application.objects.visible_to(request.user)
            .select_related("vacancy__employer", "job_seeker")
            .prefetch_related("events")
        )
        return Response(self._data(request, applications))

    @extend_schema(
        request=MyApplicationInput,
        responses={201: MyApplicationOutput},
        operation_id="me_applications_create",
    )
    def post(self, request: Request) -> Response:
        person = self._person(request)
        data = MyApplicationInput(data=request.data)
        data.is_valid(raise_exception=True)
        vacancy = get_object_or_404(Vacancy.objects.published(), pk=data.validated_data["vacancy"])
        application = application_start(
            actor=request.user, job_seeker=person, vacancy=vacancy, via=StartedVia.API
        )
        return Response(self._data(request, [application])[0], status=status.HTTP_201_CREATED)


class MyApplicationMoveInput(serializers.Serializer):
    transition = serializers.ChoiceField(choices=["withdraw", "accept_offer", "decline_offer"])
    expected_stage = serializers.ChoiceField(choices=Stage.choices, required=False, default="")


class MyApplicationMoveApi(APIView):
    permission_classes = [IsAuthenticated, IsJobSeeker]

    @extend_schema(
        request=MyApplicationMoveInput,
        responses=MyApplicationOutput,
        operation_id="me_applications_move",
    )
    def post(self, request: Request, public_id) -> Response:
        application = get_object_or_404(
            Application.objects.visible_to(request.user), public_id=public_id
        )
        data = MyApplicationMoveInput(data=request.data)
        data.is_valid(raise_exception=True)
        moved = application_move(
            actor=request.user,
            application=application,
            as_=ActorKind.PERSON,
            **data.validated_data,
        )
        moved.moves = _moves(request.user, moved, {ActorKind.PERSON})
        return Response(MyApplicationOutput(moved).data)


# Selection rounds ---------------------------------------------------------------------------------


class RoundEntryOutput(serializers.Serializer):
    position = serializers.IntegerField()
    application = serializers.UUIDField(source="application.public_id")
    draw_key = serializers.CharField()
    score = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    outcome = Choice(RoundOutcome)


class RoundOutput(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    vacancy = serializers.IntegerField(source="vacancy_id")
    method = serializers.CharField()
    places = serializers.IntegerField()
    seed = serializers.CharField()
    status = Choice(RoundStatus)
    created_at = serializers.DateTimeField()
    published_at = serializers.DateTimeField(allow_null=True)
    audit = serializers.JSONField(
        help_text="Selection rates by sex, age band and region, with the flagged groups."
    )
    entries = RoundEntryOutput(many=True, source="ordered_entries")


class PublicRoundOutput(serializers.Serializer):
    """What anyone may read of a published round: enough to re-run it, no names."""

    id = serializers.UUIDField(source="public_id")
    vacancy = serializers.IntegerField(source="vacancy_id")
    method = serializers.CharField()
    places = serializers.IntegerField()
    seed = serializers.CharField()
    published_at = serializers.DateTimeField()
    algorithm = serializers.SerializerMethodField()
    entries = RoundEntryOutput(many=True, source="ordered_entries")

    def get_algorithm(self, selection_round) -> str:
        if selection_round.method == "lottery":
            return "order by sha256(f'{seed}:{application}').hexdigest() ascending"
        return "order by score descending, then sha256(f'{seed}:{application}').hexdigest()"


def _with_entries(selection_round: SelectionRound) -> SelectionRound:
    selection_round.ordered_entries = selection_round.entries.select_related(
        "application"
    ).order_by("position")
    return selection_round


def _round(request: Request, public_id) -> SelectionRound:
    return get_object_or_404(
        SelectionRound.objects.filter(vacancy__in=Vacancy.objects.visible_to(request.user)),
        public_id=public_id,
    )


class RoundDrawInput(serializers.Serializer):
    places = serializers.IntegerField(min_value=1, max_value=10_000)


class VacancyRoundsApi(APIView):
    permission_classes = [IsAuthenticated, CanRunSelection]

    @extend_schema(responses=RoundOutput(many=True), operation_id="vacancies_selection_rounds")
    def get(self, request: Request, pk: int) -> Response:
        vacancy = get_object_or_404(Vacancy.objects.visible_to(request.user), pk=pk)
        rounds = [_with_entries(r) for r in SelectionRound.objects.filter(vacancy=vacancy)]
        return Response(RoundOutput(rounds, many=True).data)

    @extend_schema(
        request=RoundDrawInput,
        responses={201: RoundOutput},
        operation_id="vacancies_selection_rounds_draw",
    )
    def post(self, request: Request, pk: int) -> Response:
        vacancy = get_object_or_404(Vacancy.objects.visible_to(request.user), pk=pk)
        data = RoundDrawInput(data=request.data)
        data.is_valid(raise_exception=True)
        selection_round = round_draw(
            actor=request.user, vacancy=vacancy, places=data.validated_data["places"]
        )
        return Response(
            RoundOutput(_with_entries(selection_round)).data, status=status.HTTP_201_CREATED
        )


class SelectionRoundApi(APIView):
    permission_classes = [IsAuthenticated, CanRunSelection]

    @extend_schema(responses=RoundOutput, operation_id="selection_rounds_retrieve")
    def get(self, request: Request, public_id) -> Response:
        return Response(RoundOutput(_with_entries(_round(request, public_id))).data)


class SelectionRoundPublishApi(APIView):
    permission_classes = [IsAuthenticated, CanRunSelection]

    @extend_schema(request=None, responses=RoundOutput, operation_id="selection_rounds_publish")
    def post(self, request: Request, public_id) -> Response:
        selection_round = round_publish(
            actor=request.user, selection_round=_round(request, public_id)
        )
        return Response(RoundOutput(_with_entries(selection_round)).data)


class PublicLotteryApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses=PublicRoundOutput, operation_id="lotteries_retrieve")
    def get(self, request: Request, public_id) -> Response:
        selection_round = get_object_or_404(
            SelectionRound.objects.filter(status=RoundStatus.PUBLISHED), public_id=public_id
        )
        return Response(PublicRoundOutput(_with_entries(selection_round)).data)
