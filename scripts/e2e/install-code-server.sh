#!/usr/bin/env bash
# Installs what the end-to-end tests drive: Debian's chromium, and code-server (a real VS Code) from npm with the
# prerequisites its native modules need. Idempotent and quick when everything is there, so CI and every
# `npm run test:e2e` can call it. Prints the code-server executable's path as its last line.
#
# code-server lives outside the work tree, under $HOME, so a fresh clone (as CI makes) reuses an earlier install
# on the same machine. BIOMED_E2E_CACHE moves it.
set -euo pipefail

# 4.100.3 is the newest code-server that installs on Node 20 (VS Code 1.100.3, matching engines.vscode).
version=4.100.3
cache=${BIOMED_E2E_CACHE:-$HOME/.cache/biomed-dl-lab}
prefix=$cache/code-server-$version
bin=$prefix/node_modules/.bin/code-server
# Written only after a complete install, so an interrupted one is redone rather than trusted.
marker=$prefix/.installed

log() { echo "[install-code-server] $*" >&2; }

# chromium is the browser; libkrb5-dev lets code-server's `kerberos` module compile; ripgrep seeds the
# @vscode/ripgrep download that cannot reach its host from here.
missing=()
for pkg in chromium libkrb5-dev ripgrep; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if ((${#missing[@]})); then
  log "apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # Another install step of the same CI run may have just refreshed the package lists: once is enough.
  if [[ -z $(find /var/lib/apt/lists -maxdepth 1 -name '*_Packages*' -mmin -60 2>/dev/null | head -1) ]]; then
    apt-get update -qq >&2
  fi
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

if [[ -f $marker && -x $bin ]]; then
  log "code-server $version already installed in $prefix"
  echo "$bin"
  exit 0
fi

log "installing code-server $version into $prefix (about a minute)"
rm -rf "$prefix"
mkdir -p "$prefix"
# @vscode/ripgrep's postinstall downloads a release archive unless it finds one in its cache under the temp
# folder: give it Debian's rg in the archive it expects, in a temp folder of our own.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/vscode-ripgrep-cache-1.15.11"
tar czf "$tmp/vscode-ripgrep-cache-1.15.11/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C /usr/bin rg

# unsafe-perm: code-server's postinstall runs nested installs that npm would otherwise run as nobody under root.
TMPDIR=$tmp npm_config_unsafe_perm=true npm_config_yes=true \
  npm install --prefix "$prefix" --no-audit --no-fund --no-save --loglevel=error "code-server@$version" >&2

# Its own config folder: --version would otherwise write a default config into the real HOME.
XDG_CONFIG_HOME=$tmp "$bin" --version >&2
touch "$marker"
echo "$bin"
