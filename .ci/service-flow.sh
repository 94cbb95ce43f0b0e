#!/bin/sh
# zego-mock as a CI job uses it: a background service on a free port, logging to a file, waited
# on through GET /_mock/health; the conformance CLI against it twice in a row (the first run must
# leave it usable); a curl-only flow with HTTP expectations; and the request log line of a
# refused request; and a backend that hard-codes https://rtc-api.zego.im, pointed at the mock by
# `eval "$(zego-mock env)"` alone. Only POSIX sh, curl and the two binaries.
#
# SERVICE_FLOW_PROFILE=debug uses the debug binaries (already built by `cargo test`) instead of
# building release ones.
set -eu
cd "$(dirname "$0")/.."

profile=${SERVICE_FLOW_PROFILE:-release}
case "$profile" in
release) cargo build --release --quiet -p zego-mock -p zego-conformance ;;
debug) cargo build --quiet -p zego-mock -p zego-conformance ;;
*)
    echo "SERVICE_FLOW_PROFILE must be release or debug" >&2
    exit 2
    ;;
esac
bin="target/$profile"

work=$(mktemp -d)
log="$work/zego-mock.log"
pid=
cleanup() {
    status=$?
    if [ -n "$pid" ]; then
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    fi
    rm -rf "$work"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

fail() {
    echo "service-flow: $*" >&2
    echo "--- zego-mock log (last 20 lines) ---" >&2
    tail -n 20 "$log" >&2 || true
    exit 1
}

# 1. The service: a free port (printed on stdout's first line), the request log to a file.
# Its CA goes to the work directory, not the CI user's data directory.
export ZEGO_MOCK_DATA_DIR="$work/data"
"$bin/zego-mock" --bind 127.0.0.1:0 --quiet --log-level info >"$work/stdout" 2>"$log" &
pid=$!
addr=
tries=0
while [ -z "$addr" ]; do
    tries=$((tries + 1))
    [ "$tries" -le 100 ] || fail "no listening address after 100 polls"
    kill -0 "$pid" 2>/dev/null || fail "zego-mock exited at start"
    addr=$(sed -n 's#^zego-mock listening on http://##p' "$work/stdout" | head -n 1)
    [ -n "$addr" ] || sleep 0.1
done
base="http://$addr"

# 2. Wait on the health endpoint, as a service container's health check would.
tries=0
until curl -fsS --max-time 2 "$base/_mock/health" >"$work/health.json" 2>/dev/null; do
    tries=$((tries + 1))
    [ "$tries" -le 50 ] || fail "GET /_mock/health never answered 200"
    sleep 0.1
done
echo "service-flow: zego-mock up at $base: $(cat "$work/health.json")"

# 3. The conformance CLI, twice in a row: both must pass.
export ZEGO_SERVER_SECRET=0123456789abcdef0123456789abcdef
for run in 1 2; do
    "$bin/zego-conformance" --target "$base" --app-id 1234567890 >"$work/conformance.txt" 2>&1 ||
        {
            tail -n 30 "$work/conformance.txt" >&2
            fail "conformance run $run failed"
        }
    echo "service-flow: conformance run $run: $(tail -n 1 "$work/conformance.txt")"
done

# 4. Expectations over HTTP, with calls signed by `zego-mock sign` (on today's clock: the
#    conformance runs must have given the clock back).
sign() {
    "$bin/zego-mock" sign --base-url "$base" "$@"
}
post_json() {
    curl -fsS -X POST -H 'Content-Type: application/json' -d "$2" "$base$1"
}
post_json /_mock/expectations '{"action":"DescribeUserNum","code":0,"times":2}' >/dev/null
for n in 1 2; do
    answer=$(curl -gfsS "$(sign --action DescribeUserNum 'RoomId[]=ci-room')")
    case "$answer" in
    *'"Code":0,'*) ;;
    *) fail "DescribeUserNum call $n answered $answer" ;;
    esac
done
status=$(curl -sS -o "$work/verify.json" -w '%{http_code}' "$base/_mock/expectations/verify")
[ "$status" = 200 ] || fail "verify answered $status: $(cat "$work/verify.json")"
echo "service-flow: expectation met: $(cat "$work/verify.json")"

post_json /_mock/expectations '{"action":"ResumeCDNLiveStream","at_least":1}' >/dev/null
status=$(curl -sS -o "$work/verify.json" -w '%{http_code}' "$base/_mock/expectations/verify")
[ "$status" = 409 ] || fail "an unmet expectation answered $status, not 409"
echo "service-flow: unmet expectation answers 409: $(cat "$work/verify.json")"
curl -fsS -X DELETE "$base/_mock/expectations" >/dev/null

# 5. A refused request (signed with the wrong secret), and its line in the request log.
answer=$(curl -gfsS "$(sign --secret ffffffffffffffffffffffffffffffff --action DescribeUserNum 'RoomId[]=ci-room')")
case "$answer" in
*'"Code":100000005,'*) ;;
*) fail "a wrong signature answered $answer" ;;
esac
line=
tries=0
while [ -z "$line" ]; do
    tries=$((tries + 1))
    [ "$tries" -le 50 ] || fail "no log line for the refused request"
    line=$(grep 'refused' "$log" | grep 'check="signature"' | tail -n 1 || true)
    [ -n "$line" ] || sleep 0.1
done
echo "service-flow: the refused request in the log:"
echo "  $line"

# 6. The proxy: what `zego-mock env` exports makes curl's https://rtc-api.zego.im reach the mock
#    (curl hands the host name to the proxy: nothing is resolved or sent outside), and another
#    host is refused.
answer=$(
    eval "$("$bin/zego-mock" env --bind "$addr")"
    curl -q -gfsS "$("$bin/zego-mock" sign --base-url https://rtc-api.zego.im --action DescribeUserNum 'RoomId[]=ci-proxy')"
) || fail "the call through the proxy failed"
case "$answer" in
*'"Code":0,'*) ;;
*) fail "DescribeUserNum through the proxy answered $answer" ;;
esac
curl -fsS "$base/_mock/journal?host=rtc-api.zego.im" | grep -q '"RoomId\[\]","ci-proxy"' ||
    fail "the journal does not show the request sent to rtc-api.zego.im"
echo "service-flow: https://rtc-api.zego.im through the proxy: $answer"
if curl -q -sS --proxy "$base" https://example.com/ >/dev/null 2>"$work/refused.txt"; then
    fail "the proxy did not refuse example.com"
fi
echo "service-flow: another host refused: $(cat "$work/refused.txt")"
echo "service-flow: ok"
