"""Forms for a job seeker's record, shared by the portal's wizard and the workspace.

Each step of the profile is a `Section`: its forms (a form, a formset of repeated items, or
both), how they are validated, and the service that saves them. The portal's wizard and the
officer's edit pages bind the same section to a request and render the same partial template
(gza/templates/portal/profile/sections/<step>.html), so a rule lives in one place.

Occupations are typed as people say them; "Find the code" re-renders the form with ISCO-08
suggestions from the taxonomy for the person to confirm, without JavaScript."""

from collections.abc import Callable
from typing import Any, ClassVar

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from gza.core.errors import DomainError
from gza.core.models import User
from gza.demand.enums import DrivingLicence
from gza.demand.vacancies import esco_skills_named, essential_skills_for
from gza.matching.coding import occupation_suggestions
from gza.registry.enums import ConsentPurpose, JobSeekerDocumentKind, ProfileStep
from gza.registry.models import (
    Certificate,
    Education,
    JobSeeker,
    LanguageSkill,
    SoughtOccupation,
    WorkExperience,
)
from gza.registry.profile import (
    IDENTITY_FIELDS,
    MAX_ITEMS,
    OFFICER_ONLY_FIELDS,
    Refusal,
    job_seeker_profile_finish,
    job_seeker_set_education,
    job_seeker_set_languages,
    job_seeker_set_preferences,
    job_seeker_set_skills,
    job_seeker_set_sought_occupations,
    job_seeker_set_work_experience,
    job_seeker_update_identity,
)
from gza.taxonomy.models import CefrLevel, Country, Language, Municipality, Occupation

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
LATIN_HELP = _("As in the passport. Leave empty to have it written from the Georgian name.")


def add_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a service's ValidationError on a form: each field's errors under the field, the
    rest at the top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def refusal_text(error: DomainError) -> str:
    return str(error.message) % error.params if error.params else str(error.message)


# Identity -------------------------------------------------------------------------------------


