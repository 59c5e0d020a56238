"""The forms of check-ins and grievances, shared by the portal (the worker) and the workspace
(an officer recording a phone answer or opening a grievance). The rules stay in
gza/mobility/protection.py; these forms only parse."""

from django import forms
from django.utils.translation import gettext_lazy as _

from gza.mobility.enums import GrievanceCategory, PaidAsPromised, Severity
from gza.mobility.models import CheckIn, Placement
from gza.mobility.protection import MAX_HOURS_PER_WEEK, RATINGS

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


def _yes_no(label) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )


class CheckInAnswerForm(forms.Form):
    paid_as_promised = forms.ChoiceField(
        label=_("Were you paid as promised?"),
        choices=PaidAsPromised.choices,
        widget=forms.RadioSelect,
    )
    pay_received = forms.DecimalField(
        label=_("Pay received"),
        required=False,
        min_value=0,
        max_digits=10,
        decimal_places=2,
    )
    hours_per_week = forms.IntegerField(
        label=_("Hours worked per week"), min_value=0, max_value=MAX_HOURS_PER_WEEK
    )
    housing_as_promised = _yes_no(_("Is your housing as promised?"))
    documents_held_by_employer = _yes_no(_("Does the employer keep your passport or documents?"))
    feels_safe = _yes_no(_("Do you feel safe?"))
    comment = forms.CharField(
        label=_("Anything else you want to tell us"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, check_in: CheckIn, **kwargs) -> None:
        super().__init__(*args, prefix=f"check-in-{check_in.pk}", **kwargs)
        placement = check_in.placement
        self.fields["pay_received"].help_text = _(
            "In %(currency)s, %(period)s, as the promised pay is (promised: %(amount)s)."
        ) % {
            "currency": placement.pay_currency,
            "period": placement.get_pay_period_display(),
            "amount": f"{placement.pay_amount:.2f} {placement.pay_currency}",
        }
        self.fields["hours_per_week"].help_text = _("Promised: %(hours)s hours a week.") % {
            "hours": placement.hours_per_week
        }


class GrievanceForm(forms.Form):
    """A grievance raised by the worker on the portal: the severity follows the category,
    unless they say they are in danger now."""

    placement = forms.ModelChoiceField(
        label=_("Which job is it about?"),
        queryset=Placement.objects.none(),
        required=False,
        empty_label=_("Not about a job abroad"),
    )
    category = forms.ChoiceField(label=_("What is it about?"), choices=GrievanceCategory.choices)
    description = forms.CharField(
        label=_("What happened?"), widget=forms.Textarea(attrs={"rows": 6}), max_length=5000
    )
    in_danger = forms.BooleanField(
        label=_("I am in danger now and need help urgently"), required=False
    )

    def __init__(self, *args, placements, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["placement"].queryset = placements
        self.fields["placement"].label_from_instance = _placement_label


class OfficerGrievanceForm(GrievanceForm):
    """An officer or an embassy records a grievance and sets its severity."""

    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices)
    in_danger = None


def _placement_label(placement: Placement) -> str:
    return f"{placement.country.name}, {placement.city} · {placement.contract_start:%Y-%m-%d}"


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How well was your grievance handled? (1 poor, 5 very well)"),
        choices=[(value, str(value)) for value in RATINGS],
        coerce=int,
        widget=forms.RadioSelect,
    )
