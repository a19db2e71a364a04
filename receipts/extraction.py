"""Reading the fields of a receipt from its recognised text: pure functions.

Text in, fields out: :func:`extract` applies one small named rule per field and returns
the fields that were found, each with a confidence between 0 and 1. Amounts are parsed
by price-parser (it knows ``12,50``, ``1.234,56`` and ``1,234.56``); dates, keywords and
the supplier line are the few rules that remain, each tested on Dutch and English text.

Receipts in scope are Dutch (``Totaal``, ``Te betalen``, ``BTW 21%``, ``€ 12,50``,
``12-03-2026``) and English/Malaysian (``TOTAL``, ``GST``, ``RM 9.00``,
``25/12/2018``); dates are read day first, as both print them.
"""

import dataclasses
import difflib
import re
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from price_parser import Price

FIELD_NAMES = (
    "supplier",
    "date",
    "total",
    "vat_amount",
    "vat_rate",
    "currency",
    "invoice_number",
)


#: How much the OCR's doubt about a line can take off a field's weight in a merge.
OCR_WEIGHT = 0.5


@dataclass(frozen=True)
class Field:
    value: str
    confidence: float
    #: The line (of :func:`lines_of`) it was read from, where it is one line's.
    line: int | None = dataclasses.field(default=None, compare=False)
    #: The OCR engine's confidence (0..1) in that line, where it is known.
    ocr: float | None = dataclasses.field(default=None, compare=False)

    def weight(self) -> float:
        """The confidence weighed by the OCR's confidence in the line it came from:
        from ``1 - OCR_WEIGHT`` of it (no confidence) to all of it (certain)."""
        if self.ocr is None:
            return self.confidence
        return self.confidence * (1 - OCR_WEIGHT + OCR_WEIGHT * self.ocr)

    def as_dict(self) -> dict:
        return {"value": self.value, "confidence": round(self.confidence, 2)}


# An amount as printed: 9.00, 12,50, 1.234,56, 1,234.56, 1 234,56 (two decimals).
AMOUNT = re.compile(r"(?<![\d.,])-?\d{1,3}(?:[.,\s]\d{3})*[.,]\s?\d{2}(?![\d.,]*\d)")
PERCENT = re.compile(r"(\d{1,2}(?:[.,]\d{1,2})?)\s*%")


def lines_of(text: str) -> list[str]:
    """The non-empty lines of ``text``, with runs of spaces collapsed."""
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


# "BTW" as the OCR reads it in a monospaced till font too: "BIW", "B1W".
BTW = r"b[t1il]w"

# -- amounts ----------------------------------------------------------------------


def amount_parse(token: str) -> Decimal | None:
    """``"12,50"`` → ``Decimal("12.50")``; None when it is no amount."""
    token = re.sub(r"(?<=[.,])\s+(?=\d{2}$)", "", token.strip())
    price = Price.fromstring(token)
    if price.amount is None:
        return None
    try:
        return price.amount.quantize(Decimal("0.01"))
    except InvalidOperation:  # pragma: no cover - absurdly large
        return None


# The OCR reads a "5" before digits as "§": "Net Amt : §3.55".
SECTION_FOR_FIVE = re.compile(r"§(?=\d)")


def amounts_in(line: str) -> list[Decimal]:
    """The amounts with two decimals on a line, left to right (not percentages)."""
    line = SECTION_FOR_FIVE.sub("5", PERCENT.sub(" ", line))
    found = (amount_parse(match.group()) for match in AMOUNT.finditer(line))
    return [amount for amount in found if amount is not None and amount >= 0]


# -- total ------------------------------------------------------------------------

TOTAL_WORDS = re.compile(
    r"\b(te\s*betalen|totaal|t[o0]ta[l1i]|tatal|totl|amount\s*due|balance\s*due|"
    r"nett?\s*(?:amount|amt)|te\s*voldoen|eindtotaal|jumlah|payable)\b",
    re.IGNORECASE,
)
# The amount to pay after rounding, then the one with VAT: preferred to a "Total".
FINAL_TOTAL_WORDS = re.compile(
    r"te\s*betalen|te\s*voldoen|eindtotaal|grand|round|afgerond|after\s*adj|"
    r"amount\s*due|balance\s*due|nett?\b|payable",
    re.IGNORECASE,
)
STRONG_TOTAL_WORDS = re.compile(
    FINAL_TOTAL_WORDS.pattern + r"|incl|inclusive", re.IGNORECASE
)
NOT_TOTAL_WORDS = re.compile(
    r"sub\s*-?\s*tot|subtotaal|excl|exclusive|\bqty\b|quantity|items?\b|artikel|"
    r"discount|korting|saving|change|wisselgeld|retour|rounding|afronding|points?\b|"
    r"punten|cash|tender|paid|betaald|received|ontvangen|payment",
    re.IGNORECASE,
)
# A VAT line is no total unless it says the total includes VAT.
VAT_ONLY = re.compile(rf"\b(gst|{BTW}|vat|tax|sst)\b", re.IGNORECASE)
INCLUDED = re.compile(r"incl|inclusive|inel", re.IGNORECASE)
# After a VAT breakdown heading, "Total" lines sum the breakdown, not the receipt.
BREAKDOWN = re.compile(r"summa|overzicht|specificatie|analysis", re.IGNORECASE)
# What the customer handed over, and what came back.
CASH_WORDS = re.compile(
    r"\b(cash|tunai|contant|contanten|tendered|tender|betaald|received|paid|payment)\b",
    re.IGNORECASE,
)
# A card payment is the amount to pay, exactly.
CARD_WORDS = re.compile(
    r"\b(pin|pinnen|pinbetaling|maestro|v\s?pay|visa|master\s?card|mastercard|amex|"
    r"debit|credit\s?card|creditcard|card|kaart|contactloos|contactless)\b",
    re.IGNORECASE,
)
CHANGE_WORDS = re.compile(
    r"\b(change|wisselgeld|terug|retour|baki|kembalian)\b", re.IGNORECASE
)
ROUNDING_WORDS = re.compile(r"rounding|afronding|round(?:ing)?\s*adj", re.IGNORECASE)
# Lines whose amounts are no candidates for a total on their own.
NOT_AN_AMOUNT_LINE = re.compile(r"\d{7,}|\b(tel|fax|phone)\b", re.IGNORECASE)
CASH_STEP = Decimal("0.05")


