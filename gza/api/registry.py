"""Job seekers' records over the API: the profile with its nested items, assisted registration
by an officer, and documents.

The same services as the portal and the workspace (gza/registry/profile.py): who may change a
record, one transaction per request, the audit trail. Scoping is `JobSeeker.objects.visible_to`:
a person outside the caller's remit is a 404. Every read of a person writes the access log."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from gza.api.partner_records import Choice
from gza.core.audit import access_record
from gza.core.enums import AccessAction, Role
from gza.core.roles import Right, has_right
from gza.demand.vacancies import esco_skills_named
from gza.registry.enums import ConsentPurpose, JobSeekerDocumentKind, WorkPattern
from gza.registry.models import (
    Certificate,
    Education,
    JobSeeker,
    JobSeekerDocument,
    LanguageSkill,
    SoughtOccupation,
    WorkExperience,
)
from gza.registry.profile import (
    IDENTITY_FIELDS,
    job_seeker_document_add,
    job_seeker_editable_by,
    job_seeker_register_assisted,
    job_seeker_set_education,
    job_seeker_set_languages,
    job_seeker_set_preferences,
    job_seeker_set_skills,
    job_seeker_set_sought_occupations,
    job_seeker_set_work_experience,
    job_seeker_update_identity,
)
from gza.taxonomy.models import Country
from gza.web.files import file_response


class CanSeePeople(BasePermission):
    """Officers who read the registry, and job seekers (who see only themselves)."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        return has_right(user, Right.JOB_SEEKERS_VIEW) or user.role == Role.JOB_SEEKER


PEOPLE = [IsAuthenticated, CanSeePeople]


# Nested items ---------------------------------------------------------------------------------


class EducationItem(serializers.ModelSerializer):
    class Meta:
        model = Education
        fields = ["isced_level", "field", "institution", "year_completed"]


class WorkItem(serializers.ModelSerializer):
    class Meta:
        model = WorkExperience
        fields = [
            "occupation_text",
            "occupation",
            "employer",
            "country",
            "start_date",
            "end_date",
            "tasks",
            "from_placement",
        ]
        read_only_fields = ["from_placement"]


class SoughtOccupationItem(serializers.ModelSerializer):
    class Meta:
        model = SoughtOccupation
        fields = ["occupation", "years_experience"]


class LanguageItem(serializers.ModelSerializer):
    class Meta:
        model = LanguageSkill
        fields = ["language", "level", "certificate"]


class CertificateItem(serializers.ModelSerializer):
    class Meta:
        model = Certificate
        fields = ["name", "issuer", "issued_on", "valid_until"]


class DocumentOutput(serializers.ModelSerializer):
    kind = Choice(JobSeekerDocumentKind, read_only=True)

    class Meta:
        model = JobSeekerDocument
        fields = ["id", "kind", "title", "original_name", "content_type", "size", "uploaded_at"]


# The profile ----------------------------------------------------------------------------------


class JobSeekerOutput(serializers.ModelSerializer):
    education = EducationItem(many=True, read_only=True)
    work_experience = WorkItem(many=True, read_only=True)
    sought_occupations = SoughtOccupationItem(many=True, read_only=True)
    languages = LanguageItem(many=True, read_only=True, source="language_skills")
    certificates = CertificateItem(many=True, read_only=True)
    skills = serializers.SlugRelatedField(many=True, read_only=True, slug_field="uri")
    desired_countries = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")
    documents = DocumentOutput(many=True, read_only=True)

    class Meta:
        model = JobSeeker
        fields = [
            "public_id",
            "registration_number",
            "status",
            *IDENTITY_FIELDS,
            "registered_via",
            "profile_step",
            "profile_completed_at",
            "availability_date",
            "work_pattern",
            "driving_licences",
            "last_schengen_stay_end",
            "education",
            "work_experience",
            "sought_occupations",
            "languages",
            "certificates",
            "skills",
            "desired_countries",
            "documents",
            "created_at",
            "updated_at",
        ]


class IdentityInput(serializers.ModelSerializer):
    class Meta:
        model = JobSeeker
        fields = IDENTITY_FIELDS


