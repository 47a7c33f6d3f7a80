"""Paired timing: an operation and its baseline, interleaved, reported as a ratio of medians.

Interleaving (and alternating which of the two runs first) means that drift of the machine,
a checkpoint or autovacuum hits both sides alike, so the ratio stays meaningful on a noisy
machine even when the absolute times are not.
"""

import gc
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Step = Callable[[int], object]


@dataclass(frozen=True)
class Timings:
    operation_ns: list[int]
    baseline_ns: list[int]

    @staticmethod
    def _ms(samples: list[int], quantile: float) -> float:
        ordered = sorted(samples)
        return ordered[min(len(ordered) - 1, int(quantile * len(ordered)))] / 1e6

    @property
    def operation_ms(self) -> float:
        return statistics.median(self.operation_ns) / 1e6

    @property
    def baseline_ms(self) -> float:
        return statistics.median(self.baseline_ns) / 1e6

    @property
    def ratio(self) -> float:
        return self.operation_ms / self.baseline_ms

    def as_dict(self) -> dict[str, Any]:
        return {
            "repetitions": len(self.operation_ns),
            "operation_median_ms": round(self.operation_ms, 4),
            "operation_p90_ms": round(self._ms(self.operation_ns, 0.9), 4),
            "baseline_median_ms": round(self.baseline_ms, 4),
            "baseline_p90_ms": round(self._ms(self.baseline_ns, 0.9), 4),
            "ratio": round(self.ratio, 2),
        }


def time_pair(*, operation: Step, baseline: Step, repetitions: int, warmup: int) -> Timings:
    """Run both ``warmup`` times untimed, then ``repetitions`` times each, interleaved."""
    for i in range(warmup):
        baseline(i)
        operation(i)
    gc.collect()
    op_ns: list[int] = []
    base_ns: list[int] = []
    clock = time.perf_counter_ns
    for i in range(repetitions):
        order = ((baseline, base_ns), (operation, op_ns))
        for step, samples in order if i % 2 == 0 else reversed(order):
            began = clock()
            step(i)
            samples.append(clock() - began)
    return Timings(operation_ns=op_ns, baseline_ns=base_ns)


def time_interleaved(
    steps: dict[str, Step], *, repetitions: int, warmup: int
) -> dict[str, list[int]]:
    """Like ``time_pair`` for any number of steps: each repetition runs every step once, the
    order rotated from one repetition to the next, so that each step runs first as often as
    the others. Returns the samples in nanoseconds by step name."""
    names = list(steps)
    for i in range(warmup):
        for name in names:
            steps[name](i)
    gc.collect()
    samples: dict[str, list[int]] = {name: [] for name in names}
    clock = time.perf_counter_ns
    for i in range(repetitions):
        shift = i % len(names)
        for name in names[shift:] + names[:shift]:
            began = clock()
            steps[name](i)
            samples[name].append(clock() - began)
    return samples
