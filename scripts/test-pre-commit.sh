#!/usr/bin/env bash
# Runs the real pre-commit framework (from PyPI, in a throwaway virtualenv) with this
# repository's `.pre-commit-hooks.yaml` against a temp git repo: a staged secret must block the
# commit (exit 1, finding printed), a clean change must pass (exit 0).
# `pre-commit try-repo` builds keyhound with `cargo install` for each run (a few minutes).
# usage: scripts/test-pre-commit.sh   (from anywhere; tests the committed HEAD of this repo)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
if ! python3 -m venv "$tmp/venv" >/dev/null 2>&1 || ! "$tmp/venv/bin/pip" install -q pre-commit >/dev/null 2>&1; then
  echo "SKIPPED pre-commit hook test: cannot install pre-commit from PyPI" >&2
  exit 0
fi
pc="$tmp/venv/bin/pre-commit"
export PRE_COMMIT_HOME="$tmp/cache"
work="$tmp/work"; mkdir "$work"; cd "$work"
git init -q && git config user.email ci@example.com && git config user.name CI
echo hi > README && git add README && git commit -qm init
printf 'AWS_SECRET_ACCESS_KEY = "Zq8vR2mXk4TbW9nLp3YcJ6sHd1FgA7eUo5QiVx0N"\n' > app.py && git add app.py
set +e; "$pc" try-repo "$repo" keyhound > "$tmp/out1" 2>&1; rc1=$?; set -e
grep -q "aws-secret-access-key" "$tmp/out1" || { cat "$tmp/out1"; echo "FAIL: no finding for a staged secret" >&2; exit 1; }
[ "$rc1" -eq 1 ] || { cat "$tmp/out1"; echo "FAIL: staged secret: exit $rc1, want 1" >&2; exit 1; }
echo 'x = 1' > app.py && git add app.py
set +e; "$pc" try-repo "$repo" keyhound > "$tmp/out2" 2>&1; rc2=$?; set -e
[ "$rc2" -eq 0 ] || { cat "$tmp/out2"; echo "FAIL: clean change: exit $rc2, want 0" >&2; exit 1; }
echo "pre-commit hook: blocks a staged secret (exit 1), passes a clean change (exit 0)"
