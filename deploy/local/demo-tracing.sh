# Sourced by deploy/local/demo: tracing in `make demo`. Every app exports spans to the demo's Zipkin
# (TRACING_* in the environment, so config/ stays as users ship it: tracing off); the example servers
# publish a greeting on each Example/Call to the `greetings` queue, which a third server, `greeter`,
# consumes. One CLI call then makes a trace that crosses processes and the queue:
# meshplay-cli -> example -> greetings (Azure queue) -> greeter. Failures go to the demo's $failures.

ZIPKIN_PORT="${MESHPLAY_DEMO_ZIPKIN_PORT:-9411}"
TRACING_QUEUE=greetings

tracing_env() { # what every app the demo starts reads: tracing on, to the demo's Zipkin
  export TRACING_ENABLED=true TRACING_ENDPOINT="http://127.0.0.1:$ZIPKIN_PORT/api/v2/spans"
  unset TRACING_SAMPLER TRACING_DASH_SERVICE_DASH_NAME
}

tracing_start_zipkin() {
  meshplay_log "starting Zipkin (traces, in memory) on 127.0.0.1:$ZIPKIN_PORT"
  spawn infra zipkin env ZIPKIN_PORT="$ZIPKIN_PORT" "$local_dir/zipkin" >"$logs/zipkin.log" 2>&1
  zipkin_pid=$spawned
  wait_for 60 zipkin eval 'tracing_get /health >/dev/null' \
    || { alive_or_fail "$zipkin_pid" zipkin "$logs/zipkin.log"; fail "Zipkin was not healthy within 60 s; see $logs/zipkin.log"; }
}

tracing_get() { # $1 path: the body of a 200 answer from Zipkin (HTTP/1.1, read to the close; bash only)
  (
    exec 2>/dev/null
    exec 3<>"/dev/tcp/127.0.0.1/$ZIPKIN_PORT" || exit 1
    printf 'GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' "$1" >&3
    local response
    response=$(timeout 5 cat <&3) || exit 1
    [[ "$response" == "HTTP/1.1 200"* ]] || exit 1
    printf '%s' "${response#*$'\r\n\r\n'}"
  )
}

tracing_trace_complete() { # $1 trace id: Zipkin holds spans of the CLI, example and greeter for it
  local body
  body=$(tracing_get "/api/v2/trace/$1") || return 1
  [[ "$body" == *'"serviceName":"meshplay-cli"'* && "$body" == *'"serviceName":"example"'* \
    && "$body" == *'"serviceName":"greeter"'* && "$body" == *"process $TRACING_QUEUE"* ]]
}

tracing_walkthrough() {
  meshplay_log "a traced call: deploy/local/meshplay call example Example/Call '{\"name\":\"tracing\"}' --verbose"
  cli_command call example Example/Call '{"name":"tracing"}' --verbose "${client_tls[@]}"
  if ! run_step cli-traced-call "${app_cmd[@]}" >"$logs/cli-traced-call.log" 2>&1; then
    failures+=("the traced call failed; see $logs/cli-traced-call.log")
    return 0
  fi
  # --verbose: "meshplay: trace <id> (<Zipkin URL>)" on stderr
  demo_trace_id=$(sed -n 's/^meshplay: trace \([0-9a-f]\{32\}\).*/\1/p' "$logs/cli-traced-call.log" | head -n 1)
  if [ -z "$demo_trace_id" ]; then
    failures+=("the CLI printed no trace id with --verbose; see $logs/cli-traced-call.log")
    return 0
  fi
  if ! wait_for 30 "trace $demo_trace_id in Zipkin" tracing_trace_complete "$demo_trace_id"; then
    failures+=("Zipkin did not show trace $demo_trace_id from meshplay-cli, example and greeter within 30 s; see $logs/server-*.log")
    return 0
  fi
  echo "traced call: meshplay-cli -> example -> queue $TRACING_QUEUE -> greeter, one trace:"
  echo "  trace $demo_trace_id   http://127.0.0.1:$ZIPKIN_PORT/zipkin/traces/$demo_trace_id"
  echo "  greeter: $(grep -m1 -o "received on $TRACING_QUEUE .*trace_id=$demo_trace_id.*" "$logs/server-greeter.log" || true)"
  echo
}

tracing_howto() {
  echo "  Zipkin       http://127.0.0.1:$ZIPKIN_PORT/zipkin   (Run Query; or the trace above: client, server, queue, consumer)"
}
