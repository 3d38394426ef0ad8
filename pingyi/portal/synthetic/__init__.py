"""A synthetic province for measuring the roll-up at scale (`manage.py seed_synthetic`, bench/rollup.py).

Every row it writes is marked: nodes carry the code prefix `SYN-` and `is_demo`, people, campaigns,
writings and rectification items carry `is_demo`; `clear()` removes them all. Nothing here runs in a
product path.
"""

VERSION = 1  # bump when the generated data changes, so bench/rollup.py does not reuse an older seed
