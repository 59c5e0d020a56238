import sys

from django.core.management.base import BaseCommand, CommandError

from gza.matching.autocoder import autocoder

BATCH = 1000


class Command(BaseCommand):
    help = (
        "Read job titles from standard input, one per line as title<TAB>description<TAB>industry "
        "(the last two may be missing), and write for each line its best ISCO-08 codes, best "
        "first, separated by tabs (an empty line when nothing matches)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--top", type=int, default=3, help="How many codes per line (1-20).")

    def handle(self, *args: object, **options) -> None:
        top = options["top"]
        if not 1 <= top <= 20:
            raise CommandError("--top must be between 1 and 20.")
        coder = autocoder()
        stdin = sys.stdin
        batch: list[tuple[str, str, str]] = []
        for line in stdin:
            fields = line.rstrip("\r\n").split("\t")
            fields += ["", ""]
            batch.append((fields[0], fields[1], fields[2]))
            if len(batch) == BATCH:
                self._write(coder.suggest_many(batch, top=top))
                batch = []
        if batch:
            self._write(coder.suggest_many(batch, top=top))

    def _write(self, results) -> None:
        for suggestions in results:
            self.stdout.write("\t".join(s.code for s in suggestions))
