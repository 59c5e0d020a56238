"""Workers are told when a check-in can be answered (once per check-in) and when their
grievance has an answer."""

import datetime

import pytest

from gza.mobility.protection import check_in_reminders_send, grievance_resolve
from gza.registry.notifications import Notification, NotificationKind
from tests.core.factories import UserFactory
from tests.mobility.protection_factories import CheckInFactory, GrievanceFactory

pytestmark = pytest.mark.django_db


def test_a_due_check_in_is_announced_once():
    check_in = CheckInFactory()
    early = check_in.due_on - datetime.timedelta(days=30)
    assert check_in_reminders_send(today=early) == 0
    assert check_in_reminders_send(today=check_in.due_on) == 1
    assert check_in_reminders_send(today=check_in.due_on) == 0
    told = Notification.objects.get()
    assert told.kind == NotificationKind.CHECK_IN_DUE
    assert told.job_seeker == check_in.placement.job_seeker
    assert told.context["date"] == check_in.due_on.isoformat()


def test_an_answered_grievance_tells_the_worker():
    grievance = GrievanceFactory()
    grievance_resolve(
        actor=UserFactory(), grievance=grievance, resolution="The employer paid the difference."
    )
    assert Notification.objects.get().kind == NotificationKind.GRIEVANCE_ANSWERED
