#!/usr/bin/env bash
# The out-of-tree plugin path, as a plugin author walks it: install tandem to a temporary prefix, build
# examples/plugin-template against it in a separate build tree, run its conformance test, then load it
# through the installed `tandem` and run a message through a pipeline that uses it.
# Usage: out_of_tree_test.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
src=$1
build=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }

cmake --install "$build" --prefix "$work/prefix" >/dev/null
tandem="$work/prefix/bin/tandem"
[[ -x "$tandem" ]] || fail "no installed tandem at prefix/bin"

# The installed engine finds its own built-in plugins under the prefix, one of each kind.
"$tandem" plugins --json >"$work/installed.jsonl"
python3 - "$work/installed.jsonl" "$work/prefix" <<'PY' || fail "installed plugins"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
kinds = {r["kind"] for r in rows}
assert kinds >= {"extractor", "estimator", "backend", "aggregator"}, kinds
for r in rows:
    assert r["path"].startswith(sys.argv[2]), r["path"]
PY

generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
cmake -S "$src/examples/plugin-template" -B "$work/template" "${generator[@]}" \
  -DCMAKE_PREFIX_PATH="$work/prefix" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$work/template"
ctest --test-dir "$work/template" --output-on-failure

# Loaded through the installed host from TANDEM_PLUGIN_PATH ...
TANDEM_PLUGIN_PATH="$work/template" "$tandem" plugins --json >"$work/with_template.jsonl"
grep -q '"name":"acme.extractor.iso_dates"' "$work/with_template.jsonl" || fail "template plugin not listed"

# ... and run in a pipeline.
cat >"$work/pipeline.yaml" <<YAML
tandem: 1
name: template
stages:
  extract:
    - plugin: acme.extractor.iso_dates
      config: {variable: when, min_year: 2000}
YAML
printf 'Could we meet on 2026-12-01, or else 2026-12-03? Ref 1999-01-01 and 2026-02-30 are not dates.\n' >"$work/mail.txt"
TANDEM_PLUGIN_PATH="$work/template" "$tandem" run -q --pipeline "$work/pipeline.yaml" "$work/mail.txt" >"$work/out.jsonl"
python3 - "$work/out.jsonl" <<'PY' || fail "template run output"
import json, sys
[row] = [json.loads(l) for l in open(sys.argv[1])]
assert row["state"] == "done", row
got = {a["variable"]: a["candidates"][0]["value"] for a in row["annotations"]}
assert got == {"when[0]": "2026-12-01", "when[1]": "2026-12-03"}, got
assert all(a["source"] == "iso_dates" for a in row["annotations"]), row
PY
echo "out-of-tree template: built, conformance passed, loaded and run through the installed tandem"
