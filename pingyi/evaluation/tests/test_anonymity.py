"""Proofs of ADR 0004: nothing stored can tie a vote to the person who cast it.

- the schema: every model and every database table is inspected, so a column, foreign key or
  index that would link the vote counters to a rater, a user, a participation or a code fails here;
- storage order: the counters look the same whatever order the same ballots arrive in;
- races: two submits of one rater at once leave one participation and one set of votes (PostgreSQL);
- small groups and open rounds: no tally.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.apps import apps
from django.db import close_old_connections, connection, models

from conftest import add_members
from pingyi.evaluation import selectors, services
from pingyi.evaluation.models import (
    COUNTER_BASE,
    GRADE_COLUMNS,
    EvaluationRound,
    Participation,
    PublicCode,
    RoundMember,
    VoteCount,
)

from .factories import close, everyone_gives, new_round, votes

# The vote counters may hold exactly these columns: which round, whom the vote is about, and the count.
VOTE_COLUMNS = {"id", "round_id", "subject_id", "source", "dimension", *GRADE_COLUMNS}
VOTE_TARGETS = {EvaluationRound, RoundMember}  # subject_id → the member being rated, never the rater
# Who voted may hold exactly these: nothing of the vote.
PARTICIPATION_COLUMNS = {"id", "round_id", "member_id", "on_paper"}
CODE_COLUMNS = {"id", "round_id", "code_hash", "used"}
TIME_TYPES = (models.DateField, models.DateTimeField, models.TimeField, models.DurationField)


def model_links_to_votes(model: type[models.Model]) -> list[str]:
    """Relations from `model` to the vote counters (there must be none outside VoteCount itself)."""
    return [
        f"{model._meta.label}.{f.name}"
        for f in model._meta.get_fields(include_hidden=True)
        if f.is_relation and f.concrete and f.related_model is VoteCount
    ]


def vote_model_problems(model: type[models.Model]) -> list[str]:
    """What in a vote-holding model could identify a rater: unknown columns, time, foreign relations."""
    problems = []
    for f in model._meta.concrete_fields:
        if f.column not in VOTE_COLUMNS:
            problems.append(f"column {f.column}")
        if isinstance(f, TIME_TYPES):
            problems.append(f"time column {f.column}")
        if f.is_relation and f.related_model not in VOTE_TARGETS:
            problems.append(f"relation {f.column} → {f.related_model}")
    problems += [f"many-to-many {f.name}" for f in model._meta.many_to_many]
    return problems


@pytest.mark.django_db
def test_no_model_links_a_vote_to_anyone() -> None:
    assert vote_model_problems(VoteCount) == []
    linked = [link for model in apps.get_models() for link in model_links_to_votes(model) if model is not VoteCount]
    assert linked == []
    # The checks can fail: the participation table, which names the rater, is flagged at once.
    assert vote_model_problems(Participation) and vote_model_problems(PublicCode)


@pytest.mark.django_db
def test_no_table_column_key_or_index_links_a_vote_to_anyone() -> None:
    vote_table = VoteCount._meta.db_table
    allowed_targets = {m._meta.db_table for m in VOTE_TARGETS}
    with connection.cursor() as cursor:
        introspection = connection.introspection
        columns = {c.name for c in introspection.get_table_description(cursor, vote_table)}
        assert columns == VOTE_COLUMNS
        relations = introspection.get_relations(cursor, vote_table)
        assert {table for _col, table in relations.values()} <= allowed_targets
        assert set(relations) == {"round_id", "subject_id"}
        for name, constraint in introspection.get_constraints(cursor, vote_table).items():
            assert set(constraint["columns"]) <= VOTE_COLUMNS, name
            if constraint["foreign_key"]:
                assert constraint["foreign_key"][0] in allowed_targets, name
        for table in introspection.table_names(cursor):
            if table == vote_table:
                continue
            targets = {target for _col, target in introspection.get_relations(cursor, table).values()}
            assert vote_table not in targets, f"{table} references the vote counters"
        participation = {c.name for c in introspection.get_table_description(cursor, Participation._meta.db_table)}
        assert participation == PARTICIPATION_COLUMNS
        code_columns = {c.name for c in introspection.get_table_description(cursor, PublicCode._meta.db_table)}
        assert code_columns == CODE_COLUMNS


def _storage(round: EvaluationRound) -> list[tuple[Any, ...]]:
    """The counters as stored. On SQLite in physical (rowid) order: updates happen in place, so that order
    is exactly what a reader of the file would see. PostgreSQL writes a new version of every counter in
    every vote and places it by free space, not by content; which slot it takes depends on when dead
    versions were pruned, so there the rows are compared by key (test_every_counter_… covers versions)."""
    order = "subject_id, source, dimension" if connection.vendor == "postgresql" else "rowid"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT subject_id, source, dimension, {', '.join(GRADE_COLUMNS)} FROM {VoteCount._meta.db_table} "
            f"WHERE round_id = %s ORDER BY {order}",
            [round.pk],
        )
        rows = cursor.fetchall()
    names = dict(RoundMember.objects.filter(round=round).values_list("pk", "person__name"))
    found = [(names[row[0]], *row[1:]) for row in rows]
    return sorted(found) if connection.vendor == "postgresql" else found


def _named_ballots(round: EvaluationRound, raters: list[Any]) -> list[tuple[Any, dict[str, int]]]:
    """Each rater a distinct ballot (by the names of those rated), so submission order would show."""
    ballots = []
    names = list(round.members.filter(graded=True).order_by("person__name").values_list("person__name", flat=True))
    for n, person in enumerate(raters):
        ballots.append((person, {name: (n + i) % 4 for i, name in enumerate(names) if name != person.name}))
    return ballots


def _in(round: EvaluationRound, ballot: dict[str, int]) -> dict[int, int | None]:
    ids = dict(round.members.values_list("person__name", "pk"))
    return {ids[name]: grade for name, grade in ballot.items()}


def _ballots(round: EvaluationRound, raters: list[Any]) -> list[tuple[Any, dict[int, int | None]]]:
    return [(person, _in(round, ballot)) for person, ballot in _named_ballots(round, raters)]


def _compact(table: str) -> None:
    """Start the next scenario from a table in the same physical state as the first one started."""
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM FULL {table}" if connection.vendor == "postgresql" else "VACUUM")


@pytest.mark.django_db(transaction=True)
def test_storage_is_the_same_whatever_the_order_of_submission(world: Any) -> None:
    """The same six ballots, submitted in one order and then (in a fresh round) in the opposite order,
    leave the counters identical row for row in physical order: nothing records which came first."""
    raters = add_members(world, 6)
    scenarios = []
    for order in (list, lambda ballots: list(reversed(ballots))):
        round = new_round(world)
        before = len(_storage(round))
        ballots = _named_ballots(round, raters)
        for person, ballot in order(ballots):
            services.cast_vote(round=round, rater=person, grades=_in(round, ballot), by=person.user)
        stored = _storage(round)
        assert len(stored) == before  # no row per vote: counters only
        voters = Participation.objects.filter(round=round).order_by("pk").values_list("member__person", flat=True)
        assert list(voters) == [p.pk for p, _ballot in order(ballots)]  # who voted keeps its order…
        scenarios.append(stored)
        EvaluationRound.objects.filter(pk=round.pk).delete()
        _compact(VoteCount._meta.db_table)
    assert scenarios[0] == scenarios[1]  # …and the counters keep none of it
    assert sum(sum(row[3:]) - len(GRADE_COLUMNS) * COUNTER_BASE for row in scenarios[0]) == 6 * 6


@pytest.mark.django_db(transaction=True)
def test_every_counter_carries_the_same_transaction_id(world: Any) -> None:
    """On PostgreSQL each row version records the transaction that wrote it (xmin); every vote
    rewrites all counters of its source, so xmin cannot pick out the cells one voter chose."""
    if connection.vendor != "postgresql":
        pytest.skip("xmin exists only on PostgreSQL; run with DATABASE_URL=postgres://…")
    raters = add_members(world, 6)
    round = new_round(world)
    for person, ballot in _ballots(round, raters):
        services.cast_vote(round=round, rater=person, grades=ballot, by=person.user)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(DISTINCT xmin::text) FROM {VoteCount._meta.db_table} "
            "WHERE round_id = %s AND source = 'members'",
            [round.pk],
        )
        assert cursor.fetchone()[0] == 1
        cursor.execute(
            f"SELECT xmin::text FROM {Participation._meta.db_table} WHERE round_id = %s",
            [round.pk],
        )
        participation_xmins = {row[0] for row in cursor.fetchall()}
    # six votes, six transactions; the counters carry one transaction id between them all
    assert len(participation_xmins) == 6


def _race(calls: list[Any]) -> list[BaseException | None]:
    """Run the calls at the same moment in their own threads (own database connections)."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[BaseException | None] = [None] * len(calls)

    def run(i: int) -> None:
        try:
            barrier.wait()
            calls[i]()
        except BaseException as exc:
            outcomes[i] = exc
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_two_submits_at_once_leave_one_participation_and_one_ballot(world: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises whole-database writes; the row-lock race needs PostgreSQL")
    raters = add_members(world, 6)
    round = new_round(world)
    rater = raters[0]
    ballot = everyone_gives(round, rater, 1)
    outcomes = _race(
        [lambda: services.cast_vote(round=round, rater=rater, grades=ballot, by=rater.user) for _ in range(4)]
    )
    assert sum(o is None for o in outcomes) == 1
    assert all(isinstance(o, services.AlreadyVoted) for o in outcomes if o is not None)
    assert Participation.objects.filter(round=round).count() == 1
    assert votes(round=round) == len(ballot)


@pytest.mark.django_db(transaction=True)
def test_one_public_code_used_twice_at_once_counts_once(world: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises whole-database writes; the row-lock race needs PostgreSQL")
    add_members(world, 6)
    round = new_round(world)
    (code,) = services.issue_public_codes(round=round, count=1, by=world.users["secretary"])
    ballot = dict.fromkeys(round.members.filter(graded=True).values_list("pk", flat=True), 0)
    outcomes = _race([lambda: services.cast_public_vote(round=round, code=code, grades=ballot) for _ in range(3)])
    assert sum(o is None for o in outcomes) == 1
    assert votes(round=round, source="public") == len(ballot)


@pytest.mark.django_db
def test_tallies_are_refused_while_open_and_for_small_groups(world: Any) -> None:
    raters = add_members(world, 6)
    round = new_round(world, min_raters=6)
    for person in raters:
        services.cast_vote(round=round, rater=person, grades=everyone_gives(round, person, 1), by=person.user)
    with pytest.raises(selectors.TallyUnavailable):
        selectors.tally(round)
    round = close(round, world.users["secretary"])
    tallies = selectors.tally(round)
    outsider = RoundMember.objects.get(round=round, person=world.people["member"])
    assert tallies[outsider.pk].sources["members"].raters == 6  # all six rated the world's member
    assert not tallies[outsider.pk].sources["members"].withheld
    for person in raters:  # each rater was rated by the five others: below the minimum of six
        mine = tallies[RoundMember.objects.get(round=round, person=person).pk].sources["members"]
        assert mine.raters == 5 and mine.withheld and mine.counts == [] and mine.dimensions == []


@pytest.mark.django_db
def test_codes_are_stored_only_as_salted_hashes(world: Any) -> None:
    add_members(world, 2)
    first, second = new_round(world), new_round(world)
    plain = services.issue_public_codes(round=first, count=20, by=world.users["secretary"])
    hashes = set(PublicCode.objects.filter(round=first).values_list("code_hash", flat=True))
    assert len(hashes) == 20 and not hashes & set(plain)
    assert first.code_salt != second.code_salt  # the same code in another round hashes differently
    from pingyi.evaluation import codes

    assert codes.code_hash(first.code_salt, plain[0]) != codes.code_hash(second.code_salt, plain[0])
    with connection.cursor() as cursor:  # the plain code is nowhere in the table, in any column
        cursor.execute(f"SELECT * FROM {PublicCode._meta.db_table}")
        dump = repr(cursor.fetchall())
    assert not any(code in dump for code in plain)
