"""Writing output files safely: to a temporary name in the target folder, then renamed.

A failed or interrupted export never leaves a half-written file and never damages the file
that was there before.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Iterator


class ExportError(Exception):
    """An output file could not be written; the message names the path and the reason."""


@contextlib.contextmanager
def atomic_output(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success it replaces ``path`` in one step."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise ExportError(f"cannot write {path}: the folder {folder} does not exist")
    try:
        handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror}") from exc
    os.close(handle)
    temp = Path(temp_name)
    try:
        yield temp
        os.chmod(temp, _new_file_mode(path))  # mkstemp makes 0600 files; keep what the user had
        os.replace(temp, path)
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from exc
    finally:
        if temp.exists():
            temp.unlink()


def _new_file_mode(target: Path) -> int:
    """An existing file's permissions; else what ``open()`` would give (0666 less the umask)."""
    try:
        return target.stat().st_mode & 0o777
    except OSError:
        return 0o666 & ~_umask()


def _umask() -> int:
    # os.umask() can only be read by changing it, for every thread; /proc tells it on Linux
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    return 0o022
