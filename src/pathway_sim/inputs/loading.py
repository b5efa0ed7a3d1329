"""Scenario files: YAML overlays (``extends``), ``--set`` overrides and strict validation.

A scenario is resolved in layers, later ones winning: the model's built-in
defaults, then each file of the ``extends`` chain from the furthest ancestor to
the file named, then each ``--set path=value``. Mappings merge key by key; a
mapping that names a different distribution (``dist``) or arrival process
(``process``) replaces the old one whole; lists and scalars replace. The result
is validated by the model's pydantic schema, and every error names the file (or
``--set``) that supplied the bad value, the field path and what was expected.
"""

from __future__ import annotations

import copy
import difflib
import types
import typing
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Annotated, Any, TypeVar, Union

import yaml
from pydantic import BaseModel, Field, TypeAdapter, ValidationError

from pathway_sim.core.errors import ScenarioError
from pathway_sim.core.schema import name_problem
from pathway_sim.inputs.yaml_files import parse_value, read_mapping
from pathway_sim.models import MODELS, Scenario

SameScenario = TypeVar("SameScenario", bound=Scenario)
"""A scenario of one model, which a change keeps (a change never moves it to another model)."""
_DISCRIMINATORS = ("dist", "process", "model")
_MAX_ERRORS = 12
_MAX_CHAIN = 32
"""Most files in one ``extends`` chain."""


def load_scenario(
    path: str | Path,
    overrides: Sequence[str] = (),
    settings: Mapping[str, tuple[str, object]] | None = None,
) -> Scenario:
    """Resolve and validate a scenario file.

    ``overrides`` are ``dotted.path=value`` strings (values parsed as YAML);
    ``settings`` maps option names such as ``--reps`` to ``(path, value)`` pairs
    applied last, so the resolved scenario records what actually ran.
    """
    path = Path(path)
    layers = _read_chain(path)
    model_name = _model_name(layers, path)
    model = MODELS[model_name].schema
    data: dict[str, Any] = {}
    origins: dict[tuple, str] = {}
    _overlay(data, _defaults(model), "built-in defaults", origins)
    for source, layer in layers:
        _overlay(data, layer, source, origins)
    if "name" not in layers[-1][1]:
        data["name"] = path.stem
        origins[("name",)] = str(path)
    for text in overrides:
        parts, value = parse_override(text)
        _apply(model, data, parts, value, f"--set {text}", origins)
    for option, (dotted, setting) in (settings or {}).items():
        _apply(model, data, dotted.split("."), setting, option, origins)
    data.pop("extends", None)
    return _validate(model, data, origins, str(path))


def scenario_sources(path: str | Path) -> list[Path]:
    """The files a scenario file is resolved from: itself and its ``extends`` chain."""
    path = Path(path)
    chain = [path]
    data = _read_yaml(path, None)
    while isinstance(data.get("extends"), str) and len(chain) <= _MAX_CHAIN:
        chain.append(chain[-1].parent / data["extends"])
        data = _read_yaml(chain[-1], str(chain[-2]))
    return chain


def with_changes(
    scenario: SameScenario, changes: Mapping[str, object], source: str
) -> SameScenario:
    """A new scenario: ``scenario`` with dotted-path ``changes`` applied and validated."""
    model = type(scenario)
    data = scenario.model_dump(mode="json")
    origins: dict[tuple, str] = {}
    for dotted, value in changes.items():
        _apply(model, data, dotted.split("."), value, source, origins)
    return _validate(model, data, origins, source)


def overlay_file(scenario: SameScenario, path: str | Path) -> SameScenario:
    """``scenario`` with what the file at ``path`` writes itself laid over it.

    The file's own ``extends`` is ignored, so an intervention written against one
    base can be applied to another (a site archetype, say). A file without a
    ``name`` is named after itself.
    """
    path = Path(path)
    layer = _read_yaml(path, None)
    layer.pop("extends", None)
    model = type(scenario)
    if layer.get("model", scenario.model) != scenario.model:
        raise ScenarioError(
            f"{path}: model: expected {scenario.model!r} to overlay {scenario.name!r}"
        )
    data = scenario.model_dump(mode="json", exclude={"extends"})
    origins: dict[tuple, str] = {}
    _overlay(data, layer, str(path), origins)
    if "name" not in layer:
        data["name"] = path.stem
    return _validate(model, data, origins, str(path))


