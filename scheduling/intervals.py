"""Half-open time intervals [start, end) and the few operations availability needs.

Lists are kept sorted and non-overlapping ("normalised"); every operation is linear.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True, order=True)
class Interval:
    start: datetime
    end: datetime

    @property
    def duration(self) -> timedelta:
        return self.end - self.start

    def contains(self, other: "Interval") -> bool:
        return self.start <= other.start and other.end <= self.end

    def overlaps(self, other: "Interval") -> bool:
        return self.start < other.end and other.start < self.end


def normalise(intervals: Iterable[Interval]) -> list[Interval]:
    """Sort, drop empty ones and merge overlapping or touching intervals."""
    merged: list[Interval] = []
    for item in sorted(i for i in intervals if i.end > i.start):
        if merged and item.start <= merged[-1].end:
            if item.end > merged[-1].end:
                merged[-1] = Interval(merged[-1].start, item.end)
        else:
            merged.append(item)
    return merged


def clip(intervals: Iterable[Interval], window: Interval) -> list[Interval]:
    return normalise(
        Interval(max(i.start, window.start), min(i.end, window.end))
        for i in intervals
        if i.overlaps(window)
    )


def subtract(base: list[Interval], remove: Iterable[Interval]) -> list[Interval]:
    """``base`` minus ``remove``; both may be unsorted, the result is normalised."""
    result: list[Interval] = []
    holes = normalise(remove)
    for piece in normalise(base):
        cursor = piece.start
        for hole in holes:
            if hole.end <= cursor:
                continue
            if hole.start >= piece.end:
                break
            if hole.start > cursor:
                result.append(Interval(cursor, hole.start))
            cursor = max(cursor, hole.end)
            if cursor >= piece.end:
                break
        if cursor < piece.end:
            result.append(Interval(cursor, piece.end))
    return result


def coverage(per_unit: Iterable[list[Interval]]) -> list[tuple[Interval, int]]:
    """For free intervals per unit: the spans where at least one unit is free, with how many."""
    edges: list[tuple[datetime, int]] = []
    for intervals in per_unit:
        for item in intervals:
            edges.append((item.start, 1))
            edges.append((item.end, -1))
    edges.sort()
    result: list[tuple[Interval, int]] = []
    count = 0
    previous: datetime | None = None
    for moment, delta in edges:
        if previous is not None and moment > previous and count > 0:
            if result and result[-1][0].end == previous and result[-1][1] == count:
                result[-1] = (Interval(result[-1][0].start, moment), count)
            else:
                result.append((Interval(previous, moment), count))
        count += delta
        previous = moment
    return result
