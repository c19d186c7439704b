"""The Streamlit script the app serves (dashboard/app.py hands it to `st.App`; pages/ and the
tests name pages relative to it, "../pages/…"), run for every page view: signs the user in,
builds the navigation for their role and hands over to a page.

A bad setting, a database that cannot be reached and any unexpected error on a page are logged
for the administrator and shown to the user as a calm sentence, never as a stack trace
(dashboard/ui/faults.py).
"""

from pathlib import Path

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from dashboard.store.settings import SettingsError
from dashboard.ui import faults, signin, widgets
from dashboard.ui.cache import refresh_if_data_changed
from dashboard.ui.engine import freeze_startup_heap, settings
from models import Role

PAGES = Path(__file__).resolve().parent.parent / "pages"
# The browser-tab icon travels inside the page (Streamlit turns an SVG file into a data: address).
# A ":material/…:" page icon would be fetched from Google's servers on every visit: a third-party
# request a council page should not make, and one that fails on a closed network.
FAVICON = Path(__file__).resolve().parent / "ui" / "assets" / "favicon.svg"

LANDED = "eflg_landed"  # this visit has opened its first page

st.set_page_config(page_title="Equality action plans", page_icon=str(FAVICON), layout="wide")


def page(
    file: str,
    title: str,
    icon: str,
    *,
    default: bool = False,
    hidden: bool = False,
    url_path: str | None = None,
) -> StreamlitPage:
    """A screen from pages/; hidden ones are reached by links (drill-down), not the menu."""
    return st.Page(
        PAGES / file,
        title=title,
        icon=f":material/{icon}:",
        default=default,
        url_path=url_path,
        visibility="hidden" if hidden else "visible",
    )


# The app's own styles come with the page itself, as a stylesheet (dashboard/ui/server.py). The
# first element of every page is still an HTML block, an empty style block (drawn where it takes
# no room): Streamlit readies its drawing of HTML blocks only when a page first has one, and the
# overview's bars (HTML blocks) waited a whole drawing of the page for it (measured: README →
# Performance).
st.html("<style></style>")
try:
    settings()
except SettingsError as wrong:  # a setting in the server's environment the app cannot use
    faults.bad_setting(wrong)
try:
    refresh_if_data_changed()  # another server or the command line may have written since
    actor = signin.signed_in_actor()  # shows the sign-in form and stops when nobody is signed in
except faults.DATABASE_FAULTS as fault:  # the first touch of the database on every run
    faults.database_unreachable(fault)
# The menu's place in the sidebar comes before the page; its links come after it (below). The
# browser sets the sidebar up, measuring the whole page as it does, when the sidebar's first
# element arrives: arriving last, with the page already there, that held the first screen up
# (measured: README → Performance).
menu = st.sidebar.container()

sections: dict[str, list[StreamlitPage]] = {
    # Progress: for everyone, CMT and councillors first of all.
    "Progress": [
        page("overview.py", "Overview", "dashboard", default=True),
        page("theme.py", "Themes", "category", url_path="themes"),
        page("service.py", "Services", "groups", url_path="services"),
        page("coverage.py", "Coverage", "grid_on"),
        page("plans.py", "All plans", "list_alt"),
        page("search.py", "Find an issue", "search"),
        page("issue.py", "Issue", "description", hidden=True),
    ],
}
# My work: officers and equality leads, who can update issues.
my_issues = page("my_issues.py", "My issues", "task_alt")
if actor.role in (Role.OFFICER, Role.ADMIN):
    sections["My work"] = [my_issues]
# Meetings: everyone sees them; only admins may record one (checked again in
# meetings.record_meeting).
sections["Meetings"] = [
    page("meetings.py", "Meetings", "event"),
    page("present.py", "Presentation", "slideshow", url_path="present"),
]
# Levels: readiness and self-assessment for everyone; loading criteria for admins.
sections["Levels"] = [
    page("levels.py", "Readiness", "stairs", url_path="readiness"),
    page("self_assessment.py", "Self-assessment", "fact_check"),
]
if actor.is_admin:
    sections["Levels"].append(page("criteria.py", "Criteria", "checklist"))
# Administration: equality leads only.
if actor.is_admin:
    sections.setdefault("Administration", []).append(page("users.py", "Users", "manage_accounts"))
    sections["Administration"].append(page("import_plan.py", "Import a plan", "upload_file"))
    sections["Administration"].append(page("edit_plan.py", "Keep the plan", "edit_note"))
    sections["Administration"].append(
        page("publish.py", "Publish equality information", "public", url_path="publish")
    )

# The menu is drawn here rather than by Streamlit: its own menu nests list items inside <div>s
# (invalid list markup that screen readers trip over and axe-core reports); plain links are not.
navigation = st.navigation(sections, position="hidden")
# Officers start on their own work: the bare address of the app ("/", the Overview for CMT,
# councillors and equality leads) opens My issues for them, once per visit, so the Overview in
# the menu and every shared link (an address with a page or a filter) still open as written.
if (
    actor.role is Role.OFFICER
    and navigation.url_path == ""
    and not st.query_params
    and not st.session_state.get(LANDED)
):
    st.session_state[LANDED] = True
    st.switch_page(my_issues)
st.session_state[LANDED] = True
# The page first, then the menu: Streamlit sends and the browser draws each element in the
# order the script reaches it, so the 25 or so of the menu would hold up the page the person
# came for. (The menu already on screen stays there until its own elements arrive.)
try:
    navigation.run()
except widgets.PageEnds:  # the page has said why it goes no further (widgets.stop)
    pass
except Exception as error:
    faults.show_unexpected(error, f"page {navigation.title}")
with menu:
    for section, pages in sections.items():
        shown = [p for p in pages if p.visibility != "hidden"]
        st.markdown(f"**{section}**")
        for item in shown:
            st.page_link(item, label=item.title, icon=item.icon)
signin.account_panel(actor)
freeze_startup_heap()
