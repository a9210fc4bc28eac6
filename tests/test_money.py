"""Amounts as the API prints them: `as_number` must give exactly the number the Decimal
definition gives (the whole value as an int, else float(Decimal)), for every currency exponent
and up to the largest amount the ledger stores."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mock_server.domain.money import (
    MAX_MINOR,
    MoneyError,
    as_number,
    currency_code,
    exponent,
    from_minor,
    to_minor,
)

CURRENCIES = ["JPY", "USD", "EUR", "BHD", "KWD"]  # exponents 0, 2, 2, 3, 3


def by_decimal(minor: int, currency: str):
    value = from_minor(minor, currency)
    return int(value) if value == value.to_integral_value() else float(value)


@pytest.mark.parametrize("currency", CURRENCIES)
@pytest.mark.parametrize(
    "minor",
    [
        0,
        1,
        -1,
        5,
        10,
        99,
        100,
        101,
        -150,
        1999,
        2**53 - 1,
        2**53 + 1,
        MAX_MINOR,
        -MAX_MINOR,
        MAX_MINOR - 1,
        10**15,
        123456789012345,
    ],
)
def test_as_number_is_the_decimal_value(minor, currency):
    printed = as_number(minor, currency)
    assert printed == by_decimal(minor, currency)
    assert type(printed) is type(by_decimal(minor, currency))


@given(st.integers(-MAX_MINOR, MAX_MINOR), st.sampled_from(CURRENCIES))
def test_as_number_matches_for_any_storable_amount(minor, currency):
    printed = as_number(minor, currency)
    assert printed == by_decimal(minor, currency) and type(printed) is type(by_decimal(minor, currency))


@pytest.mark.parametrize("currency", ["OMR", "LYD", "IQD", "BHD", "KWD", "JOD", "TND"])
def test_iso_4217_three_decimal_currencies(currency):
    assert exponent(currency) == 3 and to_minor("1.234", currency) == 1234


@pytest.mark.parametrize("currency", ["XOF", "XAF", "UGX", "PYG", "RWF", "JPY", "KRW", "VND", "CLP", "ISK"])
def test_iso_4217_zero_decimal_currencies(currency):
    assert exponent(currency) == 0 and to_minor("5000", currency) == 5000
    with pytest.raises(MoneyError):
        to_minor("1.5", currency)


def test_withdrawn_codes_are_not_currencies_and_their_successors_are():
    assert currency_code("BGN") is None and currency_code("ANG") is None  # the euro, the Caribbean guilder
    assert currency_code("xcg") == "XCG" and currency_code("XAU") is None  # gold has no minor unit


@pytest.mark.parametrize(
    "amount, currency, refunded",
    [
        (12.34, "OMR", 12340),  # three decimals in ISO and at Stripe
        (5000, "XOF", 5000),  # none in either
        (500, "ISK", 50000),  # none in ISO; two at Stripe, for backwards compatibility
        (1234, "MGA", 1234),  # two in ISO; none at Stripe
        (99.5, "EUR", 9950),
    ],
)
def test_a_voided_stripe_payment_is_refunded_in_stripes_minor_units(live, amount, currency, refunded):
    invoice = live.create_invoice(amount=amount, tax=0, currency=currency, exchange_rate=1)
    payment = live.pay(invoice["id"], "stripe", amount)
    assert live.void(invoice["id"], payment["id"]).status_code == 200
    assert [(r["amount_minor"], r["currency"]) for r in live.refunds() if r["payment_id"] == payment["id"]] == [
        (refunded, currency)
    ]
    assert live.invariants()["violations"] == []


def test_an_amount_stripe_cannot_take_fails_the_refund_and_the_void(live):
    invoice = live.create_invoice(amount=1.005, tax=0, currency="OMR", exchange_rate=1)  # Stripe: last digit 0
    payment = live.pay(invoice["id"], "stripe", 1.005)
    answer = live.void(invoice["id"], payment["id"])
    assert answer.status_code == 502 and "1.005 OMR" in answer.json()["detail"]
    assert live.invoice(invoice["id"])["payments"][0]["voided_date"] is None
    assert [r for r in live.refunds() if r["payment_id"] == payment["id"]] == []
