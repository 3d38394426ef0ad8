from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from pingyi.originality import services
from pingyi.originality.library import LibraryItem
from pingyi.originality.models import CorpusDocument

from .texts import ARTICLE, HONEST_A

PROVIDES = {"report_id", "library_document_id", "originality:library_upload"}


def samples(world: Any) -> dict[str, Any]:
    """A library text, and the report of a reflection the member persona submitted in the branch."""
    services.import_library(
        items=[LibraryItem("a.txt", "窗口服务与先进性", "https://example.org/a", ARTICLE)], org=None, by=None
    )
    document = services.index_text(
        kind="writing",
        ref=1,
        org=world.orgs["branch"],
        campaign=None,
        title="学习心得",
        text=HONEST_A + ARTICLE[:200],
        by=world.users["member"],
    )
    report = services.check_document(document=document)
    library = CorpusDocument.objects.get(kind="library")
    text = SimpleUploadedFile("先进性.txt", ARTICLE.encode())
    return {
        "report_id": report.pk,
        "library_document_id": library.pk,
        "originality:library_upload": {"file": text, "title": "窗口服务与先进性"},
    }
