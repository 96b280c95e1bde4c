"""Content-free reprs for records and views.

A record or a view prints ids and codes only, never a name, a text or a value, so a stray
log line or a traceback with one in it leaks nothing.
"""

from __future__ import annotations


def safe_repr(obj: object, *names: str) -> str:
    """``Type(name=value, ...)`` over the given (id and code) attributes only."""
    parts = ", ".join(f"{n}={getattr(obj, n)!r}" for n in names)
    return f"{type(obj).__name__}({parts})"
