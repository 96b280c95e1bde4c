"""Load covenant profiles and dagmonitor incident classes from TOML, validating strictly.

A profile decides who may see police data and what needs consent, so a typo must never
be silently ignored: unknown keys, missing keys, wrong types, values outside the closed
vocabularies, duplicate ids and dangling references are all errors, and every error names
the key path (``parties[3].regime``, ``retention.stages[1].access``) so whoever edits a
profile can find the line.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from app.i18n import N_
from app.profiles.model import (
    ACCESS_LEVELS,
    CLOCK_STARTS,
    CLOCK_SUBJECTS,
    PARTY_KINDS,
    REGIMES,
    REGISTERS,
    TASK_GROUPS,
    WEIGHTS,
    AccessStage,
    Controller,
    DataCategory,
    IncidentClass,
    Indicator,
    Party,
    Phase,
    ProcessingActivity,
    Profile,
    ProfileError,
    Retention,
    RetentionClock,
    SubjectCategory,
    TaskPower,
    WeightCriterion,
)
from app.profiles.reader import ID_RE, Reader, invalid

PROFILES_DIR = Path(__file__).resolve().parent.parent.parent / "resources" / "profiles"
"""Where the shipped profiles live (``<repo>/resources/profiles``)."""

INCIDENT_CLASSES_ID = "dagmonitor-incidentklassen"
"""Stem of the incident-class file, which sits next to the profiles but is not one."""

SUPPORTED_FORMAT = 1

_VERSION_RE = re.compile(r"\d{4}\.\d+")
_CLASS_CODE_RE = re.compile(r"[A-Z][0-9]{2,4}")
_LINE_RE = re.compile(r"line (\d+)")


def _read_toml(path: Path, label: str) -> dict[str, Any]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ProfileError(
            "profile.unreadable",
            N_("Profile {profile}: cannot read {path}: {problem}"),
            {"profile": label, "path": str(path), "problem": exc.strerror or type(exc).__name__},
        ) from None
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        # tomllib (3.11) puts the position only in the message: "... (at line 3, column 7)".
        found = _LINE_RE.search(str(exc))
        raise ProfileError(
            "profile.syntax",
            N_("Profile {profile}: not valid TOML at line {line}: {problem}"),
            {"profile": label, "line": found.group(1) if found else "?", "problem": str(exc)},
        ) from None


def _check_unique(readers: Iterable[Reader], ids: Iterable[str]) -> None:
    first: dict[str, str] = {}
    for reader, item_id in zip(readers, ids, strict=True):
        if item_id in first:
            raise reader.fail("id", f"duplicate id '{item_id}' (also {first[item_id]})")
        first[item_id] = reader.path


def _check_refs(reader: Reader, key: str, refs: Iterable[str], known: set[str], what: str) -> None:
    for index, ref in enumerate(refs):
        if ref not in known:
            raise reader.fail(f"{key}[{index}]", f"unknown {what} '{ref}'")


# --------------------------------------------------------------------------- profile parts


def _party(r: Reader) -> Party:
    party = Party(
        id=r.ident("id"),
        name=r.local("name"),
        kind=r.choice("kind", PARTY_KINDS),
        regime=r.choice("regime", REGIMES),
        consent_required=r.flag("consent_required"),
    )
    r.finish()
    return party


def _phase(r: Reader) -> Phase:
    phase = Phase(
        id=r.ident("id"),
        name=r.local("name"),
        order=r.number("order", minimum=1),
        activity=r.ident("activity"),
        closing=r.flag("closing"),
        step=r.text("step"),
        next=r.idents("next"),
    )
    r.finish()
    return phase


def _subject_category(r: Reader) -> SubjectCategory:
    category = SubjectCategory(id=r.ident("id"), name=r.local("name"),
                               consent_required="consent_required" in r.data
                               and r.flag("consent_required"))
    r.finish()
    return category


def _data_category(r: Reader) -> DataCategory:
    category = DataCategory(
        id=r.ident("id"),
        name=r.local("name"),
        special=r.flag("special"),
        police=r.flag("police"),
        justice=r.flag("justice"),
        consent_required=r.flag("consent_required"),
        address=r.flag("address"),
    )
    r.finish()
    return category


def _activity(r: Reader) -> ProcessingActivity:
    activity = ProcessingActivity(
        id=r.ident("id"),
        name=r.local("name"),
        purpose=r.local("purpose"),
        data_categories=r.idents("data_categories"),
        subject_categories=r.idents("subject_categories"),
        recipients=r.idents("recipients"),
        retention=r.local("retention"),
    )
    r.finish()
    return activity


def _controller(r: Reader) -> Controller:
    controller = Controller(name=r.local("name"), contact=r.local("contact"),
                            article=r.text("article"))
    r.finish()
    return controller


def _indicator(r: Reader) -> Indicator:
    indicator = Indicator(id=r.ident("id"), group=r.ident("group"), text=r.local("text"))
    r.finish()
    return indicator


def _weight_criterion(r: Reader) -> WeightCriterion:
    criterion = WeightCriterion(
        id=r.ident("id"), text=r.local("text"), weight=r.choice("weight", WEIGHTS),
        article=r.text("article"),
    )
    r.finish()
    return criterion


def _task_power(r: Reader) -> TaskPower:
    task = TaskPower(party=r.ident("party"), text=r.local("text"), id=r.ident("id"),
                     group=r.choice("group", TASK_GROUPS), article=r.text("article"))
    r.finish()
    return task


def _retention(r: Reader) -> Retention:
    stage_readers = r.tables("stages")
    stages: list[AccessStage] = []
    for sr in stage_readers:
        stages.append(
            AccessStage(
                from_months=sr.number("from_months"),
                to_months=sr.optional_number("to_months", minimum=1),
                access=sr.choice("access", ACCESS_LEVELS),
                article=sr.text("article"),
            )
        )
        sr.finish()
    clock_readers = r.tables("clocks")
    clocks = tuple(_clock(cr) for cr in clock_readers)
    _check_unique(clock_readers, (c.id for c in clocks))
    retention = Retention(
        max_years=r.optional_number("max_years", minimum=1),
        extension_years=r.optional_number("extension_years", minimum=1),
        not_forwarded_months=r.optional_number("not_forwarded_months"),
        destroy_after_close_months=r.optional_number("destroy_after_close_months"),
        stages=tuple(stages),
        article=r.text("article"),
        clocks=clocks,
        approver=r.choice("approver", _APPROVERS),
    )
    r.finish()
    _check_stages(stage_readers, retention)
    if any(c.extendable for c in clocks) and retention.extension_years is None:
        raise r.fail("extension_years", "an extendable clock needs extension_years")
    return retention


# Who may approve a destruction run: the privacy officer (ZVH 15.3d, 24), or the case
# director role where a covenant names the coordinator (OND 9.8, 11).
_APPROVERS = frozenset({"privacy-officer", "procesregisseur"})
_AGREEMENTS = frozenset({"000", "001"})  # the dagmonitor seeds


def _clock(r: Reader) -> RetentionClock:
    """One ``[[retention.clocks]]`` table; the phases are checked against the profile's
    phases once those are known (:func:`_check_clock_phases`)."""
    what = r.choice("what", CLOCK_SUBJECTS)
    starts = r.choice("starts", CLOCK_STARTS)
    phases = r.idents("phases") if "phases" in r.data else ()
    r.used.add("phases")
    agreement = r.choice("agreement", _AGREEMENTS) if "agreement" in r.data else None
    r.used.add("agreement")
    register = r.choice("register", REGISTERS) if "register" in r.data else None
    r.used.add("register")
    extendable = r.flag("extendable") if "extendable" in r.data else False
    r.used.add("extendable")
    clock = RetentionClock(id=r.ident("id"), what=what, starts=starts,
                           months=r.number("months"), article=r.text("article"),
                           phases=phases, agreement=agreement, register=register,
                           extendable=extendable)
    r.finish()
    # The clock's parts must fit together: what it destroys and what it runs from.
    if starts == "provided" and what == "case":
        raise r.fail("starts", "a case is not provided; use opened or closed")
    if what != "case" and starts != "provided":
        raise r.fail("starts", f"an {what} clock runs from 'provided'")
    if starts.startswith("decision_") and not phases:
        raise r.fail("phases", f"'{starts}' needs the closing phase(s) of that decision")
    if phases and starts not in {"closed", "decision_not_forwarded", "decision_not_complex"}:
        raise r.fail("phases", "only a clock that runs from a closing names phases")
    if (what == "register") != (register is not None):
        raise r.fail("register", "a register clock, and only one, names its register")
    if agreement is not None and what != "item":
        raise r.fail("agreement", "only an item clock belongs to a dagmonitor agreement")
    if what == "item" and agreement is None:
        raise r.fail("agreement", "an item clock names its dagmonitor agreement")
    if extendable and what != "case":
        raise r.fail("extendable", "only a case clock can be extended (ZVH 11.3)")
    return clock


def _check_clock_phases(retention_r: Reader, retention: Retention,
                        phases: tuple[Phase, ...]) -> None:
    """Every phase a clock names is a closing phase of this profile."""
    closing = {p.id for p in phases if p.closing}
    for index, clock in enumerate(retention.clocks):
        for ref in clock.phases:
            if ref not in closing:
                raise retention_r.fail(f"clocks[{index}].phases",
                                       f"'{ref}' is not a closing phase of this profile")


def _check_stages(readers: list[Reader], retention: Retention) -> None:
    """Stages must tile the time after closing without gaps, in order, up to destruction."""
    stages = retention.stages
    last = len(stages) - 1
    if stages[0].from_months != 0:
        raise readers[0].fail("from_months", "the first stage must start at 0 months")
    for index, stage in enumerate(stages):
        reader = readers[index]
        if index > 0 and stage.from_months != stages[index - 1].to_months:
            raise reader.fail(
                "from_months",
                f"must equal the previous stage's to_months ({stages[index - 1].to_months})",
            )
        if stage.to_months is None:
            if index != last:
                raise reader.fail("to_months", "only the last stage may be open-ended")
        elif stage.to_months <= stage.from_months:
            raise reader.fail("to_months", "must be greater than from_months")
    end = stages[last].to_months
    if end != retention.destroy_after_close_months:
        wanted = (
            "be absent (open until destruction), as destroy_after_close_months is not set"
            if retention.destroy_after_close_months is None
            else f"equal destroy_after_close_months ({retention.destroy_after_close_months})"
        )
        raise readers[last].fail("to_months", f"the last stage must {wanted}")


def _check_phases(readers: list[Reader], phases: tuple[Phase, ...]) -> None:
    orders: dict[int, str] = {}
    for reader, phase in zip(readers, phases, strict=True):
        if phase.order in orders:
            raise reader.fail("order", f"order {phase.order} is also used by {orders[phase.order]}")
        orders[phase.order] = reader.path
    first = min(range(len(phases)), key=lambda i: phases[i].order)
    if phases[first].closing:
        raise readers[first].fail("closing", "the first phase cannot be a closing phase")
    if not any(p.closing for p in phases):
        raise invalid(readers[0].label, "phases", "at least one phase must be a closing phase")
    _check_transitions(readers, phases, phases[first].id)


def _check_transitions(readers: list[Reader], phases: tuple[Phase, ...], first: str) -> None:
    """The process as data must be a process: ``next`` names other phases, a closing phase
    leads nowhere (reopening is a new melding, ZVH 11.6), every other phase leads
    somewhere, and every phase can be reached from the first."""
    ids = {p.id for p in phases}
    for reader, phase in zip(readers, phases, strict=True):
        for target in phase.next:
            if target not in ids or target == phase.id:
                raise reader.fail("next", f"'{target}' is not another phase of this profile")
        if phase.closing and phase.next:
            raise reader.fail("next", "a closing phase leads nowhere")
        if not phase.closing and not phase.next:
            raise reader.fail("next", "a phase that does not close a case must lead somewhere")
    reached: set[str] = set()
    todo = [first]
    by_id = {p.id: p for p in phases}
    while todo:
        current = todo.pop()
        if current not in reached:
            reached.add(current)
            todo.extend(by_id[current].next)
    for reader, phase in zip(readers, phases, strict=True):
        if phase.id not in reached:
            raise reader.fail("next", "no phase leads here")


# --------------------------------------------------------------------------- profile


def _build_profile(data: Mapping[str, Any], label: str) -> Profile:
    root = Reader(label, "", data)
    _check_format(root)
    profile_id = root.ident("id")
    version = _version(root)
    seed = root.text("seed")
    name = root.local("name")
    covenant = root.local("covenant")
    label_text = root.local("procesregisseur_label")
    police_recipients = root.idents("police_recipients")
    police_basis = root.text("police_basis")
    # Both default for a profile that does not name them: case references "CASE-0001",
    # consent under the ZVH privacy protocol.
    # The preparation window before a meeting defaults to a week (ZVH 13.2).
    reference_prefix, consent_article, preparation = (
        root.optional_text("reference_prefix", "CASE"),
        root.optional_text("consent_article", "ZVH 7.2, 13.7"),
        root.optional_number("preparation_days"))

    party_r = root.tables("parties")
    parties = tuple(_party(r) for r in party_r)
    _check_unique(party_r, (p.id for p in parties))
    subject_r = root.tables("subject_categories")
    subjects = tuple(_subject_category(r) for r in subject_r)
    _check_unique(subject_r, (s.id for s in subjects))
    data_r = root.tables("data_categories")
    data_categories = tuple(_data_category(r) for r in data_r)
    _check_unique(data_r, (c.id for c in data_categories))
    activity_r = root.tables("activities")
    activities = tuple(_activity(r) for r in activity_r)
    _check_unique(activity_r, (a.id for a in activities))
    phase_r = root.tables("phases")
    phases = tuple(_phase(r) for r in phase_r)
    _check_unique(phase_r, (p.id for p in phases))
    _check_phases(phase_r, phases)
    retention_r = root.table("retention")
    retention = _retention(retention_r)
    _check_clock_phases(retention_r, retention, phases)
    controller = _controller(root.table("controller"))

    indicators, weights, task_r, tasks = _signal_lists(root)
    root.finish()

    # Cross-references: checked after every part is known to be well-formed.
    party_ids = {p.id for p in parties}
    activity_ids = {a.id for a in activities}
    for reader, phase in zip(phase_r, phases, strict=True):
        if phase.activity not in activity_ids:
            raise reader.fail("activity", f"unknown processing activity '{phase.activity}'")
    data_ids = {c.id for c in data_categories}
    subject_ids = {s.id for s in subjects}
    for reader, activity in zip(activity_r, activities, strict=True):
        _check_refs(reader, "data_categories", activity.data_categories, data_ids, "data category")
        _check_refs(
            reader, "subject_categories", activity.subject_categories, subject_ids,
            "subject category",
        )
        _check_refs(reader, "recipients", activity.recipients, party_ids, "party")
    _check_refs(root, "police_recipients", police_recipients, party_ids, "party")
    departments = {p.id for p in parties if p.kind == "afdeling"}
    for reader, task in zip(task_r, tasks, strict=True):
        if task.party not in departments:
            raise reader.fail("party", f"'{task.party}' is not a party of kind 'afdeling'")

    return Profile(
        id=profile_id,
        version=version,
        name=name,
        covenant=covenant,
        seed=seed,
        procesregisseur_label=label_text,
        parties=parties,
        phases=phases,
        subject_categories=subjects,
        data_categories=data_categories,
        activities=activities,
        retention=retention,
        reference_prefix=reference_prefix,
        consent_article=consent_article,
        preparation_days=7 if preparation is None else preparation,
        police_recipients=police_recipients,
        police_basis=police_basis,
        controller=controller,
        indicators=indicators,
        weight_criteria=weights,
        tasks_powers=tasks,
    )


def _signal_lists(root: Reader) -> tuple[tuple[Indicator, ...], tuple[WeightCriterion, ...],
                                         list[Reader], tuple[TaskPower, ...]]:
    """The optional OND lists: Bijlage 1 indicators, Bijlage 7 criteria, Bijlage 9 tasks
    (with the readers of the tasks, whose parties are checked once the parties are known).
    Other profiles have none."""
    indicator_r = root.tables("indicators", optional=True)
    indicators = tuple(_indicator(r) for r in indicator_r)
    _check_unique(indicator_r, (i.id for i in indicators))
    weight_r = root.tables("weight_criteria", optional=True)
    weights = tuple(_weight_criterion(r) for r in weight_r)
    _check_unique(weight_r, (w.id for w in weights))
    task_r = root.tables("tasks_powers", optional=True)
    tasks = tuple(_task_power(r) for r in task_r)
    _check_unique(task_r, (t.id for t in tasks))
    return indicators, weights, task_r, tasks


def _check_format(root: Reader) -> None:
    fmt = root.number("format")
    if fmt != SUPPORTED_FORMAT:
        raise root.fail("format", f"unsupported format {fmt} (expected {SUPPORTED_FORMAT})")


def _version(root: Reader) -> str:
    version = root.text("version")
    if not _VERSION_RE.fullmatch(version):
        raise root.fail("version", f"'{version}' is not of the form YYYY.N")
    return version


def load_profile_file(path: str | Path) -> Profile:
    """Load and validate the profile in ``path``; :class:`ProfileError` on any problem."""
    path = Path(path)
    return _build_profile(_read_toml(path, path.name), path.name)


@functools.lru_cache(maxsize=32)
def load_profile(profile_id: str) -> Profile:
    """The shipped profile ``profile_id`` (``PROFILES_DIR/<id>.toml``), validated and cached.

    Raises :class:`ProfileError` with code ``profile.unknown`` when there is no such
    profile, or another ``profile.*`` code when the file is invalid.
    """
    path = PROFILES_DIR / f"{profile_id}.toml"
    if not ID_RE.fullmatch(profile_id) or profile_id == INCIDENT_CLASSES_ID or not path.is_file():
        raise ProfileError(
            "profile.unknown",
            N_("Unknown profile '{profile}'; available: {available}"),
            {"profile": profile_id, "available": ", ".join(available_profiles())},
        )
    profile = load_profile_file(path)
    if profile.id != profile_id:
        # A store records the id; the file it came from must answer to the same name.
        raise invalid(path.name, "id", f"'{profile.id}' does not match the file name")
    return profile


def available_profiles() -> list[str]:
    """Ids of the shipped profiles, sorted (the incident-class file is not a profile)."""
    return sorted(p.stem for p in PROFILES_DIR.glob("*.toml") if p.stem != INCIDENT_CLASSES_ID)


# --------------------------------------------------------------------------- incident classes


def _build_incident_classes(data: Mapping[str, Any], label: str) -> tuple[IncidentClass, ...]:
    root = Reader(label, "", data)
    _check_format(root)
    if root.ident("id") != INCIDENT_CLASSES_ID:
        raise root.fail("id", f"expected '{INCIDENT_CLASSES_ID}'")
    _version(root)
    classes: list[IncidentClass] = []
    seen: dict[tuple[str, str], str] = {}
    source_readers = root.tables("sources")
    for source_r in source_readers:
        source = source_r.ident("id")
        source_r.text("seed")  # traceability only; required so no list is anonymous
        for class_r in source_r.tables("classes"):
            code = class_r.text("code")
            if not _CLASS_CODE_RE.fullmatch(code):
                raise class_r.fail("code", f"'{code}' is not an incident code such as A20 or F530")
            if (source, code) in seen:
                raise class_r.fail("code", f"duplicate code '{code}' (also {seen[source, code]})")
            seen[source, code] = class_r.path
            item = IncidentClass(
                code=code,
                description=class_r.text("description"),
                house_number=class_r.flag("house_number"),
                ter_hoogte_van=class_r.flag("ter_hoogte_van"),
                source=source,
            )
            # "Ter hoogte van" is a wording for a house number (seed 001, Bijlage 1); it
            # makes no sense for a class that is shared at postcode level only.
            if item.ter_hoogte_van and not item.house_number:
                raise class_r.fail("ter_hoogte_van", "requires house_number = true")
            class_r.finish()
            classes.append(item)
        source_r.finish()
    _check_unique(source_readers, (r.data["id"] for r in source_readers))
    root.finish()
    return tuple(classes)


def load_incident_classes_file(path: str | Path) -> tuple[IncidentClass, ...]:
    """Load and validate an incident-class file; :class:`ProfileError` on any problem."""
    path = Path(path)
    return _build_incident_classes(_read_toml(path, path.name), path.name)


@functools.lru_cache(maxsize=1)
def load_incident_classes() -> tuple[IncidentClass, ...]:
    """The dagmonitor incident classes of seeds 000 and 001, validated and cached."""
    return load_incident_classes_file(PROFILES_DIR / f"{INCIDENT_CLASSES_ID}.toml")
