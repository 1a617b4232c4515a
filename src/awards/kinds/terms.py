"""A kind's `terms:`: its own labels, per language, of the names it brings (its states,
transitions, jury rounds), so that a new kind reads in every language without the pages'
catalogue knowing its names. The catalogue still names what a kind leaves out."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from awards.errors import ConfigurationError
from awards.kinds.yaml_nodes import mapping, texts
from workflows import LocatedDict


def parse_terms(
    node: LocatedDict | None,
    *,
    names: Mapping[str, Collection[str]],
    languages: tuple[str, ...],
) -> dict[str, dict[str, dict[str, str]]]:
    """`{family: {name: {language: label}}}` from `terms:` (None when absent).

    Args:
        names: the names the kind has in each family it may label (`round`: its rounds).
        languages: the kind's languages, each of which every label is written in.
    """
    if node is None:
        return {}
    parsed: dict[str, dict[str, dict[str, str]]] = {}
    for family in node:
        if family not in names:
            raise ConfigurationError(
                f"{node.where(family)}: terms: unknown family '{family}'; "
                f"families: {', '.join(names)}"
            )
        labels = mapping(node[family], node.where(family), f"terms.{family}")
        for name in labels:
            if name not in names[family]:
                raise ConfigurationError(
                    f"{labels.where(name)}: terms: the kind has no {family} '{name}'"
                )
        parsed[str(family)] = {str(name): texts(labels, name, languages) for name in labels}
    return parsed
