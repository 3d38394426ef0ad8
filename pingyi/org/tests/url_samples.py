from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import PASSWORD
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
        "org:roster_upload": {"file": SimpleUploadedFile("名册.xlsx", template_workbook())},
        "accounts:password_change": {
            "old_password": PASSWORD,
            "new_password1": "another-pass-67890",
            "new_password2": "another-pass-67890",
        },
    }
