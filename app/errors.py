"""The one error type users ever see.

Every failure that reaches a user is a :class:`CasusError` with a stable ``code`` (for
support and tests), an exit code for the CLI, and a translatable message.  Messages never
contain personal data: parameters are limited to technical facts (paths chosen by the user,
counts, field names, record keys).
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import IntEnum

from app.i18n import format_msgid


class ExitCode(IntEnum):
    """Documented CLI exit codes."""

    OK = 0
    USAGE = 2
    AUTH = 3
    INVALID = 4
    STORE = 5


class CasusError(Exception):
    """A failure with a stable code and a translatable, personal-data-free message.

    ``message`` is an English msgid marked with ``N_``; it is translated when shown.
    """

    exit_code: ExitCode = ExitCode.INVALID

    def __init__(
        self,
        code: str,
        message: str,
        params: Mapping[str, object] | None = None,
        *,
        exit_code: ExitCode | None = None,
    ) -> None:
        super().__init__(code)
        self.code = code
        self.message = message
        self.params = dict(params or {})
        if exit_code is not None:
            self.exit_code = exit_code

    def user_message(self) -> str:
        """The message in the current language, parameters filled in."""
        return format_msgid(self.message, self.params)

    def __str__(self) -> str:
        return f"[{self.code}] {self.user_message()}"


class AuthError(CasusError):
    """Wrong user or passphrase (CLI exit 3)."""

    exit_code = ExitCode.AUTH


class StoreError(CasusError):
    """The store is missing, damaged, not ours, or in use (CLI exit 5)."""

    exit_code = ExitCode.STORE


class InputError(CasusError):
    """Invalid input from the user or a file (CLI exit 4)."""

    exit_code = ExitCode.INVALID


class AccessDeniedError(CasusError):
    """The acting user's role does not allow this action (CLI exit 3)."""

    exit_code = ExitCode.AUTH
