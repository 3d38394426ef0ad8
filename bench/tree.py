"""Subtree queries at 1,000,000 members: the materialised path (ADR 0001)
against the baseline it replaces, walking the tree in Python one node at a time.

    .venv/bin/python bench/tree.py [--members 1000000] [--db both|postgres|sqlite]

Builds a scratch database (PostgreSQL `pingyi_bench` on 127.0.0.1:5432, and a
temporary SQLite file), migrates it, loads a tree of 1 province, 4 cities,
20 districts, 200 party groups and 1,000 branches with 2 groups each, and
spreads the members evenly over the branches. Then times, median of 7 runs:
  - count of members under a district (~5% of all) and under a city (~25%),
  - the first page (50) of a district's people, ordered as the people list is,
  - counts by status under a district (the home page's summary),
each with the path prefix query, and the district count with the baseline.
The scratch databases are dropped at the end.
"""

import argparse
import time

from _common import child_main, median_ms, run_child, scratch_databases

STATUSES = ["serving", "serving", "serving", "serving", "retired", "away", "left_post"]


def build_tree(connection, members: int) -> dict[str, int]:
    """Insert the nodes and members with raw SQL (the ORM would take minutes for a million rows)."""
    nodes: list[tuple] = []  # id, parent_id, type, code, name, path, depth
    next_id = 1

    def add(parent: tuple | None, type_: str, name: str) -> tuple:
        nonlocal next_id
        path = f"{parent[5] if parent else '/'}{next_id}/"
        row = (next_id, parent[0] if parent else None, type_, f"N{next_id}", name, path, parent[6] + 1 if parent else 0)
        nodes.append(row)
        next_id += 1
        return row

    province = add(None, "province", "省")
    branches = []
    first_city = first_district = None
    for c in range(4):
        city = add(province, "city", f"市{c}")
        first_city = first_city or city
        for d in range(5):
            district = add(city, "district", f"区{c}-{d}")
            first_district = first_district or district
            for g in range(10):
                group = add(district, "party_group", f"党组{c}-{d}-{g}")
                for b in range(5):
                    branch = add(group, "branch", f"支部{c}-{d}-{g}-{b}")
                    branches.append(branch[0])
                    for k in range(2):
                        add(branch, "group", f"小组{k}")
    per_branch = members // len(branches)
    people = (
        (f"党员{i}", "member", "M" if i % 2 else "F", "", "formal", STATUSES[i % len(STATUSES)], "", "", False, branch)
        for branch in branches
        for i in range(per_branch)
    )
    person_cols = "name, kind, gender, phone, category, status, contact_type, affiliation, is_demo, org_id"
    node_cols = "id, parent_id, type, code, name, path, depth, is_demo"
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            raw = cur.cursor
            with raw.copy(f"COPY org_orgunit ({node_cols}) FROM STDIN") as copy:
                for row in nodes:
                    copy.write_row((*row, False))
            with raw.copy(f"COPY org_person ({person_cols}) FROM STDIN") as copy:
                for row in people:
                    copy.write_row(row)
            cur.execute("SELECT setval(pg_get_serial_sequence('org_orgunit', 'id'), %s)", [next_id])
            cur.execute("ANALYZE")
        else:
            cur.executemany(f"INSERT INTO org_orgunit ({node_cols}) VALUES (%s, %s, %s, %s, %s, %s, %s, 0)", nodes)
            cur.executemany(f"INSERT INTO org_person ({person_cols}) VALUES ({', '.join(['%s'] * 10)})", people)
            cur.execute("ANALYZE")
    return {
        "city": first_city[0],
        "district": first_district[0],
        "nodes": len(nodes),
        "members": per_branch * len(branches),
    }


def measure(label: str, members: int) -> dict[str, float]:
    from django.db import connection
    from django.db.models import Count

    from pingyi.org.models import OrgUnit, Person

    start = time.perf_counter()
    built = build_tree(connection, members)
    load_s = time.perf_counter() - start
    district = OrgUnit.objects.get(pk=built["district"])
    city = OrgUnit.objects.get(pk=built["city"])

    def walk_ids(node_id: int) -> list[int]:
        """The baseline: recursion in Python, one query per node."""
        ids = [node_id]
        for child in OrgUnit.objects.filter(parent_id=node_id).values_list("id", flat=True):
            ids += walk_ids(child)
        return ids

    expected = Person.objects.in_subtree(district).count()
    assert Person.objects.filter(org_id__in=walk_ids(district.pk)).count() == expected
    figures = {
        "district_count_ms": median_ms(lambda: Person.objects.in_subtree(district).count()),
        "city_count_ms": median_ms(lambda: Person.objects.in_subtree(city).count()),
        "district_page_ms": median_ms(lambda: list(Person.objects.in_subtree(district).select_related("org")[:50])),
        "district_by_status_ms": median_ms(
            lambda: list(Person.objects.in_subtree(district).values("status").order_by().annotate(n=Count("id")))
        ),
        "baseline_walk_count_ms": median_ms(
            lambda: Person.objects.filter(org_id__in=walk_ids(district.pk)).count(), runs=3
        ),
    }
    print(
        f"{label}: {built['members']:,} members, {built['nodes']:,} nodes, loaded in {load_s:.1f}s; "
        f"district subtree = {expected:,} members"
    )
    for name, value in figures.items():
        print(f"  {name:26s} {value:9.1f} ms")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--db", choices=["both", "postgres", "sqlite"], default="both")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child_main(lambda label: measure(label, args.members), args.child)
        return
    results: dict[str, dict[str, float]] = {}
    with scratch_databases(args.db, "pingyi_bench_tree") as urls:
        for label, url in urls.items():
            results[label] = run_child(__file__, label, url, "--members", str(args.members))
    parts = []
    for label, f in results.items():
        speedup = f["baseline_walk_count_ms"] / f["district_count_ms"]
        parts.append(
            f"{label}_district_count_ms={f['district_count_ms']:.1f} {label}_city_count_ms={f['city_count_ms']:.1f} "
            f"{label}_page_ms={f['district_page_ms']:.1f} {label}_baseline_walk_ms={f['baseline_walk_count_ms']:.1f} "
            f"{label}_speedup={speedup:.1f}x"
        )
    print(f"tree: members={args.members} " + " ".join(parts))


if __name__ == "__main__":
    main()
