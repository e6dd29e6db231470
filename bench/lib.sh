# Shared by the benchmark scripts: start the packaged service, wait for it, set it up, read its heap.
# Every server binds 127.0.0.1; keys are fixed so the load generators can send them.

ADMIN_KEY=ak_bench-admin-key-0001
WRITE_KEY=wk_bench-write-key-0001

# class_archive: the class-data archive the image starts with (`class-archive`), made again when the jar
# is newer than it. A JVM ignores an archive of another jar or JVM (and starts a little slower than
# with none), so after switching JAVA, remove target/conversion-rules.jsa. CLASS_ARCHIVE=none: no archive.
class_archive() {
  [ "${CLASS_ARCHIVE:-}" = none ] && return
  if [ ! -f target/conversion-rules.jsa ] || [ target/conversion-rules.jar -nt target/conversion-rules.jsa ]; then
    ${JAVA:-java} -jar target/conversion-rules.jar class-archive >&2
  fi
  echo "-XX:SharedArchiveFile=target/conversion-rules.jsa"
}

# start_service PORT DATA_DIR LOG [extra env assignments...]: sets SERVICE (pid) and BASE. The service
# runs as the image runs it (jvm.options and the class-data archive), plus SERVICE_OPTS (default -Xmx4g)
# and JAVA (default java).
start_service() {
  local port=$1 data=$2 log=$3 archive
  shift 3
  archive=$(class_archive)
  env HOST=127.0.0.1 PORT="$port" DATA_DIR="$data" LOG_LEVEL=WARN ADMIN_KEYS=$ADMIN_KEY WRITE_KEYS=$WRITE_KEY "$@" \
    ${JAVA:-java} ${SERVICE_OPTS:--Xmx4g} @jvm.options $archive -jar target/conversion-rules.jar >> "$log" 2>&1 &
  SERVICE=$!
  BASE="http://127.0.0.1:$port"
  until curl -fs --max-time 2 "$BASE/health/ready" >/dev/null 2>&1; do
    kill -0 "$SERVICE" 2>/dev/null || { echo "the service died; see $log" >&2; exit 1; }
    sleep 0.05
  done
}

# admin METHOD PATH [curl args...]
admin() {
  local method=$1 path=$2
  shift 2
  curl -fs -X "$method" "$BASE$path" -H "authorization: Bearer $ADMIN_KEY" "$@" >/dev/null
}

# live_campaign ID CONVERSION_EVENT
live_campaign() {
  admin POST /v1/campaigns -H 'content-type: application/json' \
    -d "{\"id\":\"$1\",\"name\":\"$1\",\"type\":\"multi_touch\",\"conversionEvent\":\"$2\"}"
  admin POST "/v1/campaigns/$1/launch"
}

# enroll_file CAMPAIGN NDJSON_FILE: one streaming request
enroll_file() {
  admin POST "/v1/campaigns/$1/enrollments" -H 'content-type: application/x-ndjson' --data-binary @"$2"
}

# heap_mb: heap used after a full GC, in MB
heap_mb() {
  jcmd "$SERVICE" GC.run >/dev/null; sleep 1
  jcmd "$SERVICE" GC.heap_info | awk '/used/ { for (i = 1; i <= NF; i++) if ($i == "used") { sub("K,?", "", $(i+1)); printf "%.1f", $(i+1) / 1024; exit } }'
}

# fifty_campaigns USERS WORK_DIR: 50 live campaigns, ten per shipped conversion event, with users
# u1..uUSERS spread over them (user u in campaign c(u % 50)), enrolled by one NDJSON request each.
fifty_campaigns() {
  local users=$1 work=$2 events=(placed_order site_active opened_email clicked_email clicked_sms)
  for i in $(seq 0 49); do
    live_campaign "c$i" "${events[$((i % 5))]}"
    awk -v n="$users" -v c="$i" 'BEGIN { for (u = 1; u <= n; u++) if (u % 50 == c) printf "{\"userId\":\"u%d\",\"enrolledAt\":\"2026-01-01T00:00:00Z\"}\n", u }' \
      > "$work/c$i.ndjson"
    enroll_file "c$i" "$work/c$i.ndjson"
  done
}

# stop_service [PID...]: for EXIT traps; never fails, so a killed service's status does not become the script's.
stop_service() {
  kill "$@" 2>/dev/null || true
  wait "$@" 2>/dev/null || true
}

# thread_cpu PID > FILE: each thread's CPU ticks so far (user+system), by thread id, for thread_cores.
# The fields are counted after the name's closing parenthesis: a name may hold spaces ("C2 CompilerThre").
thread_cpu() {
  for t in /proc/"$1"/task/*; do
    # A thread may end between listing and reading: its line is then left out.
    { echo "$(basename "$t") $(sed 's/^.*) //' "$t/stat" | awk '{ print $12 + $13 }') $(tr ' ' _ < "$t/comm")"; } \
      2>/dev/null || true
  done | sort
}

# idle_ticks: the machine's idle and I/O-wait ticks so far, all cores, for idle_cores.
idle_ticks() {
  awk '/^cpu / { print $5 + $6 }' /proc/stat
}

# idle_cores BEFORE AFTER SECONDS: the cores no process used between two idle_ticks readings.
idle_cores() {
  awk -v a="$1" -v b="$2" -v d="$3" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f", (b - a) / hz / d }'
}

# thread_cores BEFORE AFTER SECONDS [REQUESTS_PER_S]: the cores each thread used between two thread_cpu
# snapshots, threads of the same name added up (shard-0, shard-1, ... stay apart), busiest first; with
# the run's request rate, the microseconds of CPU a request too.
thread_cores() {
  join "$1" "$2" | awk -v d="$3" -v hz="$(getconf CLK_TCK)" '
      { cores[$3] += ($4 - $2) / hz / d; total += ($4 - $2) / hz / d }
      END { printf "TOTAL %.2f\n", total; for (name in cores) if (cores[name] >= 0.02) printf "%s %.2f\n", name, cores[name] }' \
    | sort -k2 -rn | awk -v rate="${4:-0}" '
      function per(cores) { return rate > 0 ? sprintf(" (%.1f us)", cores * 1e6 / rate) : "" }
      { line = line (NR == 1 ? "  service CPU, cores" (rate > 0 ? " (us a request)" : "") ": total " $2 per($2) ";" \
                             : " " $1 " " $2 per($2)) }
      END { print line }'
}
