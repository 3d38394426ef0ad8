"""Progress-rule names start with the app that provides them (docs/apps.md).

Renames the three that did not, in stored templates and in the work items of existing campaigns.
"""

from django.db import migrations

RENAMES = {
    "opinions.talked": "talks.covered",
    "opinions.life_meeting_attended": "meetings.attended",
    "evaluation.feedback_delivered": "feedback.acknowledged",
}


def _rename(apps, mapping):
    WorkItem = apps.get_model("campaigns", "WorkItem")
    CampaignTemplate = apps.get_model("campaigns", "CampaignTemplate")
    for old, new in mapping.items():
        WorkItem.objects.filter(rule=old).update(rule=new)
    for template in CampaignTemplate.objects.all():
        body = template.body
        for old, new in mapping.items():
            body = body.replace(f"rule: {old}\n", f"rule: {new}\n").replace(f"rule: {old}}}", f"rule: {new}}}")
        if body != template.body:
            template.body = body
            template.save(update_fields=["body"])


def forwards(apps, schema_editor):
    _rename(apps, RENAMES)


def backwards(apps, schema_editor):
    _rename(apps, {new: old for old, new in RENAMES.items()})


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0002_load_templates")]

    operations = [migrations.RunPython(forwards, backwards)]
