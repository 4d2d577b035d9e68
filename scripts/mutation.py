#!/usr/bin/env python
"""Mutation testing of the rules, the engine's arithmetic, the metrics and the importers (cosmic-ray).

One command, from the repository root (after `pip install -r requirements-dev.txt`):

    .venv/bin/python scripts/mutation.py                        # every target, one after another
    .venv/bin/python scripts/mutation.py --module rules         # one target (repeatable)
    .venv/bin/python scripts/mutation.py --list                 # the targets and their tests

The targets (module, tests, operators, functions) are in scripts/mutation.toml. For each one the
script:

1. works in a copy of the tree in a temporary directory (tracked files as they are on disk plus
   untracked files that git does not ignore; `--ref REV` takes the committed tree at REV instead,
   and `--with PATH` adds a file of the working tree to it, e.g. a new test file). Cosmic-ray
   rewrites the module in place, so the working tree is never touched;
2. runs the target's tests once without mutation (the baseline: it must pass, and it creates a
   test database in the copy that every mutant run reuses with `--reuse-db`);
3. `cosmic-ray init`, the operator and line filters (`cr-filter-operators`, `cr-filter-lines`),
   then `cosmic-ray exec`, running for each mutant
   `python -m pytest -x -q -p no:randomly --reuse-db <the target's tests>`;
4. prints the score (killed / mutants run) and each survivor with file:line, operator and the
   changed line.

The report goes to stdout; progress lines go to stderr. Modules run one after another (the
machine's cores are shared). A timed-out test run counts as killed and is reported separately.
Options: `--keep` keeps the temporary directory (its sessions can be read with `cr-report`),
`--timeout S` overrides the per-mutant limit (default: ten times the baseline, at least 60 s),
`--dry-run` runs the baselines and counts the mutants without running them.
"""
import argparse
import ast
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import tomllib
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CONFIG = Path(__file__).resolve().with_name("mutation.toml")
SETTINGS_MODULE = "_mutation_settings"
PYTHON = sys.executable
BIN = Path(sys.executable).parent


def log(message):
    print(f"[{datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


# --- the copy of the tree ----------------------------------------------------------------------------

def _git(*args, **kw):
    return subprocess.run(["git", "-C", str(REPO), *args], check=True, capture_output=True, **kw).stdout


def copy_tree(dest, ref=None, extra_files=()):
    """The tree to mutate, in `dest`: the working tree's files, or the commit `ref` (plus `extra_files`)."""
    if ref:
        archive = _git("archive", "--format=tar", ref)
        subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
        files = list(extra_files)
    else:
        files = [p for p in _git("ls-files", "-z", "--cached", "--others", "--exclude-standard").decode().split("\0")
                 if p]
    for rel in files:
        src = REPO / rel
        if src.is_file():  # a tracked file deleted in the working tree is left out
            target = dest / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, target)
        elif rel in extra_files:
            raise SystemExit(f"--with {rel}: no such file in the working tree")
    # A file-based test database (SQLite's default is in memory), so that --reuse-db keeps the migrated
    # database from one mutant to the next instead of migrating for each run.
    (dest / (SETTINGS_MODULE + ".py")).write_text(
        "from kontum_cp.settings import *  # noqa: F401,F403\n"
        "from kontum_cp.settings import BASE_DIR, DATABASES\n\n"
        "if DATABASES['default']['ENGINE'] == 'django.db.backends.sqlite3':\n"
        "    DATABASES['default']['TEST'] = {'NAME': str(BASE_DIR / '.mutation-test-db.sqlite3')}\n"
    )


# --- one target --------------------------------------------------------------------------------------

def resolve_tests(tree, patterns):
    files = sorted({str(p.relative_to(tree)) for pattern in patterns for p in tree.glob(pattern) if p.is_file()})
    if not files:
        raise SystemExit(f"no test file matches {patterns}")
    return files


