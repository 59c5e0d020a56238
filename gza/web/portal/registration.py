"""Self-service registration and sign-in with one-time codes on the portal.

Register: choose phone or e-mail and enter it → type the code that was sent → fill in identity
and consents → see the registration number. Sign in: the same first two steps, for an existing
account. The address being confirmed and the proof that it is confirmed stay in the session,
never in a URL, so no phone number or e-mail reaches an address bar or a request log.
Every step works without JavaScript.
"""

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from gza.core.audit import access_record, audit_record
from gza.core.enums import AccessAction, AuditVerb, Role
from gza.core.errors import DomainError
from gza.core.middleware import client_ip
from gza.registry.enums import CodeChannel, CodePurpose, ConsentPurpose
from gza.registry.models import JobSeeker
from gza.registry.names import romanise
from gza.registry.otp import CodeRefused, TooManyCodes, normalise_address
from gza.registry.registration import (
    address_is_registered,
    confirm_code,
    latest_consent_texts,
    register_self,
    request_code,
    sign_in_confirm,
    verified_address,
)
from gza.taxonomy.models import Country

# Session keys: the address a code was sent to, per journey, and the confirmed-address token.
_PENDING = {CodePurpose.REGISTER: "gza_registration_address", CodePurpose.SIGN_IN: "gza_sign_in"}
_VERIFIED_KEY = "gza_registration_token"
_BACKEND = "django.contrib.auth.backends.ModelBackend"


class AddressForm(forms.Form):
    channel = forms.ChoiceField(
        label=gettext_lazy("Send the code to my"),
        choices=CodeChannel.choices,
        initial=CodeChannel.SMS,
        widget=forms.RadioSelect,
    )
    address = forms.CharField(
        label=gettext_lazy("Mobile number or e-mail address"),
        max_length=254,
        help_text=gettext_lazy("For example 599 12 34 56, or name@example.com."),
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if "channel" in data and "address" in data:
            try:
                data["address"] = normalise_address(data["channel"], data["address"])
            except ValidationError as error:
                self.add_error("address", error.message_dict.get("address", error.messages))
        return data


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=12,
        required=False,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "size": 8}
        ),
    )


