from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

LABELS: dict[str, Promise] = {
    "originality.indexed": _("文稿加入比对库"),
    "originality.checked": _("复制比检测"),
    "originality.library_imported": _("导入参考文献"),
    "originality.library_uploaded": _("上传参考文献文件"),
    "originality.library_removed": _("删除参考文献"),
    "originality.rechecked": _("重新检测所有文稿"),
    "originality.reindexed": _("重建指纹索引"),
}
