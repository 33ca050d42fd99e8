"""Write figures to PNG/SVG/PDF atomically, and build the caption every chart carries."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import matplotlib
from matplotlib.figure import Figure

from explorer.errors import ExportError
from explorer.files import atomic_output

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType  # matplotlib >= 3.10; only for the type checker

__all__ = ["EXPORT_FORMATS", "caption_text", "save_figure"]

EXPORT_FORMATS = ("png", "svg", "pdf")

# Editable text in SVG, TrueType (not Type 3) fonts in PDF; salted (not random) SVG ids.
_RC: dict[str, dict[RcKeyType, Any]] = {
    "svg": {"svg.fonttype": "none", "svg.hashsalt": "negotiation-explorer"},
    "pdf": {"pdf.fonttype": 42},
    "png": {},
}
# No creation dates, so re-exporting an unchanged chart does not show up as a change.
_METADATA: dict[str, dict[str, Any]] = {"svg": {"Date": None}, "pdf": {"CreationDate": None}, "png": {}}
# zlib level 3 encodes about twice as fast as Pillow's default 6, for files within ~15%.
_EXTRA: dict[str, dict[str, Any]] = {"png": {"pil_kwargs": {"compress_level": 3}}, "svg": {}, "pdf": {}}


def save_figure(figure: Figure, path: str | os.PathLike[str], *, dpi: float = 150) -> Path:
    """Save `figure` to `path` (format from the extension) and return the path.

    The figure is written to a temporary file in the target folder and moved over the target with
    `os.replace`, so an existing file is either fully replaced or left untouched. `dpi` is always
    explicit: `figure.dpi` doubles on HiDPI screens and must not decide the export size.
    """
    target = Path(path)
    fmt = target.suffix.lower().lstrip(".")
    if fmt not in EXPORT_FORMATS:
        raise ExportError(
            f"cannot write {target}: unknown format {target.suffix or '(no extension)'!r}; "
            f"use one of {', '.join('.' + f for f in EXPORT_FORMATS)}"
        )
    if not dpi or dpi <= 0:
        raise ExportError(f"cannot write {target}: dpi must be positive, not {dpi!r}")
    with atomic_output(target) as temp, temp.open("wb") as handle, matplotlib.rc_context(_RC[fmt]):
        figure.savefig(handle, format=fmt, dpi=dpi, bbox_inches="tight", metadata=_METADATA[fmt], **_EXTRA[fmt])
    return target


def caption_text(
    *, dataset: str, version: str, filters: str, metric: str | None = None, seed: int | None = None, extra: str = ""
) -> str:
    """The provenance line under every chart and export, so a saved image says what it shows."""
    version = version.strip().removeprefix("v")
    data = f"Data: {dataset} v{version}" if version else f"Data: {dataset}"
    parts = [data, f"Filters: {filters.strip() or 'none'}"]
    if metric:
        parts.append(f"Metric: {metric}")
    if seed is not None:
        parts.append(f"Seed: {seed}")
    if extra.strip():
        parts.append(extra.strip())
    return " · ".join(parts)
