"""Files and pictures for people: charts, meeting packs (slides, committee PDF, workbook) and the
peer-challenge pack. They read through dashboard.reads and never write."""
