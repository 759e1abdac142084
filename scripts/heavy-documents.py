#!/usr/bin/env python3
"""Writes round folders whose one assessment is as large as a limit allows, for measuring
peak memory (docs/limits.md, "Memory"): a copy of fixtures/dong-thap-2023 in which
assessments/ban-dan-toc.json is replaced.

    scripts/heavy-documents.py OUT_DIR [TARGET_BYTES]

Each folder's document is TARGET_BYTES (default 63 MiB, just under the default limit),
compact JSON (the worst case: most values per byte), filled with one shape a hostile author
would try:

- OUT_DIR/evidence: the unit's entries carry evidence items `{"title":"a"}` (valid);
- OUT_DIR/one-entry: the same items all in the first entry (valid);
- OUT_DIR/unknown: entries for criteria that do not exist (every one a problem);
- OUT_DIR/unknown-array: an unknown top-level key holding `[0,0,0,…]` (valid);
- OUT_DIR/entry-array: an unknown key of the first entry holding `[0,0,0,…]` (valid);
- OUT_DIR/adjustments: bonus items `{"points":0,"reason":"a"}` (valid);
- OUT_DIR/keys: the first entry with millions of unknown keys `"k0":0` (valid);
- OUT_DIR/input-array: the first entry's `input` a list of zeros (invalid: one problem);
- OUT_DIR/input-keys: the first entry's `input` an object of millions of keys (invalid);
- OUT_DIR/nested: an unknown top-level key holding lists nested 120 deep around a 64-byte
  string, again and again (valid; what the loader's index of long values must stay
  bounded on).
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


def doc_of():
    with open(os.path.join(FIXTURE, "assessments", UNIT + ".json"), encoding="utf-8") as f:
        return json.load(f)


def bare_input():
    """The fixture's document, compact, without its first entry's input."""
    doc = doc_of()
    first = list(doc["self"]["entries"])[0]
    doc["self"]["entries"][first].pop("input", None)
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":"))


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

    compact = json.dumps(doc_of(), ensure_ascii=False, separators=(",", ":"))
    first = list(json.loads(compact)["self"]["entries"])[0]

    def fill(name, marker, piece, wrap, compact=compact):
        """Writes OUT_DIR/name: `compact` with `marker` replaced by `wrap % pieces`, as many
        comma-separated `piece`s as fit TARGET_BYTES."""
        folder = os.path.join(out, name)
        copy(folder)
        room = target - len(compact.encode()) - len(wrap.encode()) + len(marker.encode()) + 2
        n = max(0, room // (len(piece) + 1))
        body = wrap % ",".join(piece for _ in range(n))
        text = compact.replace(marker, body, 1)
        assert text != compact, name
        with open(os.path.join(folder, "assessments", UNIT + ".json"), "w", encoding="utf-8") as f:
            f.write(text)
        print(f"{folder}: {len(text.encode())} bytes, {n} items")

    entry_marker = '"%s":{' % first
    bare = doc_of()
    bare["self"]["entries"][first].pop("evidence", None)
    bare = json.dumps(bare, ensure_ascii=False, separators=(",", ":"))
    fill("one-entry", entry_marker, '{"title":"a"}', entry_marker + '"evidence":[%s],', bare)
    fill("unknown-array", '{"format"', "0", '{"x":[%s],"format"')
    fill("entry-array", entry_marker, "0", entry_marker + '"x":[%s],')
    fill("input-array", entry_marker, "0", entry_marker + '"input":[%s],', bare_input())
    fill("input-keys", entry_marker, '"k":0', entry_marker + '"input":{%s},', bare_input())
    nest = "[" * 120 + '"' + "a" * 64 + '"' + "]" * 120
    fill("nested", '{"format"', nest, '{"x":[%s],"format"')
    fill("adjustments", '"entries":{', '{"points":0,"reason":"a"}', '"bonus":[%s],"entries":{')
    # Unique keys: "k" and a counter, written after the entry's own members.
    folder = os.path.join(out, "keys")
    copy(folder)
    parts, size, k = [], len(compact.encode()), 0
    while True:
        e = '"k%d":0' % k
        if size + len(e) + 1 > target:
            break
        parts.append(e)
        size += len(e) + 1
        k += 1
    text = compact.replace(entry_marker, entry_marker + ",".join(parts) + ",", 1)
    with open(os.path.join(folder, "assessments", UNIT + ".json"), "w", encoding="utf-8") as f:
        f.write(text)
    print(f"{folder}: {len(text.encode())} bytes, {k} unknown keys in one entry")


if __name__ == "__main__":
    sys.exit(main(sys.argv))
