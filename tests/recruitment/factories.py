"""Factories for applications and selection rounds, with traits that name real situations."""

from decimal import Decimal

import factory

from gza.core.enums import OrganisationKind, Role
from gza.recruitment.enums import ActorKind, Stage, StartedVia
from gza.recruitment.models import Application, ApplicationEvent
from gza.registry.enums import ConsentPurpose
from gza.registry.models import Consent
from tests.core.factories import OrganisationFactory, UserFactory
from tests.demand.factories import ForeignEmployerFactory
from tests.matching.run_factories import candidate, published_vacancy
from tests.registry.factories import ConsentTextFactory


def vacancy_with_employer_account(**fields):
    """A published vacancy whose Polish employer has its own workspace organisation."""
    employer = ForeignEmployerFactory(verified=True, in_poland=True, with_organisation=True)
    return published_vacancy(employer=employer, **fields)


def employer_user(vacancy):
    """A user of the vacancy's employer's organisation."""
    return UserFactory(role=Role.EMPLOYER, organisation=vacancy.employer.organisation)


def applicant(**fields):
    """A consenting fruit picker with a portal account (role job seeker)."""
    person = candidate(**fields)
    person.user = UserFactory(job_seeker=True)
    person.save()
    return person


def sharing_with_employers(person):
    """The person's standing consent to share the profile with foreign employers."""
    from django.utils import timezone

    Consent.objects.create(
        job_seeker=person,
        purpose=ConsentPurpose.EMPLOYER_SHARING,
        text=ConsentTextFactory(purpose=ConsentPurpose.EMPLOYER_SHARING),
        given_at=timezone.now(),
    )
    return person


def iom_officer():
    return UserFactory(
        role=Role.CASEWORKER, organisation=OrganisationFactory(kind=OrganisationKind.IOM_NGO)
    )


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A consenting person's application on the portal for a published vacancy."""

    class Meta:
        model = Application
        skip_postgeneration_save = True

    job_seeker = factory.LazyFunction(applicant)
    vacancy = factory.LazyFunction(published_vacancy)
    stage = Stage.APPLIED
    started_via = StartedVia.PORTAL
    match_score = Decimal("80.00")

    class Params:
        screening = factory.Trait(stage=Stage.SCREENING)
        interview = factory.Trait(stage=Stage.INTERVIEW)
        selected = factory.Trait(stage=Stage.SELECTED)
        waitlisted = factory.Trait(stage=Stage.WAITLISTED)
        visa_granted = factory.Trait(stage=Stage.VISA_GRANTED)

    @factory.post_generation
    def started(self, create: bool, extracted, **kwargs) -> None:
        if create:
            ApplicationEvent.objects.create(
                application=self,
                transition="apply",
                to_stage=self.stage,
                actor_kind=ActorKind.PERSON,
            )


class SelectionRoundFactory(factory.django.DjangoModelFactory):
    """A draft lottery round of a published vacancy, with no lines."""

    class Meta:
        model = "recruitment.SelectionRound"

    vacancy = factory.LazyFunction(published_vacancy)
    method = "lottery"
    places = 2
    seed = "ab" * 32
    created_by = factory.SubFactory(UserFactory)
