"""Self-service registration over the API: ask for a code, confirm it, register.

Open to anyone (a mobile app or a partner's kiosk calls it for the person), so it is guarded by
the one-time codes' own limits (gza/registry/otp.py), which answer 429 with a clear message,
rather than by the API's general anonymous throttle. No session and no cookie: the proof that
an address is confirmed is the signed token the confirmation returns, so there is nothing for
CSRF to protect. Each call commits its own short transaction instead of holding one for the
whole request, which keeps a surge's row locks short.
"""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import Throttled
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from gza.core.middleware import client_ip
from gza.registry.enums import CodeChannel, CodePurpose, ConsentPurpose, Sex
from gza.registry.otp import TooManyCodes
from gza.registry.registration import confirm_code, register_self, request_code


class CodeRequestInput(serializers.Serializer):
    channel = serializers.ChoiceField(choices=CodeChannel.choices)
    address = serializers.CharField(
        max_length=254, help_text=_("A mobile number (E.164 or Georgian) or an e-mail address.")
    )


class CodeRequestOutput(serializers.Serializer):
    detail = serializers.CharField()


class ConfirmationInput(CodeRequestInput):
    code = serializers.CharField(max_length=12)


class ConfirmationOutput(serializers.Serializer):
    token = serializers.CharField(
        help_text=_("Proves the address is confirmed; send it with the registration.")
    )


class RegistrationInput(serializers.Serializer):
    token = serializers.CharField()
    personal_number = serializers.CharField(max_length=11)
    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=100)
    first_name_latin = serializers.CharField(max_length=100, required=False, allow_blank=True)
    last_name_latin = serializers.CharField(max_length=100, required=False, allow_blank=True)
    birth_date = serializers.DateField()
    sex = serializers.ChoiceField(choices=Sex.choices)
    citizenship = serializers.CharField(
        max_length=2, default="GE", source="citizenship_id", help_text=_("ISO 3166 code")
    )
    municipality = serializers.CharField(max_length=40, source="municipality_id")
    email = serializers.EmailField(required=False, allow_blank=True)
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    passport_number = serializers.CharField(max_length=12, required=False, allow_blank=True)
    passport_expiry = serializers.DateField(required=False, allow_null=True)
    consents = serializers.ListField(
        child=serializers.ChoiceField(choices=ConsentPurpose.choices),
        allow_empty=False,
        help_text=_("The purposes agreed to; registration and matching is required."),
    )

    def validate_citizenship(self, value: str) -> str:
        return value.upper()


class RegistrationOutput(serializers.Serializer):
    registration_number = serializers.CharField()
    public_id = serializers.UUIDField()


class _OpenRegistrationApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes: list = []

    @classmethod
    def as_view(cls, **initkwargs: Any):
        return transaction.non_atomic_requests(super().as_view(**initkwargs))

    def handle_exception(self, exc: Exception) -> Response:
        # DRF marks the enclosing atomic block for rollback when it answers an error, meant for
        # a request's own transaction. These views have none: they commit short transactions
        # of their own (a wrong code's try must count even though the answer is an error), so
        # an enclosing block, if any, is not theirs to roll back.
        enclosing = transaction.get_connection().in_atomic_block
        keep = transaction.get_rollback() if enclosing else False
        response = super().handle_exception(exc)
        if enclosing:
            transaction.set_rollback(keep)
        return response


def _throttled(error: TooManyCodes) -> Throttled:
    return Throttled(wait=error.retry_after, detail=str(error))


class CodeRequestApi(_OpenRegistrationApi):
    @extend_schema(
        request=CodeRequestInput,
        responses={
            202: CodeRequestOutput,
            429: OpenApiResponse(description=_("Too many codes for this address or network.")),
        },
        operation_id="registration_code_request",
        auth=[],
    )
    def post(self, request: Request) -> Response:
        data = CodeRequestInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            request_code(**data.validated_data, purpose=CodePurpose.REGISTER, ip=client_ip(request))
        except TooManyCodes as error:
            raise _throttled(error) from None
        return Response(
            {"detail": str(_("A code is on its way."))}, status=status.HTTP_202_ACCEPTED
        )


class ConfirmationApi(_OpenRegistrationApi):
    @extend_schema(
        request=ConfirmationInput,
        responses=ConfirmationOutput,
        operation_id="registration_code_confirm",
        auth=[],
    )
    def post(self, request: Request) -> Response:
        data = ConfirmationInput(data=request.data)
        data.is_valid(raise_exception=True)
        token = confirm_code(**data.validated_data)
        return Response({"token": token})


class RegistrationApi(_OpenRegistrationApi):
    @extend_schema(
        request=RegistrationInput,
        responses={201: RegistrationOutput},
        operation_id="registration_create",
        auth=[],
    )
    def post(self, request: Request) -> Response:
        data = RegistrationInput(data=request.data)
        data.is_valid(raise_exception=True)
        identity = dict(data.validated_data)
        token = identity.pop("token")
        consents = identity.pop("consents")
        person = register_self(token=token, identity=identity, consents=consents)
        return Response(
            {"registration_number": person.registration_number, "public_id": person.public_id},
            status=status.HTTP_201_CREATED,
        )
