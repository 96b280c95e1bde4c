"""Fixtures of the store tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.crypto.keyslots import KdfParams
from tests.app.store.support import _create


@pytest.fixture
def folder(tmp_path: Path, kdf: KdfParams) -> Path:
    """A closed store (user beheer / PASSPHRASE) with no automatic backup yet."""
    path = tmp_path / "store"
    _create(path, kdf).close()
    return path
