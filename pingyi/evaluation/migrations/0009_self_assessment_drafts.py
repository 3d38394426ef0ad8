"""Self-assessments are drafted (and autosaved) before they are submitted; the ones stored so far were
submitted, so they keep counting from the time they were last saved."""

from django.db import migrations, models


def submitted_as_saved(apps, schema_editor):
    SelfAssessment = apps.get_model("evaluation", "SelfAssessment")
    SelfAssessment.objects.filter(submitted_at__isnull=True).update(submitted_at=models.F("updated_at"))


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0008_paper_batch_salt_and_digests")]

    operations = [
        migrations.AddField(
            model_name="selfassessment", name="draft_client", field=models.CharField(blank=True, max_length=32)
        ),
        migrations.AddField(model_name="selfassessment", name="draft_seq", field=models.BigIntegerField(default=0)),
        migrations.AddField(
            model_name="selfassessment",
            name="submitted_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="提交时间"),
        ),
        migrations.AlterField(
            model_name="selfassessment", name="text", field=models.TextField(blank=True, verbose_name="个人讲评")
        ),
        migrations.RunPython(submitted_as_saved, migrations.RunPython.noop),
    ]