def to_yaml(scenario: BaseModel) -> str:
    """The resolved scenario as YAML, keys in schema order."""
    data = scenario.model_dump(mode="json", exclude={"extends"})
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def json_schema() -> dict[str, Any]:
    """JSON Schema of every scenario model, selected by the ``model`` key."""
    adapter = TypeAdapter(Annotated[Scenario, Field(discriminator="model")])
    schema = adapter.json_schema()
    schema["title"] = "pathway-sim scenario"
    return schema


# --- reading files ---------------------------------------------------------------------


def _read_yaml(path: Path, referrer: str | None) -> dict[str, Any]:
    return read_mapping(path, "scenario", referrer)[1]


def _read_chain(path: Path) -> list[tuple[str, dict[str, Any]]]:
    """The file and its ``extends`` ancestors, furthest ancestor first."""
    chain: list[tuple[str, dict[str, Any]]] = []
    seen: list[Path] = []
    current, referrer = path, None
    while True:
        try:
            resolved = current.resolve()
        except (OSError, RuntimeError) as exc:  # a symlink loop
            raise ScenarioError(f"{current}: cannot be resolved ({exc})") from None
        if resolved in seen:
            cycle = " -> ".join(str(p) for p in [*seen, resolved])
            raise ScenarioError(f"{referrer}: extends: cycle detected: {cycle}")
        seen.append(resolved)
        if len(seen) > _MAX_CHAIN:
            raise ScenarioError(f"{path}: extends: more than {_MAX_CHAIN} files in the chain")
        data = _read_yaml(current, referrer)
        chain.append((str(current), data))
        parent = data.get("extends")
        if parent is None:
            return chain[::-1]
        if not isinstance(parent, str) or not parent.strip():
            raise ScenarioError(
                f"{current}: extends: expected a relative path to a scenario file, got {parent!r}"
            )
        current, referrer = current.parent / parent, str(current)


def _model_name(layers: list[tuple[str, dict[str, Any]]], path: Path) -> str:
    name = None
    for _, layer in layers:
        name = layer.get("model", name)
    if name not in MODELS:
        got = "nothing" if name is None else repr(name)
        raise ScenarioError(
            f"{path}: model: expected one of {', '.join(sorted(MODELS))} "
            f"(in this file or one it extends), got {got}"
        )
    return name


def _defaults(model: type[BaseModel]) -> dict[str, Any]:
    builtin = getattr(model, "builtin_defaults", None)
    return builtin() if builtin else {}


# --- merging -----------------------------------------------------------------------------


def _overlay(
    base: dict[str, Any],
    top: Mapping[str, Any],
    source: str,
    origins: dict[tuple, str],
    prefix: tuple = (),
) -> None:
    """Merge ``top`` into ``base`` in place, recording where each value came from."""
    for key, value in top.items():
        here = (*prefix, key)
        old = base.get(key)
        if isinstance(value, dict) and isinstance(old, dict) and not _replaces(old, value):
            origins.setdefault(here, source)
            _overlay(old, value, source, origins, here)
        else:
            base[key] = copy.deepcopy(value)
            _mark(origins, here, value, source)


def _replaces(old: dict[str, Any], new: dict[str, Any]) -> bool:
    """A mapping that names another distribution or process replaces the old one."""
    return any(k in new and new[k] != old.get(k) for k in _DISCRIMINATORS)


def _mark(origins: dict[tuple, str], path: tuple, value: Any, source: str) -> None:
    origins[path] = source
    if isinstance(value, dict):
        for key, sub in value.items():
            _mark(origins, (*path, key), sub, source)


