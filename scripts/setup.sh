#!/usr/bin/env bash
# One-time (and idempotent) set-up of a fresh Debian/Ubuntu machine for
# smile-lens: the Debian packages the notebooks and tests need, the npm
# packages, and the tslab Jupyter kernels registered inside this checkout
# (.jupyter/, nothing global). A second run only checks and is quick.
# Works as root (CI: no stdin) or as a user with sudo.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '[setup] %s\n' "$*"; }

# Debian packages: Jupyter to run notebooks headless (nbconvert, client,
# ipykernel), the classic notebook server for `npm run lab` (JupyterLab is not
# packaged in Debian), Chromium for the page tests, PyTorch for the speed
# reference, DejaVu fonts so figures rendered without a browser have text.
# Slurm (slurm-wlm: slurmctld, slurmd and the client commands) and munge, for
# the single-node cluster the Slurm tests start in .slurm/ (npm run
# slurm-cluster; it runs its own munged, and Debian's slurmd and slurmctld
# services stay idle without /etc/slurm/slurm.conf).
PACKAGES=(jupyter-nbconvert jupyter-client python3-ipykernel jupyter-notebook chromium python3-torch fonts-dejavu-core slurm-wlm munge)

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for p in "${PACKAGES[@]}"; do
    if [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)" != "install ok installed" ]; then
      missing+=("$p")
    fi
  done
else
  missing=("${PACKAGES[@]}")
fi

if [ "${#missing[@]}" -eq 0 ]; then
  say "Debian packages: all present (${PACKAGES[*]})"
elif command -v apt-get >/dev/null 2>&1; then
  SUDO=()
  if [ "$(id -u)" -ne 0 ]; then SUDO=(sudo); fi
  if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null 2>&1; then
    say "not root and no sudo: install these as root, then run this again: apt-get install ${missing[*]}"
  else
    say "installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    log=$(mktemp)
    # apt's own output goes to a log, shown only when something fails.
    if ! { "${SUDO[@]}" apt-get update -qq && "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
      cat "$log"; rm -f "$log"; say "apt-get failed (above)"; exit 1
    fi
    rm -f "$log"
    say "installed: ${missing[*]}"
  fi
else
  say "apt-get is not available: install these with your package manager, then run this again if anything fails:"
  say "  ${missing[*]}"
  say "  (Jupyter with nbconvert and ipykernel; Chromium; PyTorch for Python 3; DejaVu fonts; Slurm and munge)"
fi

# npm packages: `npm ci` when the lock file is there (exact versions), and
# only when node_modules is older than the lock (so a second run is quick).
if [ -f package-lock.json ]; then
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    say "npm ci"
    npm ci --no-audit --no-fund
  else
    say "npm packages: up to date with package-lock.json"
  fi
else
  say "npm install (no package-lock.json)"
  npm install --no-audit --no-fund
fi

# lib/ compiled to JavaScript (.build/), so commands and their workers start
# in a fraction of a second (bin/smile-lens.js rebuilds it when lib/ changes).
say "npm run build"
node scripts/build.js

# The native convolution kernels (lib/backend/native), compiled for this CPU
# now rather than by the first command; without a compiler the wasm kernels run.
say "native convolution kernels: $(node -e "const s=require('./.build/lib/backend/native/native-kernels.js').nativeKernels(); process.stdout.write(s.kernels ? 'built (' + s.description + ')' : 'off (' + s.reason + '); the wasm kernels run')")"

# The tslab kernels, registered in .jupyter/ (lib/notebook/jupyter.ts).
say "registering the tslab kernels in .jupyter/share/jupyter/kernels"
npx --no-install tsx -e "require('./lib/notebook/jupyter').registerKernels({ quiet: true })"

jupyter_bin=/usr/bin/jupyter
[ -x "$jupyter_bin" ] || jupyter_bin=$(command -v jupyter || true)
specs=""
[ -n "$jupyter_bin" ] && specs=$(JUPYTER_PATH="$PWD/.jupyter/share/jupyter" "$jupyter_bin" kernelspec list 2>/dev/null || true)
if printf '%s\n' "$specs" | grep -q "$PWD/.jupyter/share/jupyter/kernels/tslab"; then
  say "done: Jupyter sees the project's tslab kernel ($jupyter_bin)"
else
  say "done, but Jupyter was not found or does not list the tslab kernel: notebooks cannot run headless"
fi
