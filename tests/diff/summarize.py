"""Sum the results of every suite that scripts/test ran and list the failures.

Reads the JUnit XML files of pytest and node --test and the captured output of
cargo test, prints one line per suite and the closing line
`N passed, N failed, N skipped`, and writes the failures (id and first lines of
the message) to tests/diff/FAILURES.txt for the server authors. Exits 0; the
caller decides the exit status from the counts it prints.

usage: summarize.py OUTDIR
  OUTDIR holds *.xml, cargo-test.log, and, when something went wrong outside
  the tests, build-failed.txt and crashed.txt (one line per runner that died).
"""

from __future__ import annotations

import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

FAILURES = Path(__file__).with_name("FAILURES.txt")


def junit(path: Path):
    """(passed, failed, skipped, [(id, message)]) of one JUnit XML file."""
    root = ET.parse(path).getroot()
    passed = failed = skipped = 0
    failures = []
    for case in root.iter("testcase"):
        cid = f"{case.get('classname', '')}::{case.get('name', '')}".strip(":")
        bad = case.find("failure")
        if bad is None:
            bad = case.find("error")
        if bad is not None:
            failed += 1
            text = (bad.get("message") or "") + "\n" + (bad.text or "")
            failures.append((cid, text))
        elif case.find("skipped") is not None:
            skipped += 1
        else:
            passed += 1
    return passed, failed, skipped, failures


def cargo(path: Path):
    passed = failed = skipped = 0
    failures = []
    text = path.read_text(errors="replace")
    for m in re.finditer(r"test result: \w+\. (\d+) passed; (\d+) failed; (\d+) ignored", text):
        passed += int(m[1])
        failed += int(m[2])
        skipped += int(m[3])
    for m in re.finditer(r"^test (\S+) \.\.\. FAILED$", text, re.M):
        failures.append((f"cargo::{m[1]}", ""))
    if "could not compile" in text or re.search(r"^error(\[E\d+\])?:", text, re.M):
        failed += 1
        failures.append(("cargo test", "did not compile; see the cargo output above"))
    return passed, failed, skipped, failures


def first_lines(msg: str, n: int = 10) -> str:
    """The informative head of a failure: pytest's `E   ` lines when present."""
    lines = [l for l in msg.strip().splitlines() if l.strip()]
    e_lines = [l[1:].strip() for l in lines if l.startswith("E ")]
    return "\n".join("    " + l[:400] for l in (e_lines or lines)[:n])


def main(outdir: str) -> None:
    out = Path(outdir)
    total = [0, 0, 0]
    all_failures = []
    suites = []
    build = out / "build-failed.txt"
    if build.exists():
        suites.append(("cargo build", (0, 1, 0, [("cargo build --release", build.read_text())])))
    crashed = out / "crashed.txt"
    if crashed.exists():
        lines = [l for l in crashed.read_text().splitlines() if l.strip()]
        suites.append(("runner", (0, len(lines), 0, [(l, "") for l in lines])))
    if (out / "cargo-test.log").exists():
        suites.append(("cargo test", cargo(out / "cargo-test.log")))
    for xml in sorted(out.glob("*.xml")):
        try:
            suites.append((xml.stem, junit(xml)))
        except ET.ParseError as e:
            suites.append((xml.stem, (0, 1, 0, [(xml.name, f"unreadable results: {e}")])))
    for name, (p, f, s, fails) in suites:
        print(f"  [{name}] passed {p} / failed {f} / skipped {s}")
        total[0] += p
        total[1] += f
        total[2] += s
        all_failures += [(name, cid, msg) for cid, msg in fails]
    with FAILURES.open("w") as fh:
        fh.write(f"# {total[1]} failures ({total[0]} passed, {total[2]} skipped)\n\n")
        for name, cid, msg in all_failures:
            fh.write(f"[{name}] {cid}\n{first_lines(msg)}\n\n")
    print(f"{total[0]} passed, {total[1]} failed, {total[2]} skipped")


if __name__ == "__main__":
    main(sys.argv[1])