def _is_total_line(line: str) -> bool:
    if not TOTAL_WORDS.search(line) or NOT_TOTAL_WORDS.search(line):
        return False
    return (
        not VAT_ONLY.search(line)
        or bool(INCLUDED.search(line))
        or bool(FINAL_TOTAL_WORDS.search(line))
    )


def _total_rank(line: str) -> int:
    """2 for the amount to pay after rounding, 1 for a total with VAT, else 0."""
    if FINAL_TOTAL_WORDS.search(line):
        return 2
    return 1 if STRONG_TOTAL_WORDS.search(line) else 0


def _is_payment_line(line: str) -> bool:
    return bool(
        CASH_WORDS.search(line) or CHANGE_WORDS.search(line) or CARD_WORDS.search(line)
    )


def _line_amount(
    lines: list[str], index: int, after: int = 0, *, below: bool = False
) -> Decimal | None:
    """The last amount on line ``index`` (from ``after``); with ``below``, else the
    last on the line below when that is no other total, cash or change line."""
    amounts = amounts_in(lines[index][after:])
    if not amounts and below and index + 1 < len(lines):
        under = lines[index + 1]
        if not (
            TOTAL_WORDS.search(under)
            or _is_payment_line(under)
            or (VAT_WORDS.search(under) and PERCENT.search(under))
        ):
            amounts = amounts_in(under)[-1:]
    return amounts[-1] if amounts else None


def paid_find(lines: list[str]) -> Decimal | None:
    """What was paid in cash: the cash handed over less the change (``CASH 10.00``,
    ``CHANGE 1.00`` → ``9.00``); None without both lines or when they make no sense."""
    cash = change = None
    for index, line in enumerate(lines):
        if CHANGE_WORDS.search(line) and change is None:
            change = _line_amount(lines, index)
        elif CASH_WORDS.search(line) and cash is None:
            cash = _line_amount(lines, index)
    if cash is None or change is None or not cash > change >= 0:
        return None
    return cash - change


def card_paid(lines: list[str]) -> Decimal | None:
    """The amount paid by card (``PIN 7,41``, ``VISA DEBIT 5.30``): the total."""
    for index, line in enumerate(lines):
        if CARD_WORDS.search(line) and not CHANGE_WORDS.search(line):
            amount = _line_amount(lines, index)
            if amount is not None and amount > 0:
                return amount
    return None


NEGATIVE_AMOUNT = re.compile(r"-\s?\d*[.,]\d{2}\b")


def rounding_adjustment(lines: list[str]) -> tuple[Decimal, bool] | None:
    """The printed cash rounding (``ROUNDING ADJ -0.01``), below 5 cents and not 0,
    and whether its sign was printed (``-``): ``(0.01, True)`` is minus a cent."""
    for line in lines:
        if not ROUNDING_WORDS.search(line):
            continue
        adjustments = amounts_in(line.replace("-", " "))
        if adjustments and 0 < adjustments[-1] < CASH_STEP:
            return adjustments[-1], bool(NEGATIVE_AMOUNT.search(line))
    return None


def cash_rounded(amount: Decimal, lines: list[str]) -> Decimal:
    """A total before cash rounding, rounded by the printed rounding adjustment:
    ``TOTAL 60.31`` with ``ROUNDING ADJ -0.01`` → ``60.30`` (the sign is often lost,
    so without a minus the adjustment that lands on 5 cents is taken)."""
    adjustment = rounding_adjustment(lines)
    if amount % CASH_STEP == 0 or adjustment is None:
        return amount
    step, negative = adjustment
    for rounded in (amount - step,) if negative else (amount - step, amount + step):
        if rounded % CASH_STEP == 0:
            return rounded
    return amount


SUBTOTAL_WORDS = re.compile(r"sub\s*-?\s*tot|subtotaal|excl|exclusive|\(ex\)", re.I)
EXCLUDING_VAT = re.compile(r"excl|exclusive|\(ex\)|\bex\b", re.IGNORECASE)
#: How far VAT may be from subtotal x rate (printed amounts are rounded per line).
VAT_TOLERANCE = Decimal("0.02")


def subtotal_find(lines: list[str]) -> tuple[Decimal, bool] | None:
    """The first subtotal before any VAT breakdown, and whether its line says it
    excludes VAT (``SUB-TOTAL (EX) 26.00``, ``Total Sales (Excluding GST) 51.42``)."""
    for index, line in enumerate(lines):
        if BREAKDOWN.search(line):
            return None
        if SUBTOTAL_WORDS.search(line) and not INCLUDED.search(line):
            amount = _line_amount(lines, index)
            if amount is not None and amount > 0:
                return amount, bool(EXCLUDING_VAT.search(line))
    return None


