"""Benchmarks of the booking engine, run by ``make bench`` (``python bench/run.py``).

Speed is measured here, never asserted in the tests: every operation is timed against a bare
SQL baseline measured in the same run on the same data, and reported as a ratio of medians.
"""
