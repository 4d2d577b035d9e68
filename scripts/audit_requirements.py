#!/usr/bin/env python
"""pip-audit over requirements.txt where the vulnerability service can be reached (.ci/run, docs/testing.md).

Usage: .venv/bin/python scripts/audit_requirements.py [requirements.txt]

First one pinned package is asked about (a second, no install): when the vulnerability service cannot
be reached (no connection, a time-out, or no answer for a known package, as behind a registry mirror
without vulnerability data) it prints one line "pip-audit: skipped: no network (...)" and exits 0, so an
offline machine does not turn CI red. Otherwise every package that requirements.txt pins or pulls in is
audited: exit 1 when one has a known vulnerability (each is printed), 0 with the number checked.
"""
import json
import subprocess
import sys
import tempfile
from pathlib import Path

SOCKET_TIMEOUT_S = 10  # each request to the service
TOTAL_TIMEOUT_S = 300  # the whole audit, resolving the requirements included
NETWORK_ERRORS = ("ConnectionError", "NameResolutionError", "Max retries exceeded", "Timeout", "timed out",
                  "Temporary failure in name resolution", "Network is unreachable")


def audit(arguments, report):
    """(pip-audit's JSON report or None, its completed process or None when it timed out)."""
    command = [sys.executable, "-m", "pip_audit", *arguments, "--format", "json", "--output", str(report),
               "--progress-spinner", "off", "--timeout", str(SOCKET_TIMEOUT_S)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=TOTAL_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        return None, None
    text = report.read_text(encoding="utf-8") if report.exists() else ""
    return (json.loads(text) if text else None), done


def service_problem(folder, requirements):
    """Why the vulnerability service cannot be used, or None: one pinned package asked about, in a second."""
    pinned = next((line.split("#")[0].strip() for line in Path(requirements).read_text(encoding="utf-8").splitlines()
                   if "==" in line.split("#")[0]), None)
    if pinned is None:
        return None
    probe = Path(folder) / "probe.txt"
    probe.write_text(pinned + "\n", encoding="utf-8")
    found, done = audit(["--requirement", str(probe), "--no-deps", "--disable-pip"], Path(folder) / "probe.json")
    if done is None:
        return f"no answer within {TOTAL_TIMEOUT_S} s"
    if found is None:
        if any(error in done.stderr for error in NETWORK_ERRORS):
            return "the vulnerability service could not be reached"
        return None  # not a network problem: the full audit shows it
    if all("skip_reason" in d for d in found["dependencies"]):
        return "the vulnerability service has no answer for " + pinned
    return None


def main(requirements="requirements.txt"):
    with tempfile.TemporaryDirectory() as folder:
        problem = service_problem(folder, requirements)
        if problem is not None:
            print(f"pip-audit: skipped: no network ({problem})")
            return 0
        found, done = audit(["--requirement", requirements], Path(folder) / "audit.json")
    if found is None:
        print((done.stdout + done.stderr) if done else f"no answer within {TOTAL_TIMEOUT_S} s", file=sys.stderr)
        print("pip-audit: failed", file=sys.stderr)
        return 1
    dependencies = found["dependencies"]
    audited = [d for d in dependencies if "skip_reason" not in d]
    vulnerable = [d for d in audited if d.get("vulns")]
    for dependency in vulnerable:
        for vuln in dependency["vulns"]:
            fixed = ", ".join(vuln.get("fix_versions") or []) or "none yet"
            print(f"pip-audit: {dependency['name']} {dependency['version']}: {vuln['id']} (fixed in {fixed})")
    unaudited = len(dependencies) - len(audited)
    print(f"pip-audit: {len(audited)} packages checked, {len(vulnerable)} with known vulnerabilities"
          + (f", {unaudited} not checked (no answer from the service)" if unaudited else ""))
    return 1 if vulnerable else 0

if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
