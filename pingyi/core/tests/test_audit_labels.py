import re
from pathlib import Path

from django.conf import settings

from pingyi.core.audit_labels import all_labels

ACTION = re.compile(r'\baction="([a-z_]+\.[a-z_.]+)"')


def test_every_audited_action_has_a_label_for_the_audit_page() -> None:
    used = set()
    root = Path(settings.BASE_DIR)
    for path in (root / "pingyi").rglob("*.py"):
        if "tests" not in path.relative_to(root).parts:  # relative: a checkout may sit in a folder named tests
            used |= set(ACTION.findall(path.read_text(encoding="utf-8")))
    assert used, "the scan found no audited actions at all"
    missing = sorted(used - set(all_labels()))
    assert not missing, f"add these to pingyi/core/audit_labels.py or the app's audit_labels.py: {missing}"
