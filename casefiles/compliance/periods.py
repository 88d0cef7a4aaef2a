"""Reporting periods (a year, a quarter or two dates) as the dashboard, API and exports
accept them, with the errors a user sees for a period that does not parse. Dates and years
keep to the range of ``mcsc.inputs``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from mcsc.inputs import date_in_range, date_range_message, year_range

# --- Periods ------------------------------------------------------------------------------

_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")


class PeriodError(ValueError):
    """A period that cannot be read; the message says what is expected."""


@dataclass(frozen=True)
class Period:
    """Inclusive local dates; ``key`` is how the period is written in URLs."""

    start: dt.date
    end: dt.date
    key: str
    kind: str  # "year", "quarter" or "range"

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31), str(year), "year")

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        start = dt.date(year, 3 * quarter - 2, 1)
        end = (
            dt.date(year, 12, 31)
            if quarter == 4
            else dt.date(year, 3 * quarter + 1, 1) - dt.timedelta(days=1)
        )
        return cls(start, end, f"{year}-Q{quarter}", "quarter")

    @classmethod
    def between(cls, start: dt.date, end: dt.date) -> Period:
        if not (date_in_range(start) and date_in_range(end)):
            raise PeriodError(date_range_message())
        if end < start:
            raise PeriodError(_("The end date cannot come before the start date."))
        return cls(start, end, f"{start.isoformat()}..{end.isoformat()}", "range")

    @classmethod
    def parse(
        cls,
        period: str | None = None,
        date_from: str | dt.date | None = None,
        date_to: str | dt.date | None = None,
        *,
        today: dt.date | None = None,
    ) -> Period:
        """``period=2026`` or ``2026-Q3``, or ``from``/``to`` dates; default: this year."""
        today = today or timezone.localdate()
        if date_from or date_to:
            start = _date(date_from, "from") if date_from else None
            end = _date(date_to, "to") if date_to else None
            if start is None:
                start = dt.date(end.year, 1, 1)
            if end is None:
                end = max(today, start)
            return cls.between(start, end)
        period = (period or "").strip()
        if not period:
            return cls.year(today.year)
        if match := _YEAR.match(period):
            return cls.year(_year(int(match[1])))
        if match := _QUARTER.match(period):
            return cls.quarter(_year(int(match[1])), int(match[2]))
        raise PeriodError(
            _("Write the period as a year (2026) or a quarter (2026-Q3), or give from/to dates.")
        )

    @property
    def label(self) -> str:
        if self.kind == "year":
            return self.key
        if self.kind == "quarter":
            year, quarter = self.key.split("-")
            return _("%(quarter)s %(year)s") % {"quarter": quarter, "year": year}
        start, end = (
            formats.date_format(self.start, "j M Y"),
            formats.date_format(self.end, "j M Y"),
        )
        return f"{start} – {end}"

    @property
    def start_at(self) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(self.start, dt.time.min))

    @property
    def end_before(self) -> dt.datetime:
        """The first instant after the period (local midnight after ``end``)."""
        return timezone.make_aware(
            dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min)
        )

    def query(self) -> dict[str, str]:
        """The query parameters that select this period on the dashboard and the API."""
        if self.kind == "range":
            return {"from": self.start.isoformat(), "to": self.end.isoformat()}
        return {"period": self.key}


def _date(value: str | dt.date, name: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise PeriodError(
            _("“%(name)s” must be a date written YYYY-MM-DD.") % {"name": name}
        ) from None


def _year(year: int) -> int:
    first, last = year_range()
    if not first <= year <= last:
        raise PeriodError(
            _("Choose a year between %(first)d and %(last)d.") % {"first": first, "last": last}
        )
    return year
