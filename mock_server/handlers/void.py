"""The contract's operation: void an invoice payment."""
import connexion.context

from .. import auth, idempotency, representations, request_body, stripe_gateway, void


def coa_api_v1_invoice_payment_void_create(state, invoice_id, payment_id):
    organization_id = auth.organization_id()
    key = connexion.context.request.headers.get("Idempotency-Key")
    fingerprint = f"POST void invoice={invoice_id} payment={payment_id}"
    try:
        with state.ledger.transaction() as db:
            replayed = key and idempotency.replay(db, organization_id, key, fingerprint)
            if replayed:
                return replayed
            voided = void.void_payment(db, state.clock, state.gateway, organization_id, invoice_id, payment_id,
                                       request_body.data)
            body = representations.payment(db, voided)
            if key:
                idempotency.remember(db, organization_id, key, fingerprint, body, state.clock.timestamp())
            return body
    except stripe_gateway.RefundFailed as failure:
        with state.ledger.transaction() as db:
            stripe_gateway.record_failure(db, state.clock, failure)
        raise
