"""Generated receipts: Dutch (and two English) till receipts and an invoice, as text
with the fields a person reads from them, rendered with Pillow as a till or a
printer prints them.

They are written after the layouts of real Dutch receipts (a supermarket with a VAT
table, a chemist, a petrol station, a café paid in cash, a parking garage, an
invoice of a B.V.). The VAT table, VAT-included and card-payment rules were written
while reading them, so they show what the rules handle, not how the rules do on
receipts never seen; ``make bench-ocr`` reads all of them in four renderings, the
tests a few.
"""

import io
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFilter, ImageFont


@dataclass(frozen=True)
class GeneratedReceipt:
    name: str
    text: str
    #: What a person reads from it: the fields of ``receipts.extraction``.
    fields: dict[str, str]


RECEIPTS = (
    GeneratedReceipt("supermarket", """\
Albert Heijn
Kerkstraat 10
1017 GC Amsterdam
Tel: 020-6241234
AANTAL OMSCHRIJVING PRIJS BEDRAG
1 HALFVOLLE MELK 1,15
2 BANANEN 0,99 1,98
1 AH PINDAKAAS 2,49
1 BROOD VOLKOREN 2,29
SUBTOTAAL 7,91
BONUS PINDAKAAS -0,50
TOTAAL 7,41
PINNEN 7,41
BTW OVER EUR
9% 6,80 0,61
TOTAAL 6,80 0,61
Transactie 123456 Terminal 4XY5ZZ
03-12-2026 14:32
Bedankt en tot ziens""", {"supplier": "Albert Heijn", "date": "2026-12-03",
        "total": "7.41", "vat_amount": "0.61", "vat_rate": "9", "currency": "EUR"}),
    GeneratedReceipt("grocer", """\
JUMBO Supermarkten
Jumbo Utrecht Centrum
Lange Viestraat 2
Datum: 28.11.2026 Tijd: 09:14
Kaas jong belegen 4,99
Eieren 10 st 3,29
Koffie 500g 6,49
Te betalen 14,77
Betaald met PIN 14,77
BTW% Bedrag excl. BTW Totaal
9% 13,55 1,22 14,77
Kassa 3 Bon 4412""", {"supplier": "JUMBO Supermarkten", "date": "2026-11-28",
        "total": "14.77", "vat_amount": "1.22", "vat_rate": "9", "currency": "EUR"}),
    GeneratedReceipt("department-store", """\
HEMA
Hoogstraat 45 Rotterdam
KvK 34215639
Sokken 3-pack 7,00
Rookworst 3,75
Schrift A4 1,50
Totaal EUR 12,25
Pin EUR 12,25
BTW 21% 1,74 over 8,25
BTW 9% 0,33 over 3,75
02/12/2026 16:05""", {"supplier": "HEMA", "date": "2026-12-02", "total": "12.25",
        "vat_amount": "2.07", "currency": "EUR"}),
    GeneratedReceipt("petrol-station", """\
Shell Station A2 Breukelen
Rijksstraatweg 1, 3621 Breukelen
BTW nr NL001234567B01
Pomp 5 Euro 95 E10
41,23 L x 2,109 €/L
Brandstof € 86,95
Totaal € 86,95
Waarvan BTW 21% € 15,09
Betaald Maestro € 86,95
Datum 01-12-2026 07:48""", {"supplier": "Shell Station A2 Breukelen",
        "date": "2026-12-01", "total": "86.95", "vat_amount": "15.09", "vat_rate": "21",
        "currency": "EUR"}),
    GeneratedReceipt("cafe", """\
Eetcafe De Zwaan
Markt 3, Haarlem
Tafel 7 Bediende: Sanne
2 x Cappuccino 7,00
1 x Appeltaart 4,50
1 x Tosti ham kaas 5,25
Totaal 16,75
Inclusief 9% BTW 1,38
Contant 20,00
Wisselgeld 3,25
30 november 2026 15:21
Bedankt voor uw bezoek!""", {"supplier": "Eetcafe De Zwaan", "date": "2026-11-30",
        "total": "16.75", "vat_amount": "1.38", "vat_rate": "9", "currency": "EUR"}),
    GeneratedReceipt("invoice", """\
Drukkerij Van Dam B.V.
Industrieweg 8
5301 AB Zaltbommel
KvK 12345678 BTW NL812345678B01
FACTUUR
Factuurnummer: 2026-1187
Factuurdatum: 27-11-2026
Vervaldatum: 27-12-2026
Omschrijving Aantal Prijs Bedrag
Visitekaartjes 500 st 1 45,00 45,00
Flyers A5 1000 st 1 120,00 120,00
Subtotaal excl. BTW € 165,00
BTW 21% € 34,65
Totaal incl. BTW € 199,65
Gelieve te betalen binnen 30 dagen op NL91 ABNA 0417 1643 00""",
        {"supplier": "Drukkerij Van Dam B.V.", "date": "2026-11-27", "total": "199.65",
         "vat_amount": "34.65", "vat_rate": "21", "currency": "EUR",
         "invoice_number": "2026-1187"}),
    GeneratedReceipt("hardware-store", """\
GAMMA Bouwmarkt
Amersfoort
Schroeven 4x40 200st 8,99
Verf wit 2,5L 29,99
Kwast 5,49
Subtotaal 44,47
Korting 10% -4,45
Totaal te betalen 40,02
Pinbetaling 40,02
BTW 21% 6,95
Datum: 29-11-26 11:02""", {"supplier": "GAMMA Bouwmarkt", "date": "2026-11-29",
        "total": "40.02", "vat_amount": "6.95", "vat_rate": "21", "currency": "EUR"}),
    GeneratedReceipt("chemist", """\
Apotheek De Linde
Lindelaan 4, Zwolle
Paracetamol 500mg 2,15
Zonnebrand SPF30 9,95
Totaal 12,10
BTW 9% 0,18
BTW 21% 1,73
Betaald PIN 12,10
Datum 26-11-2026""", {"supplier": "Apotheek De Linde", "date": "2026-11-26",
        "total": "12.10", "vat_amount": "1.91", "currency": "EUR"}),
    GeneratedReceipt("parking", """\
Q-Park Centrum
Parkeergarage Stadhuis
Inrijtijd 25-11-2026 08:55
Uitrijtijd 25-11-2026 17:40
Parkeerduur 8 u 45 min
Te betalen € 31,50
BTW 21% € 5,47
Betaald creditcard""", {"supplier": "Q-Park Centrum", "date": "2026-11-25",
        "total": "31.50", "vat_amount": "5.47", "vat_rate": "21", "currency": "EUR"}),
    GeneratedReceipt("restaurant", """\
Restaurant Het Pakhuis
Havenstraat 22 Vlissingen
Datum 21-11-2026 Tijd 20:14
Tafel 12
4 Biertje 3,20 12,80
2 Hoofdgerecht 22,50 45,00
1 Fles wijn 28,00
Subtotaal 85,80
Fooi 4,20
Totaal € 90,00
BTW laag 9% 3,54
BTW hoog 21% 9,81""", {"supplier": "Restaurant Het Pakhuis", "date": "2026-11-21",
        "total": "90.00", "currency": "EUR"}),
    GeneratedReceipt("taxi", """\
TCA Taxi Amsterdam
Rit 3312
Van: Centraal Station
Naar: Zuidas
Datum: 19-11-2026
Ritprijs EUR 27,40
BTW 9% EUR 2,26
Totaal EUR 27,40""", {"supplier": "TCA Taxi Amsterdam", "date": "2026-11-19",
        "total": "27.40", "vat_amount": "2.26", "vat_rate": "9", "currency": "EUR"}),
    GeneratedReceipt("english-shop", """\
TESCO EXPRESS
London Bridge
VAT No 220430231
MILK 1.10
SANDWICH 3.25
WATER 0.95
TOTAL £5.30
VISA DEBIT 5.30
VAT RATE NET VAT
A 20% 0.79 0.16
04/11/2026 12:31""", {"supplier": "TESCO EXPRESS", "date": "2026-11-04",
        "total": "5.30", "vat_amount": "0.16", "vat_rate": "20", "currency": "GBP"}),
)  # fmt: skip


