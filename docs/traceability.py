"""The policy's traceability table: rule, article, code, test, generated from the source.

Run ``.venv/bin/python docs/traceability.py`` to write ``docs/traceability.md``, or add
``--check`` to exit non-zero with a one-line message when the committed file differs from
what would be generated (``tests/architecture/test_traceability.py`` does that on every
run, so the table cannot go stale).

Everything is read with :mod:`ast` (and :mod:`tokenize` for comments); nothing under
``app/`` or ``tests/`` is imported, so the generator also works on a synthetic source
string, needs no Qt and no store, and sees a rule exactly as it is written.

What counts as a rule (in ``app/policy/*.py``):

- every function in a rule book: a module-level tuple whose name ends in ``RULES``
  (``engine.RULES``, ``access.CASE_RULES``, ...);
- every other module-level function that decides: one that calls a *reason constructor*
  (``Reason``, ``Permit``, or a function with a ``code`` parameter that wraps one, such
  as ``_hidden``, ``_masked``, ``_full``, ``_allow``, ``_deny``), e.g. ``decide`` or
  ``combine``;
- every other module-level function whose docstring cites an article in parentheses
  (``grant_is_current``, ``address_transform``): it enforces part of a rule without
  answering with a reason code of its own.

Its articles are the parenthesised references in its docstring and comments, such as
"(ZVH 9.6, 17.2)" or "(OND 7.2; ZVH 6.4d, 7.1)", and the literal ``article`` arguments of
the reasons it builds; an article taken from the profile at run time is shown as the
expression it is read from.  Its reason codes are the literal ``code`` arguments of those
reasons.

A test (a ``test_*`` function in ``tests/**/test_*.py``) covers a rule when its source
(decorators, body, and the module-level constants it names) has one of the rule's reason
codes as a string literal, when it names the rule function (imported from the rule's
module, as ``module.function``, or in a string), or when its name contains one of the
rule's articles in normalised form: lower case, every run of other characters one
underscore ("ZVH 13.2" -> ``zvh_13_2``, "DM 000 art. 4.3" -> ``dm_000_art_4_3`` or
``dm_000_4_3``), between underscores or at either end of the name.
"""

from __future__ import annotations

import argparse
import ast
import io
import re
import sys
import tokenize
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
POLICY_DIR = "app/policy"
TESTS_DIR = "tests"
OUTPUT = "docs/traceability.md"
REGENERATE = ".venv/bin/python docs/traceability.py"
# The test of this table names rules and codes of its own synthetic module; counting it
# would make every rule it mentions look tested.
SELF_TEST = "tests/architecture/test_traceability.py"

BASE_CONSTRUCTORS = frozenset({"Reason", "Permit"})
# The dagmonitor agreements are seeds 000 and 001; the code cites them as "seed 000" or
# "DM 000" and the tests are named test_dm_000_...: one name, so they match.
SCHEME_ALIASES = {"seed": "DM"}

_PAREN = re.compile(r"\(([^()]*)\)")
_SCHEME = r"(?:[A-Z]{2,}|[A-Z][a-z]+[A-Z]?|seed)"
_NUM = r"\d[\w.]*(?:-[\w.]+)?"
_REF = rf"{_NUM}(?:\s+(?:art\.?|Bijlage)\s*{_NUM})?"
_PIECE = re.compile(rf"^(?:(?P<scheme>{_SCHEME}(?:\s+[A-Z]{{2,}})*)\s+)?(?P<ref>{_REF})$")
# "art. 20 Wpg": the law after the article.
_LAW_ARTICLE = re.compile(rf"^art\.?\s*(?P<ref>{_NUM})\s+(?P<scheme>[A-Z][A-Za-z]+)$")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'(`])")


# --------------------------------------------------------------------------- articles

def parse_articles(text: str) -> list[str]:
    """The article references in ``text`` as written in one parenthesis or one ``article``
    argument ("ZVH 9.6, 17.2", "OND 7.2; ZVH 6.4d", "art. 20 Wpg"), each with its scheme:
    ["ZVH 9.6", "ZVH 17.2"].  Anything that is not a reference ("6th indent") is left out."""
    found: list[str] = []
    scheme: str | None = None
    for part in re.split(r"[;,]", " ".join(text.split())):
        piece = part.strip()
        law = _LAW_ARTICLE.match(piece)
        if law:
            found.append(f"art. {law['ref']} {law['scheme']}")
            continue
        match = _PIECE.match(piece)
        if match is None:
            continue
        if match["scheme"]:
            scheme = SCHEME_ALIASES.get(match["scheme"], match["scheme"])
        if scheme is not None:
            found.append(f"{scheme} {match['ref']}")
    return found


