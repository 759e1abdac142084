#!/usr/bin/env python3
"""Writes round folders whose one assessment is as large as a limit allows, for measuring
peak memory (docs/limits.md, "Memory"): a copy of fixtures/dong-thap-2023 in which
assessments/ban-dan-toc.json is replaced.

    scripts/heavy-documents.py OUT_DIR [TARGET_BYTES]

OUT_DIR/evidence: the unit's entries carry evidence items until the file is TARGET_BYTES
(default 63 MiB) — a valid assessment of tiny values, compact JSON (the worst case: most
values per byte). OUT_DIR/unknown: entries for criteria that do not exist (every one a
problem) until the same size.
"""
import json
import os
import shutil
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
FIXTURE = os.path.join(ROOT, "fixtures", "dong-thap-2023")
UNIT = "ban-dan-toc"


def copy(out):
    if os.path.exists(out):
        shutil.rmtree(out)
    shutil.copytree(FIXTURE, out, ignore=shutil.ignore_patterns("expected*.json", "README*"))


def main(argv):
    out = argv[1]
    target = int(argv[2]) if len(argv) > 2 else 63 * 1024 * 1024
    with open(os.path.join(FIXTURE, "assessments", UNIT + ".json"), encoding="utf-8") as f:
        doc = json.load(f)

    # Valid: evidence items spread over the unit's entries.
    ev_dir = os.path.join(out, "evidence")
    copy(ev_dir)
    entries = doc["self"]["entries"]
    base = len(json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode())
    # As in issue #11: 14 bytes an item, the most items a byte can hold.
    item = '{"title":"a"}'
    per = len(item) + 1
    n = max(0, (target - base) // per)
    codes = list(entries)
    for i, code in enumerate(codes):
        entries[code]["evidence"] = [None]  # placeholder, filled below as raw text
    text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
    share = n // len(codes)
    for i, code in enumerate(codes):
        start = i * share
        items = ",".join(item for _ in range(start, start + share))
        text = text.replace("[null]", "[" + items + "]", 1)
    with open(os.path.join(ev_dir, "assessments", UNIT + ".json"), "w", encoding="utf-8") as f:
        f.write(text)
    print(f"{ev_dir}: {len(text.encode())} bytes, {share * len(codes)} evidence items")

    # Invalid: unknown criteria.
    un_dir = os.path.join(out, "unknown")
    copy(un_dir)
    head = '{"format":"parindex/assessment@1","unit":"%s","self":{"entries":{' % UNIT
    entry = '"9.%d":{"points":"1"}'
    parts, size, k = [], len(head) + 4, 0
    while True:
        e = entry % k
        if size + len(e) + 1 > target:
            break
        parts.append(e)
        size += len(e) + 1
        k += 1
    text = head + ",".join(parts) + "}}}"
    with open(os.path.join(un_dir, "assessments", UNIT + ".json"), "w", encoding="utf-8") as f:
        f.write(text)
    print(f"{un_dir}: {len(text.encode())} bytes, {k} unknown entries")


if __name__ == "__main__":
    sys.exit(main(sys.argv))
