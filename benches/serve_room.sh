#!/usr/bin/env bash
# A room behind one address (issue 24, point 6): 40 people, each with a key of their own, open
# the editor with the real `ssh -tt` from 127.0.0.1, started STAGGER seconds apart, and hold
# their sessions; prints how many screens show their own name, and what the others were told.
#
# Usage: benches/serve_room.sh [PORT=2297] [STAGGER=0.05]   (BIN=target/debug/microcred)
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-target/debug/microcred}
PORT=${1:-2297}
STAGGER=${2:-0.05}
root=$(pwd)
work=$(mktemp -d /tmp/microcred-room.XXXXXX)
trap 'rm -rf "$work"' EXIT
cd "$work"
mkdir keys out
echo "people:" > people.yaml
for i in $(seq -w 0 39); do
  ssh-keygen -q -t ed25519 -N "" -f keys/k$i
  printf -- '- name: Person %s\n  role: designer\n  keys: ["%s"]\n' "$i" "$(cat keys/k$i.pub)" >> people.yaml
done
cp "$root/examples/retail-data-analyst.yaml" ws.yaml
"$root/$BIN" serve ws.yaml --people people.yaml --listen 127.0.0.1:$PORT --host-key hostkey 2> out/server.log &
srv=$!
for _ in $(seq 100); do grep -q fingerprint out/server.log 2>/dev/null && break; sleep 0.1; done
clients=()
for i in $(seq -w 0 39); do
  ( sleep 60 | ssh -tt -i keys/k$i -p $PORT -o StrictHostKeyChecking=no \
      -o UserKnownHostsFile=/dev/null x@127.0.0.1 > out/c$i.out 2> out/c$i.err ) &
  clients+=($!)
  sleep "$STAGGER"
done
for _ in $(seq 300); do
  ok=0
  for i in $(seq -w 0 39); do grep -aq "Person $i" out/c$i.out && ok=$((ok + 1)); done
  [ "$ok" = 40 ] && break
  sleep 0.1
done
echo "editors showing their own name: $ok of 40"
for i in $(seq -w 0 39); do
  grep -aq "Person $i" out/c$i.out || echo "  c$i: $(tr -d '\r' < out/c$i.err | grep -v 'Permanently added' | head -n 1)"
done
kill -TERM $srv; wait $srv 2>/dev/null
for p in "${clients[@]}"; do kill "$p" 2>/dev/null; done
wait 2>/dev/null
grep -v "connected\|fingerprint\|keys);" out/server.log | tail -n 3
