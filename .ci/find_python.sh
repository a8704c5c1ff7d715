#!/usr/bin/env bash
# Print the path of a Python >= 3.12 interpreter, or explain what to install and exit 1.
# Looks at $PYTHON, python3.13/python3.12/python3 on PATH, then pyenv's versions (oldest qualifying first).
set -u
ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; }
for cand in ${PYTHON:-} python3.13 python3.12 python3; do
    p=$(command -v "$cand" 2>/dev/null) || continue
    if ok "$p"; then echo "$p"; exit 0; fi
done
root=${PYENV_ROOT:-$HOME/.pyenv}
if [ -d "$root/versions" ]; then
    for d in $(ls -1 "$root/versions" | sort -t. -k1,1n -k2,2n -k3,3n); do
        p="$root/versions/$d/bin/python"
        if [ -x "$p" ] && ok "$p"; then echo "$p"; exit 0; fi
    done
fi
echo "crimesim needs Python 3.12 or newer: install it (e.g. 'pyenv install 3.12' or your system's python3.12 package) and run make again." >&2
exit 1
