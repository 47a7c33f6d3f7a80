"""Benchmarks of the booking engine and of the occurrence listing, run by ``make bench``
(``python bench/run.py``).

Speed is measured here, never asserted in the tests: every operation is timed against a
baseline measured in the same run on the same data (bare SQL, or django-scheduler's own
expansion of the same events), and reported as a ratio of medians.
"""
