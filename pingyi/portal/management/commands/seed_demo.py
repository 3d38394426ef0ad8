from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from pingyi.portal.seed import seed_demo


class Command(BaseCommand):
    help = "Build the demo branch of DOMAIN.md (marked as demo data). Idempotent."

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("load_campaign_templates", verbosity=0)
        result = seed_demo()
        self.stdout.write(
            "演示数据已" + ("建立" if result.created else "是最新的，未作改动") + "（所有演示数据都标有【演示】）。"
        )
        self.stdout.write("")
        self.stdout.write("打开 http://127.0.0.1:8000/ 用下列演示账号登录，密码都是：" + settings.DEMO_PASSWORD)
        for username, (who, where) in result.logins.items():
            self.stdout.write(f"  {username:10s} {who} — {where}")
