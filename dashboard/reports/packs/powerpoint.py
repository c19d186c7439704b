"""The slides of a meeting pack as a PowerPoint file: native tables, charts as PNG with alt text.

Laid out in the 1280×720 frame of slides.py (13.333 × 7.5 inches, 96 pixels to the inch) with
its heights: each block starts no lower than in presentation mode and each table row is as tall
as slides.py estimates its wrapped lines, so a slide that fits there fits here."""

import io

from dashboard.reports.packs import slides as frame
from dashboard.reports.packs.contents import chart_png
from dashboard.reports.packs.gather import PackData
from dashboard.reports.packs.slides import Slide, SlideTable, slides

EMU_PER_PX = 9525  # 914400 to the inch, 96 px to the inch
MARGIN = 48  # px, each side
TOP = 36  # px above the title (no bar of buttons on paper)


def px(value: float) -> int:
    """Pixels of the slide frame in PowerPoint's units (EMU)."""
    return int(round(value * EMU_PER_PX))


def pptx_bytes(data: PackData) -> bytes:
    """The slides of presentation mode as a PowerPoint file: native tables, charts as PNG with
    alt text."""
    from pptx import Presentation
    from pptx.dml.color import RGBColor
    from pptx.util import Emu, Pt

    ink, muted, panel = (
        RGBColor(0x0B, 0x0C, 0x0C),
        RGBColor(0x50, 0x5A, 0x5F),
        RGBColor(0xF3, 0xF2, 0xF1),
    )
    deck = Presentation()
    deck.slide_width = Emu(px(frame.SLIDE_WIDTH))
    deck.slide_height = Emu(px(frame.SLIDE_HEIGHT))
    blank = deck.slide_layouts[6]
    width = frame.CONTENT_WIDTH

    def text(slide, x, y, w, h, words, size, *, bold=False, colour=ink):  # type: ignore[no-untyped-def]
        box = slide.shapes.add_textbox(px(x), px(y), px(w), px(h))
        box_frame = box.text_frame
        box_frame.word_wrap = True
        box_frame.text = words
        for paragraph in box_frame.paragraphs:
            for run in paragraph.runs:
                run.font.size, run.font.bold, run.font.color.rgb = Pt(size), bold, colour
        return box

    for number, content in enumerate(slides(data), start=1):
        slide = deck.slides.add_slide(blank)
        if number == 1:  # the title slide: larger, lower
            text(slide, MARGIN, 230, width, 115, content.title, 40, bold=True)
            text(slide, MARGIN, 345, width, 58, content.subtitle, 20, colour=muted)
            for i, line in enumerate(content.lines):
                text(slide, MARGIN, 420 + i * frame.TEXT_LINE * 1.4, width, 40, line, 18)
            continue
        title_lines = frame.wrapped_lines(content.title, frame.TITLE_CHARS)
        text(slide, MARGIN, TOP, width, title_lines * frame.TITLE_LINE, content.title, 28,
             bold=True)  # fmt: skip
        y: float = TOP + title_lines * frame.TITLE_LINE + frame.GAP
        if content.subtitle:
            text(slide, MARGIN, y, width, frame.SUBTITLE, content.subtitle, 14, colour=muted)
            y += frame.SUBTITLE + frame.GAP
        if content.figures:
            _figures(slide, content, y, ink, panel)
            y += frame.FIGURES + frame.GAP
        for line in content.lines:
            tall = frame.wrapped_lines(line, frame.TEXT_CHARS) * frame.TEXT_LINE
            text(slide, MARGIN, y, width, tall, line, 16)
            y += tall + frame.GAP
        top = y
        if content.table is not None:
            y += _pptx_table(slide, content.table, MARGIN, y, ink) + frame.GAP
        if content.chart:
            alone = content.table is None
            png, description = chart_png(data, content.chart, width=700 if alone else 480)
            picture = slide.shapes.add_picture(
                io.BytesIO(png), px(MARGIN if alone else MARGIN + frame.BESIDE_CHART + 40),
                px(top), width=px(width if alone else width - frame.BESIDE_CHART - 40),
            )  # fmt: skip
            tallest = px(frame.chart_height(content))
            if picture.height > tallest:
                ratio = tallest / picture.height
                picture.height = int(picture.height * ratio)
                picture.width = int(picture.width * ratio)
            picture._element.nvPicPr.cNvPr.set("descr", description)
            picture.name = description[:60]
            if alone:
                y = top + picture.height / EMU_PER_PX + frame.GAP
        if content.footer:
            text(slide, MARGIN, y, width, frame.TEXT_LINE, content.footer, 16)
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


def _figures(slide, content: Slide, y: float, ink, panel) -> None:  # type: ignore[no-untyped-def]
    from pptx.util import Pt

    share = frame.CONTENT_WIDTH / len(content.figures)
    for i, (label, value) in enumerate(content.figures):
        box = slide.shapes.add_shape(
            1, px(MARGIN + i * share), px(y), px(share - 14), px(frame.FIGURES)
        )
        box.fill.solid()
        box.fill.fore_color.rgb = panel
        box.line.fill.background()
        box.shadow.inherit = False
        box_frame = box.text_frame
        box_frame.text = value
        box_frame.paragraphs[0].runs[0].font.size = Pt(28)
        box_frame.paragraphs[0].runs[0].font.bold = True
        label_run = box_frame.add_paragraph().add_run()
        label_run.text = label
        label_run.font.size = Pt(12)
        for paragraph in box_frame.paragraphs:
            for run in paragraph.runs:
                run.font.color.rgb = ink


def _pptx_table(slide, table: SlideTable, x: float, y: float, ink) -> float:  # type: ignore[no-untyped-def]
    """A native table at the widths slides.py shares its rows out by, each row as tall as its
    estimated lines; its height in px."""
    from pptx.dml.color import RGBColor
    from pptx.enum.text import PP_ALIGN
    from pptx.util import Pt

    every = [table.headers, *table.rows]
    heights = [frame.row_height(table, row) for row in every]
    shape = slide.shapes.add_table(
        len(every), len(table.headers), px(x), px(y), px(table.width), px(sum(heights))
    )
    shape.name = table.caption
    grid = shape.table
    shares = table.widths or tuple(1 / len(table.headers) for _ in table.headers)
    for column, share in zip(grid.columns, shares, strict=True):
        column.width = px(table.width * share)
    for row, height in zip(grid.rows, heights, strict=True):
        row.height = px(height)
    shape.height = px(sum(heights))
    for r, values in enumerate(every):
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
                    run.font.size = Pt(13)
                    run.font.bold = r == 0
                    run.font.color.rgb = ink
    return sum(heights)
