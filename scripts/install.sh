#!/usr/bin/env bash
# Puts this clone's `cmp` on the PATH: links PREFIX/bin/cmp (PREFIX defaults to /usr/local) to
# dist/bin/cmp.js, building dist/ first if it is missing. On Debian, /usr/local/bin comes before /usr/bin
# (diffutils' cmp) on every user's PATH, root's included (ENV_SUPATH in /etc/login.defs); calls that look
# like a file comparison are still handed to /usr/bin/cmp (README: "cmp and diffutils' cmp").
# A link, not a copy: a later `npm run build` in the clone is what `cmp` runs.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd -P)"
prefix="${PREFIX:-/usr/local}"
if [ ! -f "$root/dist/bin/cmp.js" ]; then
  (cd "$root" && npm run build >/dev/null)
fi
chmod +x "$root/dist/bin/cmp.js"
mkdir -p "$prefix/bin"
ln -sfn "$root/dist/bin/cmp.js" "$prefix/bin/cmp"
found="$(command -v cmp || true)"
if [ "$found" != "$prefix/bin/cmp" ]; then
  echo "install: linked $prefix/bin/cmp, but 'cmp' on this PATH is ${found:-missing}: put $prefix/bin before /usr/bin (and run 'hash -r' in an open shell)" >&2
else
  echo "install: cmp -> $root/dist/bin/cmp.js ($prefix/bin/cmp)"
fi
