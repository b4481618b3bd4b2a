#!/usr/bin/env bash
# Git-history scan time of keyhound and its peers on the same repository, side by side.
#
# usage: scripts/bench-history.sh [REPO] [RUNS]
#   REPO  a git repository, bare or not   (default /work/corpus/git-history/git, a clone of git/git)
#   RUNS  timed runs per tool             (default 3; no warm-up run: history scans are long)
# env:
#   TOOLS     tools to run, in order      (default "keyhound gitleaks kingfisher")
#   NO_BUILD  1: use the existing target/release/keyhound
# Peers come from ../shared/tools/install-peers.sh (put them on PATH, e.g. ~/.local/peers/bin).
# Prints median wall time, user CPU, peak RSS, findings, and each tool's time over keyhound's.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=${1:-/work/corpus/git-history/git}
RUNS=${2:-3}
TOOLS=${TOOLS:-"keyhound gitleaks kingfisher"}
[ -x /usr/bin/time ] || { echo "bench-history: needs GNU time at /usr/bin/time" >&2; exit 2; }
[ -d "$REPO" ] || { echo "bench-history: no repository at $REPO" >&2; exit 2; }
[ "${NO_BUILD:-0}" = 1 ] || cargo build --release -q
KH=$PWD/target/release/keyhound
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
commits=$(git -C "$REPO" rev-list --all | wc -l)
echo "repository: $REPO ($commits commits reachable from all refs)"
run() { # tool out
  case $1 in
    keyhound) "$KH" history "$REPO" -q -f json -o "$2" ;;
    gitleaks) gitleaks git "$REPO" --no-banner --log-level error --report-format json --report-path "$2" ;;
    kingfisher) kingfisher scan "$REPO" --git-history full --no-update-check --no-validate --format json > "$2" 2>/dev/null ;;
  esac
}
count() { # tool out
  python3 - "$1" "$2" <<'PY'
import json, sys
tool, path = sys.argv[1], sys.argv[2]
text = open(path).read()
if tool == "keyhound":
    print(len(json.loads(text)["findings"]))
elif tool == "gitleaks":
    print(len(json.loads(text)))
else:  # kingfisher: concatenated JSON documents; the first holds the findings
    doc, _ = json.JSONDecoder().raw_decode(text.lstrip())
    print(len(doc.get("findings", [])))
PY
}
for tool in $TOOLS; do
  command -v "$tool" >/dev/null || [ "$tool" = keyhound ] || { echo "skip $tool: not on PATH"; continue; }
  for i in $(seq "$RUNS"); do
    /usr/bin/time -o "$tmp/t" -f "%e %U %M" bash -c "$(declare -f run); KH='$KH' REPO='$REPO' run $tool '$tmp/$tool.json'" || true
    echo "$tool $(tail -1 "$tmp/t") $(count "$tool" "$tmp/$tool.json")" >> "$tmp/times"
    echo "  $tool run $i: $(tail -1 "$tmp/t" | cut -d' ' -f1) s" >&2
  done
done
python3 - "$tmp/times" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
tools = list(dict.fromkeys(r[0] for r in rows))
med = {}
print(f"{'tool':<12}{'median s':>10}{'user s':>9}{'RSS MiB':>9}{'findings':>10}{'t/kh':>8}")
for t in tools:
    v = [r for r in rows if r[0] == t]
    med[t] = statistics.median(float(r[1]) for r in v)
    user = statistics.median(float(r[2]) for r in v)
    rss = statistics.median(int(r[3]) for r in v) / 1024
    base = med.get("keyhound", med[t])
    print(f"{t:<12}{med[t]:>10.1f}{user:>9.1f}{rss:>9.0f}{v[-1][4]:>10}{med[t]/base:>7.1f}x  ({len(v)} runs)")
PY
