"""What every view's pipeline shares: the filtered choices, agreement, chart titles and captions."""

from __future__ import annotations

from explorer.analysis.agreement import AgreementMatrices, agreement_matrices
from explorer.analysis.choices import Choices, reduce_choices
from explorer.store import queries
from explorer.store.columns import position_arrays
from explorer.store.database import Database
from explorer.store.filters import CompiledFilter, PositionFilter, resolve_dataset
from explorer.vocabulary import METRIC_LABELS

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


def filter_caption(
    db: Database, flt: PositionFilter, *, metric: str | None = None, seed: int | None = None, extra: str = ""
) -> str:
    """The provenance line under a chart of ``flt`` (``charts.export.caption_text``): the dataset
    and its version, the filters, the metric by its label, the seed and what else it must say."""
    from explorer.charts.export import caption_text  # matplotlib: off the start-up path

    name, version = dataset_label(db, flt)
    label = METRIC_LABELS.get(metric, metric) if metric else None
    return caption_text(dataset=name, version=version, filters=flt.describe(), metric=label, seed=seed, extra=extra)


def chart_title(db: Database, flt: PositionFilter, what: str) -> str:
    """``what`` plus the provision(s) or question(s) it is about, e.g. "… — Article 6" (questions
    by their short labels)."""
    dataset_id = resolve_dataset(db, flt.dataset)
    about = queries.provision_headings(db, dataset_id, flt.provisions)
    about.extend(queries.question_labels(db, dataset_id, flt.questions))
    return f"{what} — {'; '.join(about)}" if about else what
