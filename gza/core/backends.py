"""Signing in with a mobile number and password.

Job seekers who registered with a mobile number have no e-mail address; they sign in with
one-time codes, and once they set a password (`/me/password/`) also with the number and that
password on the ordinary sign-in form. Staff sign in with their e-mail address (ModelBackend)."""

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from gza.core.models import User
from gza.registry.validators import normalise_phone


class PhonePasswordBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if not username or password is None or "@" in username:
            return None
        try:
            phone = normalise_phone(username)
        except ValidationError:
            return None
        user = User.objects.filter(phone=phone).first()
        if user is None:
            # Spend the same time as for an existing account, so timing tells nothing.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
