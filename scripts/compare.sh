#!/usr/bin/env bash
# Compare two keyhound builds (e.g. before/after a change) on the same tree, interleaving runs
# so machine noise hits both alike. Prints median wall time, user CPU and peak RSS, and the ratio.
#
# usage: scripts/compare.sh OLD_BINARY NEW_BINARY [TREE] [RUNS]
#   TREE default /work/corpus/tree, RUNS default 7 (plus one untimed warm-up each).
# Build an old commit's binary with e.g.:
#   git worktree add /tmp/kh-old <commit> && CARGO_TARGET_DIR=/tmp/kh-old-target cargo build --release --manifest-path /tmp/kh-old/Cargo.toml
set -euo pipefail
OLD=${1:?old binary}; NEW=${2:?new binary}
TREE=${3:-/work/corpus/tree}; RUNS=${4:-7}
[ -x /usr/bin/time ] || { echo "compare: needs GNU time at /usr/bin/time" >&2; exit 2; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
for b in "$OLD" "$NEW"; do "$b" scan "$TREE" -q -f json -o "$tmp/warm.json" || true; done
for _ in $(seq "$RUNS"); do
  for tag in old new; do
    b=$OLD; [ "$tag" = new ] && b=$NEW
    /usr/bin/time -o "$tmp/t" -f "%e %U %M" "$b" scan "$TREE" -q -f json -o "$tmp/$tag.json" || [ $? -eq 1 ]
    echo "$tag $(tail -1 "$tmp/t")" >> "$tmp/times"
  done
done
python3 - "$tmp/times" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
med = {}
for tag in ("old", "new"):
    v = [(float(e), float(u), int(m)) for t, e, u, m in rows if t == tag]
    med[tag] = tuple(statistics.median(x[i] for x in v) for i in range(3))
    print(f"{tag}: median wall {med[tag][0]:.2f} s, user {med[tag][1]:.2f} s, peak RSS {med[tag][2]/1024:.0f} MiB ({len(v)} runs)")
print(f"new/old: wall {med['new'][0]/med['old'][0]:.2f}x, user {med['new'][1]/med['old'][1]:.2f}x, RSS {med['new'][2]/med['old'][2]:.2f}x")
PY
