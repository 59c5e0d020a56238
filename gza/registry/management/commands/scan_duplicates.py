from django.core.management.base import BaseCommand

from gza.registry.duplicates import scan


class Command(BaseCommand):
    help = (
        "Compare every active job seeker's record with the others and queue likely duplicates "
        "for review (nightly; pairs already known are left as they are)."
    )

    def handle(self, *args: object, **options: object) -> None:
        result = scan()
        # Counts only: no personal data in the output (it ends up in logs).
        self.stdout.write(
            f"{result.people} records, {result.pairs_compared} pairs compared, "
            f"{result.found} likely duplicates, {result.queued} newly queued "
            f"(loading {result.seconds_loading:.1f} s, matching {result.seconds_matching:.1f} s)"
        )
