"""Reading call-kind YAML nodes: each fault names the file and line it is on."""

from __future__ import annotations

from typing import Any

from awards.errors import ConfigurationError
from workflows import LocatedDict


def texts(
    spec: LocatedDict, key: str, languages: tuple[str, ...], *, required: bool = True
) -> dict[str, str]:
    """A per-language text; every language of the kind must be there (invariant 8)."""
    if key not in spec and not required:
        return {}
    texts = mapping(require(spec, key, dict), spec.where(key), key)
    absent = [language for language in languages if not texts.get(language)]
    if absent:
        raise ConfigurationError(f"{spec.where(key)}: '{key}' has no text in {', '.join(absent)}")
    # `{en: A, B}` in YAML is two keys, `en` and `B: null`: quote texts with commas.
    stray = [str(name) for name, text in texts.items() if not isinstance(text, str)]
    if stray:
        raise ConfigurationError(
            f"{spec.where(key)}: '{key}' has a key without text: {', '.join(stray)} "
            "(quote a text that contains a comma)"
        )
    return dict(texts)


def require(spec: LocatedDict, key: str, kind: type) -> Any:
    if key not in spec:
        raise ConfigurationError(f"{spec.where()}: '{key}' is required")
    value = spec[key]
    if not isinstance(value, kind):
        raise ConfigurationError(f"{spec.where(key)}: '{key}' must be a {kind.__name__}")
    return value


def mapping(value: Any, where: str, what: str) -> LocatedDict:
    if not isinstance(value, LocatedDict):
        raise ConfigurationError(f"{where}: {what} must be a mapping")
    return value