def summed_total(lines: list[str]) -> Decimal | None:
    """Subtotal without VAT plus the VAT (and the printed cash rounding): what the
    total must be. Only where the subtotal excludes VAT, as its line says or as the
    printed rate confirms (VAT = subtotal x rate, which a printed rate must always
    confirm); a Dutch ``Subtotaal`` is usually the total including VAT already."""
    subtotal = subtotal_find(lines)
    vat = vat_amount_find(lines)
    if subtotal is None or vat is None:
        return None
    amount, excluding = subtotal
    tax = Decimal(vat.value)
    rate = vat_rate_find(lines)
    if rate is None and not excluding:
        return None
    if rate is not None:
        expected = amount * Decimal(rate.value) / 100
        if tax == 0 or abs(expected - tax) > VAT_TOLERANCE:
            return None
    total = cash_rounded(amount + tax, lines)
    if total % CASH_STEP and rounding_adjustment(lines) is not None:
        return None  # the rounding does not add up: something is misread
    return total


def cash_handed(lines: list[str]) -> Decimal | None:
    """The cash handed over when no change is printed (or a change of 0.00): then
    it is what was paid, unless it is a round sum of notes (``50.00``)."""
    cash = change = None
    for index, line in enumerate(lines):
        if CHANGE_WORDS.search(line) and change is None:
            change = _line_amount(lines, index)
        elif CASH_WORDS.search(line) and cash is None:
            cash = _line_amount(lines, index)
    if cash is None or (change is not None and change != 0) or cash % 1 == 0:
        return None
    return cash


def looks_alike(first: Decimal, second: Decimal, *, edits: int = 1) -> bool:
    """Whether two amounts differ by at most ``edits`` characters as printed: an OCR
    slip (``448.00`` for ``18.00``, ``8.20`` for ``9.20``), not another amount."""
    a, b = str(first), str(second)
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(
                min(
                    previous[j] + 1,
                    current[j - 1] + 1,
                    previous[j - 1] + (char_a != char_b),
                )
            )
        previous = current
    return previous[-1] <= edits


#: A total after cash rounding (or an adjustment) is within this of the one before.
MAX_ROUNDING = Decimal("0.10")


def _printed_count(amount: Decimal, lines: list[str]) -> int:
    return sum(amounts_in(line).count(amount) for line in lines)


def _rounding_consistent(
    candidates: list[tuple[int, Decimal]], lines: list[str]
) -> list[tuple[int, Decimal]]:
    """A rounded total (rank 2) further than 10 cents from the totals before
    rounding is misread when they are printed more often than it is: it loses its
    rank (``Total incl. GST 102.00``, ``Payment 102.00``, ``Rounded 702.00``)."""
    others = [amount for rank, amount in candidates if rank < 2]
    if not others:
        return candidates
    most = max(_printed_count(amount, lines) for amount in others)
    return [
        (0, amount)
        if rank == 2
        and all(abs(amount - other) > MAX_ROUNDING for other in others)
        and _printed_count(amount, lines) < most
        else (rank, amount)
        for rank, amount in candidates
    ]


def total_find(lines: list[str]) -> Field | None:
    """The amount on a total line (or the line after it when the amount moved down).

    Sub-totals, totals without VAT, VAT lines, quantities, cash handed over and change
    are left out, and so is a VAT breakdown's own "Total" (after a breakdown heading
    only a rounded or payable total counts). A total after rounding or including VAT
    ("Te betalen", "Rounded Total", "Total incl. GST") beats a plain "Total"; among
    equals the amount printed most often wins, then the largest.

    The receipt's arithmetic checks it: cash less change, subtotal plus VAT, and the
    amount paid by card. A total that a check gives wins; a total printed once loses
    to a check that differs from it by one misread character (two for subtotal plus
    VAT; one for the cash handed over without change or the card payment); without a
    total line, a check is the total.
    """
    paid = paid_find(lines)
    summed = summed_total(lines)
    card = card_paid(lines)
    candidates: list[tuple[int, Decimal]] = []
    where: dict[Decimal, int] = {}
    table = vat_table_start(lines)
    after_breakdown = False
    for index, line in enumerate(lines):
        after_breakdown = (
            after_breakdown or bool(BREAKDOWN.search(line)) or index == table
        )
        if not _is_total_line(line):
            continue
        rank = _total_rank(line)
        if after_breakdown and rank < 2:
            continue
        start = TOTAL_WORDS.search(line).start()
        amount = _line_amount(lines, index, start, below=True)
        if amount is not None and amount > 0:
            candidates.append((rank, amount))
            where.setdefault(amount, index)
    candidates = _rounding_consistent(candidates, lines)
    amounts = {amount for _, amount in candidates}
    amounts |= {cash_rounded(amount, lines) for amount in amounts}
    for check in (paid, summed, card):
        if check is not None and check in amounts:
            return Field(str(check), 0.95)
    for check in (paid, card):
        if check is not None and _printed_besides_payment(check, lines):
            return Field(str(check), 0.7)
    if candidates:
        counts = Counter(amount for _, amount in candidates)
        rank, best = max(candidates, key=lambda c: (c[0], counts[c[1]], c[1]))
        if rank < 2:
            best = cash_rounded(best, lines)
        for check, edits in ((summed, 2), (cash_handed(lines), 1), (card, 1)):
            if (
                check is not None
                and counts[best] == 1
                and looks_alike(best, check, edits=edits)
            ):
                return Field(str(check), 0.7)
        confidence = 0.9 if counts[best] > 1 else 0.75
        return Field(str(best), confidence, where.get(best))
    for check in (paid, card, cash_handed(lines)):
        if check is not None:
            return Field(str(check), 0.5)
    if summed is not None:
        return Field(str(summed), 0.5)
    return total_fallback(lines)


