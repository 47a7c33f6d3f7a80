"""Every part of the dashboard by key, in the order of the page, and which part holds which
downloadable table."""

from collections.abc import Callable

from core.dashboard import activity, people, sections
from core.dashboard.period import Query
from core.dashboard.sections import Section
from core.tables import Table

SECTIONS: dict[str, Callable[[Query], Section]] = {
    "utilisation": sections.utilisation,
    "heatmap": sections.heatmap,
    "resources": sections.resources,
    "programme": activity.programme,
    "hours": activity.garden_hours,
    "loans": activity.loans,
    "demand": people.demand,
    "people": people.served,
}

TABLES = {
    "utilisation": "utilisation",
    "heatmap": "heatmap",
    "resources": "resources",
    "programme": "programme",
    "hours": "hours",
    "loans": "loans",
    "refusals": "demand",
    "waitlists": "demand",
    "people-role": "people",
    "people-language": "people",
}


def all_sections(q: Query) -> list[Section]:
    return [build(q) for build in SECTIONS.values()]


def table_for(key: str, q: Query) -> Table | None:
    """The table ``key`` as the page shows it, named for its file; None for an unknown key."""
    section_key = TABLES.get(key)
    if section_key is None:
        return None
    section = SECTIONS[section_key](q)
    table = next(s.table for s in section.tables if s.key == key)
    table.name = f"{key}-{q.period.first.isoformat()}-{q.period.last.isoformat()}"
    return table
