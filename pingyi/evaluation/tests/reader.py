"""The attack the storage tests mount on what a database leaves on disk (ADR 0004, "What each database keeps").

Given every version of the vote counters a reader could dig out of the files, and the order in which
members voted (not secret: participation rows keep it), rebuild each member's ballot: order a member's
overall counter versions by how many had rated them; each step adds one rating, made by the next voter
in participation order other than that member.
"""

from __future__ import annotations

import itertools
from collections import defaultdict

Key = tuple[int, str, int]  # subject (RoundMember id), source, dimension


def rebuild_ballots(versions: dict[Key, set[tuple[int, ...]]], voters: list[tuple[int, str]]) -> dict[str, dict]:
    """voters: (RoundMember id, name) in the order they voted. Returns {voter: {member rated: grade}}."""
    names = dict(voters)
    ballots: dict[str, dict[str, int]] = defaultdict(dict)
    for (subject, source, dimension), counts in versions.items():
        if source != "members" or dimension != 0 or subject not in names:
            continue
        raters = [name for member, name in voters if member != subject]
        for step, (before, after) in enumerate(itertools.pairwise(sorted(counts, key=sum))):
            changed = [grade for grade, (b, a) in enumerate(zip(before, after, strict=True)) if a != b]
            if step < len(raters) and len(changed) == 1:
                ballots[raters[step]][names[subject]] = changed[0]
    return dict(ballots)


def rebuild_by_transaction(
    versions: dict[Key, list[tuple[int, tuple[int, ...]]]], voters: dict[int, tuple[int, str]]
) -> dict[str, dict]:
    """PostgreSQL: each row version carries the transaction that wrote it (xmin), and so does each
    participation row. versions: key -> [(xmin, counts)]; voters: xmin -> (RoundMember id, name).
    Between two versions of a member's counter, one rating added by the only transaction in between that
    was a vote by someone else is that voter's choice; where versions were pruned, the gap is skipped."""
    ballots: dict[str, dict[str, int]] = defaultdict(dict)
    names = {member: name for member, name in voters.values()}
    for (subject, source, dimension), found in versions.items():
        if source != "members" or dimension != 0 or subject not in names:
            continue
        for (x0, before), (x1, after) in itertools.pairwise(sorted(set(found))):
            by = [voters[x] for x in voters if x0 < x <= x1 and voters[x][0] != subject]
            changed = [grade for grade, (b, a) in enumerate(zip(before, after, strict=True)) if a - b == 1]
            if len(by) == 1 and sum(after) - sum(before) == 1 and len(changed) == 1:
                ballots[by[0][1]][names[subject]] = changed[0]
    return dict(ballots)
