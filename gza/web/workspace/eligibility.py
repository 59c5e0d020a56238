"""Eligibility rules of a vacancy or of an agreement or scheme: read by everyone who sees the
vacancy or follows the partner, added and removed by the ministry (Right.DEMAND_MANAGE).

The vacancy page lists its own requirements (languages, experience, education, licences) as
rules already; here the ministry adds the conditions a vacancy's fields cannot say (an age
range, a document, no recent Schengen stay, a passport's validity...). Rules on an agreement
apply to every vacancy published under it. See gza/registry/eligibility.py."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gza.core.roles import Right, has_right
from gza.demand.models import Vacancy
from gza.partners.models import Agreement, PartnerCountry
from gza.registry.eligibility import (
    RULE_RELATIONS,
    EligibilityRule,
    RuleKind,
    implicit_rules,
    rule_add,
    rule_remove,
)
from gza.taxonomy.models import Occupation
from gza.web.workspace.access import workspace_view
from gza.web.workspace.demand import _add_errors

# The fields each kind uses; the others are cleared, so a rule never carries stray values.
FIELDS_OF_KIND: dict[str, tuple[str, ...]] = {
    RuleKind.AGE: ("min_age", "max_age"),
    RuleKind.DOCUMENT: ("document_kind",),
    RuleKind.LANGUAGE: ("language", "cefr_level"),
    RuleKind.EXPERIENCE: ("years", "occupation"),
    RuleKind.DRIVING_LICENCE: ("driving_licence",),
    RuleKind.NO_SCHENGEN_STAY: ("months",),
    RuleKind.EDUCATION: ("isced_level",),
    RuleKind.PASSPORT_VALIDITY: ("months",),
}
PARAMETERS = sorted({name for names in FIELDS_OF_KIND.values() for name in names})


class EligibilityRuleForm(forms.ModelForm):
    occupation = forms.ModelChoiceField(
        label=gettext_lazy("In occupation (ISCO-08 code)"),
        queryset=Occupation.objects.filter(level=4),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 6}),
        help_text=gettext_lazy("For experience: leave empty for the vacancy's own occupation."),
    )

    class Meta:
        model = EligibilityRule
        fields = ["kind", *PARAMETERS]

    def clean(self) -> dict:
        data = super().clean()
        used = FIELDS_OF_KIND.get(data.get("kind"), ())
        for name in PARAMETERS:
            if name not in used:
                data[name] = "" if name in {"document_kind", "driving_licence"} else None
                setattr(self.instance, name, data[name])
        return data


def _render(
    request: HttpRequest,
    *,
    form: EligibilityRuleForm | None,
    vacancy: Vacancy | None = None,
    agreement: Agreement | None = None,
) -> HttpResponse:
    owner_rules = (vacancy or agreement).eligibility_rules.select_related(*RULE_RELATIONS)
    scheme = vacancy.agreement if vacancy is not None else None
    return render(
        request,
        "workspace/eligibility/rules.html",
        {
            "vacancy": vacancy,
            "agreement": agreement,
            "rules": owner_rules,
            "implicit": implicit_rules(vacancy) if vacancy is not None else [],
            "scheme": scheme,
            "scheme_rules": scheme.eligibility_rules.select_related(*RULE_RELATIONS)
            if scheme
            else [],
            "form": form,
        },
    )


def _add(request: HttpRequest, rule: EligibilityRule) -> EligibilityRuleForm | None:
    """Validate and add the posted rule; the bound form back when it has errors."""
    form = EligibilityRuleForm(request.POST, instance=rule)
    if form.is_valid():
        try:
            rule_add(actor=request.user, rule=form.instance)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The rule is added."))
            return None
    return form


def _may_manage(request: HttpRequest) -> bool:
    return has_right(request.user, Right.DEMAND_MANAGE)


@workspace_view(Right.DEMAND_VIEW)
def vacancy_eligibility(request: HttpRequest, pk: int) -> HttpResponse:
    """Everyone who sees the vacancy reads its rules; the ministry adds them."""
    vacancy = get_object_or_404(
        Vacancy.objects.visible_to(request.user).select_related(
            "occupation", "agreement", "isced_level"
        ),
        pk=pk,
    )
    may_manage = (
        _may_manage(request)
        and Vacancy.objects.editable_by(request.user).filter(pk=vacancy.pk).exists()
    )
    form = EligibilityRuleForm() if may_manage else None
    if request.method == "POST":
        if not may_manage:
            raise PermissionDenied
        form = _add(request, EligibilityRule(vacancy=vacancy))
        if form is None:
            return redirect("workspace:vacancy_eligibility", pk=vacancy.pk)
    return _render(request, form=form, vacancy=vacancy)


@workspace_view(Right.PARTNERS_VIEW)
def agreement_eligibility(request: HttpRequest, pk: int) -> HttpResponse:
    """Everyone who follows the partner reads the scheme's rules; the ministry adds them."""
    visible = PartnerCountry.objects.visible_to(request.user)
    agreement = get_object_or_404(
        Agreement.objects.filter(partner__in=visible).select_related("partner__country"), pk=pk
    )
    may_manage = _may_manage(request)
    form = EligibilityRuleForm() if may_manage else None
    if request.method == "POST":
        if not may_manage:
            raise PermissionDenied
        form = _add(request, EligibilityRule(agreement=agreement))
        if form is None:
            return redirect("workspace:agreement_eligibility", pk=agreement.pk)
    return _render(request, form=form, agreement=agreement)


@workspace_view(Right.DEMAND_MANAGE)
@require_POST
def eligibility_rule_remove(request: HttpRequest, pk: int) -> HttpResponse:
    editable = Vacancy.objects.editable_by(request.user)
    rule = get_object_or_404(
        EligibilityRule.objects.filter(vacancy__in=editable)
        | EligibilityRule.objects.filter(agreement__isnull=False),
        pk=pk,
    )
    vacancy_id, agreement_id = rule.vacancy_id, rule.agreement_id
    rule_remove(actor=request.user, rule=rule)
    messages.success(request, _("The rule is removed."))
    if vacancy_id:
        return redirect("workspace:vacancy_eligibility", pk=vacancy_id)
    return redirect("workspace:agreement_eligibility", pk=agreement_id)
