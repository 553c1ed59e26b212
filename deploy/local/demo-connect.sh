# Sourced by deploy/local/demo: what `make demo` shows of tls.mode=connect once its first round has passed.
# A plaintext call the permissive servers admit, then client-pingpong -> example denied with the CLI (the
# PERMISSION_DENIED its call gets, the servers' log and metric), the intention deleted and the recovery.
# Every JVM here starts through the demo's spawn/run_step, so Ctrl-C, SIGTERM and SIGHUP stop it like the
# rest; what goes wrong is added to the demo's $failures. Output: the demo's stdout; logs in $logs.

# The dev agent's datacenter (consul agent -dev without -datacenter): the UI's paths start with it.
CONNECT_UI_DC=dc1

connect_run() { # $1 name (its log: $logs/<name>.log), rest: command; returns the command's status
  local name="$1"
  shift
  run_step "$name" "$@" >"$logs/$name.log" 2>&1
}

connect_cli() { # $1 name of the log, rest: arguments of the meshplay CLI
  local name="$1"
  shift
  cli_command "$@"
  connect_run "$name" "${app_cmd[@]}"
}

connect_server_logs() { # the first match of the extended regex $1 in the servers' logs, up to " (Matched"/" (logged"
  cat "$logs"/server-[12].log | grep -E -m1 -o "$1" | sed 's/ (\(Matched\|logged\) .*//' || true
}

connect_denied_metric() { # the servers' grpc_server_denied_total samples, one per line
  local port
  for port in "${server_ports[@]}"; do
    connect_observe_get "$port" /observe/metrics | grep '^grpc_server_denied_total' || true
  done
}

connect_observe_get() { # $1 port, $2 path: the body of a server's observe endpoint
  # HTTP/1.1: Helidon closes HTTP/1.0 connections unanswered (the demo's http_get speaks 1.0 to Consul and
  # Prometheus), and keeps 1.1 ones open: the body is read by its Content-Length, not up to the close
  (
    exec 2>/dev/null
    exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
    printf 'GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' "$2" >&3
    local line length=0 status=""
    # bash reads a socket a byte at a time, so the body stays unread for head
    while IFS= read -r -t 5 line <&3; do
      line=${line%$'\r'}
      [ -n "$status" ] || status=$line
      [ -n "$line" ] || break
      case "${line,,}" in content-length:*) length=${line#*:} length=${length// /} ;; esac
    done
    [[ "$status" == "HTTP/1.1 200"* && "$length" =~ ^[0-9]+$ ]] || exit 1
    timeout 5 head -c "$length" <&3
  )
}

connect_plaintext_call() {
  meshplay_log "a plaintext call: deploy/local/meshplay call example Example/Call '{\"name\":\"plaintext\"}' --set tls.mode=off"
  if connect_cli cli-plaintext-call call example Example/Call '{"name":"plaintext"}' --set tls.mode=off; then
    echo "plaintext call (CLI with --set tls.mode=off): $(tr -s ' \n' ' ' <"$logs/cli-plaintext-call.log" | sed 's/ $//')"
    echo "  server: $(connect_server_logs 'plaintext call from .*')"
  else
    failures+=("a plaintext call failed although the servers are permissive; see $logs/cli-plaintext-call.log")
  fi
}

connect_denial() { # returns 1 when the intention could not be written
  meshplay_log "denying client-pingpong -> example: deploy/local/meshplay intentions deny client-pingpong example"
  if ! connect_cli cli-intentions-deny intentions deny client-pingpong example --description "make demo: the denial walkthrough"; then
    failures+=("meshplay intentions deny failed; see $logs/cli-intentions-deny.log")
    return 1
  fi
  echo "intention written: deploy/local/meshplay intentions deny client-pingpong example"
  # each run of a client is one call (ping-pong: one bidi stream), authorized when it starts
  meshplay_log "running client-pingpong and client-stream (3 each) while client-pingpong -> example is denied"
  local pingpong stream pingpong_status=0 stream_status=0
  app_command client-pingpong --count 3 "${client_tls[@]}"
  spawn job client-pingpong "${app_cmd[@]}" >"$logs/client-pingpong-denied.log" 2>&1
  pingpong=$spawned
  app_command client-stream --count 3 "${client_tls[@]}"
  spawn job client-stream "${app_cmd[@]}" >"$logs/client-stream-while-denied.log" 2>&1
  stream=$spawned
  wait "$pingpong" || pingpong_status=$?
  forget "$pingpong"
  wait "$stream" || stream_status=$?
  forget "$stream"

  local denied streamed
  denied=$(grep -m1 -o 'PERMISSION_DENIED.*' "$logs/client-pingpong-denied.log" || true)
  if [ "$pingpong_status" -ne 0 ] && [[ "$denied" == *client-pingpong*example* ]]; then
    echo "  denied: client-pingpong (exit $pingpong_status): $denied"
  else
    failures+=("client-pingpong was not denied (exit $pingpong_status) while the intention said deny; see $logs/client-pingpong-denied.log")
  fi
  streamed=$(grep -c '^stream response ' "$logs/client-stream-while-denied.log" || true)
  if [ "$stream_status" -eq 0 ] && [ "$streamed" -eq 3 ]; then
    echo "  client-stream: $streamed responses (only client-pingpong -> example is denied)"
  else
    failures+=("client-stream got $streamed of 3 responses (exit $stream_status) while only client-pingpong was denied; see $logs/client-stream-while-denied.log")
  fi
  echo "  server: $(connect_server_logs 'denied Example/PingPong: .*')"
  connect_denied_metric | sed 's/^/  metric: /'
}

connect_recovery() {
  meshplay_log "allowing it again: deploy/local/meshplay intentions delete client-pingpong example"
  if ! connect_cli cli-intentions-delete intentions delete client-pingpong example; then
    failures+=("meshplay intentions delete failed; see $logs/cli-intentions-delete.log")
    return 0
  fi
  echo "intention deleted: deploy/local/meshplay intentions delete client-pingpong example"
  local pongs status=0
  app_command client-pingpong --count 3 "${client_tls[@]}"
  connect_run client-pingpong-recovered "${app_cmd[@]}" || status=$?
  pongs=$(grep -c '^pong ' "$logs/client-pingpong-recovered.log" || true)
  if [ "$status" -eq 0 ] && [ "$pongs" -eq 3 ]; then
    echo "  recovered: client-pingpong got $pongs pongs, served by: $(grep '^pong ' "$logs/client-pingpong-recovered.log" | by_instance)"
  else
    failures+=("client-pingpong got $pongs of 3 pongs (exit $status) after the intention was deleted; see $logs/client-pingpong-recovered.log")
  fi
}

connect_walkthrough() {
  echo "== tls.mode=connect: mutual TLS with Consul's certificates, every call checked against its intentions =="
  connect_plaintext_call
  connect_denial && connect_recovery
  echo
}

connect_howto() { # how to deny client-pingpong -> example yourself
  echo "Deny client-pingpong -> example yourself (the servers follow a change within 2 s):"
  echo "  Consul UI  http://127.0.0.1:$CONSUL_PORT/ui/$CONNECT_UI_DC/intentions -> Create: source client-pingpong,"
  echo "             destination example, Deny, Save (delete it there to allow it again)"
  echo "  or CLI     deploy/local/meshplay intentions deny client-pingpong example   (... delete ... to undo; list shows them)"
  echo "  then       deploy/local/app client-pingpong ${client_tls[*]}   -> PERMISSION_DENIED naming both services"
  echo "  (without --set tls.mode=connect it calls in plaintext, which the permissive servers admit)"
}
