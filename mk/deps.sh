#!/usr/bin/env bash
# deps.sh — installs what bangfu needs to build, run and test, when missing.
# Debian 12 packages only (apt-get) and the npm registry (npm ci).
set -euo pipefail
cd "$(dirname "$0")/.."

PKGS=(gcc make pkg-config ca-certificates curl
      libmicrohttpd-dev libjansson-dev libsqlite3-dev libpq-dev libsodium-dev libssl-dev libcmocka-dev
      libcsv-dev libzip-dev libexpat1-dev libxlsxwriter-dev libcairo2-dev libpango1.0-dev libjemalloc-dev
      python3 clang poppler-utils nginx valgrind
      sqlite3 postgresql postgresql-client wrk jq time iproute2 chromium fonts-noto-cjk)
command -v node >/dev/null 2>&1 || PKGS+=(nodejs)
command -v npm >/dev/null 2>&1 || PKGS+=(npm)

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "deps: installing ${missing[*]}"
	SUDO=""
	[ "$(id -u)" -eq 0 ] || SUDO="sudo"
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm packages, pinned by package-lock.json; reinstalled when the lock changes.
if [ -f package-lock.json ]; then
	stamp=node_modules/.bangfu-lock
	if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
		echo "deps: npm ci"
		npm ci --no-audit --no-fund --loglevel=error
		cp package-lock.json "$stamp"
	fi
fi
echo "deps: ok"
