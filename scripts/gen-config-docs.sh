#!/usr/bin/env bash
# Regenerates the plugin section of config/README.md from the built-in plugins' schemas.
# Usage: scripts/gen-config-docs.sh [TANDEM_BINARY]   (default: build/bin/tandem)
set -euo pipefail
cd "$(dirname "$0")/.."
tandem=${1:-build/bin/tandem}
generated=$(TANDEM_PLUGIN_PATH= "$tandem" plugins --markdown)
python3 - config/README.md "$generated" <<'PY'
import sys
path, generated = sys.argv[1], sys.argv[2]
text = open(path, encoding="utf-8").read()
begin, end = "<!-- BEGIN GENERATED: plugins -->", "<!-- END GENERATED: plugins -->"
head, rest = text.split(begin, 1)
_, tail = rest.split(end, 1)
open(path, "w", encoding="utf-8").write(head + begin + "\n" + generated.strip() + "\n" + end + tail)
PY
