"""Placements, check-ins and grievances for the protection tests, made directly (the
placement service is tested in its own module)."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from gza.mobility.enums import (
    GrievanceCategory,
    GrievanceSource,
    PayPeriod,
    PlacementStatus,
    Severity,
)
from gza.mobility.models import CheckIn, Grievance, Placement
from gza.mobility.protection import response_due
from gza.recruitment.enums import Stage, StartedVia
from gza.recruitment.models import Application
from tests.core.factories import UserFactory
from tests.demand.factories import VacancyFactory
from tests.registry.factories import JobSeekerFactory

CONTRACT_START = datetime.date(2026, 4, 1)


class DepartedApplicationFactory(factory.django.DjangoModelFactory):
    """A fruit picker's application to the Polish vacancy, departed."""

    class Meta:
        model = Application

    job_seeker = factory.SubFactory(JobSeekerFactory)
    vacancy = factory.SubFactory(VacancyFactory)
    stage = Stage.DEPARTED
    started_via = StartedVia.PORTAL


class PlacementFactory(factory.django.DjangoModelFactory):
    """A fruit picker in Grójec, Poland, from 1 April to 30 September 2026, promised 23.50 PLN
    an hour for 40 hours a week, with housing."""

    class Meta:
        model = Placement

    application = factory.SubFactory(DepartedApplicationFactory)
    job_seeker = factory.SelfAttribute("application.job_seeker")
    employer = factory.SelfAttribute("application.vacancy.employer")
    country_id = factory.SelfAttribute("application.vacancy.country_id")
    city = "Grójec"
    occupation_id = "9211"
    departure_date = datetime.date(2026, 3, 30)
    contract_start = CONTRACT_START
    contract_end = datetime.date(2026, 9, 30)
    pay_amount = Decimal("23.50")
    pay_currency = "PLN"
    pay_period = PayPeriod.HOUR
    hours_per_week = 40
    housing_provided = True
    status = PlacementStatus.ACTIVE
    created_by = factory.SubFactory(UserFactory)

    class Params:
        # The case: a group in Germany promised 9.50 EUR an hour.
        in_germany = factory.Trait(
            application=factory.SubFactory(
                DepartedApplicationFactory,
                vacancy=factory.SubFactory(
                    VacancyFactory,
                    country_id="DE",
                    employer__country_id="DE",
                    city="Hamburg",
                    wage_currency="EUR",
                ),
            ),
            city="Hamburg",
            pay_amount=Decimal("9.50"),
            pay_currency="EUR",
        )


class CheckInFactory(factory.django.DjangoModelFactory):
    """The first check-in of a placement, due two weeks after the contract starts."""

    class Meta:
        model = CheckIn

    placement = factory.SubFactory(PlacementFactory)
    sequence = 1
    due_on = factory.LazyAttribute(
        lambda check_in: check_in.placement.contract_start + datetime.timedelta(days=14)
    )


class GrievanceFactory(factory.django.DjangoModelFactory):
    """A worker's grievance about pay, opened on the portal now, due in a week."""

    class Meta:
        model = Grievance

    placement = factory.SubFactory(PlacementFactory)
    job_seeker = factory.SelfAttribute("placement.job_seeker")
    source = GrievanceSource.PORTAL
    category = GrievanceCategory.PAY
    severity = Severity.MEDIUM
    description = "The pay is lower than promised."
    opened_at = factory.LazyFunction(timezone.now)
    response_due_at = factory.LazyAttribute(lambda g: response_due(g.severity, g.opened_at))
