from pathlib import Path

from django.core.management.base import BaseCommand

from quiz.bank import dump_glossary, dump_topic
from quiz.catalog import export_bank


class Command(BaseCommand):
    help = "Write the active question bank from the database as YAML, in the import format."

    def add_arguments(self, parser):
        parser.add_argument("out", help="Folder to write questions/<topic>.yaml and glossary.yaml into.")

    def handle(self, *args, out, **options):
        folder = Path(out)
        (folder / "questions").mkdir(parents=True, exist_ok=True)
        bank = export_bank()
        for topic in bank.topics:
            (folder / "questions" / f"{topic.slug}.yaml").write_text(dump_topic(topic), encoding="utf-8")
        if bank.glossary:
            (folder / "glossary.yaml").write_text(dump_glossary(bank.glossary), encoding="utf-8")
        self.stdout.write(
            self.style.SUCCESS(f"Wrote {len(bank.topics)} topic file(s), {len(bank.questions)} question(s) to {folder}")
        )
