"""A tiny Campfire client: void an invoice payment, retrying when the answer is lost or the
server is unavailable. Send an Idempotency-Key so a retry cannot void twice."""

import time

import httpx

RETRY_STATUSES = {429, 502, 503, 504}


def void_payment(base_url, token, invoice_id, payment_id, idempotency_key=None, attempts=4, pause=0.05):
    headers = {"Authorization": f"Token {token}", **({"Idempotency-Key": idempotency_key} if idempotency_key else {})}
    url = f"{base_url}/coa/api/v1/invoice/{invoice_id}/payment/{payment_id}/void/"
    for attempt in range(1, attempts + 1):
        try:
            response = httpx.post(url, headers=headers, json={}, timeout=5)
            if response.status_code not in RETRY_STATUSES or attempt == attempts:
                return response
        except httpx.TransportError:  # connection refused, dropped, timed out: did the void happen?
            if attempt == attempts:
                raise
        time.sleep(pause * attempt)
