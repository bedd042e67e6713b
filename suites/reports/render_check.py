#!/usr/bin/env python3
"""Renders report.html and matrix.html of the fixtures in headless Chromium:
- a screenshot of each (1280x2000) must exist, have that size, and not be blank: many colours,
  the dark page header and the verdict colours present (so the inline style sheet was allowed
  by the page's Content-Security-Policy and applied);
- the DOM after the scripts ran must carry data-filter-ready (the filter script ran under the
  policy) with as many result rows as the fixture has, and none of the fixture's hostile
  strings may have run (no data-pwned attribute);
- report.html#only=fail,error and matrix.html#differs must show the expected rows (the
  filters work in a real browser);
- a copy whose script was altered by one character must not run it (the policy blocks any
  script but the page's own) and must still show every result: what a reader with scripts
  disabled sees.
Skips (exit 77) with one line when Chromium is not installed."""

import argparse
import collections
import concurrent.futures
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

WIDTH, HEIGHT = 1280, 2000
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars"]


def find_chromium():
    for candidate in (os.environ.get("TETHER_CHROMIUM"), "chromium", "chromium-browser", "/usr/bin/chromium"):
        if candidate and shutil.which(candidate):
            return shutil.which(candidate)
    return None


def run_chromium(chromium, work, extra, url):
    profile = tempfile.mkdtemp(prefix="profile-", dir=work)  # a fresh profile every run
    try:
        done = subprocess.run([chromium] + FLAGS + [f"--user-data-dir={profile}"] + extra + [url],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
        return done.stdout.decode("utf-8", "replace")
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def decode_png(path):
    """(width, height, rows of RGB(A) bytes, bytes per pixel) of an 8-bit RGB or RGBA PNG."""
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG file")
    pos, idat, header = 8, [], None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
    width, height, depth, colour, _, _, interlace = header
    if depth != 8 or colour not in (2, 6) or interlace != 0:
        raise ValueError(f"unexpected PNG format depth={depth} colour={colour} interlace={interlace}")
    bpp = 3 if colour == 2 else 4
    raw = zlib.decompress(b"".join(idat))
    stride = width * bpp
    rows, prev, i = [], bytearray(stride), 0
    for _ in range(height):
        kind, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        if kind == 1:
            for x in range(bpp, stride):
                line[x] = (line[x] + line[x - bpp]) & 255
        elif kind == 2:
            line = bytearray((a + b) & 255 for a, b in zip(line, prev))
        elif kind == 3:
            for x in range(stride):
                left = line[x - bpp] if x >= bpp else 0
                line[x] = (line[x] + ((left + prev[x]) >> 1)) & 255
        elif kind == 4:
            for x in range(stride):
                a = line[x - bpp] if x >= bpp else 0
                b, c = prev[x], (prev[x - bpp] if x >= bpp else 0)
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line)
        prev = line
    return width, height, rows, bpp


def near(colour, target, slack=6):
    return all(abs(c - t) <= slack for c, t in zip(colour, target))


def check_screenshot(path, must_have):
    problems = []
    if not os.path.exists(path):
        return ["no screenshot written"]
    width, height, rows, bpp = decode_png(path)
    if (width, height) != (WIDTH, HEIGHT):
        problems.append(f"screenshot is {width}x{height}, expected {WIDTH}x{HEIGHT}")
    colours = collections.Counter()
    for row in rows[::2]:
        for x in range(0, len(row), bpp):
            colours[bytes(row[x:x + 3])] += 1
    total = sum(colours.values())
    top_share = colours.most_common(1)[0][1] / total
    if len(colours) < 64:
        problems.append(f"only {len(colours)} colours: blank or unstyled")
    if top_share > 0.97:
        problems.append(f"{top_share:.1%} of the page is one colour: blank")
    for name, rgb, minimum in must_have:
        seen = sum(n for c, n in colours.items() if near(c, rgb))
        if seen < minimum:
            problems.append(f"{name} {rgb} covers {seen} sampled pixels, expected at least {minimum}")
    return problems