def docstring_articles(text: str) -> list[str]:
    """The article references in the parentheses of a docstring or comment."""
    return [a for group in _PAREN.findall(text) for a in parse_articles(group)]


def normalise(text: str) -> str:
    """Lower case, every run of other characters one underscore: "ZVH 3.5d" -> zvh_3_5d."""
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def _expand_range(ref: str) -> list[str]:
    # "13.6-13.7" and "3.5c-d" name every article between; a test is named after one.
    if "-" not in ref:
        return [ref]
    start, end = ref.split("-", 1)
    letters = re.fullmatch(r"(.*\d)([a-z])", start)
    if letters and re.fullmatch(r"[a-z]", end):
        return [letters[1] + chr(c) for c in range(ord(letters[2]), ord(end) + 1)]
    head, _, first = start.rpartition(".")
    end_head, _, last = end.rpartition(".")
    if head == end_head and first.isdigit() and last.isdigit() and int(first) <= int(last):
        prefix = f"{head}." if head else ""
        return [f"{prefix}{n}" for n in range(int(first), int(last) + 1)]
    return [start, end]


def article_keys(article: str) -> set[str]:
    """The normalised forms of ``article`` a test name may contain."""
    law = _LAW_ARTICLE.match(article)
    if law:
        return {normalise(f"{law['scheme']} {law['ref']}"), normalise(article)}
    scheme, _, ref = article.partition(" ")
    qualifiers = ""
    while re.match(r"[A-Z]{2,}\s", ref):  # "ZVH PP 3.5a": the PP is the ZVH protocol
        word, _, ref = ref.partition(" ")
        qualifiers += f" {word}"
    keys: set[str] = set()
    for one in _expand_range(ref.split(" ", 1)[0]):
        full = f"{one} {ref.split(' ', 1)[1]}" if " " in ref else one
        for form in (f"{scheme}{qualifiers} {full}", f"{scheme} {full}"):
            keys.add(normalise(form))
            keys.add(normalise(re.sub(r"\bart\.?\s*", "", form)))
    return keys


def _article_order(article: str) -> tuple[object, ...]:
    # Natural order: ZVH 3.5 before ZVH 13.2.
    parts = re.split(r"(\d+)", article)
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts)


# --------------------------------------------------------------------------- rules

@dataclass(frozen=True)
class Rule:
    """One rule of the policy as the source states it."""

    path: str
    line: int
    name: str
    summary: str
    # (book, position from 1) for each rule book that lists the function.
    books: tuple[tuple[str, int], ...]
    articles: tuple[str, ...]
    profile_articles: tuple[str, ...]
    codes: tuple[str, ...]

    @property
    def module(self) -> str:
        """The dotted module name ("app.policy.engine")."""
        return self.path.removesuffix(".py").replace("/", ".")

    @property
    def keys(self) -> frozenset[str]:
        """Every normalised form of every article of the rule."""
        return frozenset(k for a in self.articles for k in article_keys(a))


def _functions(tree: ast.Module) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef]:
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node


def _called(node: ast.AST) -> Iterator[tuple[str, ast.Call]]:
    for sub in ast.walk(node):
        if isinstance(sub, ast.Call):
            func = sub.func
            if isinstance(func, ast.Name):
                yield func.id, sub
            elif isinstance(func, ast.Attribute):
                yield func.attr, sub


def constructors(trees: Iterable[ast.Module]) -> frozenset[str]:
    """``Reason``, ``Permit`` and every function with a ``code`` parameter that builds one
    (directly or through another such function): the calls whose arguments are a rule's
    code and article."""
    candidates = [
        f for tree in trees for f in _functions(tree)
        if "code" in {a.arg for a in f.args.args + f.args.kwonlyargs}
    ]
    found = set(BASE_CONSTRUCTORS)
    changed = True
    while changed:  # a fixpoint: a wrapper of a wrapper is a constructor too
        changed = False
        for func in candidates:
            if func.name not in found and any(n in found for n, _ in _called(func)):
                found.add(func.name)
                changed = True
    return frozenset(found)