class AssistedRegistrationInput(IdentityInput):
    consents = serializers.ListField(
        child=serializers.ChoiceField(choices=ConsentPurpose.choices),
        help_text="Purposes the person consented to on paper; `registration` is required.",
    )

    class Meta(IdentityInput.Meta):
        fields = [*IDENTITY_FIELDS, "consents"]


class ProfilePatchInput(IdentityInput):
    """Any part of the record; a list given replaces the list kept."""

    education = EducationItem(many=True, required=False)
    work_experience = WorkItem(many=True, required=False)
    sought_occupations = SoughtOccupationItem(many=True, required=False)
    languages = LanguageItem(many=True, required=False)
    certificates = CertificateItem(many=True, required=False)
    skills = serializers.ListField(
        child=serializers.CharField(max_length=300),
        required=False,
        help_text="ESCO skills: URI, code or exact English preferred label.",
    )
    driving_licences = serializers.CharField(max_length=60, required=False, allow_blank=True)
    desired_countries = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Country.objects.states(), required=False
    )
    availability_date = serializers.DateField(required=False, allow_null=True)
    work_pattern = serializers.ChoiceField(choices=WorkPattern.choices, required=False)
    last_schengen_stay_end = serializers.DateField(required=False, allow_null=True)

    class Meta(IdentityInput.Meta):
        fields = [
            *IDENTITY_FIELDS,
            "education",
            "work_experience",
            "sought_occupations",
            "languages",
            "certificates",
            "skills",
            "driving_licences",
            "desired_countries",
            "availability_date",
            "work_pattern",
            "last_schengen_stay_end",
        ]


def _people(request: Request):
    return JobSeeker.objects.visible_to(request.user)


def _profile(request: Request, public_id) -> JobSeeker:
    return get_object_or_404(
        _people(request).prefetch_related(
            "education",
            Prefetch("work_experience", queryset=WorkExperience.objects.all()),
            "sought_occupations",
            "language_skills",
            "certificates",
            "skills",
            "desired_countries",
            "documents",
        ),
        public_id=public_id,
    )


def _read(request: Request, person: JobSeeker, action: AccessAction = AccessAction.VIEW) -> None:
    own = person.user_id == request.user.pk
    access_record(actor=request.user, subject=person, action=action, purpose="self" if own else "")


def _apply_patch(actor, person: JobSeeker, data: dict[str, Any]) -> None:
    """Each part given goes through its service; all in the caller's transaction."""
    if identity := {name: data[name] for name in IDENTITY_FIELDS if name in data}:
        for name, value in identity.items():
            setattr(person, name, value)
        person = job_seeker_update_identity(actor=actor, person=person)
    lists = [
        ("education", Education, job_seeker_set_education),
        ("work_experience", WorkExperience, job_seeker_set_work_experience),
        ("sought_occupations", SoughtOccupation, job_seeker_set_sought_occupations),
        ("languages", LanguageSkill, job_seeker_set_languages),
    ]
    for name, model, service in lists:
        if name in data:
            person = service(actor=actor, person=person, rows=[model(**row) for row in data[name]])
    if {"skills", "driving_licences", "certificates"} & data.keys():
        if "skills" in data:
            skills, errors = esco_skills_named(data["skills"])
            if errors:
                raise ValidationError({"skills": errors})
        else:
            skills = list(person.skills.all())
        certificates = (
            [Certificate(**row) for row in data["certificates"]]
            if ("certificates" in data)
            else [
                Certificate(
                    name=c.name, issuer=c.issuer, issued_on=c.issued_on, valid_until=c.valid_until
                )
                for c in person.certificates.all()
            ]
        )
        person = job_seeker_set_skills(
            actor=actor,
            person=person,
            skills=skills,
            driving_licences=data.get("driving_licences", person.driving_licences),
            certificates=certificates,
        )
    preferences = ["desired_countries", "availability_date", "work_pattern"]
    if set([*preferences, "last_schengen_stay_end"]) & data.keys():
        job_seeker_set_preferences(
            actor=actor,
            person=person,
            desired_countries=data.get("desired_countries", list(person.desired_countries.all())),
            availability_date=data.get("availability_date", person.availability_date),
            work_pattern=data.get("work_pattern", person.work_pattern),
            last_schengen_stay_end=data.get(
                "last_schengen_stay_end", person.last_schengen_stay_end
            ),
        )


