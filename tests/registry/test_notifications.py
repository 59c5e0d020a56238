"""Notifications reach the person in their language, by e-mail or else SMS, only after the step
that caused them commits."""

import pytest
from django.core import mail
from django.db import transaction

from gza.registry import messaging
from gza.registry.notifications import (
    Notification,
    NotificationChannel,
    NotificationKind,
    NotificationStatus,
    notification_send,
    notify,
)
from tests.core.factories import UserFactory
from tests.registry.factories import JobSeekerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_outbox():
    messaging.outbox.clear()
    yield
    messaging.outbox.clear()


def test_an_e_mail_in_the_persons_language_after_commit(django_capture_on_commit_callbacks):
    user = UserFactory(job_seeker=True, preferred_language="en")
    person = JobSeekerFactory(user=user, email="nino@example.ge")
    with django_capture_on_commit_callbacks(execute=True):
        notify(person, NotificationKind.SELECTED, vacancy="Apple picker")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Gza: you are selected"
    assert "You are selected for “Apple picker”" in mail.outbox[0].body
    sent = Notification.objects.get()
    assert (sent.channel, sent.status, sent.language) == ("email", "sent", "en")


def test_georgian_by_default_and_sms_without_an_e_mail(django_capture_on_commit_callbacks):
    person = JobSeekerFactory(phone="+995599123456")
    with django_capture_on_commit_callbacks(execute=True):
        notify(person, NotificationKind.CHECK_IN_DUE, date="2027-05-01")
    assert mail.outbox == []
    assert len(messaging.outbox) == 1
    assert messaging.outbox[0].to == "+995599123456"
    assert "2027-05-01" in messaging.outbox[0].body
    assert "Gza" not in messaging.outbox[0].body.split(".")[0]  # Georgian text
    assert Notification.objects.get().channel == NotificationChannel.SMS


def test_no_address_is_recorded_not_sent(django_capture_on_commit_callbacks):
    person = JobSeekerFactory(phone="", email="")
    with django_capture_on_commit_callbacks(execute=True):
        notify(person, NotificationKind.GRIEVANCE_ANSWERED)
    assert Notification.objects.get().status == NotificationStatus.NOT_SENT
    assert mail.outbox == [] and messaging.outbox == []


def test_a_rolled_back_step_sends_nothing(django_capture_on_commit_callbacks):
    person = JobSeekerFactory(email="nino@example.ge")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                notify(person, NotificationKind.SELECTED, vacancy="X")
                raise RuntimeError
        except RuntimeError:
            pass
    assert callbacks == [] or mail.outbox == []
    assert not Notification.objects.exists()


def test_a_notification_is_sent_once():
    person = JobSeekerFactory(email="nino@example.ge")
    notification = Notification.objects.create(
        job_seeker=person, kind=NotificationKind.ORIENTATION,
        context={"date": "2027-03-01", "place": "Tbilisi", "organisation": "IOM"},
    )  # fmt: skip
    assert notification_send(notification.pk) == "sent"
    assert notification_send(notification.pk) == "skipped"
    assert len(mail.outbox) == 1
    assert "Tbilisi" in mail.outbox[0].body


def test_documents_needed_names_the_items_in_the_persons_language():
    user = UserFactory(job_seeker=True, preferred_language="en")
    person = JobSeekerFactory(user=user, email="nino@example.ge")
    notification = Notification.objects.create(
        job_seeker=person,
        kind=NotificationKind.DOCUMENTS_NEEDED,
        context={"vacancy": "Apple picker", "items": "medical,insurance"},
    )
    notification_send(notification.pk)
    assert "medical check; insurance" in mail.outbox[0].body
