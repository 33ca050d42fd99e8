"""The baselines of issues 5 and 13, each measured in the same run as what it is compared with.

* :func:`flat_import` — the yardstick for an import: ``csv.reader`` straight into
  ``sqlite3.executemany`` on one flat table of text columns (no ids, no index, no check), in
  one transaction. Nothing can import the same rows much faster from Python.
* :func:`pandas_network` — what an analyst writes with pandas: read the positions, keep the
  latest choice per actor and question, pivot to an actor × question table, loop over actor
  pairs comparing their rows with numpy, then the same seeded Louvain and spring layout as ours.
  It must give our numbers (checked in tests/test_bench_smoke.py).
* ``HELLO_QT`` — a bare PySide6 ``QMainWindow`` process, for start-up time and memory.
"""

from __future__ import annotations

import csv
import sqlite3

import networkx as nx
import numpy as np

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


def flat_import(csv_path: str, db_path: str) -> int:
    """Insert every row of ``csv_path`` as text into one new table of ``db_path``; return the count."""
    conn = sqlite3.connect(db_path)
    with open(csv_path, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        conn.execute(f"CREATE TABLE flat ({', '.join(f'c{i} TEXT' for i in range(len(header)))})")
        conn.execute("BEGIN")
        conn.executemany(f"INSERT INTO flat VALUES ({', '.join('?' * len(header))})", reader)
        conn.execute("COMMIT")
    count = conn.execute("SELECT count(*) FROM flat").fetchone()[0]
    conn.close()
    return count


def pandas_agreement(db_path: str, dataset: str):
    """Agreement rates by a pairwise loop over a pivot; returns (actor ids, rate matrix, shared matrix)."""
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
    codes, labels = pd.factorize(df["choice"])
    df["code"] = codes
    wide = df.pivot(index="actor_id", columns="question_id", values="code").fillna(-1).astype(np.int64)
    abstain = list(labels).index("abstain") if "abstain" in list(labels) else -2
    actors = [int(a) for a in wide.index]
    table = wide.to_numpy()
    n = len(actors)
    rate, shared = np.full((n, n), np.nan), np.zeros((n, n), dtype=np.int64)
    for i in range(n):
        x = table[i]
        for j in range(i + 1, n):
            y = table[j]
            both = (x >= 0) & (y >= 0)
            s = int(both.sum())
            if s == 0:
                continue
            equal = int(((x == y) & both).sum())
            one_abstain = int((((x == abstain) ^ (y == abstain)) & both).sum())
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