def html_attr(dom, name):
    m = re.search(r"<html[^>]*\s" + name + r'="([^"]*)"', dom)
    return m.group(1) if m else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tool", required=True)
    ap.add_argument("--testdata", required=True)
    ap.add_argument("--work", required=True)
    args = ap.parse_args()
    chromium = find_chromium()
    if chromium is None:
        print("SKIP: chromium is not installed (apt-get install chromium); report.html was not rendered")
        return 77

    shutil.rmtree(args.work, ignore_errors=True)
    out = os.path.join(args.work, "out")
    data = lambda name: os.path.join(args.testdata, name)
    subprocess.run([args.tool, "reports", data("report-fixture.json"), out], check=True)
    subprocess.run([args.tool, "matrix", out, data("report-fixture.json"), data("matrix-b.json"),
                    data("matrix-c.json")], check=True)
    fixture = json.load(open(data("report-fixture.json"), encoding="utf-8"))
    results = fixture["results"]
    ids = {r["id"] for name in ("report-fixture.json", "matrix-b.json", "matrix-c.json")
           for r in json.load(open(data(name), encoding="utf-8"))["results"]}
    url = lambda name: "file://" + os.path.abspath(os.path.join(out, name))

    # Chromium spends most of each run waiting (start-up, D-Bus time-outs), so the runs go in
    # parallel, each with its own fresh profile.
    n, m = str(len(results)), str(len(ids))
    wanted = str(sum(1 for r in results if r["verdict"] in ("fail", "error")))
    page = open(os.path.join(out, "report.html"), encoding="utf-8").read()
    with open(os.path.join(out, "altered.html"), "w", encoding="utf-8") as f:
        f.write(page.replace('"use strict";', '"use strict"; /* altered */', 1))
    header = ("page header", (0x24, 0x29, 0x2F), 20000)
    fail_red = ("fail colour", (0xCF, 0x22, 0x2E), 40)
    info_bg = ("info background", (0xDD, 0xF4, 0xFF), 500)
    shots = [("report.html", [header, fail_red]), ("matrix.html", [header, fail_red, info_bg])]
    # (what, address, data-filter-ready, data-shown, rows, row pattern)
    doms = [
        ("report.html after its script ran", url("report.html"), n, n, len(results), r'<tbody class="result '),
        ("report.html#only=fail,error", url("report.html") + "#only=fail,error", n, wanted, len(results),
         r'<tbody class="result '),
        # The matrix fixtures were written so that four scenarios got different answers from the
        # implementations that ran them: Q1, Q2, the mismatched certificate and the ath mismatch.
        ("matrix.html after its script ran", url("matrix.html"), m, m, len(ids), r'<tr class="row'),
        ("matrix.html#differs", url("matrix.html") + "#differs", m, "4", len(ids), r'<tr class="row'),
        ("report.html with a script the policy does not allow", url("altered.html"), None, None, len(results),
         r'<tbody class="result '),
    ]

    def shot(job):
        page, must = job
        png = os.path.join(args.work, page.replace(".html", ".png"))
        run_chromium(chromium, args.work, [f"--screenshot={png}", f"--window-size={WIDTH},{HEIGHT}"], url(page))
        return (f"{page} screenshot", check_screenshot(png, must))

    def dom_check(job):
        what, target, expect_ready, expect_shown, expect_rows, row_pattern = job
        dom = run_chromium(chromium, args.work, ["--dump-dom"], target)
        problems = []
        if not dom.strip():
            problems.append("no DOM dumped")
        ready, shown = html_attr(dom, "data-filter-ready"), html_attr(dom, "data-shown")
        if ready != expect_ready:
            problems.append(f"data-filter-ready={ready!r}, expected {expect_ready!r}")
        if shown != expect_shown:
            problems.append(f"data-shown={shown!r}, expected {expect_shown!r}")
        rows = len(re.findall(row_pattern, dom))
        if rows != expect_rows:
            problems.append(f"{rows} result rows, expected {expect_rows}")
        if "data-pwned=" in dom:
            problems.append("a hostile string from the fixture ran as script")
        if expect_ready is None and (re.search(r'<tbody class="result[^>]*hidden', dom) or
                                     '<div id="_filters" class="filters" hidden' not in dom):
            problems.append("without its script the page must show every result and hide the filter bar")
        return (what, problems)

    with concurrent.futures.ThreadPoolExecutor(max_workers=3) as pool:
        futures = [pool.submit(shot, j) for j in shots] + [pool.submit(dom_check, j) for j in doms]
        checks = [f.result() for f in futures]

    failed = 0
    for what, problems in checks:
        for p in problems:
            print(f"FAIL {what}: {p}")
        if not problems:
            print(f"ok {what}")
        failed += 1 if problems else 0
    print(f"{len(checks) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
