"""Turn a sheet's rows into themes and issues, whatever the plan's table looks like.

* The header row is found among the first rows by what its cells mean, and each column is read
  by its header and its cells (formats/headers.py); title rows above it are kept as the title.
* A row with only its first cell filled is a theme or section heading; if that text ends with
  a colon ("Assess the impact of our policies ...:") it is the objective of the rows below it.
* When the header is repeated under a heading row each time (pages of a report on one sheet),
  the heading row above the first header is the first block's heading, not a title line.
* A row repeating the header (a table that crossed a page) is skipped, also when it repeats only
  the first few headers and nothing else ("Objective | Action(s)" under a six-column header).
* A row holding one same text in every cell (a heading merged across a Word table) is a
  heading, as a row with only its first cell filled is.
* Cells merged down several rows were copied into each row when the sheet was read; line
  breaks inside a cell are kept. A row with the same action text, lead and objective as the row
  above (and no ref of its own) is a sub-row of that action: its other cells join the action's,
  one line each ("October 2004" and "January 2005" -> one action due January 2005).
* A file written by `export` (first header cell `plan`) has its header on row 1, every row is an
  issue (its theme is in its own column), and the `'` export put before formula-like text is
  taken off again.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from dashboard.formats.headers import (
    Column,
    Field,
    columns_of,
    find_header_row,
    header_key,
    is_export_header,
)
from dashboard.formats.sheets import Row, Table, restore


@dataclass(frozen=True)
class Cell:
    value: str
    column: Column


@dataclass
class SourceIssue:
    """One action row of the file, with the heading and objective it sits under."""

    row: int
    section: str | None
    objective: str | None
    cells: dict[Field, Cell] = field(default_factory=dict)

    def get(self, which: Field) -> str:
        cell = self.cells.get(which)
        return cell.value if cell else ""


@dataclass
class Layout:
    header_row: int  # as the spreadsheet numbers it
    columns: list[Column]
    title_lines: list[str]
    sections: list[tuple[str, int]]  # heading and its row number, in order
    issues: list[SourceIssue]
    skipped_header_rows: list[int]
    blank_action_rows: list[int]  # rows with values but no action text
    exported: bool = False  # written by `export`: the dashboard's own names and words

    def fields(self) -> list[Field]:
        """The fields the columns are read as."""
        return [c.field for c in self.columns if c.field is not None]

    def column(self, which: Field) -> Column | None:
        return next((c for c in self.columns if c.field is which), None)


def _is_repeated_header(row: Row, header: Row) -> bool:
    wanted = [(i, header_key(c)) for i, c in enumerate(header.cells) if c]
    same = sum(
        1 for i, key in wanted if i < len(row.cells) and header_key(row.cells[i]) == key and key
    )
    filled = sum(1 for c in row.cells if c)
    return same >= 2 and (same * 2 >= len(wanted) or same == filled)


def _one_cell(row: Row) -> bool:
    return sum(1 for c in row.cells if c) == 1


def _headed_blocks(rows: Sequence[Row], index: int, header: Row) -> bool:
    """True when the table is several blocks, each a heading row then the header again (pages
    of a report put on one sheet): the heading above the first header is then the first
    block's heading, not part of the title."""
    repeats = [n for n in range(index + 1, len(rows)) if _is_repeated_header(rows[n], header)]
    return (
        index >= 1
        and bool(repeats)
        and _one_cell(rows[index - 1])
        and all(_one_cell(rows[n - 1]) for n in repeats)
        # (a heading already under the first header, as a Word reader puts it, is the block's)
        and not (index + 1 < len(rows) and _one_cell(rows[index + 1]))
    )


def _merged_across(row: Row, filled: list[int], header: Row) -> bool:
    """True for a row whose every cell holds one same text, across as many cells as the header
    has (a Word table's heading merged across the table gives its text to each cell)."""
    width = max(2, sum(1 for c in header.cells if c))
    return len(filled) >= width and len({row.cells[i] for i in filled}) == 1


