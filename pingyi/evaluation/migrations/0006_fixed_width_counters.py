"""Vote counters stored as count + 2**40 (models.COUNTER_BASE), the same width in every row and at every
count, so a vote rewrites each SQLite record in place and leaves no trace of the order of the votes in
the page layout (docs/adr/0004-anonymous-ballots.md). Existing counts are shifted; SQLite rebuilds the
table to change the column type, dropping 0002's trigger, which is put back."""

from django.db import migrations

import pingyi.evaluation.models

COUNT = "evaluation_votecount"
GRADES = [f"grade_{i}" for i in range(8)]
BASE = 1 << 40


def _shift(schema_editor, amount: int) -> None:
    sets = ", ".join(f"{column} = {column} + %s" for column in GRADES)
    schema_editor.execute(f"UPDATE {COUNT} SET {sets}", [amount] * len(GRADES))


def shift_up(apps, schema_editor):
    _shift(schema_editor, BASE)


def shift_down(apps, schema_editor):
    _shift(schema_editor, -BASE)


def restore_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {COUNT}_insert_locked")
        schema_editor.execute(
            f"""CREATE TRIGGER {COUNT}_insert_locked BEFORE INSERT ON {COUNT}
            WHEN (SELECT status FROM evaluation_evaluationround WHERE id = NEW.round_id) <> 'draft'
            BEGIN SELECT RAISE(ABORT, 'evaluation round is locked once opened'); END"""
        )


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0005_one_row_per_member_and_dimension")]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, restore_trigger),
        *[
            migrations.AlterField(
                model_name="votecount", name=column, field=pingyi.evaluation.models.CounterField(default=0)
            )
            for column in GRADES
        ],
        migrations.RunPython(shift_up, shift_down),
        migrations.RunPython(restore_trigger, migrations.RunPython.noop),
    ]
