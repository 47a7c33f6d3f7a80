"""The demo garden's static lists: the plots on the map, the gardeners and who held what.
German data, not translated.

The map is a grid of 8 columns (x 0–7) and 5 rows (y 0–4). Row 2 is the main path from the
gate, column 4 the cross path; the water tap stands where they meet, a second one at the
tool shed. The compost (x 7, y 0) and the tool shed (x 7, y 1) take the two cells in the
north-east corner. Plots 21–24 in the south-east were laid out over the winter.
"""

from typing import NamedTuple

from accounts.demo import WALK_IN_NAME


class PlotSpec(NamedTuple):
    number: int
    x: int
    y: int
    width: int
    size_m2: str
    sun: str  # garden.models.Sun
    water: bool
    raised: bool
    households: int
    note: str


PLOTS: list[PlotSpec] = [
    PlotSpec(1, 0, 0, 1, "12", "partial", False, False, 1, "An der Hecke, vormittags Schatten."),
    PlotSpec(2, 1, 0, 1, "12", "partial", False, False, 1, "An der Hecke."),
    PlotSpec(3, 2, 0, 1, "12", "sunny", False, False, 1, "Sonnig, Wasser mit der Kanne."),
    PlotSpec(4, 3, 0, 1, "10", "sunny", True, False, 1, "Am Querweg."),
    PlotSpec(5, 0, 1, 1, "12", "sunny", False, False, 1, "Sonnig, Wasser mit der Kanne."),
    PlotSpec(
        6,
        1,
        1,
        2,
        "20",
        "sunny",
        True,
        False,
        3,
        "Gemeinschaftsbeet für drei Haushalte am Hauptweg.",
    ),
    PlotSpec(7, 3, 1, 1, "6", "sunny", True, True, 1, "Hochbeet an der Wegkreuzung, barrierefrei."),
    PlotSpec(8, 0, 3, 2, "18", "sunny", True, False, 2, "Geteiltes Beet für zwei Haushalte."),
    PlotSpec(9, 2, 3, 1, "12", "sunny", True, False, 1, "Am Hauptweg."),
    PlotSpec(
        10, 3, 3, 1, "6", "sunny", True, True, 1, "Hochbeet an der Wasserstelle, barrierefrei."
    ),
    PlotSpec(11, 0, 4, 1, "15", "sunny", False, False, 1, "Am Zaun, Wasser mit der Kanne."),
    PlotSpec(12, 1, 4, 1, "15", "sunny", False, False, 1, "Am Zaun, Wasser mit der Kanne."),
    PlotSpec(13, 2, 4, 1, "15", "sunny", False, False, 1, "Am Zaun, Wasser mit der Kanne."),
    PlotSpec(14, 3, 4, 1, "12", "sunny", True, False, 1, "Am Querweg."),
    PlotSpec(15, 5, 0, 1, "12", "sunny", True, False, 1, "Am Querweg."),
    PlotSpec(
        16, 6, 0, 1, "10", "shade", False, False, 1, "Unter dem Ahorn: gut für Salat und Kräuter."
    ),
    PlotSpec(17, 5, 1, 1, "8", "sunny", True, True, 1, "Hochbeet am Hauptweg."),
    PlotSpec(18, 6, 1, 1, "12", "partial", True, False, 1, "Neben dem Geräteschuppen."),
    PlotSpec(19, 5, 3, 1, "8", "sunny", True, True, 1, "Hochbeet am Hauptweg."),
    PlotSpec(20, 6, 3, 1, "12", "sunny", True, False, 1, "Am Hauptweg."),
    PlotSpec(21, 7, 3, 1, "12", "partial", False, False, 1, "Neu angelegt, am Zaun."),
    PlotSpec(22, 5, 4, 1, "12", "sunny", True, False, 1, "Neu angelegt, am Querweg."),
    PlotSpec(23, 6, 4, 1, "12", "partial", False, False, 1, "Neu angelegt, Halbschatten."),
    PlotSpec(24, 7, 4, 1, "10", "shade", False, False, 1, "Neu angelegt, unter den Linden."),
]


class Gardener(NamedTuple):
    name: str
    language: str
    email: str
    phone: str
    volunteer: bool


# Members without login, registered by the coordination; some have no e-mail address.
GARDENERS: list[Gardener] = [
    Gardener("Gisela Schröder", "de", "gisela.schroeder@example.org", "", True),
    Gardener("Yusuf Demir", "de", "", "0157 5550 1102", False),
    Gardener("Mariam Al-Khatib", "de", "mariam.alkhatib@example.org", "0157 5550 1103", True),
    Gardener("Piotr Nowak", "de", "piotr.nowak@example.org", "", False),
    Gardener("Senait Tesfaye", "en", "", "0157 5550 1105", False),
    Gardener("Nguyễn Thị Lan", "de", "", "0157 5550 1106", False),
    Gardener("Tigist Alemu", "en", "", "0157 5550 1107", False),
    Gardener("Karin Hoffmann", "de", "karin.hoffmann@example.org", "", False),
    Gardener("Olena Shevchenko", "en", "olena.shevchenko@example.org", "", True),
    Gardener("Ahmad Rahimi", "de", "", "0157 5550 1110", True),
    Gardener("Abdullah Sharifi", "de", "", "0157 5550 1111", False),
    Gardener("Ioana Popescu", "en", "ioana.popescu@example.org", "", False),
    Gardener("Dilan Aydın", "de", "dilan.aydin@example.org", "0157 5550 1113", True),
    Gardener("Samira Benali", "de", "", "0157 5550 1114", False),
    Gardener("Chiamaka Okafor", "en", "chiamaka.okafor@example.org", "", False),
    Gardener("Jonas Becker", "de", "jonas.becker@example.org", "", True),
    Gardener("Leyla Məmmədova", "de", "", "0157 5550 1117", False),
    Gardener("Rami Khoury", "de", "rami.khoury@example.org", "0157 5550 1118", True),
    # New this season: on the waiting list, offered or given one of the new plots.
    Gardener("Svitlana Bondarenko", "en", "svitlana.bondarenko@example.org", "", False),
    Gardener("Murat Kaya", "de", "", "0157 5550 1120", False),
    Gardener("Fatima Hussaini", "de", "", "0157 5550 1121", False),
    Gardener("Kwame Mensah", "en", "kwame.mensah@example.org", "", False),
    Gardener("Hannah Weber", "de", "hannah.weber@example.org", "", False),
    Gardener("Lina Petrović", "de", "lina.petrovic@example.org", "0157 5550 1124", False),
]

