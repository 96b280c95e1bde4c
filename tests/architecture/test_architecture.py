"""The trust boundary and the offline promise, checked on every run.

- import-linter contracts (pyproject.toml): app/ never imports Qt or ui/; ui/ gets views and
  service calls only; the report renderer sees redacted views only; views are plain data;
  the layers of app/ import downwards only (so there is no cycle).  Each contract is also
  shown to fail on a copy of the code with one forbidden import added.
- No network: nothing in app/ or ui/ imports a network client, and the CLI works with
  sockets disabled.
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NETWORK_MODULES = {"urllib", "http", "requests", "httpx", "ftplib", "smtplib", "telnetlib",
                   "xmlrpc", "aiohttp", "PySide6.QtNetwork", "PySide6.QtWebEngineCore"}


def _contracts() -> list[dict[str, object]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return list(config["tool"]["importlinter"]["contracts"])


def _lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert exe, "import-linter is installed with the dev dependencies"
    # PYTHONPATH first: a copied tree is analysed instead of the installed checkout.
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run([exe], cwd=root, capture_output=True, text=True, check=False,
                          env=env)


def test_import_linter_contracts_are_kept() -> None:
    """Trust boundary: every contract in pyproject.toml holds, at least the five of the
    redesign (Qt-free core, ui, renderer, views, layers)."""
    contracts = _contracts()
    assert len(contracts) >= 5
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{len(contracts)} kept, 0 broken" in result.stdout


# One forbidden import per contract, added to a copy of the code: each must break exactly
# the contract it names, so no contract is vacuous.
VIOLATIONS = {
    "app is Qt-free and never reaches into ui": ("app/views/_probe.py", "import PySide6\n"),
    "ui gets views and service calls only": ("ui/_probe.py", "from app.store import repo\n"),
    "the renderer sees redacted views only": (
        "app/reports/_probe.py", "from app.domain import records\n"),
    "views are plain data: enums yes, records never": (
        "app/views/_probe2.py", "import sqlcipher3\n"),
    "app layers: no cycles, no upward imports": (
        "app/store/_probe.py", "from app.services import session\n"),
}


@pytest.mark.parametrize("contract", sorted(VIOLATIONS))
def test_each_contract_fails_on_a_forbidden_import(contract: str, tmp_path: Path) -> None:
    """A contract that could not fail would prove nothing: with one forbidden import
    added to a copy of app/ and ui/, lint-imports names that contract as broken."""
    assert contract in {c["name"] for c in _contracts()}
    for part in ("app", "ui"):
        shutil.copytree(ROOT / part, tmp_path / part,
                        ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    path, line = VIOLATIONS[contract]
    (tmp_path / path).write_text(line, encoding="utf-8")
    result = _lint_imports(tmp_path)
    assert result.returncode != 0
    assert f"{contract} BROKEN" in result.stdout
    assert "1 broken" in result.stdout


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


@pytest.mark.parametrize("package", ["app", "ui"])
def test_no_network_client_is_imported(package: str) -> None:
    """Offline: no module in app/ or ui/ imports a network client library."""
    offenders = {}
    for path in (ROOT / package).rglob("*.py"):
        bad = {m for m in _imports(path)
               if any(m == n or m.startswith(n + ".") for n in NETWORK_MODULES)}
        if bad:
            offenders[str(path.relative_to(ROOT))] = sorted(bad)
    assert offenders == {}


def test_app_never_imports_qt_even_indirectly() -> None:
    """Importing the whole core and running a command loads no Qt module."""
    code = (
        "import sys, pkgutil, importlib, app\n"
        "for m in pkgutil.walk_packages(app.__path__, 'app.'):\n"
        "    importlib.import_module(m.name)\n"
        "print(sorted(n for n in sys.modules if n.startswith(('PySide6', 'shiboken6', 'ui'))))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_cli_works_with_the_network_disabled(tmp_path: Path) -> None:
    """Offline: a store is created, listed and verified while every socket call fails."""
    script = tmp_path / "offline.py"
    script.write_text(
        "import socket, sys\n"
        "class NoNet(socket.socket):\n"
        "    def connect(self, *a, **k): raise OSError('network disabled in test')\n"
        "    def connect_ex(self, *a, **k): raise OSError('network disabled in test')\n"
        "    def sendto(self, *a, **k): raise OSError('network disabled in test')\n"
        "socket.socket = NoNet\n"
        "socket.create_connection = lambda *a, **k: (_ for _ in ()).throw(OSError('no'))\n"
        "socket.getaddrinfo = lambda *a, **k: (_ for _ in ()).throw(OSError('no'))\n"
        "from app.cli.main import main\n"
        "from app.crypto.keyslots import KdfParams\n"
        "TEST_KDF = KdfParams(time_cost=1, memory_kib=8, parallelism=1)\n"
        "store, pw = sys.argv[1], sys.argv[2]\n"
        "codes = [main(['demo', store, '--cases', '4', '--seed', '1',"
        " '--passphrase-file', pw], kdf=TEST_KDF),\n"
        "         main(['audit', 'verify', store, '--user', 'beheer',"
        " '--passphrase-file', pw], kdf=TEST_KDF)]\n"
        "sys.exit(max(codes))\n",
        encoding="utf-8",
    )
    pw = tmp_path / "pw"
    pw.write_text("correct horse battery staple\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, str(script), str(tmp_path / "store"), str(pw)],
                            cwd=ROOT, capture_output=True, text=True, check=False, env=env)
    assert result.returncode == 0, result.stderr
    assert "network disabled" not in result.stderr
