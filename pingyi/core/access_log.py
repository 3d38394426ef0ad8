"""Who was shown unmasked personal data: one row per page, export or API answer (core.PrivateDataView)."""

from typing import Any

from django.db import models

from .models import PrivateDataView


def record_private_view(*, user: Any, org: Any, what: str, count: int, subject: models.Model | None = None) -> None:
    """Note that `user` was shown `count` people's unmasked ID numbers or phones under `org`."""
    if not count or not getattr(user, "is_authenticated", False):
        return
    PrivateDataView.objects.create(
        user=user,
        username=user.get_username()[:150],
        org=org,
        what=what[:40],
        subject=f"{subject._meta.label_lower}:{subject.pk}" if subject is not None else "",
        count=count,
    )
