"""At least five raters (ADR 0004: two give ballots away by subtraction), and the reason a round was closed
below its participation target.

Rounds stored with fewer than five are raised to five: that only withholds more, never shows more. Their
rules are locked by 0002's trigger, which is set aside for that one UPDATE. SQLite rebuilds the round table
for the new column and constraint: that drops the round's trigger, and the triggers of the member and
counter tables, which read the round table, would fail while it is being renamed; all of 0002's triggers
are taken off first and put back at the end."""

import importlib

from django.db import migrations, models

ROUND = "evaluation_evaluationround"
TRIGGER = "evaluation_round_rules_locked"
_locking = importlib.import_module("pingyi.evaluation.migrations.0002_lock_rules_after_opening")


def _drop_sqlite_triggers(schema_editor):
    for sql in _locking._sqlite()[1]:
        schema_editor.execute(sql)


def raise_min_raters(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {ROUND} DISABLE TRIGGER {TRIGGER}")
        schema_editor.execute(f"UPDATE {ROUND} SET min_raters = 5 WHERE min_raters < 5")
        schema_editor.execute(f"ALTER TABLE {ROUND} ENABLE TRIGGER {TRIGGER}")
    else:
        if vendor == "sqlite":
            _drop_sqlite_triggers(schema_editor)
        schema_editor.execute(f"UPDATE {ROUND} SET min_raters = 5 WHERE min_raters < 5")


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        _drop_sqlite_triggers(schema_editor)


def restore_triggers(apps, schema_editor):
    """0002's triggers, as 0005 and 0006 left them (the counter table's insert trigger included)."""
    if schema_editor.connection.vendor == "sqlite":
        _drop_sqlite_triggers(schema_editor)
        for sql in _locking._sqlite()[0]:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0006_fixed_width_counters")]

    operations = [
        migrations.RunPython(raise_min_raters, restore_triggers),
        migrations.RemoveConstraint(model_name="evaluationround", name="evaluation_min_raters_at_least_two"),
        migrations.AddConstraint(
            model_name="evaluationround",
            constraint=models.CheckConstraint(
                condition=models.Q(("min_raters__gte", 5)), name="evaluation_min_raters_at_least_five"
            ),
        ),
        migrations.AddField(
            model_name="evaluationround",
            name="shortfall_reason",
            field=models.TextField(blank=True, verbose_name="参评率未达目标仍结束测评的原因"),
        ),
        migrations.RunPython(restore_triggers, drop_triggers),
    ]
