"""Store administration: create, users, passphrases, rotation, audit, backups.

Every function checks the acting user's role and writes an audit entry.
"""

from __future__ import annotations

import logging
from pathlib import Path

from app import clock
from app.crypto.keyslots import PRODUCTION_KDF, KdfParams, normalise_username
from app.domain.roles import Role
from app.errors import AccessDeniedError, CasusError, InputError
from app.i18n import N_
from app.policy.access import Action, allowed
from app.policy.engine import Viewer
from app.policy.holders import PARTY_ROLES
from app.services import guard, keys, party_keys, vouch
from app.services.session import Session
from app.store import backup as backups
from app.store import integrity, slot_repair
from app.store.audit import VerifyResult
from app.store.store import Store
from app.views import UserView

log = logging.getLogger(__name__)


def init_store(
    folder: Path,
    *,
    profile_id: str,
    admin_username: str,
    admin_display_name: str,
    admin_party: str | None,
    passphrase: str,
    kdf: KdfParams = PRODUCTION_KDF,
) -> Session:
    """Create a store bound to ``profile_id``; the first user is a beheerder.

    ``admin_party`` defaults to the profile's first municipality-like party.
    """
    from app.profiles import load_profile

    profile = load_profile(profile_id)
    party = admin_party or _default_admin_party(profile.parties)
    if not profile.has_party(party):
        raise InputError("user.party_unknown", N_("This party is not part of the covenant."))
    store = Store.create(
        folder,
        admin_username=admin_username,
        admin_display_name=admin_display_name,
        admin_party=party,
        passphrase=passphrase,
        profile_id=profile.id,
        profile_version=profile.version,
        kdf=kdf,
    )
    return Session(store, kdf)


def _default_admin_party(parties: tuple[object, ...]) -> str:
    for party in parties:
        if getattr(party, "kind", "") in {"gemeente", "burgemeester", "afdeling"}:
            return str(getattr(party, "id"))  # noqa: B009 - profile objects are duck-typed here
    return str(getattr(parties[0], "id"))  # noqa: B009


def list_users(session: Session, *, include_removed: bool = False) -> list[UserView]:
    """Users of the store (beheerder, privacy officer, procesregisseur)."""
    guard.authorize(session, Action.LIST_USERS)
    sql = "SELECT username, display_name, role, party_id FROM users"
    if not include_removed:
        sql += " WHERE removed_at IS NULL"
    rows = session.store.conn.execute(sql + " ORDER BY username").fetchall()
    return [UserView(r[0], r[1], Role(r[2]), r[3]) for r in rows]


def add_user(
    session: Session,
    *,
    username: str,
    display_name: str,
    role: Role,
    party_id: str,
    passphrase: str,
) -> None:
    """Add a user with their own slot (beheerder only)."""
    guard.authorize(session, Action.ADMINISTER)
    from app.profiles import load_profile

    if not load_profile(session.profile_id).has_party(party_id):
        raise InputError("user.party_unknown", N_("This party is not part of the covenant."))
    name = normalise_username(username)
    if not name:
        raise InputError("user.username_empty", N_("The username must not be empty."))
    if not display_name.strip():
        raise InputError("user.name_empty", N_("The display name must not be empty."))
    store = session.store
    exists = store.conn.execute("SELECT 1 FROM users WHERE username = ?", (name,)).fetchone()
    if exists:
        raise InputError("user.exists", N_("A user with this username already exists."))
    store.slots.add(username, passphrase, store.data_key, session.kdf)
    try:
        with store.transaction():
            store.conn.execute(
                "INSERT INTO users(username, display_name, role, party_id, created_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (name, display_name.strip(), role.value, party_id, _now()),
            )
            store.log("admin.user_add", object_type="user", object_id=name,
                      attributes={"role": role.value, "party": party_id})
            keys.enrol_user(store, name, role, party_id)
            # The administrator set this passphrase: the user chooses their own (and new
            # keys with it) before doing anything else.
            store.conn.execute("UPDATE users SET must_renew = 1 WHERE username = ?", (name,))
    except BaseException:
        store.slots.remove(username)
        raise
    # After the commit: no slot on disk ever belongs to a user the store does not know.
    store.write_slots()


def slotless_users(session: Session) -> list[str]:
    """Users in the store who cannot log in because they have no key slot: a crash came
    between committing them and writing the slot file (beheerder only, issue 9)."""
    guard.authorize(session, Action.ADMINISTER)
    return slot_repair.slotless_users(session.store)


def issue_slots(session: Session, usernames: list[str], passphrase: str) -> int:
    """Give users without a key slot a new one with ``passphrase``; they choose their own
    at their first login (beheerder only, issue 9).  Returns how many got one."""
    guard.authorize(session, Action.ADMINISTER)
    return slot_repair.issue_slots(session.store, usernames, passphrase, session.kdf)


