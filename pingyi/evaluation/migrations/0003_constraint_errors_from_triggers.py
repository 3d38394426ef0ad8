"""The lock triggers of 0002 raise a check violation on PostgreSQL, so Django reports an IntegrityError
(as SQLite's RAISE(ABORT) already does) rather than a generic database error."""

from django.db import migrations

ROUND = "evaluation_evaluationround"
RULES = [
    "campaign_id",
    "org_id",
    "grades",
    "dimensions",
    "weight_self",
    "weight_members",
    "weight_public",
    "top_cap_num",
    "top_cap_den",
    "min_raters",
    "participation_target",
    "review_thresholds",
    "allow_public",
    "public_key",
    "code_salt",
]


def _functions(errcode: str) -> list[str]:
    changed = " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in RULES)
    using = f" USING ERRCODE = '{errcode}'" if errcode else ""
    return [
        f"""CREATE OR REPLACE FUNCTION evaluation_round_rules_locked() RETURNS trigger AS $$
        BEGIN
            IF OLD.status <> 'draft' AND ({changed} OR NEW.status = 'draft'
               OR (OLD.status = 'closed' AND NEW.status <> 'closed')) THEN
                RAISE EXCEPTION 'evaluation round rules are locked once opened'{using};
            END IF;
            RETURN NEW;
        END $$ LANGUAGE plpgsql""",
        f"""CREATE OR REPLACE FUNCTION evaluation_round_member_locked() RETURNS trigger AS $$
        BEGIN
            IF (SELECT status FROM {ROUND} WHERE id = NEW.round_id) <> 'draft' THEN
                RAISE EXCEPTION 'evaluation round is locked once opened'{using};
            END IF;
            RETURN NEW;
        END $$ LANGUAGE plpgsql""",
    ]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in _functions("check_violation"):
            schema_editor.execute(sql)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in _functions(""):
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0002_lock_rules_after_opening")]

    operations = [migrations.RunPython(forward, backward)]
