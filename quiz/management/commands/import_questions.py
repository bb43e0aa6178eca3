from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from quiz.bank import BankError, bank_files, load_bank
from quiz.catalog import import_bank


class Command(BaseCommand):
    help = (
        "Validate the question bank (YAML) and upsert it by slug in one transaction. "
        "On any problem, print `file:question: what is wrong` for each and write nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path",
            nargs="?",
            default=str(settings.BASE_DIR / "fixtures"),
            help="A folder holding questions/*.yaml (and glossary.yaml), a folder of topic files, or one file.",
        )

    def handle(self, *args, path, **options):
        target = Path(path)
        if not target.exists():
            raise CommandError(f"{target}: no such file or folder")
        paths, glossary = bank_files(target)
        try:
            bank = load_bank(paths, glossary)
        except BankError as exc:
            for problem in exc.problems:
                self.stderr.write(problem)
            raise CommandError(f"{len(exc.problems)} problem(s) found; nothing was written.") from exc
        result = import_bank(bank)
        self.stdout.write(self.style.SUCCESS(f"Imported {result.summary()}"))