# --- overrides ---------------------------------------------------------------------------


def parse_override(text: str) -> tuple[list[str], Any]:
    """A ``--set PATH=VALUE``: the dotted path's parts and the value, parsed as YAML."""
    dotted, sep, raw = text.partition("=")
    if not sep or not dotted.strip():
        raise ScenarioError(f"--set {text}: expected PATH=VALUE, e.g. services.midwifery.staff=6")
    value = parse_value(raw, f"--set {text}") if raw.strip() else None
    return dotted.strip().split("."), value


def _apply(
    model: type[BaseModel],
    data: dict[str, Any],
    path: list[str],
    value: Any,
    source: str,
    origins: dict[tuple, str],
) -> None:
    _check_path(model, data, path, source)
    nested: Any = value
    for key in reversed(path):
        nested = {key: nested}
    _overlay(data, nested, source, origins)


def _check_path(model: type[BaseModel], data: dict[str, Any], path: list[str], source: str) -> None:
    """Reject a path that names no field of the schema, suggesting the nearest name."""
    tp: Any = model
    node: Any = data
    for depth, key in enumerate(path):
        where = ".".join(path[:depth]) or "the scenario"
        cls = _model_class(tp, node)
        if cls is not None:
            if key not in cls.model_fields:
                raise ScenarioError(
                    f"{source}: unknown path {'.'.join(path[: depth + 1])}: "
                    f"{where} has no field {key!r}{_suggest(key, cls.model_fields)}"
                )
            tp = cls.model_fields[key].annotation
        elif typing.get_origin(_unwrap(tp)) is dict:
            if not isinstance(node, dict) or key not in node:
                known = list(node) if isinstance(node, dict) else []
                raise ScenarioError(
                    f"{source}: unknown path {'.'.join(path[: depth + 1])}: "
                    f"{where} has no entry {key!r}{_suggest(key, known)}"
                )
            tp = typing.get_args(_unwrap(tp))[1]
        else:
            raise ScenarioError(
                f"{source}: unknown path {'.'.join(path[: depth + 1])}: "
                f"{where} is a single value with no field {key!r}"
            )
        node = node.get(key) if isinstance(node, dict) else None


def _unwrap(tp: Any) -> Any:
    while typing.get_origin(tp) is Annotated:
        tp = typing.get_args(tp)[0]
    return tp


def _model_class(tp: Any, node: Any) -> type[BaseModel] | None:
    """The pydantic model that ``tp`` stands for at this point of the data, if any."""
    tp = _unwrap(tp)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return tp
    if typing.get_origin(tp) in (Union, types.UnionType):
        members = [_unwrap(a) for a in typing.get_args(tp) if a is not type(None)]
        models = [m for m in members if isinstance(m, type) and issubclass(m, BaseModel)]
        if len(models) == 1 and len(members) == 1:
            return models[0]
        for m in models:
            for key in _DISCRIMINATORS:
                field = m.model_fields.get(key)
                if (
                    field
                    and isinstance(node, dict)
                    and node.get(key) in typing.get_args(field.annotation)
                ):
                    return m
    return None


