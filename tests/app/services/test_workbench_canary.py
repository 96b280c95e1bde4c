"""The canary sweep over every workbench view (issue 11, "Done when": the officer's lists
never show content outside an open request; ZVH 9.6, 17.2, 18.1).

A scenario with a data subject (``SUBJECT-`` markers in their items) and other persons
(``CANARY-`` strings in their items and names) is read through every service the privacy
officer's workbench calls: the disclosure register (page and LDV export), the audit trail
(page and full export), the processing register, requests, breaches, the information duty
overview and the figures.  Before a request is linked, none of them shows any item content
or the requester's name.  While an inzage request is open and linked, the subject's data
appear in the inzage view only, and the other persons' never.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from app.services import (
    breaches,
    figures,
    info_duty,
    processing_register,
    registers,
    registers_audit,
    requests,
    requests_inzage,
)
from app.services.session import Session
from app.views.registers import AuditFilter, DisclosureFilter
from tests.app.services import requests_scenario as scenario
from tests.app.services.test_services import PRIVACY_OFFICER, SPEC, TODAY, _open
from tests.conftest import DemoStoreFactory

SUBJECT_MARKERS = ("SUBJECT-ADDR", "SUBJECT-HOME", "SUBJECT-CARE", "Coolsingel 40")


@pytest.fixture
def folder(demo_store: DemoStoreFactory) -> Path:
    """A private copy of the demo store for one test."""
    return demo_store(SPEC)


def _dump(value: object) -> str:
    """Every string a view holds, however deep (dataclasses, sequences, mappings)."""
    out: list[str] = []

    def walk(v: object) -> None:
        if dataclasses.is_dataclass(v) and not isinstance(v, type):
            for f in dataclasses.fields(v):
                walk(getattr(v, f.name))
        elif isinstance(v, dict):
            for k, x in v.items():
                walk(k)
                walk(x)
        elif isinstance(v, (list, tuple, set, frozenset)):
            for x in v:
                walk(x)
        elif isinstance(v, bytes):
            out.append(v.decode("utf-8", "replace"))
        elif v is not None:
            out.append(str(v))

    walk(value)
    return "\n".join(out)


def _workbench_sweep(session: Session, s: scenario.Scenario) -> str:
    """Everything the workbench's tabs show the officer, as one text."""
    shown: list[object] = []
    for f in (DisclosureFilter(), DisclosureFilter(case_ref=s.ref),
              DisclosureFilter(case_ref=s.foreign)):
        shown.append(registers.count_disclosures(session, f))
        shown.append(registers.disclosure_page(session, f, 0, 200))
    lines = registers.ldv_lines(session, DisclosureFilter(case_ref=s.ref))
    shown.append(lines)
    shown.extend(registers.render_lines(lines, fmt) for fmt in ("csv", "json", "ldv"))
    shown.append(registers_audit.audit_page(session, AuditFilter(), 0, 200))
    shown.append(registers_audit.audit_page(session, AuditFilter(case_ref=s.ref), 0, 200))
    _count, chain = registers_audit.export_audit(session, AuditFilter())
    shown.append(list(chain))
    shown.append(registers_audit.audit_verdict(session))
    shown.append(processing_register.processing_register(session))
    shown.append(requests.list_requests(session))
    shown.append(breaches.list_breaches(session))
    shown.append(info_duty.overview(session))
    shown.append(figures.figures(session, TODAY.year))
    return _dump(shown)


def test_no_workbench_view_shows_content_outside_an_open_request(folder: Path) -> None:
    """ZVH 9.6, 17.2: in daily work the privacy officer sees process metadata only; the
    requester's name, given at registration, is not in the lists either."""
    s = scenario.build(folder)
    request_id = scenario.register(folder)
    with _open(folder, PRIVACY_OFFICER) as session:
        text = _workbench_sweep(session, s)
        detail = _dump(requests.request_detail(session, request_id))
    assert s.ref in text  # the sweep did see the case (process metadata)
    for marker in (*s.canaries, *SUBJECT_MARKERS):
        assert marker not in text
        assert marker not in detail
    assert scenario.NAME.casefold() not in text.casefold()


def test_an_open_linked_inzage_shows_the_subject_only_in_the_inzage_view(folder: Path
                                                                         ) -> None:
    """ZVH 18.1: the officer reaches the subject's data through the request that opened
    them, and nowhere else; other persons' data never (ZVH 9.6)."""
    s = scenario.build(folder)
    request_id = scenario.register(folder)
    scenario.link_all(folder, request_id)
    scenario.holders_log_in(folder)
    with _open(folder, PRIVACY_OFFICER) as session:
        text = _workbench_sweep(session, s)
        view = _dump(requests_inzage.inzage(session, request_id))
    for marker in SUBJECT_MARKERS[:3]:
        assert marker in view
        assert marker not in text
    for canary in s.canaries:
        assert canary not in view
        assert canary not in text
    assert json.dumps(scenario.NAME) not in text
