from django.core.management.base import BaseCommand

from gza.mobility.protection import check_in_reminders_send


class Command(BaseCommand):
    help = (
        "Tell each worker abroad, once per check-in, that a check-in can be answered now "
        "(daily, from cron or a scheduler)."
    )

    def handle(self, *args: object, **options: object) -> None:
        self.stdout.write(f"{check_in_reminders_send()} workers told of a check-in")
