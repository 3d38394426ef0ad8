"""Votes in a known order on a real SQLite file, then a copy of its files as someone would take them.

Run by test_sqlite_storage.py in a process of its own, because the question is what a file database
in WAL mode keeps on disk while connections stay open (gunicorn with persistent connections):

    DATABASE_URL=sqlite:////tmp/x/db.sqlite3 python -m pingyi.evaluation.tests.sqlite_probe \
        --template /tmp/x/migrated.sqlite3 --order forward --out /tmp/x/copy [--unprotected]

With `--template` missing it is made first (migrate). The database is a copy of the template; the copy
in --out holds `db.sqlite3`, `db.sqlite3-wal` and `db.sqlite3-shm` exactly as they were on disk while
two connections were still open, and `ballots.json` says who voted what, in which order (the ground
truth the test checks a reader of those files against). `--unprotected` switches off what the ballot
path does on SQLite (secure_delete and the truncating checkpoint after each ballot), to show that the
test's reader would recover the votes without it.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sqlite3
import sys
import uuid
from pathlib import Path
from typing import Any

RATERS = 6


def _database() -> Path:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("sqlite:///"):
        sys.exit("DATABASE_URL must name a SQLite file")
    return Path(url.removeprefix("sqlite://"))


def _ballots(names: list[str]) -> dict[str, dict[str, int]]:
    """Each rater a different ballot over the others, so the order of submission would show in a history."""
    return {
        rater: {name: (n + i) % 4 for i, name in enumerate(names) if name != rater} for n, rater in enumerate(names)
    }


def _vote(order: str, unprotected: bool) -> dict[str, Any]:
    from django.db import connection

    from pingyi.campaigns import services as campaigns
    from pingyi.campaigns.models import CampaignTemplate
    from pingyi.evaluation import services
    from pingyi.evaluation.models import VoteCount
    from pingyi.evaluation.services import storage
    from pingyi.org import services as org
    from pingyi.org.models import MemberCategory, OrgType

    # The same counter ids in every run, so two runs differ only in the order of the votes.
    rng = random.Random(2005)
    VoteCount._meta.get_field("id").default = lambda: uuid.UUID(int=rng.getrandbits(128), version=4)
    if unprotected:
        storage.scrub_history = lambda: None
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA secure_delete = OFF")
    branch = org.create_org_unit(parent=None, type=OrgType.BRANCH, code="B", name="局机关党支部", by=None)
    people = [
        org.save_person(org=branch, by=None, name=f"党员{n:02d}", category=MemberCategory.FORMAL)
        for n in range(1, RATERS + 1)
    ]
    campaign = campaigns.create_campaign(
        org=branch,
        template=CampaignTemplate.objects.get(code="democratic-evaluation"),
        title="",
        starts_on=__import__("datetime").date(2005, 1, 10),
        by="probe",
    )
    round = services.create_round(
        campaign=campaign, org=branch, title="民主测评", by="probe", dimensions=["理想信念", "服务群众"]
    )
    round = services.open_round(round=round, by="probe")
    member_of = dict(round.members.values_list("person__name", "pk"))
    # Another connection held open, as a second gunicorn worker's persistent connection would be.
    held = sqlite3.connect(str(_database()))
    held.execute("SELECT count(*) FROM evaluation_votecount").fetchall()
    truth = _ballots([p.name for p in people])
    raters = people if order == "forward" else list(reversed(people))
    for person in raters:
        grades = {member_of[name]: grade for name, grade in truth[person.name].items()}
        dims = {(member_of[name], 1): (grade + 1) % 4 for name, grade in truth[person.name].items()}
        services.cast_vote(round=round, rater=person, grades=grades, dimension_grades=dims, by="probe")
    return {
        "round": round.pk,
        "order": [p.name for p in raters],
        "ballots": truth,
        "subjects": {str(pk): name for name, pk in member_of.items()},
        "held": held,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--template", required=True)
    parser.add_argument("--order", choices=["forward", "reverse"], default="forward")
    parser.add_argument("--out", required=True)
    parser.add_argument("--unprotected", action="store_true")
    args = parser.parse_args()
    database, template = _database(), Path(args.template)
    sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pingyi.settings")
    import django

    if not template.exists():
        for suffix in ("", "-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
        django.setup()
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", verbosity=0)
        connection.close()  # the last connection to close checkpoints and removes the WAL
        shutil.copyfile(database, template)
        return
    for suffix in ("-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(template, database)
    django.setup()
    found = _vote(args.order, args.unprotected)
    held = found.pop("held")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    # The copy a person with access to the disk would take, while both connections are still open.
    for suffix in ("", "-wal", "-shm"):
        source = Path(f"{database}{suffix}")
        (out / f"db.sqlite3{suffix}").write_bytes(source.read_bytes() if source.exists() else b"")
    (out / "ballots.json").write_text(json.dumps(found, ensure_ascii=False))
    held.close()


if __name__ == "__main__":
    main()
