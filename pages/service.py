"""A lead service: everything it leads across plans, directly or through its officers."""

import pandas as pd
import streamlit as st

from dashboard.formats import words
from dashboard.formats.markdown import plain
from dashboard.reads import progress
from dashboard.rules import progress as rules
from dashboard.rules.dates import uk_today
from dashboard.ui import widgets
from dashboard.ui.cache import cached
from dashboard.ui.engine import settings
from dashboard.ui.labels import RAG_ICON_COLUMNS, rag_columns, status_label
from models import Status

st.title("Services")
leads = cached(progress.leads)()
today, amber_days = uk_today(), settings().rag_amber_days
behind = cached(progress.services_behind)(today, amber_days)
# Opens on the service furthest behind (as the overview's sentence), not the first by name.
lead_id = widgets.organisation_then_lead(
    leads, "Lead service", first=[int(i) for i in behind["lead_id"]]
)
lead = leads[leads["lead_id"] == lead_id].iloc[0]
issues = cached(progress.service_issues)(lead_id, today, amber_days)

st.header(plain(lead["name"]))
under = leads[leads["parent_id"] == lead_id]["name"].tolist()
facts = [str(lead["kind"]).capitalize(), str(lead["organisation"])]
if lead["parent"]:
    facts.append(f"part of {lead['parent']}")
st.write(" · ".join(plain(fact) for fact in facts))
if under:
    st.write(f"Issues led by {plain(', '.join(under))} are counted here too (marked “Through …”).")

if issues.empty:
    st.write(f"No issues are led by {plain(lead['name'])}{' or anyone under it' if under else ''}.")
else:
    counts = {str(k): int(n) for k, n in issues["status"].value_counts().items()}
    done = sum(int(counts.get(status, 0)) for status in rules.DONE)
    counted = len(issues) - int(counts.get(Status.NOT_APPLICABLE.value, 0))
    complete = words.percent_label(len(issues), counted, rules.percent_complete(counts))
    overdue = int((issues["rag"] == rules.Rag.RED.value).sum())
    st.write(
        f"{words.plural(len(issues), 'issue')} · {complete} complete · {done} of {counted} done"
        f" · {overdue} overdue"
    )
    st.caption(rules.SERVICE_RULE + " " + rules.PERCENT_RULE + " " + rules.rag_rule(amber_days))
    for number, (plan_title, own) in enumerate(issues.groupby("plan", sort=False), start=1):
        st.subheader(plain(plan_title))
        addresses = widgets.issue_addresses(own["issue_id"])
        widgets.table(
            pd.DataFrame(
                {
                    "Ref": own["ref"],
                    "Issue": own["text"],
                    "Led": own["how"],
                    "Status": own["status"].map(status_label),
                    **rag_columns(own),
                    "Due by": own["due"],
                    "Last update": [
                        words.format_day(d) or "No updates yet" for d in own["last_update"]
                    ],
                }
            ),
            icons=("Status", *RAG_ICON_COLUMNS),
            links={"Ref": addresses, "Issue": addresses},
            name=f"issues_{number}",
            sortable=True,
            download=True,
        )
