"""The UK calendar: every "today" and every time shown to a person is UK local time."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

UK_TIME = ZoneInfo("Europe/London")


def uk_today() -> date:
    """Today's date in the UK."""
    return datetime.now(UK_TIME).date()
