from typing import Any

from pingyi.core.models import Job


def samples(world: Any) -> dict[str, Any]:
    job = Job.objects.create(name="sample", org=world.orgs["branch"], created_by=world.users["secretary"])
    return {"job_id": job.pk}