def remove_user(session: Session, username: str) -> bool:
    """Remove a user's slot and mark them removed (kept for the audit trail).  A member of
    a party leaves with the party's key in whatever they saved: when the root
    administrator removes them, the party's key is renewed for the others in the same
    transaction (app.services.party_keys).  Returns whether it was."""
    guard.authorize(session, Action.ADMINISTER)
    store = session.store
    name = normalise_username(username)
    if name == store.user.username:
        raise InputError("user.remove_self", N_("You cannot remove yourself."))
    row = store.conn.execute(
        "SELECT role, party_id FROM users WHERE username = ? AND removed_at IS NULL", (name,)
    ).fetchone()
    if row is None:
        raise InputError("user.unknown", N_("There is no such user in this store."))
    renew = (Role(str(row[0])) in PARTY_ROLES and store.envelope
             and store.user.username == vouch.root_user(store))
    store.slots.remove(username)
    with store.transaction():
        store.conn.execute("UPDATE users SET removed_at = ? WHERE username = ?", (_now(), name))
        store.log("admin.user_remove", object_type="user", object_id=name)
        renewed = bool(renew) and party_keys.renew_party(store, str(row[1])) is not None
        store.write_slots()
    return renewed


def renew_party_key(session: Session, party_id: str) -> int:
    """A new version of a party's key pair for its current members (the root
    administrator only; ``users remove`` does it for the leaver's party).  Returns how
    many members hold the new key; what was sealed to the old one moves to the new one at
    their next login (app.services.party_keys)."""
    guard.authorize(session, Action.ADMINISTER)
    from app.profiles import load_profile

    if not load_profile(session.profile_id).has_party(party_id):
        raise InputError("user.party_unknown", N_("This party is not part of the covenant."))
    store = session.store
    with store.transaction():
        members = party_keys.renew_party(store, party_id)
        if members is None:
            raise InputError("keys.party_without_key",
                             N_("This party has no key yet: none of its users has logged "
                                "in with a passphrase of their own."))
    return members


def change_passphrase(session: Session, old: str, new: str) -> None:
    """Change the acting user's own passphrase; no other slot is touched.  In a store with
    envelope keys the user's key pairs are renewed with it (:func:`keys.renew_own_keys`),
    so a passphrase someone else set or knew opens nothing afterwards."""
    store = session.store
    if store.keyring is not None and store.signer is not None:
        keys.renew_own_keys(store, old, new, session.kdf)
        return
    store.slots.change_passphrase(store.user.username, old, new, session.kdf)
    with store.transaction():
        store.log("session.passphrase_change", object_type="user", object_id=store.user.username)
        store.write_slots()


def rotate(session: Session) -> None:
    """New data key for the store; every remaining user keeps access (beheerder only).

    Automatic backups made under the old key are removed and a fresh one is made, because
    they carry the old slots (a removed user's included).
    """
    guard.authorize(session, Action.ADMINISTER)
    store = session.store
    # A slot of nobody (a crash in an old import) must not receive the new data key.
    slot_repair.prune_orphan_slots(store)
    store.rotate()
    with store.transaction():
        store.log("admin.rotate", object_type="store", object_id=store.meta("store_id"),
                  attributes={"generation": store.slots.generation})
    backups.drop_auto_backups(store)
    backups.auto_backup(store)


def verify_audit(session: Session) -> VerifyResult:
    """Verify the audit chain (beheerder or privacy officer); the check itself is logged."""
    guard.authorize(session, Action.VERIFY_AUDIT)
    damage = integrity.integrity_problem(session.store.conn)
    result = session.store.audit.verify()
    if damage is not None:
        result = VerifyResult(False, result.entries, result.broken_seq, damage)
    with session.store.transaction():
        session.store.log("audit.verify", status="ok" if result.ok else "error",
                          attributes={"entries": result.entries, "broken": result.broken_seq})
    return result


def export_head(session: Session) -> bytes:
    """The chain's head, signed by the acting privacy officer or administrator, to keep
    outside the store: any later store or backup can be checked against it (issue 9)."""
    guard.authorize(session, Action.VERIFY_AUDIT)
    store = session.store
    if store.signer is None:
        raise InputError("keys.not_migrated",
                         N_("This store must first be converted (casustafel keys migrate)."))
    document = store.audit.export_head(store.signer)
    with store.transaction():
        head = store.audit.head()
        store.log("audit.export_head", attributes={"seq": head[0] if head else 0})
    return document


def check_head(session: Session, document: bytes) -> VerifyResult:
    """Check the store against a head exported earlier: behind it or forked from it is
    not ok (a rollback to an older copy, or a rewritten chain)."""
    guard.authorize(session, Action.VERIFY_AUDIT)
    result = session.store.audit.check_exported_head(document)
    with session.store.transaction():
        session.store.log("audit.check_head", status="ok" if result.ok else "error",
                          attributes={"broken": result.broken_seq})
    return result


def backup(session: Session, dest: Path) -> Path:
    """Write an encrypted backup of the store into ``dest`` (beheerder only)."""
    guard.authorize(session, Action.ADMINISTER)
    return backups.backup_to(session.store, dest)


