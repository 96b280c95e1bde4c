"""The desktop app's demo (``casustafel --demo``): a fresh, encrypted demo store in a new
temporary folder, opened as the chair of its first upcoming meeting.

The choices that make the demo look like a working table live here, not in the widgets:
the covenant, the number of cases, and a few meetings per chair, past and upcoming, so the
app has history to show.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from app import clock
from app.demo.generator import create_demo_store, generate_demo
from app.domain.vocab import MeetingStatus
from app.i18n import _
from app.profiles import load_profile
from app.tasks import Progress

DEMO_PASSPHRASE = "casustafel-demo"  # noqa: S105 - documented passphrase of throwaway demo stores
DEMO_PROFILE = "zvh-rotterdam-rijnmond"
DEMO_CASES = 40
DEMO_MEETINGS = 9


def create_app_demo(progress: Progress, *, cases: int = DEMO_CASES,
                    seed: int = 1) -> tuple[Path, str]:
    """Create the app's demo store; returns its folder and the username to open it as.

    The store is encrypted like any other (every demo user has :data:`DEMO_PASSPHRASE`);
    its folder is new, so a demo never touches a real store.
    """
    progress.update(0.05, _("Loading the covenant…"))
    profile = load_profile(DEMO_PROFILE)
    demo = generate_demo(profile, cases=cases, seed=seed, today=clock.today(),
                         meetings=DEMO_MEETINGS)
    progress.update(0.3, _("Creating the encrypted store…"))
    folder = Path(tempfile.mkdtemp(prefix="casustafel-demo-")) / "store"
    try:
        progress.update(0.5, _("Loading the demo data…"))
        create_demo_store(folder, demo, profile_id=profile.id, passphrase=DEMO_PASSPHRASE)
        progress.update(1.0, _("The demo store is ready."))
    except BaseException:
        # Cancelled (the app quit while creating) or failed: the caller never learns the
        # folder, so nobody else could remove it (issue 13, point 13).
        shutil.rmtree(folder.parent, ignore_errors=True)
        raise
    return folder, demo_chair(demo.doc)


def demo_chair(doc: dict[str, Any]) -> str:
    """The chair of the first upcoming meeting of a demo document (else of its first
    meeting): the user the app opens the demo as, so the dashboard has an agenda."""
    meetings = doc.get("meetings", [])
    planned = [m for m in meetings
               if m.get("status", MeetingStatus.PLANNED) == MeetingStatus.PLANNED]
    chosen = sorted(planned or meetings, key=lambda m: m["starts_at"])
    return str(chosen[0]["chair"])
