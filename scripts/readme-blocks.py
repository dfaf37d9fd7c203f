#!/usr/bin/env python3
"""Runs the code blocks of the project's Markdown files the way a reader would use them.

Every fenced block of every tracked `*.md` file is one of:

- `sh`, `bash`, `shell`, `console`: run with bash (`set -eo pipefail`) from the repository root,
  with the release CLI on PATH as `aimscheck` and, when the block calls pip, a fresh virtual
  environment's `python` and `pip` first on PATH (so nothing is installed anywhere else). In a
  `console` block only the lines starting with `$ ` are commands. A block marked
  `<!-- run-in: scratch -->` runs in an empty folder holding links to `examples/` and `dist/`
  instead (an install into a project of one's own).
- `python`: run with the Python binding installed in the test environment. The blocks of one
  file run in order in one interpreter, as one session: a block may use what the blocks before
  it defined (`import aimscheck`, `engine`, `paths`).
- `js`, `javascript`, `mjs`, `cjs`: each block is a file of its own, run with node; a block
  with `import ... from` or `export` is an ES module, any other CommonJS. `require("aimscheck")`
  and `import ... from "aimscheck"` load the addon built in `bindings-node/`.
- `ts`, `typescript`: type-checked (not run) with the Node binding's tsc and the settings of
  its type tests, importing `aimscheck` from the built package.
- `json`: parsed; then, where the block is identifiable, validated with the CLI: a model
  (`schema_version`) with `aimscheck validate`, an overlay (`disable`, `severity`) with
  `aimscheck rules list --overlay`, a rule file (`rules`), an indicator file (`indicators`) or
  a check (`all`, `for_each`, `assert`, `when`, `let` with `check`, `graph_*`) compiled in one
  rule pack with `aimscheck rules list --rules`. Other fragments (a template, a manifest) are
  only parsed.
- `rust`: compiled and run as doc tests by `cargo test` (`ReadmeDoctests` in core/src/lib.rs
  includes the file); a Markdown file with a Rust block that is not included there is an
  error. `rust,ignore` blocks are not compiled.
- `text` (or no language): not code, not run.

Python and JS blocks run in a scratch folder per Markdown file, which holds links to
`examples/` and `dist/` (the files they write, such as an HTML page, land there). A block is
left out with an HTML comment on the line above its fence, `<!-- no-run: REASON -->`; the reason
is required and printed. Any other language, an unknown marker or a run that changes the
checkout (a file left in the repository) is an error.

The same run checks the minimum Rust version: every crate's `rust-version` (the workspace's,
and fuzz/Cargo.toml's) and every statement of the form "Rust ... 1.NN or later" in the
Markdown files must be the workspace's `rust-version`, and the top-level and binding READMEs
must state it.

Usage: python3 scripts/readme-blocks.py [--static] [--python PY] [FILE.md ...]
  --static     only the checks that run nothing: versions, markers, languages, JSON parses
               (no CLI, binding or addon needed; scripts/test.sh runs it first)
  --python PY  the interpreter with the aimscheck package installed (default:
               $AIMSCHECK_VENV/bin/python, else bindings-python/.venv/bin/python)
  FILE.md      only these files (default: every tracked Markdown file)
Exits 1 when a block fails or a check does not hold, 2 on a usage error. Standard library only.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHELL = {"sh", "bash", "shell", "console"}
PYTHON = {"python", "py"}
JS = {"js", "javascript", "mjs", "cjs"}
TS = {"ts", "typescript"}
JSON = {"json"}
RUST = {"rust"}
NOT_CODE = {"", "text"}
# The checks of the rule language (rules/README.md#checks); `let` is one only with `check`.
CHECKS = {"all", "for_each", "assert", "when", "let",
          "graph_isolated", "graph_unmatched", "graph_flow", "graph_acyclic"}
# The READMEs that tell a reader which Rust to install.
MUST_STATE_RUST = ("README.md", "bindings-python/README.md", "bindings-node/README.md")
# "Rust (1.88 or later)", "the Rust toolchain, 1.88 or later", "Rust\n1.88 or later".
RUST_STATEMENT = re.compile(r"\bRust\b[^.;]{0,40}?\b(1\.\d+)(?:\.\d+)?(?: or later| or newer|\+)")
FENCE = re.compile(r"^(\s{0,3})(`{3,})\s*([^`\s]*)\s*$")
MARKER = re.compile(r"^\s*<!--\s*([a-z-]+)\s*:\s*(.*?)\s*-->\s*$")
TIMEOUT = 600


@dataclass
class Block:
    """One fenced code block of a Markdown file."""

    file: str  # relative to the repository root
    line: int  # of the opening fence, 1-based
    lang: str
    attrs: list[str]
    code: str
    no_run: str | None = None  # the reason, when marked no-run
    run_in: str | None = None  # "scratch" when marked so
    outcome: str = ""  # ran, skipped, doctest, not code
    seconds: float = 0.0

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass
class Run:
    """What a run found and did."""

    errors: list[str] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)

    def fail(self, message: str) -> None:
        self.errors.append(message)
        print(f"FAIL {message}", flush=True)


def markdown_files(only: list[str]) -> list[str]:
    if only:
        return [str(Path(f).resolve().relative_to(ROOT)) for f in only]
    try:
        out = subprocess.run(["git", "ls-files", "-z", "--", "*.md"], cwd=ROOT, check=True,
                             capture_output=True).stdout.decode()
        return sorted(f for f in out.split("\0") if f)
    except (OSError, subprocess.CalledProcessError):
        skip = {"node_modules", "target", ".git", ".venv", "dist"}
        return sorted(str(p.relative_to(ROOT)) for p in ROOT.rglob("*.md")
                      if not skip.intersection(p.relative_to(ROOT).parts))


def parse_blocks(rel: str, run: Run) -> list[Block]:
    lines = (ROOT / rel).read_text(encoding="utf-8").split("\n")
    blocks = []
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        indent, ticks, info = len(m.group(1)), m.group(2), m.group(3)
        parts = info.split(",") if info else [""]
        block = Block(rel, i + 1, parts[0].lower(), [p.strip() for p in parts[1:]], "")
        body = []
        i += 1
        while i < len(lines) and not re.match(rf"^\s{{0,3}}{ticks}`*\s*$", lines[i]):
            body.append(lines[i][indent:] if lines[i][:indent].isspace() else lines[i])
            i += 1
        if i == len(lines):
            run.fail(f"{block.where}: the block is not closed")
        block.code = "\n".join(body) + "\n"
        # A marker is the last non-blank line above the fence.
        j = block.line - 2
        while j >= 0 and not lines[j].strip():
            j -= 1
        marker = MARKER.match(lines[j]) if j >= 0 else None
        if marker:
            kind, value = marker.groups()
            if kind == "no-run":
                if not value:
                    run.fail(f"{block.where}: no-run needs a reason (<!-- no-run: REASON -->)")
                block.no_run = value or "(no reason)"
            elif kind == "run-in" and value == "scratch":
                block.run_in = value
            else:
                run.fail(f"{block.where}: unknown marker <!-- {kind}: {value} -->"
                         " (no-run: REASON, or run-in: scratch)")
        blocks.append(block)
        i += 1
    return blocks


def workspace_rust_version() -> str:
    text = (ROOT / "Cargo.toml").read_text(encoding="utf-8")
    section = re.search(r"^\[workspace\.package\]\n(.*?)(?=^\[|\Z)", text, re.S | re.M)
    found = section and re.search(r'^rust-version\s*=\s*"([^"]+)"', section.group(1), re.M)
    if not found:
        raise SystemExit("error: Cargo.toml has no [workspace.package] rust-version")
    return found.group(1)


def check_rust_versions(files: list[str], run: Run) -> str:
    """Checks that every crate and every README states the workspace's rust-version."""
    want = workspace_rust_version()
    short = ".".join(want.split(".")[:2])
    meta = json.loads(subprocess.run(
        ["cargo", "metadata", "--format-version", "1", "--no-deps", "--locked"], cwd=ROOT,
        check=True, capture_output=True).stdout)
    for package in meta["packages"]:
        if package.get("rust_version") != want:
            run.fail(f"crate {package['name']} has rust-version {package.get('rust_version')}, "
                     f"the workspace {want}: use `rust-version.workspace = true`")
    fuzz = (ROOT / "fuzz/Cargo.toml").read_text(encoding="utf-8")
    found = re.search(r'^rust-version\s*=\s*"([^"]+)"', fuzz, re.M)
    if not found or found.group(1) != want:
        run.fail(f"fuzz/Cargo.toml has rust-version {found and found.group(1)}, the workspace {want}")
    for rel in files:
        text = " ".join((ROOT / rel).read_text(encoding="utf-8").split())
        stated = RUST_STATEMENT.findall(text)
        for version in stated:
            if version != short:
                run.fail(f"{rel} states Rust {version} or later; the workspace's rust-version "
                         f"(Cargo.toml) is {want}")
        if rel in MUST_STATE_RUST and not stated:
            run.fail(f"{rel} does not state the minimum Rust version ({short} or later)")
    return want


