"""Exact money: integer minor units in storage, Decimal at the edges, never floats in between.

Amounts are bounded the way a Django DecimalField bounds them (``max_digits``): an amount has at
most ``WHOLE_DIGITS`` digits before the decimal point, and so does every sum the ledger stores
(an invoice's total, a journal entry's side), which keeps the ledger's own sums (balances,
the trial balance) far inside SQLite's 64-bit integers.
"""
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

# ISO 4217 exponents; every other code has two decimals.
_EXPONENTS = {"JPY": 0, "KRW": 0, "CLP": 0, "VND": 0, "ISK": 0, "BHD": 3, "KWD": 3, "JOD": 3, "TND": 3}
# Active ISO 4217 codes: a currency the ledger accepts.
ISO_4217 = frozenset("""
AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD
CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD
GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT
LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR
NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP
STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XOF
XPF YER ZAR ZMW ZWL""".split())
WHOLE_DIGITS = 13
MAX_MINOR = 10**(WHOLE_DIGITS + 3) - 1  # 13 whole digits in a currency with 3 decimals


class MoneyError(ValueError):
    """An amount that cannot be represented exactly in its currency, or not stored at all."""


def exponent(currency: str) -> int:
    return _EXPONENTS.get(currency.upper(), 2)


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
