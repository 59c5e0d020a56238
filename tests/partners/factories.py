import datetime

import factory

from gza.partners.enums import CooperationStage
from gza.partners.models import PartnerCountry


class PartnerCountryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerCountry
        django_get_or_create = ["country_id"]

    country_id = "PL"
    stage = CooperationStage.IDENTIFIED
    stage_since = datetime.date(2018, 1, 1)

    class Params:
        negotiating = factory.Trait(stage=CooperationStage.NEGOTIATING)
