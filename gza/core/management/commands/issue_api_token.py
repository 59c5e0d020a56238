from django.core.management.base import BaseCommand, CommandError, CommandParser
from rest_framework.authtoken.models import Token

from gza.core.audit import audit_record
from gza.core.enums import AuditVerb
from gza.core.models import User


class Command(BaseCommand):
    help = "Issue (or rotate) the API token of a system account, identified by its e-mail."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument("--rotate", action="store_true", help="replace an existing token")

    def handle(self, *args: object, email: str, rotate: bool, **options: object) -> None:
        user = User.objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise CommandError(f"No active account with the e-mail address {email}.")
        if rotate:
            Token.objects.filter(user=user).delete()
        token, created = Token.objects.get_or_create(user=user)
        if created:
            audit_record(actor=None, verb=AuditVerb.API_TOKEN_ISSUED, target=user)
        self.stdout.write(token.key)
