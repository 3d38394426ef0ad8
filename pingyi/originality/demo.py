"""Demo reference library: a few texts marked as demo, then a re-check of the demo writings.

One demo web article shares a passage with a demo reflection (the organisation committee
member's), so the demo shows a report with a copied passage beside its source.
"""

from __future__ import annotations

from pingyi.core.hooks import DEMO
from pingyi.org.models import OrgUnit, Person

from . import services
from .library import LibraryItem

TEXTS = [
    (
        "组织工作贵在细致",
        "https://example.org/demo/zuzhi",
        "做好党员教育管理，关键在一个“细”字。有的支部在学习中，逐一给退休和外出党员打电话、寄材料，"
        "体会到组织工作重在细致：一个人也不能落下。这样的做法值得推广。"
        "各支部要建立流动党员联系台账，定期通报学习安排，把教育管理覆盖到每一名党员。",
    ),
    (
        "窗口服务体现先进性",
        "https://example.org/demo/chuangkou",
        "群众来办事，最怕的是门难进、脸难看、事难办，最盼的是一次说清楚、一次办到位。"
        "劳动保障窗口要把群众满意作为第一标准，推行首问负责、限时办结，让群众少跑腿。",
    ),
    (
        "入党誓词",
        "",
        "我志愿加入中国共产党，拥护党的纲领，遵守党的章程，履行党员义务，执行党的决定，"
        "严守党的纪律，保守党的秘密，对党忠诚，积极工作，为共产主义奋斗终身，"
        "随时准备为党和人民牺牲一切，永不叛党。",
    ),
]


def seed(nodes: dict[str, OrgUnit], people: dict[str, Person]) -> None:
    items = [LibraryItem(f"demo-{i}.txt", f"{title}{DEMO}", url, text) for i, (title, url, text) in enumerate(TEXTS)]
    result = services.import_library(items=items, org=nodes.get("bureau"), by="seed_demo", is_demo=True)
    if result.added:
        services.recheck_writings(by="seed_demo")
