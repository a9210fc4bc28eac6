"""Exact money: integer minor units in storage, Decimal at the edges, never floats in between.

Amounts are bounded the way a Django DecimalField bounds them (``max_digits``): an amount has at
most ``WHOLE_DIGITS`` digits before the decimal point, and so does every sum the ledger stores
(an invoice's total, a journal entry's side), which keeps the ledger's own sums (balances,
the trial balance) far inside SQLite's 64-bit integers.
"""

from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

import iso4217

# ISO 4217's minor units, from the iso4217 package (SIX's list 1): OMR, LYD, IQD... have three
# decimals, XOF, XAF, UGX, PYG... none. (Babel's CLDR precision is a display and cash rounding:
# 0 for IQD or AFN, where ISO says 3 and 2.) Codes with no minor unit (XAU, XDR...) and the
# four-decimal units (CLF, UYW) are not currencies the ledger keeps.
_EXPONENTS = {
    currency.code: currency.exponent
    for currency in iso4217.Currency
    if currency.exponent is not None and currency.exponent <= 3
}
ISO_4217 = frozenset(_EXPONENTS)
# Stripe's own minor units (docs.stripe.com/currencies): its zero-decimal and three-decimal lists;
# ISK is zero-decimal in ISO but two-decimal at Stripe (amounts divisible by 100). Every other
# currency has two decimals at Stripe, and its three-decimal amounts must end in 0.
_STRIPE_ZERO_DECIMAL = frozenset(
    {"BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA", "PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF"}
)
_STRIPE_THREE_DECIMAL = frozenset({"BHD", "JOD", "KWD", "OMR", "TND"})
WHOLE_DIGITS = 13
MAX_MINOR = 10 ** (WHOLE_DIGITS + 3) - 1  # 13 whole digits in a currency with 3 decimals


class MoneyError(ValueError):
    """An amount that cannot be represented exactly in its currency, or not stored at all."""


def exponent(currency: str) -> int:
    return _EXPONENTS.get(currency.upper(), 2)


def stripe_exponent(currency: str) -> int:
    code = currency.upper()
    return 0 if code in _STRIPE_ZERO_DECIMAL else 3 if code in _STRIPE_THREE_DECIMAL else 2


def stripe_minor(minor: int, currency: str) -> int:
    """The ledger's minor units of `currency` as Stripe's `amount`; MoneyError when Stripe cannot
    take the amount exactly (MGA 12.34: Stripe has no decimals for MGA; OMR 1.005: its last digit)."""
    amount = from_minor(minor, currency).scaleb(stripe_exponent(currency))
    if amount != amount.to_integral_value() or (stripe_exponent(currency) == 3 and amount % 10):
        raise MoneyError(f"Stripe cannot take {from_minor(minor, currency)} {currency.upper()} exactly.")
    return int(amount)


def currency_code(value) -> str | None:
    """The ISO 4217 code for `value` (case-insensitive), or None when it is not one."""
    if not isinstance(value, str) or not value.isascii():
        return None
    code = value.upper()
    return code if code in ISO_4217 else None


def decimal(value) -> Decimal:
    """A finite Decimal from a JSON number or numeric string; MoneyError otherwise."""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise MoneyError("A valid number is required.") from exc
    if not number.is_finite():
        raise MoneyError("A valid number is required.")
    if number and number.adjusted() >= WHOLE_DIGITS:
        raise MoneyError(f"Ensure that there are no more than {WHOLE_DIGITS} digits before the decimal point.")
    return number


def to_minor(amount, currency: str) -> int:
    """Convert a decimal amount (number or string) to minor units, refusing sub-unit precision."""
    value = decimal(amount)
    scaled = value.scaleb(exponent(currency))
    if scaled != scaled.to_integral_value():
        raise MoneyError(f"{currency} amounts have at most {exponent(currency)} decimal places.")
    return int(scaled)


def check_storable(minor: int) -> int:
    """A sum the ledger is about to store: refused when a 64-bit column cannot hold it."""
    if abs(minor) > MAX_MINOR:
        raise MoneyError(f"Ensure that the total has no more than {WHOLE_DIGITS} digits before the decimal point.")
    return minor


def from_minor(minor: int, currency: str) -> Decimal:
    return Decimal(minor).scaleb(-exponent(currency))


def as_number(minor: int, currency: str):
    """The JSON number for an amount: an int when whole, else the float nearest to it (Python's
    int / int is correctly rounded, as float(Decimal) is, without building a Decimal: a page of
    invoices renders hundreds of amounts)."""
    scale = 10 ** exponent(currency)
    whole, rest = divmod(minor, scale)
    return whole if rest == 0 else minor / scale


def convert(minor: int, from_currency: str, to_currency: str, rate: Decimal) -> int:
    """Minor units of `from_currency` times `rate` (units of `to_currency` per unit), rounded half-even."""
    value = from_minor(minor, from_currency) * rate
    return int(value.scaleb(exponent(to_currency)).quantize(Decimal(1), rounding=ROUND_HALF_EVEN))