def function_lines(path, names):
    """["start-end", ...] of the top-level functions and classes named `names` in `path`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.name in names:
            start = min([node.lineno] + [d.lineno for d in node.decorator_list])
            found[node.name] = f"{start}-{node.end_lineno}"
    missing = set(names) - set(found)
    if missing:
        raise SystemExit(f"{path}: no top-level function or class named {sorted(missing)}")
    return [found[n] for n in names]


def toml_value(value):
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return str(value)


def write_config(path, module, test_command, timeout, operators, lines):
    out = [
        "[cosmic-ray]",
        f"module-path = {toml_value(module)}",
        f"timeout = {timeout:.0f}",
        "excluded-modules = []",
        f"test-command = {toml_value(test_command)}",
        "",
        "[cosmic-ray.distributor]",
        'name = "local"',
        "",
    ]
    if operators:
        # cr-filter-operators skips the operators that match; "all but these" as one negative look-ahead.
        keep = "|".join(f"(?:{o})$" for o in operators)
        out += ["[cosmic-ray.filters.operators-filter]", f"exclude-operators = {toml_value([f'(?!{keep})'])}", ""]
    if lines:
        out += ["[cosmic-ray.filters.line-filter.lines]", f"{toml_value(module)} = {toml_value(lines)}", ""]
    path.write_text("\n".join(out))


def run_quiet(cmd, cwd, **kw):
    result = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, **kw)
    if result.returncode != 0:
        sys.stdout.write(result.stdout[-3000:] + result.stderr[-3000:])
        raise SystemExit(f"failed: {' '.join(map(str, cmd))}")
    return result


def exec_with_progress(cmd, cwd, session):
    """`cosmic-ray exec`, with a progress line on stderr every minute."""
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    started = time.monotonic()
    try:
        while True:
            try:
                proc.wait(timeout=60)
                break
            except subprocess.TimeoutExpired:
                done, total = session_progress(session)
                elapsed = time.monotonic() - started
                log(f"  {done}/{total} done, {elapsed / 60:.1f} min")
    finally:
        if proc.poll() is None:
            proc.terminate()
            proc.wait()
    if proc.returncode != 0:
        sys.stdout.write(proc.stderr.read()[-3000:])
        raise SystemExit("cosmic-ray exec failed")


def session_progress(session):
    import sqlite3

    try:
        with sqlite3.connect(f"file:{session}?mode=ro", uri=True, timeout=5) as db:
            total = db.execute("SELECT count(*) FROM work_items").fetchone()[0]
            done = db.execute("SELECT count(*) FROM work_results").fetchone()[0]
        return done, total
    except sqlite3.Error:
        return "?", "?"


def changed_lines(diff):
    minus = [ln[1:].strip() for ln in diff.splitlines() if ln.startswith("-") and not ln.startswith("---")]
    plus = [ln[1:].strip() for ln in diff.splitlines() if ln.startswith("+") and not ln.startswith("+++")]
    return minus, plus


def read_results(session):
    from cosmic_ray.work_db import WorkDB, use_db
    from cosmic_ray.work_item import TestOutcome, WorkerOutcome

    summary = {"killed": 0, "timeouts": 0, "survived": [], "incompetent": [], "skipped": 0, "no_test": 0}
    with use_db(str(session), WorkDB.Mode.open) as db:
        for item, result in db.completed_work_items:
            mutation = item.mutations[0]
            if result.worker_outcome == WorkerOutcome.SKIPPED:
                summary["skipped"] += 1
            elif result.worker_outcome == WorkerOutcome.NO_TEST:
                summary["no_test"] += 1
            elif result.test_outcome == TestOutcome.SURVIVED:
                summary["survived"].append((mutation, result.diff or ""))
            elif result.test_outcome == TestOutcome.KILLED:
                summary["killed"] += 1
                summary["timeouts"] += result.output == "timeout"
            else:  # incompetent: the mutant could not even be run (or the worker failed)
                summary["incompetent"].append((mutation, (result.output or "")[-500:]))
        summary["pending"] = sum(1 for _ in db.pending_work_items)
    summary["survived"].sort(key=lambda s: (s[0].start_pos, s[0].operator_name, s[0].occurrence))
    return summary


def run_target(name, spec, tree, work, timeout_override, dry_run=False):
    module = spec["module"]
    tests = resolve_tests(tree, spec["tests"])
    log(f"{name}: {module}; tests: {' '.join(tests)}")
    target_dir = work / name
    target_dir.mkdir()
    test_command = shlex.join([PYTHON, "-m", "pytest", "-x", "-q", "-p", "no:randomly", "--reuse-db",
                               "--ds", SETTINGS_MODULE, *tests])
    started = time.monotonic()
    # Baseline: twice, the first run creating the test database, the second timing a run that reuses it.
    for attempt in range(2):
        t0 = time.monotonic()
        base = subprocess.run(shlex.split(test_command), cwd=tree, capture_output=True, text=True)
        baseline = time.monotonic() - t0
        if base.returncode != 0:
            print(f"\n== {name}: {module} ==\nBASELINE FAILED: the tests fail without any mutation; fix them first.")
            print(base.stdout[-4000:] + base.stderr[-2000:])
            return {"name": name, "module": module, "baseline_failed": True}
    timeout = timeout_override or max(60.0, 10 * baseline)
    lines = function_lines(tree / module, spec["functions"]) if spec.get("functions") else None
    config, session = target_dir / "config.toml", target_dir / "session.sqlite"
    write_config(config, module, test_command, timeout, spec.get("operators"), lines)
    run_quiet([BIN / "cosmic-ray", "init", config, session], cwd=tree)
    if spec.get("operators"):
        run_quiet([BIN / "cr-filter-operators", session, config], cwd=tree)
    if lines:
        run_quiet([BIN / "cr-filter-lines", session, "--config", config], cwd=tree)
    done, total = session_progress(session)
    log(f"{name}: {total} mutants, {done} filtered out; baseline {baseline:.1f} s, timeout {timeout:.0f} s")
    if dry_run:
        print(f"{name}: {module}: {total} mutants, {done} filtered out, {total - done} to run; "
              f"baseline {baseline:.1f} s per run")
        return {"name": name, "module": module, "dry_run": True}
    exec_with_progress([BIN / "cosmic-ray", "exec", config, session], tree, session)
    result = read_results(session)
    result.update(name=name, module=module, tests=tests, baseline=baseline, timeout=timeout, lines=lines,
                  operators=spec.get("operators"), runtime=time.monotonic() - started)
    print_target(result)
    return result


# --- the report --------------------------------------------------------------------------------------

def score(r):
    total = r["killed"] + len(r["survived"])
    return total, (100.0 * r["killed"] / total if total else None)


def print_target(r):
    total, pct = score(r)
    print(f"\n== {r['name']}: {r['module']} ==")
    print(f"tests: {' '.join(r['tests'])}")
    print(f"baseline {r['baseline']:.1f} s per run, timeout {r['timeout']:.0f} s; runtime {r['runtime'] / 60:.1f} min")
    if r["operators"]:
        print(f"operators: {', '.join(r['operators'])}")
    if r["lines"]:
        print(f"lines: {', '.join(r['lines'])}")
    print(f"mutants run: {total}; killed {r['killed']} (of which timeouts {r['timeouts']}), "
          f"survived {len(r['survived'])}; not counted: incompetent {len(r['incompetent'])}, "
          f"filtered out {r['skipped']}, no mutation possible {r['no_test']}, not run {r['pending']}")
    print(f"score: {r['killed']} / {total} = {pct:.1f} %" if total else "score: no mutant run")
    if r["survived"]:
        print("survivors:")
    for mutation, diff in r["survived"]:
        minus, plus = changed_lines(diff)
        where = f"{mutation.module_path}:{mutation.start_pos[0]}"
        print(f"  {where}  {mutation.operator_name.removeprefix('core/')} (#{mutation.occurrence})"
              f" in {mutation.definition_name or '?'}")
        for ln in minus:
            print(f"      - {ln}")
        for ln in plus:
            print(f"      + {ln}")
    for mutation, output in r["incompetent"]:
        print(f"  incompetent: {mutation.module_path}:{mutation.start_pos[0]} {mutation.operator_name}")
    sys.stdout.flush()


def print_summary(results):
    print("\n== summary ==")
    print(f"{'target':<12} {'module':<28} {'killed/run':>11} {'score':>7} {'survived':>9} {'runtime':>8}")
    for r in results:
        if r.get("baseline_failed"):
            print(f"{r['name']:<12} {r['module']:<28} baseline failed")
            continue
        total, pct = score(r)
        pct_text = f"{pct:.1f}%" if pct is not None else "-"
        print(f"{r['name']:<12} {r['module']:<28} {r['killed']:>5}/{total:<5} {pct_text:>7} "
              f"{len(r['survived']):>9} {r['runtime'] / 60:>6.1f}m")


def main(argv=None):
    # A kill (SIGTERM) ends like Ctrl-C: the temporary copy is removed and cosmic-ray is stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--module", action="append", help="a target of scripts/mutation.toml (repeatable)")
    parser.add_argument("--list", action="store_true", help="list the targets and exit")
    parser.add_argument("--ref", help="mutate the committed tree at this revision instead of the working tree")
    parser.add_argument("--with", dest="extra", action="append", default=[], metavar="PATH",
                        help="with --ref: a file of the working tree to add to the copy (repeatable)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary copy and its sessions")
    parser.add_argument("--timeout", type=float, help="seconds per mutant's test run")
    parser.add_argument("--dry-run", action="store_true", help="baseline and mutant counts only, no mutant run")
    args = parser.parse_args(argv)
    targets = tomllib.loads(CONFIG.read_text(encoding="utf-8"))["targets"]
    if args.list:
        for name, spec in targets.items():
            print(f"{name:<12} {spec['module']:<28} {' '.join(spec['tests'])}")
        return 0
    unknown = set(args.module or ()) - set(targets)
    if unknown:
        parser.error(f"unknown target(s) {sorted(unknown)}; choose from {', '.join(targets)}")
    chosen = [n for n in targets if not args.module or n in args.module]
    if args.extra and not args.ref:
        parser.error("--with adds files to --ref REV (the working tree is copied whole anyway)")
    if not (BIN / "cosmic-ray").exists():
        parser.error(f"cosmic-ray is not installed next to {PYTHON}: pip install -r requirements-dev.txt")

    work = Path(tempfile.mkdtemp(prefix="kontum-mutation-"))
    tree = work / "tree"
    tree.mkdir()
    for var, sub in (("XDG_CACHE_HOME", ".cache"), ("XDG_CONFIG_HOME", ".cache/config"),
                     ("MPLCONFIGDIR", ".cache/matplotlib")):
        os.environ.setdefault(var, str(tree / sub))
    try:
        copy_tree(tree, args.ref, args.extra)
        if args.ref:
            rev = _git("rev-parse", "--short", args.ref).decode().strip()
            source = f"commit {rev}" + "".join(f" + {p}" for p in args.extra)
        else:
            source = "working tree"
        print(f"mutation testing with cosmic-ray, {datetime.now():%Y-%m-%d %H:%M}; {source} copied to {tree}")
        results = [run_target(n, targets[n], tree, work, args.timeout, args.dry_run) for n in chosen]
        if not args.dry_run:
            print_summary(results)
    finally:
        if args.keep:
            log(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 1 if any(r.get("baseline_failed") for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
