"""The commitments pages' words (`awards.commitments`), in en, fr, es and pt: merged into
each language's catalogue, kept apart so each language file stays one screenful per feature.
`commitments.refused.<code>` says a refused step (`awards.commitments.refusals`)."""

from __future__ import annotations

from awards.commitments.refusals import REFUSALS

MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        **{f"commitments.refused.{code}": text for code, text in REFUSALS.items()},
    },
    "fr": {
        "commitments.refused.instalment_already_paid": (
            "la tranche {instalment} a déjà été versée le {paid_on}"
        ),
        "commitments.refused.instalment_condition_unmet": (
            "la tranche {instalment} ne peut être versée qu'après : {condition}"
        ),
        "commitments.refused.paid_before_condition": (
            "la tranche {instalment} ne peut pas avoir été versée le {paid_on}, avant "
            "{condition} le {met_on}"
        ),
        "commitments.refused.amount_differs": (
            "la tranche {instalment} est de {planned} {currency}, pas de {amount} {currency}"
        ),
        "commitments.refused.not_due": "{obligation} est {state} : rien à envoyer",
        "commitments.refused.not_sent": "{obligation} est {state} : rien à accepter ni à renvoyer",
    },
    "es": {
        "commitments.refused.instalment_already_paid": (
            "el pago {instalment} ya se abonó el {paid_on}"
        ),
        "commitments.refused.instalment_condition_unmet": (
            "el pago {instalment} solo puede abonarse después de: {condition}"
        ),
        "commitments.refused.paid_before_condition": (
            "el pago {instalment} no puede haberse abonado el {paid_on}, antes de {condition} "
            "el {met_on}"
        ),
        "commitments.refused.amount_differs": (
            "el pago {instalment} es de {planned} {currency}, no de {amount} {currency}"
        ),
        "commitments.refused.not_due": "{obligation} está {state}: no hay nada que enviar",
        "commitments.refused.not_sent": (
            "{obligation} está {state}: no hay nada que aceptar ni devolver"
        ),
    },
    "pt": {
        "commitments.refused.instalment_already_paid": (
            "a prestação {instalment} já foi paga a {paid_on}"
        ),
        "commitments.refused.instalment_condition_unmet": (
            "a prestação {instalment} só pode ser paga depois de: {condition}"
        ),
        "commitments.refused.paid_before_condition": (
            "a prestação {instalment} não pode ter sido paga a {paid_on}, antes de {condition} "
            "a {met_on}"
        ),
        "commitments.refused.amount_differs": (
            "a prestação {instalment} é de {planned} {currency}, não de {amount} {currency}"
        ),
        "commitments.refused.not_due": "{obligation} está {state}: não há nada a enviar",
        "commitments.refused.not_sent": (
            "{obligation} está {state}: não há nada a aceitar nem a devolver"
        ),
    },
}
