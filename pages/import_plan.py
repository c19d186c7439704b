"""Import a plan (equality leads only): upload a council's plan, say what each column holds,
check it, then import it in one go."""

import hashlib

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from dashboard.formats.headers import FIELDS, Field
from dashboard.formats.markdown import plain
from dashboard.formats.sheets import (
    IMPORT_LIMIT_MB,
    sheet_names,
    upload_limit_words,
)
from dashboard.formats.words import plural
from dashboard.reads import levels, summaries
from dashboard.rules.errors import Refused
from dashboard.ui import signin, widgets
from dashboard.ui.cache import after_write, cached
from dashboard.ui.engine import session
from dashboard.writes.import_plan import (
    ImportOptions,
    ImportPreview,
    inspect_file,
    organisation_names,
    run_import,
    suggest_new_plan,
)

PREVIEW = "import_preview"
FLASH = "import_flash"
ANOTHER = "Another organisation…"
LAST_ORG = "import_last_organisation"  # per signed-in session: the organisation last imported into


def _these(count: int) -> str:
    """'this problem is' / 'these 3 problems are'."""
    return "this problem is" if count == 1 else f"these {count} problems are"


actor = signin.current_actor()
st.title("Import a plan")
if not actor.is_admin:
    st.error("Only an equality lead (administrator) can import plans.")
    widgets.stop()

if flash := st.session_state.pop(FLASH, None):
    st.success(flash, icon=":material/check_circle:")
    st.page_link("../pages/plans.py", label="See all plans", icon=":material/list_alt:")

st.write(
    "Bring in a council's action plan from Excel (.xlsx), a CSV file, Word (.docx) or a PDF, "
    "in the layout it already has. Nothing is saved until you have checked the file and "
    "chosen **Import**."
)
# A new key after each import empties the uploader, so the page starts afresh.
round_key = f"import_upload_{st.session_state.get('import_round', 0)}"
upload = st.file_uploader(
    f"Plan file (.xlsx, .csv, .docx or .pdf, {upload_limit_words(IMPORT_LIMIT_MB)})",
    type=["xlsx", "csv", "docx", "pdf"],
    key=round_key,
    max_upload_size=IMPORT_LIMIT_MB,
)
if upload is None:
    widgets.stop()
data = upload.getvalue()
file_key = hashlib.sha256(data).hexdigest()[:16]

st.header("What to read")
try:
    sheets = sheet_names(data, upload.name)
except Refused as exc:
    st.error(plain(str(exc)), icon=":material/error:")
    widgets.stop()
sheet = None
if len(sheets) > 1:
    sheet = st.selectbox("Sheet", sheets, help="The workbook has several sheets; pick the plan.")
elif sheets:
    sheet = sheets[0]

try:
    table, layout = inspect_file(data, upload.name, ImportOptions(sheet=sheet))
except Refused as exc:
    st.error(plain(str(exc)), icon=":material/error:")
    widgets.stop()
# What the file holds but a person would not see in Excel (hidden sheets, rows and columns, left
# out) or what was changed on reading (control characters removed), said before anything else.
for note in table.notes:
    st.warning(plain(str(note)), icon=":material/visibility_off:")

plan_slug = new_title = organisation = framework = level = None


def framework_choice() -> tuple[str | None, str | None]:
    """The new plan's framework version and level (both, or neither)."""
    versions = cached(levels.framework_levels)()
    if versions.empty:
        return None, None
    names = dict(zip(versions["code"], versions["framework"], strict=True))
    left, right = st.columns(2)
    with left:
        code = st.selectbox(
            "Framework version",
            [None, *names],
            format_func=lambda c: "Not on a framework (for now)" if c is None else names[c],
            help="Put the plan on a framework's level to see its readiness for that level.",
        )
    if code is None:
        return None, None
    with right:
        level = st.selectbox(
            "Level it works towards", list(versions[versions["code"] == code]["level"])
        )
    return code, level


