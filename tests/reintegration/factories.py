import datetime

import factory
from django.utils import timezone

from gza.reintegration.enums import AssistanceKind, Vulnerability
from gza.reintegration.models import (
    FOLLOW_UP_MONTHS,
    AssistanceItem,
    FollowUp,
    NeedsAssessment,
    ReintegrationCase,
)
from gza.reintegration.services import add_months
from tests.core.factories import OrganisationFactory, UserFactory
from tests.registry.factories import JobSeekerFactory


class ReintegrationCaseFactory(factory.django.DjangoModelFactory):
    """A returnee from Poland, back 100 days ago, assisted by IOM, with the three follow-ups
    scheduled as `case_open` schedules them (the 3-month one is due)."""

    class Meta:
        model = ReintegrationCase
        skip_postgeneration_save = True

    job_seeker = factory.SubFactory(JobSeekerFactory)
    returned_from_id = "PL"
    returned_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=100))
    organisation = factory.SubFactory(OrganisationFactory, iom_office=True)
    opened_on = factory.LazyAttribute(lambda case: case.returned_on)
    created_by = factory.SubFactory(UserFactory)

    class Params:
        # Back a year and a month: every follow-up is due.
        back_a_year = factory.Trait(
            returned_on=factory.LazyFunction(
                lambda: timezone.localdate() - datetime.timedelta(days=400)
            )
        )
        just_back = factory.Trait(returned_on=factory.LazyFunction(timezone.localdate))

    @factory.post_generation
    def follow_ups(self, create: bool, extracted, **kwargs) -> None:
        if not create or extracted is False:
            return
        FollowUp.objects.bulk_create(
            FollowUp(case=self, month=month, due_on=add_months(self.returned_on, month))
            for month in FOLLOW_UP_MONTHS
        )


class NeedsAssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NeedsAssessment

    case = factory.SubFactory(ReintegrationCaseFactory)
    assessed_on = factory.LazyAttribute(lambda row: row.case.returned_on)
    economic = 2
    social = 1
    psychosocial = 1
    medical = 0
    vulnerability = Vulnerability.MEDIUM
    notes = "Debts from the recruitment fee; sleeps badly."
    assessed_by = factory.SubFactory(UserFactory)


class AssistanceItemFactory(factory.django.DjangoModelFactory):
    """A business grant of 3,000 GEL from IOM, planned."""

    class Meta:
        model = AssistanceItem

    case = factory.SubFactory(ReintegrationCaseFactory)
    kind = AssistanceKind.BUSINESS_GRANT
    provider = "IOM Georgia"
    amount = 3000
    currency = "GEL"
