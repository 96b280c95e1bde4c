"""Test-wide set-up: headless Qt, isolated per-user folders, cheap key derivation, and the
one demo-store fixture.

``QT_QPA_PLATFORM`` must be set before anything imports Qt.  The per-user folders
(platformdirs reads XDG variables) and the temp directory point into one session folder so
the canary sweeps can search every place the app could have written to.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

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

if TYPE_CHECKING:
    from app.demo import DemoData

# Tests assert on the English source texts; the Dutch catalog is tested in
# tests/i18n/test_i18n.py.
set_language("en")

# Cheap Argon2id for tests only: passed explicitly, production code never reads it.
TEST_KDF = KdfParams(time_cost=1, memory_kib=8, parallelism=1)
PASSPHRASE = "correct horse battery staple"
OTHER_PASSPHRASE = "another long passphrase 2"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """``frozen`` tests (the PyInstaller build, tests/packaging) run where ``CI`` is set —
    CI sets it — and are skipped in the quick local suite (``CI=1`` runs them here)."""
    if os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no"}:
        return
    skip = pytest.mark.skip(reason="frozen build: runs in CI (set CI=1 to run it here)")
    for item in items:
        if item.get_closest_marker("frozen") is not None:
            item.add_marker(skip)


@pytest.fixture
def sandbox() -> Path:
    """The folder holding this test session's state, config, cache, data and temp dirs."""
    return _SANDBOX


@pytest.fixture(autouse=True)
def own_witness(tmp_path_factory: pytest.TempPathFactory,
                monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test is its own computer for the witnesses (app.store.witness): copies of one
    pristine demo store share its store id, and a computer that saw a newer copy would
    rightly refuse an older one.  Tests of the witnesses share one folder on purpose."""
    folder = tmp_path_factory.mktemp("witness")
    monkeypatch.setenv("CASUSTAFEL_WITNESS_DIR", str(folder))
    return folder


@pytest.fixture
def kdf() -> KdfParams:
    """Cheap key-derivation parameters for tests."""
    return TEST_KDF


# --------------------------------------------------------------------------- demo stores

DEMO_ADMIN = "beheer"


@dataclass(frozen=True)
class DemoSpec:
    """The parameters of a demo store: the key under which it is built once per module.

    ``generate()`` gives the same document each time (the generator is deterministic), so
    a module can build its strategies and expectations from it at import.
    """

    profile_id: str
    cases: int
    seed: int
    today: dt.date
    canary: bool = False
    agenda_size: int | None = None  # None: the generator's default

    def generate(self) -> DemoData:
        from app.demo import generate_demo
        from app.profiles import load_profile

        extra = {} if self.agenda_size is None else {"agenda_size": self.agenda_size}
        return generate_demo(load_profile(self.profile_id), cases=self.cases, seed=self.seed,
                             today=self.today, canary=self.canary, **extra)


@dataclass(frozen=True)
class DemoStore:
    """A pristine demo store (never opened: tests open copies) and its document."""

    folder: Path
    demo: DemoData


class DemoStores:
    """The pristine demo stores of one test module, each built on first use of its spec
    (``app.demo.create_demo_store``, administrator ``beheer``, every user's passphrase
    ``PASSPHRASE``, the cheap ``TEST_KDF``)."""

    def __init__(self, factory: pytest.TempPathFactory) -> None:
        self._factory = factory
        self._built: dict[DemoSpec, DemoStore] = {}

    def pristine(self, spec: DemoSpec) -> DemoStore:
        if spec not in self._built:
            from app.demo import create_demo_store

            folder = self._factory.mktemp("demo") / "store"
            demo = spec.generate()
            create_demo_store(folder, demo, profile_id=spec.profile_id, passphrase=PASSPHRASE,
                              kdf=TEST_KDF, admin=DEMO_ADMIN, admin_display_name="Beheer")
            self._built[spec] = DemoStore(folder, demo)
        return self._built[spec]

    def copy(self, spec: DemoSpec, dest: Path) -> Path:
        """A private copy of the pristine store of ``spec`` at ``dest`` (without backups)."""
        shutil.copytree(self.pristine(spec).folder, dest,
                        ignore=shutil.ignore_patterns("backups"))
        return dest


DemoStoreFactory = Callable[[DemoSpec], Path]


@pytest.fixture(scope="module")
def demo_stores(tmp_path_factory: pytest.TempPathFactory) -> DemoStores:
    """The module's pristine demo stores: for module-scoped fixtures that copy them."""
    return DemoStores(tmp_path_factory)


@pytest.fixture
def demo_store(demo_stores: DemoStores, tmp_path: Path) -> DemoStoreFactory:
    """``demo_store(spec)``: a fresh copy of the module's demo store of ``spec`` for one
    test, at ``tmp_path / "store"`` (``store-2``, ... when called again)."""
    made: list[Path] = []

    def make(spec: DemoSpec) -> Path:
        name = "store" if not made else f"store-{len(made) + 1}"
        made.append(demo_stores.copy(spec, tmp_path / name))
        return made[-1]

    return make
