"""Words and dates as people read them, HTML tables, spreadsheets and CSV in and out (formula cells
neutralised), the layout of a council's plan table, and PDF rendering."""
