"""The baselines of issue 5, each measured in the same run as what it is compared with.

* :func:`raw_import` — what a short script does: read the CSV with ``csv.reader``, give each
  new name an id, ``sqlite3.executemany`` the rows into the same tables (same schema, so the
  same indexes and full-text trigger) in one transaction.
* :func:`pandas_network` — a straightforward pandas + networkx agreement network: latest
  choice per actor and question, a pivot, a Python loop over actor pairs, then the same seeded
  Louvain and spring layout. It must give our numbers (checked in tests/test_bench_smoke.py).
* ``HELLO_QT`` — a bare PySide6 ``QMainWindow`` process, for start-up time and memory.
"""

from __future__ import annotations

import csv
import datetime as dt
import sqlite3

import networkx as nx
import numpy as np

from explorer.store import schema

HELLO_QT = """
import resource, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.setCentralWidget(QLabel("Hello"))
window.resize(1500, 950)
window.show()
QTimer.singleShot(0, app.quit)
app.exec()
print("RSS_MB", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""

_STANCE = {"yes": "support", "no": "oppose", "abstain": "neutral"}
_COLUMNS = (
    "dataset_id, actor_id, question_id, option_id, stance, session_id, date, sort_date, summary, "
    "source_id, confidence, import_id"
)


def raw_import(csv_path: str, db_path: str, batch: int = 5_000) -> int:
    """Insert every row of ``csv_path`` into a new database at ``db_path``; return the count."""
    conn = sqlite3.connect(db_path)
    schema.migrate(conn)
    conn.execute("BEGIN")
    dataset = conn.execute("INSERT INTO datasets (name, origin) VALUES ('raw', 'user')").lastrowid
    now = dt.datetime.now(dt.UTC).isoformat()
    import_id = conn.execute(
        "INSERT INTO imports (dataset_id, file, imported_at, rows) VALUES (?, ?, ?, 0)", [dataset, csv_path, now]
    ).lastrowid
    ids: dict[tuple, int] = {}

    def id_of(table: str, sql: str, key: tuple, values: list) -> int:
        found = ids.get((table, key))
        if found is None:
            found = ids[(table, key)] = conn.execute(sql, values).lastrowid
        return found

    count, rows = 0, []
    with open(csv_path, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        col = {name: i for i, name in enumerate(next(reader))}
        for r in reader:
            actor = id_of(
                "actor",
                "INSERT INTO actors (dataset_id, key, name) VALUES (?, ?, ?)",
                (r[col["actor"]],),
                [dataset, r[col["actor"]], r[col["actor"]]],
            )
            provision = id_of(
                "provision",
                "INSERT INTO provisions (dataset_id, key) VALUES (?, ?)",
                (r[col["provision"]],),
                [dataset, r[col["provision"]]],
            )
            question = id_of(
                "question",
                "INSERT INTO questions (dataset_id, key, text, provision_id) VALUES (?, ?, ?, ?)",
                (r[col["question"]],),
                [dataset, r[col["question"]], r[col["question"]], provision],
            )
            option = (
                id_of(
                    "option",
                    "INSERT INTO options (question_id, key, label) VALUES (?, ?, ?)",
                    (question, r[col["option"]]),
                    [question, r[col["option"]], r[col["option"]]],
                )
                if r[col["option"]]
                else None
            )
            session = id_of(
                "session",
                "INSERT INTO sessions (dataset_id, key, name) VALUES (?, ?, ?)",
                (r[col["session"]],),
                [dataset, r[col["session"]], r[col["session"]]],
            )
            source = id_of(
                "source",
                "INSERT INTO sources (dataset_id, url, kind) VALUES (?, ?, ?)",
                (r[col["source_url"]],),
                [dataset, r[col["source_url"]], r[col["source_kind"]]],
            )
            stance = r[col["stance"]]
            rows.append(
                (
                    dataset,
                    actor,
                    question,
                    option,
                    _STANCE.get(stance, stance),
                    session,
                    r[col["date"]],
                    r[col["date"]],
                    r[col["summary"]],
                    source,
                    r[col["confidence"]],
                    import_id,
                )
            )
            if len(rows) >= batch:
                count += _flush(conn, rows)
        count += _flush(conn, rows)
    conn.execute("COMMIT")
    conn.close()
    return count


def _flush(conn: sqlite3.Connection, rows: list) -> int:
    conn.executemany(f"INSERT INTO positions ({_COLUMNS}) VALUES ({', '.join('?' * 12)})", rows)
    n = len(rows)
    rows.clear()
    return n


def pandas_agreement(db_path: str, dataset: str):
    """Agreement rates by a pairwise loop; returns (actor ids, rate matrix, shared matrix)."""
    import pandas as pd

    conn = sqlite3.connect(db_path)
    df = pd.read_sql_query(
        "SELECT p.id, p.actor_id, p.question_id, COALESCE(p.option_id, 0) AS option_id, p.stance, p.sort_date "
        "FROM positions p JOIN datasets d ON d.id = p.dataset_id WHERE d.name = ?",
        conn,
        params=[dataset],
    )
    conn.close()
    df = df.sort_values(["sort_date", "id"]).drop_duplicates(["actor_id", "question_id"], keep="last")
    side = np.where(df["stance"].isin(["oppose", "reserve"]), ":against", ":for")
    df["choice"] = np.where(df["stance"] == "neutral", "abstain", df["option_id"].astype(str) + side)
    wide = df.pivot(index="actor_id", columns="question_id", values="choice")
    actors = [int(a) for a in wide.index]
    n = len(actors)
    rate, shared = np.full((n, n), np.nan), np.zeros((n, n), dtype=np.int64)
    for i in range(n):
        x = wide.iloc[i]
        for j in range(i + 1, n):
            y = wide.iloc[j]
            both = x.notna() & y.notna()
            s = int(both.sum())
            if s == 0:
                continue
            xs, ys = x[both], y[both]
            equal = int((xs == ys).sum())
            one_abstain = int(((xs == "abstain") ^ (ys == "abstain")).sum())
            shared[i, j] = shared[j, i] = s
            rate[i, j] = rate[j, i] = (equal + 0.5 * one_abstain) / s
    return np.array(actors), rate, shared


def pandas_network(db_path: str, dataset: str, seed: int = 42):
    """The whole baseline: agreement by the pairwise loop, then graph, Louvain and layout."""
    actors, rate, shared = pandas_agreement(db_path, dataset)
    graph = nx.Graph()
    graph.add_nodes_from(str(a) for a in actors)
    for i in range(len(actors)):
        for j in range(i + 1, len(actors)):
            if shared[i, j] >= 1 and rate[i, j] > 0:
                graph.add_edge(str(actors[i]), str(actors[j]), weight=float(rate[i, j]))
    communities = nx.community.louvain_communities(graph, weight="weight", seed=seed)
    pos = nx.spring_layout(
        graph, weight="weight", seed=seed, iterations=50, k=1.5 / np.sqrt(max(graph.number_of_nodes(), 1))
    )
    return graph, communities, pos
