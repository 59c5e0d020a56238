"""The destination assessment: how attractive and feasible a country is for Georgian workers.

A transparent weighted average of named components, each between 0 and 1 and explained in
words. A component without data is left out and its weight shared among the others, and the
explanation says so: no number is invented.
"""

from dataclasses import dataclass, field, replace
from decimal import Decimal

from babel.numbers import format_decimal
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from gza.partners.enums import AgreementStatus, CooperationStage, IndicatorKind
from gza.partners.models import AssessmentWeights, CountryIndicator, PartnerCountry

# Average earnings this many times Georgia's or more score the full pay component.
PAY_RATIO_FOR_FULL_SCORE = Decimal(5)
STAGE_SCORES = {
    CooperationStage.IDENTIFIED: Decimal("0.10"),
    CooperationStage.CONTACTED: Decimal("0.25"),
    CooperationStage.INTEREST_EXPRESSED: Decimal("0.50"),
    CooperationStage.NEGOTIATING: Decimal("0.70"),
    CooperationStage.AGREEMENT_SIGNED: Decimal("0.85"),
    CooperationStage.SCHEME_OPERATING: Decimal("1.00"),
    CooperationStage.ON_HOLD: Decimal("0.20"),
    CooperationStage.NOT_PURSUED: Decimal("0.00"),
}


@dataclass
class Component:
    name: str
    label: str
    weight: int
    score: Decimal | None  # None: no data
    explanation: str

    @property
    def available(self) -> bool:
        return self.score is not None


@dataclass
class Assessment:
    components: list[Component] = field(default_factory=list)

    @property
    def score(self) -> Decimal | None:
        """0-100, or None when no component has data."""
        used = [c for c in self.components if c.available and c.weight]
        total = sum(c.weight for c in used)
        if not total:
            return None
        weighted = sum(c.score * c.weight for c in used) / total
        return (weighted * 100).quantize(Decimal("0.1"))

    def contribution(self, component: Component) -> Decimal | None:
        used = [c for c in self.components if c.available and c.weight]
        total = sum(c.weight for c in used)
        if not component.available or not total:
            return None
        return (component.score * component.weight * 100 / total).quantize(Decimal("0.1"))

    def reweighted(self, weights: AssessmentWeights) -> "Assessment":
        """The same component scores under other weights (a preview costs no query)."""
        return Assessment([replace(c, weight=getattr(weights, c.name)) for c in self.components])

    def as_dict(self) -> dict:
        return {
            "score": str(self.score) if self.score is not None else None,
            "components": {
                c.name: {"weight": c.weight, "score": str(c.score) if c.available else None}
                for c in self.components
            },
        }


def _number(value: Decimal, digits: int) -> str:
    """A number written the way the page's language writes it (CLDR)."""
    return format_decimal(round(value, digits), locale=(get_language() or "ka")[:2])


def _latest_earnings(country_code: str) -> CountryIndicator | None:
    return (
        CountryIndicator.objects.filter(
            country_id=country_code, kind=IndicatorKind.AVERAGE_EARNINGS
        )
        .order_by("-period")
        .first()
    )


def _pay(partner: PartnerCountry, weight: int, home: CountryIndicator | None) -> Component:
    label = str(_("Pay relative to Georgia"))
    there = _latest_earnings(partner.country_id)
    if there is None or home is None or not home.value:
        return Component("pay", label, weight, None, str(_("No earnings data for one side.")))
    ratio = there.value / home.value
    score = min(Decimal(1), max(Decimal(0), (ratio - 1) / (PAY_RATIO_FOR_FULL_SCORE - 1)))
    explanation = _(
        "Average monthly earnings %(there)s against Georgia's %(home)s (%(currency)s): "
        "%(ratio)s times as much; %(full)s times or more scores in full."
    ) % {
        "there": f"{_number(there.value, 0)} ({there.period})",
        "home": f"{_number(home.value, 0)} ({home.period})",
        "currency": there.currency,
        "ratio": _number(ratio, 1),
        "full": PAY_RATIO_FOR_FULL_SCORE,
    }
    return Component("pay", label, weight, score.quantize(Decimal("0.01")), str(explanation))


def _demand(partner: PartnerCountry, weight: int) -> Component:
    # Labour-market studies and their in-demand occupations arrive with the demand domain.
    return Component(
        "demand",
        str(_("Demand for occupations Georgians offer")),
        weight,
        None,
        str(_("No labour-market study is recorded for this country yet.")),
    )


def _legal_pathway(partner: PartnerCountry, weight: int) -> Component:
    statuses = set(partner.agreements.values_list("status", flat=True))
    if AgreementStatus.IN_FORCE in statuses:
        score, text = Decimal(1), _("An agreement or scheme is in force.")
    elif statuses & {AgreementStatus.SIGNED, AgreementStatus.RATIFIED}:
        score, text = Decimal("0.6"), _("An agreement is signed but not yet in force.")
    elif AgreementStatus.NEGOTIATING in statuses:
        score, text = Decimal("0.3"), _("An agreement is being negotiated.")
    else:
        score, text = Decimal(0), _("No agreement or scheme opens a legal pathway yet.")
    return Component("legal_pathway", str(_("Legal pathway available")), weight, score, str(text))


def _cooperation(partner: PartnerCountry, weight: int) -> Component:
    return Component(
        "cooperation",
        str(_("Cooperation stage")),
        weight,
        STAGE_SCORES[partner.stage],
        str(_("Current stage: %(stage)s.") % {"stage": partner.get_stage_display()}),
    )


def georgian_earnings() -> CountryIndicator | None:
    """Georgia's latest average earnings, the yardstick of the pay component."""
    return _latest_earnings("GE")


def assess(
    partner: PartnerCountry,
    weights: AssessmentWeights | None = None,
    *,
    home: CountryIndicator | None = None,
) -> Assessment:
    """Assess one partner. When ranking many, pass `home` (georgian_earnings()) once."""
    weights = weights or AssessmentWeights.current()
    home = home or georgian_earnings()
    return Assessment(
        [
            _pay(partner, weights.pay, home),
            _demand(partner, weights.demand),
            _legal_pathway(partner, weights.legal_pathway),
            _cooperation(partner, weights.cooperation),
        ]
    )
