"""The run's configuration: a typed, validated reading of config.yaml.

Every key has a default, so an empty file is a valid configuration that reads canonical
extracts. Unknown keys are rejected with the closest valid key suggested, because a typo'd
key silently ignored would give the board a wrong paper.
"""

from __future__ import annotations

import difflib
import math
import re
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from pipeline.errors import UsageError

Audience = Literal["public", "internal"]

# A local value maps either to one canonical value, or to several canonical columns at once
# (e.g. "Offered and Declined (by YP)" -> outcome: declined, declined_by: child).
ValueTarget = str | dict[str, str]


class Strict(BaseModel):
    """A config section that rejects keys it does not know."""

    model_config = ConfigDict(extra="forbid", frozen=True)


# --- The extract's layout (extracts helper: presets, messy files, derived columns) ----------


class RhiFlags(Strict):
    """RHI offered / accepted flags held on the episode row (one file, no interviews extract).

    The outcome is derived from the two flags by the table in docs/inputs.md."""

    offered: str = Field(description="local header of the 'RHI offered' flag")
    accepted: str | None = Field(None, description="local header of the 'RHI accepted' flag")
    values: dict[str, str] = Field(
        default_factory=dict,
        description="local flag value -> yes, no or unknown (e.g. 'a) Yes': 'yes')",
    )


class LayoutConfig(Strict):
    """How an export is laid out beyond its headers: where the header is, blank markers,
    two-digit years, columns built from others or set for the whole file."""

    header_row: Annotated[int, Field(ge=1)] | None = Field(
        None, description="spreadsheet row of the header; default: found in the first rows"
    )
    blank_values: list[str] = Field(
        default_factory=list, description="cell texts read as blank, e.g. NULL, N/A, -"
    )
    two_digit_year_pivot: Annotated[int, Field(ge=0, le=100)] | None = Field(
        None, description="two-digit years below this are 20yy, the rest 19yy; unset: refused"
    )
    constants: dict[str, str] = Field(
        default_factory=dict, description="canonical column -> value for every row"
    )
    defaults: dict[str, str] = Field(
        default_factory=dict, description="canonical column -> value for blank cells"
    )
    derived: dict[str, list[str]] = Field(
        default_factory=dict,
        description="canonical column -> canonical columns joined to build it (e.g. an ID)",
    )
    rhi_flags: RhiFlags | None = Field(
        None, description="episodes only: the RHI record is on the episode row"
    )
    not_held: list[str] = Field(
        default_factory=list,
        description="canonical columns this layout does not hold, required ones included "
        "(e.g. looked_after for the SSD); their measures are not recorded",
    )


class ExtractConfig(LayoutConfig):
    """Where one extract is and how its local headers and codes map to canonical ones."""

    path: Path | None = Field(None, description="CSV or XLSX file, relative to the config file")
    sheet: str | None = Field(None, description="XLSX sheet name; default the first sheet")
    columns: dict[str, str] = Field(
        default_factory=dict, description="local header -> canonical column"
    )
    values: dict[str, dict[str, ValueTarget]] = Field(
        default_factory=dict,
        description="canonical column -> {local value -> canonical value or {column: value}}",
    )


class Target(Strict):
    """A target for one metric and how far short of it still counts as amber."""

    target: float
    amber_within: float = Field(0.1, ge=0, description="shortfall still rated amber")


class SpcConfig(Strict):
    """Statistical process control options (NHS Making Data Count)."""

    run_length: Annotated[int, Field(ge=6, le=8)] = 7
    trend_length: Annotated[int, Field(ge=6, le=8)] = 7
    rebase_months: list[str] = Field(
        default_factory=list, description="YYYY-MM months at which the limits are recalculated"
    )
    # NHSRplotthedots' fix_after_n_points: limits from a baseline of the first n months of
    # each segment (at least 12, as there), applied to the months after it.
    fix_after_n_points: Annotated[int, Field(ge=12)] | None = None


# --- Capacity replay (pipeline/analysis/capacity.py, docs/capacity.md) ----------------------

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class CapacityOption(Strict):
    """One workforce option the replay tries: dedicated workers, travel, host commissioning."""

    id: Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]
    label: str
    workers: Annotated[int, Field(ge=1, le=50)]
    out_of_county_visits: bool = False
    host_share: Annotated[float, Field(ge=0, le=1)] = 0.0


