"""Demand abroad in the workspace: foreign employers and their vetting; licensed agencies, their
certification, annual reports, scorecards and the list of agencies late with their report.

Every record is fetched through its `visible_to(user)` queryset, so a record outside the user's
scope is a 404; a visible record the user may not change is a 403."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gza.core.audit import audit_record
from gza.core.enums import AuditVerb, OrganisationKind, Role
from gza.core.errors import DomainError
from gza.core.models import Organisation, User
from gza.core.roles import Right, has_right
from gza.core.workflow import Transition
from gza.demand.enums import CertificationStatus, EmployerDocumentKind, VettingStatus
from gza.demand.models import (
    FIRST_REPORT_YEAR,
    Agency,
    AgencyReport,
    AgencyReportLine,
    EmployerDocument,
    ForeignEmployer,
    last_due_year,
    report_deadline,
)
from gza.demand.services import (
    AGENCY_FIELDS,
    EMPLOYER_FIELDS,
    EMPLOYER_IDENTITY,
    agencies_late_with_report,
    agency_move,
    agency_register,
    agency_report_file,
    agency_scorecard,
    employer_document_add,
    employer_document_remove,
    employer_register,
    employer_registration_allowed,
    employer_update,
    employer_vet,
)
from gza.partners.enums import DocumentLanguage
from gza.taxonomy.models import Country, Occupation
from gza.web.files import file_response
from gza.web.workspace.access import workspace_view
from gza.web.workspace.paging import PAGE_SIZE, paginate

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _add_errors(form: forms.Form, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _service_accepts(form: forms.Form, service, **arguments) -> bool:
    """Run a service; a refusal lands on the form in the page's language."""
    try:
        service(**arguments)
    except DomainError as error:
        form.add_error(None, str(error.message))
    except ValidationError as error:
        _add_errors(form, error)
    else:
        return True
    return False


# Employers


class EmployerForm(forms.ModelForm):
    class Meta:
        model = ForeignEmployer
        fields = EMPLOYER_FIELDS

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if user.role == Role.MINISTRY_OFFICER:
            self.fields["organisation"].queryset = Organisation.objects.active().of_kind(
                OrganisationKind.FOREIGN_EMPLOYER
            )
            return
        # Linking an employer to its workspace accounts is the ministry's business.
        del self.fields["organisation"]
        if self.instance.pk:
            for name in EMPLOYER_IDENTITY:
                if name in self.fields:
                    self.fields[name].disabled = True
                    self.fields[name].help_text = _(
                        "Only the ministry changes this once the employer is registered."
                    )
            return
        # An embassy registers employers of its own country; an employer, of its own.
        home = user.organisation.country_id if user.organisation_id else None
        if home:
            self.fields["country"].queryset = Country.objects.filter(code=home)
            # A model form's initial values come from its instance, not from its fields.
            self.initial["country"] = self.instance.country_id or home