def restore(backup_folder: Path, target: Path, username: str, passphrase: str,
            *, force: bool = False, store_passphrase: str | None = None) -> None:
    """Restore a backup into ``target``: the administrator's act (ZVH 9.6, issue 9).

    It runs without a session (the store may be lost or damaged): the user proves who they
    are by opening the backup with their own slot, and the policy is asked about the role
    the backup gives them, before anything in ``target`` is touched.  Any other role, or a
    user the backup holds no longer, is refused with ``access.role``.

    Replacing a store (``force``) also asks the store being replaced: the user must be one
    of *its* administrators by its signed chain, opened with ``store_passphrase`` (default:
    the backup's passphrase).  An older backup still trusts a former administrator; the
    live store does not.  Only a store too damaged to tell is replaced on the backup's
    word (§9.9)."""
    def authorize(user: backups.BackupUser) -> None:
        _may_restore(user)
        if force and backups.holds_store(target):
            _may_replace(target, username, store_passphrase or passphrase)

    try:
        backups.restore(backup_folder, target, username, passphrase, force=force,
                        authorize=authorize)
    except AccessDeniedError as error:
        _record_refused_restore(target, username, store_passphrase or passphrase,
                                rule="store_role" if error.code == "access.store_role"
                                else "backup_role")
        raise


REPLACE_REFUSED = N_("Only an administrator of the store in the target folder may replace "
                     "it, with their passphrase for that store.")


def _may_replace(target: Path, username: str, passphrase: str) -> None:
    from app.store.backup_check import administers

    verdict = administers(target, username, passphrase)
    if verdict is None:
        # Nobody can tell who administers a store that cannot be read; restoring a damaged
        # store is what restore is for.  The witnesses still judge the restore entry.
        log.warning("the store being replaced could not be read to check its administrators")
        return
    if not verdict:
        raise AccessDeniedError("access.store_role", REPLACE_REFUSED)


def _record_refused_restore(target: Path, username: str, passphrase: str, *,
                            rule: str) -> None:
    """Leave a trace of a refused restore where one can be written: the audit trail of
    the store it was aimed at, when the user can open that store (usually: it is their
    store); otherwise only the local log, without names (issue 9, §9.9)."""
    try:
        session = Session.open(target, username, passphrase)
    except (CasusError, OSError):
        log.warning("a refused restore could not be recorded in the target store")
        return
    try:
        with session.store.transaction():
            session.store.log("access.denied", status="error", object_type="store",
                              object_id=session.store.meta("store_id"),
                              attributes={"action": "restore", "rule": rule,
                                          "article": "ZVH 9.6"})
    finally:
        session.close(backup=False)


def check_backup(backup_folder: Path, username: str, passphrase: str,
                 head_document: bytes | None = None) -> VerifyResult:
    """Verify the audit chain of a backup, and with ``head_document`` check it against a
    head kept elsewhere, without writing into it (issue 9): the privacy officer's or the
    administrator's check (ZVH 15.3d), by the role the backup gives the user.  No session
    is opened, so nothing is logged in the backup: it stays the copy it was."""
    from app.store.backup_check import check_backup as check

    try:
        return check(backup_folder, username, passphrase, authorize=_may_verify,
                     head_document=head_document)
    except AccessDeniedError:
        # A backup is never written into, and no store is named to record it in.
        log.warning("a refused check of a backup was not recorded: a backup is only read")
        raise


VERIFY_REFUSED = N_("Only the administrator and the privacy officer may check a backup.")


def _may_verify(user: backups.BackupUser) -> None:
    if user is not None and allowed(Viewer(user[0], user[1]), Action.VERIFY_AUDIT):
        return
    raise AccessDeniedError("access.role", VERIFY_REFUSED)


RESTORE_REFUSED = N_("Only the administrator may restore a backup.")


def _may_restore(user: backups.BackupUser) -> None:
    if user is not None and allowed(Viewer(user[0], user[1]), Action.ADMINISTER):
        return
    # No session exists to log the refusal in; nothing has been changed at this point.
    raise AccessDeniedError("access.role", RESTORE_REFUSED)


def set_dagmonitor_agreement(session: Session, agreement: str) -> None:
    """Record which dagmonitor agreement (seed 000 or 001) the store's dagmonitor data come
    under; its address rules then apply (DM 000 art. 4.3, 001 Bijlage 1).  Beheerder only."""
    from app.services.redaction import DAGMONITOR_AGREEMENTS

    guard.authorize(session, Action.ADMINISTER)
    if agreement not in DAGMONITOR_AGREEMENTS:
        raise InputError("dagmonitor.agreement", N_("Unknown dagmonitor agreement."))
    store = session.store
    with store.transaction():
        store.conn.execute(
            "INSERT INTO meta(key, value) VALUES ('dagmonitor_agreement', ?)"
            " ON CONFLICT(key) DO UPDATE SET value = excluded.value", (agreement,))
        store.log("store.dagmonitor_agreement", attributes={"agreement": agreement})


def _now() -> str:
    return clock.utc_now_iso()
