"""Property: no field of any view changes when an item the viewer may not see is added
(issue 14, points 5 and 13: parties, flags, counts, dates, positions; HIDDEN means not
even level 0, anywhere).

Hypothesis draws a viewer: a participant or casusregisseur of some party, a minute taker,
a support role (administrator, privacy officer), a procesregisseur who does not direct the
case, the case's own procesregisseur, or that procesregisseur looking "as" a party or
showing the table view for a drawn set of parties (with or without a meeting).  It draws
a new item for an open case: a user of another party who may contribute to the case, a
data category, a person concerned, a field.  The draw is kept only if the policy engine
(``decide`` on facts from ``load_facts``; the strictest over the user and the parties of
the view) makes the item HIDDEN for that viewer in every meeting context.

Every view the viewer can get is taken before and after the item is added through
``casework.add_item``, with the clock standing still at one instant: the first screen
(``screens.opened_store``: meeting list and parties), the case list (``list_cases`` and the
paged list in every sort order), every case screen (case view, sharing and consents, in
every meeting context), the meeting list and every meeting dashboard; for "view as" and
the table view every case view and dashboard in that view.  Each view is compared field by
field (every field of every view object, not only its JSON); an error (a case or meeting
the viewer may not know) must stay the same error.  Only the audit trail and the
disclosure register, which no view shows, may differ.

The demo store is built once per module; every example works on its own copy of it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields, is_dataclass
from enum import Enum
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, assume, event, given, settings
from hypothesis import strategies as st

from app import clock
from app.domain.records import Case, Item, Person
from app.domain.roles import Role
from app.domain.vocab import ItemKind
from app.errors import CasusError
from app.policy import access
from app.policy.engine import CaseFacts, Level, PolicyContext, Viewer, combine, decide
from app.policy.facts import load_facts
from app.profiles import Profile, load_profile
from app.services import caselist, cases, casework, meetings, screens
from app.services.redaction import strictest_incident_classes
from app.services.session import Session
from app.store import repo
from app.views import ViewKind, ViewSpec
from tests.conftest import PASSPHRASE, TEST_KDF, DemoSpec, DemoStores

ZVH = "zvh-rotterdam-rijnmond"
TODAY = dt.date(2026, 11, 22)
NOW = dt.datetime(2026, 11, 22, 11, 0, tzinfo=dt.UTC)
SPEC = DemoSpec(ZVH, cases=12, seed=3, today=TODAY, agenda_size=8)
DEMO = SPEC.generate()
ADMIN = "beheer"
USERS: dict[str, tuple[Role, str]] = {u: (Role(r), p) for u, _n, r, p in DEMO.users}
SORTS = tuple(caselist.SORT_COLUMNS)
BASIS = "art. 6 lid 1 sub e AVG; PP 6.2"
# Parties with rules of their own, so views-as and tables often hold one.
NOTABLE = ("politie-rotterdam", "om-rotterdam", "ggz-antes", "slachtofferhulp", "halt",
           "gemeente-rotterdam", "reclassering-nederland", "fier")
SHAPES = ((ItemKind.TEXT, ""), (ItemKind.FIELD, "name"), (ItemKind.FIELD, "phone"),
          (ItemKind.TEXT, "notes"))

# No explain phase: it reruns every failing example dozens of times (minutes here).
PROPERTY = settings(max_examples=60, deadline=None,
                    phases=(Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink),
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


def _users(*roles: Role) -> list[str]:
    return sorted(u for u, (r, _p) in USERS.items() if r in roles)


# --------------------------------------------------------------------------- the store

@dataclass(frozen=True, repr=False)
class Truth:
    """The pristine store, read once: every example starts from a copy of it."""

    folder: Path
    profile: Profile
    cases: dict[str, Case]
    facts: dict[int, CaseFacts]
    persons: dict[int, list[Person]]
    meeting_ids: tuple[int, ...]
    agenda: dict[int, frozenset[int]]
    invited: dict[int, frozenset[str]]
    next_item_id: int
    user_party: dict[str, str]

    def __repr__(self) -> str:
        return f"Truth({self.folder.name!r})"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """Hypothesis prints a failing example with this, not with every field."""
        del cycle
        printer.text(repr(self))

    def open_refs(self) -> list[str]:
        return sorted(ref for ref, c in self.cases.items() if c.closed_at is None)

    def meetings_of(self, ref: str) -> list[int]:
        case_id = self.cases[ref].id
        return [m for m in self.meeting_ids if case_id in self.agenda[m]]


@pytest.fixture(scope="module")
def truth(demo_stores: DemoStores, tmp_path_factory: pytest.TempPathFactory) -> Truth:
    folder = demo_stores.pristine(SPEC).folder
    session = Session.open(demo_stores.copy(SPEC, tmp_path_factory.mktemp("truth") / "s"),
                           ADMIN, PASSPHRASE, kdf=TEST_KDF)
    try:
        conn = session.store.conn
        case_list = repo.cases(conn)
        found = [m.id for m in repo.meetings(conn)]
        agenda = {m: repo.agenda(conn, m) for m in found}
        invited: dict[int, set[str]] = {}
        for entries in agenda.values():
            for entry in entries:
                invited.setdefault(entry.case_id, set()).update(entry.invited)
        return Truth(
            folder=folder,
            profile=load_profile(session.profile_id),
            cases={c.reference: c for c in case_list},
            facts=load_facts(conn, case_list),
            persons=repo.persons_by_case(conn, [c.id for c in case_list]),
            meeting_ids=tuple(found),
            agenda={m: frozenset(e.case_id for e in entries) for m, entries in agenda.items()},
            invited={c: frozenset(p) for c, p in invited.items()},
            next_item_id=int(conn.execute("SELECT coalesce(max(id), 0) + 1 FROM items")
                             .fetchone()[0]),
            user_party=dict(conn.execute("SELECT username, party_id FROM users")),
        )
    finally:
        session.close(backup=False)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("examples")


_COUNTER = itertools.count()


@contextlib.contextmanager
def _open(folder: Path, username: str) -> Iterator[Session]:
    """A session on ``folder``, closed without the automatic backup."""
    session = Session.open(folder, username, PASSPHRASE, kdf=TEST_KDF)
    try:
        yield session
    finally:
        session.close(backup=False)


# --------------------------------------------------------------------------- the reference

def actor(truth: Truth, username: str) -> Viewer:
    if username == ADMIN:
        return Viewer(truth.user_party[ADMIN], Role.BEHEERDER, ADMIN)
    role, party = USERS[username]
    return Viewer(party, role, username)


def contexts(truth: Truth) -> list[PolicyContext]:
    """No meeting, and every meeting of the store: what a view may be taken in."""
    classes = strictest_incident_classes()
    return [PolicyContext(truth.profile, TODAY, mid, classes)
            for mid in (None, *truth.meeting_ids)]


def hidden_everywhere(truth: Truth, viewers: list[Viewer], item: Item, facts: CaseFacts
                      ) -> bool:
    """Whether ``item`` is HIDDEN for the strictest of ``viewers`` in every context."""
    return all(combine(decide(v, item, facts, ctx) for v in viewers).level is Level.HIDDEN
               for ctx in contexts(truth))


# --------------------------------------------------------------------------- the views

def plain(value: Any) -> Any:
    """A view as nested plain data: every field of every dataclass and named tuple."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return {name: plain(getattr(value, name)) for name in value._fields}
    if isinstance(value, (frozenset, set)):
        return sorted((plain(v) for v in value), key=repr)
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (dt.date, dt.datetime, Path)):
        return str(value)
    return value


