#!/usr/bin/env bash
# Benchmark keyhound against peer secret scanners on a directory tree.
#
# usage: scripts/bench.sh [TREE] [RUNS]
#   TREE  directory to scan            (default /work/corpus/tree)
#   RUNS  timed runs per tool          (default 5; one extra untimed warm-up run precedes them)
#
# environment:
#   TOOLS     tools to run, in order   (default "keyhound kingfisher gitleaks rg")
#   PEERS     peer install prefix      (default $HOME/.local/peers; binaries in $PEERS/bin)
#   NO_BUILD  set to 1 to skip `cargo build --release` and use the existing target/release/keyhound
#   KEEP_TMP  set to 1 to keep the temp dir (JSON reports, stderr, raw timings)
#
# Each run is wrapped in GNU time (`/usr/bin/time -f '%e %M'`): wall seconds and peak RSS (KiB).
# Reports go to a temp dir; stdout goes to /dev/null (rg's goes to a file so matches can be counted).
# Requires: bash, python3, GNU time at /usr/bin/time; the peers and rg are optional (skipped if absent).
set -euo pipefail

TREE=${1:-/work/corpus/tree}
RUNS=${2:-5}
TOOLS=${TOOLS:-"keyhound kingfisher gitleaks rg"}
PEERS=${PEERS:-$HOME/.local/peers}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
GNU_TIME=/usr/bin/time

die() { echo "bench: $*" >&2; exit 2; }
note() { echo "bench: $*" >&2; }

[ -d "$TREE" ] || die "tree not found: $TREE"
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive integer, got '$RUNS'"
[ -x "$GNU_TIME" ] || die "GNU time not found at $GNU_TIME (apt-get install time)"
command -v python3 >/dev/null || die "python3 is required"
TREE=$(cd "$TREE" && pwd)

TMP=$(mktemp -d "${TMPDIR:-/tmp}/keyhound-bench.XXXXXX")
cleanup() { if [ "${KEEP_TMP:-0}" = 1 ]; then note "kept $TMP"; else rm -rf "$TMP"; fi; }
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- locate tools -----------------------------------------------------------------------------
find_bin() {  # find_bin NAME -> path on stdout, or nothing
  if [ -x "$PEERS/bin/$1" ]; then echo "$PEERS/bin/$1"; else command -v "$1" || true; fi
}

KH=$ROOT/target/release/keyhound
selected=()
for tool in $TOOLS; do
  case $tool in
    keyhound)
      if [ "${NO_BUILD:-0}" != 1 ]; then
        note "building keyhound (cargo build --release) in $ROOT"
        if ! (cd "$ROOT" && cargo build --release) >"$TMP/build.log" 2>&1; then
          tail -n 30 "$TMP/build.log" >&2
          note "SKIP keyhound: cargo build --release failed (log above)"
          continue
        fi
      fi
      [ -x "$KH" ] || { note "SKIP keyhound: $KH not found"; continue; }
      ;;
    kingfisher|gitleaks|rg)
      [ -n "$(find_bin "$tool")" ] || { note "SKIP $tool: not found in $PEERS/bin or PATH"; continue; }
      ;;
    *) die "unknown tool '$tool' (known: keyhound kingfisher gitleaks rg)";;
  esac
  selected+=("$tool")
done
[ ${#selected[@]} -gt 0 ] || die "no tools to run"

# tool_cmd TOOL -> sets CMD (array), OKCODES (space-separated acceptable exit codes),
#                   OUT (where stdout goes), REPORT (file the run must produce)
tool_cmd() {
  OUT=/dev/null
  case $1 in
    keyhound)   REPORT=$TMP/kh.json; OKCODES="0 1"   # 1 = findings reported
                CMD=("$KH" scan "$TREE" --format json --output "$REPORT");;
    kingfisher) REPORT=$TMP/kf.json; OKCODES="0 200 205"   # 200 = findings, 205 = validated findings
                CMD=("$(find_bin kingfisher)" scan "$TREE" --git-history none --no-validate
                     --no-update-check -q -f json -o "$REPORT");;
    gitleaks)   REPORT=$TMP/gl.json; OKCODES="0"
                CMD=("$(find_bin gitleaks)" dir "$TREE" --no-banner --exit-code 0 -f json -r "$REPORT");;
    rg)         REPORT=$TMP/rg.out; OKCODES="0 1"; OUT=$REPORT   # 1 = no match
                CMD=("$(find_bin rg)" -c --no-messages -uu AKIA "$TREE");;
  esac
}

tool_version() {
  case $1 in
    keyhound)   v=$("$KH" --version 2>/dev/null | head -n1 || true); echo "${v:-keyhound (no --version output)}";;
    kingfisher) "$(find_bin kingfisher)" --version 2>/dev/null | head -n1;;
    gitleaks)   echo "gitleaks $("$(find_bin gitleaks)" version 2>/dev/null | head -n1)";;
    rg)         "$(find_bin rg)" --version 2>/dev/null | head -n1;;
  esac
}

