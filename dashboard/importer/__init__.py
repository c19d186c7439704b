"""Import a council's action plan from its own spreadsheet (.xlsx) or CSV, in whatever layout.

reading   bytes -> rows of text, refusing hostile files (size, rows, cells, zip bombs, macros)
headers   which column holds what (header synonyms and the user's own mapping)
layout    heading rows, objective rows, repeated header rows -> themes and issues
leads     a lead cell -> lead names (with parent services), matched to the organisation's leads
characteristics  a characteristics cell -> protected characteristics
plan      preview and all-or-nothing apply
"""

from .headers import FIELDS, Field
from .plan import (
    ImportOptions,
    ImportPreview,
    Problem,
    inspect_file,
    organisation_names,
    run_import,
)
from .reading import ImportFileError, Limits, sheet_names

__all__ = [
    "FIELDS",
    "Field",
    "ImportFileError",
    "ImportOptions",
    "ImportPreview",
    "Limits",
    "Problem",
    "inspect_file",
    "organisation_names",
    "run_import",
    "sheet_names",
]
