"""Covenant profiles as immutable data.

A profile is the machine-readable form of one covenant and its privacy protocol: which
parties sit at the table and under which legal regime, the phases a case goes through,
the categories of persons and data, the processing register, the retention rules and who
may receive police data.  The policy engine reads nothing about a covenant from anywhere
else, so every rule here must be traceable to an article of a seed document (see the
comments in ``resources/profiles/*.toml``).

Everything is a frozen dataclass with tuples, so a loaded profile can be shared between
threads and cached without anyone changing it underneath the policy engine.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from app.errors import InputError
from app.i18n import N_

# The closed vocabularies a profile may use.  They are sets of plain strings rather than
# enums because the policy engine compares them with values read from TOML and from the
# store; the loader rejects anything outside them.
PARTY_KINDS = frozenset(
    {
        "gemeente",
        "burgemeester",
        "politie",
        "om",
        "reclassering",
        "raad_kinderbescherming",
        "veilig_thuis",
        "ggz",
        "gecertificeerde_instelling",
        "ggd",
        "dji",
        "slachtofferhulp",
        "zorg_welzijn",
        "woningcorporatie",
        "verhuurder",
        "afdeling",
        "belastingdienst",
        "other",
    }
)
"""Values of :attr:`Party.kind`."""

REGIMES = frozenset({"avg", "wpg", "wjsg", "beroepsgeheim"})
"""Values of :attr:`Party.regime`: the law that governs what the party provides."""

ACCESS_LEVELS = frozenset(
    {"procesregisseur", "procesregisseur_casusregisseur", "coordinator_archive", "dsr_only", "none"}
)
"""Values of :attr:`AccessStage.access` (who may open a closed case file, and why)."""

CLOCK_SUBJECTS = frozenset({"case", "item", "register"})
"""Values of :attr:`RetentionClock.what`: what a retention clock destroys."""

CLOCK_STARTS = frozenset(
    {"opened", "closed", "decision_not_forwarded", "decision_not_complex", "provided"}
)
"""Values of :attr:`RetentionClock.starts`: the event a retention clock runs from."""

REGISTERS = frozenset({"om_disclosures"})
"""Values of :attr:`RetentionClock.register`: the register lines a clock applies to."""

WEIGHTS = frozenset({"decisive", "graded"})
"""Values of :attr:`WeightCriterion.weight`.