def rule_books(tree: ast.Module) -> dict[str, list[str]]:
    """The module's rule books: tuples (or lists) of function names named ``*RULES``."""
    books: dict[str, list[str]] = {}
    for node in tree.body:
        target: ast.expr | None = None
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
        elif isinstance(node, ast.AnnAssign):
            target = node.target
        value = node.value if isinstance(node, ast.Assign | ast.AnnAssign) else None
        if (isinstance(target, ast.Name) and target.id.endswith("RULES")
                and isinstance(value, ast.Tuple | ast.List)):
            books[target.id] = [e.id for e in value.elts if isinstance(e, ast.Name)]
    return books


def _comments(source: str) -> dict[int, str]:
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError):
        return {}
    return {t.start[0]: t.string for t in tokens if t.type == tokenize.COMMENT}


def _reasons(func: ast.AST, makers: frozenset[str]) -> tuple[list[str], list[str], list[str]]:
    """Codes, literal articles and run-time article expressions of the reasons built."""
    codes: list[str] = []
    articles: list[str] = []
    expressions: list[str] = []
    for name, call in _called(func):
        if name not in makers:
            continue
        keywords = {k.arg: k.value for k in call.keywords if k.arg}
        code_at = next((i for i, a in enumerate(call.args)
                        if isinstance(a, ast.Constant) and isinstance(a.value, str)), None)
        code = keywords.get("code", call.args[code_at] if code_at is not None else None)
        if isinstance(code, ast.Constant) and isinstance(code.value, str):
            codes.append(code.value)
        article = keywords.get("article")
        if article is None and len(call.args) > 1 and code_at != len(call.args) - 1:
            article = call.args[-1]
        if isinstance(article, ast.Constant) and isinstance(article.value, str):
            articles.extend(parse_articles(article.value))
        elif article is not None:
            expressions.append(ast.unparse(article))
    return codes, articles, expressions


def summary_of(docstring: str | None) -> str:
    """The docstring's first sentence on one line (docstrings wrap mid-sentence)."""
    if not docstring:
        return ""
    paragraph = " ".join(docstring.strip().split("\n\n", 1)[0].split())
    return _SENTENCE_END.split(paragraph, maxsplit=1)[0]


def rules_from_source(source: str, path: str, makers: frozenset[str] | None = None
                      ) -> list[Rule]:
    """The rules of one module; ``makers``: the reason constructors (by default those
    the module itself defines, with ``Reason`` and ``Permit``)."""
    tree = ast.parse(source, filename=path)
    makers = constructors([tree]) if makers is None else makers
    books = rule_books(tree)
    comments = _comments(source)
    rules: list[Rule] = []
    for func in _functions(tree):
        if func.name in makers:
            continue
        in_books = tuple((book, names.index(func.name) + 1)
                         for book, names in sorted(books.items()) if func.name in names)
        docstring = ast.get_docstring(func)
        cited = docstring_articles(docstring or "")
        end = func.end_lineno or func.lineno
        for line in range(func.lineno, end + 1):
            cited += docstring_articles(comments.get(line, ""))
        codes, articles, expressions = _reasons(func, makers)
        makes = any(name in makers for name, _ in _called(func))
        if not (in_books or makes or cited):
            continue
        rules.append(Rule(
            path=path, line=func.lineno, name=func.name, summary=summary_of(docstring),
            books=in_books,
            articles=tuple(sorted(set(cited + articles), key=_article_order)),
            profile_articles=tuple(sorted(set(expressions))),
            codes=tuple(sorted(set(codes))),
        ))
    return rules


def collect_rules(root: Path) -> list[Rule]:
    """Every rule in ``app/policy/*.py`` under ``root``."""
    files = sorted((root / POLICY_DIR).glob("*.py"))
    sources = {f.relative_to(root).as_posix(): f.read_text(encoding="utf-8") for f in files}
    trees = [ast.parse(s, filename=p) for p, s in sources.items()]
    makers = constructors(trees)
    return [r for p, s in sources.items() for r in rules_from_source(s, p, makers)]


# --------------------------------------------------------------------------- tests

@dataclass(frozen=True)
class TestFunction:
    """One test function: its id, its name and what its source mentions."""

    nodeid: str
    name: str
    strings: frozenset[str]
    # "module.name" for every name the test uses that was imported from, or reached
    # through, a module: a rule is named by its module, not by its bare name.
    qualified: frozenset[str]


