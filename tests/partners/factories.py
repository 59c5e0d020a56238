import datetime

import factory

from gza.partners.enums import AgreementKind, CooperationStage
from gza.partners.models import Action, ActionPlan, Agreement, PartnerCountry
from tests.core.factories import OrganisationFactory


class PartnerCountryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerCountry
        django_get_or_create = ["country_id"]

    country_id = "PL"
    stage = CooperationStage.IDENTIFIED
    stage_since = datetime.date(2018, 1, 1)

    class Params:
        negotiating = factory.Trait(stage=CooperationStage.NEGOTIATING)


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement

    partner = factory.SubFactory(PartnerCountryFactory, country_id="FR")
    kind = AgreementKind.BILATERAL
    title_ka = factory.Sequence(lambda n: f"შეთანხმება {n}")
    title_en = factory.Sequence(lambda n: f"Agreement {n}")
    negotiation_opened_on = datetime.date(2012, 5, 1)


class ActionPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionPlan

    title_ka = "ერთობლივი სამოქმედო გეგმა"
    title_en = "Joint action plan"


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    plan = factory.SubFactory(ActionPlanFactory)
    partner = factory.SubFactory(PartnerCountryFactory, country_id="FR")
    title_ka = factory.Sequence(lambda n: f"ქმედება {n}")
    title_en = factory.Sequence(lambda n: f"Action {n}")
    owner = factory.SubFactory(OrganisationFactory)
    due_on = datetime.date(2030, 1, 1)

    class Params:
        overdue = factory.Trait(due_on=datetime.date(2019, 1, 1))
