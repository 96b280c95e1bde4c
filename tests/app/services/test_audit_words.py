"""The audit trail and the retention clocks in words (issue 13, point 9: no raw ids on
screen).  The service decides what an entry and its object are called; the workbench only
shows it (ZVH 9.6: process metadata only, never content).

- every entry name the code logs has words (a scan of the sources, so a new entry cannot
  slip onto the screen as ``grant.add``);
- a page of the trail names each grant, consent and case by the case's reference, a
  meeting by its start, a data subject by its label, an activity by its name, never by a
  row id;
- every retention clock of every covenant profile has words beside its article, never its
  id.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

import app
from app.profiles import load_profile
from app.services import audit_words, clock_words, registers_audit
from app.views import JOINT_KINDS
from app.views.registers import AuditFilter
from tests.app.services.test_services import PRIVACY_OFFICER, _open
from tests.app.services.test_services import folder as folder  # noqa: PLC0414 - fixture

APP = Path(app.__file__).parent
# Names built at run time rather than written out at a ``.log(`` call.
DYNAMIC = {f"{kind}.{what}" for kind in JOINT_KINDS for what in ("correct", "status")} | {
    f"{kind}.add" for kind in ("decision", "goal", "action", "progress")} | {
    "register.read", "register.export", "audit.read", "audit.export", "keys.vouch_facts",
    "retention.replay", "items.vouch"}


def _logged_names() -> set[str]:
    names: set[str] = set()
    for source in APP.rglob("*.py"):
        text = source.read_text(encoding="utf-8")
        names |= set(re.findall(r'\.log\(\s*"([a-z_]+(?:\.[a-z_]+)?)"', text))
        names |= set(re.findall(r'^[A-Z_]*(?:EVENT|MARK)\s*=\s*"([a-z_.]+)"', text,
                                re.MULTILINE))
    return names


def test_every_logged_entry_has_words() -> None:
    """Issue 13, point 9: no entry reaches the screen as its technical name."""
    names = _logged_names() | DYNAMIC
    assert len(names) > 80  # the scan finds the calls
    missing = sorted(n for n in names if n not in audit_words.ENTRY_LABELS)
    assert missing == []
    assert audit_words.entry_label("grant.add") == "Information shared"
    assert audit_words.entry_label("some.future_entry") == "some.future_entry"


def test_audit_page_names_objects_by_their_references(folder: Path) -> None:
    """ZVH 8.1, 9.6: the officer's page of the trail says which case a grant or consent
    belongs to (its reference, not the grant's row id), a meeting by when it starts, a
    person by the label and case, a party by its name; the raw values stay in the row."""
    with _open(folder, PRIVACY_OFFICER) as session:
        conn = session.store.conn
        grant_cases = dict(conn.execute(
            "SELECT g.id, c.reference FROM grants g JOIN cases c ON c.id = g.case_id"))
        starts = dict(conn.execute("SELECT id, starts_at FROM meetings"))
        labels = {str(pid): (label, ref) for pid, label, ref in conn.execute(
            "SELECT p.id, p.label, c.reference FROM persons p JOIN cases c"
            " ON c.id = p.case_id")}
        rows = registers_audit.audit_page(session, AuditFilter(), 0, 500, sort="seq",
                                          descending=False)
    by_type: dict[str | None, list[registers_audit.AuditRow]] = {}
    for row in rows:
        by_type.setdefault(row.object_type, []).append(row)
    assert {"grant", "consent", "case", "meeting", "party", "store"} <= set(by_type)

    for row in by_type["grant"]:
        assert row.label == ("Information shared" if row.name == "grant.add" else row.label)
        assert row.object_id is not None
        assert row.object_label == f"Sharing, case {grant_cases[int(row.object_id)]}"
    for row in by_type["consent"]:
        assert row.object_label is not None
        assert re.fullmatch(r"Consent, case ZVH-\d{4}", row.object_label)
    for row in rows:
        if row.data_subject_id is not None:
            label, ref = labels[row.data_subject_id]
            assert row.subject_label == f"{label}, case {ref}"
        else:
            assert row.subject_label is None
    for row in by_type["case"]:
        assert row.object_label == f"Case {row.object_id}"
    for row in by_type["meeting"]:
        assert row.object_label == "Case meeting"
        assert row.object_id is not None
        assert row.object_when == dt.datetime.fromisoformat(starts[int(row.object_id)])
    for row in by_type["party"]:
        assert row.object_label is not None
        assert row.object_label != row.object_id  # "Politie Rotterdam", not "politie-…"
    row_ids = {"grant", "consent", "meeting", "item", "person", "goal", "action",
               "decision", "progress", "note", "notice"}
    for row in rows:
        assert row.label
        assert row.label != row.name
        if row.object_type in row_ids and row.object_id is not None:
            # "Sharing, case ZVH-0001", never "grant 12".
            assert not re.search(rf"\b{re.escape(row.object_id)}\b", row.object_label or "")


def test_a_case_named_by_its_row_id_is_shown_by_its_reference(folder: Path) -> None:
    """``retention.extend`` names the case by its row id: the page shows the reference."""
    with _open(folder, PRIVACY_OFFICER) as session:
        conn = session.store.conn
        case_id, ref = conn.execute("SELECT id, reference FROM cases ORDER BY id").fetchone()
        namer = audit_words.Namer(conn, load_profile(session.profile_id))
        assert namer.object("case", str(case_id)) == f"Case {ref}"
        assert namer.object("grant", "999999") == "Sharing"  # gone: the kind, no number
        assert namer.object("register", "audit") == "Audit trail"
        assert namer.object(None, None) is None
        person_id, label = conn.execute(
            "SELECT id, label FROM persons WHERE case_id = ?", (case_id,)).fetchone()
        assert namer.person(str(person_id)) == f"{label}, case {ref}"
        assert namer.object("person", str(person_id)) == f"Person {label}, case {ref}"


@pytest.mark.parametrize("profile_id", ["zvh-rotterdam-rijnmond", "woonoverlast",
                                        "ondermijning"])
def test_every_retention_clock_has_words(profile_id: str) -> None:
    """ZVH 11.2-11.4, 11.8, 17.5; WO 9.9; DM 000 art. 5.6: each clock of the profile is
    said in words (what, how long, from when, whether it can be extended), never by its
    id; its article stays beside it in its own column."""
    clocks = load_profile(profile_id).retention.clocks
    assert clocks
    for clock in clocks:
        text = clock_words.clock_label(clock)
        assert clock.id not in text
        assert "{" not in text
        assert ("can be extended" in text) is clock.extendable


def test_the_zvh_clocks_in_words() -> None:
    """ZVH 11.2-11.4 (5 years, extendable), 11.8 (1 year after not forwarding), 17.5
    (4 years of OM disclosure records), DM 000 art. 5.6 (2 years and 2 months)."""
    labels = {c.id: clock_words.clock_label(c)
              for c in load_profile("zvh-rotterdam-rijnmond").retention.clocks}
    assert labels["zvh-max-term"] == ("Case file: 5 years after processing started, can be "
                                      "extended")
    assert labels["zvh-not-forwarded"] == ("Case file: 1 year after the decision not to "
                                           "forward it")
    assert labels["om-disclosure-records"] == (
        "Register lines (disclosures by the Public Prosecution Service): 4 years after they "
        "were provided")
    assert labels["dagmonitor-000"] == ("Dagmonitor items (agreement 000): 2 years and 2 "
                                        "months after they were provided")
