"""Translation for the reports: the one shared catalog (``i18n/``), as on screen.

Every report string is an English msgid marked with ``_`` or ``N_``; ``make i18n`` extracts
it, and tests/test_i18n.py checks that the Dutch catalog translates it.  Reports render
inside :class:`app.i18n.language`, so their language is independent of the UI's.
"""

from __future__ import annotations

from app.i18n import _

__all__ = ["_"]
