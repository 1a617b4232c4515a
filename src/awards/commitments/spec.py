"""A call kind's `commitments:` section: what a laureate owes and is owed after the decision.

```yaml
commitments:
  on_fulfilled: complete               # optional: the transition the last acceptance fires
  reminders: {before_days: [14, 3]}   # and on the day; the Secretariat is told when late
  agreement:                           # optional
    signature: accept                  # accept on the page, or `upload` the signed document
    due_days: 30                       # after the decision
    label: {fr: Convention de subvention, en: Grant agreement}
  indicators:
    - {name: women_trained, unit: {fr: femmes, en: women}, baseline: 0, target: 400,
       label: {fr: Femmes formées, en: Women trained}}
  reports:
    - name: interim
      due_months: 6                    # or due_days
      label: {fr: Rapport intermédiaire, en: Interim report}
      form: [...]                      # fields, as a kind's form
      indicators: [women_trained]
  payments:
    currency: EUR
    amount: "30000.00"                 # each laureate; or `amounts: {category: "..."}`
    instalments:
      - {name: first, percent: 50, after: agreement}
      - {name: second, percent: 50, after: "report:interim"}
```

The section names no kind: any kind (a prize, a scholarship, pilot projects) declares its own,
and its decision transition opens them with the effect `commitments:open`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from awards.clock import months_after
from awards.errors import ConfigurationError
from awards.kinds.forms import Form
from awards.kinds.kind import CallKind
from awards.kinds.loader import parse_form
from awards.kinds.sections import Outline
from awards.kinds.yaml_nodes import mapping, require, texts
from awards.vocabulary import EffectKind
from workflows import LocatedDict

SECTION = "commitments"
OPEN = "open"
"""The argument of the effect that opens them: `commitments:open`."""
AGREEMENT = "agreement"
"""The name of the agreement among a laureate's obligations, and of the condition on it."""
REPORT_CONDITION = "report:"
CENT = Decimal("0.01")
NAME_LENGTH = 24
"""Names go into audit entries' change names (`remind:<name>:<day>:<stage>`)."""


class Signature(StrEnum):
    ACCEPT = "accept"
    """The laureate accepts the agreement on its page."""
    UPLOAD = "upload"
    """The laureate downloads, signs and uploads it."""


@dataclass(frozen=True)
class Due:
    """When something falls due after the decision, counted in the call's time zone."""

    months: int = 0
    days: int = 0

    def after(self, decided_on: date) -> date:
        return months_after(decided_on, self.months) + timedelta(days=self.days)


@dataclass(frozen=True)
class AgreementSpec:
    signature: Signature
    due: Due
    label: Mapping[str, str]


@dataclass(frozen=True)
class Indicator:
    name: str
    label: Mapping[str, str]
    unit: Mapping[str, str]
    baseline: Decimal
    target: Decimal


@dataclass(frozen=True)
class ReportSpec:
    name: str
    due: Due
    label: Mapping[str, str]
    form: Form
    indicators: tuple[str, ...]


@dataclass(frozen=True)
class Instalment:
    name: str
    percent: Decimal
    after: str
    """`agreement` (signed) or `report:<name>` (accepted)."""


@dataclass(frozen=True)
class PaymentsSpec:
    currency: str
    amount: Decimal | None
    """What each laureate receives, or None when it depends on the category."""
    amounts: Mapping[str, Decimal]
    instalments: tuple[Instalment, ...]

    def total_for(self, category: str | None) -> Decimal | None:
        """The laureate's grant; None when its category carries none."""
        if self.amount is not None:
            return self.amount
        return self.amounts.get(category or "")

    def planned(self, category: str | None) -> dict[str, Decimal]:
        """Each instalment's amount, to the cent; the last takes the rounding remainder so
        they add up to the grant exactly."""
        total = self.total_for(category)
        if total is None:
            return {}
        amounts: dict[str, Decimal] = {}
        for instalment in self.instalments[:-1]:
            share = total * instalment.percent / 100
            amounts[instalment.name] = share.quantize(CENT, rounding=ROUND_DOWN)
        last = self.instalments[-1].name
        amounts[last] = total - sum(amounts.values(), Decimal(0))
        return amounts


