"""``casustafel --demo``: a fresh synthetic store in a temporary folder."""

from __future__ import annotations

import argparse

from app.crypto.keyslots import KdfParams
from app.errors import ExitCode
from app.i18n import _


def run_demo(args: argparse.Namespace, kdf: KdfParams) -> int:  # noqa: ARG001
    """Placeholder until the desktop app lands: explains what exists."""
    print(_("The desktop app is not built yet; see 'casustafel --help'."))
    return ExitCode.OK
