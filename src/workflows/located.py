"""YAML that remembers where each mapping came from, so definition errors can name a line."""

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


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_located(text: str, *, source: str) -> Any:
    """Parse YAML text; every mapping in the result is a `LocatedDict`."""
    loader = _Loader(text)
    loader.source = source
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def load_located_file(path: Path) -> Any:
    """Parse a YAML file; see `load_located`."""
    return load_located(path.read_text(encoding="utf-8"), source=str(path))
