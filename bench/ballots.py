"""Anonymous ballots at scale: RATERS members each rate MEMBERS others (300 × 300 = 90,000 ratings),
submitted one ballot at a time through the service layer, then tallied — beside the ceiling of a
bare bulk insert of the same 90,000 rows into a plain table (no participation, no lock, no audit).

    .venv/bin/python bench/ballots.py [--raters 300] [--members 300] [--db both|postgres|sqlite]

For each database (a scratch PostgreSQL database on 127.0.0.1:5432 and a temporary SQLite file):
  ceiling  the 90,000 (rater, member, grade) rows in multi-row INSERTs of 1,000, one transaction;
  submit   services.cast_vote for every rater: round lock, participation row, one UPDATE touching
           every counter of the source (docs/adr/0004-anonymous-ballots.md), audit entry — each its
           own transaction, as the web requests are;
  tally    closing the round and selectors.tally (the committee page's read).
Targets: submit within 3× of the ceiling, tally under 2 s on PostgreSQL.
The last line is `ballots: submit_s=… ceiling_s=… tally_s=…` (PostgreSQL when it ran).
"""

import argparse
import random
import time

from _common import child_main, run_child, scratch_databases


def measure(label: str, raters: int, members: int) -> dict[str, float]:
    from django.db import connection, transaction
    from django.utils import timezone

    from pingyi.campaigns import services as campaigns
    from pingyi.campaigns.models import CampaignTemplate
    from pingyi.evaluation import selectors, services
    from pingyi.org import services as org
    from pingyi.org.models import MemberCategory, OrgType, Person, PersonKind

    branch = org.create_org_unit(parent=None, type=OrgType.BRANCH, code="B", name="局机关党支部", by=None)
    # raters + members people: rater i rates every member but themself, so each rates `members` others
    total = max(raters, members + 1)
    Person.objects.bulk_create(
        Person(org=branch, kind=PersonKind.MEMBER, category=MemberCategory.FORMAL, name=f"党员{i:04d}")
        for i in range(total)
    )
    campaign = campaigns.create_campaign(
        org=branch,
        template=CampaignTemplate.objects.get(code="democratic-evaluation"),
        title="",
        starts_on=timezone.localdate(),
        by="bench",
    )
    round = services.create_round(campaign=campaign, org=branch, title="民主测评", by="bench", allow_public=False,
                                  weight_self=10, weight_members=90, weight_public=0)  # fmt: skip
    round = services.open_round(round=round, by="bench")
    people = list(Person.objects.order_by("pk"))
    member_ids = dict(round.members.values_list("person_id", "pk"))
    rng = random.Random(2005)
    ballots = []
    for rater in people[:raters]:
        others = [member_ids[p.pk] for p in people if p.pk != rater.pk][:members]
        ballots.append((rater, {m: rng.choice((0, 1, 1, 1, 2, 3)) for m in others}))
    ratings = sum(len(b) for _r, b in ballots)

    def ceiling() -> None:
        with connection.cursor() as cursor:
            cursor.execute("CREATE TABLE bench_rating (rater_id integer, subject_id integer, grade smallint)")
        rows = [(rater.pk, subject, grade) for rater, ballot in ballots for subject, grade in ballot.items()]
        with transaction.atomic(), connection.cursor() as cursor:
            for start in range(0, len(rows), 1000):
                chunk = rows[start : start + 1000]
                values = ", ".join(["(%s, %s, %s)"] * len(chunk))
                cursor.execute(
                    f"INSERT INTO bench_rating (rater_id, subject_id, grade) VALUES {values}",
                    [v for row in chunk for v in row],
                )

    def submit() -> None:
        for rater, ballot in ballots:
            services.cast_vote(round=round, rater=rater, grades=ballot, by="bench")

    def tally() -> int:
        closed = services.close_round(round=round, by="bench")
        return len(selectors.tally(closed))

    def timed(func):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        value = func()
        return value, time.perf_counter() - start

    _, ceiling_s = timed(ceiling)
    _, submit_s = timed(submit)
    tallied, tally_s = timed(tally)
    from pingyi.evaluation.models import Participation, VoteCount

    counted = sum(row.total for row in VoteCount.objects.filter(round=round, dimension=0))
    assert counted == ratings and Participation.objects.filter(round=round).count() == raters
    assert tallied == total
    print(f"{label}: {raters} raters × {members} members = {ratings:,} ratings")
    print(f"  ceiling {ceiling_s:7.2f} s  {ratings / ceiling_s:9.0f} ratings/s  (bare bulk INSERT)")
    print(f"  submit  {submit_s:7.2f} s  {ratings / submit_s:9.0f} ratings/s  ({raters / submit_s:.0f} ballots/s)")
    print(f"  tally   {tally_s:7.2f} s  (close + tally of {tallied} members)")
    print(f"  submit / ceiling = {submit_s / ceiling_s:.1f}×")
    return {"ceiling_s": ceiling_s, "submit_s": submit_s, "tally_s": tally_s}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--raters", type=int, default=300)
    parser.add_argument("--members", type=int, default=300)
    parser.add_argument("--db", choices=["both", "postgres", "sqlite"], default="both")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child_main(lambda label: measure(label, args.raters, args.members), args.child)
        return
    results = {}
    with scratch_databases(args.db, "pingyi_bench_ballots") as urls:
        for label, url in urls.items():
            results[label] = run_child(
                __file__, label, url, "--raters", str(args.raters), "--members", str(args.members)
            )
    label = "postgres" if "postgres" in results else next(iter(results))
    f = results[label]
    extra = " ".join(
        f"{other}_submit_s={r['submit_s']:.2f} {other}_ceiling_s={r['ceiling_s']:.2f} "
        f"{other}_tally_s={r['tally_s']:.2f}"
        for other, r in results.items()
        if other != label
    )
    print(
        f"ballots: submit_s={f['submit_s']:.2f} ceiling_s={f['ceiling_s']:.2f} tally_s={f['tally_s']:.2f} "
        f"ratio={f['submit_s'] / f['ceiling_s']:.1f} db={label} {extra}".rstrip()
    )


if __name__ == "__main__":
    main()
