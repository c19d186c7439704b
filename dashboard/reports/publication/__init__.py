"""Published equality information: a folder of static pages, a tagged PDF and open data."""
