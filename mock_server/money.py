"""Exact money: integer minor units in storage, Decimal at the edges, never floats in between."""
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

# ISO 4217 exponents; anything not listed has two decimals.
_EXPONENTS = {"JPY": 0, "KRW": 0, "CLP": 0, "VND": 0, "ISK": 0, "BHD": 3, "KWD": 3, "JOD": 3, "TND": 3}


class MoneyError(ValueError):
    """An amount that cannot be represented exactly in its currency."""


def exponent(currency: str) -> int:
    return _EXPONENTS.get(currency.upper(), 2)


def to_minor(amount, currency: str) -> int:
    """Convert a decimal amount (number or string) to minor units, refusing sub-unit precision."""
    try:
        value = Decimal(str(amount))
    except InvalidOperation as exc:
        raise MoneyError(f"{amount!r} is not a number.") from exc
    if not value.is_finite():
        raise MoneyError(f"{amount!r} is not a finite number.")
    scaled = value.scaleb(exponent(currency))
    if scaled != scaled.to_integral_value():
        raise MoneyError(f"{currency} amounts have at most {exponent(currency)} decimal places.")
    return int(scaled)


def from_minor(minor: int, currency: str) -> Decimal:
    return Decimal(minor).scaleb(-exponent(currency))


def as_number(minor: int, currency: str):
    """The JSON number for an amount: an int when whole, else a float that prints exactly."""
    value = from_minor(minor, currency)
    return int(value) if value == value.to_integral_value() else float(value)


def convert(minor: int, from_currency: str, to_currency: str, rate: Decimal) -> int:
    """Minor units of `from_currency` times `rate` (units of `to_currency` per unit), rounded half-even."""
    value = from_minor(minor, from_currency) * rate
    return int(value.scaleb(exponent(to_currency)).quantize(Decimal(1), rounding=ROUND_HALF_EVEN))
