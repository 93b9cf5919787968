"""manifest.json: which extracts, configuration and software produced which files.

An auditor can check each input and output against its SHA-256. The file has sorted keys, an
indent of 2 and a trailing newline; it holds no timestamp and no absolute path, so the same
inputs give the same bytes wherever and whenever the run happens.
"""

from __future__ import annotations

import json
import tomllib
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import Any

from pipeline.digest import sha256_file
from pipeline.render.safety import file_name_only, write_bytes

MANIFEST = "manifest.json"
PACKAGE = "rhi-report"
# The libraries whose versions can change an output's bytes.
KEY_DEPENDENCIES = (
    "jinja2",
    "matplotlib",
    "numpy",
    "openpyxl",
    "pandas",
    "pydantic",
    "python-calamine",
    "pyyaml",
    "weasyprint",
    "xlsxwriter",
)


def _installed_version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def package_version() -> str:
    """This package's version: from the installed metadata, else the source tree's
    pyproject.toml (a checkout run without installing), else "unknown"."""
    installed = _installed_version(PACKAGE)
    if installed:
        return installed
    pyproject = Path(__file__).resolve().parents[2] / "pyproject.toml"
    try:
        return str(tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "unknown"


def dependency_versions() -> dict[str, str]:
    """The installed version of each key dependency ("not installed" if absent)."""
    return {name: _installed_version(name) or "not installed" for name in KEY_DEPENDENCIES}


def relative_path(path: str) -> str:
    """A path as the manifest shows it: kept if relative (POSIX slashes), else the file name
    alone, so no absolute path reaches the manifest."""
    posix = path.replace("\\", "/")
    if PurePosixPath(posix).is_absolute() or (len(posix) > 1 and posix[1] == ":"):
        return file_name_only(path)
    return posix


def _output(out_dir: Path, name: str) -> dict[str, str]:
    """One output's entry: its path in the out folder and SHA-256; a file in the internal/
    subfolder (a public run's internal-only report) is marked internal."""
    entry = {"name": name, "sha256": sha256_file(out_dir / name)}
    if name.startswith("internal/"):
        entry["audience"] = "internal"
    return entry


def manifest_data(
    results: Any,
    out_dir: Path,
    output_names: list[str],
    reports: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The manifest as a dictionary (see the module docstring). `reports` lists each report
    written (profile, audience, files), since one run can write a public and an internal one."""
    data = {
        "as_at": results.as_at.isoformat(),
        "audience": results.audience,
        "config_sha256": results.config_sha256,
        "dependencies": dependency_versions(),
        "inputs": [
            {
                "name": item.name,
                "path": relative_path(item.path),
                "rows": int(item.rows),
                "sha256": item.sha256,
            }
            for item in results.inputs
        ],
        "outputs": [_output(out_dir, name) for name in sorted(set(output_names) - {MANIFEST})],
        "package": {"name": PACKAGE, "version": package_version()},
        "quarter": results.quarter.id,
        "quarter_label": results.quarter.label,
        "suppress_below": int(results.config.suppress_below),
        "trend_quarters": [q.id for q in results.quarters],
    }
    if reports is not None:
        data["reports"] = reports
    return data


def manifest_bytes(data: dict[str, Any]) -> bytes:
    """JSON text: sorted keys, indent 2, UTF-8, trailing newline."""
    return (json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def write_manifest(
    results: Any,
    out_dir: Path,
    output_names: list[str],
    reports: list[dict[str, Any]] | None = None,
) -> str:
    """Write manifest.json into `out_dir`, hashing the files named in `output_names` (which
    must already be written there: call this last). Returns the manifest's file name."""
    data = manifest_data(results, out_dir, output_names, reports)
    write_bytes(out_dir / MANIFEST, manifest_bytes(data))
    return MANIFEST


__all__ = [
    "KEY_DEPENDENCIES",
    "MANIFEST",
    "dependency_versions",
    "manifest_bytes",
    "manifest_data",
    "package_version",
    "relative_path",
    "write_manifest",
]
