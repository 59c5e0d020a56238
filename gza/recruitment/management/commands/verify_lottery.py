import uuid

from django.core.management.base import BaseCommand, CommandError

from gza.recruitment.enums import RoundStatus
from gza.recruitment.models import SelectionRound
from gza.recruitment.selection import verify_round


class Command(BaseCommand):
    help = (
        "Recompute a published selection round's order from its published seed and list of "
        "applications (sha256 of '<seed>:<application public id>', ascending; a ranking by "
        "score first) and say whether it matches the recorded order. Exits with an error if not."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("public_id", help="The round's public id, as on its public page.")

    def handle(self, *args: object, **options) -> None:
        try:
            public_id = uuid.UUID(options["public_id"])
        except ValueError:
            raise CommandError("Not a round id: give the UUID shown on the round's page.") from None
        selection_round = SelectionRound.objects.filter(
            public_id=public_id, status=RoundStatus.PUBLISHED
        ).first()
        if selection_round is None:
            raise CommandError("No published selection round has this id.")
        result = verify_round(selection_round)
        count = selection_round.entries.count()
        self.stdout.write(f"Round {selection_round.public_id} ({selection_round.method})")
        self.stdout.write(f"Seed {selection_round.seed}")
        self.stdout.write(f"{count} applications, {selection_round.places} places")
        if not result.matches:
            for problem in result.problems:
                self.stderr.write(problem)
            raise CommandError("The recomputed order does NOT match the published order.")
        self.stdout.write(self.style.SUCCESS("The recomputed order matches the published order."))