def attempt(call: Callable[[], Any]) -> Any:
    """The view, or the error the viewer gets instead (its code and message)."""
    try:
        return plain(call())
    except CasusError as error:
        return {"error": type(error).__name__, "text": str(error)}


def own_views(truth: Truth, session: Session) -> dict[str, Any]:
    """Everything the acting user gets on their own screens."""
    out: dict[str, Any] = {
        "opened_store": attempt(lambda: screens.opened_store(session)),
        "case_list": attempt(lambda: cases.list_cases(session, today=TODAY)),
        "meeting_list": attempt(lambda: meetings.list_meetings(session)),
    }
    for sort, descending in itertools.product(SORTS, (False, True)):
        out[f"ids/{sort}/{descending}"] = caselist.visible_case_ids(
            session, sort=sort, descending=descending)
    out["rows"] = attempt(lambda: caselist.rows_for_ids(
        session, caselist.visible_case_ids(session)))
    for ref in sorted(truth.cases):
        out[f"case/{ref}"] = attempt(partial(screens.case_screen, session, ref, ViewSpec()))
        for mid in truth.meetings_of(ref):
            out[f"case/{ref}@{mid}"] = attempt(partial(
                cases.show_case, session, ref, ViewSpec(meeting_id=mid), today=TODAY))
    for mid in truth.meeting_ids:
        out[f"meeting/{mid}"] = attempt(partial(meetings.meeting_view, session, mid,
                                                today=TODAY))
    return out


