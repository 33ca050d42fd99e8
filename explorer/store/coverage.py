"""The rows behind the Coverage view (issue #11): positions grouped in SQL by actor, provision
(the question's), session and source kind, so the analysis (:mod:`explorer.analysis.coverage`)
never sees one row per position. Also the dataset's states, for the list of states with and
without article-level positions."""

from __future__ import annotations

from explorer.store.database import Database
from explorer.store.filters import CompiledFilter

# actor key, actor kind, UN region, provision key, provision kind, session key, source kind, via a group, count
CoverageRow = tuple[str, str, str | None, str, str, str, str | None, bool, int]


def coverage_rows(db: Database, compiled: CompiledFilter) -> list[CoverageRow]:
    """One row per (actor, provision, session, source kind, spoken for a group or not) in the
    filter: ``(actor key, actor kind, UN region, provision key, provision kind, session key,
    source kind, via a group, position count)`` (the fields of analysis.coverage.Fact).
    Positions without a session are under the key ''."""
    rows = db.execute(
        f"""
        SELECT a.key, a.kind, a.un_region, pr.key, pr.kind, COALESCE(se.key, ''), so.kind,
               p.on_behalf_of_id IS NOT NULL, count(*)
        FROM positions p
        JOIN actors a ON a.id = p.actor_id
        JOIN questions q ON q.id = p.question_id
        LEFT JOIN provisions pr ON pr.id = q.provision_id
        LEFT JOIN sessions se ON se.id = p.session_id
        JOIN sources so ON so.id = p.source_id
        WHERE {compiled.where}
        GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
        ORDER BY 1, 4, 6, 7, 8""",
        compiled.params,
    ).fetchall()
    return [
        (actor, kind, region, provision or "", provision_kind or "topic", session, source, bool(via), n)
        for actor, kind, region, provision, provision_kind, session, source, via, n in rows
    ]


def dataset_states(db: Database, dataset_id: int) -> dict[str, tuple[str, str | None]]:
    """Actor key -> (kind, UN region) for every state of the dataset."""
    rows = db.execute(
        "SELECT key, kind, un_region FROM actors WHERE dataset_id = ? AND kind = 'state'", [dataset_id]
    ).fetchall()
    return {key: (kind, region) for key, kind, region in rows}


def state_names(db: Database, dataset_id: int) -> dict[str, str]:
    """Actor key -> display name for every state of the dataset."""
    rows = db.execute("SELECT key, name FROM actors WHERE dataset_id = ? AND kind = 'state'", [dataset_id])
    return dict(rows)