def check_static(blocks: list[Block], run: Run) -> None:
    """Languages, Rust doc-test coverage and JSON syntax: what needs nothing built."""
    lib = (ROOT / "core/src/lib.rs").read_text(encoding="utf-8")
    doctested = {str((ROOT / "core/src" / p).resolve().relative_to(ROOT))
                 for p in re.findall(r'#\[doc = include_str!\("([^"]+\.md)"\)\]', lib)}
    for b in blocks:
        known = SHELL | PYTHON | JS | TS | JSON | RUST | NOT_CODE
        if b.lang not in known:
            run.fail(f"{b.where}: language `{b.lang}` is neither run nor declared not code "
                     f"(use one of {', '.join(sorted(x for x in known if x))})")
        if b.lang in RUST and "ignore" not in b.attrs and b.file not in doctested:
            run.fail(f"{b.where}: a Rust block of a file that no `#[doc = include_str!(...)]` "
                     "in core/src/lib.rs includes, so no doc test compiles it")
        if b.lang in JSON and not b.no_run:
            try:
                json.loads(b.code)
            except json.JSONDecodeError as e:
                run.fail(f"{b.file}:{b.line + e.lineno}: not JSON: {e.msg}")


def tail(text: str, n: int = 40) -> str:
    lines = text.rstrip().split("\n")
    return "\n".join(("    " + x) for x in lines[-n:])


