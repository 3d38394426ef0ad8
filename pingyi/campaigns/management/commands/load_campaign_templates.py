from typing import Any

from django.core.management.base import BaseCommand

from pingyi.campaigns.models import CampaignTemplate
from pingyi.campaigns.spec import load_shipped_templates


class Command(BaseCommand):
    help = "Load the campaign templates shipped in pingyi/campaigns/templates_data/*.yaml."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--overwrite", action="store_true", help="also replace templates that were edited in the admin"
        )

    def handle(self, *args: Any, overwrite: bool = False, **options: Any) -> None:
        created, updated = load_shipped_templates(CampaignTemplate, overwrite=overwrite)
        if options.get("verbosity", 1) >= 1:
            self.stdout.write(f"campaign templates: {created} created, {updated} updated")
