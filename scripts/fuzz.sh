#!/usr/bin/env bash
# Fuzzes the mail intake (tests/fuzz/mail_fuzz.cpp; docs/mail.md, "Fuzzing") for SECONDS (default 600).
#
#   scripts/fuzz.sh [SECONDS] [BUILD_DIR]
#
# Configures BUILD_DIR (default build-fuzz in the source tree) with clang and -DTANDEM_FUZZ=ON, builds the
# fuzz target only (the engine's objects with ASan, UBSan and libFuzzer's coverage), and runs it on a seed
# corpus copied into a temporary folder from tests/data/mail/**, examples/mail/*.eml and
# ../shared/eval/mail/** (when present). What the fuzzer adds to that corpus is thrown away with it.
# A crash, leak, undefined behaviour, timeout or broken promise is written to BUILD_DIR/fuzz-artifacts/,
# its path printed; reproduce with `BUILD_DIR/bin/tandem_mail_fuzz FILE`.
#
# Exit codes: 0 no finding; 1 a finding (or the build failed); 77 clang or libFuzzer is not available
# (the ctest `mail_fuzz` reads that as skipped); 2 usage.
# Environment: FUZZ_CC, FUZZ_CXX (default clang, clang++), FUZZ_JOBS (build jobs, default 2),
# FUZZ_MAX_LEN (default 65536), FUZZ_TIMEOUT (seconds per input, default 5), FUZZ_RSS_MB (default 2048).
set -euo pipefail

usage() { echo "usage: scripts/fuzz.sh [SECONDS] [BUILD_DIR]" >&2; exit 2; }
(($# <= 2)) || usage
seconds=${1:-600}
[[ $seconds =~ ^[1-9][0-9]*$ ]] || { echo "fuzz.sh: SECONDS must be a positive integer, got '$seconds'" >&2; usage; }
root=$(cd "$(dirname "$0")/.." && pwd)
build=${2:-$root/build-fuzz}
cc=${FUZZ_CC:-clang}
cxx=${FUZZ_CXX:-clang++}
jobs=${FUZZ_JOBS:-2}
max_len=${FUZZ_MAX_LEN:-65536}
timeout=${FUZZ_TIMEOUT:-5}
rss_mb=${FUZZ_RSS_MB:-2048}

skip() { echo "fuzz.sh: SKIP: $*" >&2; exit 77; }
command -v "$cc" >/dev/null || skip "no $cc (Debian: apt-get install clang libclang-rt-14-dev)"
command -v "$cxx" >/dev/null || skip "no $cxx (Debian: apt-get install clang libclang-rt-14-dev)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tandem-fuzz.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# libFuzzer and the sanitizer runtimes come with the compiler's runtime package: link a trivial target.
printf 'extern "C" int LLVMFuzzerTestOneInput(const unsigned char*, unsigned long) { return 0; }\n' >"$tmp/probe.cpp"
"$cxx" -fsanitize=fuzzer,address,undefined "$tmp/probe.cpp" -o "$tmp/probe" 2>"$tmp/probe.log" ||
  skip "$cxx cannot link a libFuzzer target ($(head -c 300 "$tmp/probe.log" | tr '\n' ' ')); Debian: apt-get install libclang-rt-14-dev"

generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
if [[ ! -f $build/CMakeCache.txt ]]; then
  # -O1 with line tables: what libFuzzer's docs advise, and a quick build; assertions stay on (no NDEBUG).
  cmake -S "$root" -B "$build" "${generator[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_C_COMPILER="$cc" -DCMAKE_CXX_COMPILER="$cxx" \
    -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" \
    -DTANDEM_FUZZ=ON -DTANDEM_BUILD_TESTS=OFF -DTANDEM_BUILD_PLUGINS=OFF -DTANDEM_BUILD_BENCH=OFF \
    -DTANDEM_INSTALL=OFF >"$tmp/configure.log" 2>&1 || { cat "$tmp/configure.log" >&2; exit 1; }
fi
start=$(date +%s)
cmake --build "$build" --target tandem_mail_fuzz -j "$jobs"
echo "fuzz.sh: built in $(($(date +%s) - start)) s" >&2
fuzzer=$build/bin/tandem_mail_fuzz

# The seed corpus: every file of the mail fixtures, the sample .eml files, the shared mail cases.
corpus=$tmp/corpus
mkdir -p "$corpus"
n=0
add_seeds() {
  local f
  while IFS= read -r -d '' f; do
    n=$((n + 1))
    cp "$f" "$corpus/$(printf '%05d' "$n")-$(basename "$f")"
  done < <(find "$@" -type f -print0 2>/dev/null | sort -z)
}
add_seeds "$root/tests/data/mail"
add_seeds "$root/examples/mail" -name '*.eml'
[[ -d $root/../shared/eval/mail ]] && add_seeds "$root/../shared/eval/mail"
echo "fuzz.sh: $n seed files; fuzzing for $seconds s (max_len $max_len, timeout $timeout s, rss $rss_mb MB)" >&2

artifacts=$build/fuzz-artifacts
mkdir -p "$artifacts"
touch "$tmp/started"
# GLib's slice allocator would hide GMime's objects from ASan and LeakSanitizer: plain malloc instead.
status=0
G_SLICE=always-malloc G_DEBUG=gc-friendly \
  UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
  "$fuzzer" -max_total_time="$seconds" -max_len="$max_len" -timeout="$timeout" -rss_limit_mb="$rss_mb" \
  -dict="$root/tests/fuzz/mail.dict" -print_final_stats=1 -artifact_prefix="$artifacts/" "$corpus" || status=$?

if ((status != 0)); then
  found=$(find "$artifacts" -type f -newer "$tmp/started" 2>/dev/null)
  if [[ -n $found ]]; then
    echo "fuzz.sh: FAILED (exit $status): the input is in" >&2
    while IFS= read -r f; do echo "  $f" >&2; done <<<"$found"
    echo "fuzz.sh: reproduce with: $fuzzer FILE" >&2
  else
    echo "fuzz.sh: FAILED (exit $status), no input written" >&2
  fi
  exit 1
fi
echo "fuzz.sh: no finding in $seconds s" >&2