def _printed_besides_payment(amount: Decimal, lines: list[str]) -> bool:
    return any(
        amount in amounts_in(line) for line in lines if not _is_payment_line(line)
    )


def total_fallback(lines: list[str]) -> Field | None:
    """Without a total line: the largest amount, with a low confidence (not cash
    handed over, change, a phone number's or a barcode's line)."""
    everything = [
        amount
        for line in lines
        if not (_is_payment_line(line) or NOT_AN_AMOUNT_LINE.search(line))
        for amount in amounts_in(line)
    ]
    if not everything:
        return None
    return Field(str(max(everything)), 0.25)


# -- VAT --------------------------------------------------------------------------

# "TOTALTAX": the OCR often loses the space after "total".
VAT_WORDS = re.compile(
    rf"(?:\b|(?<=total))({BTW}|gst|vat|sst|tax|omzetbelasting)\b", re.IGNORECASE
)
NOT_VAT_WORDS = re.compile(
    r"\b(reg|registration|nr|no|nummer|number|id|incl\w*|excl\w*)\b"
    r"|summary|code|[a-z]*\d{6,}",
    re.IGNORECASE,
)


#: How far above a rate a VAT table's heading may be ("BTW OVER EUR" above
#: "9% 6,80 0,61", "VAT RATE NET VAT" above "A 20% 0.79 0.16").
HEADING_REACH = 3
# A percentage that is no VAT: a discount, a service charge, a tip.
NOT_VAT_RATE_WORDS = re.compile(
    r"korting|discount|service|svc|charge|fooi|\btip\b|bonus|saving|member", re.I
)


@dataclass(frozen=True)
class VatRow:
    """The VAT of one rate, as the receipt's arithmetic confirms it."""

    rate: Decimal
    amount: Decimal
    line: int
    #: The line of the table heading above it, for a row of a VAT table.
    heading: int | None


def _rate_of(line: str) -> Decimal | None:
    match = PERCENT.search(line)
    if match is None:
        return None
    rate = Decimal(match.group(1).replace(",", ".")).normalize()
    return rate if 0 < rate <= 30 else None


def _is_vat_of(amount: Decimal, rate: Decimal, bases: list[Decimal]) -> bool:
    """Whether ``amount`` is the VAT at ``rate`` of one of ``bases``, a base without
    VAT (base x rate) or with it (base x rate / (100 + rate))."""
    return any(
        min(
            abs(base * rate / 100 - amount),
            abs(base * rate / (100 + rate) - amount),
        )
        <= VAT_TOLERANCE
        for base in bases
        if base > amount
    )


def vat_rows(lines: list[str]) -> list[VatRow]:
    """The VAT per rate that the receipt's own arithmetic confirms, one row per rate.

    A line with a rate and a VAT word, or under a VAT heading a few lines up (a line
    with a VAT word and no amount), carries the VAT when one of its amounts is what
    the rate gives from another amount of the line, without VAT or with it
    (``9% 13,55 1,22 14,77``, ``BTW 21% 1,74 over 8,25``); a line with one amount is
    checked against every amount of the receipt (``Inclusief 9% BTW 1,38`` beside
    ``Totaal 16,75``). Discounts and service charges are no VAT.
    """
    everything = [amount for line in lines for amount in amounts_in(line)]
    rows: dict[Decimal, VatRow] = {}
    for index, line in enumerate(lines):
        rate = _rate_of(line)
        if rate is None or rate in rows or NOT_VAT_RATE_WORDS.search(line):
            continue
        heading = next(
            (
                above
                for above in range(index - 1, max(index - HEADING_REACH, 0) - 1, -1)
                if VAT_WORDS.search(lines[above]) and not amounts_in(lines[above])
            ),
            None,
        )
        if heading is None and not VAT_WORDS.search(line):
            continue
        amounts = amounts_in(line)
        bases = amounts if len(amounts) > 1 else everything
        found = [
            amount for amount in amounts if amount and _is_vat_of(amount, rate, bases)
        ]
        if found:
            table = heading if len(amounts) > 1 and not VAT_WORDS.search(line) else None
            rows[rate] = VatRow(rate, found[-1], index, table)
    return list(rows.values())


def vat_table_start(lines: list[str]) -> int | None:
    """The heading line of a VAT table (``BTW OVER EUR``, ``VAT RATE NET VAT``): the
    "Total" lines below it sum the table, not the receipt."""
    headings = [row.heading for row in vat_rows(lines) if row.heading is not None]
    return min(headings, default=None)


def vat_rate_find(lines: list[str]) -> Field | None:
    """The VAT rate: the one rate the arithmetic confirms (none where several
    rates apply), else the rate printed beside BTW/GST/VAT: ``BTW 21%`` → ``"21"``."""
    rates = {row.rate for row in vat_rows(lines)}
    if rates:
        return Field(f"{rates.pop():f}", 0.9) if len(rates) == 1 else None
    for line in lines:
        if VAT_WORDS.search(line):
            match = PERCENT.search(line)
            if match:
                rate = Decimal(match.group(1).replace(",", ".")).normalize()
                if 0 <= rate <= 30:
                    return Field(f"{rate:f}", 0.85)
    return None