def _default_options() -> list[CapacityOption]:
    """Today's workforce in the source report (two workers, in county only) and the options
    a board would ask about."""
    rows = [
        ("current", "2 workers, in county only (current)", 2, False, 0.0),
        ("two_travel", "2 workers, also out of county", 2, True, 0.0),
        ("three", "3 workers, in county only", 3, False, 0.0),
        ("three_travel", "3 workers, also out of county", 3, True, 0.0),
        ("four", "4 workers, in county only", 4, False, 0.0),
        ("four_travel", "4 workers, also out of county", 4, True, 0.0),
        ("two_host", "2 workers, out of county commissioned from hosts", 2, False, 1.0),
    ]
    return [
        CapacityOption(id=i, label=lbl, workers=w, out_of_county_visits=t, host_share=h)
        for i, lbl, w, t, h in rows
    ]


class CapacityConfig(Strict):
    """The workforce the capacity replay assumes, and the options it compares."""

    enabled: bool = True
    seed: int = 20260401
    working_days: list[Weekday] = Field(
        default_factory=lambda: ["mon", "tue", "wed", "thu", "fri"], min_length=1
    )
    day_start: Annotated[float, Field(ge=0, lt=24)] = 9.0
    day_end: Annotated[float, Field(gt=0, le=24)] = 17.0
    interview_hours: Annotated[float, Field(gt=0, le=12)] = 1.0
    offer_hours: Annotated[float, Field(ge=0, le=12)] = 0.5
    recording_hours: Annotated[float, Field(ge=0, le=12)] = 1.0
    travel_hours: dict[str, Annotated[float, Field(ge=0, le=12)]] = Field(
        default_factory=lambda: {"in_area": 0.5, "out_of_area": 2.5},
        description="one-way travel by placement area",
    )
    default_travel_hours: Annotated[float, Field(ge=0, le=12)] = 0.5
    host_authority_hours: Annotated[float, Field(ge=0)] = 48.0
    current: str = "current"
    options: list[CapacityOption] = Field(default_factory=_default_options, min_length=1)


class BoardAction(Strict):
    """A decision or action the board is asked for, with who owns it and by when."""

    action: str
    owner: str
    due: str = Field(description="when, as the board should read it, e.g. 30 September 2026")


class Config(Strict):
    """The whole configuration. See config.yaml for each key's meaning."""

    council_name: str = "Example Council"
    board_name: str = "Corporate Parenting Board"
    report_title: str = "Children missing from home and care: return home interviews"
    report_owner: str = "Director of Children's Services"
    report_date: date | None = None
    audience: Audience = "public"
    episodes: ExtractConfig = ExtractConfig()
    interviews: ExtractConfig = ExtractConfig()
    timeliness_hours: Annotated[float, Field(gt=0)] = 72
    repeat_threshold: Annotated[int, Field(ge=2)] = 3
    independent_roles: list[str] = Field(
        default_factory=lambda: ["independent_practitioner", "host_authority_practitioner"]
    )
    suppress_below: Annotated[int, Field(ge=0)] = 5
    trend_quarters: Annotated[int, Field(ge=1, le=8)] = 8
    targets: dict[str, Target] = Field(default_factory=dict)
    spc: SpcConfig = SpcConfig()
    labels: dict[str, str] = Field(
        default_factory=dict, description="category code -> label shown in the report"
    )
    commentary: Path | None = None
    capacity: CapacityConfig = CapacityConfig()
    # The council's headline target measure (issue 14): the rate the summary's tile, key
    # messages and timeliness chart lead with. The default is the interview held face to
    # face within the timescale; the rate in any mode is shown beside it as context.
    headline_target_metric: str = "rhi_target_met_rate"
    # Commentary whose front matter names another quarter (or none) is left out with a
    # notice ("omit"), or printed anyway ("keep").
    commentary_other_quarter: Literal["omit", "keep"] = "omit"
    # --- Publication details (a11y, #16): the workbook's cover says when the figures were
    # published, when they will next be, and whom to contact.
    contact_email: str | None = Field(
        None, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", description="team's email address"
    )
    contact_phone: str | None = None
    publication_date: date | None = None
    next_update: date | None = None

    # --- Reports (issue #15): which profiles one run writes, and the council's templates ---
    reports: list[str] = Field(
        default_factory=lambda: ["board_paper"],
        description="report profiles to write (templates/profiles/<name>.yaml)",
    )
    templates_dir: Path | None = Field(
        None, description="the council's own templates and profiles, searched first"
    )
    board_actions: list[BoardAction] = Field(
        default_factory=list, description="decisions and actions asked of the board"
    )

    # Where the config file lives: relative paths inside it are resolved against this.
    base_dir: Path = Field(Path("."), exclude=True)
    # The config file itself, for messages that name it (None for a Config built in code).
    source_file: Path | None = Field(None, exclude=True)

    @field_validator("targets", mode="before")
    @classmethod
    def _target_shorthand(cls, value: Any) -> Any:
        """Allow `rhi_timely_rate: 0.9` as shorthand for `{target: 0.9}`."""
        if isinstance(value, dict):
            return {
                k: ({"target": v} if isinstance(v, int | float) else v) for k, v in value.items()
            }
        return value

    @property
    def completed_word(self) -> str:
        """What the paper calls an RHI whose outcome is `completed`: "accepted" when the
        record is offered/accepted flags (which cannot say the interview was held), else
        "completed"."""
        return "accepted" if self.episodes.rhi_flags is not None else "completed"

    def resolve(self, path: Path | None) -> Path | None:
        """Resolve a path from the config against the config file's folder."""
        if path is None:
            return None
        return path if path.is_absolute() else self.base_dir / path


