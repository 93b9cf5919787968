"""Report profiles: which sections, tiles and breakdowns a report has, its audience and title.

A profile is a YAML file `profiles/<name>.yaml` in a template folder. The council's own folder
(`templates_dir` in the config) is searched first, then the package's `templates/`, so a
council can change a shipped profile or add its own without touching Python. Each section
named in a profile is a Jinja template `sections/<id>.html.j2`, found the same way.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from pipeline.config import Config, read_yaml
from pipeline.errors import UsageError

TEMPLATES = Path(__file__).resolve().parent.parent.parent / "templates"
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TileSpec(_Strict):
    """One headline tile: a metric for a cohort, with the label shown (registry label if "")."""

    metric: str
    cohort: str = "all"
    label: str = ""


class SectionSpec(_Strict):
    """One numbered part of a report: its template `sections/<id>.html.j2` and heading."""

    id: str
    title: str
    # "part" (a numbered section), "summary" (the first page), "summary_runs_on" (a summary
    # longer than a page, which the next section follows without a page break) or "appendix".
    style: Literal["part", "summary", "summary_runs_on", "appendix"] = "part"
    anchor: str = ""  # the HTML id the contents links to; "" uses the section id
    # The breakdowns shown here; None places each breakdown by its subject (the default).
    breakdowns: list[str] | None = None


class Profile(_Strict):
    """A report: its sections in order, headline tiles, audience rules and file name."""

    id: str
    title: str = ""  # the cover's title; "" uses report_title from the config
    file: str  # output file stem: <file>.pdf and <file>.html
    description: str = ""
    # "run": the run's audience (public unless --audience internal); "internal": always
    # internal (OFFICIAL-SENSITIVE, every figure, child-level worklists).
    audience: Literal["run", "internal"] = "run"
    tiles: list[TileSpec] = Field(default_factory=list)
    sections: list[SectionSpec]
    # Breakdowns worth a chart (the others are tables); those shown only in the workbook.
    charted: list[str] = Field(
        default_factory=lambda: [
            "rhi_mode",
            "interviewer_role",
            "risks",
            "interviews_per_practitioner",
        ]
    )
    compared: list[str] = Field(default_factory=lambda: ["rhi_mode", "interviewer_role"])
    not_shown: list[str] = Field(
        default_factory=lambda: ["episodes_by_cohort", "children_by_cohort", "rhi_outcomes"]
    )
    # Internal profiles only: write the worklists as sheets of <file>.xlsx.
    worklist_workbook: bool = False

    def audience_for(self, run_audience: str) -> str:
        """The audience this report is written for, given the run's."""
        return "internal" if self.audience == "internal" else run_audience


def template_dirs(config: Config) -> list[Path]:
    """The template folders, searched in order: the council's own first, then the package's."""
    own = config.resolve(getattr(config, "templates_dir", None))
    return [own, TEMPLATES] if own is not None else [TEMPLATES]


def find_template(config: Config, relative: str) -> Path | None:
    """The first template folder's file at `relative`, or None."""
    for folder in template_dirs(config):
        path = folder / relative
        if path.is_file():
            return path
    return None


def load_profile(name: str, config: Config) -> Profile:
    """The profile called `name`, from the council's folder or the package's; UsageError with
    one plain sentence if it is missing or malformed, or a section has no template."""
    if not _NAME.match(name):
        raise UsageError(
            f"Report '{name}' is not a profile name: use lower-case letters, digits and "
            "underscores, e.g. board_paper."
        )
    path = find_template(config, f"profiles/{name}.yaml")
    if path is None:
        where = " or ".join(str(d / "profiles") for d in template_dirs(config))
        raise UsageError(
            f"There is no report profile '{name}': add {name}.yaml to {where}, or remove "
            f"'{name}' from `reports` in the config."
        )
    try:
        data = read_yaml(path.read_text(encoding="utf-8"))
    except Exception as exc:  # yaml.YAMLError or a decoding error: one sentence either way
        raise UsageError(f"{path}: the profile is not readable YAML ({exc}).") from None
    if not isinstance(data, dict):
        raise UsageError(f"{path}: a profile is a mapping of keys such as id, file and sections.")
    try:
        profile = Profile.model_validate({"id": name, **data})
    except ValidationError as exc:
        first = exc.errors()[0]
        key = ".".join(str(p) for p in first["loc"])
        raise UsageError(f"{path}: key '{key}': {first['msg']}.") from None
    if profile.id != name:
        raise UsageError(f"{path}: its id is '{profile.id}'; it must match its file name, {name}.")
    if not _NAME.match(profile.file.replace("-", "_")):
        raise UsageError(
            f"{path}: file '{profile.file}' must be lower-case letters, digits and hyphens."
        )
    seen: set[str] = set()
    for section in profile.sections:
        if not _NAME.match(section.id):
            raise UsageError(
                f"{path}: section id '{section.id}' must be lower-case letters, digits and "
                "underscores."
            )
        if section.id in seen:
            raise UsageError(f"{path}: section '{section.id}' is listed twice.")
        seen.add(section.id)
        if find_template(config, f"sections/{section.id}.html.j2") is None:
            raise UsageError(
                f"{path}: section '{section.id}' has no template: add "
                f"sections/{section.id}.html.j2 to {template_dirs(config)[0]}."
            )
    return profile


def load_profiles(names: list[str], config: Config) -> list[Profile]:
    """The profiles of `names`, in order; UsageError if two write the same files."""
    profiles = [load_profile(name, config) for name in names]
    files = [p.file for p in profiles]
    for stem in files:
        if files.count(stem) > 1:
            clash = [p.id for p in profiles if p.file == stem]
            raise UsageError(
                f"Reports {', '.join(clash)} would both write {stem}.pdf: give each profile its "
                "own `file`."
            )
    return profiles


__all__ = [
    "TEMPLATES",
    "Profile",
    "SectionSpec",
    "TileSpec",
    "find_template",
    "load_profile",
    "load_profiles",
    "template_dirs",
]
