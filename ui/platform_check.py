"""Before Qt starts: can its X11 (xcb) platform load on this machine?

When a system library of Qt's xcb plugin is missing, Qt prints five lines about plugins
and aborts the process, which tells a user on a fresh Debian or Ubuntu nothing they can
act on.  So, on Linux and only when Qt would pick xcb, we try to load each library first
and, if some are missing, say in one sentence which packages to install.  Qt-free: it
runs before any QApplication exists.
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Callable, Mapping

from app.i18n import _

# The system libraries Qt 6's xcb plugin (libqxcb.so, libQt6XcbQpa.so.6) links against or
# opens at start (libxcb-cursor), with the Debian/Ubuntu package of each.  The README's
# install line lists the same packages.
XCB_LIBRARIES: dict[str, str] = {
    "libxcb.so.1": "libxcb1",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libfontconfig.so.1": "libfontconfig1",
}


def uses_xcb(env: Mapping[str, str], platform: str = sys.platform) -> bool:
    """Whether Qt will start on its xcb platform (an X11 session, or asked for)."""
    if not platform.startswith("linux"):
        return False
    asked = env.get("QT_QPA_PLATFORM", "").strip()
    if asked:
        # "xcb", "xcb:option=value" or a fallback list "wayland;xcb": the first one counts.
        return asked.split(";")[0].split(":")[0].strip() == "xcb"
    # Without a choice Qt prefers Wayland in a Wayland session (xcb only as fallback).
    wayland = env.get("XDG_SESSION_TYPE") == "wayland" and bool(env.get("WAYLAND_DISPLAY"))
    return not wayland


def _loads(soname: str) -> bool:
    try:
        ctypes.CDLL(soname)
    except OSError:
        return False
    return True


def missing_packages(loads: Callable[[str], bool] | None = None) -> list[str]:
    """The Debian packages of the xcb libraries that cannot be loaded, in a stable order."""
    loads = loads or _loads
    return sorted({package for soname, package in XCB_LIBRARIES.items() if not loads(soname)})


def platform_problem(env: Mapping[str, str] | None = None,
                     loads: Callable[[str], bool] | None = None,
                     platform: str = sys.platform) -> str | None:
    """One translated sentence if Qt's window system cannot start here, else ``None``."""
    env = os.environ if env is None else env
    if not uses_xcb(env, platform):
        return None
    missing = missing_packages(loads)
    if missing:
        return _("Casustafel cannot open a window because system libraries are missing; "
                 "install them with: sudo apt-get install {packages}").format(
            packages=" ".join(missing))
    if not env.get("DISPLAY"):
        return _("Casustafel cannot open a window: there is no graphical session "
                 "(DISPLAY is not set).")
    return None
