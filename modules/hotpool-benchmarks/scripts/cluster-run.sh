#!/usr/bin/env bash
# Two-node against single-node throughput of triple-guard on this machine, with bytes per triple
# on the wire. Runs every process inside a fresh network namespace (unshare -n, loopback only), so
# the loopback interface's byte counters hold this benchmark's traffic and nothing else's.
#
#   modules/hotpool-benchmarks/scripts/cluster-run.sh [COPIES]      (root; needs unshare and ip; default COPIES=10)
#
# Input: the bundled schema.org file COPIES times with varied subject IRIs (as docs/benchmarks.md's
# large-file runs). Each configuration runs once, in this order, one after another:
#   single   run FILE                                   (ring pipeline, one JVM)
#   handles  run FILE --engine handles                  (handle pipeline, one JVM)
#   remote   node --stages transform,load,reflex,emit + run FILE --cluster
#   split    2 x node --stages transform,load,reflex   + run FILE --cluster (emit in the run's JVM)
# and prints each summary line, the wall time of the run command, and the loopback bytes the run
# moved (each packet once, either direction, TCP/IP headers included) minus those of the same configuration over a
# 1-line file (Hazelcast join, directory, placement): the marginal bytes per triple.
set -euo pipefail
cd "$(dirname "$0")/../../.."
COPIES=${1:-10}
JAR=examples/triple-guard/target/triple-guard.jar
SRC=examples/sample-data/src/main/resources/io/github/hotpool/data/schemaorg-30.0-all-https.nt
[ -f "$JAR" ] || { echo "build first: mvn -B -q install -pl examples/triple-guard -am -DskipTests" >&2; exit 2; }
if [ "${INSIDE_NETNS:-}" != 1 ]; then
  exec unshare -n env INSIDE_NETNS=1 bash "$0" "$@"
fi
ip link set lo up
WORK=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT
FILE=$WORK/in.nt
for i in $(seq "$COPIES"); do sed "s#<https://schema.org/#<https://schema.org/c$i/#g" "$SRC"; done > "$FILE"
head -1 "$SRC" > "$WORK/one.nt"
JAVA="java -Xmx1g"
lo_bytes() { awk '$1 == "lo:" { print $10 }' /proc/net/dev; } # transmitted: a loopback packet is also received, count it once

start_node() { # STAGES OUT|-, prints the pid once the node is ready
  local log=$WORK/node-$RANDOM.log out=()
  [ "$2" != - ] && out=(--out "$2")
  $JAVA -jar "$JAR" node --stages "$1" "${out[@]}" > "$log" 2>&1 &
  local pid=$!
  for _ in $(seq 120); do grep -q " ready: " "$log" && { echo $pid; return; }; sleep 0.5; done
  echo "node did not start: $(cat "$log")" >&2; exit 1
}

measure() { # NAME INPUT ARGS...: runs triple-guard run once, prints "NAME wall_ms bytes summary"
  local name=$1 input=$2; shift 2
  local before after t0 t1 line
  before=$(lo_bytes); t0=$(date +%s%N)
  # run prints "run: triples=..." and "chain: ... head=..." (maybe a "note:"), run --cluster one line with both
  line=$($JAVA -jar "$JAR" run "$input" --progress never --out "$WORK/out-$name-$RANDOM" "$@" 2>/dev/null \
    | grep -E 'triples=|head=' | tr '\n' ' ')
  t1=$(date +%s%N); after=$(lo_bytes)
  echo "$name $(( (t1 - t0) / 1000000 )) $(( after - before )) $line"
}

report() { # NAME BIG SMALL: prints the marginal bytes per triple
  local name=$1 big=$2 small=$3
  local tb ts bb bs
  tb=$(sed -n 's/.* triples=\([0-9]*\).*/\1/p' <<< "$big" | head -1); tb=${tb:-$(grep -o 'triples=[0-9]*' <<< "$big" | cut -d= -f2)}
  ts=$(grep -o 'triples=[0-9]*' <<< "$small" | cut -d= -f2)
  bb=$(cut -d' ' -f3 <<< "$big"); bs=$(cut -d' ' -f3 <<< "$small")
  echo "$big"
  echo "$small"
  if [ "$tb" -gt "$ts" ]; then
    echo "== $name: wall $(cut -d' ' -f2 <<< "$big") ms for $tb triples; loopback $(( bb - bs )) bytes beyond the 1-line run = $(awk "BEGIN { printf \"%.1f\", ($bb - $bs) / ($tb - $ts) }") B/triple"
  fi
}

echo "== load $(cut -d" " -f1-3 /proc/loadavg); $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2), $(java -version 2>&1 | head -1); input $COPIES copies: $(wc -l < "$FILE") lines, $(stat -c %s "$FILE") bytes"
report single "$(measure single "$FILE")" "$(measure single "$WORK/one.nt")"
report handles "$(measure handles "$FILE" --engine handles)" "$(measure handles "$WORK/one.nt" --engine handles)"

N1=$(start_node transform,load,reflex,emit "$WORK/node-out")
report remote "$(measure remote "$FILE" --cluster)" "$(measure remote-small "$WORK/one.nt" --cluster)"
kill "$N1"; wait "$N1" 2>/dev/null || true

A=$(start_node transform,load,reflex -); B=$(start_node transform,load,reflex -)
report split "$(measure split "$FILE" --cluster)" "$(measure split-small "$WORK/one.nt" --cluster)"
kill "$A" "$B"; wait 2>/dev/null || true
