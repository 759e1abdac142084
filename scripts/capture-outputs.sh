#!/usr/bin/env bash
# capture-outputs.sh BIN_DIR OUT [NATIONAL_DIR]: every published output of the bundled
# fixtures, the shared conformance cases and (optionally) a national workload folder, written
# by the `parindex` program in BIN_DIR into OUT, one file per command (stdout, stderr, exit
# status). Capture with two builds and `diff -r` the two OUTs to prove a change leaves
# outputs byte-identical (issue #10). English text (PARINDEX_LOCALE=en) so that builds from
# before the Vietnamese default compare. Run from the repository's root.
set -u
B=$1; O=$2; N=${3:-}; P=$B/parindex; mkdir -p "$O"
export PARINDEX_LOCALE=en
run() { local name=$1; shift; "$@" > "$O/$name.out" 2> "$O/$name.err"; echo $? > "$O/$name.rc"; }
for f in fixtures/dong-thap-2023 fixtures/huyen-cao-lanh-2023 fixtures/ministries-2023; do
  n=$(basename "$f")
  run "$n.score" "$P" score "$f"
  run "$n.table" "$P" score "$f" --format table
  run "$n.validate" "$P" validate "$f"
  run "$n.verify" "$P" verify "$f" "$f/expected.json"
  for fmt in md csv html; do run "$n.report-$fmt" "$P" report "$f" --format "$fmt"; done
  run "$n.report-nodes" "$P" report "$f" --format csv --table nodes
  for u in $(ls "$f/assessments" | sed 's/\.json$//'); do run "$n.explain.$u" "$P" explain "$f" --unit "$u"; done
  for c in "$f"/criteria/*.json; do run "$n.show.$(basename "$c")" "$P" criteria show "$c"; done
done
for c in ../shared/conformance/cases/* ../shared/conformance/cases-v2/*; do
  [ -d "$c" ] || continue; n=conf.$(basename "$c")
  run "$n.score" "$P" score "$c"
  run "$n.validate" "$P" validate "$c"
done
[ -n "$N" ] && run national.score "$P" score "$N"
exit 0
