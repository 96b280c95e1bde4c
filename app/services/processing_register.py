"""The processing register of the store's covenant (ZVH 24.3, OND 24.2), viewable and
exportable by every user (``READ_PROCESSING_REGISTER``).

Per processing activity of the profile: purpose, categories of personal data and of
persons, recipients, retention and the phases it covers; for the whole register the
controller(s) and the contact as the covenant names them.  Every log line points at an
activity of this register: disclosure rows carry its id as their ``purpose`` and audit
entries as their ``processing_activity_id``.  A look is logged
(``processing_register.read``).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence

from app.errors import InputError
from app.i18n import N_, _
from app.policy.access import Action
from app.profiles import LocalText, Profile
from app.services import guard
from app.services.redaction import party_ref, profile_of
from app.services.session import Session
from app.views.registers import ActivityView, ControllerView, ProcessingRegisterView
from app.views.values import CategoryRef, PartyRef

FORMATS = ("text", "json", "csv")


def register_of(profile: Profile) -> ProcessingRegisterView:
    """The register of one profile (no session, no log: for tests and the renderer)."""
    data = {c.id: c.name for c in profile.data_categories}
    subjects = {c.id: c.name for c in profile.subject_categories}
    activities = tuple(
        ActivityView(
            id=a.id, name=a.name, purpose=a.purpose,
            data_categories=tuple(CategoryRef(c, data[c]) for c in a.data_categories),
            subject_categories=tuple(CategoryRef(c, subjects[c])
                                     for c in a.subject_categories),
            recipients=tuple(party_ref(profile, p) for p in a.recipients),
            retention=a.retention,
            phases=tuple(CategoryRef(p.id, p.name) for p in sorted(
                profile.phases, key=lambda p: p.order) if p.activity == a.id))
        for a in profile.activities)
    c = profile.controller
    return ProcessingRegisterView(
        profile_id=profile.id, profile_version=profile.version, covenant=profile.covenant,
        controller=ControllerView(c.name, c.contact, c.article),
        retention_article=profile.retention.article, activities=activities)


def processing_register(session: Session) -> ProcessingRegisterView:
    """The register of the store's profile (every user); the look is logged."""
    guard.authorize(session, Action.READ_PROCESSING_REGISTER)
    profile = profile_of(session)
    store = session.store
    with store.transaction():
        store.log("processing_register.read", object_type="profile", object_id=profile.id,
                  attributes={"version": profile.version})
    return register_of(profile)


def _names(refs: Sequence[PartyRef], lang: str) -> str:
    return "; ".join(r.name.get(lang) for r in refs)


def render(view: ProcessingRegisterView, fmt: str, lang: str) -> str:
    """``text`` (for reading), ``json`` (ids with both languages) or ``csv`` (one row per
    activity, texts in ``lang``)."""
    if fmt == "json":
        return json.dumps(_json(view), ensure_ascii=False, indent=1) + "\n"
    if fmt == "csv":
        return _csv(view, lang)
    if fmt == "text":
        return _text(view, lang)
    raise InputError("register.format", N_("Unknown format {format}."), {"format": fmt})


def _local(text: LocalText) -> dict[str, str]:
    return {"nl": text.nl, "en": text.en}


def _json(view: ProcessingRegisterView) -> dict[str, object]:
    def refs(items: Sequence[PartyRef]) -> list[dict[str, object]]:
        return [{"id": r.id, "name": _local(r.name)} for r in items]

    return {
        "profile": view.profile_id, "version": view.profile_version,
        "covenant": _local(view.covenant),
        "controller": {"name": _local(view.controller.name),
                       "contact": _local(view.controller.contact),
                       "article": view.controller.article},
        "retention_article": view.retention_article,
        "activities": [{
            "id": a.id, "name": _local(a.name), "purpose": _local(a.purpose),
            "data_categories": refs(a.data_categories),
            "subject_categories": refs(a.subject_categories),
            "recipients": refs(a.recipients), "retention": _local(a.retention),
            "phases": refs(a.phases)} for a in view.activities],
    }


_CSV_COLUMNS = ("activity", "name", "purpose", "data_categories", "subject_categories",
                "recipients", "retention", "phases", "controller", "contact")


def _csv(view: ProcessingRegisterView, lang: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(_CSV_COLUMNS)
    for a in view.activities:
        writer.writerow((a.id, a.name.get(lang), a.purpose.get(lang),
                         _names(a.data_categories, lang), _names(a.subject_categories, lang),
                         _names(a.recipients, lang), a.retention.get(lang),
                         _names(a.phases, lang), view.controller.name.get(lang),
                         view.controller.contact.get(lang)))
    return out.getvalue()


def _text(view: ProcessingRegisterView, lang: str) -> str:
    lines = [_("Processing register: {covenant} ({profile} {version})").format(
                 covenant=view.covenant.get(lang), profile=view.profile_id,
                 version=view.profile_version),
             "",
             _("Controller ({article}): {text}").format(article=view.controller.article,
                                                        text=view.controller.name.get(lang)),
             _("Contact: {text}").format(text=view.controller.contact.get(lang))]
    for a in view.activities:
        lines += [
            "",
            f"[{a.id}] {a.name.get(lang)}",
            "  " + _("Purpose: {text}").format(text=a.purpose.get(lang)),
            "  " + _("Phases: {names}").format(names=_names(a.phases, lang) or "-"),
            "  " + _("Categories of personal data: {names}").format(
                names=_names(a.data_categories, lang)),
            "  " + _("Categories of persons: {names}").format(
                names=_names(a.subject_categories, lang)),
            "  " + _("Recipients: {names}").format(names=_names(a.recipients, lang) or "-"),
            "  " + _("Retention: {text}").format(text=a.retention.get(lang)),
        ]
    return "\n".join(lines) + "\n"
