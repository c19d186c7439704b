"""Charts on screen are drawn on the server: an image whose text alternative says what it shows."""

import base64
import re

import pandas as pd
import pytest

from dashboard.reports import charts

THEMES = pd.DataFrame(
    {
        "position": [1, 2],
        "theme": ["Knowing your community & equality mapping", "A modern and diverse workforce"],
        "percent_complete": [0.0, 20.0],
        "Not started": [2, 0],
        "In progress": [3, 4],
        "Complete": [0, 0],
        "Embedded": [0, 1],
        "Not applicable": [0, 0],
        "issues": [5, 5],
    }
)


def test_every_chart_the_app_draws_is_valid_vega_lite() -> None:
    burn = pd.DataFrame({"day": ["2026-01-05", "2026-02-01"], "complete": [1, 3]})
    meetings = pd.DataFrame({"held_on": ["2026-01-20"], "title": ["CMT"]})
    for chart in (
        charts.theme_status_chart(THEMES),
        charts.burn_up_chart(burn, meetings),
        charts.narrow_burn_up_chart(burn, meetings),
    ):
        chart.properties(width=200).to_dict(validate=True)  # raises on a spec Vega-Lite refuses
        assert charts.to_svg(chart, width=200).startswith("<svg")


def test_the_theme_chart_is_drawn_with_every_theme_and_status_colour() -> None:
    svg = charts.to_svg(charts.theme_status_chart(THEMES), width=200)
    assert svg.startswith("<svg")
    assert "Knowing your community &amp; equality mapping (0% complete)" in svg
    assert "A modern and diverse workforce (20% complete)" in svg
    for status in ("Not started", "In progress", "Embedded"):
        assert status in svg  # the legend names each status: colour is never the only key
        assert charts.STATUS_COLOURS[status].lower() in svg.lower()


def test_the_image_carries_the_chart_and_its_description_as_alt_text() -> None:
    chart = charts.theme_status_chart(THEMES)
    svg = charts.to_svg(chart, width=200)
    markup = charts.as_image(svg, str(chart.description))
    width, height = re.search(r'<svg[^>]* width="(\d+)" height="(\d+)"', svg).groups()  # type: ignore[union-attr]
    assert f'width="{width}" height="{height}"' in markup  # room kept: nothing jumps on load
    alt = re.search(r'alt="([^"]*)"', markup)[1]  # type: ignore[index]
    assert alt == (
        "Issues by status in each theme. Knowing your community &amp; equality mapping: 5 issues, "
        "A modern and diverse workforce: 5 issues"
    )
    source = re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', markup)[1]  # type: ignore[index]
    assert base64.b64decode(source).decode() == svg


def test_a_quote_in_a_theme_name_cannot_break_out_of_the_alt_text() -> None:
    markup = charts.as_image("<svg width='1' height='1'></svg>", 'Theme "A" <b>')
    assert 'alt="Theme &quot;A&quot; &lt;b&gt;"' in markup


def test_the_same_chart_is_drawn_once(monkeypatch: pytest.MonkeyPatch) -> None:
    import vl_convert

    drawn: list[str] = []
    real = vl_convert.vegalite_to_svg
    monkeypatch.setattr(
        vl_convert, "vegalite_to_svg", lambda spec: drawn.append(spec) or real(spec)
    )
    charts.forget_drawings()
    first = charts.to_svg(charts.theme_status_chart(THEMES), width=210)
    again = charts.to_svg(charts.theme_status_chart(THEMES.copy()), width=210)
    assert first == again and len(drawn) == 1
    moved = THEMES.assign(Complete=[1, 0])  # a count changed: drawn afresh
    assert charts.to_svg(charts.theme_status_chart(moved), width=210) != first
    assert len(drawn) == 2


def test_the_phone_burn_up_fits_a_phone_with_text_of_12_px_or_more() -> None:
    burn = pd.DataFrame({"day": ["2026-01-05", "2026-06-01"], "complete": [1, 3]})
    meetings = pd.DataFrame({"held_on": ["2026-03-20"], "title": ["Corporate Management Team"]})
    wide = charts.to_svg(charts.burn_up_chart(burn, meetings), 560)
    narrow = charts.to_svg(charts.narrow_burn_up_chart(burn, meetings), charts.NARROW_WIDTH)
    width = int(re.search(r'<svg[^>]* width="(\d+)"', narrow)[1])  # type: ignore[index]
    assert width <= 358  # a 390 px screen less the page's margins: drawn at its own size
    sizes = [float(size) for size in re.findall(r'font-size="?([\d.]+)px', narrow)]
    assert sizes and min(sizes) >= 12
    markup = charts.as_image(wide, "Issues complete over time", narrow)
    assert markup.count("<img") == 2  # a narrow screen shows one, a wide screen the other
    assert 'class="eflg-wide"' in markup and 'class="eflg-narrow"' in markup
    assert f"@media {charts.NARROW_SCREEN}" in charts.STYLE
