import uuid
from typing import Any

from django.utils import timezone

from pingyi.core.models import Job, Notification


def samples(world: Any) -> dict[str, Any]:
    job = Job.objects.create(name="sample", org=world.orgs["branch"], created_by=world.users["secretary"])
    # A notice in the member's inbox: only its recipient may open it, everyone else gets 404.
    notice = Notification.objects.create(
        recipient=world.users["member"], kind="sample.notice", day=timezone.localdate(), title="样例", url="/",
        batch=uuid.uuid4(),
    )  # fmt: skip
    return {"job_id": job.pk, "notification_id": notice.pk}
