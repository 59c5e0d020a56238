"""What a foreign employer sees of the people applying to its vacancies.

Until a person is selected AND has consented to share their profile with foreign employers
(ConsentPurpose.EMPLOYER_SHARING), the employer sees a pseudonymous profile: the registration
number, the occupations sought, languages, work experience and the match score. From then on it
also sees the name and the contacts. Never the personal number, the passport, the date of
birth or sex (sex never informs a choice). The caller writes the access log.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, QuerySet

from gza.recruitment.enums import Stage
from gza.recruitment.models import Application
from gza.registry.models import JobSeeker, LanguageSkill, SoughtOccupation, WorkExperience

S = Stage
# Stages from which the employer has chosen the person (or may still see them as its hire).
IDENTITY_STAGES = frozenset(
    {
        S.SELECTED,
        S.OFFER_ACCEPTED,
        S.PRE_DEPARTURE,
        S.VISA_SUBMITTED,
        S.VISA_GRANTED,
        S.VISA_REFUSED,
        S.DEPARTED,
    }
)


@dataclass
class Identity:
    name: str
    phone: str
    email: str


@dataclass
class ApplicantProfile:
    application: Application
    registration_number: str
    match_score: Decimal | None
    occupations: list[SoughtOccupation] = field(default_factory=list)
    languages: list[LanguageSkill] = field(default_factory=list)
    experience: list[WorkExperience] = field(default_factory=list)
    identity: Identity | None = None


def with_profiles(applications: QuerySet[Application]) -> QuerySet[Application]:
    """The prefetches a list of profiles needs, so its query count does not grow with it."""
    return applications.select_related("job_seeker", "vacancy").prefetch_related(
        Prefetch(
            "job_seeker__sought_occupations",
            queryset=SoughtOccupation.objects.select_related("occupation"),
        ),
        Prefetch(
            "job_seeker__language_skills",
            queryset=LanguageSkill.objects.select_related("language", "level"),
        ),
        Prefetch(
            "job_seeker__work_experience",
            queryset=WorkExperience.objects.select_related("country"),
        ),
    )


def applicant_profiles(applications: Iterable[Application]) -> list[ApplicantProfile]:
    """The employer's view of each application (see the module's docstring)."""
    applications = list(applications)
    chosen = [a.job_seeker_id for a in applications if a.stage in IDENTITY_STAGES]
    sharing = (
        set(
            JobSeeker.objects.filter(pk__in=chosen)
            .shareable_with_employers()
            .values_list("pk", flat=True)
        )
        if chosen
        else set()
    )
    profiles = []
    for application in applications:
        person = application.job_seeker
        identity = None
        if application.stage in IDENTITY_STAGES and person.pk in sharing:
            identity = Identity(name=person.display_name, phone=person.phone, email=person.email)
        profiles.append(
            ApplicantProfile(
                application=application,
                registration_number=person.registration_number,
                match_score=application.match_score,
                occupations=list(person.sought_occupations.all()),
                languages=list(person.language_skills.all()),
                experience=list(person.work_experience.all()),
                identity=identity,
            )
        )
    return profiles
