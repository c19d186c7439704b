"""Where each role starts, and who is offered "Update this issue" (AppTest, real entry script)."""

from collections.abc import Callable

from sqlmodel import Session
from streamlit.testing.v1 import AppTest

from tests.app.test_my_issues import OFFICER, accounts, issue, sign_in
from tests.app.test_views import links

__all__ = ["accounts"]  # the fixture, shared with the My issues tests


def test_an_officer_starts_on_my_issues(app: Callable[..., AppTest], accounts: Session) -> None:
    at = sign_in(app(), OFFICER)
    assert at.title[0].value == "My issues"
    at.switch_page("../pages/overview.py").run()  # the Overview is still a menu click away
    assert at.title[0].value == "Progress at a glance"


def test_an_officer_following_a_link_gets_that_page(
    app: Callable[..., AppTest], accounts: Session
) -> None:
    at = sign_in(app(plan="race-equality-scheme-2008-11"), OFFICER)
    assert at.title[0].value == "Progress at a glance"  # a shared, filtered overview


def test_a_councillor_and_an_equality_lead_start_on_the_overview(
    app: Callable[..., AppTest], accounts: Session
) -> None:
    for email in ("cllr@council.gov.uk", "lead@council.gov.uk"):
        at = sign_in(app(), email)
        assert at.title[0].value == "Progress at a glance", email


def test_update_this_issue_only_for_those_who_may(
    app: Callable[..., AppTest], accounts: Session
) -> None:
    theirs, other = issue(accounts, "2.9").id, issue(accounts, "1.1").id

    def offered(email: str, issue_id: object) -> bool:
        at = sign_in(app(), email)
        at.switch_page("../pages/issue.py")
        at.query_params["issue"] = str(issue_id)
        at.run()
        assert at.title[0].value.startswith("Issue "), email
        return links(at).get("Update this issue") == f"my_issues?issue={issue_id}"

    assert offered(OFFICER, theirs)  # led by the lead the officer acts for
    assert not offered(OFFICER, other)
    assert not offered("cllr@council.gov.uk", theirs)  # a viewer reads only
    assert offered("lead@council.gov.uk", other)  # an equality lead updates any issue
