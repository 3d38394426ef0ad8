"""The coverage requirement engine on plain data: which pairs owe a talk, and which talks cover them."""

from datetime import date

from pingyi.talks.coverage import (
    ALWAYS,
    CHARGE,
    LARGE_BRANCH,
    Coverage,
    Member,
    PairRequirement,
    TalkSides,
    covered_pairs,
    load_requirements,
    required_pairs,
)

DAY = date(2005, 3, 1)
ANNUAL = load_requirements().requirements


def branch(n_members: int, *, committee: int = 2, groups: int = 1) -> list[Member]:
    people = [Member(id=i, name=f"支委{i}", group_id=1, is_committee=True) for i in range(1, committee + 1)]
    for i in range(n_members):
        pk = 100 + i
        people.append(Member(id=pk, name=f"党员{pk}", group_id=1 + i % groups))
    return people


def test_the_standing_requirement_asks_every_pair_in_a_small_branch() -> None:
    people = branch(4, committee=2)
    required = required_pairs(people, ANNUAL, large_branch_members=50)
    assert len(required) == 6 * 5 // 2  # every pair of six people
    assert required[(1, 2)] == ["支委之间"]
    assert required[(1, 100)] == ["支委和党员之间"]
    assert required[(100, 101)] == ["党员之间"]


def test_in_a_large_branch_members_talk_within_their_group_but_the_committee_talks_to_everyone() -> None:
    people = branch(6, committee=1, groups=2)  # members 100..105, groups 1,2,1,2,1,2
    required = required_pairs(people, ANNUAL, large_branch_members=5)
    assert (100, 102) in required and (101, 103) in required
    assert (100, 101) not in required  # different groups
    assert all((1, m.id) in required for m in people[1:])  # the committee member with every member
    small = required_pairs(people, ANNUAL, large_branch_members=50)
    assert (100, 101) in small


def test_a_member_without_a_group_owes_no_member_talks_where_groups_apply() -> None:
    people = [Member(1, "甲", group_id=None), Member(2, "乙", group_id=None)]
    requirement = PairRequirement("同组", "member", "member", same_group=ALWAYS)
    assert required_pairs(people, [requirement], large_branch_members=50) == {}


def test_a_one_to_many_talk_covers_each_pair_with_the_one_and_not_among_the_many() -> None:
    covered = covered_pairs([TalkSides(DAY, frozenset({1}), frozenset({100, 101, 102}))])
    assert set(covered) == {(1, 100), (1, 101), (1, 102)}
    assert (100, 101) not in covered


def test_a_many_to_many_talk_covers_every_pair_across_the_sides_with_the_latest_date() -> None:
    later = date(2005, 4, 1)
    covered = covered_pairs(
        [TalkSides(DAY, frozenset({1, 2}), frozenset({100, 101})), TalkSides(later, frozenset({101}), frozenset({2}))]
    )
    assert set(covered) == {(1, 100), (1, 101), (2, 100), (2, 101)}
    assert covered[(2, 101)] == later and covered[(1, 100)] == DAY


def test_coverage_counts_who_still_owes_whom() -> None:
    people = branch(2, committee=1)  # 1, 100, 101: three pairs
    required = required_pairs(people, ANNUAL, large_branch_members=50)
    cov = Coverage(people, required, covered_pairs([TalkSides(DAY, frozenset({1}), frozenset({100, 101}))]))
    assert (cov.required_count, cov.done_count, cov.percent) == (3, 2, 67)
    assert cov.owed_ids(100) == [101] and cov.owed_ids(1) == []
    assert cov.done_ids() == {1}
    assert cov.state(1, 100) == "done" and cov.state(101, 100) == "owed" and cov.state(1, 1) == "self"


def test_a_talk_no_requirement_asks_for_shows_as_extra_and_changes_no_count() -> None:
    people = [Member(1, "甲", is_committee=True), Member(2, "乙", is_leader=True)]
    requirement = PairRequirement("支委之间", "committee", "committee")
    cov = Coverage(people, required_pairs(people, [requirement], large_branch_members=50), {(1, 2): DAY})
    assert cov.state(1, 2) == "extra" and cov.required_count == 0 and cov.percent == 100


def test_leaders_with_the_people_in_their_charge() -> None:
    people = [Member(1, "局长", is_leader=True, charge=frozenset({100, 999})), Member(100, "甲"), Member(101, "乙")]
    requirement = PairRequirement("领导与分管", "leader", CHARGE)
    assert required_pairs(people, [requirement], large_branch_members=50) == {
        (1, 100): ["领导与分管"]
    }  # 999 is not here


def test_a_pair_required_by_two_requirements_is_one_talk_owed_under_both_names() -> None:
    people = [Member(1, "甲", is_committee=True, is_leader=True), Member(2, "乙", is_committee=True)]
    requirements = [
        PairRequirement("支委之间", "committee", "committee"),
        PairRequirement("全体", "everyone", "everyone"),
    ]
    assert required_pairs(people, requirements, large_branch_members=50) == {(1, 2): ["支委之间", "全体"]}


def test_the_shipped_requirements_are_the_rule_of_today() -> None:
    requirements = load_requirements()
    assert requirements.period_days == 365
    assert [(r.left, r.right, r.same_group) for r in requirements.requirements] == [
        ("committee", "committee", "never"),
        ("committee", "member", "never"),
        ("member", "member", LARGE_BRANCH),
    ]