class JobSeekerCreateApi(APIView):
    permission_classes = PEOPLE

    @extend_schema(
        request=AssistedRegistrationInput,
        responses={201: JobSeekerOutput},
        operation_id="job_seekers_register_assisted",
    )
    def post(self, request: Request) -> Response:
        """Register a person at a service centre (officers with JOB_SEEKERS_MANAGE)."""
        if not has_right(request.user, Right.JOB_SEEKERS_MANAGE):
            raise PermissionDenied
        data = AssistedRegistrationInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        consents = fields.pop("consents")
        person = job_seeker_register_assisted(
            actor=request.user, person=JobSeeker(**fields), consents=consents
        )
        person = _profile(request, person.public_id)
        return Response(JobSeekerOutput(person).data, status=status.HTTP_201_CREATED)


class JobSeekerDetailApi(APIView):
    permission_classes = PEOPLE

    @extend_schema(responses=JobSeekerOutput, operation_id="job_seekers_retrieve")
    def get(self, request: Request, public_id) -> Response:
        person = _profile(request, public_id)
        _read(request, person)
        return Response(JobSeekerOutput(person).data)

    @extend_schema(
        request=ProfilePatchInput, responses=JobSeekerOutput, operation_id="job_seekers_update"
    )
    def patch(self, request: Request, public_id) -> Response:
        """Change any part of the record (the person, or an officer with JOB_SEEKERS_MANAGE);
        all or nothing."""
        person = _profile(request, public_id)
        if not job_seeker_editable_by(request.user, person):
            raise PermissionDenied
        data = ProfilePatchInput(instance=person, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        with transaction.atomic():
            _apply_patch(request.user, person, dict(data.validated_data))
        person = _profile(request, public_id)
        _read(request, person)
        return Response(JobSeekerOutput(person).data)


class DocumentInput(serializers.Serializer):
    kind = Choice(JobSeekerDocumentKind)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    file = serializers.FileField()


class JobSeekerDocumentsApi(APIView):
    permission_classes = PEOPLE
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(responses=DocumentOutput(many=True), operation_id="job_seeker_documents_list")
    def get(self, request: Request, public_id) -> Response:
        person = get_object_or_404(_people(request), public_id=public_id)
        _read(request, person)
        return Response(DocumentOutput(person.documents.all(), many=True).data)

    @extend_schema(
        request={"multipart/form-data": DocumentInput},
        responses={201: DocumentOutput},
        operation_id="job_seeker_documents_create",
    )
    def post(self, request: Request, public_id) -> Response:
        """Attach a document; its type is read from its content."""
        person = get_object_or_404(_people(request), public_id=public_id)
        if not job_seeker_editable_by(request.user, person):
            raise PermissionDenied
        data = DocumentInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        try:
            document = job_seeker_document_add(
                actor=request.user,
                person=person,
                upload=fields["file"],
                kind=fields["kind"],
                title=fields["title"],
            )
        except ValidationError as error:
            # The file's field is called "file" here.
            if hasattr(error, "error_dict") and "upload" in error.error_dict:
                error.error_dict["file"] = error.error_dict.pop("upload")
            raise
        return Response(DocumentOutput(document).data, status=status.HTTP_201_CREATED)


class JobSeekerDocumentFileApi(APIView):
    permission_classes = PEOPLE

    @extend_schema(
        responses={
            (200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY),
        },
        operation_id="job_seeker_documents_file",
    )
    def get(self, request: Request, public_id, pk: int):
        """The file, as an attachment of the type read at upload; the download is logged."""
        person = get_object_or_404(_people(request), public_id=public_id)
        document = get_object_or_404(person.documents.all(), pk=pk)
        response = file_response(document)
        _read(request, person, AccessAction.EXPORT)
        return response
