"""The office's usual headings for opinions and the words that suggest them (意见类别), shipped with every
database by migration 0005 and restored after a flush; an office edits them in the admin."""

from typing import Any

CATEGORIES = [
    ("工作作风", "作风 态度 脸难看 推诿 扯皮 门难进 事难办 官僚 形式主义 不耐烦 冷漠 刁难"),
    ("办事程序和效率", "程序 手续 材料 审批 跑腿 多跑 效率 时限 窗口 排队 证明 盖章 流程 办理 办事 慢 拖"),
    ("政策落实", "政策 补贴 社保 养老 医疗 失业 保险 就业 再就业 培训 最低工资 劳动合同 欠薪 工资 待遇"),
    ("服务承诺和投诉处理", "承诺 投诉 举报 回复 答复 热线 电话 没人接 反映 处理结果"),
    ("廉洁自律", "廉洁 吃拿卡要 收礼 红包 请客 公车 报销 送礼 吃请"),
    ("学习教育和党建", "学习 党课 支部 党员 组织生活 先进性 党建 教育活动 走过场 理论"),
    ("其他", ""),
]


def load(category_model: Any) -> None:
    for order, (name, keywords) in enumerate(CATEGORIES):
        category_model.objects.get_or_create(name=name, defaults={"keywords": keywords, "order": order})
