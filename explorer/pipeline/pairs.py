"""Every pair of actors of a filter with its numbers: the table behind ``export-pairs``
(docs/METHODS.md §9), agreement 0 and negative kappa included."""

from __future__ import annotations

import math
from pathlib import Path

from explorer.analysis.agreement import agreement_matrices
from explorer.analysis.pairs import PairTable, pair_table
from explorer.csv_cells import FormulaSafeWriter
from explorer.errors import ExportError
from explorer.files import atomic_output
from explorer.pipeline.common import choices_for
from explorer.store import queries
from explorer.store.database import Database
from explorer.store.filters import PositionFilter
from explorer.vocabulary import DEFAULT_METRIC

PAIRS_HEADER = ("source", "target", "shared", "agreement", "kappa", "congruence", "conflict")


def pairs_for(
    db: Database, flt: PositionFilter, *, min_shared: int = 1, metric: str = DEFAULT_METRIC
) -> tuple[PairTable, dict[int, str]]:
    """Every pair sharing at least ``min_shared`` questions, highest ``metric`` first (kappa is
    always computed: it is a column), and the actors' display names."""
    matrices = agreement_matrices(choices_for(db, flt), kappa=True)
    names = {a: str(attrs["name"]) for a, attrs in queries.actor_attributes(db, matrices.actor_ids.tolist()).items()}
    return pair_table(matrices, min_shared=min_shared, metric=metric), names


def write_pairs_csv(table: PairTable, names: dict[int, str], out: str | Path) -> Path:
    """``source,target,shared,agreement,kappa,congruence,conflict`` (kappa blank where undefined),
    actors by display name."""
    out = Path(out)
    if out.suffix.lower() != ".csv":
        raise ExportError(f"cannot write {out}: the pairs table is written as a .csv file")
    label = [names.get(int(a), str(a)) for a in table.actor_ids.tolist()]
    with atomic_output(out) as temp, temp.open("w", encoding="utf-8", newline="") as handle:
        writer = FormulaSafeWriter(handle)  # RFC 4180 rows; no cell can run as a formula
        writer.writerow(PAIRS_HEADER)
        columns = (table.first, table.second, table.shared, table.agreement, table.kappa, table.congruence)
        for i, j, shared, agreement, kappa, congruence, conflict in zip(
            *(c.tolist() for c in columns), table.conflict.tolist(), strict=True
        ):
            kappa_text = "" if math.isnan(kappa) else f"{kappa:.6g}"
            writer.writerow((label[i], label[j], shared, f"{agreement:.6g}", kappa_text, congruence, conflict))
    return out