@dataclass(frozen=True)
class Rendering:
    """How a receipt is printed and scanned: font, size, skew and blur."""

    font: str
    size: int
    angle: float = 0.0
    blur: float = 0.0


#: A till's monospaced font, then proportional fonts, skewed and blurred a little.
RENDERINGS = (
    Rendering("DejaVuSansMono.ttf", 20),
    Rendering("DejaVuSans.ttf", 18, angle=0.8, blur=0.6),
    Rendering("DejaVuSerif.ttf", 16, angle=-1.0, blur=0.8),
    Rendering("DejaVuSansCondensed.ttf", 15, angle=0.4, blur=0.9),
)


def receipt_jpeg(
    receipt: GeneratedReceipt, rendering: Rendering = RENDERINGS[0]
) -> bytes:
    """The receipt as a JPEG scan of 560 px wide paper: amounts right-aligned as a
    till prints them, then skewed and blurred as ``rendering`` says."""
    font = ImageFont.truetype(rendering.font, rendering.size)
    lines = receipt.text.splitlines()
    step, width = round(rendering.size * 1.5), 560
    image = Image.new("L", (width, 60 + step * len(lines)), 250)
    draw = ImageDraw.Draw(image)
    for row, line in enumerate(lines):
        top = 30 + row * step
        head, _, last = line.rpartition(" ")
        if (
            head
            and any(char.isdigit() for char in last)
            and ("," in last or "." in last)
        ):
            draw.text((20, top), head, font=font, fill=20)
            draw.text((width - 20 - draw.textlength(last, font=font), top), last,
                      font=font, fill=20)  # fmt: skip
        else:
            draw.text((20, top), line, font=font, fill=20)
    if rendering.angle:
        image = image.rotate(
            rendering.angle,
            expand=True,
            fillcolor=250,
            resample=Image.Resampling.BICUBIC,
        )
    if rendering.blur:
        image = image.filter(ImageFilter.GaussianBlur(rendering.blur))
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, "JPEG", quality=70)
    return buffer.getvalue()