# run_once TOOL LABEL -> appends "exit secs kib" to $TMP/times.TOOL unless LABEL=warmup
run_once() {
  local tool=$1 label=$2 rc=0 tf=$TMP/time.$tool.$2
  tool_cmd "$tool"
  rm -f "$REPORT"
  "$GNU_TIME" -f '%e %M' -o "$tf" "${CMD[@]}" >"$OUT" 2>"$TMP/stderr.$tool" || rc=$?
  if [[ " $OKCODES " != *" $rc "* ]]; then
    note "$tool ($label) exited with status $rc; stderr tail:"
    tail -n 20 "$TMP/stderr.$tool" >&2
    return 1
  fi
  if [ ! -f "$REPORT" ]; then
    note "$tool ($label) exited with status $rc but wrote no report ($REPORT); stderr tail:"
    tail -n 20 "$TMP/stderr.$tool" >&2
    return 1
  fi
  [ "$label" = warmup ] || echo "$rc $(tail -n1 "$tf")" >>"$TMP/times.$tool"
}

# --- corpus size ------------------------------------------------------------------------------
read -r TREE_FILES TREE_BYTES < <(find "$TREE" -type f -printf '%s\n' | awk '{n++; s+=$1} END {printf "%d %d\n", n, s}')
echo "tree:    $TREE ($TREE_FILES files, $(awk -v b="$TREE_BYTES" 'BEGIN{printf "%.1f", b/1e6}') MB)"
echo "machine: $(nproc) cpus, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(date -u +%Y-%m-%dT%H:%MZ)"
echo "runs:    1 warm-up + $RUNS timed per tool"

ran=()
for tool in "${selected[@]}"; do
  echo "version: $(tool_version "$tool")"
  printf '%-11s warm-up' "$tool"
  if ! run_once "$tool" warmup; then echo; note "SKIP $tool: warm-up run failed"; continue; fi
  ok=1
  for ((i = 1; i <= RUNS; i++)); do
    printf ' %d' "$i"
    # Kingfisher 2.14 now and then dies with SIGBUS (exit 135) on a run that succeeds when
    # repeated; one retry keeps a flaky peer in the table, and the note says it happened.
    run_once "$tool" "$i" || { note "retrying $tool run $i once"; run_once "$tool" "$i"; } || { ok=0; break; }
  done
  echo
  if [ $ok = 1 ]; then ran+=("$tool"); else note "SKIP $tool: timed run $i failed"; fi
done
[ ${#ran[@]} -gt 0 ] || die "every tool failed"

# --- summary ----------------------------------------------------------------------------------
python3 - "$TMP" "$TREE_BYTES" "${ran[@]}" <<'PY'
import json, os, statistics, sys
tmp, tree_bytes, tools = sys.argv[1], int(sys.argv[2]), sys.argv[3:]

def findings(tool):
    try:
        if tool == "rg":  # lines "path:count"; total matching lines
            with open(os.path.join(tmp, "rg.out"), errors="replace") as f:
                return sum(int(l.rsplit(":", 1)[1]) for l in f if ":" in l)
        path = os.path.join(tmp, {"keyhound": "kh.json", "kingfisher": "kf.json", "gitleaks": "gl.json"}[tool])
        with open(path) as f:
            data = json.load(f)
        if isinstance(data, dict):
            data = data.get("findings", [])
        return len(data)
    except Exception as e:  # report but do not fail the benchmark
        return f"n/a ({type(e).__name__})"

rows = {}
for t in tools:
    secs, kib = [], []
    with open(os.path.join(tmp, f"times.{t}")) as f:
        for line in f:
            _, s, k = line.split()
            secs.append(float(s)); kib.append(int(k))
    rows[t] = dict(med=statistics.median(secs), lo=min(secs), hi=max(secs),
                   rss=statistics.median(kib) / 1024, n=len(secs), found=findings(t))

base = rows.get("keyhound")
hdr = f"{'tool':<11} {'median s':>9} {'min s':>8} {'max s':>8} {'RSS MiB':>9} {'MB/s':>8} {'t/kh':>7} {'RSS/kh':>7}  findings"
print(); print(hdr); print("-" * len(hdr))
for t, r in rows.items():
    mbs = tree_bytes / 1e6 / r["med"] if r["med"] > 0 else float("inf")
    ratio = f"{r['med'] / base['med']:.2f}x" if base and base["med"] > 0 else "-"
    rratio = f"{r['rss'] / base['rss']:.2f}x" if base and base["rss"] > 0 else "-"
    print(f"{t:<11} {r['med']:>9.2f} {r['lo']:>8.2f} {r['hi']:>8.2f} {r['rss']:>9.1f} {mbs:>8.1f} {ratio:>7} {rratio:>7}  {r['found']}")
print()
print("t/kh = tool median / keyhound median (>1 means keyhound is faster); RSS/kh likewise for peak RSS.")
print("findings: keyhound/kingfisher = len(findings), gitleaks = len(array), rg = matching lines of 'AKIA'.")
PY
