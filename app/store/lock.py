"""One process at a time per store: an OS lock on a lock file in the store folder.

The OS lock (``fcntl.flock`` / ``msvcrt.locking``) is what excludes a second process; the
file's content (user, host, pid, time) only serves the "in use by ... since ..." message.
The kernel drops the OS lock when a process dies, so a lock left behind by a crash is
simply taken over by the next opener; ``LockInfo.stale`` tells that it happened.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import socket
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from app.errors import StoreError
from app.i18n import N_
from app.store.layout import LOCK_NAME


@dataclass(frozen=True)
class LockInfo:
    """Who held the lock before us, if a crash left it behind."""

    stale: bool
    previous_user: str | None = None
    previous_since: str | None = None


def _try_os_lock(fh: IO[bytes]) -> bool:
    if os.name == "nt":  # pragma: no cover - exercised on Windows only
        import msvcrt

        try:
            msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


class StoreLock:
    """Exclusive lock on a store folder, held for the life of an open store."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / LOCK_NAME
        self._fh: IO[bytes] | None = None
        self._previous: bytes = b""

    def acquire(self, username: str) -> LockInfo:
        """Take the lock or raise ``store.in_use`` naming the holder and the time."""
        # Opening r+ / creating keeps the previous holder's note readable until we own it.
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        fh = os.fdopen(fd, "r+b")
        if not _try_os_lock(fh):
            holder = _read_note(fh)
            fh.close()
            raise StoreError(
                "store.in_use",
                N_("This store is in use by {user} since {since}."),
                {"user": holder.get("user", "?"), "since": holder.get("since", "?")},
            )
        fh.seek(0)
        self._previous = fh.read(4096)
        previous = _read_note(fh)
        info = LockInfo(
            stale=bool(previous),
            previous_user=previous.get("user"),
            previous_since=previous.get("since"),
        )
        note = {
            "user": username,
            "host": socket.gethostname(),
            "pid": os.getpid(),
            "since": dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M"),
        }
        fh.seek(0)
        fh.truncate()
        # Byte 0 stays the locked region on Windows; the note follows it.
        fh.write(json.dumps(note).encode())
        fh.flush()
        os.fsync(fh.fileno())
        self._fh = fh
        return info

    def release(self, *, failed_open: bool = False) -> None:
        """Drop the lock.  A clean close empties the note; after a failed unlock the note of
        a crashed holder is put back, so the next real open still reports (and audits) the
        stale lock it takes over."""
        if self._fh is None:
            return
        with contextlib.suppress(OSError):
            self._fh.seek(0)
            self._fh.truncate()
            if failed_open and self._previous:
                self._fh.write(self._previous)
            self._fh.flush()
        self._fh.close()
        self._fh = None


def _read_note(fh: IO[bytes]) -> dict[str, str]:
    try:
        fh.seek(0)
        raw = fh.read(4096)
        note = json.loads(raw) if raw.strip() else {}
    except (OSError, ValueError):
        return {}
    return {k: str(v) for k, v in note.items()} if isinstance(note, dict) else {}