# ---------------------------------------------------------------------------------------------
# Reading YAML safely (docs/reliability.md): a config is a few dozen plain keys, so anything
# that only an attack or an accident needs is refused with a sentence instead of obeyed.

# At most this many aliases (`*name`) in one file: a few are handy, but nested aliases
# ("billion laughs") would make a small file expand into billions of values.
MAX_ALIASES = 10


class RefusedYAML(yaml.YAMLError):
    """YAML that parses but is refused: a tag, too many aliases, or a repeated key.
    `sentence` says what and where (without the file, which the caller names)."""

    def __init__(self, sentence: str) -> None:
        super().__init__(sentence)
        self.sentence = sentence


def _loader() -> type:
    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _refuse_tags_and_aliases(text: str) -> None:
    """Refuse any explicit tag (`!!python/...`, `!custom`) and more than MAX_ALIASES aliases,
    reading only the parser's events, before anything is built."""
    aliases = 0
    for event in yaml.parse(text, Loader=_loader()):
        line = event.start_mark.line + 1
        tag = getattr(event, "tag", None)
        if tag is not None:
            raise RefusedYAML(
                f"line {line} has the YAML tag '{tag}'; tags are not allowed in this file. "
                "Remove it and write the plain value."
            )
        if isinstance(event, yaml.AliasEvent):
            aliases += 1
            if aliases > MAX_ALIASES:
                raise RefusedYAML(
                    f"line {line} has the alias '*{event.anchor}', one of more than "
                    f"{MAX_ALIASES} in the file, which could make it expand without bound; "
                    "write the values out instead of using anchors and aliases."
                )


def _refuse_repeated_keys(node: yaml.Node | None) -> None:
    """Refuse a mapping that has the same key twice (YAML would quietly keep the later)."""
    seen_nodes: set[int] = set()
    stack = [node] if node is not None else []
    while stack:
        current = stack.pop()
        if id(current) in seen_nodes:
            continue
        seen_nodes.add(id(current))
        if isinstance(current, yaml.MappingNode):
            lines: dict[object, int] = {}
            for key, value in current.value:
                if isinstance(key, yaml.ScalarNode) and key.tag != "tag:yaml.org,2002:merge":
                    line = key.start_mark.line + 1
                    if key.value in lines:
                        raise RefusedYAML(
                            f"the key '{key.value}' is given twice, at line "
                            f"{lines[key.value]} and at line {line}; keep one of them."
                        )
                    lines[key.value] = line
                stack += [key, value]
        elif isinstance(current, yaml.SequenceNode):
            stack += current.value