def vat_amount_find(lines: list[str]) -> Field | None:
    """The VAT: the sum over the rates that the arithmetic confirms (:func:`vat_rows`),
    else the amount on a VAT line: ``BTW 21% € 4,07``, ``Total GST: 0.54``."""
    rows = vat_rows(lines)
    if rows:
        line = rows[0].line if len(rows) == 1 else None
        return Field(str(sum(row.amount for row in rows)), 0.9, line)
    for line in lines:
        if not VAT_WORDS.search(line) or NOT_VAT_WORDS.search(PERCENT.sub("", line)):
            continue
        amounts = amounts_in(line)
        if amounts:
            return Field(str(amounts[-1]), 0.8 if len(amounts) == 1 else 0.6)
    return None


# -- date -------------------------------------------------------------------------

MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "mrt": 3,
    "maa": 3,
    "apr": 4,
    "may": 5,
    "mei": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "okt": 10,
    "nov": 11,
    "dec": 12,
}
# Overlapping (a lookahead), so "#19- 18/01/2018" still yields 18/01/2018.
NUMERIC_DATE = re.compile(
    r"(?=(?<!\d)(\d{1,2})\s?[/\-.]\s?(\d{1,2})\s?[/\-.]\s?(\d{4}|\d{2})(?!\d))"
)
ISO_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
NAMED_DATE = re.compile(
    r"(?<!\d)(\d{1,2})[\s\-.]*([a-z]{3})[a-z]*\.?[\s\-.,]*(\d{4}|\d{2})(?!\d)",
    re.IGNORECASE,
)
MONTH_FIRST_DATE = re.compile(
    r"\b([a-z]{3})[a-z]*\.?\s+(\d{1,2}),?\s+(\d{4})(?!\d)", re.IGNORECASE
)
DATE_WORDS = re.compile(r"\b(date|datum|dated|tanggal|tarikh)\b", re.IGNORECASE)
# Letters the OCR reads for digits inside a date: 3O/12/2O18, l5/06/2017.
DATE_LOOKALIKE = re.compile(
    r"(?<![\w])[\dOoIil|SZB]{1,2}\s?[/\-.]\s?[\dOoIil|SZB]{1,2}\s?[/\-.]\s?"
    r"[\dOoIil|SZB]{2,4}(?![\w])"
)
DIGIT_OF_LOOKALIKE = str.maketrans("OoIil|SZB", "001111528")
# The first separator lost: "2703/2018" is 27/03/2018.
RUN_TOGETHER_DATE = re.compile(r"(?<![\d/\-.])(\d{2})(\d{2})([/\-.])(\d{4})(?!\d)")


def _year(text: str) -> int:
    """A two-digit year is this century's; a four-digit one whose first digit the OCR
    misread (``7018``, ``8018``) is read from its last two digits."""
    year = int(text)
    if year < 100:
        return year + 2000
    if not 2000 <= year <= 2099 and text[1] == "0":
        return 2000 + year % 100
    return year


#: First digits of a month the OCR reads for a 0 (``62`` for ``02``).
MISREAD_ZERO = "689"


def _month(text: str) -> int:
    """A month whose first digit the OCR misread (``62`` for ``02``, ``80`` for
    ``10``): a 6, 8 or 9 is read as 0 (as 1 before a 0). Other months stay as
    printed, so ``12/25/2018`` (month first) and a time ``14.35.20`` are no dates."""
    if len(text) == 2 and text[0] in MISREAD_ZERO:
        return int(("1" if text[1] == "0" else "0") + text[1])
    return int(text)


def _valid(year: int, month: int, day: int) -> date | None:
    if not 2000 <= year <= 2099:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def date_digits(line: str) -> str:
    """The line with look-alike letters inside date-shaped tokens read as digits."""
    return DATE_LOOKALIKE.sub(
        lambda match: match.group().translate(DIGIT_OF_LOOKALIKE), line
    )


def dates_in(line: str) -> list[date]:
    """The dates on a line, day first: ``25/12/2018``, ``12-03-2026``, ``3 mrt 26``,
    ``Dec 25, 2018``; letters the OCR took for digits are read as those digits, a
    lost first separator (``2703/2018``) and a misread month digit (``19/62/2018``)
    are read through."""
    line = RUN_TOGETHER_DATE.sub(r"\1\3\2\3\4", date_digits(line))
    found = []
    for match in ISO_DATE.finditer(line):
        found.append(_valid(int(match[1]), int(match[2]), int(match[3])))
    for match in NUMERIC_DATE.finditer(line):
        # A misread month is read through only beside a four-digit year: with two
        # digits the three numbers are as likely a time (12.30.45) or a code.
        month = _month(match[2]) if len(match[3]) == 4 else int(match[2])
        found.append(_valid(_year(match[3]), month, int(match[1])))
    for match in NAMED_DATE.finditer(line):
        month = MONTHS.get(match[2].lower())
        if month:
            found.append(_valid(_year(match[3]), month, int(match[1])))
    for match in MONTH_FIRST_DATE.finditer(line):
        month = MONTHS.get(match[1].lower())
        if month:
            found.append(_valid(_year(match[3]), month, int(match[2])))
    return [day for day in found if day is not None]


TIME = re.compile(r"(?<!\d)\d{1,2}[:.]\d{2}(?:[:.]\d{2})?\s*(?:[ap]\.?m\b)?", re.I)
# A receipt is not from the future: such a date is a misread year or a "valid until".
FUTURE_MARGIN = timedelta(days=1)


