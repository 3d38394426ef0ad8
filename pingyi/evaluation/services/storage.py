"""What the database files keep of a ballot once it is committed (docs/adr/0004-anonymous-ballots.md,
"What each database keeps"). Part of the ballot code: ballots.py and rounds.py call these on commit."""

from __future__ import annotations

import logging

from django.db import DatabaseError, connection

from ..models import VoteCount

logger = logging.getLogger(__name__)


def scrub_history() -> None:
    """After a ballot commits on SQLite: move it from the write-ahead log into the database file and
    empty the log (ADR 0004, "What each database keeps").

    In WAL mode every commit appends the pages it changed to `db.sqlite3-wal`, and the log is only
    rewound, not emptied, by the automatic checkpoints: while any connection stays open (a persistent
    web worker), the log would keep a copy of the counter pages after each vote, one commit after the
    other, beside the participation row of the same commit. A TRUNCATE checkpoint writes the pages home
    and cuts the log to zero bytes; it waits (the connection's busy timeout) for readers to finish.
    Counters are fixed-width (models.COUNTER_BASE), so writing home overwrites each record in place, and
    `secure_delete` (settings) zeroes whatever else a transaction frees.
    """
    if connection.vendor != "sqlite" or connection.is_in_memory_db():  # type: ignore[attr-defined]
        return  # an in-memory database (the tests') has no log on disk
    if connection.in_atomic_block:  # run inside a transaction (a test capturing on-commit callbacks)
        return  # a checkpoint cannot complete there; the next ballot's will
    try:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            busy = cursor.fetchone()[0]
    except DatabaseError as exc:  # the ballot is committed: never fail it for the clean-up
        logger.warning("SQLite write-ahead log still holds a ballot: checkpoint failed (%s)", exc)
        return
    if busy:  # a reader outlasted the timeout: the log is emptied by the next ballot's checkpoint
        logger.warning("SQLite write-ahead log still holds a ballot: checkpoint blocked by a reader")


# Whether any vote of the round was made by a transaction no older than the oldest snapshot on the whole
# server: the dead counter versions such a vote replaced may still be visible to that snapshot, and neither
# VACUUM nor VACUUM FULL may remove them until it ends. Votes are participations, used public codes and
# counted paper batches, each written in the vote's own transaction (its xmin).
_HELD_BACK = """
SELECT EXISTS (
    SELECT 1 FROM (
        SELECT xmin FROM evaluation_participation WHERE round_id = %s
        UNION ALL SELECT xmin FROM evaluation_publiccode WHERE round_id = %s AND used
        UNION ALL SELECT xmin FROM evaluation_paperbatch WHERE round_id = %s AND status = 'counted'
    ) AS votes
    WHERE age(votes.xmin) <= age((pg_snapshot_xmin(pg_current_snapshot())::text::bigint %% 4294967296)::text::xid)
)
"""


def compact_counters(round_id: int) -> bool:
    """After a round closes on PostgreSQL: rewrite the counter table, so the dead row versions each vote
    left behind (one per counter per vote, readable with superuser tools such as pageinspect until
    vacuumed, and not always overwritten by a plain VACUUM) no longer exist in its pages (ADR 0004).

    PostgreSQL keeps row versions that an open snapshot might still read, whatever the database that
    snapshot belongs to: a transaction left open anywhere on the server since before the last vote keeps
    them. Then this says so in the log (and returns False); docs/deploy.md says to run it again later."""
    if connection.vendor != "postgresql":
        return True
    if connection.in_atomic_block:  # VACUUM cannot run in a transaction, and its error would abort that one
        logger.warning("VACUUM FULL of the vote counters cannot run inside a transaction; run it by hand")
        return False
    table = connection.ops.quote_name(VoteCount._meta.db_table)
    try:
        with connection.cursor() as cursor:
            cursor.execute(_HELD_BACK, [round_id] * 3)  # before VACUUM: its own horizon can only be newer
            held_back = cursor.fetchone()[0]
            cursor.execute("SET lock_timeout = '10s'")
            cursor.execute(f"VACUUM FULL {table}")
            cursor.execute("RESET lock_timeout")
    except DatabaseError as exc:  # busy (lock_timeout): docs/deploy.md says to run it by hand
        logger.warning("VACUUM FULL of the vote counters did not run (%s); run it by hand (docs/deploy.md)", exc)
        return False
    if held_back:
        logger.warning(
            "VACUUM FULL kept earlier versions of round %s's vote counters: a transaction open on the server "
            "since before its last vote may still read them. Run VACUUM FULL %s once it has ended (docs/deploy.md).",
            round_id,
            table,
        )
    return not held_back
