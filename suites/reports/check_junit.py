#!/usr/bin/env python3
"""junit.xml read back by a real XML parser (expat, through xml.etree): well-formed, one
testsuite named after the target, the counts of the fixture, and each verdict as the JUnit
outcome a CI server understands. Run on the fixture as it is and with bytes that are not UTF-8
put into server-controlled strings (tether_report_tool --hostile-bytes)."""

import argparse
import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

OUTCOME = {"fail": "failure", "error": "error", "skip": "skipped"}


def check(path, fixture, hostile):
    problems = []

    def expect(cond, what):
        if not cond:
            problems.append(what)

    root = ET.parse(path).getroot()  # raises on anything that is not well-formed XML
    expect(root.tag == "testsuites", f"root is <{root.tag}>")
    suites = root.findall("testsuite")
    expect(len(suites) == 1, f"{len(suites)} testsuites")
    suite = suites[0]
    name = fixture["target"]["name"] + (" \ufffd" if hostile else "")
    expect(suite.get("name") == name, f"testsuite name {suite.get('name')!r}")
    results = fixture["results"]
    count = lambda v: sum(1 for r in results if r["verdict"] == v)
    for node in (root, suite):
        expect(node.get("tests") == str(len(results)), f"tests={node.get('tests')}")
        expect(node.get("failures") == str(count("fail")), f"failures={node.get('failures')}")
        expect(node.get("errors") == str(count("error")), f"errors={node.get('errors')}")
        expect(node.get("skipped") == str(count("skip")), f"skipped={node.get('skipped')}")
    cases = {tc.get("name"): tc for tc in suite.findall("testcase")}
    expect(len(cases) == len(results), f"{len(cases)} testcases")
    for r in results:
        tc = cases.get(r["id"])
        if tc is None:
            problems.append(f"no testcase {r['id']}")
            continue
        expect(tc.get("classname") == r["section"], f"{r['id']}: classname {tc.get('classname')!r}")
        props = {p.get("name"): p.get("value") for p in tc.findall("properties/property")}
        expect(props.get("verdict") == r["verdict"], f"{r['id']}: verdict property {props.get('verdict')!r}")
        expect(props.get("level") == r["level"], f"{r['id']}: level property")
        expect(props.get("refs") == ", ".join(r["refs"]), f"{r['id']}: refs property")
        expect(props.get("question") == r.get("question"), f"{r['id']}: question property")
        kinds = {child.tag for child in tc} - {"properties"}
        want = {OUTCOME[r["verdict"]]} if r["verdict"] in OUTCOME else set()
        if r["verdict"] in ("warn", "info"):
            want = {"system-out"}
        expect(kinds == want, f"{r['id']}: children {sorted(kinds)}, want {sorted(want)}")
        if r["verdict"] in OUTCOME:
            message = tc.find(OUTCOME[r["verdict"]]).get("message")
            if hostile:
                expect(message.startswith(r["reason"]) and "\ufffd" in message, f"{r['id']}: message {message!r}")
            else:
                expect(message == r["reason"], f"{r['id']}: message {message!r}")
        if hostile:
            expect("\ufffd" in props.get("title", ""), f"{r['id']}: title without U+FFFD")
    return problems


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tool", required=True)
    ap.add_argument("--testdata", required=True)
    ap.add_argument("--work", required=True)
    args = ap.parse_args()
    fixture_path = os.path.join(args.testdata, "report-fixture.json")
    with open(fixture_path, encoding="utf-8") as f:
        fixture = json.load(f)
    shutil.rmtree(args.work, ignore_errors=True)
    failed = 0
    for hostile in (False, True):
        out = os.path.join(args.work, "hostile" if hostile else "plain")
        cmd = [args.tool, "reports", fixture_path, out] + (["--hostile-bytes"] if hostile else [])
        subprocess.run(cmd, check=True)
        try:
            problems = check(os.path.join(out, "junit.xml"), fixture, hostile)
        except ET.ParseError as e:
            problems = [f"not well-formed XML: {e}"]
        label = "junit.xml" + (" with bytes that are not UTF-8" if hostile else "")
        for p in problems:
            print(f"FAIL {label}: {p}")
        if not problems:
            print(f"ok {label}: well-formed, {len(fixture['results'])} testcases, outcomes as the verdicts say")
        failed += 1 if problems else 0
    print(f"{2 - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
