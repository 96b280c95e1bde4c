"""Test-wide set-up: headless Qt, isolated per-user folders, cheap key derivation.

``QT_QPA_PLATFORM`` must be set before anything imports Qt.  The per-user folders
(platformdirs reads XDG variables) and the temp directory point into one session folder so
the canary sweeps can search every place the app could have written to.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

_SANDBOX = Path(tempfile.mkdtemp(prefix="casustafel-tests-"))
for _var, _sub in (
    ("XDG_STATE_HOME", "state"),
    ("XDG_CONFIG_HOME", "config"),
    ("XDG_CACHE_HOME", "cache"),
    ("XDG_DATA_HOME", "data"),
    ("TMPDIR", "tmp"),
):
    (_SANDBOX / _sub).mkdir(parents=True, exist_ok=True)
    os.environ[_var] = str(_SANDBOX / _sub)
tempfile.tempdir = str(_SANDBOX / "tmp")
os.environ.pop("CASUSTAFEL_PASSPHRASE", None)
os.environ.pop("CASUSTAFEL_NEW_PASSPHRASE", None)
os.environ["CASUSTAFEL_LANG"] = "en"

import pytest  # noqa: E402 - after the environment is fixed

from app.crypto.keyslots import KdfParams  # noqa: E402
from app.i18n import set_language  # noqa: E402

# Tests assert on the English source texts; the Dutch catalog is tested in test_i18n.py.
set_language("en")

# Cheap Argon2id for tests only: passed explicitly, production code never reads it.
TEST_KDF = KdfParams(time_cost=1, memory_kib=8, parallelism=1)
PASSPHRASE = "correct horse battery staple"
OTHER_PASSPHRASE = "another long passphrase 2"


@pytest.fixture
def sandbox() -> Path:
    """The folder holding this test session's state, config, cache, data and temp dirs."""
    return _SANDBOX


@pytest.fixture
def kdf() -> KdfParams:
    """Cheap key-derivation parameters for tests."""
    return TEST_KDF
