from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

LABELS: dict[str, Promise] = {
    "study.scheduled": _("安排学习活动"),
    "study.updated": _("修改学习活动"),
    "study.all_present": _("考勤：全部出席"),
    "study.marked": _("登记考勤"),
    "study.made_up": _("登记补学"),
    "study.settings_changed": _("修改学习设置"),
    "study.cadence_changed": _("修改三会一课要求"),
    "study.cadence_reset": _("恢复标准三会一课要求"),
    "study.reminded": _("发送学习活动提醒"),
    "study.photos_added": _("上传活动照片"),
    "study.photo_removed": _("删除活动照片"),
    "study.attachments_added": _("上传学习材料附件"),
    "study.attachment_removed": _("删除学习材料附件"),
}
