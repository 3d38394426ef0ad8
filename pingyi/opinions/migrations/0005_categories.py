"""The office's usual headings and the words that suggest them (pingyi/opinions/categories.py)."""

from typing import Any

from django.db import migrations


def seed(apps: Any, schema_editor: Any) -> None:
    from pingyi.opinions.categories import load

    load(apps.get_model("opinions", "Category"))


class Migration(migrations.Migration):
    dependencies = [("opinions", "0004_public_key_unique")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
