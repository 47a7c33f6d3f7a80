"""The inventory of the demo Werkhaus: what a neighbourhood library of things and a small
community workshop typically hold. German data, not UI strings."""

from decimal import Decimal
from typing import NamedTuple

from werkhaus.models import ToolCategory

# Months in which a seasonal tool is in demand; outside them it is borrowed far less.
GARDEN_MONTHS = (3, 4, 5, 6, 7, 8, 9, 10)
SUMMER_MONTHS = (5, 6, 7, 8, 9)
AUTUMN_MONTHS = (9, 10, 11)
HARVEST_MONTHS = (8, 9, 10)

# Portable electrical equipment is inspected once a year (DGUV Vorschrift 3).
YEARLY = 12


class ToolSpec(NamedTuple):
    name: str
    prefix: str  # of the inventory numbers: "AS" → AS-01, AS-02, …
    category: str
    units: int
    deposit: Decimal
    description: str
    safety: str = ""
    max_days: int = 7
    popularity: float = 1.0
    inspect_loans: int | None = None
    inspect_months: int | None = None
    buffer_minutes: int = 0
    season: tuple[int, ...] = ()


POWER = ToolCategory.POWER_TOOLS
HAND = ToolCategory.HAND_TOOLS
GARDEN = ToolCategory.GARDEN
SEWING = ToolCategory.SEWING
CLEANING = ToolCategory.CLEANING
EVENT = ToolCategory.KITCHEN_EVENT
MEASURING = ToolCategory.MEASURING
OTHER = ToolCategory.OTHER

