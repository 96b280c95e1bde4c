"""CLI commands over case data (filled in with the domain and policy)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

ArgAdder = Callable[[argparse.ArgumentParser], None]


def register(sub: Any, user_args: ArgAdder, store_arg: ArgAdder) -> None:
    """Add the case commands to the CLI."""
