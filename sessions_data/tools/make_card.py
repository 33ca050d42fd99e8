"""Render the data card (sessions_data/README.md) from the generated files. Stub."""
from pathlib import Path
def render_card(data_dir: Path) -> str:
    return "stub\n"
