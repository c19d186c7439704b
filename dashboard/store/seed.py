"""Load the seed documents (transcribed in seed/*.yaml) into the database. Running it twice changes
nothing: reference data is added only where missing and an existing plan is never overwritten."""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from sqlmodel import Session, col, select

from dashboard.rules.names import name_key
from dashboard.rules.timescale import parse_timescale
from dashboard.store.db import begin_write
from models import (
    Characteristic,
    FrameworkVersion,
    Issue,
    IssueCharacteristic,
    IssueLead,
    Lead,
    LeadAlias,
    Level,
    Organisation,
    Plan,
    Section,
    Theme,
    ThemeMapping,
    pk,
)

SEED_DIR = Path(__file__).resolve().parents[2] / "seed"


@dataclass
class SeedReport:
    added: dict[str, int] = field(default_factory=dict)

    def count(self, what: str, n: int = 1) -> None:
        self.added[what] = self.added.get(what, 0) + n

    @property
    def changed(self) -> bool:
        return any(self.added.values())

    def summary(self) -> str:
        if not self.changed:
            return "Nothing to add: the seed data is already loaded."
        return "Added " + ", ".join(f"{n} {what}" for what, n in self.added.items() if n) + "."


def _read(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def seed_database(session: Session, seed_dir: Path = SEED_DIR) -> SeedReport:
    """Load every seed file; commit once. Returns what was added."""
    report = SeedReport()
    _load_frameworks(session, _read(seed_dir / "frameworks.yaml"), report)
    _load_characteristics(session, _read(seed_dir / "characteristics.yaml"), report)
    _load_organisations(session, _read(seed_dir / "organisations.yaml"), report)
    for plan_file in sorted((seed_dir / "plans").glob("*.yaml")):
        _load_plan(session, _read(plan_file), report)
    session.commit()
    return report


def ensure_protected_characteristics(session: Session, seed_dir: Path = SEED_DIR) -> None:
    """Add the nine protected characteristics of the Equality Act 2010 where the database lacks
    them (they are law, not local choice), as the seed would; local ones stay the council's.
    Two imports adding them at once take turns (PostgreSQL), so neither finds the other's."""
    data = _read(seed_dir / "characteristics.yaml")
    wanted = {c["code"] for c in data if c.get("protected", True)}
    if wanted <= set(session.exec(select(Characteristic.code)).all()):
        return
    begin_write(session, serialise="protected characteristics")
    _load_characteristics(session, data, SeedReport(), only_protected=True)


def _load_frameworks(session: Session, data: dict[str, Any], report: SeedReport) -> None:
    for fw in data["frameworks"]:
        version = session.exec(
            select(FrameworkVersion).where(FrameworkVersion.code == fw["code"])
        ).first()
        if version is None:
            version = FrameworkVersion(
                code=fw["code"], name=fw["name"], publisher=fw.get("publisher"), year=fw.get("year")
            )
            session.add(version)
            session.flush()
            report.count("framework versions")
        existing_levels = {lv.name for lv in version.levels}
        for pos, lv in enumerate(fw["levels"], start=1):
            if lv["name"] not in existing_levels:
                session.add(
                    Level(
                        framework_id=pk(version),
                        position=pos,
                        name=lv["name"],
                        description=lv.get("description") or "",
                    )
                )
                report.count("levels")
        existing_themes = {th.name for th in version.themes}
        for pos, th in enumerate(fw["themes"], start=1):
            if th["name"] not in existing_themes:
                session.add(
                    Theme(
                        framework_id=pk(version),
                        position=pos,
                        name=th["name"],
                        short_name=th.get("short_name") or th["name"],
                        aliases=list(th.get("aliases") or []),
                    )
                )
                report.count("themes")
    session.flush()
    for mapping in data.get("mappings") or []:
        source = _theme(session, *mapping["from"])
        target = _theme(session, *mapping["to"])
        exists = session.exec(
            select(ThemeMapping).where(
                ThemeMapping.from_theme_id == source.id, ThemeMapping.to_theme_id == target.id
            )
        ).first()
        if exists is None:
            session.add(
                ThemeMapping(
                    from_theme_id=pk(source), to_theme_id=pk(target), note=mapping.get("note")
                )
            )
            report.count("theme mappings")
    session.flush()


def _theme(session: Session, framework_code: str, theme_name: str) -> Theme:
    theme = session.exec(
        select(Theme)
        .join(FrameworkVersion)
        .where(FrameworkVersion.code == framework_code, Theme.name == theme_name)
    ).first()
    if theme is None:
        raise ValueError(f"Seed data names an unknown theme {theme_name!r} in {framework_code}")
    return theme


def _load_characteristics(
    session: Session,
    data: list[dict[str, Any]],
    report: SeedReport,
    *,
    only_protected: bool = False,
) -> None:
    existing = {c.code for c in session.exec(select(Characteristic)).all()}
    for pos, ch in enumerate(data, start=1):
        if ch["code"] in existing or (only_protected and not ch.get("protected", True)):
            continue
        session.add(
            Characteristic(
                code=ch["code"],
                name=ch["name"],
                position=pos,
                protected=bool(ch.get("protected", True)),
                aliases=list(ch.get("aliases") or []),
            )
        )
        report.count("characteristics")
    session.flush()


def _load_organisations(session: Session, data: list[dict[str, Any]], report: SeedReport) -> None:
    for org_data in data:
        org = session.exec(
            select(Organisation).where(Organisation.name == org_data["name"])
        ).first()
        if org is None and org_data.get("former_names"):  # seeded under an earlier name
            org = session.exec(
                select(Organisation).where(col(Organisation.name).in_(org_data["former_names"]))
            ).first()
            if org is not None:
                org.name = org_data["name"]
                session.add(org)
                session.flush()
        if org is None:
            org = Organisation(
                name=org_data["name"], note=org_data.get("note"), source=org_data.get("source")
            )
            session.add(org)
            session.flush()
            report.count("organisations")
        leads = {lead.name: lead for lead in org.leads}
        for lead_data in org_data.get("leads") or []:
            if lead_data["name"] in leads:
                continue
            lead = Lead(
                organisation_id=pk(org),
                name=lead_data["name"],
                kind=lead_data.get("kind") or "service",
                description=lead_data.get("description"),
            )
            session.add(lead)
            session.flush()
            leads[lead.name] = lead
            report.count("leads")
            for alias in lead_data.get("aliases") or []:
                session.add(
                    LeadAlias(
                        lead_id=pk(lead),
                        organisation_id=pk(org),
                        alias=alias,
                        alias_key=name_key(alias),
                    )
                )
        for lead_data in org_data.get("leads") or []:
            parent = lead_data.get("parent")
            lead = leads[lead_data["name"]]
            if parent and lead.parent_id is None:
                lead.parent_id = leads[parent].id
                session.add(lead)
    session.flush()


def _load_plan(session: Session, data: dict[str, Any], report: SeedReport) -> None:
    meta = data["plan"]
    if session.exec(select(Plan).where(Plan.slug == meta["slug"])).first() is not None:
        return
    org = session.exec(select(Organisation).where(Organisation.name == meta["organisation"])).one()
    leads = {lead.name: lead for lead in org.leads}
    framework = level = None
    if meta.get("framework"):
        framework = session.exec(
            select(FrameworkVersion).where(FrameworkVersion.code == meta["framework"])
        ).one()
        if meta.get("level"):
            level = next(lv for lv in framework.levels if lv.name == meta["level"])
    characteristics = {c.code: c for c in session.exec(select(Characteristic)).all()}
    plan = Plan(
        slug=meta["slug"],
        title=meta["title"],
        organisation_id=pk(org),
        framework_id=pk(framework) if framework else None,
        level_id=pk(level) if level else None,
        owner_lead_id=leads[meta["owner"]].id if meta.get("owner") else None,
        period=meta.get("period"),
        source_document=meta.get("source_document"),
        source_title=meta.get("source_title"),
        introduction=meta.get("introduction"),
    )
    session.add(plan)
    session.flush()
    report.count("plans")
    themes = {th.name: th for th in framework.themes} if framework else {}
    position = 0
    for sec_pos, sec in enumerate(data["sections"], start=1):
        section = Section(
            plan_id=pk(plan),
            position=sec_pos,
            heading=sec["heading"],
            theme_id=themes[sec["theme"]].id if sec.get("theme") else None,
            description=sec.get("description"),
        )
        session.add(section)
        session.flush()
        for item in sec.get("issues") or []:
            position += 1
            timescale = parse_timescale(item.get("timescale"))
            issue = Issue(
                plan_id=pk(plan),
                section_id=pk(section),
                ref=str(item["ref"]),
                position=position,
                text=item["text"],
                objective=item.get("objective"),
                lead_text=item.get("lead_text"),
                level_id=pk(level) if level else None,
                timescale=item.get("timescale"),
                due_date=timescale.due,
                due_precision=timescale.precision.value if timescale.precision else None,
                recurrence=timescale.recurrence.value if timescale.recurrence else None,
                measure=item.get("measure"),
            )
            session.add(issue)
            session.flush()
            for lead_pos, lead_name in enumerate(item.get("leads") or []):
                session.add(
                    IssueLead(issue_id=pk(issue), lead_id=pk(leads[lead_name]), position=lead_pos)
                )
            for code in item.get("characteristics") or []:
                session.add(
                    IssueCharacteristic(
                        issue_id=pk(issue), characteristic_id=pk(characteristics[code])
                    )
                )
            report.count("issues")
    session.flush()
