"""The overview warns when published equality information falls due within 60 days, is overdue,
or is more than a year old; a plan never published, or published recently, shows no warning."""

from collections.abc import Callable
from datetime import date, timedelta

from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest

from dashboard.formats.words import day_text
from dashboard.rules.dates import uk_today
from dashboard.rules.publication import DUTIES, Nation, next_due
from dashboard.ui.cache import after_write
from models import Plan, Publication


def _published(seeded: Session, on: date, nation: str = "england") -> None:
    plan = seeded.exec(select(Plan).where(Plan.slug == "eflg-developing")).one()
    assert plan.id is not None
    seeded.add(Publication(plan_id=plan.id, nation=nation, published_on=on,
                           covers_from=on - timedelta(days=365), covers_to=on, content={},
                           by="test"))  # fmt: skip
    seeded.commit()
    after_write()


def _warnings(at: AppTest) -> list[str]:
    return [w.value for w in at.warning]


def test_no_warning_before_anything_is_published_or_soon_after(
    app: Callable[..., AppTest], seeded: Session
) -> None:
    assert not any("equality information" in w.lower() for w in _warnings(app()))
    _published(seeded, uk_today() - timedelta(days=30))
    assert not any("Equality information" in w for w in _warnings(app()))


def test_a_duty_due_within_60_days_is_named_with_its_date(
    app: Callable[..., AppTest], seeded: Session
) -> None:
    today = uk_today()
    on = today - timedelta(days=330)
    _published(seeded, on)
    due = next_due(DUTIES[Nation.ENGLAND][0], on, today)  # a year after it was published
    shown = "\n".join(_warnings(app()))
    assert (
        f"Equality information (England) is due by {day_text(due)}, in {(due - today).days} days."
        in shown
    )
    assert "Equality objectives" not in shown  # four-yearly: not due for years


def test_an_old_publication_is_called_out_of_date_and_overdue(
    app: Callable[..., AppTest], seeded: Session
) -> None:
    # Published in the run-up to one 31 March, so the next 31 March's annual report has passed.
    old = uk_today() - timedelta(days=800)
    _published(seeded, old, nation="wales")
    shown = "\n".join(_warnings(app()))
    assert f"for Wales was published on {day_text(old)}, more than a year ago" in shown
    assert "Annual equality report (Wales) is overdue" in shown
