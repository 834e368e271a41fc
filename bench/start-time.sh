#!/usr/bin/env bash
# Start-up times, measured the way a user waits for them (docs/benchmarks/2026-12-02-startup.md).
#   bench/start-time.sh up [RUNS]
#       ./calciscreen up in a fresh data directory (embedded H2): one first start, stopped, then RUNS second starts
#       (data kept), each stopped again: seconds to "calciscreen is up" and to the server's answer, then the median.
#   bench/start-time.sh fhir [RUNS] -- COMMAND...   (COMMAND runs in a scratch directory: absolute paths)
#       a FHIR server started by COMMAND (any Spring Boot server that reads SERVER_PORT and SPRING_DATASOURCE_*: ours,
#       or the stock HAPI JPA starter), RUNS times, each on a fresh PostgreSQL database at 127.0.0.1:5432 (dropped
#       after): seconds from launch to the first 200 of /fhir/metadata, then the median.
# RUNS defaults to 3. On a shared machine, under the CPU lock: flock /tmp/calciscreen-heavy.lock bench/start-time.sh up
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LAUNCHER="${CALCISCREEN_LAUNCHER:-$ROOT/calciscreen}"  # another checkout's launcher, to compare
PORT="${CALCISCREEN_START_TIME_PORT:-18480}"
PG_USER="${CALCISCREEN_TEST_PG_USER:-postgres}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/calciscreen-start-time.XXXXXX")"
# the services' logs of the last run are kept under target/start-time/
trap 'rm -rf "$ROOT/target/start-time"; mkdir -p "$ROOT/target"; mv "$WORK/logs" "$ROOT/target/start-time" 2>/dev/null || true; rm -rf "$WORK"' EXIT

now() { date +%s.%N; }
seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f\n", b - a }'; }
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

# One ./calciscreen up, stopped as Ctrl-C stops it; prints the seconds from the command to "calciscreen is up", and
# the server's part as the launcher reported it (whole seconds), and the seconds the stop took.
up_once() {
  local log="$WORK/up.log" pid started
  started=$(now)
  mkdir -p "$WORK/logs"
  CALCISCREEN_DATA_DIR="$WORK/data" CALCISCREEN_FHIR_PORT="$PORT" CALCISCREEN_SCREENING_PORT=$((PORT + 1)) \
    CALCISCREEN_HL7V2_HTTP_PORT=$((PORT + 2)) CALCISCREEN_HL7V2_MLLP_PORT=$((PORT + 3)) \
    "$LAUNCHER" up >"$log" 2>&1 &
  pid=$!
  until grep -q 'calciscreen is up' "$log"; do
    kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; echo "start-time: ./calciscreen up stopped" >&2; exit 1; }
    sleep 0.2
  done
  local up
  up="$(seconds "$started" "$(now)") $(sed -n 's/fhir-server answered after \([0-9]*\) s/\1/p' "$log")"
  started=$(now)
  kill -TERM "$pid"
  wait "$pid" || true
  rm -rf "$WORK/logs"; cp -r "$WORK/data/logs" "$WORK/logs"; cp "$log" "$WORK/logs/"
  echo "$up $(seconds "$started" "$(now)")"
}

up_runs() {
  local runs=$1 i result
  echo "first start (fresh data dir; on Java 25 the services record their class caches): $(up_once | awk '{ print $1 " s, server " $2 " s, stop " $3 " s" }')"
  : >"$WORK/up.times"
  for i in $(seq "$runs"); do
    result=$(up_once)
    echo "second start $i: $(cut -d' ' -f1 <<<"$result") s (server $(cut -d' ' -f2 <<<"$result") s, stop $(cut -d' ' -f3 <<<"$result") s)"
    echo "$result" >>"$WORK/up.times"
  done
  echo "median of $runs second starts: $(cut -d' ' -f1 "$WORK/up.times" | median) s (server $(cut -d' ' -f2 "$WORK/up.times" | median) s)"
}

fhir_runs() {
  local runs=$1 i db started pid waited
  shift
  : >"$WORK/fhir.times"
  mkdir -p "$WORK/logs"
  for i in $(seq "$runs"); do
    db="start_time_$$_$i"
    psql -h 127.0.0.1 -U "$PG_USER" -qc "create database $db" postgres
    started=$(now)
    (cd "$WORK" && SERVER_PORT="$PORT" SPRING_DATASOURCE_URL="jdbc:postgresql://127.0.0.1:5432/$db" \
      SPRING_DATASOURCE_USERNAME="$PG_USER" SPRING_DATASOURCE_PASSWORD="${CALCISCREEN_TEST_PG_PASSWORD:-}" \
      SPRING_DATASOURCE_DRIVER_CLASS_NAME=org.postgresql.Driver CALCISCREEN_AUTH_KEY_DIR="$WORK/auth" \
      exec "$@" >"$WORK/logs/fhir-$i.log" 2>&1) &
    pid=$!
    waited=0
    until curl -fs -o /dev/null "http://localhost:$PORT/fhir/metadata"; do
      kill -0 "$pid" 2>/dev/null || { tail -n 30 "$WORK/logs/fhir-$i.log" >&2; echo "start-time: the server stopped" >&2; exit 1; }
      [ $waited -lt 3000 ] || { echo "start-time: no answer within 300 s" >&2; kill "$pid"; exit 1; }
      sleep 0.1; waited=$((waited + 1))
    done
    seconds "$started" "$(now)" | tee -a "$WORK/fhir.times" | sed "s/^/start $i: /; s/$/ s/"
    kill -TERM "$pid"
    wait "$pid" || true
    psql -h 127.0.0.1 -U "$PG_USER" -qc "drop database $db" postgres
  done
  echo "median of $runs starts: $(median <"$WORK/fhir.times") s"
}

mode="${1:-}"; [ $# -gt 0 ] && shift
runs=3
if [ $# -gt 0 ] && [ "$1" != "--" ]; then runs=$1; shift; fi
case "$mode" in
  up) up_runs "$runs" ;;
  fhir)
    [ "${1:-}" = "--" ] && shift
    [ $# -gt 0 ] || { echo "usage: bench/start-time.sh fhir [RUNS] -- COMMAND..." >&2; exit 2; }
    fhir_runs "$runs" "$@" ;;
  *) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0" >&2; exit 2 ;;
esac
