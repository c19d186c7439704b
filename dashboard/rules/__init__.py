"""Pure rules: statuses, % complete, overdue, RAG, timescales, names, permissions. No SQL, no files,
no Streamlit: plain functions on plain values, imported by every layer above."""
