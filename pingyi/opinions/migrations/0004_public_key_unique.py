import secrets

from django.db import migrations, models

import pingyi.opinions.models


def fill_keys(apps, schema_editor):  # type: ignore[no-untyped-def]
    OpinionRound = apps.get_model("opinions", "OpinionRound")
    for round_ in OpinionRound.objects.filter(public_key__isnull=True):
        round_.public_key = secrets.token_urlsafe(9)
        round_.save(update_fields=["public_key"])


class Migration(migrations.Migration):
    dependencies = [("opinions", "0003_rounds_channels_codes")]

    operations = [
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="opinionround",
            name="public_key",
            field=models.CharField(
                default=pingyi.opinions.models.new_public_key, editable=False, max_length=20, unique=True
            ),
        ),
    ]