def _imports(tree: ast.Module) -> tuple[dict[str, str], dict[str, str]]:
    """Names imported from a module (name -> module) and module aliases (alias -> module)."""
    names: dict[str, str] = {}
    modules: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                names[alias.asname or alias.name] = node.module
                # "from app.policy import engine" imports a module as well.
                modules[alias.asname or alias.name] = f"{node.module}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                modules[alias.asname or alias.name.split(".")[0]] = (
                    alias.name if alias.asname else alias.name.split(".")[0])
    return names, modules


def _constants(tree: ast.Module) -> dict[str, ast.AST]:
    # Module-level tables a parametrised test runs over are part of its source.
    found: dict[str, ast.AST] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    found[target.id] = node.value
        elif (isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)
              and node.value is not None):
            found[node.target.id] = node.value
    return found


@dataclass(frozen=True)
class _Scope:
    """What a test module binds at its top: imported names, module aliases, constants."""

    names: dict[str, str]
    modules: dict[str, str]
    constants: dict[str, ast.AST]


def _mentions(func: ast.AST, scope: _Scope) -> tuple[frozenset[str], frozenset[str]]:
    names, modules, constants = scope.names, scope.modules, scope.constants
    nodes: list[ast.AST] = [func]
    nodes += [constants[n.id] for n in ast.walk(func)
              if isinstance(n, ast.Name) and n.id in constants]
    strings: set[str] = set()
    qualified: set[str] = set()
    for node in (sub for top in nodes for sub in ast.walk(top)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            strings.add(node.value)
        elif isinstance(node, ast.Name) and node.id in names:
            qualified.add(f"{names[node.id]}.{node.id}")
        elif isinstance(node, ast.Attribute):
            dotted = ast.unparse(node.value)
            head, _, rest = dotted.partition(".")
            if head in modules:
                module = ".".join(p for p in (modules[head], rest) if p)
                qualified.add(f"{module}.{node.attr}")
    return frozenset(strings), frozenset(qualified)


def tests_from_source(source: str, path: str) -> list[TestFunction]:
    """The test functions of one test module (module level and in ``Test*`` classes)."""
    tree = ast.parse(source, filename=path)
    # Once per module: walking the whole module again for each test is what made this slow.
    scope = _Scope(*_imports(tree), _constants(tree))
    found: list[TestFunction] = []
    for node in tree.body:
        prefix = ""
        members: list[ast.stmt] = [node]
        if isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            prefix, members = f"{node.name}::", node.body
        for member in members:
            if (isinstance(member, ast.FunctionDef | ast.AsyncFunctionDef)
                    and member.name.startswith("test")):
                strings, qualified = _mentions(member, scope)
                found.append(TestFunction(f"{path}::{prefix}{member.name}", member.name,
                                          strings, qualified))
    return found


def collect_tests(root: Path) -> list[TestFunction]:
    """Every test function under ``tests/`` (but the test of this table)."""
    found: list[TestFunction] = []
    for file in sorted((root / TESTS_DIR).rglob("test_*.py")):
        path = file.relative_to(root).as_posix()
        if path != SELF_TEST:
            found += tests_from_source(file.read_text(encoding="utf-8"), path)
    return found


def coverage(rule: Rule, tests: Iterable[TestFunction]) -> dict[str, tuple[str, ...]]:
    """The tests that cover ``rule``, each with how: "code", "name" and/or "article" (a
    reader can tell a test that names the rule from one that only cites its article)."""
    keys = rule.keys
    # A bare name in prose ("decide", "allowed") is an English word, not a reference.
    spoken = re.compile(rf"\b{re.escape(rule.name)}\b") if "_" in rule.name else None
    found: dict[str, tuple[str, ...]] = {}
    for test in tests:
        padded = f"_{test.name}_"
        how = tuple(kind for kind, hit in (
            ("code", any(code in test.strings for code in rule.codes)),
            ("name", f"{rule.module}.{rule.name}" in test.qualified
             or (spoken is not None and any(spoken.search(s) for s in test.strings))),
            ("article", any(f"_{key}_" in padded for key in keys)),
        ) if hit)
        if how:
            found[test.nodeid] = how
    return dict(sorted(found.items()))


# --------------------------------------------------------------------------- output

def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _articles_cell(rule: Rule) -> str:
    cited = list(rule.articles)
    cited += [f"profile: `{e}`" for e in rule.profile_articles]
    return _cell("; ".join(cited)) or "—"


def render(rules: Sequence[Rule], tests: Sequence[TestFunction]) -> str:
    """The Markdown document: one table per policy module, then the untested rules."""
    ordered = sorted(rules, key=lambda r: (r.path, not r.books, r.books, r.line, r.name))
    covered = {id(r): coverage(r, tests) for r in ordered}
    untested = [r for r in ordered if not covered[id(r)]]
    lines = [
        "# Policy traceability: rule, article, code, test",
        "",
        f"<!-- Generated by docs/traceability.py; do not edit. Regenerate: {REGENERATE} -->",
        "",
        f"Generated from the rule functions in `{POLICY_DIR}/*.py` and the test functions in",
        f"`{TESTS_DIR}/**/test_*.py` by `docs/traceability.py`; do not edit it by hand.",
        f"Regenerate with `{REGENERATE}`; `--check` (run by `{SELF_TEST}`)",
        "fails while this file is not what the code would give.",
        "",
        "A rule is a function in a rule book (`*RULES`), a function that builds a reason",
        "(a code and an article), or one whose docstring or comments cite an article.",
        "A test covers it when the test's source has one of its codes as a string, names",
        "the function, or when the test's name contains one of its articles in normalised form",
        "(`ZVH 13.2` → `test_zvh_13_2_...` or `test_..._zvh_13_2`); each test is marked",
        "with how it matched (code, name, article).",
        "",
        # No count of the tests read: a new test that covers no rule changes nothing here.
        f"{len(ordered)} rules, {len(untested)} without a test.",
    ]
    for path in sorted({r.path for r in ordered}):
        lines += ["", f"## `{path}`", "",
                  "| Rule | Book | Summary | Articles | Codes | Code | Tests |",
                  "|---|---|---|---|---|---|---|"]
        for rule in (r for r in ordered if r.path == path):
            tests_cell = "<br>".join(f"`{t}` ({'+'.join(how)})"
                                     for t, how in covered[id(rule)].items()) or "**none**"
            lines.append("| " + " | ".join((
                f"`{rule.name}`",
                ", ".join(f"`{book} #{at}`" for book, at in rule.books) or "—",
                _cell(rule.summary) or "—",
                _articles_cell(rule),
                ", ".join(f"`{c}`" for c in rule.codes) or "—",
                f"`{rule.path}:{rule.line}`",
                tests_cell,
            )) + " |")
    lines += ["", "## Rules without a test", ""]
    lines += [f"- `{r.module}.{r.name}` ({_articles_cell(r)}) — `{r.path}:{r.line}`"
              for r in untested] or ["None."]
    return "\n".join(lines) + "\n"


def generate(root: Path = ROOT) -> str:
    """The document for the checkout at ``root``."""
    return render(collect_rules(root), collect_tests(root))


def stale(root: Path = ROOT, document: str | None = None) -> str | None:
    """None when the committed document is current (``document``: what was generated,
    by default generated now), else the one-line reason why not."""
    target = root / OUTPUT
    if not target.exists():
        return f"{OUTPUT} is missing; run {REGENERATE}"
    if target.read_text(encoding="utf-8") != (generate(root) if document is None else document):
        return f"{OUTPUT} is out of date; run {REGENERATE}"
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Write the document, or with ``--check`` only compare it (exit 1 when it differs)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0] if __doc__ else "")
    parser.add_argument("--check", action="store_true",
                        help="exit 1 when the committed file is not what would be generated")
    args = parser.parse_args(argv)
    try:
        document = generate(ROOT)
    except SyntaxError as error:
        # Others edit the policy while the table is checked: say where, in one line.
        sys.stderr.write(f"cannot read {error.filename}:{error.lineno}: {error.msg}\n")
        return 2
    if args.check:
        problem = stale(ROOT, document)
        if problem:
            sys.stderr.write(problem + "\n")
            return 1
        return 0
    # newline="\n": the same bytes on every platform, so --check compares like for like.
    with (ROOT / OUTPUT).open("w", encoding="utf-8", newline="\n") as out:
        out.write(document)
    return 0


if __name__ == "__main__":
    sys.exit(main())
