"""The meeting-pack files by kind (the file name's extension), each built from one PackData."""

from collections.abc import Callable

from dashboard.reports.packs.committee import pdf_bytes
from dashboard.reports.packs.gather import PackData
from dashboard.reports.packs.powerpoint import pptx_bytes
from dashboard.reports.packs.workbook import xlsx_bytes

BUILDERS: dict[str, Callable[[PackData], bytes]] = {
    "pptx": pptx_bytes,
    "pdf": pdf_bytes,
    "xlsx": xlsx_bytes,
}
