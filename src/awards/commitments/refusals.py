"""Why the Secretariat or a laureate is refused a step of the commitments: a stable code the
pages translate (`commitments.refused.<code>`), the values it names and its English text."""

from __future__ import annotations

from awards.errors import Conflict

REFUSALS: dict[str, str] = {
    "instalment_already_paid": "instalment {instalment} was already paid on {paid_on}",
    "instalment_condition_unmet": "instalment {instalment} can be paid only after {condition}",
    "paid_before_condition": (
        "instalment {instalment} cannot have been paid on {paid_on}, before {condition} on {met_on}"
    ),
    "amount_differs": "instalment {instalment} is {planned} {currency}, not {amount} {currency}",
    "not_due": "{obligation} is {state}: there is nothing to send",
    "not_sent": "{obligation} is {state}: there is nothing to accept or return",
    "commitments_ended": "the commitments of submission {submission} have ended",
}
"""The English text of each code."""


class CommitmentRefused(Conflict):
    """A step refused with `code`: `extra` carries the code, its values and the English text."""

    def __init__(self, subject: str, code: str, **params: object) -> None:
        values = {name: str(value) for name, value in params.items()}
        english = REFUSALS[code].format_map(values)
        super().__init__(
            f"{subject}: {english}", extra={"code": code, "reason": english, "values": values}
        )
        self.code = code
        self.values = values