def read_yaml(text: str) -> Any:
    """YAML text read safely: no tags, at most MAX_ALIASES aliases, no key given twice (each
    refused with RefusedYAML), with libyaml's parser when PyYAML has it. Raises
    yaml.YAMLError on malformed text."""
    _refuse_tags_and_aliases(text)
    loader = _loader()(text)
    try:
        node = loader.get_single_node()
        _refuse_repeated_keys(node)
        return None if node is None else loader.construct_document(node)
    finally:
        loader.dispose()


def non_finite_keys(data: Any, prefix: str = "") -> list[str]:
    """The keys (dotted) whose value is an infinite or not-a-number float (.inf, .nan)."""
    if isinstance(data, float):
        return [] if math.isfinite(data) else [prefix]
    if isinstance(data, dict):
        return [k for key, v in data.items() for k in non_finite_keys(v, _dotted(prefix, key))]
    if isinstance(data, list):
        return [k for i, v in enumerate(data) for k in non_finite_keys(v, f"{prefix}[{i}]")]
    return []


def _dotted(prefix: str, key: object) -> str:
    return f"{prefix}.{key}" if prefix else str(key)


def _read_config_text(path: Path) -> str:
    """The config file's text; UsageError naming the file when it is missing, not a regular
    file, or not UTF-8 (UTF-16 and the like are named)."""
    from pipeline.files import check_regular_file, check_text_encoding

    check_regular_file(path, "config file")
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise UsageError(
            f"{path}: config file not found. Give the right path with --config, "
            "or create the file (an empty file uses every default)."
        ) from None
    except UnicodeDecodeError:
        check_text_encoding(path, "config file")
        raise UsageError(
            f"{path}: the config file is not UTF-8 text. Save it as UTF-8 and run again."
        ) from None
    except OSError as exc:
        raise UsageError(f"{path}: config file could not be read ({exc.strerror}).") from None


def _field_names(model: type[BaseModel]) -> list[str]:
    return [name for name in model.model_fields if name not in {"base_dir", "source_file"}]


