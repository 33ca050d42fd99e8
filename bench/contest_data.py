"""Seeded positions with camps, for the contest views (matrix, pairs, evolution) and their benchmarks.

``bench.generate`` draws stances at random, so no camp ever forms; here actors belong to blocs
and each bloc has a preferred option on every question, followed with probability ``loyalty``
(else a random option or an abstention). Two shapes:

* ``options``: questions with 2–4 named options (``a``..``d``) under articles, actors taking
  part with probability ``participation`` in one of ``sessions`` sessions;
* ``rollcall``: every actor votes on every question (option ``adopt``: yes = support,
  no = oppose, abstain = neutral), one session per 1,000 votes.

    python -m bench.contest_data --shape rollcall --actors 200 --questions 6000 --out /tmp/rc.csv
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
from pathlib import Path

import numpy as np

from bench.generate import COLUMNS, REGIONS, Actor, make_actors

BLOCS = 4
START = dt.date(2022, 2, 28)


def generate_contest(
    out: str | Path,
    *,
    shape: str = "options",
    actors: int = 200,
    questions: int = 100,
    sessions: int = 6,
    participation: float = 0.6,
    loyalty: float = 0.85,
    seed: int = 1,
) -> tuple[int, list[Actor]]:
    """Write the CSV; return the number of positions written and the actors (for
    ``bench.generate.apply_actor_registry``: the format has no region column)."""
    rng = np.random.default_rng(seed)
    people = make_actors(actors, rng)
    region_index = {r: i for i, r in enumerate(REGIONS)}
    # blocs follow regions loosely, so "order by region" and "by community" differ a little
    bloc = np.array([region_index[p.un_region] % BLOCS for p in people])
    flip = rng.random(actors) < 0.15
    bloc[flip] = rng.integers(0, BLOCS, size=int(flip.sum()))
    rollcall = shape == "rollcall"
    n_options = np.ones(questions, dtype=np.int64) if rollcall else rng.integers(2, 5, size=questions)
    preferred = rng.integers(0, 1 << 30, size=(BLOCS, questions)) % (2 if rollcall else n_options)
    per_session = max(1, questions // sessions) if not rollcall else 1000
    written = 0
    path = Path(out)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        for q in range(questions):
            session = min(q // per_session, (sessions if not rollcall else questions // 1000 + 1) - 1)
            day = START + dt.timedelta(days=30 * session + int(q % 10))
            article = 1 + q * 60 // questions
            takes_part = np.ones(actors, bool) if rollcall else rng.random(actors) < participation
            loyal = rng.random(actors) < loyalty
            abstain = rng.random(actors) < (0.08 if rollcall else 0.05)
            random_pick = rng.integers(0, 1 << 30, size=actors) % (2 if rollcall else n_options[q])
            for a in np.flatnonzero(takes_part).tolist():
                pick = int(preferred[bloc[a], q] if loyal[a] else random_pick[a])
                if rollcall:
                    option, stance = "adopt", ("neutral" if abstain[a] else "support" if pick == 0 else "oppose")
                else:
                    option, stance = "abcd"[pick], ("neutral" if abstain[a] else "support")
                writer.writerow(
                    (
                        people[a].name,
                        "state",
                        str(article),
                        f"{'rc' if rollcall else 'q'}{q + 1:05d}",
                        option,
                        stance,
                        day.isoformat(),
                        f"s{session + 1:02d}",
                        "Generated position.",
                        f"https://example.org/{'votes' if rollcall else 'docs'}/s{session + 1:02d}",
                        "un-official",
                        "high",
                    )
                )
                written += 1
    return written, people


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.contest_data", description=__doc__.splitlines()[0])
    parser.add_argument("--shape", choices=("options", "rollcall"), default="options")
    parser.add_argument("--actors", type=int, default=200)
    parser.add_argument("--questions", type=int, default=100)
    parser.add_argument("--sessions", type=int, default=6)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    n, _ = generate_contest(
        args.out, shape=args.shape, actors=args.actors, questions=args.questions, sessions=args.sessions, seed=args.seed
    )
    print(f"wrote {args.out}: {n:,} positions")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
