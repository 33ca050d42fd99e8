"""Seeded synthetic positions in the import format (docs/FORMAT.md), at any size.

The same ``--seed`` always writes the same bytes, so a benchmark at 1M positions can be rerun
and compared. Shapes follow a real negotiation: questions grouped under articles, 2–4 options
per question with keys shared across questions (``a``..``d``, so kappa has few categories),
sessions with dates, stances in realistic proportions, a few words of summary.

    python -m bench.generate --positions 1000000 --actors 200 --questions 5000 --seed 1 --out /tmp/x.csv
"""

from __future__ import annotations

import argparse
import csv
import json
import string
from dataclasses import dataclass
from pathlib import Path

import numpy as np

COLUMNS = (
    "actor",
    "actor_kind",
    "provision",
    "question",
    "option",
    "stance",
    "date",
    "session",
    "summary",
    "source_url",
    "source_kind",
    "confidence",
)
REGIONS = ("African", "Asia-Pacific", "Eastern European", "GRULAC", "WEOG")
REGION_SHARE = (0.28, 0.28, 0.12, 0.17, 0.15)  # roughly the UN membership
STANCES = ("support", "oppose", "amend", "reserve", "neutral")
STANCE_SHARE = (0.45, 0.20, 0.15, 0.05, 0.15)
CONFIDENCES = ("high", "medium", "low")
CONFIDENCE_SHARE = (0.5, 0.4, 0.1)
SOURCE_KINDS = ("un-official", "ai-meeting-summary", "ngo-analysis")
OPTION_KEYS = "abcd"
SESSION_DAYS = 10  # each session is a 10-day window; windows never overlap
WORDS = (
    "supports",
    "opposes",
    "the",
    "draft",
    "text",
    "wants",
    "broader",
    "narrower",
    "scope",
    "safeguards",
    "human",
    "rights",
    "data",
    "access",
    "cooperation",
    "deletion",
    "of",
    "paragraph",
    "retention",
    "jurisdiction",
    "consensus",
    "proposal",
    "language",
    "agreed",
)
ROUNDS = 3  # a cell (actor, question) holds at most one position per round of sessions


@dataclass(frozen=True)
class Actor:
    name: str
    iso3: str
    un_region: str


def make_actors(n: int, rng: np.random.Generator) -> list[Actor]:
    """ISO-like three-letter codes (``AAB``…) with a name and a UN regional group each."""
    letters = string.ascii_uppercase
    codes = [a + b + c for a in letters for b in letters for c in letters]
    picked = sorted(rng.choice(len(codes), size=n, replace=False))
    regions = rng.choice(len(REGIONS), size=n, p=REGION_SHARE)
    return [
        Actor(f"Republic of {codes[i].title()}", codes[i], REGIONS[r]) for i, r in zip(picked, regions, strict=True)
    ]