class VetForm(forms.Form):
    transition = forms.ChoiceField(label=gettext_lazy("Decision"))
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=gettext_lazy("Required to reject, suspend or reopen."),
    )

    def __init__(self, *args, transitions: list[Transition], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["transition"].choices = [(t.name, t.label) for t in transitions]


def _employer(request: HttpRequest, pk: int) -> ForeignEmployer:
    return get_object_or_404(
        ForeignEmployer.objects.visible_to(request.user).select_related("country", "organisation"),
        pk=pk,
    )


def _can_edit_employer(request: HttpRequest, employer: ForeignEmployer) -> bool:
    return ForeignEmployer.objects.editable_by(request.user).filter(pk=employer.pk).exists()


@workspace_view(Right.DEMAND_VIEW)
def employer_list(request: HttpRequest) -> HttpResponse:
    visible = ForeignEmployer.objects.visible_to(request.user)
    employers = visible.select_related("country")
    country = request.GET.get("country", "")
    status = request.GET.get("status", "")
    if country:
        employers = employers.filter(country_id=country)
    if status in VettingStatus.values:
        employers = employers.filter(vetting_status=status)
    return render(
        request,
        "workspace/demand/employer_list.html",
        {
            "page": paginate(request, employers),
            "countries": Country.objects.filter(foreign_employers__in=visible).distinct(),
            "statuses": VettingStatus.choices,
            "country": country,
            "status": status,
            "can_register": employer_registration_allowed(request.user),
        },
    )


def _render_employer(
    request: HttpRequest,
    employer: ForeignEmployer,
    vet_form: VetForm | None = None,
    document_form: forms.Form | None = None,
) -> HttpResponse:
    can_vet = ForeignEmployer.objects.vettable_by(request.user).filter(pk=employer.pk).exists()
    can_edit = _can_edit_employer(request, employer)
    return render(
        request,
        "workspace/demand/employer_detail.html",
        {
            "employer": employer,
            "events": employer.vetting_events.select_related("actor"),
            "can_edit": can_edit,
            "vet_form": (vet_form or VetForm(transitions=employer.allowed_transitions()))
            if can_vet
            else None,
            "documents": employer.documents.select_related("uploaded_by"),
            "document_form": (document_form or EmployerDocumentForm()) if can_edit else None,
        },
    )


@workspace_view(Right.DEMAND_VIEW)
def employer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_employer(request, _employer(request, pk))


@workspace_view(Right.DEMAND_VIEW)
def employer_vet_view(request: HttpRequest, pk: int) -> HttpResponse:
    employer = _employer(request, pk)
    if request.method != "POST":
        return redirect(employer)
    if not ForeignEmployer.objects.vettable_by(request.user).filter(pk=employer.pk).exists():
        raise PermissionDenied
    form = VetForm(request.POST, transitions=employer.allowed_transitions())
    if form.is_valid() and _service_accepts(
        form, employer_vet, actor=request.user, employer=employer, **form.cleaned_data
    ):
        messages.success(request, _("The vetting decision is recorded."))
        return redirect(employer)
    employer.refresh_from_db()
    return _render_employer(request, employer, vet_form=form)


def _employer_form(request: HttpRequest, employer: ForeignEmployer) -> HttpResponse:
    form = EmployerForm(request.POST or None, instance=employer, user=request.user)
    if request.method == "POST" and form.is_valid():
        service = employer_update if employer.pk else employer_register
        try:
            saved = service(actor=request.user, employer=form.instance)
        except DomainError as error:
            raise PermissionDenied from error
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The employer is saved."))
            return redirect(saved)
    return render(
        request, "workspace/demand/employer_form.html", {"form": form, "employer": employer}
    )


@workspace_view(Right.DEMAND_VIEW)
def employer_create(request: HttpRequest) -> HttpResponse:
    if not employer_registration_allowed(request.user):
        raise PermissionDenied
    return _employer_form(request, ForeignEmployer())


@workspace_view(Right.DEMAND_VIEW)
def employer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    employer = _employer(request, pk)
    if not ForeignEmployer.objects.editable_by(request.user).filter(pk=employer.pk).exists():
        raise PermissionDenied
    return _employer_form(request, employer)


# Agencies


class AgencyForm(forms.ModelForm):
    applied_on = forms.DateField(
        label=gettext_lazy("Application received"), initial=timezone.localdate, widget=DATE_INPUT
    )

    class Meta:
        model = Agency
        fields = AGENCY_FIELDS

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = (
            Organisation.objects.active()
            .of_kind(OrganisationKind.PRIVATE_AGENCY)
            .filter(agency__isnull=True)
        )


class AgencyMoveForm(forms.Form):
    transition = forms.ChoiceField(label=gettext_lazy("Move"))
    occurred_on = forms.DateField(
        label=gettext_lazy("Date"), initial=timezone.localdate, widget=DATE_INPUT
    )
    expires_on = forms.DateField(
        label=gettext_lazy("Certificate expires"),
        required=False,
        widget=DATE_INPUT,
        help_text=gettext_lazy("When certifying, the expiry date written on the certificate."),
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, transitions: list[Transition], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["transition"].choices = [(t.name, t.label) for t in transitions]


def _agency(request: HttpRequest, pk: int) -> Agency:
    return get_object_or_404(
        Agency.objects.visible_to(request.user).select_related("organisation"), pk=pk
    )


def _is_own_agency(user: User, agency: Agency) -> bool:
    return (
        user.role == Role.AGENCY
        and bool(user.organisation_id)
        and user.organisation_id == agency.organisation_id
    )


@workspace_view(Right.DEMAND_VIEW)
def agency_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    status = request.GET.get("status", "")
    late_only = request.GET.get("late") == "1"
    agencies = Agency.objects.visible_to(request.user).prefetch_related("reports", "status_events")
    if status in CertificationStatus.values:
        agencies = agencies.filter(status=status)
    rows = [(agency, agency.missing_reports(today)) for agency in agencies]
    if late_only:
        rows = [(agency, missing) for agency, missing in rows if missing]
    return render(
        request,
        "workspace/demand/agency_list.html",
        {
            "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
            "statuses": CertificationStatus.choices,
            "status": status,
            "late_only": late_only,
            "can_register": has_right(request.user, Right.DEMAND_MANAGE),
        },
    )


def _render_agency(
    request: HttpRequest, agency: Agency, move_form: AgencyMoveForm | None = None
) -> HttpResponse:
    can_manage = has_right(request.user, Right.DEMAND_MANAGE)
    agency = Agency.objects.prefetch_related("reports", "status_events").get(pk=agency.pk)
    return render(
        request,
        "workspace/demand/agency_detail.html",
        {
            "agency": agency,
            "reports": agency.reports.annotate(placements=Sum("lines__placements")),
            "scorecard": agency_scorecard(agency),
            "events": agency.status_events.select_related("actor"),
            "can_file": _is_own_agency(request.user, agency),
            "move_form": (move_form or AgencyMoveForm(transitions=agency.allowed_transitions()))
            if can_manage
            else None,
        },
    )


@workspace_view(Right.DEMAND_VIEW)
def agency_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_agency(request, _agency(request, pk))


@workspace_view(Right.DEMAND_MANAGE)
def agency_create(request: HttpRequest) -> HttpResponse:
    form = AgencyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        applied_on = form.cleaned_data["applied_on"]
        try:
            agency = agency_register(
                actor=request.user, agency=form.instance, applied_on=applied_on
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The agency's application is recorded."))
            return redirect(agency)
    return render(request, "workspace/demand/agency_form.html", {"form": form})


@workspace_view(Right.DEMAND_MANAGE)
def agency_move_view(request: HttpRequest, pk: int) -> HttpResponse:
    agency = _agency(request, pk)
    if request.method != "POST":
        return redirect(agency)
    form = AgencyMoveForm(request.POST, transitions=agency.allowed_transitions())
    if form.is_valid() and _service_accepts(
        form, agency_move, actor=request.user, agency=agency, **form.cleaned_data
    ):
        messages.success(request, _("The agency's certification is updated."))
        return redirect(agency)
    return _render_agency(request, agency, move_form=form)


# Annual reports


class ReportForm(forms.ModelForm):
    class Meta:
        model = AgencyReport
        fields = ["year", "complaints_received", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


class ReportLineForm(forms.ModelForm):
    # A code typed (or picked from the list of unit groups) rather than a select of 400 titles
    # on every row.
    occupation = forms.ModelChoiceField(
        label=gettext_lazy("Occupation (ISCO-08 code)"),
        queryset=Occupation.objects.units(),
        widget=forms.TextInput(attrs={"list": "isco-units", "inputmode": "numeric", "size": 6}),
        error_messages={"invalid_choice": gettext_lazy("Unknown ISCO-08 unit group: %(value)s.")},
    )

    class Meta:
        model = AgencyReportLine
        fields = ["country", "occupation", "sex", "placements"]


MAX_ROWS = 60


def _rows(request: HttpRequest) -> int:
    try:
        return max(1, min(MAX_ROWS, int(request.GET.get("rows", 5))))
    except ValueError:
        return 5


@workspace_view(Right.DEMAND_VIEW)
def agency_report_create(request: HttpRequest, pk: int) -> HttpResponse:
    agency = _agency(request, pk)
    if not _is_own_agency(request.user, agency):
        raise PermissionDenied
    today = timezone.localdate()
    # The year the agency most likely comes to report: its oldest missing one, else the latest
    # due year it has not filed, else the year under way.
    missing = agency.missing_reports(today)
    filed = set(agency.reports.values_list("year", flat=True))
    latest = last_due_year(today)
    year = (
        missing[0] if missing else next((y for y in (latest, latest + 1) if y not in filed), latest)
    )
    rows = _rows(request)
    line_formset = forms.formset_factory(ReportLineForm, extra=rows, max_num=MAX_ROWS)
    form = ReportForm(
        request.POST or None,
        instance=AgencyReport(agency=agency),
        initial={"year": year},
    )
    formset = line_formset(request.POST or None, prefix="lines")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        lines = [line.instance for line in formset.forms if line.has_changed()]
        try:
            report = agency_report_file(
                actor=request.user, agency=agency, lines=lines, **form.cleaned_data
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            if report.is_late:
                messages.warning(
                    request, _("The report is filed after its deadline and is marked late.")
                )
            else:
                messages.success(request, _("The report is filed."))
            return redirect(report)
    return render(
        request,
        "workspace/demand/report_form.html",
        {
            "agency": agency,
            "form": form,
            "formset": formset,
            "more_rows": min(MAX_ROWS, rows + 5),
            "units": Occupation.objects.units().only("code", "title_ka", "title_en"),
        },
    )


@workspace_view(Right.DEMAND_VIEW)
def agency_report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(
        AgencyReport.objects.visible_to(request.user).select_related("agency", "submitted_by"),
        pk=pk,
    )
    lines = list(report.lines.select_related("country", "occupation"))
    return render(
        request,
        "workspace/demand/report_detail.html",
        {
            "report": report,
            "lines": lines,
            "total": sum(line.placements for line in lines),
        },
    )


@workspace_view(Right.DEMAND_VIEW)
def agency_late_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    latest = last_due_year(today)
    years = list(range(latest, FIRST_REPORT_YEAR - 1, -1))
    try:
        year = int(request.GET.get("year", latest))
    except ValueError:
        year = latest
    if year not in years:
        year = latest
    late = agencies_late_with_report(year, today, among=Agency.objects.visible_to(request.user))
    deadline = report_deadline(year)
    return render(
        request,
        "workspace/demand/agency_late.html",
        {
            "agencies": late,
            "year": year,
            "years": years,
            "deadline": deadline,
            "days_late": (today - deadline).days,
        },
    )


# Employers' documents


class EmployerDocumentForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=300)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=EmployerDocumentKind.choices)
    language = forms.ChoiceField(label=gettext_lazy("Language"), choices=DocumentLanguage.choices)
    upload = forms.FileField(
        label=gettext_lazy("File"),
        widget=forms.FileInput(attrs={"accept": ".pdf,.docx,.xlsx,.odt"}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["upload"].help_text = _("PDF, DOCX, XLSX or ODT, at most %(limit)s MB.") % {
            "limit": settings.UPLOAD_MAX_MB
        }


@workspace_view(Right.DEMAND_VIEW)
def employer_document_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    employer = _employer(request, pk)
    if not _can_edit_employer(request, employer):
        raise PermissionDenied
    if request.method != "POST":
        return redirect(employer)
    form = EmployerDocumentForm(request.POST, request.FILES)
    if form.is_valid() and _service_accepts(
        form,
        employer_document_add,
        actor=request.user,
        employer=employer,
        **form.cleaned_data,
    ):
        messages.success(request, _("The document is attached."))
        return redirect(employer)
    return _render_employer(request, employer, document_form=form)


def _visible_documents(request: HttpRequest):
    return EmployerDocument.objects.filter(
        employer__in=ForeignEmployer.objects.visible_to(request.user)
    )


@workspace_view(Right.DEMAND_VIEW)
def employer_document(request: HttpRequest, pk: int) -> HttpResponse:
    """Download a document of an employer the user may see; every download is audited."""
    document = get_object_or_404(_visible_documents(request), pk=pk)
    response = file_response(document)
    audit_record(
        actor=request.user,
        verb=AuditVerb.EXPORTED,
        target=document,
        payload={"employer": document.employer_id, "sha256": document.sha256},
    )
    return response


@workspace_view(Right.DEMAND_VIEW)
@require_POST
def employer_document_remove_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove a document (POST only); the file goes once the removal is committed."""
    document = get_object_or_404(_visible_documents(request).select_related("employer"), pk=pk)
    if not _can_edit_employer(request, document.employer):
        raise PermissionDenied
    employer_document_remove(actor=request.user, document=document)
    messages.success(request, _("The document is removed."))
    return redirect(document.employer)