Meeting any one criterion makes a signal heavy enough for source research (OND Bijlage 7).
``decisive``: the criterion either applies or not; ``graded``: it also weighs more the more
it applies ("hoe recenter hoe zwaarder").
"""

TASK_GROUPS = frozenset({"algemeen", "specifiek", "meer_specifiek", "sectoraal"})
"""Values of :attr:`TaskPower.group`: the headings of OND Bijlage 9."""


class ProfileError(InputError):
    """A profile file is missing, unreadable or invalid, or a lookup names an unknown item.

    Codes: ``profile.unknown`` (no such profile), ``profile.unreadable`` (cannot open),
    ``profile.syntax`` (not valid TOML), ``profile.invalid`` (valid TOML, wrong content;
    the ``key`` parameter names the key path, e.g. ``parties[3].regime``) and
    ``profile.unknown_item`` (a lookup such as :meth:`Profile.party` with an unknown id).
    """


@dataclass(frozen=True)
class LocalText:
    """A text shown to users, in Dutch and English."""

    nl: str
    en: str

    def get(self, lang: str) -> str:
        """The text in ``lang``; Dutch (the product's default) for any other language."""
        return self.en if lang == "en" else self.nl


@dataclass(frozen=True)
class Party:
    """An organisation (or, in OND, a municipal department) that signed the covenant."""

    id: str
    name: LocalText
    kind: str
    regime: str
    # True when what this party provides needs the data subject's recorded consent or the
    # professional's own weighing first (ZVH 7.2, 13.6-13.7; Slachtofferhulp ZVH 6.4l).
    consent_required: bool


@dataclass(frozen=True)
class Phase:
    """One step in the life of a case.

    ``activity`` is the id of the :class:`ProcessingActivity` that covers the processing in
    this phase (strict purpose binding per phase, ZVH 3.5a).  ``closing`` phases end the
    case and start the retention clock.  ``step`` is the seed's own designation of the
    step (annex and article), kept so every phase can be traced to its source.  ``next``
    lists the phases a case may move to from here: the covenant's process as data.  A
    closing phase has none; reopening goes through a new melding (ZVH 11.6).
    """

    id: str
    name: LocalText
    order: int
    activity: str
    closing: bool
    step: str
    next: tuple[str, ...] = ()


@dataclass(frozen=True)
class SubjectCategory:
    """A category of data subjects (ZVH Bijvoegsel 3, WO 5.1, OND Bijlage 5).

    ``consent_required``: every personal datum of such a person is shared only with their
    consent, whatever data category it was entered under (the WO melder, WO 3.3d, 5.2).
    """

    id: str
    name: LocalText
    consent_required: bool = False


@dataclass(frozen=True)
class DataCategory:
    """A category of personal data and the flags the policy engine acts on.

    ``police``: police data (Wpg), ``justice``: justice/OM data (Wjsg), ``special``: special
    categories of art. 9 AVG, ``consent_required``: only shared with the data subject's
    consent, ``address``: an address that may fall under the dagmonitor address rules.
    """

    id: str
    name: LocalText
    special: bool
    police: bool
    justice: bool
    consent_required: bool
    address: bool


@dataclass(frozen=True)
class AccessStage:
    """Who may open a closed case between ``from_months`` and ``to_months`` after closing.

    ``to_months`` is ``None`` for the last stage when it runs until destruction.
    """

    from_months: int
    to_months: int | None
    access: str
    article: str


@dataclass(frozen=True)
class RetentionClock:
    """One retention term of a covenant, as data (issue 12): destroy ``what`` ``months``
    after ``starts``, under ``article``.

    ``what``: ``case`` (the whole case file), ``item`` (single items, e.g. dagmonitor data)
    or ``register`` (lines of a register, :data:`REGISTERS`).  ``starts``: ``opened``
    (processing started, ZVH 11.2), ``closed`` (the closing decision), the two early
    decisions ``decision_not_forwarded`` (ZVH 11.8) and ``decision_not_complex`` (WO 9.9),
    which are closings into the phases in ``phases``, or ``provided`` (the day an item or
    register line was provided).  ``phases``: for a ``closed`` clock, only cases closed in
    these phases (empty: any closing phase).  ``agreement``: the dagmonitor agreement
    (seed 000 or 001) an ``item`` clock belongs to; it applies to items with an incident
    class.  ``extendable``: a motivated decision recorded in the file may extend it
    (ZVH 11.3-11.4).
    """

    id: str
    what: str
    starts: str
    months: int
    article: str
    phases: tuple[str, ...] = ()
    agreement: str | None = None
    register: str | None = None
    extendable: bool = False


@dataclass(frozen=True)
class Retention:
    """How long case data are kept and who may still reach them after closing.

    ``max_years``: destroy at the latest this many years after processing started;
    ``extension_years``: the most one motivated extension may add;
    ``not_forwarded_months``: how long a case that ended before the table is kept
    (0 = destroy at once); ``destroy_after_close_months``: destroy this many months after
    the closing decision.  ``None`` means the covenant sets no such term.  ``clocks``: the
    terms the destruction run applies (:mod:`app.policy.retention`); ``approver``: the role
    (a :class:`app.domain.roles.Role` value) that approves a destruction run.
    """

    max_years: int | None
    extension_years: int | None
    not_forwarded_months: int | None
    destroy_after_close_months: int | None
    stages: tuple[AccessStage, ...]
    article: str
    clocks: tuple[RetentionClock, ...] = ()
    approver: str = "privacy-officer"


@dataclass(frozen=True)
class ProcessingActivity:
    """An entry of the register of processing activities (ZVH 24.3, OND 24.2).

    ``recipients`` are the ids of the parties that may receive data in this activity;
    ``retention`` says how long its data are kept, citing the covenant's retention article
    (ZVH 11, WO 9, OND 11; OND 24.2g).
    """

    id: str
    name: LocalText
    purpose: LocalText
    data_categories: tuple[str, ...]
    subject_categories: tuple[str, ...]
    recipients: tuple[str, ...]
    retention: LocalText


@dataclass(frozen=True)
class Controller:
    """Who is responsible for the processing and whom to contact (ZVH 24.3a, OND 24.2a).

    Texts as the covenant words them (joint or separate controllers, the privacy officer or
    data protection officer); the seeds give no names or addresses, so neither does this.
    """

    name: LocalText
    contact: LocalText
    article: str


@dataclass(frozen=True)
class Indicator:
    """A characteristic that may point to undermining crime (OND Bijlage 1)."""

    id: str
    group: str
    text: LocalText


@dataclass(frozen=True)
class WeightCriterion:
    """A criterion for judging whether a signal is heavy enough (OND Bijlage 7).

    ``article``: where in Bijlage 7 the criterion stands, so an assessment can cite it.
    """

    id: str
    text: LocalText
    weight: str
    article: str = ""


@dataclass(frozen=True)
class TaskPower:
    """A municipal task or power a signal may lead to, and the department that holds it
    (OND Bijlage 9).

    ``id`` is how an intake names the task (OND 1.24, 1.27); ``group`` the heading of
    Bijlage 9 it stands under (:data:`TASK_GROUPS`); ``article`` the legal provision it
    rests on.  The defaults only keep older constructors working: the loader requires all
    three.
    """

    party: str
    text: LocalText
    id: str = ""
    group: str = ""
    article: str = ""


@dataclass(frozen=True)
class IncidentClass:
    """A dagmonitor incident class (maatschappelijke klasse) and its address rule.

    ``house_number``: the house number may be shared (otherwise postcode level only);
    ``ter_hoogte_van``: the house number is shared with the wording "ter hoogte van",
    because it cannot be tied to the residents of that address (seed 001, Bijlage 1).
    ``source`` is the seed the rule comes from (``"000"`` or ``"001"``).
    """

    code: str
    description: str
    house_number: bool
    ter_hoogte_van: bool
    source: str


@dataclass(frozen=True)
class Profile:
    """One covenant, validated; a store is bound to one ``id`` and ``version``."""

    id: str
    version: str
    name: LocalText
    covenant: LocalText
    seed: str
    procesregisseur_label: LocalText
    parties: tuple[Party, ...]
    phases: tuple[Phase, ...]
    subject_categories: tuple[SubjectCategory, ...]
    data_categories: tuple[DataCategory, ...]
    activities: tuple[ProcessingActivity, ...]
    retention: Retention
    police_recipients: tuple[str, ...]
    police_basis: str
    controller: Controller
    indicators: tuple[Indicator, ...] = ()
    weight_criteria: tuple[WeightCriterion, ...] = ()
    tasks_powers: tuple[TaskPower, ...] = ()
    # Case references are ``<reference_prefix>-0001``; the article a consent rule cites.
    reference_prefix: str = "CASE"
    consent_article: str = "ZVH 7.2, 13.7"
    # Days before a meeting from which what was shared for it may be seen, and its minute
    # taker may read its cases (ZVH 13.2, 15.2); until the meeting is closed (held).
    preparation_days: int = 7

    # Lookup tables, built once per (immutable) profile; cached_property writes to the
    # instance dict directly, which a frozen dataclass allows.
    @cached_property
    def _parties(self) -> dict[str, Party]:
        return {p.id: p for p in self.parties}

    @cached_property
    def _phases(self) -> dict[str, Phase]:
        return {p.id: p for p in self.phases}

    @cached_property
    def _data_categories(self) -> dict[str, DataCategory]:
        return {c.id: c for c in self.data_categories}

    @cached_property
    def _activities(self) -> dict[str, ProcessingActivity]:
        return {a.id: a for a in self.activities}

    @cached_property
    def _ordered_phases(self) -> tuple[Phase, ...]:
        return tuple(sorted(self.phases, key=lambda p: p.order))

    def _unknown(self, what: str, item_id: str) -> ProfileError:
        return ProfileError(
            "profile.unknown_item",
            N_("Profile {profile}: unknown {what} '{item}'"),
            {"profile": self.id, "what": what, "item": item_id},
        )

    def party(self, party_id: str) -> Party:
        """The party with ``party_id``; :class:`ProfileError` when the profile has none."""
        try:
            return self._parties[party_id]
        except KeyError:
            raise self._unknown("party", party_id) from None

    def has_party(self, party_id: str) -> bool:
        """Whether ``party_id`` is a party of this covenant."""
        return party_id in self._parties

    def phase(self, phase_id: str) -> Phase:
        """The phase with ``phase_id``; :class:`ProfileError` when unknown."""
        try:
            return self._phases[phase_id]
        except KeyError:
            raise self._unknown("phase", phase_id) from None

    def data_category(self, category_id: str) -> DataCategory:
        """The data category with ``category_id``; :class:`ProfileError` when unknown."""
        try:
            return self._data_categories[category_id]
        except KeyError:
            raise self._unknown("data category", category_id) from None

    def activity(self, activity_id: str) -> ProcessingActivity:
        """The processing activity with ``activity_id``; :class:`ProfileError` when unknown."""
        try:
            return self._activities[activity_id]
        except KeyError:
            raise self._unknown("processing activity", activity_id) from None

    @cached_property
    def _indicators(self) -> dict[str, Indicator]:
        return {i.id: i for i in self.indicators}

    @cached_property
    def _weight_criteria(self) -> dict[str, WeightCriterion]:
        return {w.id: w for w in self.weight_criteria}

    @cached_property
    def _tasks_powers(self) -> dict[str, TaskPower]:
        return {t.id: t for t in self.tasks_powers}

    def indicator(self, indicator_id: str) -> Indicator:
        """The Bijlage 1 indicator ``indicator_id``; :class:`ProfileError` when unknown."""
        try:
            return self._indicators[indicator_id]
        except KeyError:
            raise self._unknown("indicator", indicator_id) from None

    def weight_criterion(self, criterion_id: str) -> WeightCriterion:
        """The Bijlage 7 criterion ``criterion_id``; :class:`ProfileError` when unknown."""
        try:
            return self._weight_criteria[criterion_id]
        except KeyError:
            raise self._unknown("weight criterion", criterion_id) from None

    def task_power(self, task_id: str) -> TaskPower:
        """The Bijlage 9 task or power ``task_id``; :class:`ProfileError` when unknown."""
        try:
            return self._tasks_powers[task_id]
        except KeyError:
            raise self._unknown("task or power", task_id) from None

    def first_phase(self) -> Phase:
        """The phase every case starts in (the lowest ``order``)."""
        return self._ordered_phases[0]

    def next_phases(self, phase_id: str) -> tuple[Phase, ...]:
        """The phases a case in ``phase_id`` may move to, in process order."""
        return tuple(sorted((self.phase(p) for p in self.phase(phase_id).next),
                            key=lambda p: p.order))

    def phase_after(self, phase_id: str) -> Phase | None:
        """The next phase on the regular path after ``phase_id``, or ``None`` after a closing one.

        Closing phases that branch off early (ZVH "niet doorgeleid", WO "niet complex")
        sit between regular phases in ``order``; they are skipped, because a case only ends
        there by an explicit decision.  When only closing phases remain, the first of them
        is the regular ending (ZVH afschaling, WO afsluiten, OND afsluiten).
        """
        current = self.phase(phase_id)
        if current.closing:
            return None
        later = [p for p in self._ordered_phases if p.order > current.order]
        for candidate in later:
            if not candidate.closing:
                return candidate
        return later[0] if later else None
