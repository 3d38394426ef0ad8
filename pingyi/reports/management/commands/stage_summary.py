from typing import Any

from django.core.management.base import BaseCommand, CommandError

from pingyi.campaigns.models import Campaign
from pingyi.reports.summary import draft


class Command(BaseCommand):
    help = "Print the stage summary (阶段总结) drafted from the record; figures the record lacks read 【待补充】."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--campaign", type=int, required=True, help="the campaign's id")
        parser.add_argument("--stage", type=int, required=True, help="the stage's number (1, 2, 3…)")

    def handle(self, *args: Any, campaign: int, stage: int, **options: Any) -> None:
        found = Campaign.objects.select_related("org").filter(pk=campaign).first()
        if found is None:
            raise CommandError(f"没有编号为 {campaign} 的活动")
        the_stage = found.stages.filter(order=stage).first()
        if the_stage is None:
            raise CommandError(f"活动“{found.title}”没有第 {stage} 阶段")
        self.stdout.write(f"{found.title}{the_stage.name}阶段总结（草稿，{found.org.name}）")
        for number, section in enumerate(draft(found, the_stage), start=1):
            self.stdout.write("")
            self.stdout.write(f"{number}. {section.title}")
            self.stdout.write("".join(sentence.text for sentence in section.sentences))
