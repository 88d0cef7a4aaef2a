#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
#
# Install the Debian packages MCSC Case Engine needs, if any are missing.
#
#   scripts/install-debian-packages.sh                 # runtime packages
#   scripts/install-debian-packages.sh --with-browser  # + chromium (browser tests)
#
# As root: runs `apt-get update` once and installs only what is missing.
# Not root: names the missing packages, prints the sudo command, exits 1.
# chromium is optional when not root: a note says the browser test is skipped.
# Nothing missing: does nothing (no apt-get update).
set -euo pipefail

REQUIRED=(
  libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0  # WeasyPrint
  fontconfig fonts-dejavu-core                          # fonts for PDFs
  poppler-utils                                         # pdftotext in tests
  gettext                                               # compilemessages
  postgresql                                            # PostgreSQL 15 tests
)
OPTIONAL=()

case "${1:-}" in
  "") ;;
  --with-browser) OPTIONAL+=(chromium) ;;
  -h|--help) sed -n '3,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "usage: $0 [--with-browser]" >&2; exit 2 ;;
esac

# Debian's python3 has no ensurepip/venv without python3-venv.
PY="${PY:-python3}"
if ! command -v "$PY" >/dev/null 2>&1; then
  REQUIRED+=(python3 python3-venv)
elif ! "$PY" -c 'import ensurepip, venv' >/dev/null 2>&1; then
  REQUIRED+=(python3-venv)
fi

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "note: not a Debian system (no dpkg-query); make sure the equivalents of" \
       "these are installed: ${REQUIRED[*]} ${OPTIONAL[*]}" >&2
  exit 0
fi

installed() {
  local status
  status="$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" || return 1
  [[ "$status" == *" ok installed" ]]
}

missing=() missing_optional=()
for p in "${REQUIRED[@]}"; do installed "$p" || missing+=("$p"); done
for p in "${OPTIONAL[@]}"; do installed "$p" || missing_optional+=("$p"); done

if (( ${#missing[@]} + ${#missing_optional[@]} == 0 )); then
  exit 0
fi

if [[ "$(id -u)" == 0 ]]; then
  to_install=("${missing[@]}" "${missing_optional[@]}")
  echo "==> apt-get install ${to_install[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt_opts=(-q -o DPkg::Lock::Timeout=600 -o Dpkg::Use-Pty=0)
  apt-get "${apt_opts[@]}" update
  apt-get "${apt_opts[@]}" install -y --no-install-recommends "${to_install[@]}"
  exit 0
fi

if (( ${#missing_optional[@]} )); then
  echo "note: ${missing_optional[*]} not installed; the browser test will be skipped." >&2
  echo "      To run it: sudo apt-get install --no-install-recommends ${missing_optional[*]}" >&2
fi
if (( ${#missing[@]} )); then
  cat >&2 <<MSG

error: missing Debian packages: ${missing[*]}
Install them (needs root), then run make again:

  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}

MSG
  exit 1
fi
exit 0
