#!/usr/bin/env bash
# interrupt-when-temp.sh DIR COMMAND...: runs COMMAND, sends it SIGTERM as
# soon as a temporary output (*.tmp-*) appears in DIR, waits for it and
# exits 0 if it was interrupted that way (1 if it finished first).
set -u
dir="$1"; shift
"$@" & pid=$!
for _ in $(seq 1 600); do
  if compgen -G "$dir/*.tmp-*" >/dev/null; then
    kill -TERM "$pid"
    wait "$pid"
    exit 0
  fi
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
wait "$pid"
echo "interrupt-when-temp: the command ended before writing a temporary" >&2
exit 1
