#!/usr/bin/env bash
# Whole-process comparison of `triple-guard run` with `triple-guard check` on a large file: the
# bundled schema.org data 120 times with varied subject IRIs (about 300 MB, 2,167,320 triples).
# Wall time, CPU time and peak resident set come from /usr/bin/time; the bytes `run` allocates
# come from its GC log (every byte the heap grew by between collections, plus what was in use at
# exit). Needs the triple-guard jar (mvn -B -q install -pl examples/triple-guard -am -DskipTests)
# and GNU time. Usage: large-run.sh [RUNS] [WORKDIR]
set -euo pipefail
cd "$(dirname "$0")/../../.."
RUNS=${1:-3}
WORK=${2:-${TMPDIR:-/tmp}/hotpool-large-run}
JAR=examples/triple-guard/target/triple-guard.jar
DATA=examples/sample-data/src/main/resources/io/github/hotpool/data/schemaorg-30.0-all-https.nt
[ -f "$JAR" ] || { echo "large-run.sh: $JAR missing: build it first" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "large-run.sh: needs GNU time at /usr/bin/time (Debian package time)" >&2; exit 2; }
mkdir -p "$WORK"
FILE="$WORK/big120.nt"
if [ ! -f "$FILE" ]; then
  for i in $(seq 120); do sed "s#<https://schema.org/#<https://schema.org/c$i/#g" "$DATA"; done > "$FILE"
fi
echo "# $(java -version 2>&1 | head -1); $(nproc) cores; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# file: $(wc -c < "$FILE") bytes"
for r in $(seq "$RUNS"); do
  /usr/bin/time -f "check wall=%e s cpu=%U+%S s rss=%M KB" java -jar "$JAR" check "$FILE" > /dev/null 2> "$WORK/check.err" || true
  tail -1 "$WORK/check.err"
  rm -rf "$WORK/out"
  /usr/bin/time -f "run   wall=%e s cpu=%U+%S s rss=%M KB" java -Xlog:gc,gc+heap+exit:file="$WORK/gc.log" \
    -jar "$JAR" run "$FILE" --out "$WORK/out" --progress never > "$WORK/run.out" 2> "$WORK/run.err"
  tail -1 "$WORK/run.err"
  python3 - "$WORK/gc.log" "$(sed -n 's/.*triples=\([0-9]*\).*/\1/p' "$WORK/run.out")" <<'PY'
import re, sys
txt = open(sys.argv[1]).read()
pairs = [(int(a), int(b)) for a, b in re.findall(r'Pause \w+ .*?(\d+)M->(\d+)M\(', txt)]
m = re.search(r'garbage-first heap\s+total \d+K, used (\d+)K', txt)
used_exit = int(m.group(1)) / 1024 if m else 0
prev = total = 0
for before, after in pairs:
    total += before - prev
    prev = after
total += used_exit - prev
print(f"run   allocated={total:.0f} MiB ({total * 1048576 / int(sys.argv[2]):.1f} B/triple), {len(pairs)} collections")
PY
  head -c 300 "$WORK/run.out"
done
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
