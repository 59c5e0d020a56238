from django.core.management.base import BaseCommand

from gza.registry.otp import codes_purge


class Command(BaseCommand):
    help = (
        "Delete one-time codes and rate-limit tallies older than a day, which no limit looks at "
        "any more (daily, from cron or a scheduler)."
    )

    def handle(self, *args: object, **options: object) -> None:
        self.stdout.write(f"{codes_purge()} old codes deleted")