class Runner:
    """Runs blocks, with what they need built and a scratch folder per Markdown file."""

    def __init__(self, run: Run, python: str, scratch: Path) -> None:
        self.run = run
        self.python = python
        self.scratch = scratch
        self.bin = scratch / "bin"
        self.bin.mkdir()
        self.pip_venv: Path | None = None
        self.cli = self.build_cli()
        (self.bin / "aimscheck").symlink_to(self.cli)
        addon = ROOT / "bindings-node/aimscheck.linux-x64-gnu.node"
        if not addon.exists():
            raise SystemExit(f"error: {addon.relative_to(ROOT)} is missing: build the Node "
                             "addon first (cd bindings-node && npm ci && npm run build)")
        probe = subprocess.run([python, "-c", "import aimscheck"], capture_output=True, text=True)
        if probe.returncode != 0:
            raise SystemExit(f"error: {python} cannot import aimscheck (bash "
                             f"bindings-python/test.sh installs it):\n{tail(probe.stderr, 5)}")

    @staticmethod
    def build_cli() -> Path:
        subprocess.run(["cargo", "build", "--release", "--locked", "--quiet", "-p", "aimscheck-cli"],
                       cwd=ROOT, check=True)
        meta = json.loads(subprocess.run(
            ["cargo", "metadata", "--format-version", "1", "--no-deps", "--locked"], cwd=ROOT,
            check=True, capture_output=True).stdout)
        return Path(meta["target_directory"]) / "release" / "aimscheck"

    def folder(self, name: str) -> Path:
        """A scratch folder with links to examples/ and dist/ and the Node package."""
        d = self.scratch / re.sub(r"[^A-Za-z0-9.-]+", "-", name)
        if not d.exists():
            d.mkdir()
            (d / "examples").symlink_to(ROOT / "examples")
            (d / "dist").symlink_to(ROOT / "dist")
        return d

    def env(self, extra_path: list[Path] | None = None) -> dict[str, str]:
        env = dict(os.environ)
        env["PATH"] = os.pathsep.join([str(p) for p in (extra_path or [])] + [str(self.bin),
                                                                             env.get("PATH", "")])
        env.pop("VIRTUAL_ENV", None)
        return env

    def execute(self, b: Block, argv: list[str], cwd: Path, env: dict[str, str]) -> bool:
        start = time.monotonic()
        try:
            p = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True,
                               timeout=TIMEOUT)
            ok, output = p.returncode == 0, p.stdout + p.stderr
            status = f"exit {p.returncode}"
        except subprocess.TimeoutExpired as e:
            ok, status = False, f"no end after {TIMEOUT} s"
            output = (e.stdout or b"").decode() + (e.stderr or b"").decode()  # type: ignore[union-attr]
        b.seconds = time.monotonic() - start
        if not ok:
            self.run.fail(f"{b.where} ({b.lang}): {status}\n{tail(output)}")
        return ok

    def shell(self, b: Block) -> None:
        code = b.code
        if b.lang == "console":
            code = "\n".join(x[2:] for x in code.split("\n") if x.startswith("$ ")) + "\n"
        extra = []
        if re.search(r"\bpip\b", code):
            extra.append(self.fresh_venv() / "bin")
        cwd = ROOT
        if b.run_in == "scratch":
            cwd = self.folder(f"scratch-{b.file}-{b.line}")
        self.execute(b, ["bash", "-c", "set -eo pipefail\n" + code], cwd, self.env(extra))

    def fresh_venv(self) -> Path:
        """A new virtual environment for the blocks that install with pip."""
        if self.pip_venv is None:
            self.pip_venv = self.scratch / "venv"
            subprocess.run(["bash", "-c", 'source scripts/venv.sh && ensure_venv "$1" "$2" 9 "$3"',
                            "_", str(self.pip_venv), sys.executable, "the README's pip blocks"],
                           cwd=ROOT, check=True)
        return self.pip_venv

    def python_session(self, file: str, blocks: list[Block]) -> None:
        """The Python blocks of one file, in order, in one interpreter's __main__."""
        d = self.folder(file)
        spec = d / "python-blocks.json"
        results = d / "python-results.txt"
        spec.write_text(json.dumps([{"file": b.file, "line": b.line, "code": b.code}
                                    for b in blocks]))
        driver = (
            "import json, sys, time, traceback\n"
            "blocks = json.load(open(sys.argv[1]))\n"
            "out = open(sys.argv[2], 'w')\n"
            "main = sys.modules['__main__'].__dict__\n"
            "for b in blocks:\n"
            "    start = time.monotonic()\n"
            "    try:\n"
            # Padded so that a traceback gives the line in the Markdown file.
            "        code = compile('\\n' * b['line'] + b['code'], b['file'], 'exec')\n"
            "        exec(code, main)\n"
            "    except BaseException:\n"
            "        traceback.print_exc()\n"
            "        out.write(f\"fail {b['line']} {time.monotonic() - start}\\n\"); out.close()\n"
            "        sys.exit(1)\n"
            "    out.write(f\"ok {b['line']} {time.monotonic() - start}\\n\"); out.flush()\n"
        )
        start = time.monotonic()
        p = subprocess.run([self.python, "-c", driver, str(spec), str(results)], cwd=d,
                           env=self.env(), capture_output=True, text=True, timeout=TIMEOUT)
        done = {}
        if results.exists():
            for row in results.read_text().splitlines():
                status, line, seconds = row.split()
                done[int(line)] = (status, float(seconds))
        for b in blocks:
            status, seconds = done.get(b.line, ("not run", 0.0))
            b.seconds = seconds
            if status == "fail":
                self.run.fail(f"{b.where} (python):\n{tail(p.stdout + p.stderr)}")
            elif status != "ok":
                self.run.fail(f"{b.where} (python): not run, as a block before it failed"
                              if done else
                              f"{b.where} (python): exit {p.returncode}\n{tail(p.stdout + p.stderr)}")
        if p.returncode != 0 and all(s == "ok" for s, _ in done.values()) and len(done) == len(blocks):
            self.run.fail(f"{file} (python): exit {p.returncode} after the blocks ran "
                          f"({time.monotonic() - start:.1f} s)\n{tail(p.stdout + p.stderr)}")

    def js(self, b: Block) -> None:
        d = self.folder(b.file)
        modules = d / "node_modules"
        if not modules.exists():
            modules.mkdir()
            (modules / "aimscheck").symlink_to(ROOT / "bindings-node")
        esm = b.lang == "mjs" or (b.lang != "cjs" and re.search(
            r"^\s*(import\s[^\n]*\sfrom\s|import\s*[\"']|export\s)", b.code, re.M))
        script = d / f"block-{b.line}.{'mjs' if esm else 'cjs'}"
        script.write_text(b.code, encoding="utf-8")
        self.execute(b, ["node", script.name], d, self.env())

    def ts(self, b: Block) -> None:
        """Type-checks a TypeScript block with the Node binding's tsc and its test settings
        (bindings-node/test/types/tsconfig.json: strict, no DOM or Node types, so `console` is
        declared here), importing `aimscheck` as a project that depends on the package would."""
        d = self.folder(b.file)
        modules = d / "node_modules"
        if not modules.exists():
            modules.mkdir()
            (modules / "aimscheck").symlink_to(ROOT / "bindings-node")
        script = d / f"block-{b.line}.ts"
        script.write_text("declare const console: { log(...data: unknown[]): void }\n" + b.code,
                          encoding="utf-8")
        config = d / f"tsconfig-{b.line}.json"
        config.write_text(json.dumps({
            "extends": str(ROOT / "bindings-node/test/types/tsconfig.json"),
            "compilerOptions": {"typeRoots": []},
            "include": [], "files": [script.name]}), encoding="utf-8")
        tsc = ROOT / "bindings-node/node_modules/.bin/tsc"
        self.execute(b, [str(tsc), "-p", config.name], d, self.env())

    def json_blocks(self, blocks: list[Block]) -> None:
        """Validates the identifiable JSON blocks with the CLI; the others were parsed."""
        pack = self.scratch / "json-pack"
        pack.mkdir()
        (pack / "pack.json").write_text(json.dumps(
            {"id": "readme-blocks", "version": "0.0.0", "title": "Checks of the Markdown files"}))
        rules, in_pack = [], []
        for b in blocks:
            start = time.monotonic()
            value = json.loads(b.code)
            name = f"{re.sub(r'[^A-Za-z0-9]+', '-', b.file)}-{b.line}.json"
            keys = set(value) if isinstance(value, dict) else set()
            if "schema_version" in keys:
                (self.scratch / name).write_text(b.code)
                self.execute(b, [str(self.cli), "validate", str(self.scratch / name)], ROOT,
                             self.env())
            elif keys and keys <= {"disable", "severity"}:
                (self.scratch / name).write_text(b.code)
                self.execute(b, [str(self.cli), "rules", "list", "--overlay",
                                 str(self.scratch / name)], ROOT, self.env())
            elif keys & {"rules", "indicators"}:
                (pack / name).write_text(b.code)
                in_pack.append(b)
            elif len(keys) == 1 and keys <= CHECKS and (
                    "let" not in keys or "check" in value["let"]):
                slug = re.sub(r"[^A-Z0-9]+", "-", b.file.upper()).strip("-")
                rules.append({
                    "id": f"README-{slug}-L{b.line}", "title": f"the check of {b.where}",
                    "clause_refs": ["4.4"], "aspect": "establish", "severity": "low",
                    "tiers": ["startup", "scaleup", "enterprise"], "rationale": b.where,
                    "remediation": b.where, "check": value})
                in_pack.append(b)
            b.seconds = time.monotonic() - start
        if in_pack:
            (pack / "checks.json").write_text(json.dumps({"rules": rules}, indent=1))
            p = subprocess.run([str(self.cli), "rules", "list", "--no-default-rules", "--rules",
                                str(pack)], cwd=ROOT, capture_output=True, text=True)
            if p.returncode != 0:
                self.run.fail("the rule files and checks of "
                              + ", ".join(b.where for b in in_pack)
                              + " do not compile (rule README-FILE-L<line> is the block at that"
                              f" line; a file named FILE-<line>.json is that block)\n{tail(p.stderr)}")


