from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from casefiles.audit.checkpoints import audit_verify_checkpoint, checkpoint_clean
from casefiles.audit.verification import audit_verify


class Command(BaseCommand):
    help = (
        "Walk the audit trail's hash chain; exit non-zero naming the first bad event. With "
        "--checkpoint FILE, also check that the chain still extends that checkpoint."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--checkpoint",
            metavar="FILE",
            help=(
                "A checkpoint downloaded earlier (JSON with count and head_hash, as given by "
                "the page /audit/checkpoint/ or POST /api/v1/audit/checkpoint/)."
            ),
        )

    def handle(self, *args, **options):
        if options["checkpoint"]:
            return self.handle_checkpoint(Path(options["checkpoint"]))
        report = audit_verify()
        if not report.ok:
            raise CommandError(f"Audit trail is broken: {report.problem}.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Audit trail intact: {report.count} events, head hash {report.head_hash}."
            )
        )

    def handle_checkpoint(self, path: Path) -> None:
        try:
            checkpoint = checkpoint_clean(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise CommandError(f"Cannot read the checkpoint file {path}: {exc}.") from None
        except ValueError as exc:
            raise CommandError(f"Checkpoint file {path} is not valid: {exc}.") from None
        report = audit_verify_checkpoint(checkpoint)
        if not report.ok:
            raise CommandError(
                f"Audit trail does not extend the checkpoint of {checkpoint['count']} events: "
                f"{report.problem}."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Audit trail intact and extends the checkpoint: {checkpoint['count']} events "
                f"then, {report.count} now; head hash {report.head_hash}."
            )
        )
