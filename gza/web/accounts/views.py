import base64

from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from gza.core.audit import audit_record
from gza.core.enums import AuditVerb
from gza.core.services import password_reset_request
from gza.web.accounts.forms import LoginForm, PasswordResetRequestForm, TokenForm
from gza.web.accounts.two_factor import (
    needs_second_factor,
    second_factor_redirect,
    totp_qr_svg,
)


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request, data=request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            user = form.get_user()
            auth.login(request, user)
            audit_record(actor=user, verb=AuditVerb.LOGGED_IN, target=user)
            next_url = _next_url(request)
            if needs_second_factor(request):
                return second_factor_redirect(user, next_url)
            return HttpResponseRedirect(next_url)
        audit_record(actor=None, verb=AuditVerb.LOGIN_FAILED)
    return render(request, "registration/login.html", {"form": form, "next": _next_url(request)})


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        audit_record(actor=request.user, verb=AuditVerb.LOGGED_OUT, target=request.user)
    auth.logout(request)
    messages.success(request, _("You have signed out."))
    return redirect(settings.LOGOUT_REDIRECT_URL)


@login_required
@never_cache
def otp_verify(request: HttpRequest) -> HttpResponse:
    if not user_has_device(request.user):
        return redirect("accounts:otp_setup")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            audit_record(
                actor=request.user, verb=AuditVerb.TWO_FACTOR_VERIFIED, target=request.user
            )
            return HttpResponseRedirect(_next_url(request))
        form.add_error("token", _("This code is not valid. Wait for the next one and try again."))
    return render(
        request, "registration/otp_verify.html", {"form": form, "next": _next_url(request)}
    )


@login_required
@never_cache
def otp_setup(request: HttpRequest) -> HttpResponse:
    if user_has_device(request.user):
        return redirect("accounts:otp_verify")
    device, _created = TOTPDevice.objects.get_or_create(
        user=request.user, confirmed=False, defaults={"name": "authenticator"}
    )
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            audit_record(
                actor=request.user, verb=AuditVerb.TWO_FACTOR_ENROLLED, target=request.user
            )
            messages.success(request, _("Two-factor authentication is on for your account."))
            return HttpResponseRedirect(_next_url(request))
        form.add_error("token", _("This code is not valid. Wait for the next one and try again."))
    return render(
        request,
        "registration/otp_setup.html",
        {
            "form": form,
            "next": _next_url(request),
            "qr_svg": totp_qr_svg(device),
            "secret": _base32(device),
        },
    )


def _base32(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode().rstrip("=")


@never_cache
def password_reset(request: HttpRequest) -> HttpResponse:
    form = PasswordResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        password_reset_request(
            email=form.cleaned_data["email"], base_url=request.build_absolute_uri("/")
        )
        # The same answer whether or not the address has an account.
        return render(request, "registration/password_reset_sent.html")
    return render(request, "registration/password_reset_form.html", {"form": form})


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        audit_record(actor=form.user, verb=AuditVerb.PASSWORD_CHANGED, target=form.user)
        return response
