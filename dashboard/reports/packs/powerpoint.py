"""The slides of a meeting pack as a PowerPoint file: native tables, charts as PNG with alt text."""

import io

from dashboard.reports.packs.contents import chart_png
from dashboard.reports.packs.gather import PackData
from dashboard.reports.packs.slides import SlideTable, slides


def pptx_bytes(data: PackData) -> bytes:
    """The slides of presentation mode as a PowerPoint file: native tables, charts as PNG with
    alt text."""
    from pptx import Presentation
    from pptx.dml.color import RGBColor
    from pptx.util import Inches, Pt

    ink, muted, panel = (
        RGBColor(0x0B, 0x0C, 0x0C),
        RGBColor(0x50, 0x5A, 0x5F),
        RGBColor(0xF3, 0xF2, 0xF1),
    )
    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(13.333), Inches(7.5)
    blank = deck.slide_layouts[6]

    def text(slide, x, y, w, h, words, size, *, bold=False, colour=ink):  # type: ignore[no-untyped-def]
        box = slide.shapes.add_textbox(Inches(x), Inches(y), Inches(w), Inches(h))
        frame = box.text_frame
        frame.word_wrap = True
        frame.text = words
        for paragraph in frame.paragraphs:
            for run in paragraph.runs:
                run.font.size, run.font.bold, run.font.color.rgb = Pt(size), bold, colour
        return box

    for number, content in enumerate(slides(data), start=1):
        slide = deck.slides.add_slide(blank)
        first = number == 1
        text(slide, 0.6, 2.4 if first else 0.4, 12.1, 1.2, content.title, 40 if first else 32,
             bold=True)  # fmt: skip
        if content.subtitle:
            text(slide, 0.6, 3.6 if first else 1.15, 12.1, 0.6, content.subtitle,
                 20 if first else 14, colour=muted)  # fmt: skip
        y = 4.4 if first else 1.8
        if content.figures:
            width = 12.1 / len(content.figures)
            for i, (label, value) in enumerate(content.figures):
                box = slide.shapes.add_shape(
                    1, Inches(0.6 + i * width), Inches(y), Inches(width - 0.15), Inches(1.2)
                )
                box.fill.solid()
                box.fill.fore_color.rgb = panel
                box.line.fill.background()
                box.shadow.inherit = False
                frame = box.text_frame
                frame.text = value
                frame.paragraphs[0].runs[0].font.size = Pt(32)
                frame.paragraphs[0].runs[0].font.bold = True
                label_run = frame.add_paragraph().add_run()
                label_run.text = label
                label_run.font.size = Pt(13)
                for paragraph in frame.paragraphs:
                    for run in paragraph.runs:
                        run.font.color.rgb = ink
            y += 1.45
        for line in content.lines:
            text(slide, 0.6, y, 12.1, 0.5, line, 18)
            y += 0.55
        table_width = 6.4 if content.chart else 12.1
        if content.table is not None:
            _pptx_table(slide, content.table, 0.6, y, table_width, ink)
        if content.chart and not first:
            alone = content.table is None
            png, description = chart_png(data, content.chart, width=700 if alone else 560)
            picture = slide.shapes.add_picture(
                io.BytesIO(png), Inches(0.6 if alone else 7.2), Inches(y),
                width=Inches(12.1 if alone else 5.6),
            )  # fmt: skip
            if picture.height > Inches(7.3 - y):
                ratio = Inches(7.3 - y) / picture.height
                picture.height = int(picture.height * ratio)
                picture.width = int(picture.width * ratio)
            picture._element.nvPicPr.cNvPr.set("descr", description)
            picture.name = description[:60]
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


def _pptx_table(slide, table: SlideTable, x: float, y: float, width: float, ink) -> None:  # type: ignore[no-untyped-def]
    from pptx.dml.color import RGBColor
    from pptx.enum.text import PP_ALIGN
    from pptx.util import Inches, Pt

    rows = len(table.rows) + 1
    size = 14 if rows <= 7 else 12
    shape = slide.shapes.add_table(
        rows, len(table.headers), Inches(x), Inches(y), Inches(width), Inches(0.4 * rows)
    )
    shape.name = table.caption
    grid = shape.table
    wide = 1 if table.headers[0] == "Ref" else 0  # the column holding the long text
    narrow = (width * 0.45) / max(len(table.headers) - 1, 1)
    for i, column in enumerate(grid.columns):
        column.width = Inches(width - narrow * (len(table.headers) - 1) if i == wide else narrow)
    for r, values in enumerate([table.headers, *table.rows]):
        for c, value in enumerate(values):
            cell = grid.cell(r, c)
            cell.text = value
            cell.fill.solid()
            cell.fill.fore_color.rgb = (
                RGBColor(0xF3, 0xF2, 0xF1) if r == 0 else RGBColor(0xFF, 0xFF, 0xFF)
            )
            for paragraph in cell.text_frame.paragraphs:
                if c in table.numeric:
                    paragraph.alignment = PP_ALIGN.RIGHT
                for run in paragraph.runs:
                    run.font.size = Pt(size)
                    run.font.bold = r == 0
                    run.font.color.rgb = ink
