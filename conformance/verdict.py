"""A run's verdict, one of four words, the same in the console, --report, JUnit and HTML:

CONFORMS (exit 0) only when nothing failed and the void's core rules were actually exercised;
DOES NOT CONFORM (exit 1) when a check failed or an answer broke the contract, whatever else
happened; INCOMPLETE (exit 2) when the run could not check the void itself (and says what was
missing, or that it was INTERRUPTED); ERROR (exit 2) for usage and connection errors.
"""

from dataclasses import dataclass, field

CONFORMS, DOES_NOT_CONFORM, INCOMPLETE, ERROR = "CONFORMS", "DOES NOT CONFORM", "INCOMPLETE", "ERROR"
EXIT_CODES = {CONFORMS: 0, DOES_NOT_CONFORM: 1, INCOMPLETE: 2, ERROR: 2}
INTERRUPTED = "INTERRUPTED"

# The rules without which no run may say CONFORMS: each with the checks that exercise it (one of
# them passing, or accepted, is enough).
CORE_RULES = (
    (
        "a void answered 200",
        (
            "void_echoes_the_requested_date",
            "void_date_defaults_to_today",
            "content_type_is_accepted",
            "second_void_is_refused",
            "invoice_shows_the_money_returned",
            "reversing_entry_mirrors_the_payment",
        ),
    ),
    ("a second void of the same payment refused", ("second_void_is_refused",)),
    ("an invalid void date refused", ("invalid_void_date_is_400_and_changes_nothing",)),
    ("a void without valid credentials refused", ("missing_token_is_401", "invalid_token_is_401")),
)


@dataclass
class Verdict:
    word: str
    reasons: list[str] = field(default_factory=list)

    @property
    def code(self) -> int:
        return EXIT_CODES[self.word]

    @property
    def line(self) -> str:
        """The verdict in one line: the word and why."""
        return self.word + (": " + "; ".join(self.reasons) if self.reasons else "")


def _why_not(results, checks) -> str:
    """Why a core rule was not exercised: what its checks said, else that none of them ran."""
    for result in results:
        if result.check.split("[")[0] in checks and result.reason:
            return result.reason
    return "no check of it ran (" + ", ".join(checks[:2]) + (", ..." if len(checks) > 2 else "") + ")"


def unexercised(results) -> list[tuple[str, str]]:
    """(core rule, why) for each core rule no passing or accepted check exercised."""
    exercised = {result.check.split("[")[0] for result in results if result.status in ("passed", "accepted")}
    return [(rule, _why_not(results, checks)) for rule, checks in CORE_RULES if not exercised & set(checks)]


def judge(results, new_findings: int, *, interrupted: str = "", stopped: str = "") -> Verdict:
    """The verdict of a run from its results, the number of its new contract findings, and what
    cut it short: `interrupted` (by the user) or `stopped` (the budget, the target going away)."""
    cut_short = [f"{INTERRUPTED} ({interrupted}) after {len(results)} checks"] if interrupted else []
    cut_short += [f"stopped after {len(results)} checks: {stopped}"] if stopped else []
    failed = sum(result.status == "failed" for result in results)
    if failed or new_findings:
        counted = [f"{failed} check(s) failed"] if failed else []
        counted += [f"{new_findings} contract finding(s)"] if new_findings else []
        return Verdict(DOES_NOT_CONFORM, counted + cut_short)
    if cut_short:
        return Verdict(INCOMPLETE, cut_short + ["the void's rules were not all checked"])
    missing = unexercised(results)
    if not missing:
        return Verdict(CONFORMS)
    reasons = {why for _, why in missing}
    if len(reasons) == 1:
        return Verdict(INCOMPLETE, [f"not exercised: {', '.join(rule for rule, _ in missing)}: {reasons.pop()}"])
    return Verdict(INCOMPLETE, [f"not exercised: {rule} ({why})" for rule, why in missing])