plan_column = layout.column(Field.PLAN)
if plan_column is not None:
    st.write(
        f"Column {plan_column.letter} ('{plan_column.header}') names each row's plan by its "
        "short name, as a file exported from the dashboard does: each row updates the action "
        "with the same ref in that plan."
    )
elif (
    st.radio(
        "Where should the actions go?",
        ["Into a new plan", "Into an existing plan (update it)"],
        horizontal=True,
    )
    == "Into a new plan"
):
    with session() as db:
        organisations = organisation_names(db)
        suggested = suggest_new_plan(db, layout, upload.name, st.session_state.get(LAST_ORG))
    new_title = st.text_input("Title of the new plan", value=suggested.title)
    # The organisation the file names (or the one last imported into) is chosen already; a
    # name the dashboard does not know yet is offered as a new organisation, never replaced by
    # an unrelated one. With none, the person is asked.
    choices = [*organisations, ANOTHER]
    if suggested.organisation_known:
        start: int | None = choices.index(suggested.organisation)
    else:
        start = choices.index(ANOTHER) if suggested.organisation else None
    organisation = st.selectbox(
        "Organisation", choices, index=start, placeholder="Choose the plan's organisation"
    )
    if organisation == ANOTHER:
        organisation = st.text_input(
            "Name of the organisation",
            value="" if suggested.organisation_known else suggested.organisation,
        )
    framework, level = framework_choice()
else:
    plans = cached(summaries.plans_summary)()
    if plans.empty:
        st.info("There are no plans yet: import into a new plan.")
        widgets.stop()
    titles = dict(
        zip(plans["title"] + " (" + plans["organisation"] + ")", plans["slug"], strict=True)
    )
    plan_slug = titles[st.selectbox("Plan to update", list(titles))]
    st.caption("Actions are matched to the plan's actions by their ref (for example 1.1).")

st.header("Columns")
header_place = table.places.get(layout.header_row)  # a document's: "table 1, row 1"
st.write(
    f"The table's header is {'in ' + header_place if header_place else 'on row '}"
    f"{'' if header_place else layout.header_row}. This is how each column was read and "
    "why; check it, and change any column below (choose **Leave out** for columns you do not "
    "need)."
)
widgets.table(
    pd.DataFrame(
        {
            "Column": [c.letter for c in layout.columns],
            "Header": [c.header or "(none)" for c in layout.columns],
            "Read as": [c.reading for c in layout.columns],
            "Why": [c.reason[:1].upper() + c.reason[1:] + "." for c in layout.columns],
        }
    ),
    row_headers=True,
)
labels = [f.value for f in FIELDS]
mapping: dict[str, Field] = {}
for column in layout.columns:
    default = column.field or Field.IGNORE
    chosen = st.selectbox(
        f"Column {column.letter}: {column.header or '(no header)'}",
        labels,
        index=labels.index(default.value),
        key=f"import_map_{file_key}_{sheet}_{column.index}",
    )
    if Field(chosen) is not default:  # the user's own choice; the rest stay read by meaning
        mapping[column.header] = Field(chosen)

options = ImportOptions(
    sheet=sheet,
    mapping=mapping,
    plan_slug=plan_slug,
    new_plan_title=new_title,
    organisation=organisation,
    framework=framework,
    level=level,
)
choice_key = (file_key, repr(options))

st.header("Check and import")


def _show(bar: DeltaGenerator, share: float, text: str) -> None:
    """Move the import's progress bar (never past the end)."""
    bar.progress(min(share, 1.0), text=text)


def problem_table(problems: list) -> None:  # type: ignore[type-arg]
    widgets.table(
        pd.DataFrame(
            {
                "Row": [p.place or p.row or "" for p in problems],
                "Column": [p.column or "" for p in problems],
                "Cell value": [(p.value or "")[:80] for p in problems],
                "Problem": [p.message for p in problems],
            }
        ),
        row_headers=True,
    )


def issue_table(lines: list, with_changes: bool = False, plans: bool = False) -> None:  # type: ignore[type-arg]
    frame = pd.DataFrame(
        {
            **({"Plan": [line.plan for line in lines]} if plans else {}),
            "Ref": [line.ref for line in lines],
            "Theme or section": [line.theme for line in lines],
            "Action": [line.text[:120] for line in lines],
        }
    )
    if with_changes:
        frame["What changes"] = [", ".join(line.changes) for line in lines]
    widgets.table(frame, row_headers=True)


