"""The commitments pages' words (`awards.commitments`), in en, fr, es and pt: merged into
each language's catalogue, kept apart so each language file stays one screenful per feature.
`commitments.refused.<code>` says a refused step (`awards.commitments.refusals`)."""

from __future__ import annotations

from awards.commitments.refusals import REFUSALS

MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        "commitments.title": "After the decision",
        "commitments.done": "Recorded.",
        "commitments.expected": "What is expected, and when",
        "commitments.what": "What",
        "commitments.due": "Due on",
        "commitments.state": "State",
        "commitments.late": "late",
        "commitments.state.due": "to send",
        "commitments.state.signed": "signed",
        "commitments.state.sent": "sent, awaiting the Secretariat",
        "commitments.state.returned": "returned for changes",
        "commitments.state.accepted": "accepted",
        "commitments.returned_because": "Returned because:",
        "commitments.accept_intro": (
            "By accepting, you sign the agreement in the name of your organisation; "
            "your name and the time are kept."
        ),
        "commitments.accept": "Accept and sign the agreement",
        "commitments.baseline_target": "Baseline {baseline}, target {target}",
        "commitments.send": "Send the report",
        "commitments.payments": "What was paid",
        "commitments.instalment": "Instalment",
        "commitments.amount": "Amount",
        "commitments.after": "Paid after",
        "commitments.paid": "Paid on",
        "commitments.not_paid": "not paid yet",
        "commitments.after_report": "{report} accepted",
        "commitments.after_agreement": "the agreement signed",
        "commitments.follow_title": "Laureates' commitments",
        "commitments.export": "Payments for the accountants (CSV)",
        "commitments.actions": "Actions",
        "commitments.accept_report": "Accept",
        "commitments.return_report": "Return for changes",
        "commitments.new_due": "New due date",
        "commitments.extend": "Extend",
        "commitments.paid_on": "paid on {day}, reference {reference}",
        "commitments.reference": "Reference",
        "commitments.record_payment": "Record the payment",
        "commitments.none": "No laureate has commitments in this call yet.",
        "commitments.totals": "Totals",
        "commitments.category": "Category",
        "commitments.planned": "Planned",
        "commitments.whole_call": "Whole call",
        "commitments.indicators": "Indicators across laureates",
        "commitments.no_values": "No report has given a value yet.",
        "commitments.link": "Commitments after the decision",
        **{f"commitments.refused.{code}": text for code, text in REFUSALS.items()},
    },
    "fr": {
        "commitments.title": "Après la décision",
        "commitments.done": "C'est enregistré.",
        "commitments.expected": "Ce qui est attendu, et quand",
        "commitments.what": "Quoi",
        "commitments.due": "Échéance",
        "commitments.state": "État",
        "commitments.late": "en retard",
        "commitments.state.due": "à envoyer",
        "commitments.state.signed": "signée",
        "commitments.state.sent": "envoyé, en attente du Secrétariat",
        "commitments.state.returned": "renvoyé pour modifications",
        "commitments.state.accepted": "accepté",
        "commitments.returned_because": "Renvoyé parce que :",
        "commitments.accept_intro": (
            "En acceptant, vous signez la convention au nom de votre organisation ; "
            "votre nom et l'heure sont conservés."
        ),
        "commitments.accept": "Accepter et signer la convention",
        "commitments.baseline_target": "Situation de départ {baseline}, cible {target}",
        "commitments.send": "Envoyer le rapport",
        "commitments.payments": "Ce qui a été versé",
        "commitments.instalment": "Tranche",
        "commitments.amount": "Montant",
        "commitments.after": "Versée après",
        "commitments.paid": "Versée le",
        "commitments.not_paid": "pas encore versée",
        "commitments.after_report": "{report} accepté",
        "commitments.after_agreement": "la convention signée",
        "commitments.follow_title": "Engagements des lauréats",
        "commitments.export": "Versements pour la comptabilité (CSV)",
        "commitments.actions": "Actions",
        "commitments.accept_report": "Accepter",
        "commitments.return_report": "Renvoyer pour modifications",
        "commitments.new_due": "Nouvelle échéance",
        "commitments.extend": "Reporter",
        "commitments.paid_on": "versée le {day}, référence {reference}",
        "commitments.reference": "Référence",
        "commitments.record_payment": "Enregistrer le versement",
        "commitments.none": "Aucun lauréat n'a encore d'engagements dans cet appel.",
        "commitments.totals": "Totaux",
        "commitments.category": "Catégorie",
        "commitments.planned": "Prévu",
        "commitments.whole_call": "Tout l'appel",
        "commitments.indicators": "Indicateurs des lauréats",
        "commitments.no_values": "Aucun rapport n'a encore donné de valeur.",
        "commitments.link": "Engagements après la décision",
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
        "commitments.title": "Después de la decisión",
        "commitments.done": "Registrado.",
        "commitments.expected": "Qué se espera, y cuándo",
        "commitments.what": "Qué",
        "commitments.due": "Vence el",
        "commitments.state": "Estado",
        "commitments.late": "con retraso",
        "commitments.state.due": "por enviar",
        "commitments.state.signed": "firmado",
        "commitments.state.sent": "enviado, pendiente de la Secretaría",
        "commitments.state.returned": "devuelto para cambios",
        "commitments.state.accepted": "aceptado",
        "commitments.returned_because": "Devuelto porque:",
        "commitments.accept_intro": (
            "Al aceptar, firma el convenio en nombre de su organización; "
            "se conservan su nombre y la hora."
        ),
        "commitments.accept": "Aceptar y firmar el convenio",
        "commitments.baseline_target": "Valor de partida {baseline}, meta {target}",
        "commitments.send": "Enviar el informe",
        "commitments.payments": "Lo que se ha pagado",
        "commitments.instalment": "Pago",
        "commitments.amount": "Importe",
        "commitments.after": "Se paga después de",
        "commitments.paid": "Pagado el",
        "commitments.not_paid": "aún no pagado",
        "commitments.after_report": "{report} aceptado",
        "commitments.after_agreement": "el convenio firmado",
        "commitments.follow_title": "Compromisos de los galardonados",
        "commitments.export": "Pagos para contabilidad (CSV)",
        "commitments.actions": "Acciones",
        "commitments.accept_report": "Aceptar",
        "commitments.return_report": "Devolver para cambios",
        "commitments.new_due": "Nuevo plazo",
        "commitments.extend": "Aplazar",
        "commitments.paid_on": "pagado el {day}, referencia {reference}",
        "commitments.reference": "Referencia",
        "commitments.record_payment": "Registrar el pago",
        "commitments.none": "Ningún galardonado tiene aún compromisos en esta convocatoria.",
        "commitments.totals": "Totales",
        "commitments.category": "Categoría",
        "commitments.planned": "Previsto",
        "commitments.whole_call": "Toda la convocatoria",
        "commitments.indicators": "Indicadores de los galardonados",
        "commitments.no_values": "Ningún informe ha dado aún un valor.",
        "commitments.link": "Compromisos tras la decisión",
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
        "commitments.title": "Depois da decisão",
        "commitments.done": "Registado.",
        "commitments.expected": "O que é esperado, e quando",
        "commitments.what": "O quê",
        "commitments.due": "Prazo",
        "commitments.state": "Estado",
        "commitments.late": "em atraso",
        "commitments.state.due": "por enviar",
        "commitments.state.signed": "assinado",
        "commitments.state.sent": "enviado, a aguardar o Secretariado",
        "commitments.state.returned": "devolvido para alterações",
        "commitments.state.accepted": "aceite",
        "commitments.returned_because": "Devolvido porque:",
        "commitments.accept_intro": (
            "Ao aceitar, assina o acordo em nome da sua organização; "
            "o seu nome e a hora ficam registados."
        ),
        "commitments.accept": "Aceitar e assinar o acordo",
        "commitments.baseline_target": "Valor de partida {baseline}, meta {target}",
        "commitments.send": "Enviar o relatório",
        "commitments.payments": "O que foi pago",
        "commitments.instalment": "Prestação",
        "commitments.amount": "Montante",
        "commitments.after": "Paga depois de",
        "commitments.paid": "Paga a",
        "commitments.not_paid": "ainda não paga",
        "commitments.after_report": "{report} aceite",
        "commitments.after_agreement": "o acordo assinado",
        "commitments.follow_title": "Compromissos dos laureados",
        "commitments.export": "Pagamentos para a contabilidade (CSV)",
        "commitments.actions": "Ações",
        "commitments.accept_report": "Aceitar",
        "commitments.return_report": "Devolver para alterações",
        "commitments.new_due": "Novo prazo",
        "commitments.extend": "Adiar",
        "commitments.paid_on": "paga a {day}, referência {reference}",
        "commitments.reference": "Referência",
        "commitments.record_payment": "Registar o pagamento",
        "commitments.none": "Nenhum laureado tem ainda compromissos nesta convocatória.",
        "commitments.totals": "Totais",
        "commitments.category": "Categoria",
        "commitments.planned": "Previsto",
        "commitments.whole_call": "Toda a convocatória",
        "commitments.indicators": "Indicadores dos laureados",
        "commitments.no_values": "Nenhum relatório deu ainda um valor.",
        "commitments.link": "Compromissos após a decisão",
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
