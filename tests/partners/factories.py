import datetime
import hashlib

import factory
from django.core.files.base import ContentFile

from gza.partners.enums import (
    AgreementDocumentKind,
    AgreementKind,
    CooperationStage,
    DocumentLanguage,
)
from gza.partners.models import (
    Action,
    ActionPlan,
    Agreement,
    AgreementDocument,
    PartnerCountry,
)
from tests.core.factories import OrganisationFactory, UserFactory


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


def _one_page_pdf() -> bytes:
    """A small but well-formed PDF: one empty A4 page, with a correct cross-reference table."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    pdf = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return pdf


PDF_BYTES = _one_page_pdf()


class AgreementDocumentFactory(factory.django.DjangoModelFactory):
    """A signed Georgian text, stored as a real PDF file in private storage."""

    class Meta:
        model = AgreementDocument

    agreement = factory.SubFactory(AgreementFactory)
    kind = AgreementDocumentKind.AGREEMENT_TEXT
    language = DocumentLanguage.GEORGIAN
    title = factory.Sequence(lambda n: f"შეთანხმების ხელმოწერილი ტექსტი {n}")
    file = factory.LazyFunction(lambda: ContentFile(PDF_BYTES, name="agreement.pdf"))
    original_name = "agreement.pdf"
    content_type = "application/pdf"
    size = len(PDF_BYTES)
    sha256 = hashlib.sha256(PDF_BYTES).hexdigest()
    uploaded_by = factory.SubFactory(UserFactory)
