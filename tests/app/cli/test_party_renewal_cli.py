"""``casustafel keys renew-party`` and the renewal by ``users remove``
(app/services/party_keys.py; issue 9, docs/security.md §9.5)."""

from __future__ import annotations

from pathlib import Path

from app.errors import ExitCode
from app.services import cases
from app.views import ViewSpec
from tests.app.cli.conftest import Cli
from tests.app.services import test_services as ts
from tests.conftest import DEMO_ADMIN, PASSPHRASE, DemoStoreFactory


def _shown(session: ts.Session) -> list[tuple[str, list[str]]]:
    """Per case the values of the items shown: what the participant reads."""
    return [(view.reference, [str(i.value) for i in view.items])
            for view, _full in cases.case_views(session, None, ViewSpec(), today=ts.TODAY)]


def test_issue_9_renew_party_keeps_the_members_reading(
        cli: Cli, demo_store: DemoStoreFactory, tmp_path: Path) -> None:
    """The root administrator renews the police key: the participant is told they hold
    it, logs in and is shown what they were shown before (their old seals move at that
    login); a participant may not renew, and an unknown party is a translated error."""
    folder = demo_store(ts.SPEC)
    pass_file = tmp_path / "pass.txt"
    pass_file.write_text(PASSPHRASE + "\n", encoding="utf-8")
    police = ts._user(ts.POLICE)
    with ts._open(folder, police) as session:
        before = _shown(session)
    as_admin = [folder, "--user", DEMO_ADMIN, "--passphrase-file", pass_file]
    renewed = cli("keys", "renew-party", *as_admin, "--party", ts.POLICE)
    assert renewed.code == ExitCode.OK, renewed.err
    assert renewed.out.startswith("Party key renewed: 1 member(s) hold the new key")
    with ts._open(folder, police) as session:
        after = _shown(session)
        held = session.store.keyring.former_versions()  # type: ignore[union-attr]
    assert after == before
    assert any(values for _ref, values in before)
    assert held == {}, "the login moved every seal, so no former key is needed any more"

    refused = cli("keys", "renew-party", folder, "--user", police, "--passphrase-file",
                  pass_file, "--party", ts.POLICE)
    assert refused.code == ExitCode.AUTH
    unknown = cli("--lang", "nl", "keys", "renew-party", *as_admin, "--party", "geen-partij")
    assert unknown.code == ExitCode.INVALID
    assert "convenant" in unknown.err
