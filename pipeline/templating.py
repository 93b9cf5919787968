"""Compiled Jinja templates kept between runs, as Python keeps compiled modules.

Jinja turns each template into Python source and compiles it: for the paper's templates and
the key messages that is a sizeable part of the time before the PDF can start, and the same
every run. The compiled code is kept in the user's cache folder (`$XDG_CACHE_HOME`, else
`~/.cache`, under `rhi-report/`), one folder per kind of environment and Jinja version, and
reused while the template's text is unchanged (Jinja checks a checksum of the source). It
changes no output: the code is the code Jinja would compile. A cache folder that cannot be
made, read or written is simply not used.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path
from typing import Any


def cache_folder(kind: str) -> Path | None:
    """Where compiled templates of environments of `kind` are kept, or None if nowhere."""
    import jinja2

    base = os.environ.get("XDG_CACHE_HOME") or (
        str(Path.home() / ".cache") if os.environ.get("HOME") else ""
    )
    if not base:
        return None
    folder = Path(base) / "rhi-report" / f"jinja-{jinja2.__version__}-{kind}"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return None
    return folder


def bytecode_cache(kind: str) -> Any:
    """A Jinja bytecode cache in `cache_folder(kind)` that never fails a run (None if there
    is no folder)."""
    from jinja2 import FileSystemBytecodeCache

    folder = cache_folder(kind)
    if folder is None:
        return None

    class QuietCache(FileSystemBytecodeCache):
        def load_bytecode(self, bucket: Any) -> None:
            try:
                super().load_bytecode(bucket)
            except (OSError, EOFError, ValueError, TypeError):
                bucket.reset()  # unreadable: compiled again

        def dump_bytecode(self, bucket: Any) -> None:
            with contextlib.suppress(OSError):  # unwritable: compiled again next time
                super().dump_bytecode(bucket)

    return QuietCache(str(folder))


def from_string(env: Any, source: str) -> Any:
    """`env.from_string(source)`, with the compiled code kept in `env.bytecode_cache` (Jinja
    itself caches only templates read by a loader)."""
    cache = env.bytecode_cache
    if cache is None:
        return env.from_string(source)
    # Named by its text, so each distinct text has its own cache file.
    name = hashlib.sha256(source.encode("utf-8")).hexdigest()
    bucket = cache.get_bucket(env, name, None, source)
    if bucket.code is None:
        bucket.code = env.compile(source)
        cache.set_bucket(bucket)
    return env.template_class.from_code(env, bucket.code, env.make_globals(None))


__all__ = ["bytecode_cache", "cache_folder", "from_string"]
