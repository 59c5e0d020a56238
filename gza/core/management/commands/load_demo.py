from django.core.management.base import BaseCommand, CommandError, CommandParser

from gza.core.demo import DEMO_PASSWORD, demo_data_load
from gza.core.errors import DomainError


class Command(BaseCommand):
    help = "Load demo organisations, one user per role and synthetic job seekers (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--job-seekers", type=int, default=3000, help="how many synthetic people"
        )

    def handle(self, *args: object, job_seekers: int, **options: object) -> None:
        # Each domain adds its own demo records on top of core's organisations and users.
        from gza.demand.demo import demand_demo_load
        from gza.matching.demo import matching_demo_load
        from gza.partners.demo import partners_demo_load
        from gza.recruitment.journey_demo import journey_demo_load

        try:
            result = demo_data_load(job_seekers=job_seekers)
        except DomainError as error:
            raise CommandError(str(error)) from error
        partners = partners_demo_load()
        employers, agencies = demand_demo_load()
        matching = matching_demo_load()
        journey = journey_demo_load()
        self.stdout.write(
            f"Demo data: {result.organisations_created} organisations, "
            f"{result.users_created} users, {result.job_seekers_created} job seekers, "
            f"{partners} partner countries added."
        )
        self.stdout.write(
            f"Demand abroad: {employers} employers and {agencies} licensed agencies added."
        )
        self.stdout.write(
            f"Matching: {matching} shortlists added (one reviewed, one waiting for review)."
        )
        self.stdout.write(journey)
        self.stdout.write("")
        self.stdout.write(
            f"Demo logins at http://127.0.0.1:8000/ (password for all: {DEMO_PASSWORD}):"
        )
        for email, role in result.logins:
            self.stdout.write(f"  {email:<26} {role}")
