from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from pingyi.rectification import services

PROVIDES = {"rectification_item_id", "evidence_id", "four_check_id"}
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def samples(world: Any) -> dict[str, Any]:
    """Items of the branch owned by the member in each state: open, reported done with a PDF (the
    default), verified; a four-checks run with one entry; form data for reporting, returning, publishing and editing."""
    secretary = world.users["secretary"]
    branch = world.orgs["branch"]
    items = {}
    for state in ("open", "reported", "verified"):
        item = services.create_item(
            org=branch,
            title=f"窗口服务态度生硬（{state}）",
            owner=world.people["member"],
            measures="文明服务培训",
            by=secretary,
        )
        if state != "open":
            pdf = SimpleUploadedFile("培训签到.pdf", PDF_BYTES, "application/pdf")
            services.report_done(item=item, report="已培训", files=[pdf], by=world.users["member"])
        if state == "verified":
            services.verify_item(item=item, by=secretary)
        items[state] = item
    check = services.create_check(org=branch, campaign=None, title="四个查一查", by=secretary)
    services.add_check_entry(check=check, area="procedure", procedure="失业登记", promised_days=5, by=secretary)
    return {
        **{f"rectification_item_id@{state}": item.pk for state, item in items.items()},
        "rectification_item_id": items["reported"].pk,
        "evidence_id": items["reported"].evidence.get().pk,
        "four_check_id": check.pk,
        "rectification:item_edit": {"title": "窗口服务态度生硬", "measures": "开展文明服务培训"},
        "rectification:item_report": {"report": "已开展培训，群众满意"},
        "rectification:item_return": {"reason": "缺少培训签到表"},
        "rectification:settings": {"default_days": 60},
        "rectification:item_publish": {"scope": "branch", "public_title": "窗口服务改进", "public_summary": "已培训"},
    }
