from time import perf_counter
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pingyi.portal.synthetic import seed as synthetic


class Command(BaseCommand):
    help = (
        "Build a synthetic province for measuring the roll-up (about 30 members a branch; every row marked "
        "SYN-/is_demo). Replaces an earlier synthetic province; --clear alone removes it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--members", type=int, help="how many party members (1,000,000 ≈ 33,000 branches)")
        parser.add_argument("--per-branch", type=int, default=30)
        parser.add_argument("--branches-per-district", type=int, default=220)
        parser.add_argument("--cities", type=int, default=0, help="0: from the size, 2 to 16")
        parser.add_argument("--seed", type=int, default=2005)
        parser.add_argument("--clear", action="store_true", help="remove the synthetic province and stop")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["clear"]:
            self.stdout.write("删除合成数据：")
            removed = synthetic.clear(say=self.stdout.write)
            self.stdout.write(f"已删除 {removed:,} 行。")
            return
        if not options["members"] or options["members"] < 1:
            raise CommandError("请用 --members N 说明党员人数，或用 --clear 删除合成数据。")
        shape = synthetic.Shape(
            members=options["members"],
            per_branch=options["per_branch"],
            branches_per_district=options["branches_per_district"],
            cities=options["cities"],
            seed=options["seed"],
        )
        reason = synthetic.refuse_reason(shape.members)
        if reason:
            raise CommandError(reason)
        if synthetic.exists():
            self.stdout.write("先删除已有的合成数据：")
            synthetic.clear(say=self.stdout.write)
        self.stdout.write(f"生成合成省：{shape.members:,} 名党员，约 {shape.branches:,} 个支部……")
        start = perf_counter()
        done = synthetic.seed(shape, say=self.stdout.write)
        self.stdout.write(
            f"完成：{done.branches:,} 个支部，{done.members:,} 名党员，{done.rows:,} 行，"
            f"用时 {perf_counter() - start:.1f} 秒。省级组织代码 {done.province.code}。"
        )