def generate(
    out: str | Path,
    *,
    positions: int,
    actors: int,
    questions: int,
    seed: int = 1,
    articles: int | None = None,
    chunk: int = 100_000,
) -> list[Actor]:
    """Write ``positions`` rows to ``out`` (CSV, or JSONL by extension); return the actors."""
    rng = np.random.default_rng(seed)
    people = make_actors(actors, rng)
    articles = articles or max(1, min(60, questions // 20))
    article_of = np.sort(rng.integers(1, articles + 1, size=questions))
    n_options = rng.integers(2, 5, size=questions)
    cells = actors * questions
    if positions > cells * ROUNDS:
        raise ValueError(f"at most {cells * ROUNDS:,} positions for {actors} actors × {questions} questions")
    picked = np.sort(rng.choice(cells * ROUNDS, size=positions, replace=False))
    rnd, cell = np.divmod(picked, cells)
    order = np.argsort(rnd * SESSION_DAYS * 2 + rng.integers(0, SESSION_DAYS, size=positions), kind="stable")
    rnd, cell = rnd[order], cell[order]
    actor_ix, question_ix = np.divmod(cell, questions)
    session_ix = rnd * 2 + rng.integers(0, 2, size=positions)
    day = session_ix * (SESSION_DAYS + 20) + rng.integers(0, SESSION_DAYS, size=positions)
    stance = rng.choice(len(STANCES), size=positions, p=STANCE_SHARE)
    option = (rng.random(positions) * n_options[question_ix]).astype(np.int64)
    no_option = rng.random(positions) < 0.1
    confidence = rng.choice(len(CONFIDENCES), size=positions, p=CONFIDENCE_SHARE)
    document = rng.integers(1, 41, size=positions)
    words = rng.integers(0, len(WORDS), size=(positions, 4))
    path = Path(out)
    writer = _writer(path)
    with path.open("w", encoding="utf-8", newline="") as handle:
        emit = writer(handle)
        for start in range(0, positions, chunk):
            rows = range(start, min(start + chunk, positions))
            emit(
                [
                    _row(
                        i,
                        people,
                        article_of,
                        actor_ix,
                        question_ix,
                        option,
                        no_option,
                        stance,
                        session_ix,
                        day,
                        document,
                        confidence,
                        words,
                    )
                    for i in rows
                ]
            )
    return people


def _row(
    i,
    people,
    article_of,
    actor_ix,
    question_ix,
    option,
    no_option,
    stance,
    session_ix,
    day,
    document,
    confidence,
    words,
) -> tuple:
    q = int(question_ix[i])
    s = int(session_ix[i])
    kind = SOURCE_KINDS[int(document[i]) % len(SOURCE_KINDS)]
    date = _DATES[int(day[i])]
    return (
        people[actor_ix[i]].name,
        "state",
        str(article_of[q]),
        f"q{q + 1:05d}",
        "" if no_option[i] else OPTION_KEYS[option[i]],
        STANCES[stance[i]],
        date,
        f"s{s + 1:02d}",
        " ".join(WORDS[w] for w in words[i]).capitalize() + ".",
        f"https://example.org/docs/s{s + 1:02d}/{int(document[i]):03d}",
        kind,
        CONFIDENCES[confidence[i]],
    )


def _date_table(days: int) -> list[str]:
    import datetime as dt

    start = dt.date(2022, 2, 28)
    return [(start + dt.timedelta(days=d)).isoformat() for d in range(days)]


_DATES = _date_table(ROUNDS * 2 * (SESSION_DAYS + 20) + SESSION_DAYS)


def _writer(path: Path):
    """CSV with a header, or JSON Lines, chosen by the file's extension."""
    if path.suffix.lower() in (".jsonl", ".ndjson"):

        def jsonl(handle):
            def emit(rows):
                handle.writelines(json.dumps({c: v for c, v in zip(COLUMNS, r, strict=True) if v}) + "\n" for r in rows)

            return emit

        return jsonl

    def csv_writer(handle):
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(COLUMNS)
        return out.writerows

    return csv_writer


def write_actor_registry(actors: list[Actor], path: str | Path) -> None:
    """The actors' ISO codes and regions, which the positions format cannot carry."""
    Path(path).write_text(json.dumps([a.__dict__ for a in actors], indent=0), encoding="utf-8")


def apply_actor_registry(db, dataset: str, actors: list[Actor]) -> None:
    """Give imported actors their iso3 and UN region (bench only: the format has no such column)."""
    dataset_id = db.execute("SELECT id FROM datasets WHERE name = ?", [dataset]).fetchone()[0]
    with db.atomic():
        db.conn.executemany(
            "UPDATE actors SET iso3 = ?, un_region = ? WHERE dataset_id = ? AND name = ?",
            [(a.iso3, a.un_region, dataset_id, a.name) for a in actors],
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__.splitlines()[0])
    parser.add_argument("--positions", type=int, default=10_000)
    parser.add_argument("--actors", type=int, default=200)
    parser.add_argument("--questions", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True, help="FILE.csv or FILE.jsonl")
    parser.add_argument("--actors-out", type=Path, help="also write the actors' iso3 and regions as JSON")
    args = parser.parse_args(argv)
    actors = generate(args.out, positions=args.positions, actors=args.actors, questions=args.questions, seed=args.seed)
    if args.actors_out:
        write_actor_registry(actors, args.actors_out)
    print(f"wrote {args.out}: {args.positions:,} positions, {args.actors} actors, {args.questions} questions")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
