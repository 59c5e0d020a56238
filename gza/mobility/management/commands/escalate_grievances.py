from django.core.management.base import BaseCommand

from gza.mobility.protection import grievances_escalate_overdue


class Command(BaseCommand):
    help = (
        "Escalate every open or in-progress grievance past its answer deadline to the embassy "
        "and the partner agency (every 15 minutes, from cron or a scheduler)."
    )

    def handle(self, *args: object, **options: object) -> None:
        self.stdout.write(f"{grievances_escalate_overdue()} grievances escalated")
