"""When a second factor is needed, and the enrolment QR code."""

from urllib.parse import urlencode

import segno
from django.conf import settings
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import resolve_url
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice


def needs_second_factor(request: HttpRequest) -> bool:
    """Staff must verify a TOTP code when two-factor is required (production) or when they
    have enrolled a device of their own accord."""
    user = request.user
    if not user.is_authenticated or not user.is_staff_role:
        return False
    # OTPMiddleware adds is_verified(); a user object fresh from the login form has none yet.
    is_verified = getattr(user, "is_verified", None)
    if is_verified is not None and is_verified():
        return False
    return settings.REQUIRE_STAFF_2FA or user_has_device(user)


def totp_qr_svg(device: TOTPDevice) -> str:
    return segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#111", light="#fff")


def second_factor_redirect(user, next_url: str) -> HttpResponseRedirect:
    """Send a user who still owes a second factor to verify it, or to enrol a device first."""
    target = "accounts:otp_verify" if user_has_device(user) else "accounts:otp_setup"
    return HttpResponseRedirect(f"{resolve_url(target)}?{urlencode({'next': next_url})}")
