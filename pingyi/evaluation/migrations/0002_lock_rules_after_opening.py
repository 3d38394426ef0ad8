"""Once a round has opened, its rules, anonymity settings and member list cannot change, and no
vote counter can be added (docs/adr/0004-anonymous-ballots.md). The services refuse it first;
these triggers refuse it for anything else that writes to the database."""

from django.db import migrations

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
ROUND = "evaluation_evaluationround"
MEMBER = "evaluation_roundmember"
COUNT = "evaluation_votecount"


def _sqlite() -> tuple[list[str], list[str]]:
    changed = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in RULES)
    forward = [
        f"""CREATE TRIGGER evaluation_round_rules_locked BEFORE UPDATE ON {ROUND}
        WHEN OLD.status <> 'draft' AND ({changed} OR NEW.status = 'draft'
             OR (OLD.status = 'closed' AND NEW.status <> 'closed'))
        BEGIN SELECT RAISE(ABORT, 'evaluation round rules are locked once opened'); END""",
    ]
    for table, event, ref in [
        (MEMBER, "INSERT", "NEW"),
        (MEMBER, "UPDATE", "NEW"),
        (COUNT, "INSERT", "NEW"),
    ]:
        forward.append(
            f"""CREATE TRIGGER {table}_{event.lower()}_locked BEFORE {event} ON {table}
            WHEN (SELECT status FROM {ROUND} WHERE id = {ref}.round_id) <> 'draft'
            BEGIN SELECT RAISE(ABORT, 'evaluation round is locked once opened'); END"""
        )
    backward = [
        "DROP TRIGGER IF EXISTS evaluation_round_rules_locked",
        f"DROP TRIGGER IF EXISTS {MEMBER}_insert_locked",
        f"DROP TRIGGER IF EXISTS {MEMBER}_update_locked",
        f"DROP TRIGGER IF EXISTS {COUNT}_insert_locked",
    ]
    return forward, backward


def _postgres() -> tuple[list[str], list[str]]:
    changed = " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in RULES)
    forward = [
        f"""CREATE FUNCTION evaluation_round_rules_locked() RETURNS trigger AS $$
        BEGIN
            IF OLD.status <> 'draft' AND ({changed} OR NEW.status = 'draft'
               OR (OLD.status = 'closed' AND NEW.status <> 'closed')) THEN
                RAISE EXCEPTION 'evaluation round rules are locked once opened';
            END IF;
            RETURN NEW;
        END $$ LANGUAGE plpgsql""",
        f"""CREATE TRIGGER evaluation_round_rules_locked BEFORE UPDATE ON {ROUND}
        FOR EACH ROW EXECUTE FUNCTION evaluation_round_rules_locked()""",
        f"""CREATE FUNCTION evaluation_round_member_locked() RETURNS trigger AS $$
        BEGIN
            IF (SELECT status FROM {ROUND} WHERE id = NEW.round_id) <> 'draft' THEN
                RAISE EXCEPTION 'evaluation round is locked once opened';
            END IF;
            RETURN NEW;
        END $$ LANGUAGE plpgsql""",
        f"""CREATE TRIGGER {MEMBER}_locked BEFORE INSERT OR UPDATE ON {MEMBER}
        FOR EACH ROW EXECUTE FUNCTION evaluation_round_member_locked()""",
        f"""CREATE TRIGGER {COUNT}_insert_locked BEFORE INSERT ON {COUNT}
        FOR EACH ROW EXECUTE FUNCTION evaluation_round_member_locked()""",
    ]
    backward = [
        f"DROP TRIGGER IF EXISTS {COUNT}_insert_locked ON {COUNT}",
        f"DROP TRIGGER IF EXISTS {MEMBER}_locked ON {MEMBER}",
        "DROP FUNCTION IF EXISTS evaluation_round_member_locked()",
        f"DROP TRIGGER IF EXISTS evaluation_round_rules_locked ON {ROUND}",
        "DROP FUNCTION IF EXISTS evaluation_round_rules_locked()",
    ]
    return forward, backward


def _statements(schema_editor, forward: bool) -> list[str]:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        pair = _sqlite()
    elif vendor == "postgresql":
        pair = _postgres()
    else:
        return []
    return pair[0] if forward else pair[1]


def install(apps, schema_editor):
    for sql in _statements(schema_editor, True):
        schema_editor.execute(sql)


def remove(apps, schema_editor):
    for sql in _statements(schema_editor, False):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0001_initial")]

    operations = [migrations.RunPython(install, remove)]
