from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404

from pingyi.core.models import Job
from pingyi.org.permissions import Cap, require


def get_job_for_user(user: Any, pk: Any) -> Job:
    """The job's starter may follow it; so may anyone who can view its node."""
    job = get_object_or_404(Job.objects.select_related("org"), pk=pk)
    if job.created_by_id == user.pk or user.is_superuser:
        return job
    if job.org is None:
        raise Http404
    require(user, Cap.VIEW_ORG, job.org)
    return job