def spec_views(truth: Truth, session: Session, spec: ViewSpec) -> dict[str, Any]:
    """Everything the chair gets in "view as" or the table view: every case and every
    meeting dashboard in that view."""
    out: dict[str, Any] = {}
    for ref in sorted(truth.cases):
        out[f"case/{ref}"] = attempt(partial(cases.show_case, session, ref, spec,
                                             today=TODAY))
    for mid in truth.meeting_ids:
        here = ViewSpec(spec.kind, spec.parties, mid)
        out[f"meeting/{mid}"] = attempt(partial(meetings.meeting_view, session, mid, here,
                                                today=TODAY))
    return out


def differences(before: Any, after: Any, path: str = "") -> Iterator[str]:
    """Paths where two plain structures differ, with both values."""
    if isinstance(before, dict) and isinstance(after, dict):
        for key in sorted(set(before) | set(after)):
            if key not in before or key not in after:
                yield f"{path}/{key}: {'added' if key not in before else 'removed'}"
            else:
                yield from differences(before[key], after[key], f"{path}/{key}")
    elif isinstance(before, list) and isinstance(after, list):
        if len(before) != len(after):
            yield f"{path}: {len(before)} -> {len(after)} entries"
        for index, (b, a) in enumerate(zip(before, after, strict=False)):
            yield from differences(b, a, f"{path}[{index}]")
        for index in range(min(len(before), len(after)), max(len(before), len(after))):
            extra = (after if len(after) > len(before) else before)[index]
            yield f"{path}[{index}] {'added' if len(after) > len(before) else 'removed'}: " + (
                _short(extra))
    elif before != after:
        yield f"{path}: {_short(before)} -> {_short(after)}"


def _short(value: Any, limit: int = 240) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "…"


# --------------------------------------------------------------------------- drawing

Draw = Callable[[st.SearchStrategy[Any]], Any]

@dataclass(frozen=True)
class Look:
    """Who looks: a user on their own screens, or the chair in a view spec."""

    username: str
    spec: ViewSpec | None = None

    def viewers(self, truth: Truth) -> list[Viewer]:
        me = [actor(truth, self.username)]
        if self.spec is None or self.spec.kind is ViewKind.SELF:
            return me
        return me + [Viewer.party(p) for p in sorted(self.spec.parties)]

    def views(self, truth: Truth, session: Session) -> dict[str, Any]:
        if self.spec is None:
            return own_views(truth, session)
        return spec_views(truth, session, self.spec)


@dataclass(frozen=True)
class NewItem:
    """The item to add: by whom, to which case, what."""

    username: str
    ref: str
    category: str
    person: str | None
    kind: ItemKind
    field: str

    def draft(self, truth: Truth) -> Item:
        """The item as the store will hold it (for the engine, before it exists)."""
        case = truth.cases[self.ref]
        person_id = next((p.id for p in truth.persons.get(case.id, [])
                          if p.label == self.person), None)
        return Item(truth.next_item_id, case.id, person_id, self.kind, self.field,
                    "Nieuw gegeven", None, USERS[self.username][1], self.category, case.phase,
                    BASIS, TODAY, None)


