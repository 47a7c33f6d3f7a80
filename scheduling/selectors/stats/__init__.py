"""Statistics of the engine for coordinators: utilisation and unmet demand (issue #8).

Reads only, computed in the database; a fixed number of queries whatever the data. Figures
only: no member's name, e-mail or id ever leaves these functions.
"""

from scheduling.selectors.stats.demand import (
    DemandFilter,
    RefusalCount,
    RefusalTarget,
    RefusalWeek,
    WaitlistOutcome,
    refusals_by_code,
    refusals_by_target,
    refusals_by_week,
    waitlist_outcomes,
)
from scheduling.selectors.stats.scope import ResourceFilter
from scheduling.selectors.stats.utilisation import (
    Every,
    HeatCell,
    KindUtilisation,
    PeriodUtilisation,
    ResourceUtilisation,
    UnitUtilisation,
    utilisation_by_kind,
    utilisation_by_resource,
    utilisation_by_unit,
    utilisation_heatmap,
    utilisation_over_time,
)

__all__ = [
    "DemandFilter",
    "Every",
    "HeatCell",
    "KindUtilisation",
    "PeriodUtilisation",
    "RefusalCount",
    "RefusalTarget",
    "RefusalWeek",
    "ResourceFilter",
    "ResourceUtilisation",
    "UnitUtilisation",
    "WaitlistOutcome",
    "refusals_by_code",
    "refusals_by_target",
    "refusals_by_week",
    "utilisation_by_kind",
    "utilisation_by_resource",
    "utilisation_by_unit",
    "utilisation_heatmap",
    "utilisation_over_time",
    "waitlist_outcomes",
]
