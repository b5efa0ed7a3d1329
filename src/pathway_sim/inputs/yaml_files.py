"""Reading scenario, experiment and sensitivity files: one bounded YAML reader for all three.

A file is user input, possibly hostile or careless, so the reader refuses rather than
guesses: it reads at most ``MAX_FILE_BYTES``; it refuses duplicate keys (YAML's "last
one wins" hides typos), nesting deeper than ``MAX_DEPTH``, more than ``MAX_ALIASES``
alias uses or a document that would expand to more than ``MAX_EXPANDED_NODES`` nodes
(an alias bomb is a kilobyte that expands to gigabytes once copied), and integers of
more than ``MAX_INT_DIGITS`` digits. ``1e-3`` is read as a number (YAML 1.2), not a
string. Every problem is a ``ScenarioError`` naming the file and, where it has one, the
line and column.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from typing import Any

import yaml

from pathway_sim.core.errors import ScenarioError

MAX_FILE_BYTES = 1_000_000
MAX_DEPTH = 64
MAX_ALIASES = 1_000
MAX_EXPANDED_NODES = 200_000
MAX_INT_DIGITS = 30

_EXPONENT_FLOAT = re.compile(r"^[-+]?[0-9][0-9_]*(?:\.[0-9_]*)?[eE][-+]?[0-9]+$")


class InputYAMLError(yaml.MarkedYAMLError):
    """A limit of the bounded reader was reached, at a place in the file."""


class BoundedLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` with the limits of this module; no Python objects, ever."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self._aliases = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                raise InputYAMLError(
                    None,
                    None,
                    f"more than {MAX_ALIASES} aliases (*name)",
                    self.peek_event().start_mark,
                )
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise InputYAMLError(
                None, None, f"nested deeper than {MAX_DEPTH} levels", self.peek_event().start_mark
            )
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=True)
            if isinstance(key, (list, dict)):
                continue  # unhashable: the base class reports it
            if key in seen:
                raise InputYAMLError(
                    None,
                    None,
                    f"duplicate key {key!r} (each key may appear once)",
                    key_node.start_mark,
                )
            seen.add(key)
        return super().construct_mapping(node, deep)

    def construct_yaml_int(self, node: Any) -> int:
        digits = sum(c.isdigit() for c in str(node.value))
        if digits > MAX_INT_DIGITS:
            raise InputYAMLError(
                None,
                None,
                f"an integer of {digits} digits (at most {MAX_INT_DIGITS})",
                node.start_mark,
            )
        return super().construct_yaml_int(node)


BoundedLoader.add_constructor("tag:yaml.org,2002:int", BoundedLoader.construct_yaml_int)
BoundedLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float", _EXPONENT_FLOAT, list("-+0123456789")
)


def expanded_size(node: Any, sizes: dict[int, int] | None = None) -> int:
    """Nodes the document holds once every alias is copied out (as a deep copy does)."""
    sizes = {} if sizes is None else sizes
    known = sizes.get(id(node))
    if known is not None:
        return known
    total = 1
    if isinstance(node, yaml.SequenceNode):
        total += sum(expanded_size(child, sizes) for child in node.value)
    elif isinstance(node, yaml.MappingNode):
        total += sum(expanded_size(k, sizes) + expanded_size(v, sizes) for k, v in node.value)
    sizes[id(node)] = min(total, MAX_EXPANDED_NODES + 1)
    return sizes[id(node)]


def parse_yaml(text: str, source: str) -> Any:
    """The data of one YAML document under the reader's limits (``ScenarioError`` naming
    ``source`` otherwise)."""
    try:
        loader = BoundedLoader(text)  # its reader refuses control characters at once
    except yaml.reader.ReaderError as exc:
        raise ScenarioError(f"{source}: {_unreadable(text, exc)}") from None
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        if expanded_size(node) > MAX_EXPANDED_NODES:
            raise ScenarioError(
                f"{source}: expands to more than {MAX_EXPANDED_NODES} values through its aliases "
                "(*name); write the values out or use fewer aliases"
            )
        return loader.construct_document(node)
    except yaml.YAMLError as exc:
        raise ScenarioError(f"{source}: malformed YAML{_where(exc)}: {_problem(exc)}") from None
    except (ValueError, RecursionError) as exc:  # e.g. a value the constructor cannot convert
        raise ScenarioError(f"{source}: malformed YAML: {exc}") from None
    finally:
        loader.dispose()


def _unreadable(text: str, exc: yaml.reader.ReaderError) -> str:
    """Where the reader found a character YAML does not allow, and which."""
    line = text.count("\n", 0, exc.position) + 1
    column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
    code = exc.character if isinstance(exc.character, int) else ord(exc.character)
    return (
        f"a control character (U+{code:04X}) at line {line}, column {column}; "
        "expected printable text (colour codes pasted from a terminal?)"
    )


def _where(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    return f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""


def _problem(exc: yaml.YAMLError) -> str:
    return str(getattr(exc, "problem", None) or exc)


def read_text(path: Path, kind: str, referrer: str | None = None) -> str:
    """The text of an input file: a regular UTF-8 file of at most ``MAX_FILE_BYTES``.

    A directory, FIFO or device is refused before it is opened (reading a FIFO would
    wait for ever), as are a symlink loop and a file too large to be a scenario.
    """
    where = f"{referrer}: extends: " if referrer else ""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise ScenarioError(f"{where}{kind} file {path} not found") from None
    except OSError as exc:
        raise ScenarioError(f"{where}{kind} file {path}: cannot be read ({exc.strerror})") from None
    if stat.S_ISDIR(info.st_mode):
        raise ScenarioError(f"{where}{path}: is a directory; expected a {kind} file (YAML)")
    if not stat.S_ISREG(info.st_mode):
        raise ScenarioError(
            f"{where}{path}: is not a regular file (a FIFO, socket or device); "
            f"expected a {kind} file (YAML)"
        )
    if info.st_size > MAX_FILE_BYTES:
        raise ScenarioError(
            f"{where}{path}: {info.st_size} bytes; a {kind} file may hold at most {MAX_FILE_BYTES}"
        )
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise ScenarioError(f"{where}{kind} file {path}: cannot be read ({exc.strerror})") from None
    if len(raw) > MAX_FILE_BYTES:
        raise ScenarioError(f"{where}{path}: a {kind} file may hold at most {MAX_FILE_BYTES} bytes")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ScenarioError(f"{where}{path}: expected a UTF-8 text file") from None


def read_mapping(path: Path, kind: str, referrer: str | None = None) -> tuple[str, dict[str, Any]]:
    """The text of a YAML input file and the mapping at its top."""
    text = read_text(path, kind, referrer)
    data = parse_yaml(text, str(path))
    if not isinstance(data, dict):
        raise ScenarioError(
            f"{path}: expected a mapping of fields (key: value) at the top level, "
            f"got {type(data).__name__}"
        )
    return text, data


def parse_value(text: str, source: str) -> Any:
    """A ``--set`` value: one YAML scalar or collection, under the same limits."""
    if len(text) > MAX_FILE_BYTES:
        raise ScenarioError(f"{source}: the value is longer than {MAX_FILE_BYTES} characters")
    return parse_yaml(text, source)