def _suggest(key: str, choices: Sequence[str] | Mapping[str, Any]) -> str:
    close = difflib.get_close_matches(key, list(choices), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


# --- validation --------------------------------------------------------------------------


def _validate(
    model: type[SameScenario], data: dict[str, Any], origins: dict[tuple, str], top: str
) -> SameScenario:
    try:
        scenario = model.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(
            "scenario is not valid:\n  " + validation_message(model, data, exc, origins, top)
        ) from None
    _check_name(scenario.name, origins, top)
    if not isinstance(scenario, model):  # never: it narrows the schemas' union to ``model``
        raise TypeError(f"{top}: {type(scenario).__name__} is not a {model.__name__}")
    return scenario


def validation_message(
    model: type[BaseModel],
    data: dict[str, Any],
    exc: ValidationError,
    origins: Mapping[tuple, str],
    top: str,
) -> str:
    """One ``FILE: field.path: what was expected`` line per problem (the first dozen):
    the describer every input file (scenario, experiment, sensitivity) shares."""
    errors = exc.errors()
    lines = [_describe(model, data, err, dict(origins), top) for err in errors[:_MAX_ERRORS]]
    if len(errors) > _MAX_ERRORS:
        lines.append(f"... and {len(errors) - _MAX_ERRORS} more")
    return "\n  ".join(lines)


def _check_name(name: str, origins: Mapping[tuple, str], top: str) -> None:
    """A scenario's name becomes a directory name: refuse one that could leave ``--out``."""
    problem = name_problem(name)
    if problem:
        raise ScenarioError(f"{origins.get(('name',), top)}: name: {problem}")


def _describe(
    model: type[BaseModel],
    data: dict[str, Any],
    err: Mapping[str, Any],
    origins: dict[tuple, str],
    top: str,
) -> str:
    loc = _clean_loc(err["loc"], data)
    kind = err["type"]
    ctx = err.get("ctx") or {}
    if kind == "unit_range":  # raised by the model holding the field: name the field itself
        loc = (*loc, ctx["field"])
    source = _origin(loc, origins, top)
    dotted = ".".join(str(p) for p in loc) or "(top level)"
    if kind == "unit_range":
        return f"{source}: {dotted}: {ctx['problem']}"
    if kind == "extra_forbidden":
        parent = _class_at(model, data, loc[:-1])
        hint = _suggest(str(loc[-1]), parent.model_fields) if parent else ""
        if parent and not hint:
            hint = f" (expected one of {', '.join(parent.model_fields)})"
        return f"{source}: {dotted}: unknown field{hint}"
    if kind == "missing":
        return f"{source}: {dotted}: required field is missing"
    if kind == "union_tag_invalid":
        return (
            f"{source}: {dotted}: expected one of {ctx.get('expected_tags')}, "
            f"got {ctx.get('tag')!r}"
        )
    if kind == "union_tag_not_found":
        return f"{source}: {dotted}: expected a {ctx.get('discriminator')!r} key naming its kind"
    message = str(err["msg"]).removeprefix("Value error, ").replace("Input should be", "expected")
    got = err.get("input")
    plain = isinstance(got, (int, float, str, bool, type(None))) and "got " not in message
    shown = f", got {_short(got)}" if plain else ""
    return f"{source}: {dotted}: {message}{shown}"


def _short(value: Any) -> str:
    """A value as the user wrote it, cut short if long (a message is one paragraph)."""
    text = repr(value)
    return text if len(text) <= 80 else f"{text[:60]}... ({len(text)} characters)"


def _clean_loc(loc: Sequence[Any], data: Any) -> tuple:
    """Drop pydantic's union tags from an error location, keeping real keys."""
    out: list[Any] = []
    node = data
    for i, part in enumerate(loc):
        if (isinstance(node, dict) and part in node) or (
            isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        ):
            out.append(part)
            node = node[part]
        elif isinstance(node, dict) and part in [node.get(k) for k in _DISCRIMINATORS]:
            continue
        elif i == len(loc) - 1:
            out.append(part)
    return tuple(out)


def _class_at(model: type[BaseModel], data: Any, loc: tuple) -> type[BaseModel] | None:
    tp: Any = model
    node = data
    for key in loc:
        cls = _model_class(tp, node)
        if cls is not None and key in cls.model_fields:
            tp = cls.model_fields[key].annotation
        elif typing.get_origin(_unwrap(tp)) in (dict, list):
            tp = typing.get_args(_unwrap(tp))[-1]
        else:
            return None
        node = node.get(key) if isinstance(node, dict) else None
    return _model_class(tp, node)


def _origin(loc: tuple, origins: dict[tuple, str], top: str) -> str:
    for depth in range(len(loc), 0, -1):
        source = origins.get(tuple(loc[:depth]))
        if source and source != "built-in defaults":
            return source
    return top
