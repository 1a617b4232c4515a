"""Tests for `workflows.located`: YAML mappings that know their file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from workflows import LocatedDict, WorkflowDefinitionError, load_located, load_located_file

DOCUMENT = """\
# a comment, so the mapping starts on line 2
version: 1
states: [draft, submitted]
transitions:
  submit:
    from: draft
    to: submitted
  withdraw: {from: draft,
             to: submitted}
"""


def test_load_located_mapping_document_returns_located_dict_with_source_and_line() -> None:
    # Act
    node = load_located(DOCUMENT, source="kind.yaml")

    # Assert
    assert isinstance(node, LocatedDict)
    assert node.source == "kind.yaml"
    assert node.line == 2
    assert node.key_lines == {"version": 2, "states": 3, "transitions": 4}


def test_load_located_mapping_document_keeps_plain_values() -> None:
    # Act
    node = load_located(DOCUMENT, source="kind.yaml")

    # Assert
    assert node == {
        "version": 1,
        "states": ["draft", "submitted"],
        "transitions": {
            "submit": {"from": "draft", "to": "submitted"},
            "withdraw": {"from": "draft", "to": "submitted"},
        },
    }


def test_load_located_nested_mappings_are_located_on_their_own_lines() -> None:
    # Act
    node = load_located(DOCUMENT, source="kind.yaml")

    # Assert
    transitions = node["transitions"]
    submit = transitions["submit"]
    withdraw = transitions["withdraw"]
    assert isinstance(transitions, LocatedDict)
    assert isinstance(submit, LocatedDict)
    assert isinstance(withdraw, LocatedDict)
    assert (transitions.source, transitions.line) == ("kind.yaml", 5)
    assert transitions.key_lines == {"submit": 5, "withdraw": 8}
    assert (submit.source, submit.line) == ("kind.yaml", 6)
    assert submit.key_lines == {"from": 6, "to": 7}
    assert (withdraw.source, withdraw.line) == ("kind.yaml", 8)
    assert withdraw.key_lines == {"from": 8, "to": 9}


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        (None, "kind.yaml:2"),
        ("version", "kind.yaml:2"),
        ("states", "kind.yaml:3"),
        ("transitions", "kind.yaml:4"),
        ("no-such-key", "kind.yaml:2"),
    ],
)
def test_where_key_known_or_not_names_key_line_or_mapping_line(
    key: str | None, expected: str
) -> None:
    # Arrange
    node = load_located(DOCUMENT, source="kind.yaml")

    # Act
    where = node.where(key)

    # Assert
    assert where == expected


def test_where_without_argument_names_mapping_line() -> None:
    # Arrange
    node = load_located(DOCUMENT, source="kind.yaml")

    # Act
    where = node["transitions"].where()

    # Assert
    assert where == "kind.yaml:5"


def test_load_located_list_document_locates_mappings_inside_it() -> None:
    # Arrange
    text = "- name: a\n- name: b\n  size: 2\n"

    # Act
    node = load_located(text, source="list.yaml")

    # Assert
    assert node == [{"name": "a"}, {"name": "b", "size": 2}]
    assert [item.line for item in node] == [1, 2]
    assert node[1].key_lines == {"name": 2, "size": 3}
    assert node[1].where("size") == "list.yaml:3"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("just text\n", "just text"),
        ("42\n", 42),
        ("", None),
    ],
)
def test_load_located_scalar_or_empty_document_returns_plain_value(
    text: str, expected: object
) -> None:
    # Act
    node = load_located(text, source="scalar.yaml")

    # Assert
    assert node == expected


def test_load_located_duplicate_key_raises_at_second_occurrence() -> None:
    # Arrange
    text = "transitions:\n  go: {from: a, to: b}\n  back: {from: b, to: a}\n  go: {from: b}\n"

    # Act
    with pytest.raises(WorkflowDefinitionError) as caught:
        load_located(text, source="kind.yaml")

    # Assert
    assert caught.value.where == "kind.yaml:4"
    assert caught.value.problem == "duplicate key 'go'"
    assert str(caught.value) == "kind.yaml:4: duplicate key 'go'"


def test_load_located_duplicate_top_level_key_raises_at_second_occurrence() -> None:
    # Arrange
    text = "initial: a\nstates: [a]\ninitial: b\n"

    # Act
    with pytest.raises(WorkflowDefinitionError) as caught:
        load_located(text, source="kind.yaml")

    # Assert
    assert (caught.value.where, caught.value.problem) == ("kind.yaml:3", "duplicate key 'initial'")


def test_load_located_file_uses_path_as_source_and_reads_utf8(tmp_path: Path) -> None:
    # Arrange
    path = tmp_path / "prize.yaml"
    path.write_text("\ntitle: Ciutats educadores — prémio\nyear: 2025\n", encoding="utf-8")

    # Act
    node = load_located_file(path)

    # Assert
    assert node == {"title": "Ciutats educadores — prémio", "year": 2025}
    assert node.source == str(path)
    assert node.where("year") == f"{path}:3"


def test_located_dict_built_by_hand_has_unknown_location() -> None:
    # Arrange
    node = LocatedDict(a=1)

    # Act
    where = node.where("a")

    # Assert
    assert where == "<unknown>:0"
    assert node.key_lines == {}


def test_located_dict_key_lines_are_per_instance() -> None:
    # Arrange
    first = LocatedDict()
    second = LocatedDict()

    # Act
    first.key_lines["a"] = 7

    # Assert
    assert first.key_lines == {"a": 7}
    assert second.key_lines == {}


def test_include_reads_a_value_from_a_file_beside_the_including_one(tmp_path: Path) -> None:
    # Arrange
    (tmp_path / "lists").mkdir()
    (tmp_path / "lists" / "sizes.yaml").write_text("- {value: s}\n- {value: m}\n")
    kind = tmp_path / "kind.yaml"
    kind.write_text("field:\n  options: !include lists/sizes.yaml\n")

    # Act
    node = load_located_file(kind)

    # Assert
    options = node["field"]["options"]
    assert options == [{"value": "s"}, {"value": "m"}]
    assert options[1].where() == f"{(tmp_path / 'lists' / 'sizes.yaml').resolve()}:2"


@pytest.mark.parametrize(
    ("included", "fault"),
    [
        ("missing.yaml", "!include missing.yaml: no such file"),
        ("kind.yaml", "!include kind.yaml includes itself"),
        ("''", "!include names a file"),
    ],
)
def test_include_of_no_file_or_of_itself_names_the_line(
    tmp_path: Path, included: str, fault: str
) -> None:
    kind = tmp_path / "kind.yaml"
    kind.write_text(f"# options from a list\noptions: !include {included}\n")

    with pytest.raises(WorkflowDefinitionError) as error:
        load_located_file(kind)

    assert f"{kind}:2" in str(error.value)
    assert fault in str(error.value)


def test_include_in_text_without_a_file_is_refused() -> None:
    with pytest.raises(WorkflowDefinitionError, match="relative to a file"):
        load_located("options: !include lists/sizes.yaml\n", source="<text>")