# A table: one tool per entry, kept compact rather than one argument per line.
# fmt: off
TOOLS: list[ToolSpec] = [
    # --- Elektrowerkzeug ---
    ToolSpec(
        "Akkuschrauber", "AS", POWER, 4, Decimal(30),
        "18 V, zwei Akkus, Ladegerät und Bit-Satz im Koffer.",
        popularity=3, inspect_months=YEARLY,
    ),
    ToolSpec(
        "Schlagbohrmaschine", "SB", POWER, 2, Decimal(30),
        "Mit Holz-, Stein- und Metallbohrern; für Dübellöcher in der Wohnung.",
        "Vor dem Bohren mit dem Ortungsgerät nach Strom- und Wasserleitungen suchen.",
        popularity=2, inspect_months=YEARLY,
    ),
    ToolSpec(
        "Bohrhammer", "BH", POWER, 2, Decimal(50),
        "SDS-plus, 800 W, mit Meißelfunktion; für Beton und Mauerwerk.",
        "Schutzbrille und Gehörschutz tragen (liegen im Koffer). Vor dem Bohren nach Leitungen "
        "suchen. Beide Hände an die Griffe.",
        popularity=2, inspect_months=YEARLY,
    ),
    ToolSpec(
        "Stichsäge", "ST", POWER, 3, Decimal(30),
        "Pendelhub, mit Sägeblättern für Holz, Metall und Laminat.",
        "Werkstück fest einspannen, Schutzbrille tragen. Sägeblatt nur bei gezogenem Stecker "
        "wechseln.",
        popularity=1.5, inspect_months=YEARLY,
    ),
    ToolSpec(
        "Handkreissäge", "KS", POWER, 1, Decimal(60),
        "Schnitttiefe 55 mm, mit Führungsschiene 1,4 m.",
        "Nur mit Spaltkeil und Schutzhaube benutzen. Bei der ersten Ausleihe zeigt dir die "
        "Koordination, wie sie sicher geführt wird.",
        popularity=0.7, inspect_loans=10, inspect_months=YEARLY,
    ),
    ToolSpec(
        "Winkelschleifer", "WS", POWER, 1, Decimal(40),
        "125 mm, mit Trenn- und Schruppscheiben für Metall und Stein.",
        "Schutzbrille, Handschuhe und Gehörschutz tragen. Zusatzhandgriff immer montieren, "
        "Schutzhaube nie abnehmen.",
        popularity=0.6, inspect_months=YEARLY,
    ),
    ToolSpec(
        "Schwingschleifer", "SW", POWER, 2, Decimal(20),
        "Mit Schleifpapier in drei Körnungen und Staubbeutel.",
        popularity=1, inspect_months=YEARLY,
    ),
    ToolSpec(
        "Exzenterschleifer", "EX", POWER, 2, Decimal(30),
        "125 mm, mit Absauganschluss; für Möbel, Türen und Fensterbänke.",
        popularity=1, inspect_months=YEARLY,
    ),
    ToolSpec(
        "Oberfräse", "OF", POWER, 1, Decimal(60),
        "1200 W, mit sechs Fräsern und Parallelanschlag.",
        "Fräser nur bei gezogenem Stecker wechseln; Werkstück einspannen, Schutzbrille tragen.",
        popularity=0.4, inspect_months=YEARLY,
    ),
    ToolSpec(
        "Heißluftpistole", "HL", POWER, 1, Decimal(20),
        "Bis 600 °C, zum Entlacken, Biegen und Schrumpfen.",
        "Die Düse wird sehr heiß: abkühlen lassen, nie auf Menschen oder Brennbares richten.",
        popularity=0.4, inspect_months=YEARLY,
    ),
    # --- Handwerkzeug ---
    ToolSpec(
        "Werkzeugkoffer", "WK", HAND, 3, Decimal(20),
        "Hammer, Zangen, Schraubendreher, Inbusschlüssel, Cutter und Zollstock.",
        popularity=2.5,
    ),
    ToolSpec(
        "Fahrrad-Werkzeugset", "FW", HAND, 2, Decimal(15),
        "Reifenheber, Flickzeug, Kettennieter, Konusschlüssel und Standpumpe.",
        popularity=1.2,
    ),
    # --- Messen ---
    ToolSpec(
        "Multimeter", "MM", MEASURING, 2, Decimal(15),
        "Spannung, Strom, Widerstand und Durchgang; mit Messleitungen.",
        "Nur an Batterien und Kleinspannung messen, nicht an der Steckdose.",
        popularity=0.6,
    ),
    ToolSpec(
        "Wasserwaage", "WW", MEASURING, 2, Decimal(10),
        "120 cm, Aluminium, mit zwei Libellen.",
        popularity=0.8,
    ),
    ToolSpec(
        "Kreuzlinienlaser", "KL", MEASURING, 1, Decimal(40),
        "Selbstnivellierend, mit Stativ; zum Aufhängen von Regalen, Bildern und Küchen.",
        "Nicht in den Laserstrahl blicken (Laserklasse 2).",
        popularity=0.6,
    ),
    ToolSpec(
        "Ortungsgerät", "OG", MEASURING, 1, Decimal(20),
        "Findet Strom- und Wasserleitungen, Holz und Metall in der Wand.",
        popularity=0.8,
    ),
    ToolSpec(
        "Feuchtemessgerät", "FM", MEASURING, 1, Decimal(15),
        "Misst die Feuchte von Wänden und Holz, hilfreich bei Schimmelverdacht.",
        popularity=0.6,
    ),
    # --- Garten ---
    ToolSpec(
        "Rasenmäher", "RM", GARDEN, 2, Decimal(50),
        "Benzin, 46 cm Schnittbreite, mit Fangkorb.",
        "Feste Schuhe tragen. Vor dem Reinigen den Zündkerzenstecker abziehen.",
        popularity=0.8, inspect_loans=8, season=GARDEN_MONTHS,
    ),
    ToolSpec(
        "Heckenschere", "HS", GARDEN, 2, Decimal(40),
        "Elektrisch, 60 cm Schwert, mit 20 m Verlängerungskabel.",
        "Kabel immer hinter dem Körper führen; Schutzbrille und Handschuhe tragen.",
        popularity=1, inspect_months=YEARLY, season=GARDEN_MONTHS,
    ),
    ToolSpec(
        "Laubbläser", "LB", GARDEN, 1, Decimal(30),
        "Akku, bläst und saugt, mit Fangsack.",
        "Gehörschutz tragen; nicht in Richtung von Menschen blasen.",
        popularity=1.5, season=AUTUMN_MONTHS,
    ),
    ToolSpec(
        "Spaten", "SP", GARDEN, 4, Decimal(0),
        "Gärtnerspaten mit Eschenstiel.",
        popularity=0.6, season=GARDEN_MONTHS,
    ),
    ToolSpec(
        "Schubkarre", "SK", GARDEN, 2, Decimal(10),
        "100 Liter, luftbereift.",
        popularity=1, season=GARDEN_MONTHS,
    ),
    ToolSpec(
        "Teleskop-Astschere", "TA", GARDEN, 2, Decimal(15),
        "Schneidet Äste bis 3 cm in bis zu 4 m Höhe; mit Klappsäge.",
        popularity=0.6, season=GARDEN_MONTHS,
    ),
    # --- Nähen ---
    ToolSpec(
        "Nähmaschine zum Mitnehmen", "NM", SEWING, 2, Decimal(50),
        "Haushaltsnähmaschine im Koffer, mit Nadeln, Spulen und Garn.",
        popularity=1, inspect_months=YEARLY,
    ),
    ToolSpec(
        "Overlock", "OL", SEWING, 1, Decimal(60),
        "Vierfaden-Overlock für dehnbare Stoffe und saubere Kanten.",
        popularity=0.5, inspect_months=YEARLY,
    ),
    ToolSpec(
        "Bügeleisen mit Brett", "BU", SEWING, 1, Decimal(15),
        "Dampfbügeleisen und großes Bügelbrett.",
        popularity=0.3, inspect_months=YEARLY,
    ),
    # --- Reinigen ---
    ToolSpec(
        "Hochdruckreiniger", "HD", CLEANING, 2, Decimal(40),
        "130 bar, mit Flächenreiniger und 8 m Schlauch.",
        "Nie auf Menschen, Tiere oder Steckdosen richten; Schutzbrille tragen.",
        popularity=1, inspect_loans=10, inspect_months=YEARLY,
    ),
    ToolSpec(
        "Teppichreiniger", "TR", CLEANING, 2, Decimal(40),
        "Waschsauger für Teppiche und Polster, mit Reinigungsmittel.",
        "Nach dem Gebrauch beide Tanks leeren und ausspülen.",
        popularity=1.2, inspect_loans=10, inspect_months=YEARLY,
        # It is cleaned and dried for a day before the next loan.
        buffer_minutes=24 * 60,
    ),
    ToolSpec(
        "Nass-/Trockensauger", "NT", CLEANING, 2, Decimal(30),
        "1400 W, 30-Liter-Behälter, für Bauschmutz und Wasser.",
        popularity=1, inspect_months=YEARLY,
    ),
    # --- Küche und Feste ---
    ToolSpec(
        "Biertischgarnitur", "BT", EVENT, 5, Decimal(20),
        "Tisch und zwei Bänke, 220 cm, für Hoffeste und Geburtstage.",
        max_days=4, popularity=2, season=SUMMER_MONTHS,
    ),
    ToolSpec(
        "Pavillon", "PV", EVENT, 3, Decimal(30),
        "3 × 3 m, mit Seitenwänden und Gewichten.",
        "Bei Wind immer mit allen vier Gewichten sichern.",
        max_days=4, popularity=1.2, season=SUMMER_MONTHS,
    ),
    ToolSpec(
        "Kaffeemaschine für 50 Tassen", "KM", EVENT, 2, Decimal(20),
        "Rundfilter-Kaffeeautomat, 6,8 Liter, mit Warmhaltefunktion.",
        max_days=4, popularity=0.8, inspect_months=YEARLY,
    ),
    ToolSpec(
        "Beamer", "BM", EVENT, 1, Decimal(80),
        "Full HD, HDMI-Kabel und Stativleinwand 180 × 180 cm.",
        max_days=4, popularity=0.7, inspect_months=YEARLY,
    ),
    ToolSpec(
        "Lautsprecher", "LS", EVENT, 2, Decimal(50),
        "Akku-Lautsprecher mit Funkmikrofon, für Feste, Führungen und Versammlungen.",
        max_days=4, popularity=1,
    ),
    ToolSpec(
        "Waffeleisen", "WE", EVENT, 2, Decimal(15),
        "Für belgische Waffeln; ein Rezept liegt bei.",
        max_days=4, popularity=0.6, inspect_months=YEARLY,
    ),
    ToolSpec(
        "Geschirrset für 50 Personen", "GS", EVENT, 2, Decimal(30),
        "Teller, Tassen, Besteck und Gläser in Kisten: Mehrweg statt Einweg.",
        "Bitte gespült zurückbringen.",
        max_days=4, popularity=0.7,
    ),
    ToolSpec(
        "Einkochautomat", "EA", EVENT, 1, Decimal(20),
        "27 Liter, mit Thermostat, für die Ernte aus dem Gemeinschaftsgarten.",
        popularity=0.6, inspect_months=YEARLY, season=HARVEST_MONTHS,
    ),
    # --- Sonstiges ---
    ToolSpec(
        "Leiter", "LE", OTHER, 2, Decimal(20),
        "Dreiteilige Mehrzweckleiter, bis 3,50 m Arbeitshöhe.",
        "Auf festen, ebenen Boden stellen; die obersten drei Sprossen nicht besteigen.",
        popularity=1.8, inspect_months=YEARLY,
    ),
    ToolSpec(
        "Trittleiter", "TL", OTHER, 3, Decimal(0),
        "Vier Stufen, mit Haltebügel.",
        popularity=1, inspect_months=YEARLY,
    ),
    ToolSpec(
        "Sackkarre", "SA", OTHER, 2, Decimal(15),
        "Tragkraft 200 kg, mit Treppensteiger-Rollen.",
        popularity=1.3,
    ),
    ToolSpec(
        "Lastenrad", "LR", OTHER, 1, Decimal(100),
        "Zweirädrig mit Elektroantrieb; Kiste für zwei Kinder oder 80 kg.",
        "Bei der ersten Ausleihe gibt es eine kurze Einweisung. Bitte mit vollem Akku "
        "zurückbringen.",
        max_days=4, popularity=1.2,
    ),
    ToolSpec(
        "Heißklebepistole", "KP", OTHER, 3, Decimal(5),
        "Mit Klebesticks; zum Basteln und Dekorieren.",
        popularity=0.8,
    ),
    ToolSpec(
        "Lötkolben", "LK", OTHER, 2, Decimal(15),
        "Lötstation 60 W mit Lötzinn und Entlötlitze.",
        "Die Spitze wird bis 450 °C heiß: immer in den Ständer legen. Beim Löten lüften.",
        popularity=0.5, inspect_months=YEARLY,
    ),
]
# fmt: on