def _past(day: date, latest: date) -> date | None:
    """The date itself, or a future one whose year's tens digit is a 4 or a 7, the
    OCR's usual misreadings of a 1 (``2048``, ``2078`` → ``2018``); else None."""
    if day <= latest:
        return day
    tens = day.year // 10 % 10
    if tens in (4, 7):
        fixed = _valid(day.year - (tens - 1) * 10, day.month, day.day)
        if fixed is not None and fixed <= latest:
            return fixed
    return None


def date_find(lines: list[str], *, today: date | None = None) -> Field | None:
    """The date of the purchase: one on a ``Date``/``Datum`` line beats one beside a
    time of day (``25/12/2018 8:13 PM``), which beats one printed more often, which
    beats the first printed. Dates after ``today`` (and a day) are left out, unless
    a misread year explains them."""
    latest = (today or date.today()) + FUTURE_MARGIN
    found: list[tuple[int, int, date]] = []
    for index, line in enumerate(lines):
        rank = 2 if DATE_WORDS.search(line) else 1 if TIME.search(line) else 0
        past = (_past(day, latest) for day in dates_in(line))
        found.extend((rank, -index, day) for day in past if day is not None)
    if not found:
        return None
    counts = Counter(day for _, _, day in found)
    rank, index, best = max(found, key=lambda item: (item[0], counts[item[2]], item[1]))
    confidence = (0.7, 0.8, 0.9)[rank]
    return Field(best.isoformat(), confidence, -index)


# -- currency ---------------------------------------------------------------------

CURRENCY_SIGNS = (
    (re.compile(r"€|\bEUR\b|\bEURO\b", re.IGNORECASE), "EUR"),
    (re.compile(r"\bRM\s?\d|\bRM\b|\bMYR\b|\(RM\)"), "MYR"),
    (re.compile(r"£|\bGBP\b"), "GBP"),
    (re.compile(r"\bUSD\b|US\$"), "USD"),
    (re.compile(r"\bSGD\b|S\$"), "SGD"),
)
COUNTRY_HINTS = (
    (re.compile(rf"\b({BTW}|totaal|te betalen|bedrag|kassabon)\b", re.I), "EUR"),
    (re.compile(r"\b(sdn\.?\s*bhd|gst|johor|selangor|kuala lumpur)\b", re.I), "MYR"),
)


def currency_find(text: str) -> Field | None:
    """The ISO 4217 code of the currency printed most; a country's words as a hint."""
    counts = Counter()
    for pattern, code in CURRENCY_SIGNS:
        counts[code] += len(pattern.findall(text))
    code, count = counts.most_common(1)[0]
    if count:
        return Field(code, 0.9 if count > 1 else 0.75)
    for pattern, code in COUNTRY_HINTS:
        if pattern.search(text):
            return Field(code, 0.5)
    return None


# -- invoice number ---------------------------------------------------------------

INVOICE_NUMBER = re.compile(
    r"\b(?:factu[rmnu]{0,3}\s*(?:[nm]ummer|nr\.?|no\.?)|invoice\s*(?:number|no\.?|nr\.?|#)"
    r"|inv\.?\s*(?:no\.?|#)|bill\s*(?:no\.?|#)|receipt\s*(?:no\.?|#)|bon\s*(?:nr\.?|nummer)"
    r"|document\s*(?:no\.?|nr\.?))\s*[:#.;]?\s*([A-Z0-9][A-Z0-9\-/.]{2,30})",
    re.IGNORECASE,
)


def invoice_number_find(lines: list[str]) -> Field | None:
    """The number after ``Factuurnummer``, ``Invoice No``, ``Bill No`` and the like
    (also where the OCR reads "rn" as "m": ``Factuumummer``)."""
    for line in lines:
        match = INVOICE_NUMBER.search(line)
        if match and any(char.isdigit() for char in match[1]):
            return Field(match[1].rstrip(".-/"), 0.8)
    return None


# -- supplier ---------------------------------------------------------------------

COMPANY_WORDS = re.compile(
    r"\b(sdn\.?\s*bhd|bhd|s/b|enterprise|trading|restaurant|restoran|store|mart|"
    r"supermarket|hardware|stationery|b\.?v\.?|v\.?o\.?f\.?|n\.?v\.?|ltd|limited|inc|"
    r"gmbh|company|co\.|holdings|shop|winkel|bakkerij|apotheek|cafe|café)\b",
    re.IGNORECASE,
)
NOT_SUPPLIER = re.compile(
    r"\b(tax\s*invoice|invoice|factuur|receipt|kassabon|bon|welcome|welkom|tel|fax|"
    rf"phone|gst|{BTW}|kvk|reg|date|datum|jalan|jln|jl|straat|street|road|lot|no\.?\s*\d|"
    r"www|http|@|cashier|kassa|table|order|total|totaal|subtotal|subtotaal|"
    r"kawasan|lorong|persiaran|seksyen)\b",
    re.IGNORECASE,
)
# An address: a street with its number ("Kerkstraat 10"), a postcode and town
# ("1017 GC Amsterdam", "80300 JOHOR BAHRU"), a Malaysian street or area.
ADDRESS = re.compile(
    r"\b(jalan|jln|kawasan|lorong|persiaran|seksyen)\b"
    r"|[a-z](straat|weg|laan|plein|gracht|kade|singel|dijk|steeg)\s+\d"
    r"|^\d{4,5}(\s?[A-Z]{2})?\s+[A-Za-z]{3}",
    re.IGNORECASE,
)
# A table's column headings: "Qty Price Amt", "AANTAL OMSCHRIJVING PRIJS BEDRAG".
TABLE_HEADING = re.compile(
    r"\b(qty|quantity|price|amt|description|omschrijving|aantal|prijs|bedrag)\b", re.I
)
# A name's tail read without its beginning: a ")" before any "(": "M) SDN BHD".
TAIL_ONLY = re.compile(r"^[^(]*\)")


