"""Browser tests: Debian's Chromium driven through Playwright against the live server.

Every test in this package is marked ``browser`` and skipped where chromium is missing."""
