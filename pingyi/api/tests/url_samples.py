from typing import Any


def samples(world: Any) -> dict[str, Any]:
    """The API's URL kwargs mean what they mean for the pages: org_code and campaign_id come from org and campaigns."""
    return {}