def _letters(line: str) -> int:
    return sum(char.isalpha() for char in line)


REGISTRATION = re.compile(
    r"\s*[\(\[]?\s*(?:co\.?\s*)?(?:reg\.?\s*)?(?:no\.?\s*)?"
    r"[:.]?\s*\d{4,}[\s\-]?[A-Z]?\)?\s*$",
    re.IGNORECASE,
)
LEGAL_FORM_ONLY = re.compile(
    r"^(sdn\.?\s*bhd\.?|bhd\.?|s/b|b\.?v\.?|v\.?o\.?f\.?|n\.?v\.?|ltd\.?)$", re.I
)


STRAY_MARKS = " .,:;-_—=*'\"|~`!»«“”([{„\u2018\u2019"


def supplier_clean(line: str) -> str:
    """Strip a registration number and the OCR's stray marks around a name."""
    line = UNBALANCED_TAIL.sub("", REGISTRATION.sub("", line))
    # A final dot stays: it belongs to "BHD." or "B.V.".
    return line.strip(STRAY_MARKS.replace(".", "")).lstrip(".").rstrip(")]}") or line


# OCR misreadings of the legal form: "SON BHD", "SDN BED", "SIN BHD" → "SDN BHD".
MISREAD_SDN_BHD = re.compile(r"\bS[DO0I][NM](\.?\s*)B[HE][DO0]\b")
# Generic trade words whose misreadings are common: "ENIERPRISE", "HARDWAR".
TRADE_WORDS = (
    "ENTERPRISE", "RESTAURANT", "HARDWARE", "STATIONERY", "INTERNATIONAL",
    "SUPERMARKET", "PERNIAGAAN", "BAKKERIJ", "APOTHEEK",
)  # fmt: skip
COMPANY_NUMBER = re.compile(
    r"\b(co|company|roc|reg|registration)\b\.?\s*(no|nr|number|reg)\b", re.I
)
WEB_ADDRESS = re.compile(r"www|https?:|@|\.(com|nl|my|net|org)\b", re.IGNORECASE)
# A name broken over two lines: the first ends with "&" or "AND".
CONTINUED = re.compile(r"(&|\band|\ben)$", re.IGNORECASE)
UNBALANCED_TAIL = re.compile(r"\s*\([^)]{0,12}$")


# A legal form cut off at the edge of the scan: "GALLERY SDN B".
TRUNCATED_SDN_BHD = re.compile(r"\bSDN(\.?\s*)BH?$")
# Typographic quotes the OCR puts in for a plain apostrophe: "NANDO\u2019S".
APOSTROPHES = str.maketrans(dict.fromkeys("\u2019\u2018`\u00b4", "'"))


def supplier_spelling(name: str) -> str:
    """Common OCR misreadings in a name's legal form and generic trade words."""
    name = name.replace("¥", "Y").translate(APOSTROPHES)
    name = MISREAD_SDN_BHD.sub(r"SDN\1BHD", name)
    name = TRUNCATED_SDN_BHD.sub(r"SDN\1BHD", name)
    words = []
    for word in name.split(" "):
        if len(word) >= 7 and word.isupper() and word.isalpha():
            close = difflib.get_close_matches(word, TRADE_WORDS, n=1, cutoff=0.85)
            word = close[0] if close else word
        words.append(word)
    return " ".join(words)


def _name_like(line: str) -> bool:
    letters = _letters(line)
    return (
        letters >= 4
        and letters >= len(line.replace(" ", "")) * 0.8
        and line == line.upper()
        and not NOT_SUPPLIER.search(line)
        and not COMPANY_NUMBER.search(line)
    )


LEGAL_FORM_FIRST = re.compile(
    r"\(?(co|company|sdn|bhd|s/b|b\.?v|n\.?v|ltd|limited|gmbh)\b", re.IGNORECASE
)


def _starts_with_company_word(line: str) -> bool:
    """``RESTAURANT SDN BHD``, ``CO. (M) SDN BHD``: the end of a name, not a name."""
    if LEGAL_FORM_FIRST.match(line):
        return True
    match = COMPANY_WORDS.search(line)
    return match is not None and not line[: match.start()].strip(" .(")


