"""``casustafel users repair-slots`` (app/store/slot_repair.py): a user left without a key
slot by a crash between the database and the slot file gets one from the administrator,
and must then choose their own passphrase (issue 9, hardening; docs/security.md §9.9)."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.errors import ExitCode, InputError
from app.services import cases
from tests.app.cli.conftest import Cli
from tests.app.services import test_services as ts
from tests.conftest import DEMO_ADMIN, PASSPHRASE, TEST_KDF, DemoStoreFactory

NEW = "door de beheerder gekozen 2026"
OWN = "zelf gekozen wachtwoordzin 2026"


def _files(tmp_path: Path) -> tuple[Path, Path, Path]:
    paths = []
    for name, text in (("pass.txt", PASSPHRASE), ("new.txt", NEW), ("own.txt", OWN)):
        path = tmp_path / name
        path.write_text(text + "\n", encoding="utf-8")
        paths.append(path)
    return paths[0], paths[1], paths[2]


def test_issue_9_a_user_without_slot_is_listed_given_one_and_must_renew(
        cli: Cli, demo_store: DemoStoreFactory, tmp_path: Path) -> None:
    """The police participant's slot is gone (as after a crash before the slot file was
    written).  ``repair-slots`` lists them; with ``--username`` it gives them a slot with
    a passphrase the administrator chose.  They log in with it but may do nothing until
    they choose their own (``users passwd``); then they work again."""
    folder = demo_store(ts.SPEC)
    police = ts._user(ts.POLICE)
    admin_pass, new_pass, own_pass = _files(tmp_path)
    with ts._open(folder, DEMO_ADMIN) as session:
        session.store.slots.remove(police)
        session.store.write_slots()
    as_admin = [folder, "--user", DEMO_ADMIN, "--passphrase-file", admin_pass]

    listed = cli("users", "repair-slots", *as_admin)
    assert listed.code == ExitCode.OK, listed.err
    assert listed.out.split() == [police]
    issued = cli("users", "repair-slots", *as_admin, "--username", police,
                 "--new-passphrase-file", new_pass)
    assert issued.code == ExitCode.OK, issued.err
    assert issued.out.startswith("1 key slot(s) issued")
    assert cli("users", "repair-slots", *as_admin).out.strip() == "Every user has a key slot."

    with ts.Session.open(folder, police, NEW, kdf=TEST_KDF) as session:
        assert session.must_renew
        with pytest.raises(InputError) as info:
            cases.list_cases(session, today=ts.TODAY)
        assert info.value.code == "passphrase.must_renew"
    renewed = cli("users", "passwd", folder, "--user", police, "--passphrase-file", new_pass,
                  "--new-passphrase-file", own_pass)
    assert renewed.code == ExitCode.OK, renewed.err
    with ts.Session.open(folder, police, OWN, kdf=TEST_KDF) as session:
        assert not session.must_renew
        assert cases.list_cases(session, today=ts.TODAY) is not None


def test_issue_9_only_the_administrator_repairs_slots(
        cli: Cli, demo_store: DemoStoreFactory, tmp_path: Path) -> None:
    """A participant may neither list nor issue key slots (refused, exit code 3), and a
    user who has a slot is not given another one (translated error, nothing changed)."""
    folder = demo_store(ts.SPEC)
    admin_pass, new_pass, _own = _files(tmp_path)
    police = ts._user(ts.POLICE)
    refused = cli("users", "repair-slots", folder, "--user", police,
                  "--passphrase-file", admin_pass)
    assert refused.code == ExitCode.AUTH
    before = (folder / "keyslots.json").read_bytes()
    has_one = cli("users", "repair-slots", folder, "--user", DEMO_ADMIN, "--passphrase-file",
                  admin_pass, "--username", police, "--new-passphrase-file", new_pass)
    assert has_one.code == ExitCode.INVALID
    assert "cannot log in" in has_one.err
    assert (folder / "keyslots.json").read_bytes() == before
