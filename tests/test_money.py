"""Amounts as the API prints them: `as_number` must give exactly the number the Decimal
definition gives (the whole value as an int, else float(Decimal)), for every currency exponent
and up to the largest amount the ledger stores."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mock_server.domain.money import MAX_MINOR, as_number, from_minor

CURRENCIES = ["JPY", "USD", "EUR", "BHD", "KWD"]  # exponents 0, 2, 2, 3, 3


def by_decimal(minor: int, currency: str):
    value = from_minor(minor, currency)
    return int(value) if value == value.to_integral_value() else float(value)


@pytest.mark.parametrize("currency", CURRENCIES)
@pytest.mark.parametrize("minor", [0, 1, -1, 5, 10, 99, 100, 101, -150, 1999, 2**53 - 1, 2**53 + 1,
                                   MAX_MINOR, -MAX_MINOR, MAX_MINOR - 1, 10**15, 123456789012345])
def test_as_number_is_the_decimal_value(minor, currency):
    printed = as_number(minor, currency)
    assert printed == by_decimal(minor, currency)
    assert type(printed) is type(by_decimal(minor, currency))


@given(st.integers(-MAX_MINOR, MAX_MINOR), st.sampled_from(CURRENCIES))
def test_as_number_matches_for_any_storable_amount(minor, currency):
    printed = as_number(minor, currency)
    assert printed == by_decimal(minor, currency) and type(printed) is type(by_decimal(minor, currency))
