"""A kind's `commitments:` section: what the shipped prize declares, and the faults that stop
a kind's file at load naming file and line."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from awards.assembly import load_kind
from awards.commitments.spec import Due, Instalment, PaymentsSpec, commitments_of
from awards.errors import ConfigurationError
from conftest import ROOT

PRIZE = ROOT / "config" / "calls" / "aimf-gender-equality-prize.yaml"


def test_the_equality_prize_owes_an_agreement_two_reports_and_two_instalments() -> None:
    spec = commitments_of(load_kind(PRIZE))

    assert spec is not None and spec.agreement is not None and spec.payments is not None
    assert spec.agreement.due == Due(days=30)
    assert [(r.name, r.due, r.indicators) for r in spec.reports] == [
        ("interim", Due(months=6), ("women_reached", "grant_spent")),
        ("final", Due(months=12), ("women_reached", "grant_spent")),
    ]
    assert spec.payments.planned("local_authorities") == {
        "first": Decimal("18000.00"),
        "second": Decimal("12000.00"),
    }


def test_instalments_add_up_to_the_grant_to_the_cent() -> None:
    thirds = PaymentsSpec(
        "EUR",
        Decimal("100.00"),
        {},
        (
            Instalment("a", Decimal("33.333"), "agreement"),
            Instalment("b", Decimal("33.333"), "agreement"),
            Instalment("c", Decimal("33.334"), "agreement"),
        ),
    )

    assert thirds.planned(None) == {
        "a": Decimal("33.33"),
        "b": Decimal("33.33"),
        "c": Decimal("33.34"),
    }


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        (
            'after: "report:interim"',
            'after: "report:midway"',
            "an instalment comes after one of agreement, report:final, report:interim",
        ),
        ('amount: "30000.00"', "amount: 30000.50", "quote 'amount' (\"30000.00\"): never a float"),
        ("percent: 40", "percent: 30", "the percents add up to 100"),
        ("signature: accept", "signature: fax", "signature is accept or upload"),
        (
            "indicators: [women_reached, grant_spent]\n      form:\n        - name: progress",
            "indicators: [women_helped]\n      form:\n        - name: progress",
            "unknown indicator women_helped",
        ),
    ],
)
def test_a_broken_commitments_section_fails_at_load_naming_file_and_line(
    tmp_path: Path, old: str, new: str, problem: str
) -> None:
    text = PRIZE.read_text(encoding="utf-8")
    assert old in text
    broken = tmp_path / PRIZE.name
    broken.write_text(text.replace(old, new, 1), encoding="utf-8")

    with pytest.raises(ConfigurationError) as failed:
        load_kind(broken)

    assert problem in str(failed.value)
    assert f"{broken}:" in str(failed.value)


def test_opening_commitments_without_a_section_fails_at_load(tmp_path: Path) -> None:
    text = PRIZE.read_text(encoding="utf-8")
    broken = tmp_path / PRIZE.name
    broken.write_text(text[: text.index("\ncommitments:")] + "\n", encoding="utf-8")

    with pytest.raises(ConfigurationError) as failed:
        load_kind(broken)

    assert "transition 'award': 'commitments:open' needs a commitments section" in str(failed.value)
