"""Vacancies (job orders) in the workspace: the scoped list, the vacancy page with its
requirements, minimum-wage comparison, log and moves, and the draft form with its language
and ESCO skill requirements.

Every vacancy is fetched through `Vacancy.objects.visible_to(user)`, so one outside the user's
scope is a 404; a visible vacancy the user may not change is a 403. The rules live in
gza/demand/vacancies.py."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gza.core.enums import Role
from gza.core.errors import DomainError
from gza.core.models import User
from gza.core.roles import Right, has_right
from gza.core.workflow import Transition
from gza.demand.enums import CertificationStatus, VacancyStatus, VettingStatus
from gza.demand.models import Agency, ForeignEmployer, Vacancy, VacancyLanguage
from gza.demand.vacancies import (
    CEFR_LEVELS,
    VACANCY_FIELDS,
    Rule,
    esco_skill_code,
    esco_skills_named,
    essential_skills_for,
    minimum_wage_check,
    own_employer,
    vacancy_creation_allowed,
    vacancy_editable,
    vacancy_field_errors,
    vacancy_move,
    vacancy_moves_for,
    vacancy_save,
)
from gza.matching.coding import occupation_suggestions
from gza.partners.enums import AgreementStatus
from gza.partners.models import Agreement
from gza.taxonomy.models import CefrLevel, Country, Language, Occupation
from gza.web.workspace.access import workspace_view
from gza.web.workspace.demand import DATE_INPUT, _add_errors
from gza.web.workspace.paging import paginate


def _refusal(error: DomainError) -> str:
    return str(error.message) % error.params if error.params else str(error.message)


class VacancyForm(forms.ModelForm):
    # A code typed (or picked from the list of unit groups) rather than a select of 400 titles;
    # a broader group is found here and refused by the unit-group rule with its own message.
    occupation = forms.ModelChoiceField(
        label=gettext_lazy("Occupation (ISCO-08 code)"),
        queryset=Occupation.objects.all(),
        widget=forms.TextInput(attrs={"list": "isco-units", "inputmode": "numeric", "size": 6}),
        error_messages={"invalid_choice": Rule.UNKNOWN_OCCUPATION},
    )
    # Typed, one per line, rather than a select of 13,900 skills (no JavaScript needed).
    skills = forms.CharField(
        label=gettext_lazy("ESCO skills"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy(
            "One skill per line: its ESCO URI or code, or its exact English preferred label."
        ),
    )

    class Meta:
        model = Vacancy
        fields = VACANCY_FIELDS
        widgets = {
            "start_date": DATE_INPUT,
            "application_deadline": DATE_INPUT,
            "description_ka": forms.Textarea(attrs={"rows": 4}),
            "description_en": forms.Textarea(attrs={"rows": 4}),
            "certificates": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["skills"] = "\n".join(
                skill.label_en for skill in self.instance.skills.order_by("label_en")
            )
        self.fields["country"].queryset = Country.objects.states()
        # Agreements a vacancy can still be published under.
        self.fields["agreement"].queryset = Agreement.objects.filter(
            status__in=[AgreementStatus.SIGNED, AgreementStatus.RATIFIED, AgreementStatus.IN_FORCE]
        ) | Agreement.objects.filter(pk=self.instance.agreement_id)
        verified = ForeignEmployer.objects.filter(vetting_status=VettingStatus.VERIFIED)
        certified = Agency.objects.filter(status=CertificationStatus.CERTIFIED)
        if user.role == Role.MINISTRY_OFFICER:
            return
        if user.role == Role.EMBASSY_OFFICER:
            home = user.organisation.country_id
            self.fields["country"].queryset = Country.objects.filter(code=home)
            # A model form's initial values come from its instance, not from its fields.
            self.initial["country"] = self.instance.country_id or home
            self.fields["employer"].queryset = ForeignEmployer.objects.filter(country_id=home)
            self.fields["agency"].queryset = certified
            return
        # An owner's vacancy is its own: the service fills in the employer or the agency.
        if user.role == Role.EMPLOYER:
            del self.fields["employer"], self.fields["agency"]
            employer = own_employer(user)
            if employer is not None:
                self.initial["country"] = self.instance.country_id or employer.country_id
        else:
            del self.fields["agency"]
            # An agency names the foreign employer it recruits for, among verified ones.
            self.fields["employer"].queryset = verified | ForeignEmployer.objects.filter(
                pk=self.instance.employer_id
            )

    def clean_skills(self) -> list:
        skills, errors = esco_skills_named(self.cleaned_data["skills"].splitlines())
        if errors:
            raise ValidationError(errors)
        return skills

    def clean(self) -> dict:
        data = super().clean()
        occupation = data.get("occupation")
        errors = vacancy_field_errors(
            occupation_code=occupation.pk if occupation else None,
            positions=data.get("positions"),
            wage_period=data.get("wage_period"),
            hours_per_week=data.get("hours_per_week"),
            start_date=data.get("start_date"),
            application_deadline=data.get("application_deadline"),
        )
        for field, error in errors.items():
            if field in self.fields:
                self.add_error(field, error)
        return data


class LanguageForm(forms.ModelForm):
    language = forms.ModelChoiceField(
        label=gettext_lazy("Language"), queryset=Language.objects.all()
    )
    min_level = forms.ModelChoiceField(
        label=gettext_lazy("Minimum CEFR level"),
        queryset=CefrLevel.objects.filter(code__in=CEFR_LEVELS),
        error_messages={"invalid_choice": Rule.CEFR_OUT_OF_RANGE},
    )

    class Meta:
        model = VacancyLanguage
        fields = ["language", "min_level"]


LanguageFormSet = forms.formset_factory(LanguageForm, extra=3, can_delete=True, max_num=12)


class VacancyMoveForm(forms.Form):
    transition = forms.ChoiceField(label=gettext_lazy("Move"))
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=gettext_lazy("Required to send back or cancel."),
    )

    def __init__(self, *args, transitions: list[Transition], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["transition"].choices = [(t.name, t.label) for t in transitions]


def _vacancy(request: HttpRequest, pk: int) -> Vacancy:
    return get_object_or_404(
        Vacancy.objects.visible_to(request.user).select_related(
            "employer",
            "agency",
            "country",
            "occupation",
            "agreement__partner__country",
            "isced_level",
            "created_by",
        ),
        pk=pk,
    )


@workspace_view(Right.DEMAND_VIEW)
def vacancy_list(request: HttpRequest) -> HttpResponse:
    visible = Vacancy.objects.visible_to(request.user)
    vacancies = visible.select_related("employer", "agency", "country", "occupation")
    country = request.GET.get("country", "")
    status = request.GET.get("status", "")
    if country:
        vacancies = vacancies.filter(country_id=country)
    if status in VacancyStatus.values:
        vacancies = vacancies.filter(status=status)
    return render(
        request,
        "workspace/vacancies/list.html",
        {
            "page": paginate(request, vacancies),
            "countries": Country.objects.filter(vacancy__in=visible).distinct(),
            "statuses": VacancyStatus.choices,
            "country": country,
            "status": status,
            "can_create": vacancy_creation_allowed(request.user),
        },
    )


def _render_vacancy(
    request: HttpRequest, vacancy: Vacancy, move_form: VacancyMoveForm | None = None
) -> HttpResponse:
    moves = vacancy_moves_for(request.user, vacancy)
    return render(
        request,
        "workspace/vacancies/detail.html",
        {
            "vacancy": vacancy,
            "languages": vacancy.languages.select_related("language", "min_level"),
            "skills": vacancy.skills.order_by("label_en"),
            "events": vacancy.events.select_related("actor"),
            "wage_check": minimum_wage_check(vacancy),
            "can_edit": vacancy_editable(request.user, vacancy),
            "can_match": has_right(request.user, Right.MATCHING_RUN),
            "move_form": (move_form or VacancyMoveForm(transitions=moves)) if moves else None,
        },
    )


@workspace_view(Right.DEMAND_VIEW)
def vacancy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_vacancy(request, _vacancy(request, pk))


@workspace_view(Right.DEMAND_VIEW)
def vacancy_move_view(request: HttpRequest, pk: int) -> HttpResponse:
    vacancy = _vacancy(request, pk)
    if request.method != "POST":
        return redirect(vacancy)
    moves = vacancy_moves_for(request.user, vacancy)
    if not moves:
        raise PermissionDenied
    form = VacancyMoveForm(request.POST, transitions=moves)
    if form.is_valid():
        try:
            vacancy_move(actor=request.user, vacancy=vacancy, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, _refusal(error))
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The vacancy's status is updated."))
            return redirect(vacancy)
    return _render_vacancy(request, _vacancy(request, pk), move_form=form)


def _chosen_occupation(form: VacancyForm) -> str | None:
    """The ISCO-08 code the form shows: the one posted if it is a unit group, else the saved."""
    if form.is_bound:
        code = (form.data.get("occupation") or "").strip()
        return code if len(code) == 4 and code.isdigit() else None
    return form.instance.occupation_id


def _title_suggestions(request: HttpRequest) -> tuple[str, list[Occupation]]:
    """ "Find the code": ISCO-08 unit groups for the title typed, for the officer to choose."""
    title = (request.POST.get("title_ka") or request.POST.get("title_en") or "").strip()
    return title, occupation_suggestions(title)


def _vacancy_form(request: HttpRequest, vacancy: Vacancy) -> HttpResponse:
    data = request.POST or None
    if data is not None and data.get("occupation_choice") and not data.get("occupation"):
        data = data.copy()
        data["occupation"] = data["occupation_choice"]
    finding = request.method == "POST" and "suggest" in request.POST
    if finding:
        # Not yet a submission: the fields come back as typed, without errors.
        form = VacancyForm(initial=request.POST.dict(), instance=vacancy, user=request.user)
    else:
        form = VacancyForm(data, instance=vacancy, user=request.user)
    initial = [
        {"language": row.language_id, "min_level": row.min_level_id}
        for row in (vacancy.languages.all() if vacancy.pk else [])
    ]
    formset = LanguageFormSet(request.POST or None, prefix="languages", initial=initial)
    searched, suggestions = _title_suggestions(request) if finding else ("", [])
    # Both are validated, so every error shows at once.
    if request.method == "POST" and not finding and form.is_valid() & formset.is_valid():
        languages = [
            VacancyLanguage(language=row["language"], min_level=row["min_level"])
            for row in formset.cleaned_data
            if row and not row.get("DELETE")
        ]
        try:
            saved = vacancy_save(
                actor=request.user,
                vacancy=form.instance,
                languages=languages,
                skills=form.cleaned_data["skills"],
            )
        except DomainError as error:
            raise PermissionDenied from error
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The vacancy is saved as a draft."))
            return redirect(saved)
    return render(
        request,
        "workspace/vacancies/form.html",
        {
            "form": form,
            "formset": formset,
            "vacancy": vacancy,
            "units": Occupation.objects.units().only("code", "title_ka", "title_en"),
            "finding": finding,
            "searched": searched,
            "suggestions": suggestions,
            "skill_hints": [
                (skill.label_en, esco_skill_code(skill))
                for skill in essential_skills_for(_chosen_occupation(form))
            ],
        },
    )


@workspace_view(Right.DEMAND_VIEW)
def vacancy_create(request: HttpRequest) -> HttpResponse:
    if not vacancy_creation_allowed(request.user):
        raise PermissionDenied
    return _vacancy_form(request, Vacancy())


@workspace_view(Right.DEMAND_VIEW)
def vacancy_edit(request: HttpRequest, pk: int) -> HttpResponse:
    vacancy = _vacancy(request, pk)
    if not vacancy_editable(request.user, vacancy):
        raise PermissionDenied
    return _vacancy_form(request, vacancy)
