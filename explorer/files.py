"""Writing output files safely: to a temporary name in the target folder, then renamed.

A failed or interrupted export never leaves a half-written file and never damages the file
that was there before.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator
from pathlib import Path

from explorer.errors import ExportError


@contextlib.contextmanager
def atomic_output(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success it replaces ``path`` in one step.

    A new file gets the permissions ``open()`` would give it (0666 less the umask, applied by
    the system when the temporary file is created); a replaced file keeps its own.
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise ExportError(f"cannot write {path}: the folder {folder} does not exist")
    temp = _create_beside(path, folder)
    try:
        yield temp
        with contextlib.suppress(FileNotFoundError):
            os.chmod(temp, path.stat().st_mode & 0o777)
        os.replace(temp, path)
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from exc
    finally:
        if temp.exists():
            temp.unlink()


def _create_beside(path: Path, folder: Path) -> Path:
    """A new, empty ``.<name>.<random>.part`` file in ``folder`` (never an existing one)."""
    for _ in range(100):
        temp = folder / f".{path.name}.{secrets.token_hex(4)}.part"
        try:
            os.close(os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        except FileExistsError:
            continue
        except OSError as exc:
            raise ExportError(f"cannot write {path}: {exc.strerror}") from exc
        return temp
    raise ExportError(f"cannot write {path}: no free temporary name in {folder}")
