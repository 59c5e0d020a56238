from django.core.management.base import BaseCommand

from gza.partners.services import earnings_indicators_load


class Command(BaseCommand):
    help = "Load ILOSTAT average monthly earnings as country indicators (idempotent)."

    def handle(self, *args: object, **options: object) -> None:
        rows, unknown = earnings_indicators_load()
        self.stdout.write(f"average monthly earnings: {rows} country-years")
        if unknown:
            self.stderr.write(f"countries not recognised: {', '.join(unknown)}")
