"""The Streamlit layer the pages use, one concern per module: `engine` (settings, database,
sessions), `cache` (cached reads, forgotten after writes), `widgets` (choices, tables, figures,
charts), `labels` (statuses and RAG with their icons), `signin`, `server` (the host check,
security headers and health routes dashboard/app.py serves with) and `faults` (the calm
sentences when something fails). Besides app.py, main_script.py and pages/, the only place that
imports Streamlit."""
