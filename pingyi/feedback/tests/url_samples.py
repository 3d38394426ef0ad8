from typing import Any


def samples(world: Any) -> dict[str, Any]:
    """Sample URL kwargs for this app's pages (names unique project-wide)."""
    return {}
