"""Vote counters: one row per (member, source, dimension) holding every grade's counter, instead of one
row per grade, so a vote rewrites a quarter of the rows (docs/adr/0004-anonymous-ballots.md).
Existing counters are folded into the new rows before the old columns go."""

from django.db import migrations, models

COUNT = "evaluation_votecount"
GRADES = 8


def fold(apps, schema_editor):
    VoteCount = apps.get_model("evaluation", "VoteCount")
    keep: dict[tuple, object] = {}
    for row in VoteCount.objects.order_by("round_id", "subject_id", "source", "dimension", "grade"):
        key = (row.round_id, row.subject_id, row.source, row.dimension)
        target = keep.setdefault(key, row)
        setattr(target, f"grade_{row.grade}", row.count)
    for row in keep.values():
        row.save()
    VoteCount.objects.exclude(pk__in=[row.pk for row in keep.values()]).delete()


def restore_trigger(apps, schema_editor):
    """SQLite rebuilds the table when columns go, dropping migration 0002's trigger: put it back."""
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {COUNT}_insert_locked")
        schema_editor.execute(
            f"""CREATE TRIGGER {COUNT}_insert_locked BEFORE INSERT ON {COUNT}
            WHEN (SELECT status FROM evaluation_evaluationround WHERE id = NEW.round_id) <> 'draft'
            BEGIN SELECT RAISE(ABORT, 'evaluation round is locked once opened'); END"""
        )


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0004_vote_counts_update_in_place")]

    operations = [
        *[
            migrations.AddField(
                model_name="votecount", name=f"grade_{i}", field=models.PositiveIntegerField(default=0)
            )
            for i in range(GRADES)
        ],
        migrations.RunPython(fold, migrations.RunPython.noop),
        migrations.RemoveConstraint(model_name="votecount", name="evaluation_vote_count_cell"),
        migrations.RemoveField(model_name="votecount", name="grade"),
        migrations.RemoveField(model_name="votecount", name="count"),
        migrations.AddConstraint(
            model_name="votecount",
            constraint=models.UniqueConstraint(
                fields=("round", "subject", "source", "dimension"), name="evaluation_vote_count_row"
            ),
        ),
        migrations.RunPython(restore_trigger, migrations.RunPython.noop),
    ]
