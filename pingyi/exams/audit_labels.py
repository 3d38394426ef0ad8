from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

LABELS: dict[str, Promise] = {
    "exams.bank_created": _("建立题库"),
    "exams.questions_imported": _("导入试题"),
    "exams.question_deleted": _("删除试题"),
    "exams.paper_created": _("建立试卷"),
    "exams.sitting_created": _("安排考试"),
    "exams.makeup_created": _("安排补考"),
    "exams.sheet_started": _("开始答卷"),
    "exams.sheet_submitted": _("交卷"),
    "exams.answer_graded": _("简答题评分"),
}