class IdentityForm(forms.ModelForm):
    """Identity and contacts. The person cannot change their personal number once registered
    (an officer does, after checking the ID card), so it is shown but locked for them."""

    class Meta:
        model = JobSeeker
        fields = IDENTITY_FIELDS
        widgets = {
            "birth_date": DATE_INPUT,
            "passport_expiry": DATE_INPUT,
            "personal_number": forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 11}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        }
        help_texts = {"first_name_latin": LATIN_HELP, "last_name_latin": LATIN_HELP}

    def __init__(self, *args: Any, officer: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["citizenship"].queryset = Country.objects.states()
        self.fields["municipality"].queryset = Municipality.objects.order_by("name_ka")
        if not officer and self.instance.pk:
            for name in OFFICER_ONLY_FIELDS:
                self.fields[name].disabled = True
                self.fields[name].help_text = Refusal.OFFICER_ONLY


class AssistedRegistrationForm(IdentityForm):
    """An officer registers a person: identity from the ID card, and the consents the person
    gave on paper."""

    consents = forms.MultipleChoiceField(
        label=_("Consents the person gave (signed form)"),
        choices=ConsentPurpose.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[ConsentPurpose.REGISTRATION],
        help_text=_("Consent to registration and matching is needed to register."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, officer=True, **kwargs)

    def clean_consents(self) -> list[str]:
        consents = self.cleaned_data["consents"]
        if ConsentPurpose.REGISTRATION not in consents:
            raise ValidationError(Refusal.REGISTRATION_CONSENT_REQUIRED, code="registration")
        return consents


# Repeated items -------------------------------------------------------------------------------


class IscoCodeMixin(forms.Form):
    """An occupation typed in words, its ISCO-08 code typed or confirmed from suggestions."""

    occupation_required: ClassVar[bool] = False
    suggested = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.suggestions: list[Occupation] = []
        self.searched = False
        field = self.fields["occupation"]
        field.queryset = Occupation.objects.units()
        field.required = False
        field.widget = forms.TextInput(
            attrs={"list": "isco-units", "inputmode": "numeric", "size": 6, "maxlength": 4}
        )
        field.error_messages["invalid_choice"] = Refusal.NOT_A_UNIT
        field.help_text = _("The four-digit code, or press “Find the code” and choose.")

    def typed_text(self) -> str:
        return (self.data.get(self.add_prefix("occupation_text")) or "").strip()

    def find_suggestions(self) -> None:
        """Suggestions for a row with words and no code yet."""
        code = (self.data.get(self.add_prefix("occupation")) or "").strip()
        if self.is_bound and not code and self.typed_text():
            self.searched = True
            self.suggestions = occupation_suggestions(self.typed_text())

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        code = (data.get("suggested") or "").strip()
        if not data.get("occupation") and code and "occupation" not in self.errors:
            occupation = Occupation.objects.units().filter(code=code).first()
            if occupation is None:
                self.add_error("occupation", Refusal.NOT_A_UNIT)
            else:
                data["occupation"] = occupation
        if self.occupation_required and not data.get("occupation") and not self.errors:
            self.add_error(
                "occupation",
                ValidationError(
                    _("Give the ISCO-08 code, or type the occupation and press “Find the code”."),
                    code="required",
                ),
            )
        return data


class EducationForm(forms.ModelForm):
    class Meta:
        model = Education
        fields = ["isced_level", "field", "institution", "year_completed"]


class WorkExperienceForm(IscoCodeMixin, forms.ModelForm):
    class Meta:
        model = WorkExperience
        fields = [
            "occupation_text",
            "occupation",
            "employer",
            "country",
            "start_date",
            "end_date",
            "tasks",
        ]
        widgets = {
            "start_date": DATE_INPUT,
            "end_date": DATE_INPUT,
            "tasks": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].queryset = Country.objects.states()


class SoughtOccupationForm(IscoCodeMixin, forms.ModelForm):
    occupation_required = True
    occupation_text = forms.CharField(
        label=_("Occupation, in your words"), max_length=200, required=False
    )

    class Meta:
        model = SoughtOccupation
        fields = ["occupation_text", "occupation", "years_experience"]


class LanguageSkillForm(forms.ModelForm):
    class Meta:
        model = LanguageSkill
        fields = ["language", "level", "certificate"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].queryset = Language.objects.all()
        self.fields["level"].queryset = CefrLevel.objects.all()


class CertificateForm(forms.ModelForm):
    class Meta:
        model = Certificate
        fields = ["name", "issuer", "issued_on", "valid_until"]
        widgets = {"issued_on": DATE_INPUT, "valid_until": DATE_INPUT}


def _formset(form: type[forms.BaseForm]) -> type[forms.BaseFormSet]:
    return forms.formset_factory(
        form, extra=2, can_delete=True, max_num=MAX_ITEMS, validate_max=True
    )


EducationFormSet = _formset(EducationForm)
WorkExperienceFormSet = _formset(WorkExperienceForm)
SoughtOccupationFormSet = _formset(SoughtOccupationForm)
LanguageSkillFormSet = _formset(LanguageSkillForm)
CertificateFormSet = _formset(CertificateForm)


def kept_rows(formset: forms.BaseFormSet) -> list:
    """The model instances of a valid formset's filled-in rows that are not marked removed."""
    return [
        form.instance
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


# Single-form steps ----------------------------------------------------------------------------


class SkillsForm(forms.Form):
    # Typed, one per line, rather than a select of 13,900 skills (no JavaScript needed).
    skills = forms.CharField(
        label=_("ESCO skills"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One skill per line, as its English ESCO name or its ESCO code."),
    )
    driving_licences = forms.MultipleChoiceField(
        label=_("Driving licence categories"),
        choices=DrivingLicence.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def clean_skills(self) -> list:
        skills, errors = esco_skills_named(self.cleaned_data["skills"].splitlines())
        if errors:
            raise ValidationError(errors)
        return skills


class PreferencesForm(forms.Form):
    desired_countries = forms.ModelMultipleChoiceField(
        label=_("Countries you would work in"),
        queryset=Country.objects.states(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Hold Ctrl (or ⌘) to choose several."),
    )
    availability_date = forms.DateField(
        label=_("Available from"), required=False, widget=DATE_INPUT
    )
    work_pattern = forms.ChoiceField(
        label=_("Seasonal or long-term"),
        choices=JobSeeker._meta.get_field("work_pattern").choices,
    )
    last_schengen_stay_end = forms.DateField(
        label=_("Your last stay in the Schengen area ended on"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("Leave empty if you have never stayed there."),
    )


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=JobSeekerDocumentKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    upload = forms.FileField(
        label=_("File"),
        widget=forms.FileInput(attrs={"accept": ".pdf,.docx,.odt,.xlsx,.png,.jpg,.jpeg"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["upload"].help_text = _(
            "PDF, DOCX, ODT, XLSX, PNG or JPEG, at most %(limit)s MB."
        ) % {"limit": settings.UPLOAD_MAX_MB}


# Sections -------------------------------------------------------------------------------------


class Section:
    """One step of the profile, bound to a person and (when posted) to the request's data."""

    step: ClassVar[ProfileStep]
    template: ClassVar[str]

    def __init__(self, person: JobSeeker, data: Any = None, *, officer: bool) -> None:
        self.person = person
        self.data = data
        self.officer = officer

    @property
    def all_forms(self) -> list[forms.BaseForm | forms.BaseFormSet]:
        raise NotImplementedError

    @property
    def main_form(self) -> forms.BaseForm:
        """The form a service's refusal lands on."""
        raise NotImplementedError

    def is_valid(self) -> bool:
        # Every form is validated, so every error shows at once.
        return all([form.is_valid() for form in self.all_forms])

    def find_suggestions(self) -> None:
        """ISCO-08 suggestions for rows that have words but no code (steps with occupations)."""

    def save(self, actor: User) -> bool:
        """Validate and save through the step's service; a refusal lands on the forms."""
        if not self.is_valid():
            return False
        try:
            self.person = self.perform(actor)
        except DomainError as error:
            self.main_form.add_error(None, refusal_text(error))
        except ValidationError as error:
            add_errors(self.main_form, error)
        else:
            return True
        return False

    def perform(self, actor: User) -> JobSeeker:
        raise NotImplementedError

    def context(self) -> dict[str, Any]:
        return {"section": self}


class IdentitySection(Section):
    step = ProfileStep.IDENTITY
    template = "portal/profile/sections/identity.html"

    def __init__(self, person: JobSeeker, data: Any = None, *, officer: bool) -> None:
        super().__init__(person, data, officer=officer)
        self.form = IdentityForm(data, instance=person, officer=officer)

    @property
    def all_forms(self) -> list:
        return [self.form]

    @property
    def main_form(self) -> forms.BaseForm:
        return self.form

    def perform(self, actor: User) -> JobSeeker:
        return job_seeker_update_identity(actor=actor, person=self.form.instance)


class ListSection(Section):
    """A step that is one list of repeated items."""

    formset_class: ClassVar[type[forms.BaseFormSet]]
    related_name: ClassVar[str]
    fields: ClassVar[list[str]]
    service: ClassVar[Callable[..., JobSeeker]]

    def __init__(self, person: JobSeeker, data: Any = None, *, officer: bool) -> None:
        super().__init__(person, data, officer=officer)
        self.formset = self.formset_class(data, prefix=self.step.value, initial=self.initial())

    def rows(self):
        return getattr(self.person, self.related_name).all()

    def initial(self) -> list[dict[str, Any]]:
        rows = list(self.rows())
        stored = {field.name for field in rows[0]._meta.fields} if rows else set()
        return [
            {
                name: getattr(row, row._meta.get_field(name).attname)
                for name in self.fields
                if name in stored
            }
            for row in rows
        ]

    @property
    def all_forms(self) -> list:
        return [self.formset]

    @property
    def main_form(self) -> forms.BaseForm:
        # A refusal for the whole list shows above the list's first row.
        return self.formset.forms[0] if self.formset.forms else self.formset.empty_form

    def perform(self, actor: User) -> JobSeeker:
        return type(self).service(actor=actor, person=self.person, rows=kept_rows(self.formset))


class EducationSection(ListSection):
    step = ProfileStep.EDUCATION
    template = "portal/profile/sections/education.html"
    formset_class = EducationFormSet
    related_name = "education"
    fields = ["isced_level", "field", "institution", "year_completed"]
    service = job_seeker_set_education


class _OccupationListSection(ListSection):
    def find_suggestions(self) -> None:
        for form in self.formset.forms:
            form.find_suggestions()

    def context(self) -> dict[str, Any]:
        return {
            "section": self,
            "units": Occupation.objects.units().only("code", "title_ka", "title_en"),
        }


class WorkSection(_OccupationListSection):
    step = ProfileStep.WORK
    template = "portal/profile/sections/work.html"
    formset_class = WorkExperienceFormSet
    related_name = "work_experience"
    fields = [
        "occupation_text",
        "occupation",
        "employer",
        "country",
        "start_date",
        "end_date",
        "tasks",
    ]
    service = job_seeker_set_work_experience

    def rows(self):
        # Jobs from placements through Gza are kept by the service, not edited here.
        return self.person.work_experience.filter(from_placement=False)


class OccupationsSection(_OccupationListSection):
    step = ProfileStep.OCCUPATIONS
    template = "portal/profile/sections/occupations.html"
    formset_class = SoughtOccupationFormSet
    related_name = "sought_occupations"
    fields = ["occupation", "years_experience"]
    service = job_seeker_set_sought_occupations


class LanguagesSection(ListSection):
    step = ProfileStep.LANGUAGES
    template = "portal/profile/sections/languages.html"
    formset_class = LanguageSkillFormSet
    related_name = "language_skills"
    fields = ["language", "level", "certificate"]
    service = job_seeker_set_languages


class SkillsSection(Section):
    step = ProfileStep.SKILLS
    template = "portal/profile/sections/skills.html"

    def __init__(self, person: JobSeeker, data: Any = None, *, officer: bool) -> None:
        super().__init__(person, data, officer=officer)
        initial = {
            "skills": "\n".join(s.label_en for s in person.skills.order_by("label_en")),
            "driving_licences": [c for c in person.driving_licences.split(",") if c],
        }
        self.form = SkillsForm(data, initial=initial)
        self.certificates = CertificateFormSet(
            data,
            prefix="certificates",
            initial=[
                {
                    "name": c.name,
                    "issuer": c.issuer,
                    "issued_on": c.issued_on,
                    "valid_until": c.valid_until,
                }
                for c in person.certificates.all()
            ],
        )

    @property
    def all_forms(self) -> list:
        return [self.form, self.certificates]

    @property
    def main_form(self) -> forms.BaseForm:
        return self.form

    def perform(self, actor: User) -> JobSeeker:
        return job_seeker_set_skills(
            actor=actor,
            person=self.person,
            skills=self.form.cleaned_data["skills"],
            driving_licences=",".join(self.form.cleaned_data["driving_licences"]),
            certificates=kept_rows(self.certificates),
        )

    def context(self) -> dict[str, Any]:
        # Hints: the essential ESCO skills of the occupations the person seeks.
        hints: dict[str, str] = {}
        for code in self.person.sought_occupations.values_list("occupation_id", flat=True)[:3]:
            for skill in essential_skills_for(code)[:15]:
                hints.setdefault(skill.uri, skill.label_en)
        return {"section": self, "skill_hints": sorted(hints.values())}


class PreferencesSection(Section):
    step = ProfileStep.PREFERENCES
    template = "portal/profile/sections/preferences.html"

    def __init__(self, person: JobSeeker, data: Any = None, *, officer: bool) -> None:
        super().__init__(person, data, officer=officer)
        initial = {
            "desired_countries": list(person.desired_countries.values_list("code", flat=True)),
            "availability_date": person.availability_date,
            "work_pattern": person.work_pattern,
            "last_schengen_stay_end": person.last_schengen_stay_end,
        }
        self.form = PreferencesForm(data, initial=initial)

    @property
    def all_forms(self) -> list:
        return [self.form]

    @property
    def main_form(self) -> forms.BaseForm:
        return self.form

    def perform(self, actor: User) -> JobSeeker:
        return job_seeker_set_preferences(actor=actor, person=self.person, **self.form.cleaned_data)


class DocumentsSection(Section):
    """The last step: documents are added one by one (their own form and service); saving the
    step marks the profile complete."""

    step = ProfileStep.DOCUMENTS
    template = "portal/profile/sections/documents.html"

    def __init__(self, person: JobSeeker, data: Any = None, *, officer: bool) -> None:
        super().__init__(person, data, officer=officer)
        self.form = forms.Form(data)

    @property
    def all_forms(self) -> list:
        return [self.form]

    @property
    def main_form(self) -> forms.BaseForm:
        return self.form

    def perform(self, actor: User) -> JobSeeker:
        return job_seeker_profile_finish(actor=actor, person=self.person)


SECTIONS: dict[str, type[Section]] = {
    section.step.value: section
    for section in (
        IdentitySection,
        EducationSection,
        WorkSection,
        OccupationsSection,
        LanguagesSection,
        SkillsSection,
        PreferencesSection,
        DocumentsSection,
    )
}
