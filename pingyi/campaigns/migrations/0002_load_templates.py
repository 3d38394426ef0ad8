from django.db import migrations


def load(apps, schema_editor):
    # Creates only missing templates, so a template edited in the admin is never overwritten.
    from pingyi.campaigns.spec import load_shipped_templates

    load_shipped_templates(apps.get_model("campaigns", "CampaignTemplate"))


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
