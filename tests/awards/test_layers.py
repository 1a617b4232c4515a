"""Imports run downwards only (DESIGN.md, Layout): each package of `src/awards` sits in a
layer, and may import its own layer's packages (never in a cycle) and the layers below.
`api` and `web` never import each other. A new package must be placed here."""

from __future__ import annotations

import ast
from collections import defaultdict

from conftest import ROOT

SOURCE = ROOT / "src" / "awards"
LAYERS: tuple[frozenset[str], ...] = (
    frozenset({"errors"}),
    frozenset({"clock", "settings", "vocabulary", "urls", "formats"}),
    frozenset({"db", "storage"}),
    frozenset({"kinds", "audit"}),
    frozenset({"transitions"}),
    frozenset(
        {
            "auth",
            "calls",
            "commitments",
            "databank",
            "jury",
            "members",
            "notify",
            "ops",
            "privacy",
            "submissions",
            "timers",
        }
    ),
    frozenset({"http"}),
    frozenset({"api", "web"}),
    frozenset({"assembly", "app", "demo", "cli"}),
)
"""From the bottom up: `transitions` (the state-change core) imports no feature; features
import no HTTP package; only the top knows every package."""
APART = frozenset({("api", "web"), ("web", "api"), ("calls", "databank"), ("calls", "privacy")})
"""Packages of one layer that must not import each other at all: the JSON API and the pages;
calls, which every feature builds on, and the features that publish or purge their results."""


def layer_of(package: str) -> int:
    return next(index for index, layer in enumerate(LAYERS) if package in layer)


def imports_between_packages() -> dict[tuple[str, str], list[str]]:
    """(importer, imported) -> the places, `file:line module`."""
    found: dict[tuple[str, str], list[str]] = defaultdict(list)
    for path in sorted(SOURCE.rglob("*.py")):
        where = path.relative_to(SOURCE)
        if "migrations" in where.parts:
            continue  # Alembic's scripts run apart, against a frozen past
        importer = where.parts[0] if len(where.parts) > 1 else where.stem
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in names:
                parts = name.split(".")
                if parts[0] == "awards" and len(parts) > 1 and parts[1] != importer:
                    found[(importer, parts[1])].append(f"{where}:{node.lineno} {name}")
    return found


def test_every_package_has_a_layer() -> None:
    packages = {
        path.stem if path.is_file() else path.name
        for path in SOURCE.iterdir()
        if path.suffix == ".py" or (path / "__init__.py").is_file()
    } - {"__init__"}

    assert sorted(packages - set().union(*LAYERS)) == []


def test_imports_run_downwards_only() -> None:
    upward = [
        f"{place} ({importer} may not import {imported})"
        for (importer, imported), places in imports_between_packages().items()
        for place in places
        if layer_of(imported) > layer_of(importer) or (importer, imported) in APART
    ]

    assert upward == []


def test_packages_of_one_layer_import_each_other_without_a_cycle() -> None:
    sideways: dict[str, set[str]] = defaultdict(set)
    for importer, imported in imports_between_packages():
        if layer_of(importer) == layer_of(imported):
            sideways[importer].add(imported)

    def cycle_from(start: str, path: tuple[str, ...]) -> tuple[str, ...] | None:
        for step in sorted(sideways[path[-1]]):
            if step == start:
                return (*path, step)
            if step not in path and (found := cycle_from(start, (*path, step))):
                return found
        return None

    cycles = [
        " -> ".join(found) for start in sorted(sideways) if (found := cycle_from(start, (start,)))
    ]

    assert cycles == []