def supplier_find(lines: list[str]) -> Field | None:
    """The seller's name: a company-looking line near the top, else the first name.

    Among the first lines, one with a legal form or trade word (``SDN BHD``, ``B.V.``,
    ``Trading``) wins; otherwise the first line that is mostly letters, not all lower
    case (a handwritten or stamped note), and no address, phone or heading. A name
    broken over two lines is joined: a line ending in "&", or a line starting with
    its legal form or trade word ("RESTAURANT SDN BHD") below an upper-case name.
    Addresses and a table's column headings are no names; a name's tail without its
    beginning ("M) SDN BHD") is read with doubt.
    """
    head = [supplier_spelling(line) for line in lines[:12]]
    for index, line in enumerate(head):
        if (
            COMPANY_WORDS.search(line)
            and _letters(line) >= 4
            and not re.search(r"\b(tel|reg|gst)\b", line, re.I)
            and not ADDRESS.search(line)
            and not TABLE_HEADING.search(line)
            and not COMPANY_NUMBER.search(line)
            and not WEB_ADDRESS.search(line)
        ):
            name = supplier_clean(line)
            if index > 0 and (
                LEGAL_FORM_ONLY.match(name)
                or (_starts_with_company_word(name) and _name_like(head[index - 1]))
            ):
                name = f"{supplier_clean(head[index - 1])} {name}"
            confidence = 0.5 if TAIL_ONLY.match(name) else 0.8
            return Field(_joined(name, head, index), confidence, index)
    for index, line in enumerate(head):
        letters = _letters(line)
        if letters < 3 or letters < len(line.replace(" ", "")) * 0.6:
            continue
        if line == line.lower() or NOT_SUPPLIER.search(line):
            continue
        if ADDRESS.search(line) or TABLE_HEADING.search(line):
            continue
        if LEGAL_FORM_ONLY.match(supplier_clean(line)):
            continue
        if COMPANY_NUMBER.search(line) or WEB_ADDRESS.search(line):
            continue
        return Field(_joined(supplier_clean(line), head, index), 0.5, index)
    return None


def _joined(name: str, head: list[str], index: int) -> str:
    """The name with its next line when it ends in "&" or "and"."""
    if CONTINUED.search(name) and index + 1 < len(head):
        following = head[index + 1]
        if _name_like(following):
            return f"{name} {supplier_clean(following)}"
    return name


# -- all together -----------------------------------------------------------------


def extract(text: str, line_confidences: list[float] | None = None) -> dict[str, Field]:
    """Every field found in ``text``; a field that is not found is left out.

    ``line_confidences``, one per line of :func:`lines_of` (the OCR engine's own
    confidence in its reading of that line, 0 to 1), are kept with the fields read
    from one line (:attr:`Field.ocr`): when readings are merged, a date or a name
    read with doubt counts for less."""
    lines = lines_of(text)
    found = {
        "supplier": supplier_find(lines),
        "date": date_find(lines),
        "total": total_find(lines),
        "vat_amount": vat_amount_find(lines),
        "vat_rate": vat_rate_find(lines),
        "currency": currency_find(text),
        "invoice_number": invoice_number_find(lines),
    }
    fields = {name: field for name, field in found.items() if field is not None}
    if line_confidences is not None and len(line_confidences) == len(lines):
        fields = {
            name: found
            if found.line is None
            else replace(found, ocr=min(max(line_confidences[found.line], 0.0), 1.0))
            for name, found in fields.items()
        }
    return fields


#: Below these confidences a reading is doubtful enough to be read a second time
#: (the date's weighed by the OCR's confidence in its line, :meth:`Field.weight`).
DOUBTFUL_TOTAL = 0.9
DOUBTFUL_SUPPLIER = 0.6
DOUBTFUL_DATE = 0.5


def reading_doubtful(fields: dict[str, Field]) -> bool:
    """Whether the fields of one reading are worth a second reading: no date or one
    read with doubt, no total or one that no check confirms (and that is not printed
    twice), or no supplier or one read with doubt."""
    return (
        "date" not in fields
        or fields["date"].weight() < DOUBTFUL_DATE
        or "total" not in fields
        or fields["total"].confidence < DOUBTFUL_TOTAL
        or "supplier" not in fields
        or fields["supplier"].confidence < DOUBTFUL_SUPPLIER
    )


def readings_disagree(readings: list[dict[str, Field]], name: str) -> bool:
    """Whether the readings leave field ``name`` unsettled: their values differ, or
    a reading lacks it (none finding it is no agreement either)."""
    if any(name not in reading for reading in readings):
        return True
    return len({reading[name].value for reading in readings}) > 1


def fields_merged(*readings: dict[str, Field]) -> dict[str, Field]:
    """The fields of several readings of the same image: per field, the value read
    most often, then the one with the highest confidence weighed by the OCR's
    confidence in its line (:meth:`Field.weight`)."""
    merged: dict[str, Field] = {}
    for name in FIELD_NAMES:
        found = [reading[name] for reading in readings if name in reading]
        if not found:
            continue
        votes = Counter(item.value for item in found)
        best = max(found, key=lambda item: (votes[item.value], item.weight()))
        merged[name] = best
    return merged


def fields_as_dict(fields: dict[str, Field]) -> dict[str, dict]:
    """What is stored on the document and answered by the API."""
    return {name: fields[name].as_dict() for name in FIELD_NAMES if name in fields}


# -- comparing with labels (tests and the benchmark) ------------------------------


def normalise_company(value: str) -> str:
    return " ".join(value.upper().split())


def normalise_total(value: str) -> str:
    amount = amount_parse(value) if value else None
    if amount is None:
        digits = re.sub(r"[^\d.]", "", value or "")
        try:
            amount = Decimal(digits).quantize(Decimal("0.01"))
        except InvalidOperation:
            return ""
    return str(amount)


MONTH_FIRST_NUMERIC = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")


def normalise_date(value: str) -> str:
    """A label's date as ISO: day first, or month first where only that is a date
    (``12/28/2017``, as some sroie-dev labels are written)."""
    dates = dates_in(value or "")
    if dates:
        return dates[0].isoformat()
    match = MONTH_FIRST_NUMERIC.match(value or "")
    if match:
        day = _valid(int(match[3]), int(match[1]), int(match[2]))
        return day.isoformat() if day else ""
    return ""
