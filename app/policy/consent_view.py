"""Who is shown a consent (ZVH 7.2, 13.6; OND 7.2): one rule for the case view's sharing
tab and for the keys of the consent's own words (schema 18).

A consent is shown to a user who may read the case and who has to do with it: a member
of the party whose data it covers, a member of a party it names as recipient, or the
case's director.  A consent whose source party the user may not see named is not shown:
it would say that party holds data on the person.  The key work asks the same question
of each principal with the parties the case view names to it at some probed time
(:func:`named_at_some_time`, as :func:`app.services.redaction.named_parties` does for one
look), so a key is never sealed to someone the case view would never show the consent.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence, Set

from app.domain.records import Consent, Item
from app.policy.access import Action, allowed
from app.policy.engine import CaseFacts, Level, PolicyContext, Viewer, decide


def shows_consent(viewer: Viewer, consent: Consent, facts: CaseFacts,
                  named: Set[str] | None = None) -> bool:
    """Whether ``viewer`` is shown ``consent`` of the case ``facts`` describe.
    ``named``: the parties the viewer may see named in the case (None: no limit)."""
    source = consent.source_party
    if source is None or (named is not None and source not in named):
        return False
    if not allowed(viewer, Action.READ, facts):
        return False
    return (source == viewer.party_id or viewer.party_id in consent.recipients
            or bool(allowed(viewer, Action.DIRECT, facts)))


def consent_holders(consent: Consent, facts: CaseFacts, viewers: Mapping[str, Viewer],
                    named_to: Callable[[str, Viewer], Set[str]]) -> frozenset[str]:
    """The principals whose key opens the consent's words: those it is shown to, each
    with the parties ``named_to`` says the case view names to it at some time."""
    return frozenset(principal for principal, viewer in viewers.items()
                     if shows_consent(viewer, consent, facts, named_to(principal, viewer)))


def named_at_some_time(facts: CaseFacts, items: Sequence[Item],
                       probes: Sequence[PolicyContext],
                       full: Mapping[str, frozenset[str]]
                       ) -> Callable[[str, Viewer], frozenset[str]]:
    """For a principal and its viewer: the parties the case view names to it at some
    probed time.  Those the case declares, its own when it provided items, the providers
    whose items it holds a key to (``full``, per principal), and those whose items it is
    shown as a placeholder that names them (a masked item says where it comes from)."""
    declared = facts.declared_parties()
    cache: dict[str, frozenset[str]] = {}

    def named_to(principal: str, viewer: Viewer) -> frozenset[str]:
        found = cache.get(principal)
        if found is None:
            base = (declared | ({viewer.party_id} & facts.involved)
                    | full.get(principal, frozenset()))
            masked = {item.source_party for item in items if item.source_party not in base
                      and any(decide(viewer, item, facts, probe).level >= Level.MASKED
                              for probe in probes)}
            found = cache[principal] = base | masked
        return found
    return named_to
