"""Mobility in the workspace: an application's pre-departure page (checklist, orientation
invitations, certificates), orientation sessions with attendance marking, the placement created
at departure, its page and status moves, the placements list and the return form.

Applications are fetched through `applications_visible_to(user)` and placements through
`Placement.objects.visible_to(user)`: outside scope is a 404. The rules live in
gza/mobility/services.py; pages showing a person write the access log."""

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gza.core.audit import access_record, audit_record
from gza.core.enums import AccessAction, AuditVerb, OrganisationKind, Role
from gza.core.errors import DomainError
from gza.core.models import Organisation
from gza.core.roles import Right
from gza.mobility.certificates import certificate_pdf, display_code
from gza.mobility.enums import (
    ChecklistItem,
    EarlyReturnReason,
    PayPeriod,
    PlacementStatus,
    ReturnKind,
)
from gza.mobility.models import Attendance, OrientationSession, Placement, Return
from gza.mobility.scoping import PRE_DEPARTURE_STAGES, applications_visible_to
from gza.mobility.services import (
    attendance_mark,
    checklist_mark,
    checklist_missing,
    placement_allowed_moves,
    placement_create,
    placement_move,
    placement_quota_warnings,
    return_record,
    session_invite,
    session_save,
)
from gza.recruitment.enums import Stage
from gza.recruitment.models import Application
from gza.taxonomy.models import Country, Language
from gza.web.workspace.access import workspace_view
from gza.web.workspace.paging import paginate


