#!/usr/bin/env bash
# Reply worker throughput: N new visitors' messages are posted through `start:api` (no worker
# running), then a fresh `start:worker` alone answers them against the loopback YandexGPT fake.
# Prints the wall time to drain (worker start-up included) and the worker's CPU time.
#
#   npm run bench:drain [-- N]        (default 4000; needs PostgreSQL and Redis on 127.0.0.1)
# Env: BENCH_PG_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres), BENCH_REDIS_URL.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-4000}
ADMIN=${BENCH_PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}
REDIS=${BENCH_REDIS_URL:-redis://127.0.0.1:6379}
DB=supportbot_drain_$$
PREFIX=supportbot-drain-$$
OUT=$(mktemp -d)
PORT=$(node -e "const s=require('net').createServer().listen(0,()=>{console.log(s.address().port);s.close()})")
node scripts/build.mjs --if-stale > /dev/null
psql -q "$ADMIN" -c "create database $DB"
cleanup() {
  pkill -P $$ 2>/dev/null || true
  exec 3>&- 2>/dev/null || true
  [ -n "${FAKE_PID:-}" ] && wait "$FAKE_PID" 2>/dev/null || true
  psql -q "$ADMIN" -c "drop database if exists $DB" || true
  redis-cli -u "$REDIS" --scan --pattern "$PREFIX*" | xargs -r -n 1000 redis-cli -u "$REDIS" del > /dev/null || true
  rm -rf "$OUT"
}
trap cleanup EXIT
# The fake stops when its stdin closes: its stdin is a FIFO this script holds open (fd 3).
mkfifo "$OUT/hold"
node_modules/.bin/tsx bench/fake-llm.ts < "$OUT/hold" > "$OUT/fake.txt" 2>&1 &
FAKE_PID=$!
exec 3> "$OUT/hold"
for _ in $(seq 1 100); do grep -q FAKE_URL "$OUT/fake.txt" 2>/dev/null && break; sleep 0.2; done
export DATABASE_URL="${ADMIN%/*}/$DB" REDIS_URL="$REDIS" BULLMQ_PREFIX="$PREFIX" PORT HOST=127.0.0.1 LOG_LEVEL=warn \
  DATA_DIR="$OUT/data" YANDEX_API_KEY=bench YANDEX_FOLDER_ID=bench YANDEX_GPT_BASE_URL="$(awk '/FAKE_URL/ {print $2}' "$OUT/fake.txt")" \
  RATE_LIMIT_MESSAGES_PER_MINUTE=1000000000 RATE_LIMIT_ADDRESS_PER_MINUTE=1000000000 RATE_LIMIT_ADDRESS_MESSAGES_PER_MINUTE=1000000000
node dist/src/entry/api.js > "$OUT/api.txt" 2>&1 &
API_PID=$!
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$PORT/readyz" > /dev/null && break; sleep 0.5; done
node -e "
const n = $N, url = 'http://127.0.0.1:$PORT/api/v1/gpt'; let next = 0; const t = Date.now();
async function one(i) {
  const r = await fetch(url, { method: 'POST', headers: { 'chat-token': 'drain-visitor-' + String(i).padStart(10, '0'), 'content-type': 'application/json' }, body: JSON.stringify({ message: 'Здравствуйте, есть ли у вас пленка оракал?' }) });
  if (r.status !== 201) throw new Error('POST answered ' + r.status);
}
Promise.all(Array.from({ length: 32 }, async () => { while (next < n) await one(next++); })).then(() => console.log('posted', n, 'messages in', Date.now() - t, 'ms'));
"
kill -TERM $API_PID; wait $API_PID || true
START=$(date +%s%N)
node dist/src/entry/worker.js > "$OUT/worker.txt" 2>&1 &
WORKER_PID=$!
until [ "$(psql -tA "${ADMIN%/*}/$DB" -c "select count(*) from message where author <> 'CUSTOMER'")" -ge "$N" ]; do
  kill -0 $WORKER_PID 2>/dev/null || { echo "the worker exited:"; cat "$OUT/worker.txt"; exit 1; }
  sleep 0.2
done
END=$(date +%s%N)
CPU=$(awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / hz}' /proc/$WORKER_PID/stat)
echo "REPLY_DRAIN {\"messages\":$N,\"wall_ms\":$(( (END - START) / 1000000 )),\"worker_cpu_s\":$CPU,\"worker_rss_kb\":$(ps -o rss= -p $WORKER_PID | tr -d ' ')}"
kill -TERM $WORKER_PID; wait $WORKER_PID || true