def read_layout(
    table: Table,
    mapping: Mapping[str, Field],
    *,
    is_status: Callable[[str], bool] | None = None,
) -> Layout:
    """The header, columns, headings and action rows of a table. `is_status` tells a status
    word, so that a column of them is read as the status (formats/headers.py)."""
    rows = table.rows
    exported = bool(rows) and is_export_header(rows[0].cells)
    index = 0 if exported else find_header_row(rows, mapping)
    header = rows[index] if rows else Row(1, ())
    body = [r for r in rows[index + 1 :] if not _is_repeated_header(r, header)]
    columns = columns_of(header, mapping, exported=exported, body=body, is_status=is_status)
    used = [c for c in columns if c.field not in (None, Field.IGNORE)]
    first = min((c.index for c in columns), default=0)
    layout = Layout(header.number, columns, [], [], [], [], [], exported)
    section: str | None = None
    objective: str | None = None
    if not exported and _headed_blocks(rows, index, header):
        section = [c for c in rows[index - 1].cells if c][0]
        layout.sections.append((section, rows[index - 1].number))
    for row in rows[: index - 1 if section else index]:
        layout.title_lines += [c for c in row.cells if c][:1]
    for row in rows[index + 1 :]:
        if _is_repeated_header(row, header):
            layout.skipped_header_rows.append(row.number)
            continue
        filled = [i for i, c in enumerate(row.cells) if c]
        if not exported and filled and _merged_across(row, filled, header):
            filled = filled[:1]  # a heading merged across the table, its text in every cell
        if not exported and len(filled) == 1 and filled[0] <= first:
            text = row.cells[filled[0]]
            if text.rstrip().endswith(":"):
                objective = text
            else:
                section, objective = text, None
                layout.sections.append((text, row.number))
            continue
        issue = SourceIssue(row.number, section, objective)
        for column in used:
            value = row.cells[column.index] if column.index < len(row.cells) else ""
            value = restore(value) if exported else value
            if value and column.field is not None:
                issue.cells[column.field] = Cell(value, column)
        if not issue.get(Field.ISSUE):
            if issue.cells:
                layout.blank_action_rows.append(row.number)
            continue
        if not exported and layout.issues and _continues(layout.issues[-1], issue):
            _join(layout.issues[-1], issue)
            continue
        layout.issues.append(issue)
    _objectives_as_themes(layout)
    return layout


def _objectives_as_themes(layout: Layout) -> None:
    """An objective column that groups the rows, with no theme column or heading rows to do it
    ("Major objective" merged down over three actions), is the plan's themes: its values become
    the headings the actions sit under."""
    column = layout.column(Field.OBJECTIVE)
    if layout.exported or layout.sections or column is None or layout.column(Field.THEME):
        return
    if not column.recognised:
        return  # the person said it holds objectives
    values = [issue.get(Field.OBJECTIVE) for issue in layout.issues]
    runs = sum(1 for i, v in enumerate(values) if v and (i == 0 or values[i - 1] != v))
    if not all(values) or runs != len(set(values)) or runs >= len(values):
        return  # a value of its own on every row, or runs that come back: row-level objectives
    index = layout.columns.index(column)
    layout.columns[index] = replace(
        column,
        field=Field.THEME,
        reason=f"{column.reason}; its cells group the actions as themes do (the file has no "
        "theme column or heading rows): read as the themes",
    )
    for issue in layout.issues:
        cell = issue.cells.pop(Field.OBJECTIVE)
        issue.section = cell.value
    seen: list[str] = []
    for issue in layout.issues:
        if issue.section not in seen:
            seen.append(issue.section or "")
            layout.sections.append((issue.section or "", issue.row))


_SAME = (Field.ISSUE, Field.REF, Field.LEADS, Field.OBJECTIVE, Field.THEME)


def _continues(before: SourceIssue, issue: SourceIssue) -> bool:
    """True for a sub-row of the action above: the same action text, ref, lead and objective
    under the same heading (cells merged down over the two rows), with no ref of its own that
    would tell the two apart."""
    return (
        before.section == issue.section
        and before.objective == issue.objective
        and all(before.get(f) == issue.get(f) for f in _SAME)
        and not issue.get(Field.REF)
    )


def _join(before: SourceIssue, issue: SourceIssue) -> None:
    """The sub-row's other cells added to the action's, each on a line of its own (two success
    criteria with their two dates are one action whose timescale names both)."""
    for which, cell in issue.cells.items():
        kept = before.cells.get(which)
        if kept is None:
            before.cells[which] = cell
        elif cell.value not in kept.value.split("\n"):
            before.cells[which] = Cell(f"{kept.value}\n{cell.value}", kept.column)
