"""Shared fixtures: fresh in-memory databases, a small hand-coded dataset, an isolated home."""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

from explorer.ingest.importer import import_file
from explorer.store.database import open_database

DATA = Path(__file__).parent / "data"


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory, monkeypatch):
    """Never touch the real user data folder."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("NEGOTIATION_EXPLORER_HOME", str(home))
    return home


@pytest.fixture
def fresh_db():
    db = open_database(":memory:")
    yield db
    db.close()


@pytest.fixture
def small_db(fresh_db):
    """The hand-coded fixture of tests/data/small.csv in dataset 'small' (numbers in test_analysis)."""
    import_file(fresh_db, DATA / "small.csv", "small")
    return fresh_db


@pytest.fixture
def mini_bundle() -> Path:
    return DATA / "mini_bundle"
