"""Notifications to a job seeker at the key steps of the journey (issue 6, item 10): selected,
documents needed, orientation, check-in due, grievance answered, and the like.

`notify(person, kind, **context)` records the notification and, once the transaction commits,
a background task writes it in the person's language (their account's preferred language,
Georgian by default) and sends it by e-mail if the record has an address, else by SMS through
the pluggable backend (gza/registry/messaging.py). A rolled-back step sends nothing. The stored
context holds only what the message shows (a vacancy's title, a date), never identity numbers;
the text itself is rendered when sent, not kept.
"""

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import models, transaction
from django.tasks import task
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    APPLICATION_RECEIVED = "application_received", _("application received")
    SELECTED = "selected", _("selected")
    WAITLISTED = "waitlisted", _("waitlisted")
    DOCUMENTS_NEEDED = "documents_needed", _("documents needed")
    ORIENTATION = "orientation", _("orientation session")
    CHECK_IN_DUE = "check_in_due", _("check-in due")
    GRIEVANCE_ANSWERED = "grievance_answered", _("grievance answered")
    FOLLOW_UP_DUE = "follow_up_due", _("reintegration follow-up due")


class NotificationChannel(models.TextChoices):
    EMAIL = "email", _("e-mail")
    SMS = "sms", _("SMS")
    NONE = "none", _("no address on the record")


class NotificationStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    SENT = "sent", _("sent")
    NOT_SENT = "not_sent", _("not sent: no address")


# What each kind says; %(...)s come from the notification's context.
SUBJECTS = {
    NotificationKind.APPLICATION_RECEIVED: _("Gza: your application is received"),
    NotificationKind.SELECTED: _("Gza: you are selected"),
    NotificationKind.WAITLISTED: _("Gza: you are on the waiting list"),
    NotificationKind.DOCUMENTS_NEEDED: _("Gza: documents are needed"),
    NotificationKind.ORIENTATION: _("Gza: your pre-departure orientation"),
    NotificationKind.CHECK_IN_DUE: _("Gza: how is your work going?"),
    NotificationKind.GRIEVANCE_ANSWERED: _("Gza: your complaint has an answer"),
    NotificationKind.FOLLOW_UP_DUE: _("Gza: a follow-up of your reintegration"),
}
BODIES = {
    NotificationKind.APPLICATION_RECEIVED: _(
        "Your application for “%(vacancy)s” is received. Follow it on your page in Gza."
    ),
    NotificationKind.SELECTED: _(
        "You are selected for “%(vacancy)s”. Sign in to Gza to accept or decline the offer."
    ),
    NotificationKind.WAITLISTED: _(
        "You are on the waiting list for “%(vacancy)s”, at place %(position)s. We will tell you "
        "if a place opens."
    ),
    NotificationKind.DOCUMENTS_NEEDED: _(
        "Before departure for “%(vacancy)s”, these are still needed: %(items)s. Your "
        "caseworker will help you."
    ),
    NotificationKind.ORIENTATION: _(
        "Your pre-departure orientation is on %(date)s at %(place)s, run by %(organisation)s."
    ),
    NotificationKind.CHECK_IN_DUE: _(
        "Please answer a few questions about your pay, hours and housing by %(date)s. Sign in to "
        "Gza: the answers are seen only by the officers who protect you."
    ),
    NotificationKind.GRIEVANCE_ANSWERED: _(
        "Your complaint has an answer. Sign in to Gza to read it and say whether it helped."
    ),
    NotificationKind.FOLLOW_UP_DUE: _(
        "Your caseworker will contact you around %(date)s for the follow-up of your "
        "reintegration plan."
    ),
}


class Notification(models.Model):
    job_seeker = models.ForeignKey(
        "registry.JobSeeker",
        verbose_name=_("job seeker"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=30, choices=NotificationKind.choices)
    context = models.JSONField(_("context"), default=dict, blank=True)
    channel = models.CharField(
        _("channel"), max_length=10, choices=NotificationChannel.choices, blank=True
    )
    language = models.CharField(_("language"), max_length=2, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=NotificationStatus.choices,
        default=NotificationStatus.QUEUED,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.status}"

    def render(self) -> tuple[str, str]:
        """Subject and body in the language active now."""
        context = {key: str(value) for key, value in self.context.items()}
        if "items" in context:
            # Pre-departure items are stored as codes and named in the reader's language.
            from gza.mobility.enums import ChecklistItem

            labels = dict(ChecklistItem.choices)
            context["items"] = "; ".join(
                str(labels.get(code, code)) for code in context["items"].split(",") if code
            )
        return str(SUBJECTS[self.kind]), str(BODIES[self.kind]) % context


def notify(job_seeker, kind: str, **context: Any) -> Notification:
    """Record a notification for `job_seeker` and send it once the transaction commits."""
    notification = Notification.objects.create(
        job_seeker=job_seeker,
        kind=kind,
        context={key: str(value) for key, value in context.items()},
    )
    transaction.on_commit(lambda: send_notification_task.enqueue(notification_id=notification.pk))
    return notification


def language_of(job_seeker) -> str:
    user = getattr(job_seeker, "user", None)
    language = getattr(user, "preferred_language", "") or "ka"
    return language if language in dict(settings.LANGUAGES) else "ka"


def notification_send(notification_id: int) -> str:
    """Write and send one notification; returns its status."""
    from gza.registry.messaging import sms_send

    notification = (
        Notification.objects.select_related("job_seeker__user").filter(pk=notification_id).first()
    )
    if notification is None or notification.status != NotificationStatus.QUEUED:
        return "skipped"
    person = notification.job_seeker
    language = language_of(person)
    email = person.email or getattr(person.user, "email", None) or ""
    with translation.override(language):
        subject, body = notification.render()
    if email:
        EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, [email]).send()
        channel, status = NotificationChannel.EMAIL, NotificationStatus.SENT
    elif person.phone:
        sms_send(to=person.phone, body=f"{subject}. {body}")
        channel, status = NotificationChannel.SMS, NotificationStatus.SENT
    else:
        channel, status = NotificationChannel.NONE, NotificationStatus.NOT_SENT
    Notification.objects.filter(pk=notification.pk).update(
        channel=channel,
        language=language,
        status=status,
        sent_at=timezone.now() if status == NotificationStatus.SENT else None,
    )
    return status


@task()
def send_notification_task(notification_id: int) -> str:
    return notification_send(notification_id)
