"""The words of the Find an issue page: how many issues match, and where each was found."""

from dashboard.rules.search import Field

FOUND_IN = {
    Field.REF.value: "Its ref",
    Field.TEXT.value: "Issue text",
    Field.LEAD.value: "A lead",
    Field.NOTE.value: "A note",
}
HINT = (
    "Every word must be found in an issue's text, its ref, its leads or the notes of its "
    "updates. Try fewer words, another spelling, or a ref such as 4.2."
)


def result_words(count: int, query: str, *, more: bool) -> str:
    """ "3 issues match “equality impact”", "1 issue matches “4.2”", "No issue matches …",
    "More than 100 issues match …: the first 100 are shown"."""
    quoted = f"“{query.strip()}”"
    if count == 0:
        return f"No issue matches {quoted}."
    if more:
        return (
            f"More than {count} issues match {quoted}: the first {count} are shown. "
            "Add a word to find fewer."
        )
    return f"1 issue matches {quoted}." if count == 1 else f"{count} issues match {quoted}."