def draw_look(draw: Draw, truth: Truth, ref: str) -> Look:
    case = truth.cases[ref]
    director = case.procesregisseur
    assert director is not None
    kind = draw(st.sampled_from(["party", "party", "party", "notulist", "support",
                                 "other_pr", "director", "as_party", "table"]))
    if kind == "party":
        return Look(draw(st.sampled_from(_users(Role.DEELNEMER, Role.CASUSREGISSEUR))))
    if kind == "notulist":
        return Look(draw(st.sampled_from(_users(Role.NOTULIST))))
    if kind == "support":
        return Look(draw(st.sampled_from([ADMIN, *_users(Role.PRIVACY_OFFICER)])))
    if kind == "other_pr":
        return Look(draw(st.sampled_from([u for u in _users(Role.PROCESREGISSEUR)
                                          if u != director])))
    if kind == "director":
        return Look(director)
    meeting = draw(st.sampled_from([None, *truth.meetings_of(ref)]))
    pool = sorted(truth.facts[case.id].involved | set(NOTABLE))
    if kind == "as_party":
        return Look(director, ViewSpec.as_party(draw(st.sampled_from(pool)), meeting))
    invited = sorted(truth.invited.get(case.id, truth.facts[case.id].involved))
    parties = draw(st.sets(st.sampled_from(invited), max_size=5))
    if draw(st.integers(0, 3)) == 0:
        parties |= {draw(st.sampled_from(pool))}
    return Look(director, ViewSpec.table(parties, meeting))


def draw_item(draw: Draw, truth: Truth, ref: str) -> NewItem:
    case = truth.cases[ref]
    facts = truth.facts[case.id]
    contributors = [u for u in sorted(USERS) if access.allowed(
        actor(truth, u), access.Action.CONTRIBUTE, facts).allowed]
    assert contributors
    category = draw(st.sampled_from([c.id for c in truth.profile.data_categories]))
    person = draw(st.sampled_from([None, *(p.label for p in truth.persons.get(case.id, []))]))
    kind, field = draw(st.sampled_from(SHAPES))
    return NewItem(draw(st.sampled_from(contributors)), ref, category, person, kind, field)


# --------------------------------------------------------------------------- the property

@PROPERTY
@given(data=st.data())
def test_no_view_changes_when_a_hidden_item_is_added(
    truth: Truth, workdir: Path, data: st.DataObject,
) -> None:
    """OND 7.2, ZVH 13.2: a party, a flag, a count, a date, a position or an order that
    only exists because of an item the viewer may not see must not show; so adding such
    an item changes no field of any view the viewer can get."""
    ref = data.draw(st.sampled_from(truth.open_refs()), label="case")
    look = draw_look(data.draw, truth, ref)
    new = draw_item(data.draw, truth, ref)
    data.draw(st.just((look, new)), label="look and new item")
    facts = truth.facts[truth.cases[ref].id]
    assume(hidden_everywhere(truth, look.viewers(truth), new.draft(truth), facts))
    role = actor(truth, look.username).role
    event(f"viewer: {look.spec.kind.value if look.spec else role.value}")

    folder = workdir / f"example-{next(_COUNTER)}"
    shutil.copytree(truth.folder, folder, ignore=shutil.ignore_patterns("backups"))
    try:
        with clock.frozen(NOW):
            with _open(folder, look.username) as session:
                before = look.views(truth, session)
            with _open(folder, new.username) as session:
                try:
                    item_id = casework.add_item(
                        session, ref, category=new.category, body="Nieuw gegeven",
                        legal_basis=BASIS, person=new.person, kind=new.kind, field=new.field)
                except CasusError as refused:  # e.g. a category the phase does not allow
                    event(f"add_item refused: {refused.code}")
                    assume(False)
            with _open(folder, look.username) as session:
                after = look.views(truth, session)
                conn = session.store.conn
                stored = repo.item_by_id(conn, item_id)
                case = repo.case_by_reference(conn, ref)
                assert stored is not None
                assert case is not None
                now_facts = load_facts(conn, [case])[case.id]
        # The reference holds for the item as stored, on the facts after adding it.
        assert hidden_everywhere(truth, look.viewers(truth), stored, now_facts), (
            "the drawn item is not HIDDEN once stored: the test's draft is wrong")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    changed = list(differences(before, after))
    assert not changed, (
        f"{look} sees a change after {new} added an item HIDDEN for them:\n"
        + "\n".join(changed[:40]))