# Who held which plot last season (demo accounts by username; the rest by name).
LAST_HOLDERS: dict[int, list[str]] = {
    1: ["Gisela Schröder"],
    2: ["Yusuf Demir"],
    3: ["Mariam Al-Khatib"],
    4: ["Piotr Nowak"],
    5: ["Senait Tesfaye"],
    6: ["Nguyễn Thị Lan", "Tigist Alemu", WALK_IN_NAME],
    7: ["Karin Hoffmann"],
    8: ["Olena Shevchenko", "resident2"],
    9: ["Ahmad Rahimi"],
    10: ["Abdullah Sharifi"],
    11: ["Ioana Popescu"],
    12: ["Dilan Aydın"],
    13: ["Samira Benali"],
    14: ["Chiamaka Okafor"],
    15: ["resident"],
    17: ["Jonas Becker"],
    18: ["Leyla Məmmədova"],
    19: ["Rami Khoury"],
    20: ["volunteer"],
}

# Last season: offered the shady plot 16, and declined it.
LAST_DECLINED = ("Hannah Weber", 16)

# This season so far: holders who applied and then renewed, holders who renewed directly
# (the others may still renew until the deadline), and the new applicants in the order they
# applied, with their wishes and days after the applications opened.
RENEWED_AFTER_APPLYING = ["Gisela Schröder", "Olena Shevchenko", "resident", "Ahmad Rahimi"]
RENEWED = [
    "Yusuf Demir",
    "Mariam Al-Khatib",
    "Nguyễn Thị Lan",
    WALK_IN_NAME,
    "Karin Hoffmann",
    "volunteer",
    "Dilan Aydın",
]
NEW_APPLICANTS: list[tuple[str, str, int]] = [
    ("Svitlana Bondarenko", "Ein Beet für meine Kinder und mich.", 1),
    ("Murat Kaya", "Gern nah am Wasser, ich komme mit dem Rad.", 3),
    ("Kwame Mensah", "Gern mit Wasserstelle in der Nähe.", 5),
    ("Hannah Weber", "Diesmal bitte ein sonniges Beet.", 6),
    ("Lina Petrović", "Ein Hochbeet, ich kann mich schlecht bücken.", 9),
    ("Fatima Hussaini", "Ein großes, sonniges Beet, wir sind zu fünft.", 20),
]
ALLOCATED_NEW = ("Svitlana Bondarenko", 21)
OFFERED_NEW = ("Murat Kaya", 22)
PRIORITY = ("Fatima Hussaini", 10, "Familie ohne Garten")

# Shifts: who waters on which weekday (Monday 0), who steps in, who comes on garden days.
WATERING_ROTA: dict[int, str] = {
    0: "Gisela Schröder",
    1: "Ahmad Rahimi",
    2: "Olena Shevchenko",
    3: "Jonas Becker",
    4: "Mariam Al-Khatib",
    5: "Dilan Aydın",
    6: "volunteer",
}
STAND_IN = "Rami Khoury"
GARDEN_DAY_CREW = [*WATERING_ROTA.values(), STAND_IN]

# Work outside the shifts: (who, month, day, minutes, activity, note, decision), the decision
# being "approve", "reject" or "" (still to approve).
OTHER_WORK: list[tuple[str, int, int, int, str, str, str]] = [
    ("Gisela Schröder", 4, 11, 180, "Anzucht", "Tomaten und Paprika pikiert.", "approve"),
    ("volunteer", 5, 23, 120, "Pflanzentauschbörse", "Stand am Werkhaus betreut.", "approve"),
    ("Jonas Becker", 6, 14, 240, "Regentonnen angeschlossen", "", "approve"),
    ("Mariam Al-Khatib", 7, 3, 90, "Kita-Besuch im Garten begleitet", "", "approve"),
    ("Rami Khoury", 8, 9, 150, "Gartenwerkzeug geschärft", "Im Werkhaus.", "approve"),
    ("Ahmad Rahimi", 8, 15, 120, "Kompost umgesetzt", "Am Gartentag.", "reject"),
    ("Olena Shevchenko", 9, 12, 120, "Erntefest vorbereitet", "", ""),
    ("Dilan Aydın", 9, 19, 60, "Aushang übersetzt", "Türkisch und Kurmancî.", ""),
]
