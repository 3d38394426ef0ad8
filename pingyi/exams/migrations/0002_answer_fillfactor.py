"""Room on each page of the answer table, so that saving an answer and grading it are HOT updates on
PostgreSQL (the row is rewritten on its own page and no index changes). SQLite has no such setting."""

from django.db import migrations


def set_fillfactor(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE exams_answer SET (fillfactor = 60)")


class Migration(migrations.Migration):
    dependencies = [("exams", "0001_initial")]
    operations = [migrations.RunPython(set_fillfactor, migrations.RunPython.noop)]
