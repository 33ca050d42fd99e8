"""Sessions whose documents have no UN symbol list their titles (issue #11: AHC-5 showed ', , , ,')."""

from __future__ import annotations

import json
import shutil

from explorer.ingest.bundled import ensure_bundled
from explorer.store import queries


def test_documents_without_a_symbol_are_listed_by_title(fresh_db, mini_bundle, tmp_path):
    bundle = tmp_path / "bundle"
    shutil.copytree(mini_bundle, bundle)
    sessions = json.loads((bundle / "sessions.json").read_text(encoding="utf-8"))
    sessions[1]["documents"] = [
        {"symbol": None, "title": "Consolidated negotiating document, on the preamble"},
        {"symbol": "", "title": "Chair's report"},
        {"symbol": None, "title": None},
    ]
    (bundle / "sessions.json").write_text(json.dumps(sessions), encoding="utf-8")
    ensure_bundled(fresh_db, bundle)
    labels = {s["key"]: s["document_labels"] for s in queries.list_sessions(fresh_db, 1)}
    assert labels == {
        "s1": ["A/AC.291/1"],
        "s2": ["Consolidated negotiating document, on the preamble", "Chair's report"],
    }