@dataclass(frozen=True)
class Commitments:
    """What the section declares; `commitments_of(kind)` reads it back."""

    before_days: tuple[int, ...]
    agreement: AgreementSpec | None
    indicators: tuple[Indicator, ...]
    reports: tuple[ReportSpec, ...]
    payments: PaymentsSpec | None
    on_fulfilled: str | None = None
    """The submission's transition fired when every obligation is fulfilled."""
    opened_in: frozenset[str] = frozenset()
    """The states the decision that opens them leads to: reminders run while the submission
    stays there (not once it is discontinued, say)."""

    def report(self, name: str) -> ReportSpec | None:
        return next((report for report in self.reports if report.name == name), None)

    def indicator(self, name: str) -> Indicator | None:
        return next((item for item in self.indicators if item.name == name), None)


def commitments_section(node: LocatedDict | None, outline: Outline) -> Commitments | None:
    """The kind's `commitments:` section (`awards.kinds.sections`); None without one.

    The submission's transitions may name `commitments:open` only with a section to open.
    """
    for transition in outline.submission_workflow.transitions.values():
        for effect in transition.effects:
            if effect.kind != EffectKind.COMMITMENTS:
                continue
            if effect.argument != OPEN or node is None:
                raise ConfigurationError(
                    f"{outline.top.where('workflows')}: transition '{transition.name}': "
                    f"'{effect}' needs a commitments section, and opens them: "
                    f"'{EffectKind.COMMITMENTS}:{OPEN}'"
                )
    if node is None:
        return None
    opened_in = frozenset(
        transition.dest
        for transition in outline.submission_workflow.transitions.values()
        if any(effect.kind == EffectKind.COMMITMENTS for effect in transition.effects)
    )
    return replace(_parse(node, outline), opened_in=opened_in)


def commitments_of(kind: CallKind) -> Commitments | None:
    return kind.section(SECTION, Commitments)


KEYS = ("on_fulfilled", "reminders", "agreement", "indicators", "reports", "payments")


def _parse(spec: LocatedDict, outline: Outline) -> Commitments:
    _known(spec, KEYS, "commitments")
    languages = outline.languages
    reminders = mapping(spec.get("reminders", LocatedDict()), spec.where("reminders"), "reminders")
    before = tuple(reminders.get("before_days", [14]) or [])
    if any(not isinstance(days, int) or isinstance(days, bool) or days < 1 for days in before):
        raise ConfigurationError(
            f"{spec.where('reminders')}: before_days lists whole numbers of days from 1"
        )
    agreement = None
    if "agreement" in spec:
        node = mapping(spec["agreement"], spec.where("agreement"), "agreement")
        _known(node, ("signature", "due_days", "due_months", "label"), "agreement")
        try:
            signature = Signature(require(node, "signature", str))
        except ValueError:
            raise ConfigurationError(
                f"{node.where('signature')}: signature is {' or '.join(Signature)}"
            ) from None
        agreement = AgreementSpec(signature, _due(node), texts(node, "label", languages))
    indicators = tuple(
        _indicator(mapping(item, spec.where("indicators"), "an indicator"), languages)
        for item in spec.get("indicators", []) or []
    )
    known_indicators = {indicator.name for indicator in indicators}
    reports = tuple(
        _report(mapping(item, spec.where("reports"), "a report"), languages, known_indicators)
        for item in spec.get("reports", []) or []
    )
    _unique([report.name for report in reports] + [AGREEMENT], spec.where("reports"), "report")
    long = [report.name for report in reports if len(report.name) > NAME_LENGTH]
    if long:
        raise ConfigurationError(
            f"{spec.where('reports')}: a report's name has at most {NAME_LENGTH} characters"
        )
    _unique([indicator.name for indicator in indicators], spec.where("indicators"), "indicator")
    payments = None
    if "payments" in spec:
        node = mapping(spec["payments"], spec.where("payments"), "payments")
        conditions = {REPORT_CONDITION + report.name for report in reports}
        if agreement is not None:
            conditions.add(AGREEMENT)
        chooser = outline.form.field("category")
        categories = set(chooser.options) if chooser else set()
        payments = _payments(node, conditions, categories)
    on_fulfilled = spec.get("on_fulfilled")
    if on_fulfilled is not None and on_fulfilled not in outline.submission_workflow.transitions:
        raise ConfigurationError(
            f"{spec.where('on_fulfilled')}: '{on_fulfilled}' is no transition of the submission"
        )
    return Commitments(before, agreement, indicators, reports, payments, on_fulfilled)


