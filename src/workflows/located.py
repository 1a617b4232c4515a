"""YAML that remembers where each mapping came from, so definition errors can name a line.

A file may take a value from another with `!include path` (relative to the including file):
a list several definitions share is written once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from workflows.errors import WorkflowDefinitionError


class LocatedDict(dict[str, Any]):
    """A YAML mapping with the file and 1-based line it starts on."""

    source: str = "<unknown>"
    line: int = 0

    def where(self, key: str | None = None) -> str:
        """`file:line` of this mapping, or of one of its keys when known."""
        line = self.key_lines.get(key, self.line) if key is not None else self.line
        return f"{self.source}:{line}"

    @property
    def key_lines(self) -> dict[str, int]:
        lines: dict[str, int] = self.__dict__.setdefault("_key_lines", {})
        return lines


class _Loader(yaml.SafeLoader):
    source = "<string>"
    including: tuple[Path, ...] = ()
    """The files being read, outermost first: an include of one of them would never end."""


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LocatedDict:
    mapping = LocatedDict()
    mapping.source = loader.source
    mapping.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if key in mapping:
            raise WorkflowDefinitionError(f"{loader.source}:{line}", f"duplicate key '{key}'")
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = line
    return mapping


def _construct_include(loader: _Loader, node: yaml.Node) -> Any:
    where = f"{loader.source}:{node.start_mark.line + 1}"
    if not loader.including:
        raise WorkflowDefinitionError(where, "!include is read relative to a file")
    name = loader.construct_scalar(node) if isinstance(node, yaml.ScalarNode) else ""
    if not name:
        raise WorkflowDefinitionError(where, "!include names a file")
    path = (loader.including[-1].parent / name).resolve()
    if path in loader.including:
        raise WorkflowDefinitionError(where, f"!include {name} includes itself")
    if not path.is_file():
        raise WorkflowDefinitionError(where, f"!include {name}: no such file")
    return _load(path.read_text(encoding="utf-8"), str(path), (*loader.including, path))


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor("!include", _construct_include)


def _load(text: str, source: str, including: tuple[Path, ...]) -> Any:
    loader = _Loader(text)
    loader.source = source
    loader.including = including
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def load_located(text: str, *, source: str) -> Any:
    """Parse YAML text; every mapping in the result is a `LocatedDict`."""
    return _load(text, source, ())


def load_located_file(path: Path) -> Any:
    """Parse a YAML file, its `!include`s read relative to it; see `load_located`."""
    return _load(path.read_text(encoding="utf-8"), str(path), (path.resolve(),))
