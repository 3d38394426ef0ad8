"""A campaign's own talk rule is a talk requirement: "rule" in this project means a progress rule."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("talks", "0001_initial"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="talkrule", name="talk_rule_once"),
        migrations.RemoveConstraint(model_name="talkrule", name="talk_rule_charge_on_right_only"),
        migrations.RenameModel(old_name="TalkRule", new_name="TalkRequirement"),
        migrations.AlterField(
            model_name="talkrequirement",
            name="campaign",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="talk_requirements", to="campaigns.campaign"
            ),
        ),
        migrations.AddConstraint(
            model_name="talkrequirement",
            constraint=models.UniqueConstraint(
                fields=("campaign", "left", "right", "same_group"), name="talk_requirement_once"
            ),
        ),
        migrations.AddConstraint(
            model_name="talkrequirement",
            constraint=models.CheckConstraint(
                condition=models.Q(("left", "charge"), _negated=True), name="talk_requirement_charge_on_right_only"
            ),
        ),
    ]