def _model_at(loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The config section a validation error location points into."""
    model: type[BaseModel] | None = Config
    for part in loc[:-1]:
        if model is None or not isinstance(part, str) or part not in model.model_fields:
            return None
        annotation = model.model_fields[part].annotation
        model = (
            annotation
            if isinstance(annotation, type) and issubclass(annotation, BaseModel)
            else None
        )
    return model


def _describe(error: Any, file: Path) -> str:
    """One plain sentence for one pydantic error."""
    loc = tuple(error["loc"])
    key = ".".join(str(p) for p in loc)
    if error["type"] == "extra_forbidden":
        model = _model_at(loc)
        hint = ""
        if model is not None:
            close = difflib.get_close_matches(str(loc[-1]), _field_names(model), n=1)
            if close:
                hint = f" Did you mean '{close[0]}'?"
        return f"{file}: unknown key '{key}'.{hint} Remove it or correct its spelling."
    from pipeline.files import clip

    value = clip(repr(error.get("input")))
    return (
        f"{file}: key '{key}' has the value {value}, which is not valid: {error['msg']}. "
        "Correct it in the config file."
    )


def _unknown(kind: str, key: str, value: str, valid: list[str], file: Path) -> str:
    """One sentence for a config value that names something that does not exist."""
    close = difflib.get_close_matches(value, valid, n=1)
    hint = f" Did you mean '{close[0]}'?" if close else f" Valid: {', '.join(valid)}."
    return f"{file}: '{key}' names the {kind} '{value}', which does not exist.{hint}"


def _spelling(value: str) -> str:
    """Canonical spelling, as the loader applies it: `Face to Face` -> face_to_face."""
    return re.sub(r"[\s\-/]+", "_", value.strip().lower())


def _check_mapped_values(extract: str, spec: ExtractConfig, file: Path) -> list[str]:
    """Mapped values that are not canonical codes: the mistake is in the config, not the data."""
    from pipeline.schema import EXTRACTS

    allowed = {c.name: c.allowed for c in EXTRACTS[extract] if c.kind == "category"}
    yes_no = {c.name for c in EXTRACTS[extract] if c.kind == "bool"}
    words = {"yes", "no", "y", "n", "true", "false", "1", "0"}
    problems = []
    for column, mapping in spec.values.items():
        for local, target in mapping.items():
            pairs = target.items() if isinstance(target, dict) else [(column, target)]
            for name, value in pairs:
                key = f"{extract}.values.{column}.{local}"
                if name in allowed and _spelling(str(value)) not in allowed[name]:
                    problems.append(
                        _unknown(f"{name} code", key, str(value), list(allowed[name]), file)
                    )
                elif name in yes_no and str(value).strip().lower() not in words:
                    problems.append(
                        f"{file}: '{key}' maps to '{value}', which is not yes or no; "
                        'map it to "yes" or "no" (quoted).'
                    )
    return problems


def _check_capacity(capacity: CapacityConfig, file: Path) -> list[str]:
    """Problems inside the `capacity:` block that a field type cannot catch."""
    from pipeline.schema import PLACEMENT_AREAS

    problems = [
        _unknown("placement area", "capacity.travel_hours", area, list(PLACEMENT_AREAS), file)
        for area in capacity.travel_hours
        if area not in PLACEMENT_AREAS
    ]
    if capacity.day_end <= capacity.day_start:
        problems.append(
            f"{file}: 'capacity.day_end' ({capacity.day_end:g}) is not after "
            f"'capacity.day_start' ({capacity.day_start:g}); give hours of the day such as "
            "9 and 17."
        )
    ids = [option.id for option in capacity.options]
    for seen in sorted({i for i in ids if ids.count(i) > 1}):
        problems.append(
            f"{file}: 'capacity.options' has the id '{seen}' more than once; give each "
            "option its own id."
        )
    if capacity.current not in ids:
        problems.append(_unknown("option", "capacity.current", capacity.current, ids, file))
    return problems


def _check_layout(extract: str, spec: ExtractConfig, names: list[str], file: Path) -> list[str]:
    """Canonical names in the layout keys (constants, defaults, derived, not_held)."""
    problems = []
    for key in ("constants", "defaults", "derived"):
        for name in getattr(spec, key):
            if name not in names:
                problems.append(_unknown("column", f"{extract}.{key}", name, names, file))
    for name, parts in spec.derived.items():
        problems += [
            _unknown("column", f"{extract}.derived.{name}", p, names, file)
            for p in parts
            if p not in names
        ]
    problems += [
        _unknown("column", f"{extract}.not_held", n, names, file)
        for n in spec.not_held
        if n not in names
    ]
    if extract == "interviews" and spec.rhi_flags is not None:
        problems.append(
            f"{file}: 'interviews.rhi_flags' is not used: RHI flags are read from the episode "
            "rows, so put them under episodes: rhi_flags:."
        )
    return problems


def check_names(config: Config, file: Path) -> list[str]:
    """Problems with names inside the config: canonical columns, metric IDs, roles, months.

    A misspelt name here would otherwise be silently ignored (a target never rated, a
    column never read), so each is reported with the closest valid name.
    """
    from pipeline.metrics.registry import REGISTRY
    from pipeline.schema import EXTRACTS, INTERVIEWER_ROLES

    problems: list[str] = []
    for extract in ("episodes", "interviews"):
        spec: ExtractConfig = getattr(config, extract)
        names = [c.name for c in EXTRACTS[extract]]
        for local, canonical in spec.columns.items():
            if canonical not in names:
                problems.append(
                    _unknown("column", f"{extract}.columns.{local}", canonical, names, file)
                )
        for column, mapping in spec.values.items():
            if column not in names:
                problems.append(_unknown("column", f"{extract}.values", column, names, file))
            for local, target in mapping.items():
                if isinstance(target, dict):
                    problems += [
                        _unknown("column", f"{extract}.values.{column}.{local}", k, names, file)
                        for k in target
                        if k not in names
                    ]
        problems += _check_mapped_values(extract, spec, file)
        problems += _check_layout(extract, spec, names, file)
    metrics = list(REGISTRY)
    for key, target in config.targets.items():
        if key not in REGISTRY:
            problems.append(_unknown("metric", "targets", key, metrics, file))
        elif REGISTRY[key].kind == "ratio" and not 0 <= target.target <= 1:
            problems.append(
                f"{file}: 'targets.{key}' is {target.target:g}, but rates are decimals from 0 "
                f"to 1; write {target.target:g}% as {target.target / 100:g}."
            )
    headline = config.headline_target_metric
    if headline not in REGISTRY:
        problems.append(_unknown("metric", "headline_target_metric", headline, metrics, file))
    elif REGISTRY[headline].kind != "ratio":
        rates = [k for k, spec in REGISTRY.items() if spec.kind == "ratio"]
        problems.append(
            f"{file}: 'headline_target_metric' is '{headline}', which is not a rate; "
            f"choose one of: {', '.join(rates)}."
        )
    problems += [
        _unknown("interviewer role", "independent_roles", role, list(INTERVIEWER_ROLES), file)
        for role in config.independent_roles
        if role not in INTERVIEWER_ROLES
    ]
    for month in config.spc.rebase_months:
        if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", month):
            problems.append(
                f"{file}: 'spc.rebase_months' has '{month}', which is not a month; "
                "write it as YYYY-MM, e.g. 2026-01."
            )
    problems += _check_capacity(config.capacity, file)
    return problems


# Sections whose every value is text (codes, markers, labels): a plain YAML word such as Yes,
# No or NULL there is a code, never a boolean or an empty value.
_TEXT_SECTIONS = frozenset({"values", "blank_values", "constants", "defaults", "labels"})
_YAML_BOOL = "tag:yaml.org,2002:bool"
_YAML_NULL = "tag:yaml.org,2002:null"


def unquoted_codes(text: str, file: Path) -> list[str]:
    """Codes written without quotes that YAML reads as true, false or empty: every mapping
    key, and every value inside a text section (`values:`, `blank_values:`, ...). One
    sentence each, naming the line and saying to put the code in quotes."""
    try:
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return []  # the reader reports malformed YAML itself
    problems: list[str] = []

    def odd(node: Any) -> bool:
        return (
            isinstance(node, yaml.ScalarNode)
            and not node.style  # plain, not quoted
            and node.tag in (_YAML_BOOL, _YAML_NULL)
            and node.value != ""
        )

    def report(node: Any) -> None:
        meaning = "empty (null)" if node.tag == _YAML_NULL else node.value.strip().lower()
        meaning = {"yes": "true", "on": "true", "no": "false", "off": "false"}.get(meaning, meaning)
        problems.append(
            f"{file}: line {node.start_mark.line + 1}: {node.value} is read by YAML as "
            f"{meaning}, not as the code '{node.value}'; put the code in quotes "
            f"('{node.value}')."
        )

    def walk(node: Any, in_text: bool) -> None:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if odd(key):
                    report(key)
                inner = in_text or (
                    isinstance(key, yaml.ScalarNode) and key.value in _TEXT_SECTIONS
                )
                if inner and odd(value):
                    report(value)
                walk(value, inner)
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                if in_text and odd(item):
                    report(item)
                walk(item, in_text)

    if root is not None:
        walk(root, False)
    return problems


def load_config(path: Path) -> Config:
    """Read and validate a config file; raise UsageError with plain sentences if it is wrong."""
    text = _read_config_text(path)
    try:
        data = read_yaml(text)
    except RefusedYAML as exc:
        raise UsageError(f"{path}: {exc.sentence}") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = exc.problem or exc.context or "malformed YAML"
        raise UsageError(
            f"{path}: the YAML is malformed{where}: {problem}. "
            "Fix the indentation or quoting there."
        ) from None
    except yaml.YAMLError as exc:
        raise UsageError(f"{path}: the YAML is malformed: {exc}.") from None
    unquoted = unquoted_codes(text, path)
    if unquoted:
        raise UsageError(*unquoted)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise UsageError(
            f"{path}: the config must be a mapping of keys to values, not a list or text."
        )
    infinite = non_finite_keys(data)
    if infinite:
        raise UsageError(
            *[
                f"{path}: key '{key}' is not a finite number (.inf and .nan are not allowed); "
                "write an ordinary number."
                for key in infinite
            ]
        )
    try:
        config = Config.model_validate({**data, "base_dir": path.parent, "source_file": path})
    except ValidationError as exc:
        raise UsageError(*[_describe(err, path) for err in exc.errors()]) from None
    problems = check_names(config, path)
    if problems:
        raise UsageError(*problems)
    return config
