from typing import Any

from pingyi.org.models import Role, RoleGrant
from pingyi.org.roster.export import template_workbook
from pingyi.org.roster.uploads import create_upload


def samples(world: Any) -> dict[str, Any]:
    upload = create_upload(
        org=world.orgs["branch"], by=world.users["secretary"], filename="template.xlsx", content=template_workbook()
    )
    grant = RoleGrant.objects.get(user=world.users["committee"], org=world.orgs["branch"], role=Role.COMMITTEE)
    return {
        "org_code": world.orgs["branch"].code,
        "person_id": world.people["member"].pk,
        "upload_id": upload.pk,
        "grant_id": grant.pk,
    }
