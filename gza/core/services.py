"""Use cases of the core domain: organisations, accounts and e-mail."""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from gza.core.audit import audit_record, audit_record_change, snapshot
from gza.core.enums import AuditVerb
from gza.core.models import Organisation, User


def bilingual_render(template_name: str, context: dict) -> str:
    """Render a template in Georgian, then in English, one after the other."""
    parts = []
    for language in ("ka", "en"):
        with translation.override(language):
            parts.append(render_to_string(template_name, context).strip())
    return "\n\n———\n\n".join(parts)


def email_send(*, to: str, subject_template: str, body_template: str, context: dict) -> None:
    subject = " / ".join(
        _render_line(subject_template, context, language) for language in ("ka", "en")
    )
    body = bilingual_render(body_template, context)
    EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, [to]).send()


def _render_line(template_name: str, context: dict, language: str) -> str:
    with translation.override(language):
        return " ".join(render_to_string(template_name, context).split())


def password_reset_email_send(*, user_id: int, base_url: str) -> None:
    """E-mail a password-reset link to an active user; silently nothing for anyone else."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.has_usable_password():
        return
    with translation.override("ka"):
        path = reverse(
            "accounts:password_reset_confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        )
    email_send(
        to=user.email,
        subject_template="registration/password_reset_subject.txt",
        body_template="registration/password_reset_email.txt",
        context={"user": user, "reset_url": base_url.rstrip("/") + path},
    )


def password_reset_request(*, email: str, base_url: str) -> None:
    """Queue a reset e-mail for the account with this address, if there is one. The caller
    shows the same answer either way, so the form does not reveal who has an account."""
    from gza.core.tasks import send_password_reset_email

    user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is None:
        return
    audit_record(actor=user, verb=AuditVerb.PASSWORD_RESET_REQUESTED, target=user)
    transaction.on_commit(
        lambda: send_password_reset_email.enqueue(user_id=user.pk, base_url=base_url)
    )


ORGANISATION_FIELDS = [
    "kind",
    "name_ka",
    "name_en",
    "short_name",
    "country",
    "parent",
    "city_ka",
    "city_en",
    "is_active",
]


def organisation_save(*, actor: User, organisation: Organisation) -> Organisation:
    """Create or update an organisation, validated and audited with its field changes."""
    with transaction.atomic():
        creating = organisation.pk is None
        before = (
            {}
            if creating
            else snapshot(
                # Row lock: two officers editing the same organisation save one after the other,
                # and each history row compares against what was really stored.
                Organisation.objects.select_for_update().get(pk=organisation.pk),
                ORGANISATION_FIELDS,
            )
        )
        organisation.full_clean()
        organisation.save()
        if creating:
            audit_record(
                actor=actor,
                verb=AuditVerb.CREATED,
                target=organisation,
                payload={"fields": snapshot(organisation, ORGANISATION_FIELDS)},
            )
        else:
            audit_record_change(actor=actor, instance=organisation, before=before)
    return organisation


def user_role_change(
    *, actor: User, user: User, role: str, organisation: Organisation | None
) -> User:
    """Give an account a new role and organisation; the old and new values go in the audit."""
    with transaction.atomic():
        # Row lock: two administrators changing one account cannot interleave their writes.
        user = User.objects.select_for_update().get(pk=user.pk)
        before = {"role": user.role, "organisation": user.organisation_id}
        user.role = role
        user.organisation = organisation
        user.full_clean(exclude=["password"])
        user.save(update_fields=["role", "organisation"])
        after = {"role": user.role, "organisation": user.organisation_id}
        if after != before:
            audit_record(
                actor=actor,
                verb=AuditVerb.ROLE_CHANGED,
                target=user,
                payload={
                    "changes": {k: [before[k], after[k]] for k in before if before[k] != after[k]}
                },
            )
    return user
