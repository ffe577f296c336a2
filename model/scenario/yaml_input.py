"""Parsing YAML input within bounds: every failure is a message with a place, never a crash.

Scenario files, sweep files and `--set` values all go through `parse_yaml`, so no YAML
input can end in a traceback or exhaust the machine: impossible dates (2024-02-30), keys
that are lists or mappings, repeated keys, nesting deeper than `MAX_DEPTH` (instead of a
RecursionError), aliases that expand to more than `MAX_NODES` nodes or refer to
themselves, and files above `MAX_BYTES` are refused with the line where it happens.
libyaml scans and parses when it is installed (about three times faster); composing the
document stays in Python, where the depth is counted.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import CollectionNode, MappingNode, Node
from yaml.resolver import Resolver

MAX_BYTES = 1_000_000
"""Largest input file: 1 MB parses in a few seconds (shipped scenarios are under 10 KB)."""
MAX_DEPTH = 32
"""Deepest nesting of lists and mappings (a scenario needs 5 levels)."""
MAX_NODES = 1_000_000
"""Most values a document may hold once its aliases are expanded (a 1 MB file holds less)."""
MERGE_TAG = "tag:yaml.org,2002:merge"

try:  # libyaml's scanner and parser; Python's composer (depth counted) and constructor
    from yaml.cyaml import CParser

    class _Events(CParser):
        """libyaml's event stream."""

        def __init__(self, text: str) -> None:
            CParser.__init__(self, text)

except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Events(Reader, Scanner, Parser):  # type: ignore[no-redef]
        """PyYAML's own event stream."""

        def __init__(self, text: str) -> None:
            Reader.__init__(self, text)
            Scanner.__init__(self)
            Parser.__init__(self)


class YamlInputError(Exception):
    """YAML that cannot be used: where (line and column, or ''), what is wrong, and whether
    it is malformed (not YAML at all) rather than YAML beyond what we accept."""

    def __init__(self, where: str, message: str, malformed: bool = False):
        self.where, self.message, self.malformed = where, message, malformed
        super().__init__(f"{where}: {message}" if where else message)


def _shown(value: Any, limit: int = 40) -> str:
    """A short rendering of a key or scalar for a message (long input is cut)."""
    text = str(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


class _Loader(Composer, _Events, SafeConstructor, Resolver):
    """Safe loader that counts depth while composing and refuses what would break later."""

    def __init__(self, text: str) -> None:
        _Events.__init__(self, text)
        Composer.__init__(self)
        SafeConstructor.__init__(self)
        Resolver.__init__(self)
        self.depth = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node:
        """Compose one node, refusing nesting deeper than MAX_DEPTH before recursing."""
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                mark = self.peek_event().start_mark
                raise yaml.composer.ComposerError(
                    None, None, f"nested deeper than {MAX_DEPTH} levels", mark
                )
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict:
        """Build a mapping whose keys are plain values, each given once."""
        seen: set = set()
        for key_node, _ in node.value:
            if key_node.tag == MERGE_TAG:
                continue
            key = self.construct_object(key_node, deep=True)
            try:
                repeated = key in seen
            except TypeError:
                raise ConstructorError(
                    None, None, "a key must be a name or a number, not a list or mapping",
                    key_node.start_mark,
                ) from None  # fmt: skip
            if repeated:
                raise ConstructorError(
                    None, None, f"key '{_shown(key)}' appears twice", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_timestamp(self, node: Node) -> Any:
        """A date or time, or a clear error for an impossible one (2024-02-30)."""
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError) as exc:
            raise ConstructorError(
                None, None, f"'{_shown(node.value)}' is not a real date ({exc})", node.start_mark
            ) from None

    def construct_yaml_int(self, node: Node) -> int:
        """A whole number, or a clear error for one with thousands of digits."""
        try:
            return super().construct_yaml_int(node)
        except ValueError:
            raise ConstructorError(
                None, None, f"a whole number of {len(node.value):,} characters is too long",
                node.start_mark,
            ) from None  # fmt: skip


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)
_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_yaml_int)


def _expanded_size(root: Node) -> int:
    """Values in the document with aliases expanded (depth bounded; no value inside itself)."""
    known: dict[int, tuple[int, int]] = {}  # node -> (values, height)
    open_: set[int] = set()

    def visit(node: Node, level: int) -> tuple[int, int]:
        key = id(node)
        if key in open_:
            raise YamlInputError(_mark(node), "an alias refers to a value that contains it")
        if key not in known:
            open_.add(key)
            total, height = 1, 1
            children = node.value if isinstance(node, CollectionNode) else []
            for child in children:
                for part in child if isinstance(child, tuple) else (child,):
                    values, below = visit(part, level + 1)
                    total, height = total + values, max(height, below + 1)
                if total > MAX_NODES:
                    break
            open_.discard(key)
            known[key] = (total, height)
        if level + known[key][1] - 1 > MAX_DEPTH:
            raise YamlInputError(
                _mark(node), f"nested deeper than {MAX_DEPTH} levels once aliases are expanded"
            )
        return known[key]

    return visit(root, 1)[0]


def _mark(node_or_error: Any) -> str:
    """`line L, column C` of a node or a YAML error, or ''."""
    mark = getattr(node_or_error, "start_mark", None) or getattr(
        node_or_error, "problem_mark", None
    )
    return f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""


def parse_yaml(text: str) -> Any:
    """Parse one YAML document within the bounds above, or raise YamlInputError."""
    if len(text) > MAX_BYTES:
        raise YamlInputError("", f"larger than {MAX_BYTES:,} characters")
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        if _expanded_size(node) > MAX_NODES:
            raise YamlInputError(
                "", f"holds more than {MAX_NODES:,} values once its aliases are expanded"
            )
        return loader.construct_document(node)
    except yaml.reader.ReaderError as exc:
        where = f"character {exc.position + 1}"
        raise YamlInputError(where, f"malformed YAML: {exc.reason}", True) from None
    except (ValueError, OverflowError, RecursionError):  # a value no constructor can hold
        raise YamlInputError("", "malformed YAML: a value cannot be read") from None
    except ConstructorError as exc:  # well-formed, but not a value we can hold
        raise YamlInputError(_mark(exc), f"malformed YAML: {_shown(exc.problem, 120)}") from None
    except yaml.YAMLError as exc:
        problem = getattr(exc, "problem", None) or "cannot be parsed"
        message = f"malformed YAML: {_shown(problem, 120)}"
        raise YamlInputError(_mark(exc), message, malformed=True) from None
    finally:
        loader.dispose()
