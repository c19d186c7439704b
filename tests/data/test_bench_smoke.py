"""A tiny run of `make bench` on the test database keeps the benchmarks working (no timing
assertions: speed is measured by `make bench`, never asserted in tests)."""

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from bench import run, sections


def test_bench_sections_produce_every_figure(
    engine: Engine, seeded: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = engine.url.render_as_string(hide_password=False)
    figures = sections.page_runs(url=url, scale="council", database="test", runs=1)
    pages = {f.name.split()[1] for f in figures}
    assert {"overview", "theme", "service", "issue", "coverage", "plans"} <= pages
    assert all(f.value > 0 and f.baseline and f.baseline > 0 for f in figures)
    figures += sections.tickoff_latency(url=url, scale="council", database="test", runs=1)
    assert any(f.name == "tick-off p95 (20 concurrent writers)" for f in figures)
    packs = sections.meeting_packs(url=url, scale="council", database="test", runs=1)
    assert [f.name for f in packs] == [
        "meeting pack: PowerPoint slides",
        "meeting pack: PDF for committee papers",
        "meeting pack: Excel workbook",
    ]
    assert all(f.value > 0 and f.baseline and f.baseline > 0 for f in packs)
    figures += packs
    figures += sections.once(runs=1, rows=50)
    documents = sections.documents(runs=1, rows=20, pages=2)
    assert [f.name.split(" (")[0] for f in documents] == ["import: Word plan", "import: PDF plan"]
    assert all(f.value > 0 and f.baseline and f.baseline > 0 for f in documents)
    figures += documents
    command_line = sections.command_line(runs=1)
    assert [f.name for f in command_line] == ["command line: plans"]
    assert all(f.value > 0 and f.baseline and f.baseline > 0 for f in command_line)
    figures += command_line
    sections.judge(figures)
    monkeypatch.setattr(run, "RESULTS", tmp_path / "results.json")
    run.print_table(figures)
    run.write_results(figures)
    saved = json.loads((tmp_path / "results.json").read_text())
    assert len(saved["figures"]) == len(figures)
    (cli,) = [f for f in saved["figures"] if f["name"] == "command line: plans"]
    assert cli["ratio"] > 0 and cli["target"] and cli["met"] is not None
    assert saved["figures"][0]["ratio"] is not None


def test_bench_search_section_gives_each_search_against_its_baseline(
    engine: Engine, seeded: Session
) -> None:
    url = engine.url.render_as_string(hide_password=False)
    figures = sections.search(url=url, scale="council", database="test", runs=1)
    assert [f.name for f in figures][:-1] == [f"search: “{q}”" for q in sections.SEARCHES]
    assert all(f.value > 0 and f.baseline and f.baseline > 0 for f in figures)
    sections.judge(figures)
    assert figures[-1].target == "<= 300 ms" and figures[-1].met is not None
    assert set(sections.SECTIONS) >= {"search", "page_runs", "tickoff_latency"}
