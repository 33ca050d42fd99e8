"""What every view's pipeline shares: the filtered choices, agreement, and chart titles."""

from __future__ import annotations

from explorer.analysis.agreement import AgreementMatrices, agreement_matrices
from explorer.analysis.choices import Choices, reduce_choices
from explorer.store import queries
from explorer.store.columns import position_arrays
from explorer.store.database import Database
from explorer.store.filters import CompiledFilter, PositionFilter, resolve_dataset

NO_POSITIONS = "No positions match the current filters"  # every view's empty state


def choices_for(db: Database, flt: PositionFilter | CompiledFilter) -> Choices:
    """One choice per actor and question within the filter (docs/METHODS.md §1)."""
    arrays = position_arrays(db, flt)
    return reduce_choices(
        arrays.actor_id, arrays.question_id, arrays.option_id, arrays.stance, queries.option_keys(db, arrays.option_id)
    )


def agreement_for(
    db: Database, flt: PositionFilter | CompiledFilter, *, kappa: bool = False
) -> tuple[Choices, AgreementMatrices]:
    choices = choices_for(db, flt)
    return choices, agreement_matrices(choices, kappa=kappa)


def dataset_label(db: Database, flt: PositionFilter) -> tuple[str, str]:
    """The filtered dataset's name and version, as captions cite them."""
    return queries.dataset_name_version(db, resolve_dataset(db, flt.dataset))


def chart_title(db: Database, flt: PositionFilter, what: str) -> str:
    """``what`` plus the provision(s) or question(s) it is about, e.g. "… — Article 6" (questions
    by their short labels)."""
    dataset_id = resolve_dataset(db, flt.dataset)
    about = queries.provision_headings(db, dataset_id, flt.provisions)
    about.extend(queries.question_labels(db, dataset_id, flt.questions))
    return f"{what} — {'; '.join(about)}" if about else what
