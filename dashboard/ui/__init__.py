"""The Streamlit layer the pages use, one concern per module: `engine` (settings, database,
sessions), `cache` (cached reads, forgotten after writes), `widgets` (choices, tables, figures,
charts), `labels` (statuses and RAG with their icons) and `signin`. Besides app.py and
pages/, the only place that imports Streamlit."""
