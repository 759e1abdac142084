"""parindex from Python: every fixture byte-identical to `parindex score`, live preview,
bad input, threads. PARINDEX_CLI names the `parindex` binary (scripts/test-bindings.sh)."""

import json
import os
import pathlib
import subprocess
import threading

import pytest

import parindex

ROOT = pathlib.Path(__file__).resolve().parents[3]
CLI = os.environ.get("PARINDEX_CLI", str(ROOT / "target" / "debug" / "parindex"))
FIXTURES = sorted(p for p in (ROOT / "fixtures").iterdir() if (p / "round.json").is_file())


# The library's explain is the program's in English, exact and unwrapped.
EXPLAIN_AS_LIBRARY = ("--locale", "en", "--exact", "--width", "10000")


def cli(*args: str) -> str:
    return subprocess.run([CLI, *args], check=True, capture_output=True, text=True).stdout


def bundle_of(folder: pathlib.Path) -> str:
    load = lambda p: json.loads((folder / p).read_text(encoding="utf-8"))
    round_doc = load("round.json")
    files = {"round.json": round_doc}
    for block in round_doc["blocks"]:
        files[block["criteria_set"]] = load(block["criteria_set"])
    for a in sorted((folder / "assessments").glob("*.json")):
        files[f"assessments/{a.name}"] = load(a)
    return json.dumps({"format": "parindex/round-bundle@1", "files": files}, ensure_ascii=False)


@pytest.mark.parametrize("folder", FIXTURES, ids=lambda p: p.name)
def test_score_is_byte_identical_to_the_cli(folder, tmp_path):
    assert parindex.score(str(folder)) == cli("score", str(folder))
    assert parindex.score(folder) == cli("score", str(folder))
    bundle = bundle_of(folder)
    path = tmp_path / "bundle.json"
    path.write_text(bundle, encoding="utf-8")
    expected = cli("score", str(path))
    assert parindex.score(bundle) == expected
    assert parindex.score(bundle.encode()) == expected
    assert parindex.score(path) == expected


@pytest.mark.parametrize("folder", FIXTURES, ids=lambda p: p.name)
def test_score_unit_matches_the_whole_round(folder):
    results = json.loads(cli("score", str(folder)))
    rows = {row["unit"]: row for block in results["blocks"] for row in block["units"]}
    with parindex.Round(folder) as r:
        assert r.id == results["round"]
        for path in sorted((folder / "assessments").glob("*.json")):
            text = path.read_text(encoding="utf-8")
            row = json.loads(r.score_unit(text))
            expected = dict(rows[row["unit"]], rank=None)
            assert row == expected
            assert json.loads(r.score_unit(json.loads(text))) == expected
    assert r.closed


def test_validate_and_explain():
    folder = FIXTURES[0]
    kind = parindex.validate(folder)
    assert kind["kind"] == "round_folder" and kind["units"] > 0
    assert parindex.validate(bundle_of(folder))["kind"] == "round_folder"
    criteria = next((folder / "criteria").glob("*.json"))
    assert parindex.validate(criteria) == {"kind": "criteria_set"}
    unit = json.loads((folder / "round.json").read_text(encoding="utf-8"))["units"][0]["id"]
    assert parindex.explain(folder, unit) == cli("explain", str(folder), "--unit", unit, *EXPLAIN_AS_LIBRARY)


def errors_of(call, *args):
    with pytest.raises(parindex.InvalidInput) as info:
        call(*args)
    assert isinstance(info.value, ValueError)
    assert info.value.errors and all({"code", "path", "message"} <= set(e) for e in info.value.errors)
    return info.value.status, info.value.errors[0]["code"]


def test_bad_input_raises_invalid_input(tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "round.json").write_text("{\"format\": \"parindex/round@1\", \"blocks\": 7}")
    status, code = errors_of(parindex.score, bad)
    assert status == "invalid"
    assert errors_of(parindex.score, "/no/such/folder") == ("usage", "usage")
    # Invalid UTF-8, a lone surrogate, a NUL in a path and in a document.
    assert errors_of(parindex.score, b"{\xff\xfe}") == ("bad_argument", "bad_argument")
    assert errors_of(parindex.score, "{\"a\": \"\ud800\"}") == ("bad_argument", "bad_argument")
    assert errors_of(parindex.score, "fixtures\0/x") == ("bad_argument", "bad_argument")
    assert errors_of(parindex.score, "{\"format\":\0}") == ("invalid", "input_type")
    # Deep nesting and a huge document.
    assert errors_of(parindex.score, '{"format": ' + "[" * 100_000) == ("invalid", "input_type")
    huge = '{"format": "parindex/round-bundle@1", "files": {"x": "' + "a" * (64 << 20) + '"}}'
    assert errors_of(parindex.score, huge) == ("invalid", "input_type")
    # A closed round, an assessment for nobody, not JSON.
    r = parindex.Round(FIXTURES[0])
    assert errors_of(r.score_unit, "not json") == ("invalid", "input_type")
    assert errors_of(r.score_unit, {"format": "parindex/assessment@1", "unit": "nobody"}) == ("invalid", "unknown_unit")
    r.close()
    assert errors_of(r.score_unit, "{}") == ("bad_handle", "bad_handle")
    with pytest.raises(TypeError):
        parindex.Round(42)


def test_threads_share_a_round():
    folder = FIXTURES[0]
    texts = [p.read_text(encoding="utf-8") for p in sorted((folder / "assessments").glob("*.json"))]
    with parindex.Round(folder) as r:
        expected = [r.score_unit(t) for t in texts]
        failures = []

        def work(offset):
            for i in range(len(texts) * 2):
                k = (i + offset) % len(texts)
                if r.score_unit(texts[k]) != expected[k]:
                    failures.append(k)

        threads = [threading.Thread(target=work, args=(t,)) for t in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert not failures
