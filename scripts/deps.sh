#!/usr/bin/env bash
# Installs the Debian 12 packages tandem needs that are not installed yet (apt-get; run as root).
# Each package and why it is there: README.md, "Dependencies".
set -euo pipefail

packages=(
  g++ cmake ninja-build ccache pkg-config python3 tzdata
  libboost-dev            # Boost.DLL: loading plugins
  libyaml-cpp-dev         # pipelines
  libhowardhinnant-date-dev  # zones and DST (date/tz)
  libicu-dev              # locale facts
  nlohmann-json3-dev      # JSON output and the file backend
  libcli11-dev            # the command line
  libsqlite3-dev          # the case store: cases, tasks, answers, workers in one file
  libmilter-dev           # the milter: mail servers hand messages to `tandem serve --milter`
  libgmime-3.0-dev        # MIME: parts, transfer encodings, RFC 2047/2231 headers, charsets
  libgumbo-dev            # HTML mail to text through a real HTML5 parser
  libical-dev             # iCalendar: parsing, RRULE expansion, VTIMEZONE rules (src/calendar/)
  libgtest-dev libgmock-dev libbenchmark-dev  # tests and benchmarks
  clang libclang-rt-14-dev  # the mail fuzzer (scripts/fuzz.sh, ctest mail_fuzz): libFuzzer, ASan, UBSan
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  echo "tandem: installing ${missing[*]}" >&2
  if [[ $(id -u) -ne 0 ]]; then
    echo "tandem: error: packages are missing and this is not root; run as root, or install: ${missing[*]}" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
