from pathlib import PurePosixPath

from django import forms
from django.utils.translation import gettext_lazy as _

from .library import MAX_FILE_BYTES, LibraryFileError, LibraryItem, read_library_file


class LibraryUploadForm(forms.Form):
    file = forms.FileField(label=_("文件（.txt、.docx、.html或.zip）"))
    title = forms.CharField(label=_("标题（单个文件时可填，不填取文件中的标题）"), max_length=200, required=False)
    source_url = forms.URLField(label=_("来源网址（可不填）"), max_length=500, required=False, assume_scheme="https")

    def clean(self) -> dict:
        data = super().clean() or {}
        upload = data.get("file")
        if upload is None:
            return data
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("文件超过20MB，请拆分后再导入"))
        name = PurePosixPath(upload.name).name
        content = upload.read()
        try:
            items: list[LibraryItem] = read_library_file(
                name, content, title=data.get("title", ""), source_url=data.get("source_url", "")
            )
        except LibraryFileError as exc:
            raise forms.ValidationError(str(exc)) from exc
        if not items:
            raise forms.ValidationError(_("文件中没有可导入的正文"))
        data["name"], data["content"], data["items"] = name, content, items
        return data
