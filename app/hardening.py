"""Process hardening: no core files, no memory dumps of the running app.

The unlocked data key and decrypted records live in this process's memory.  A crash that
writes a core file, or another process of the same user attaching a debugger, would copy
them to disk or out of the process.  :func:`harden_process` closes both ways where the
platform allows it; it is called first thing by the CLI and the desktop app.
"""

from __future__ import annotations

import ctypes
import logging
import sys

log = logging.getLogger(__name__)

# <linux/prctl.h>; stable kernel ABI since Linux 2.3.20.
PR_GET_DUMPABLE = 3
PR_SET_DUMPABLE = 4


def harden_process() -> None:
    """Disable core files and (on Linux) make the process non-dumpable.

    - ``RLIMIT_CORE`` soft and hard 0: no core file on a crash (Linux, macOS; the hard limit
      too, so nothing in this process can raise it again);
    - Linux: ``prctl(PR_SET_DUMPABLE, 0)``, so no core file even via a ``core_pattern``
      pipe and no ``ptrace`` attach or ``/proc/<pid>/mem`` read by other processes of the
      same user.

    Never raises: a missing facility is logged at debug level (no personal data) and the
    app runs on, because refusing to start would not make the data safer.
    """
    _no_core_files()
    _not_dumpable()


def _no_core_files() -> None:
    try:
        import resource
    except ImportError:
        # Windows: no rlimits; crash dumps there are governed by Windows Error Reporting.
        log.debug("hardening: no resource module on this platform; core limit not set")
        return
    try:
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (OSError, ValueError) as error:
        log.debug("hardening: RLIMIT_CORE not set (%s)", type(error).__name__)


def _not_dumpable() -> None:
    if not sys.platform.startswith("linux"):
        # macOS has no PR_SET_DUMPABLE (the rlimit above is what it offers); Windows has
        # neither.
        return
    try:
        # The symbols already loaded into the interpreter include libc's: no library search
        # (ctypes.util.find_library would start a subprocess on every launch).
        libc = ctypes.CDLL(None, use_errno=True)
        result = libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
    except (OSError, AttributeError) as error:
        log.debug("hardening: prctl unavailable (%s)", type(error).__name__)
        return
    if result != 0:
        log.debug("hardening: prctl(PR_SET_DUMPABLE) failed (errno %d)", ctypes.get_errno())