def main(argv: list[str]) -> int:
    args = list(argv)
    static = "--static" in args
    if static:
        args.remove("--static")
    python = None
    if "--python" in args:
        i = args.index("--python")
        if i + 1 >= len(args):
            print(__doc__, file=sys.stderr)
            return 2
        python = args[i + 1]
        del args[i : i + 2]
    if any(a.startswith("-") for a in args):
        print(__doc__, file=sys.stderr)
        return 2
    if python is None:
        venv = os.environ.get("AIMSCHECK_VENV") or str(ROOT / "bindings-python/.venv")
        python = str(Path(venv) / "bin/python")

    started = time.monotonic()
    run = Run()
    files = markdown_files(args)
    version = check_rust_versions(files, run)
    for rel in files:
        run.blocks.extend(parse_blocks(rel, run))
    check_static(run.blocks, run)
    runnable = SHELL | PYTHON | JS | TS | JSON
    for b in run.blocks:
        if b.lang in NOT_CODE:
            b.outcome = "not code"
        elif b.lang in RUST:
            b.outcome = "ignored" if "ignore" in b.attrs else "doc test"
        elif b.no_run:
            b.outcome = "skipped"
        elif b.lang in runnable:
            b.outcome = "ran"

    if not static and not run.errors:
        status_before = git_status()
        with tempfile.TemporaryDirectory(prefix="aimscheck-readme-") as tmp:
            runner = Runner(run, python, Path(tmp))
            todo = [b for b in run.blocks if b.outcome == "ran"]
            for b in todo:
                if b.lang in SHELL:
                    print(f"== {b.where} (sh)", flush=True)
                    runner.shell(b)
            for rel in files:
                session = [b for b in todo if b.file == rel and b.lang in PYTHON]
                if session:
                    print(f"== {rel}: {len(session)} python blocks, one session", flush=True)
                    runner.python_session(rel, session)
            for b in todo:
                if b.lang in JS:
                    print(f"== {b.where} (js)", flush=True)
                    runner.js(b)
            for b in todo:
                if b.lang in TS:
                    print(f"== {b.where} (ts)", flush=True)
                    runner.ts(b)
            json_todo = [b for b in todo if b.lang in JSON]
            if json_todo:
                print(f"== {len(json_todo)} json blocks", flush=True)
                runner.json_blocks(json_todo)
        if git_status() != status_before:
            run.fail("the blocks changed the checkout (git status):\n" + tail(git_status()))

    summary(run, static, version, time.monotonic() - started)
    return 1 if run.errors else 0


