from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from pingyi.rectification import services

PROVIDES = {"rectification_item_id", "evidence_id", "four_check_id"}
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def samples(world: Any) -> dict[str, Any]:
    """An item of the branch owned by the member, reported done with a PDF; a four-checks run."""
    secretary = world.users["secretary"]
    branch = world.orgs["branch"]
    item = services.create_item(
        org=branch, title="窗口服务态度生硬", owner=world.people["member"], measures="开展文明服务培训", by=secretary
    )
    services.report_done(
        item=item,
        report="已培训",
        files=[SimpleUploadedFile("培训签到.pdf", PDF_BYTES, "application/pdf")],
        by=world.users["member"],
    )
    check = services.create_check(org=branch, campaign=None, title="四个查一查", by=secretary)
    return {
        "rectification_item_id": item.pk,
        "evidence_id": item.evidence.get().pk,
        "four_check_id": check.pk,
    }