def _known(node: LocatedDict, keys: tuple[str, ...], what: str) -> None:
    for key in node:
        if key not in keys:
            raise ConfigurationError(
                f"{node.where(key)}: unknown {what} key '{key}'; keys: {', '.join(keys)}"
            )


def _unique(names: list[str], where: str, what: str) -> None:
    seen = {name for name in names if names.count(name) > 1}
    if seen:
        raise ConfigurationError(f"{where}: {what} names must differ: {', '.join(sorted(seen))}")


def _due(node: LocatedDict) -> Due:
    values = {}
    for unit in ("months", "days"):
        key = f"due_{unit}"
        if key in node:
            value = require(node, key, int)
            if isinstance(value, bool) or value < 0:
                raise ConfigurationError(f"{node.where(key)}: '{key}' is a whole number")
            values[unit] = value
    if not values:
        raise ConfigurationError(f"{node.where()}: 'due_months' or 'due_days' is required")
    return Due(**values)


def _decimal(node: LocatedDict, key: str) -> Decimal:
    if key not in node:
        raise ConfigurationError(f"{node.where()}: '{key}' is required")
    value = node[key]
    if isinstance(value, float | bool) or not isinstance(value, int | str):
        raise ConfigurationError(f"{node.where(key)}: quote '{key}' (\"30000.00\"): never a float")
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise ConfigurationError(f"{node.where(key)}: '{key}' is not a number") from None


def _indicator(node: LocatedDict, languages: tuple[str, ...]) -> Indicator:
    _known(node, ("name", "label", "unit", "baseline", "target"), "indicator")
    return Indicator(
        name=require(node, "name", str),
        label=texts(node, "label", languages),
        unit=texts(node, "unit", languages),
        baseline=_decimal(node, "baseline"),
        target=_decimal(node, "target"),
    )


def _report(node: LocatedDict, languages: tuple[str, ...], indicators: set[str]) -> ReportSpec:
    _known(node, ("name", "label", "due_months", "due_days", "form", "indicators"), "report")
    named = tuple(node.get("indicators", []) or [])
    unknown = sorted(set(named) - indicators)
    if unknown:
        raise ConfigurationError(f"{node.where('indicators')}: unknown indicator {unknown[0]}")
    return ReportSpec(
        name=require(node, "name", str),
        due=_due(node),
        label=texts(node, "label", languages),
        form=parse_form(node.get("form", []) or [], languages),
        indicators=named,
    )


def _payments(node: LocatedDict, conditions: set[str], categories: set[str]) -> PaymentsSpec:
    _known(node, ("currency", "amount", "amounts", "instalments"), "payments")
    currency = require(node, "currency", str)
    if len(currency) != 3 or not currency.isupper():
        raise ConfigurationError(f"{node.where('currency')}: an ISO 4217 code such as EUR")
    amount = _decimal(node, "amount") if "amount" in node else None
    amounts: dict[str, Decimal] = {}
    if "amounts" in node:
        per_category = mapping(node["amounts"], node.where("amounts"), "amounts")
        for category in per_category:
            if category not in categories:
                raise ConfigurationError(f"{per_category.where(category)}: unknown category")
            amounts[category] = _decimal(per_category, category)
    if (amount is None) == (not amounts):
        raise ConfigurationError(f"{node.where()}: give either 'amount' or 'amounts'")
    items: list[Any] = require(node, "instalments", list)
    instalments = tuple(
        _instalment(mapping(item, node.where("instalments"), "an instalment"), conditions)
        for item in items
    )
    if not instalments or sum(item.percent for item in instalments) != 100:
        raise ConfigurationError(f"{node.where('instalments')}: the percents add up to 100")
    _unique([item.name for item in instalments], node.where("instalments"), "instalment")
    return PaymentsSpec(currency, amount, amounts, instalments)


def _instalment(node: LocatedDict, conditions: set[str]) -> Instalment:
    _known(node, ("name", "percent", "after"), "instalment")
    after = require(node, "after", str)
    if after not in conditions:
        raise ConfigurationError(
            f"{node.where('after')}: an instalment comes after one of "
            f"{', '.join(sorted(conditions))}"
        )
    return Instalment(require(node, "name", str), _decimal(node, "percent"), after)