def git_status() -> str:
    try:
        return subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True,
                              text=True).stdout
    except OSError:
        return ""


def summary(run: Run, static: bool, version: str, seconds: float) -> None:
    counts: dict[str, int] = {}
    for b in run.blocks:
        counts[b.outcome] = counts.get(b.outcome, 0) + 1
    print()
    for b in run.blocks:
        if b.outcome == "skipped":
            print(f"skipped {b.where} ({b.lang}): {b.no_run}")
    if not static:
        slow = sorted((b for b in run.blocks if b.seconds >= 1), key=lambda b: -b.seconds)
        for b in slow[:8]:
            print(f"took {b.seconds:.1f} s: {b.where} ({b.lang})")
    what = "to run (--static: none run)" if static else "ran"
    ran = counts.get("ran", 0)
    print(f"\nreadme blocks: {len(run.blocks)} in {len({b.file for b in run.blocks})} files; "
          f"{ran} {what}, {counts.get('skipped', 0)} skipped, "
          f"{counts.get('doc test', 0)} Rust doc tests (cargo test), "
          f"{counts.get('ignored', 0)} Rust ignored, {counts.get('not code', 0)} not code; "
          f"rust-version {version}; {seconds:.1f} s")
    if run.errors:
        print(f"readme blocks: {len(run.errors)} failure(s), each marked FAIL above", flush=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
