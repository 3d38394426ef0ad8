from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from pingyi.api.services import create_api_token


class Command(BaseCommand):
    help = "Create a personal API token for a user and print its secret (shown this once only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", required=True, help="what the token is for, e.g. the integration's name")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user = get_user_model().objects.get_by_natural_key(options["username"])
        except get_user_model().DoesNotExist as exc:
            raise CommandError(_("没有用户 %(username)s") % {"username": options["username"]}) from exc
        if not user.is_active:
            raise CommandError(_("用户 %(username)s 已停用") % {"username": options["username"]})
        token, secret = create_api_token(user=user, name=options["name"], by="manage.py create_api_token")
        self.stdout.write(secret)
        self.stderr.write(
            _("已为 %(username)s 创建令牌“%(name)s”（%(prefix)s…）。密钥只显示这一次，请妥善保存。")
            % {"username": user.get_username(), "name": token.name, "prefix": token.prefix}
        )