def show(preview: ImportPreview) -> None:
    counts = pd.DataFrame(
        {
            "In the file": [
                "New actions",
                "Updated actions",
                "Unchanged actions",
                "New leads",
                "Warnings",
            ],
            "Number": [
                len(preview.new),
                len(preview.updated),
                len(preview.unchanged),
                len(preview.new_leads),
                len(preview.warnings),
            ],
        }
    )
    if preview.several_plans:
        st.write(f"Into {len(preview.plan_slugs)} plans: **{plain(preview.plan_title)}**")
    elif preview.plan_title:  # (not yet, while the file and the choices name no plan)
        target = "a new plan" if preview.new_plan else "the plan"
        owner = f" ({plain(preview.organisation)})" if preview.organisation else ""
        st.write(f"Into {target} **{plain(preview.plan_title)}**{owner}:")
    widgets.table(counts, row_headers=True)
    if preview.errors:
        st.error(
            f"Nothing can be imported from {preview.filename} until "
            f"{_these(len(preview.errors))} put right in the file or in the choices above.",
            icon=":material/error:",
        )
        problem_table(preview.errors)
    if preview.warnings:
        with st.expander(f"Warnings ({len(preview.warnings)}): imported, but check them"):
            problem_table(preview.warnings)
    if preview.new_leads:
        with st.expander(f"New leads ({len(preview.new_leads)})"):
            st.write("\n".join(f"- {name}" for name in preview.new_leads))
    if preview.new:
        with st.expander(f"New actions ({len(preview.new)})", expanded=len(preview.new) <= 10):
            issue_table(preview.new, plans=preview.several_plans)
    if preview.updated:
        with st.expander(f"Updated actions ({len(preview.updated)})", expanded=True):
            issue_table(preview.updated, with_changes=True, plans=preview.several_plans)


if st.button("Check the file", icon=":material/fact_check:"):
    with st.spinner("Checking every row…"), session() as db:
        try:
            checked = run_import(db, data, upload.name, actor=actor, options=options)
        except Refused as exc:  # the file, the permission, or a value too long to store
            st.error(plain(str(exc)), icon=":material/error:")
            widgets.stop()
    st.session_state[PREVIEW] = (choice_key, checked)

stored = st.session_state.get(PREVIEW)
if not stored or stored[0] != choice_key:
    st.caption("Check the file to see what the import will do.")
    widgets.stop()
preview = stored[1]
show(preview)
if not preview.ok:
    widgets.stop()

total = len(preview.new) + len(preview.updated)
if total == 0:
    st.info("The file matches the plan already: there is nothing to import.")
    widgets.stop()
if st.button(f"Import {plural(total, 'action')}", type="primary", icon=":material/upload:"):
    bar = st.progress(0.0, text="Importing…")
    with session() as db:
        try:
            result = run_import(
                db,
                data,
                upload.name,
                actor=actor,
                options=options,
                dry_run=False,
                progress=lambda share, text: _show(bar, share, text),
            )
        except Refused as exc:  # the file, the permission, or a value too long to store
            st.error(plain(str(exc)), icon=":material/error:")
            widgets.stop()
    if not result.ok:
        st.error("Nothing was imported: the file changed since it was checked.")
        show(result)
        widgets.stop()
    after_write()
    if result.organisation and not result.several_plans:
        st.session_state[LAST_ORG] = result.organisation  # the next file's default
    st.session_state.pop(PREVIEW, None)
    st.session_state["import_round"] = st.session_state.get("import_round", 0) + 1
    st.session_state[FLASH] = (
        f"Imported into '{result.plan_title}': {len(result.new)} new and "
        f"{plural(len(result.updated), 'updated action')}"
        + (f", {plural(len(result.new_leads), 'new lead')}" if result.new_leads else "")
        + "."
    )
    st.rerun()
