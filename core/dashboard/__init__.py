"""The coordinators' statistics pages: the dashboard, its tables as files, and the monthly
report (page and PDF).

Where this lives and why: the figures come from every app (the engine's utilisation, demand,
programme and people; the Werkhaus's loans; the garden's hours), and nothing below may import
werkhaus or garden — the engine least of all. ``core`` already composes the apps for pages
(``core.selectors`` builds the start page from the engine and the garden), and the modules the
apps import from ``core`` (errors, tables, timeutil, api) import no app, so this package may
import them all without a cycle. A registry filled by each app's ``ready()`` would only move the
same imports elsewhere.

- ``period``: the period picker (form) and what a page asks for (``Query``);
- ``formats``: numbers, shares and tables as text in the page's language;
- ``sections``: one builder per part of the dashboard, each calling selectors and returning a
  chart and its tables; ``table_for`` gives one table for the file downloads;
- ``report``: the key figures of a month against the month before, and the written summary;
- ``views``: thin; ``pdf``: the report through WeasyPrint.
"""