def _add_errors(form: forms.Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _refuse(form: forms.Form, error: Exception) -> None:
    if isinstance(error, ValidationError):
        _add_errors(form, error)
    else:
        form.add_error(None, str(error))


def _application(request: HttpRequest, public_id) -> Application:
    return get_object_or_404(
        applications_visible_to(request.user).select_related(
            "job_seeker", "vacancy__country", "vacancy__employer", "vacancy__occupation"
        ),
        public_id=public_id,
    )


def _placement(request: HttpRequest, public_id) -> Placement:
    return get_object_or_404(
        Placement.objects.visible_to(request.user).select_related(
            "job_seeker",
            "employer",
            "agreement",
            "country",
            "occupation",
            "application__vacancy",
            "created_by",
        ),
        public_id=public_id,
    )


# Pre-departure ----------------------------------------------------------------------------------


class ChecklistForm(forms.Form):
    item = forms.ChoiceField(label=gettext_lazy("Item"), choices=ChecklistItem.choices)
    done_on = forms.DateField(
        label=gettext_lazy("Done on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    language = forms.ModelChoiceField(
        label=gettext_lazy("Language of the contract"),
        queryset=Language.objects.all(),
        required=False,
        help_text=gettext_lazy(
            "For the contract only: Georgian, or a language the worker speaks at B1 or above."
        ),
    )
    note = forms.CharField(label=gettext_lazy("Note"), max_length=300, required=False)


class InviteForm(forms.Form):
    session = forms.ModelChoiceField(
        label=gettext_lazy("Orientation session"), queryset=OrientationSession.objects.none()
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = OrientationSession.objects.filter(
            starts_at__gte=timezone.now()
        ).select_related("organisation")


def _render_predeparture(
    request: HttpRequest,
    application: Application,
    checklist_form: ChecklistForm | None = None,
    invite_form: InviteForm | None = None,
    status: int = 200,
) -> HttpResponse:
    access_record(
        actor=request.user,
        subject=application.job_seeker,
        action=AccessAction.VIEW,
        purpose="pre-departure",
    )
    marks = {
        mark.item: mark for mark in application.checklist.select_related("language", "recorded_by")
    }
    preparing = application.stage in PRE_DEPARTURE_STAGES
    placement = Placement.objects.filter(application=application).first()
    return render(
        request,
        "workspace/mobility/predeparture.html",
        {
            "application": application,
            "person": application.job_seeker,
            "rows": [(value, label, marks.get(value)) for value, label in ChecklistItem.choices],
            "complete": not checklist_missing(application),
            "attendances": application.attendances.select_related("session__organisation"),
            "preparing": preparing,
            "checklist_form": (
                checklist_form or ChecklistForm(initial={"done_on": timezone.localdate()})
            )
            if preparing
            else None,
            "invite_form": (invite_form or InviteForm()) if preparing else None,
            "placement": placement,
            "can_place": application.stage == Stage.VISA_GRANTED and placement is None,
        },
        status=status,
    )


@workspace_view(Right.MOBILITY_MANAGE)
def application_predeparture(request: HttpRequest, public_id) -> HttpResponse:
    """The checklist and its form, the orientation invitations and certificates."""
    application = _application(request, public_id)
    if request.method != "POST":
        return _render_predeparture(request, application)
    form = ChecklistForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            checklist_mark(
                actor=request.user,
                application=application,
                item=data["item"],
                done_on=data["done_on"],
                language=data["language"],
                note=data["note"],
            )
        except (ValidationError, DomainError) as error:
            _refuse(form, error)
        else:
            messages.success(request, _("The checklist item is recorded."))
            return redirect("workspace:application_predeparture", public_id=application.public_id)
    return _render_predeparture(request, application, checklist_form=form, status=400)


@workspace_view(Right.MOBILITY_MANAGE)
def application_invite(request: HttpRequest, public_id) -> HttpResponse:
    application = _application(request, public_id)
    if request.method != "POST":
        return redirect("workspace:application_predeparture", public_id=application.public_id)
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            session_invite(
                actor=request.user, session=form.cleaned_data["session"], applications=[application]
            )
        except (ValidationError, DomainError) as error:
            _refuse(form, error)
        else:
            messages.success(request, _("The person is invited to the session."))
            return redirect("workspace:application_predeparture", public_id=application.public_id)
    return _render_predeparture(request, application, invite_form=form, status=400)


def certificate_response(attendance: Attendance, user) -> HttpResponse:
    """The certificate PDF as a download, its export audited."""
    document = certificate_pdf(attendance)
    audit_record(
        actor=user,
        verb=AuditVerb.EXPORTED,
        target=attendance,
        payload={"document": "orientation certificate"},
    )
    response = HttpResponse(document, content_type="application/pdf")
    filename = f"gza-certificate-{display_code(attendance.certificate_code)}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@workspace_view(Right.MOBILITY_MANAGE)
def certificate_download(request: HttpRequest, pk: int) -> HttpResponse:
    attendance = get_object_or_404(
        Attendance.objects.filter(
            application__in=applications_visible_to(request.user),
            attended=True,
            certificate_code__isnull=False,
        ).select_related("session__organisation", "application__job_seeker"),
        pk=pk,
    )
    return certificate_response(attendance, request.user)


# Orientation sessions ---------------------------------------------------------------------------


class SessionForm(forms.ModelForm):
    class Meta:
        model = OrientationSession
        fields = [
            "starts_at",
            "place",
            "online",
            "organisation",
            "agreement",
            "topics_ka",
            "topics_en",
            "capacity",
        ]
        widgets = {
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            "topics_ka": forms.Textarea(attrs={"rows": 3}),
            "topics_en": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, user, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisations = Organisation.objects.filter(
            kind__in=[
                OrganisationKind.IOM_NGO,
                OrganisationKind.EMPLOYMENT_AGENCY,
                OrganisationKind.LABOUR_MINISTRY,
                OrganisationKind.EMBASSY,
            ],
            is_active=True,
        )
        if user.role != Role.MINISTRY_OFFICER:
            # Others run their own organisation's sessions (the service sets it).
            del self.fields["organisation"]
        else:
            self.fields["organisation"].queryset = organisations

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("online") and not (data.get("place") or "").strip():
            self.add_error("place", _("Give the place, or tick “online”."))
        return data


@workspace_view(Right.MOBILITY_MANAGE)
def session_list(request: HttpRequest) -> HttpResponse:
    sessions = (
        OrientationSession.objects.select_related("organisation")
        .annotate(
            invited=Count("attendances"),
            attended=Count("attendances", filter=Q(attendances__attended=True)),
        )
        .order_by("-starts_at", "-id")
    )
    return render(
        request, "workspace/mobility/sessions.html", {"page": paginate(request, sessions)}
    )


def _session_form_page(request: HttpRequest, session: OrientationSession) -> HttpResponse:
    form = SessionForm(request.POST or None, instance=session, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            session = session_save(actor=request.user, session=form.instance)
        except (ValidationError, DomainError) as error:
            _refuse(form, error)
        else:
            messages.success(request, _("The session is saved."))
            return redirect("workspace:session_detail", pk=session.pk)
    return render(
        request,
        "workspace/mobility/session_form.html",
        {"form": form, "session": session},
        status=400 if request.method == "POST" else 200,
    )


@workspace_view(Right.MOBILITY_MANAGE)
def session_create(request: HttpRequest) -> HttpResponse:
    return _session_form_page(request, OrientationSession())


@workspace_view(Right.MOBILITY_MANAGE)
def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(OrientationSession, pk=pk)
    if (
        request.user.role != Role.MINISTRY_OFFICER
        and session.organisation_id != request.user.organisation_id
    ):
        raise Http404
    return _session_form_page(request, session)


@workspace_view(Right.MOBILITY_MANAGE)
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The session and the people invited whom the user may see, with attendance marking."""
    session = get_object_or_404(
        OrientationSession.objects.select_related("organisation", "agreement"), pk=pk
    )
    attendances = list(
        session.attendances.filter(application__in=applications_visible_to(request.user))
        .select_related("application__job_seeker", "application__vacancy__country")
        .order_by("application__job_seeker__last_name", "id")
    )
    hidden = session.attendances.count() - len(attendances)
    held = session.starts_at <= timezone.now()
    can_edit = (
        request.user.role == Role.MINISTRY_OFFICER
        or session.organisation_id == request.user.organisation_id
    )
    return render(
        request,
        "workspace/mobility/session_detail.html",
        {
            "session": session,
            "attendances": attendances,
            "hidden": hidden,
            "held": held,
            "can_edit": can_edit,
        },
    )


@workspace_view(Right.MOBILITY_MANAGE)
@require_POST
def attendance_mark_view(request: HttpRequest, pk: int) -> HttpResponse:
    attendance = get_object_or_404(
        Attendance.objects.filter(application__in=applications_visible_to(request.user)), pk=pk
    )
    attended = request.POST.get("attended")
    if attended not in {"yes", "no"}:
        messages.error(request, _("Choose whether the person attended."))
    else:
        try:
            attendance_mark(actor=request.user, attendance=attendance, attended=attended == "yes")
        except (ValidationError, DomainError) as error:
            for message in getattr(error, "messages", [str(error)]):
                messages.error(request, message)
        else:
            messages.success(request, _("Attendance is recorded."))
    return redirect("workspace:session_detail", pk=attendance.session_id)


# Placements -------------------------------------------------------------------------------------


class PlacementForm(forms.Form):
    departure_date = forms.DateField(
        label=gettext_lazy("Departure date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    contract_start = forms.DateField(
        label=gettext_lazy("Contract from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    contract_end = forms.DateField(
        label=gettext_lazy("Contract until"), widget=forms.DateInput(attrs={"type": "date"})
    )
    city = forms.CharField(label=gettext_lazy("City"), max_length=100, required=False)
    pay_amount = forms.DecimalField(
        label=gettext_lazy("Promised pay"), max_digits=10, decimal_places=2, min_value=0
    )
    pay_currency = forms.CharField(label=gettext_lazy("Currency"), min_length=3, max_length=3)
    pay_period = forms.ChoiceField(label=gettext_lazy("Pay period"), choices=PayPeriod.choices)
    hours_per_week = forms.IntegerField(
        label=gettext_lazy("Promised hours per week"), min_value=1, max_value=84
    )
    housing_provided = forms.BooleanField(label=gettext_lazy("Housing provided"), required=False)
    housing_cost = forms.DecimalField(
        label=gettext_lazy("Housing cost per month"),
        max_digits=10,
        decimal_places=2,
        min_value=0,
        required=False,
    )
    deductions = forms.CharField(
        label=gettext_lazy("Other deductions"), max_length=300, required=False
    )


@workspace_view(Right.MOBILITY_MANAGE)
def placement_create_view(request: HttpRequest, public_id) -> HttpResponse:
    """Record the departure of an application with a granted visa: the promised terms."""
    application = _application(request, public_id)
    existing = Placement.objects.filter(application=application).first()
    if existing is not None:
        return redirect(existing.get_absolute_url())
    vacancy = application.vacancy
    initial = {
        "city": vacancy.city,
        "pay_amount": vacancy.wage_amount,
        "pay_currency": vacancy.wage_currency,
        "pay_period": vacancy.wage_period if vacancy.wage_period in PayPeriod.values else "",
        "hours_per_week": vacancy.hours_per_week,
        "housing_provided": vacancy.housing_provided,
        "contract_start": vacancy.start_date,
    }
    form = PlacementForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            placement = placement_create(
                actor=request.user, application=application, **form.cleaned_data
            )
        except (ValidationError, DomainError) as error:
            _refuse(form, error)
        else:
            messages.success(request, _("The departure is recorded and the placement created."))
            for warning in placement_quota_warnings(placement):
                messages.warning(request, warning)
            return redirect(placement.get_absolute_url())
    access_record(
        actor=request.user,
        subject=application.job_seeker,
        action=AccessAction.VIEW,
        purpose="placement",
    )
    return render(
        request,
        "workspace/mobility/placement_form.html",
        {"form": form, "application": application, "person": application.job_seeker},
        status=400 if request.method == "POST" else 200,
    )


@workspace_view(Right.MOBILITY_MANAGE)
def placement_list(request: HttpRequest) -> HttpResponse:
    placements = Placement.objects.visible_to(request.user).select_related(
        "job_seeker", "country", "occupation", "employer"
    )
    country = request.GET.get("country", "")
    status = request.GET.get("status", "")
    if country:
        placements = placements.filter(country_id=country)
    if status in PlacementStatus.values:
        placements = placements.filter(status=status)
    else:
        status = ""
    countries = Country.objects.filter(
        pk__in=Placement.objects.visible_to(request.user).values("country_id")
    )
    return render(
        request,
        "workspace/mobility/placements.html",
        {
            "page": paginate(request, placements),
            "countries": countries,
            "country": country,
            "statuses": PlacementStatus.choices,
            "status": status,
        },
    )


class PlacementMoveForm(forms.Form):
    transition = forms.ChoiceField(label=gettext_lazy("Change"))
    occurred_on = forms.DateField(
        label=gettext_lazy("Date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )

    def __init__(self, *args: Any, placement: Placement, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["transition"].choices = [
            (move.name, move.label) for move in placement_allowed_moves(placement)
        ]


def _render_placement(
    request: HttpRequest,
    placement: Placement,
    move_form: PlacementMoveForm | None = None,
    status: int = 200,
) -> HttpResponse:
    access_record(
        actor=request.user,
        subject=placement.job_seeker,
        action=AccessAction.VIEW,
        purpose="placement",
    )
    homecoming = Return.objects.filter(placement=placement).first()
    allowed = placement_allowed_moves(placement)
    if move_form is None and allowed:
        move_form = PlacementMoveForm(
            placement=placement, initial={"occurred_on": timezone.localdate()}
        )
    return render(
        request,
        "workspace/mobility/placement_detail.html",
        {
            "placement": placement,
            "person": placement.job_seeker,
            "events": placement.events.select_related("actor"),
            "homecoming": homecoming,
            "move_form": move_form if allowed else None,
            "can_return": homecoming is None,
        },
        status=status,
    )


@workspace_view(Right.MOBILITY_MANAGE)
def placement_detail(request: HttpRequest, public_id) -> HttpResponse:
    return _render_placement(request, _placement(request, public_id))


@workspace_view(Right.MOBILITY_MANAGE)
def placement_move_view(request: HttpRequest, public_id) -> HttpResponse:
    placement = _placement(request, public_id)
    if request.method != "POST":
        return redirect(placement.get_absolute_url())
    form = PlacementMoveForm(request.POST, placement=placement)
    if form.is_valid():
        try:
            placement_move(actor=request.user, placement=placement, **form.cleaned_data)
        except (ValidationError, DomainError) as error:
            _refuse(form, error)
        else:
            messages.success(request, _("The placement's status is changed."))
            return redirect(placement.get_absolute_url())
    return _render_placement(request, placement, move_form=form, status=400)


class ReturnForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Return"), choices=ReturnKind.choices, widget=forms.RadioSelect
    )
    returned_on = forms.DateField(
        label=gettext_lazy("Returned on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.ChoiceField(
        label=gettext_lazy("Reason for returning early"),
        choices=[("", "—"), *EarlyReturnReason.choices],
        required=False,
    )
    refer = forms.BooleanField(
        label=gettext_lazy("Refer the person to reintegration assistance"), required=False
    )
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Assisting organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=gettext_lazy("Leave empty to refer to your own organisation."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            kind__in=[
                OrganisationKind.IOM_NGO,
                OrganisationKind.EMPLOYMENT_AGENCY,
                OrganisationKind.LABOUR_MINISTRY,
            ],
            is_active=True,
        )


@workspace_view(Right.MOBILITY_MANAGE)
def return_create(request: HttpRequest, public_id) -> HttpResponse:
    placement = _placement(request, public_id)
    if Return.objects.filter(placement=placement).exists():
        return redirect(placement.get_absolute_url())
    form = ReturnForm(
        request.POST or None,
        initial={"returned_on": timezone.localdate(), "kind": ReturnKind.PLANNED},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            return_record(
                actor=request.user,
                placement=placement,
                kind=data["kind"],
                returned_on=data["returned_on"],
                reason=data["reason"],
                refer=data["refer"],
                organisation=data["organisation"],
            )
        except (ValidationError, DomainError) as error:
            _refuse(form, error)
        else:
            messages.success(request, _("The return is recorded."))
            return redirect(placement.get_absolute_url())
    return render(
        request,
        "workspace/mobility/return_form.html",
        {"form": form, "placement": placement, "person": placement.job_seeker},
        status=400 if request.method == "POST" else 200,
    )
