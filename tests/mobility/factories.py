"""Applications on their way abroad, orientation sessions and attendances for the
pre-departure, placement and return tests. Applications are made at the stage a test needs
(the stage moves themselves are the recruitment domain's, tested there)."""

import datetime

import factory
from django.utils import timezone

from gza.core.enums import OrganisationKind
from gza.mobility.enums import ChecklistItem
from gza.mobility.models import Attendance, ChecklistMark, OrientationSession
from gza.recruitment.enums import Stage, StartedVia
from gza.recruitment.models import Application
from tests.core.factories import OrganisationFactory, UserFactory
from tests.demand.factories import VacancyFactory
from tests.registry.factories import JobSeekerFactory


class DepartingApplicationFactory(factory.django.DjangoModelFactory):
    """A fruit picker's application to the Polish vacancy, with the visa granted; with
    `ready=True` the whole pre-departure checklist is done too (contract in Georgian)."""

    class Meta:
        model = Application
        skip_postgeneration_save = True

    job_seeker = factory.SubFactory(JobSeekerFactory)
    vacancy = factory.SubFactory(VacancyFactory)
    stage = Stage.VISA_GRANTED
    started_via = StartedVia.SHORTLIST

    class Params:
        pre_departure = factory.Trait(stage=Stage.PRE_DEPARTURE)
        offer_accepted = factory.Trait(stage=Stage.OFFER_ACCEPTED)

    @factory.post_generation
    def ready(self, create: bool, extracted, **kwargs) -> None:
        if not create or not extracted:
            return
        recorder = UserFactory()
        done_on = timezone.localdate() - datetime.timedelta(days=10)
        ChecklistMark.objects.bulk_create(
            ChecklistMark(
                application=self,
                item=item,
                done_on=done_on,
                language_id="ka" if item == ChecklistItem.CONTRACT else None,
                recorded_by=recorder,
            )
            for item in ChecklistItem.values
        )


class OrientationSessionFactory(factory.django.DjangoModelFactory):
    """IOM's orientation in Tbilisi, held yesterday morning, 20 places."""

    class Meta:
        model = OrientationSession

    starts_at = factory.LazyFunction(
        lambda: (
            timezone.now().replace(hour=10, minute=0, second=0, microsecond=0)
            - datetime.timedelta(days=1)
        )
    )
    place = "თბილისი, IOM-ის ოფისი"
    organisation = factory.SubFactory(
        OrganisationFactory,
        kind=OrganisationKind.IOM_NGO,
        name_en=factory.Sequence(lambda n: f"IOM Georgia {n}"),
    )
    topics_ka = "შრომის უფლებები; ხელშეკრულება; უსაფრთხოება"
    topics_en = "Labour rights; the contract; staying safe"
    capacity = 20
    created_by = factory.SubFactory(UserFactory)

    class Params:
        upcoming = factory.Trait(
            starts_at=factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))
        )


class AttendanceFactory(factory.django.DjangoModelFactory):
    """An invitation, not yet marked."""

    class Meta:
        model = Attendance

    session = factory.SubFactory(OrientationSessionFactory)
    application = factory.SubFactory(DepartingApplicationFactory, pre_departure=True)
