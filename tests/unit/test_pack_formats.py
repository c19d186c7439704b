"""The command line names the pack formats without loading the pack builders (they bring in
WeasyPrint, python-pptx and openpyxl); the two lists must still be the same."""

from dashboard.cli.meetings import PACK_FORMATS
from dashboard.reports.packs.files import BUILDERS


def test_the_command_line_offers_exactly_the_packs_that_can_be_built() -> None:
    assert sorted(PACK_FORMATS) == sorted(BUILDERS)
