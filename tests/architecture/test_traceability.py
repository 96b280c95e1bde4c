"""The traceability table in docs/ (rule, article, code, test) is current and complete.

``docs/traceability.py`` generates ``docs/traceability.md`` from the rule functions in
``app/policy`` and the test names; these tests fail while the committed table is not what
it would generate, check it against the rules the engine actually runs, and show on a
synthetic module and a copied checkout that a rule missing from the table is caught.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from app.policy import engine

ROOT = Path(__file__).resolve().parents[2]
GENERATOR = ROOT / "docs" / "traceability.py"

# One rule with an article in its docstring and one in its decision, in the style of
# app/policy/engine.py; the article and code are made up so no real test matches them.
SYNTHETIC_MODULE = '''
def _hidden(code, text, article):
    return Decision(Level.HIDDEN, Reason(code, text, article))


def rule_probe_stays_hidden(viewer, item, facts, ctx):
    """Probe data stay hidden (ZVH 99.1).

    Second paragraph, not part of the summary.
    """
    return _hidden("probe_hidden", N_("Probe"), "OND 98.7b")


RULES = (rule_probe_stays_hidden,)
'''

# Appended to a copy of engine.py: a new rule nobody regenerated the table for.
NEW_RULE = '''

def rule_probe_added_later(viewer, item, facts, ctx):
    """A rule added after the table was generated (ZVH 99.2)."""
    return _hidden("probe_added", "Probe", "ZVH 99.2")
'''


def _generator() -> ModuleType:
    # docs/ is not a package: load the script from its path, under a name of its own.
    spec = importlib.util.spec_from_file_location("docs_traceability", GENERATOR)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # Registered before running it: dataclasses look their module up in sys.modules.
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _run(script: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(script), *args], capture_output=True,
                          text=True, check=False, cwd=script.parents[1])


def test_committed_traceability_table_is_current() -> None:
    """docs/traceability.md is exactly what the generator makes of today's code and tests
    (regenerate with .venv/bin/python docs/traceability.py)."""
    result = _run(GENERATOR, "--check")
    assert result.returncode == 0, result.stderr


def test_every_rule_the_engine_runs_is_in_the_table() -> None:
    """Every function in engine.RULES, as the engine imports it (not as the generator
    parses it), has a row with its code location and at least one article (cited, or
    read from the profile)."""
    trace = _generator()
    table = trace.generate(ROOT)
    rows = {(r.path, r.name): r for r in trace.collect_rules(ROOT)}
    assert engine.RULES
    for rule in engine.RULES:
        row = rows[("app/policy/engine.py", rule.__name__)]
        assert row.line == rule.__code__.co_firstlineno
        assert row.articles or row.profile_articles, f"{rule.__name__} cites no article"
        assert f"| `{rule.__name__}` | `RULES #{engine.RULES.index(rule) + 1}` |" in table
        assert f"`app/policy/engine.py:{row.line}`" in table


@pytest.mark.parametrize(("cited", "articles", "in_test_names"), [
    ("ZVH 9.6, 17.2", ["ZVH 9.6", "ZVH 17.2"], ["zvh_9_6", "zvh_17_2"]),
    ("OND 7.2; ZVH 6.4d", ["OND 7.2", "ZVH 6.4d"], ["ond_7_2", "zvh_6_4d"]),
    ("seed 000 art. 4.3", ["DM 000 art. 4.3"], ["dm_000_art_4_3", "dm_000_4_3"]),
    ("ZVH 3.5c-d", ["ZVH 3.5c-d"], ["zvh_3_5c", "zvh_3_5d"]),
    ("art. 20 Wpg", ["art. 20 Wpg"], ["wpg_20"]),
    ("HIDDEN < MASKED; coarsest address", [], []),
])
def test_article_references_are_read_as_tests_are_named(
        cited: str, articles: list[str], in_test_names: list[str]) -> None:
    """A citation is split into articles with their scheme, and each article is found
    in a test name in the form the tests use (seed 000 is the dagmonitor, DM)."""
    trace = _generator()
    assert trace.parse_articles(cited) == articles
    keys = set().union(*(trace.article_keys(a) for a in articles))
    assert set(in_test_names) <= keys


def test_a_synthetic_rule_gets_its_row_and_is_listed_untested() -> None:
    """A rule with an article in its docstring shows up with that article, its decision's
    article and its code, and without a test it is in "Rules without a test"."""
    trace = _generator()
    rules = trace.rules_from_source(SYNTHETIC_MODULE, "app/policy/probe.py")
    assert [r.name for r in rules] == ["rule_probe_stays_hidden"]
    table = trace.render(rules, [])
    assert ("| `rule_probe_stays_hidden` | `RULES #1` | Probe data stay hidden (ZVH 99.1). "
            "| OND 98.7b; ZVH 99.1 | `probe_hidden` | `app/policy/probe.py:6` | **none** |"
            ) in table
    untested = table.split("## Rules without a test", 1)[1]
    assert "`app.policy.probe.rule_probe_stays_hidden` (OND 98.7b; ZVH 99.1)" in untested


def test_a_test_covers_a_rule_by_article_code_or_name() -> None:
    """The three ways a test is linked to a rule, and a near miss that is not one."""
    trace = _generator()
    rule = trace.rules_from_source(SYNTHETIC_MODULE, "app/policy/probe.py")[0]
    tests = trace.tests_from_source(
        "from app.policy import probe\n"
        "def test_zvh_99_1_probe():\n    pass\n"
        "def test_probe_ond_98_7b():\n    pass\n"
        "def test_code():\n    assert 'probe_hidden'\n"
        "def test_name():\n    probe.rule_probe_stays_hidden\n"
        "def test_zvh_99_10_is_another_article():\n    pass\n",
        "tests/app/policy/test_probe.py")
    found = trace.coverage(rule, tests)
    assert {k.split("::")[1]: v for k, v in found.items()} == {
        "test_zvh_99_1_probe": ("article",), "test_probe_ond_98_7b": ("article",),
        "test_code": ("code",), "test_name": ("name",)}
    table = trace.render([rule], tests)
    assert "`tests/app/policy/test_probe.py::test_code` (code)" in table
    assert table.rstrip().endswith("## Rules without a test\n\nNone.")


def test_check_fails_when_a_rule_is_added_without_regenerating(tmp_path: Path) -> None:
    """On a copy of the checkout with one rule added to engine.py, --check exits 1 with
    a one-line message; after regenerating, the new rule is in the table and the check
    passes again."""
    for part in ("app/policy", "tests", "docs"):
        shutil.copytree(ROOT / part, tmp_path / part,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pdf", "*.png"))
    copy = tmp_path / "docs" / "traceability.py"
    assert _run(copy).returncode == 0
    assert _run(copy, "--check").returncode == 0
    with (tmp_path / "app" / "policy" / "engine.py").open("a", encoding="utf-8") as out:
        out.write(NEW_RULE)
    failed = _run(copy, "--check")
    assert failed.returncode == 1
    assert failed.stderr.strip() == (
        "docs/traceability.md is out of date; run .venv/bin/python docs/traceability.py")
    assert _run(copy).returncode == 0
    assert _run(copy, "--check").returncode == 0
    table = (tmp_path / "docs" / "traceability.md").read_text(encoding="utf-8")
    assert "- `app.policy.engine.rule_probe_added_later` (ZVH 99.2)" in table