class BenchSpec(NamedTuple):
    name: str
    kind: str
    prefix: str
    units: int
    description: str
    max_minutes: int = 240
    briefing: str = ""  # the Einweisung needed before booking


BENCHES: list[BenchSpec] = [
    BenchSpec("Hobelbank", "workbench", "HB", 2, "Massive Hobelbank mit Vorder- und Hinterzange."),
    BenchSpec(
        "Elektronik-Arbeitsplatz", "workbench", "EL", 1, "Lötstation, Labornetzteil, Multimeter."
    ),
    BenchSpec("Nähmaschine", "machine", "NA", 2, "Haushaltsnähmaschine mit Zickzackstich."),
    BenchSpec("3D-Drucker", "machine", "3D", 1, "PLA und PETG, Bauraum 22 cm.", max_minutes=480),
    BenchSpec(
        "Drechselbank",
        "machine",
        "DB",
        1,
        "Holzdrechselbank, 1 m Spitzenweite.",
        briefing="Einweisung Drechselbank",
    ),
    BenchSpec(
        "Lasercutter",
        "machine",
        "LC",
        1,
        "CO₂-Laser 40 W, Arbeitsfläche 50 × 30 cm.",
        briefing="Einweisung Lasercutter",
    ),
]


class RoomSpec(NamedTuple):
    name: str
    label: str
    description: str
    max_people: int
    equipment: str
    requires_approval: bool
    max_minutes: int
    lead_minutes: int


ROOMS: list[RoomSpec] = [
    RoomSpec(
        "Gemeinschaftsraum",
        "GR",
        "Für Treffen, Kurse und Feiern, bis 30 Personen. Barrierefrei im Erdgeschoss.",
        30,
        "Tische und Stühle für 30 Personen, Küchenzeile, Beamer-Anschluss, Flipchart.",
        requires_approval=True,
        max_minutes=8 * 60,
        lead_minutes=3 * 24 * 60,
    ),
    RoomSpec(
        "Werkstatt",
        "WT",
        "Die ganze Werkstatt für eine Gruppe, bis 15 Personen, außerhalb der offenen Zeiten.",
        15,
        "Sechs Werkbänke, Absaugung, Erste-Hilfe-Kasten, Schutzbrillen und Gehörschutz.",
        requires_approval=False,
        max_minutes=6 * 60,
        lead_minutes=2 * 24 * 60,
    ),
]

# What comes back a little less new than it went out.
WEAR = [
    "Kratzer am Gehäuse.",
    "Koffer-Verschluss klemmt etwas.",
    "Akku hält nicht mehr so lange.",
    "Gebrauchsspuren, funktioniert einwandfrei.",
]
