"""Roster import throughput: check, import and re-import of a large .xlsx,
beside the floor of merely reading the same file with openpyxl.

    .venv/bin/python bench/roster_import.py [--rows 10000] [--db both|postgres|sqlite]

For each database (a scratch PostgreSQL database on 127.0.0.1:5432 and a
temporary SQLite file) it builds a branch, writes a roster of ROWS members in
the template's layout (valid ID numbers, dates, groups and posts), then times:
  read     openpyxl reading every cell (the baseline: no checking, no writing),
  check    the import's dry run (parse, validate, match against the database),
  import   the real import, one transaction, audit entries included,
  again    importing the same file again (must change nothing).
"""

import argparse
import io
import time
from datetime import date, timedelta

from _common import child_main, run_child, scratch_databases

HEADERS = [
    "序号", "姓名", "性别", "公民身份号码", "出生日期", "人员类别",
    "人员状态", "入党日期", "所在党小组", "职务", "联系电话",
]  # fmt: skip


def roster_bytes(rows: int) -> bytes:
    from openpyxl import Workbook

    from pingyi.org.demo import demo_id_number

    book = Workbook()
    sheet = book.active
    sheet.append(["局机关党支部党员名册"])
    sheet.append(HEADERS)
    for i in range(1, rows + 1):
        gender = "男" if i % 2 else "女"
        born = date(1950, 1, 1) + timedelta(days=i % 18000)
        number = demo_id_number(i, born, "M" if i % 2 else "F")
        joined = born + timedelta(days=25 * 365)
        group = f"第{i % 5 + 1}党小组"
        posts = "支部委员" if i % 200 == 0 else ""
        sheet.append([i, f"党员{i}", gender, number, born, "正式党员", "在职", joined, group, posts, f"139{i:08d}"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def measure(label: str, rows: int) -> dict[str, float]:
    from openpyxl import load_workbook

    from pingyi.org import services
    from pingyi.org.models import OrgType, Person
    from pingyi.org.roster.importer import import_roster

    branch = services.create_org_unit(parent=None, type=OrgType.BRANCH, code="B", name="局机关党支部", by=None)
    for g in range(1, 6):
        services.create_org_unit(parent=branch, type=OrgType.GROUP, code=f"G{g}", name=f"第{g}党小组", by=None)
    data = roster_bytes(rows)

    def timed(func):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        value = func()
        return value, time.perf_counter() - start

    def read_all() -> int:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).active
        return sum(1 for row in sheet.iter_rows(values_only=True) for _ in row)

    _, read_s = timed(read_all)
    checked, check_s = timed(lambda: import_roster(data=data, org=branch, by=None, dry_run=True))
    assert not checked.errors, checked.errors[:3]
    imported, import_s = timed(lambda: import_roster(data=data, org=branch, by=None))
    assert imported.created == rows and Person.objects.count() == rows
    again, again_s = timed(lambda: import_roster(data=data, org=branch, by=None))
    assert again.unchanged == rows and again.created == again.updated == 0
    figures = {"read_s": read_s, "check_s": check_s, "import_s": import_s, "again_s": again_s}
    print(f"{label}: {rows:,} rows ({len(data) / 1e6:.1f} MB)")
    for name, seconds in figures.items():
        print(f"  {name[:-2]:7s} {seconds:7.2f} s  {rows / seconds:9.0f} rows/s")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--db", choices=["both", "postgres", "sqlite"], default="both")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child_main(lambda label: measure(label, args.rows), args.child)
        return
    results = {}
    with scratch_databases(args.db, "pingyi_bench_roster") as urls:
        for label, url in urls.items():
            results[label] = run_child(__file__, label, url, "--rows", str(args.rows))
    parts = [f"baseline_read_rows_per_s={args.rows / next(iter(results.values()))['read_s']:.0f}"]
    for label, f in results.items():
        parts += [
            f"{label}_check_rows_per_s={args.rows / f['check_s']:.0f}",
            f"{label}_import_rows_per_s={args.rows / f['import_s']:.0f}",
            f"{label}_reimport_rows_per_s={args.rows / f['again_s']:.0f}",
        ]
    print(f"roster_import: rows={args.rows} " + " ".join(parts))


if __name__ == "__main__":
    main()