class DetailsForm(forms.ModelForm):
    """The identity a person registers with. The confirmed address is not asked again; the
    other contact is optional."""

    consents = forms.MultipleChoiceField(
        label=gettext_lazy("I agree to"),
        choices=ConsentPurpose.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = JobSeeker
        fields = [
            "personal_number",
            "first_name",
            "last_name",
            "first_name_latin",
            "last_name_latin",
            "birth_date",
            "sex",
            "citizenship",
            "municipality",
            "email",
            "phone",
            "passport_number",
            "passport_expiry",
        ]
        widgets = {
            "personal_number": forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 11}),
            "birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "passport_expiry": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "sex": forms.RadioSelect,
        }
        help_texts = {
            "first_name": gettext_lazy("In Georgian letters, as on your ID card."),
            "first_name_latin": gettext_lazy(
                "As in your passport. Leave empty and Gza writes it from the Georgian."
            ),
        }

    def __init__(self, *args: Any, channel: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The confirmed contact comes from the code; the form asks only for the other one.
        del self.fields["phone" if channel == CodeChannel.SMS else "email"]
        self.fields["citizenship"].queryset = Country.objects.states()
        self.fields["sex"].choices = self.fields["sex"].choices[1:]
        self.texts = latest_consent_texts()
        self.fields["consents"].choices = [
            (purpose, label) for purpose, label in ConsentPurpose.choices if purpose in self.texts
        ]

    def consent_items(self) -> list[dict[str, Any]]:
        chosen = set(self["consents"].value() or [])
        return [
            {
                "purpose": purpose,
                "label": label,
                "text": self.texts[purpose].text,
                "required": purpose == ConsentPurpose.REGISTRATION,
                "checked": purpose in chosen,
            }
            for purpose, label in self.fields["consents"].choices
        ]


def _add_errors(form: forms.Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _masked(channel: str, address: str) -> str:
    """Enough of the address to recognise it on a shared screen, not to read it."""
    if channel == CodeChannel.SMS:
        return f"…{address[-3:]}"
    name, _at, domain = address.partition("@")
    return f"{name[:1]}…@{domain}"


def _send(request: HttpRequest, *, channel: str, address: str, purpose: str) -> str | None:
    """Ask for a code; the refusal's message when a rate limit is reached, else None."""
    try:
        request_code(channel=channel, address=address, purpose=purpose, ip=client_ip(request))
    except TooManyCodes as error:
        return str(error)
    return None


@never_cache
def register_start(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("portal:me")
    return _ask_for_address(request, purpose=CodePurpose.REGISTER)


@never_cache
def sign_in(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("portal:me")
    return _ask_for_address(request, purpose=CodePurpose.SIGN_IN)


def _ask_for_address(request: HttpRequest, *, purpose: str) -> HttpResponse:
    form = AddressForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        channel, address = form.cleaned_data["channel"], form.cleaned_data["address"]
        refusal = _send(request, channel=channel, address=address, purpose=purpose)
        if refusal:
            form.add_error(None, refusal)
        else:
            request.session[_PENDING[purpose]] = {"channel": channel, "address": address}
            if purpose == CodePurpose.REGISTER:
                return redirect("portal:register_confirm")
            return redirect("portal:sign_in_confirm")
    template = "register_start" if purpose == CodePurpose.REGISTER else "sign_in"
    return render(request, f"portal/registration/{template}.html", {"form": form})


@sensitive_post_parameters("code")
@never_cache
def register_confirm(request: HttpRequest) -> HttpResponse:
    return _confirm(request, purpose=CodePurpose.REGISTER)


@sensitive_post_parameters("code")
@never_cache
def sign_in_code(request: HttpRequest) -> HttpResponse:
    return _confirm(request, purpose=CodePurpose.SIGN_IN)


def _confirm(request: HttpRequest, *, purpose: str) -> HttpResponse:
    pending = request.session.get(_PENDING[purpose])
    start = "portal:register" if purpose == CodePurpose.REGISTER else "portal:sign_in"
    if not pending:
        return redirect(start)
    channel, address = pending["channel"], pending["address"]
    form = CodeForm(request.POST or None)
    if request.method == "POST" and "resend" in request.POST:
        form = CodeForm()
        refusal = _send(request, channel=channel, address=address, purpose=purpose)
        if refusal:
            messages.error(request, refusal)
        else:
            messages.success(request, _("We sent you a new code."))
    elif request.method == "POST" and form.is_valid():
        try:
            if purpose == CodePurpose.REGISTER:
                return _confirmed_for_registration(
                    request, channel=channel, address=address, code=form.cleaned_data["code"]
                )
            user = sign_in_confirm(channel=channel, address=address, code=form.cleaned_data["code"])
        except CodeRefused as error:
            form.add_error("code", str(error))
        else:
            auth.login(request, user, backend=_BACKEND)
            request.session.pop(_PENDING[purpose], None)
            return redirect("portal:me")
    return render(
        request,
        "portal/registration/confirm.html",
        {
            "form": form,
            "masked_address": _masked(channel, address),
            "by_sms": channel == CodeChannel.SMS,
            "start_url_name": start,
            "registering": purpose == CodePurpose.REGISTER,
            "ttl_minutes": settings.OTP_TTL_MINUTES,
        },
    )


def _confirmed_for_registration(
    request: HttpRequest, *, channel: str, address: str, code: str
) -> HttpResponse:
    token = confirm_code(channel=channel, address=address, code=code)
    request.session.pop(_PENDING[CodePurpose.REGISTER], None)
    if address_is_registered(token):
        # Told only now, to whoever proved they hold the phone or mailbox.
        messages.info(
            request, _("You are already registered with this address: sign in with a code.")
        )
        return redirect("portal:sign_in")
    request.session[_VERIFIED_KEY] = token
    return redirect("portal:register_details")


@sensitive_post_parameters("personal_number", "passport_number")
@never_cache
def register_details(request: HttpRequest) -> HttpResponse:
    token = request.session.get(_VERIFIED_KEY)
    try:
        channel, _address = verified_address(token)
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("portal:register")
    if request.method == "POST" and "suggest" in request.POST:
        form = DetailsForm(initial=_with_latin_suggestions(request.POST), channel=channel)
    else:
        form = DetailsForm(request.POST or None, channel=channel)
    if request.method == "POST" and "suggest" not in request.POST and form.is_valid():
        identity = {name: value for name, value in form.cleaned_data.items() if name != "consents"}
        try:
            person = register_self(
                token=token, identity=identity, consents=form.cleaned_data["consents"]
            )
        except ValidationError as error:
            _add_errors(form, error)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            request.session.pop(_VERIFIED_KEY, None)
            auth.login(request, person.user, backend=_BACKEND)
            return redirect("portal:register_done")
    return render(request, "portal/registration/details.html", {"form": form})


def _with_latin_suggestions(data) -> dict[str, Any]:
    """The posted answers, with the Latin names written from the Georgian where empty."""
    initial: dict[str, Any] = {name: data.get(name, "") for name in DetailsForm.Meta.fields}
    initial["consents"] = data.getlist("consents")
    for name in ("first_name", "last_name"):
        if not initial[f"{name}_latin"] and initial[name]:
            initial[f"{name}_latin"] = romanise(initial[name].strip())
    return initial


@login_required
def register_done(request: HttpRequest) -> HttpResponse:
    person = JobSeeker.objects.visible_to(request.user).first()
    if person is None:
        return redirect("portal:me")
    access_record(actor=request.user, subject=person, action=AccessAction.VIEW, purpose="self")
    return render(request, "portal/registration/done.html", {"person": person})


@sensitive_post_parameters("new_password1", "new_password2")
@login_required
@never_cache
def set_password(request: HttpRequest) -> HttpResponse:
    """A job seeker who signs in with codes may add a password, whenever they like."""
    if request.user.role != Role.JOB_SEEKER:
        return redirect("workspace:home")
    form = SetPasswordForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        auth.update_session_auth_hash(request, user)
        audit_record(actor=user, verb=AuditVerb.PASSWORD_CHANGED, target=user)
        messages.success(request, _("Your password is set."))
        return redirect("portal:me")
    return render(request, "portal/registration/password.html", {"form": form})
