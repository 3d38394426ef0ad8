from typing import Any

from django.db import migrations


def load_kinds(apps: Any, schema_editor: Any) -> None:
    from pingyi.study.kinds import load

    load(apps.get_model("study", "ActivityKind"))


class Migration(migrations.Migration):
    dependencies = [("study", "0001_initial")]

    operations = [migrations.RunPython(load_kinds, migrations.RunPython.noop)]
