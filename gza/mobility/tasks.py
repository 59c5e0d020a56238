"""Background work of mobility."""

from django.tasks import task

from gza.mobility.protection import check_in_reminders_send, grievances_escalate_overdue


@task()
def escalate_grievances_task() -> int:
    """Escalate the grievances past their answer deadline (also `manage.py
    escalate_grievances`); scheduled every 15 minutes."""
    return grievances_escalate_overdue()


@task()
def check_in_reminders_task() -> int:
    """Tell workers their check-in can be answered (also `manage.py send_check_in_reminders`);
    scheduled daily."""
    return check_in_reminders_send()
