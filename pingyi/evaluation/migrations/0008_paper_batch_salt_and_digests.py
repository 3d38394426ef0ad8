"""Paper batches get a salt of their own; typings waiting for their second entry become keyed digests per
cell (services.paper), so they can be compared but not read (ADR 0004, "Paper ballots")."""

import secrets

from django.db import migrations, models
from django.utils.crypto import salted_hmac

import pingyi.evaluation.models


def salt_and_digest(apps, schema_editor):
    PaperBatch = apps.get_model("evaluation", "PaperBatch")
    PaperEntry = apps.get_model("evaluation", "PaperEntry")
    RoundMember = apps.get_model("evaluation", "RoundMember")
    for batch in PaperBatch.objects.select_related("round"):
        batch.salt = secrets.token_hex(16)
        batch.save(update_fields=["salt"])
        round = batch.round
        subjects = RoundMember.objects.filter(round=round, graded=True).values_list("pk", flat=True)
        cells = [
            f"{s}:{d}:{g}" for s in subjects for d in range(len(round.dimensions) + 1) for g in range(len(round.grades))
        ]
        for entry in PaperEntry.objects.filter(batch=batch).exclude(counts={}):
            entry.counts = {
                cell: salted_hmac(
                    f"pingyi.evaluation.paper:{batch.salt}", f"{cell}={entry.counts.get(cell, 0)}", algorithm="sha256"
                ).hexdigest()[:32]
                for cell in cells
            }
            entry.save(update_fields=["counts"])


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0007_min_raters_five_and_shortfall_reason")]

    operations = [
        migrations.AddField(
            model_name="paperbatch",
            name="salt",
            field=models.CharField(default=pingyi.evaluation.models.new_salt, editable=False, max_length=32),
        ),
        migrations.RunPython(salt_and_digest, migrations.RunPython.noop),
    ]
