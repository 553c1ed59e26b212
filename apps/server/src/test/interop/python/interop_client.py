#!/usr/bin/python3
"""One interoperability case against a meshplay server, as a Python grpcio (C-core) client would run it.

Usage: interop_client.py --target HOST:PORT --case NAME --example-proto FILE --grpc-protos DIR

The target is whatever the caller resolved from the registry. Stubs are generated at start from the
.proto files (example.proto from the repo; health and reflection from grpc-java's grpc-services jar),
because Debian ships no grpcio-health-checking or grpcio-reflection. Every stdout line is JSON:
{"type": "event", ...} while running, then one {"type": "result", "ok": ...}; exit 1 unless ok.
"""
import argparse
import importlib
import json
import os
import queue
import select
import sys
import tempfile
import time

import grpc
from grpc_tools import protoc
from google.protobuf import descriptor_pb2

CLIENT = "python"
args = None


def emit(kind, **fields):
    print(json.dumps(dict(type=kind, client=CLIENT, case=args.case, **fields)), flush=True)


def generate(out_dir, needs):
    """Generates the modules a case needs. Health and reflection protos are compiled from their own folder
    (as health.proto, reflection.proto) so their modules do not land in a package named grpc, which would
    shadow grpcio itself; each reflection version gets its own folder since both files are reflection.proto."""
    jobs = [("example", os.path.dirname(args.example_proto), os.path.basename(args.example_proto)),
            ("health", os.path.join(args.grpc_protos, "grpc/health/v1"), "health.proto"),
            ("reflection_v1alpha", os.path.join(args.grpc_protos, "grpc/reflection/v1alpha"), "reflection.proto"),
            ("reflection_v1", os.path.join(args.grpc_protos, "grpc/reflection/v1"), "reflection.proto")]
    dirs = {}
    for name, include, proto in jobs:
        if name not in needs:
            continue
        target = os.path.join(out_dir, name)
        os.makedirs(target)
        rc = protoc.main(["protoc", "-I" + include, "--python_out=" + target, "--grpc_python_out=" + target,
                          os.path.join(include, proto)])
        if rc != 0:
            raise RuntimeError("protoc failed for %s (exit %d)" % (proto, rc))
        dirs[name] = target
    return dirs


def load(dirs, name, module):
    sys.path.insert(0, dirs[name])
    try:
        return importlib.import_module(module), importlib.import_module(module + "_grpc")
    finally:
        sys.path.pop(0)


def header(metadata, key):
    for k, v in metadata or ():
        if k == key:
            return v
    return None


def case_unary(channel, m):
    pb, rpc = m["example"]
    reply, call = rpc.ExampleStub(channel).Call.with_call(pb.Request(name="interop-python"), timeout=10)
    check(reply.msg == "Hello interop-python", "reply %r" % reply.msg)
    return dict(msg=reply.msg, instance=header(call.initial_metadata(), "meshplay-instance"))


def case_metadata(channel, m):
    pb, rpc = m["example"]
    sent = [("x-meshplay-interop", "python"), ("x-meshplay-trace-bin", b"\x00\x01\xfe\xff")]
    reply, call = rpc.ExampleStub(channel).Call.with_call(pb.Request(name="md"), metadata=sent, timeout=10)
    check(reply.msg == "Hello md", "reply %r" % reply.msg)
    return dict(instance=header(call.initial_metadata(), "meshplay-instance"),
                headers=sorted(k for k, _ in call.initial_metadata()))


def read_stream(responses, expected, pause_every=0, pause_s=0.0):
    received = 0
    for r in responses:
        if r.count != received:
            raise AssertionError("response %d carried count %d" % (received, r.count))
        received += 1
        if pause_every and received % pause_every == 0 and received < expected:
            emit("event", event="pause", received=received, at=time.time() * 1000)
            time.sleep(pause_s)  # the slow reader under test, not synchronisation
            emit("event", event="resume", received=received, at=time.time() * 1000)
    return received


def case_stream(channel, m, count, pause_every=0, pause_s=0.0, timeout=60):
    pb, rpc = m["example"]
    responses = rpc.ExampleStub(channel).Stream(pb.StreamingRequest(count=count), timeout=timeout)
    received = read_stream(responses, count, pause_every, pause_s)
    check(received == count, "received %d of %d" % (received, count))
    return dict(received=received, instance=header(responses.initial_metadata(), "meshplay-instance"))


def wait_for_go(seconds):
    """The test says when it has seen the server stop; until then the connection stays open, so what the
    server reacts to is the cancel, not a closed socket."""
    ready, _, _ = select.select([sys.stdin], [], [], seconds)
    if not ready or not sys.stdin.readline():
        raise AssertionError("no go-ahead from the test within %ss" % seconds)


def case_cancel(channel, m):
    pb, rpc = m["example"]
    responses = rpc.ExampleStub(channel).Stream(pb.StreamingRequest(count=100_000_000), timeout=120)
    received = 0
    for r in responses:
        received += 1
        if received == 10_000:
            break
    responses.cancel()
    emit("event", event="cancelled", received=received, at=time.time() * 1000)
    try:
        next(responses)
        raise AssertionError("the stream went on after cancel()")
    except grpc.RpcError as e:
        if e.code() != grpc.StatusCode.CANCELLED:
            raise
    wait_for_go(30)
    reply = rpc.ExampleStub(channel).Call(pb.Request(name="after-cancel"), timeout=10)
    check(reply.msg == "Hello after-cancel", "reply %r" % reply.msg)
    return dict(received=received)


def case_pingpong(channel, m):
    pb, rpc = m["example"]
    strokes = 1000
    next_ping = queue.Queue()
    next_ping.put(0)

    def pings():
        while True:
            stroke = next_ping.get(timeout=10)
            if stroke is None:
                return
            yield pb.Ping(stroke=stroke)

    got = 0
    for pong in rpc.ExampleStub(channel).PingPong(pings(), timeout=60):
        check(pong.stroke == got, "pong %d for ping %d" % (pong.stroke, got))
        got += 1
        next_ping.put(got if got < strokes else None)
    check(got == strokes, "%d pongs of %d" % (got, strokes))
    return dict(strokes=got)


def case_deadline(channel, m):
    pb, rpc = m["example"]
    started = time.monotonic()
    responses = rpc.ExampleStub(channel).Stream(pb.StreamingRequest(count=100_000_000), timeout=0.5)
    received = 0
    try:
        for _ in responses:
            received += 1
        raise AssertionError("a 100M stream finished within 0.5 s")
    except grpc.RpcError as e:
        if e.code() != grpc.StatusCode.DEADLINE_EXCEEDED:
            raise
    return dict(code="DEADLINE_EXCEEDED", received=received, after_ms=round((time.monotonic() - started) * 1000))


def case_unimplemented(channel, m):
    pb, _ = m["example"]
    codes = {}
    for method in ("/Example/NoSuchMethod", "/meshplay.NoSuchService/Call"):
        call = channel.unary_unary(method, request_serializer=pb.Request.SerializeToString,
                                   response_deserializer=pb.Response.FromString)
        try:
            call(pb.Request(name="x"), timeout=10)
            raise AssertionError(method + " answered")
        except grpc.RpcError as e:
            codes[method] = e.code().name
            if e.code() != grpc.StatusCode.UNIMPLEMENTED:
                raise
    return dict(codes=codes)


def case_health_check(channel, m):
    pb, rpc = m["health"]
    stub = rpc.HealthStub(channel)
    statuses = {}
    for service in ("", "Example"):
        status = stub.Check(pb.HealthCheckRequest(service=service), timeout=10).status
        statuses[service] = pb.HealthCheckResponse.ServingStatus.Name(status)
        check(status == pb.HealthCheckResponse.SERVING, "%r is %s" % (service, statuses[service]))
    try:
        stub.Check(pb.HealthCheckRequest(service="no.such.Service"), timeout=10)
        raise AssertionError("an unknown service has a health status")
    except grpc.RpcError as e:
        if e.code() != grpc.StatusCode.NOT_FOUND:
            raise
    return dict(statuses=statuses)


def case_health_watch(channel, m):
    pb, rpc = m["health"]
    updates = rpc.HealthStub(channel).Watch(pb.HealthCheckRequest(service="Example"), timeout=10)
    first = next(updates)
    updates.cancel()
    status = pb.HealthCheckResponse.ServingStatus.Name(first.status)
    check(first.status == pb.HealthCheckResponse.SERVING, "first update " + status)
    return dict(first=status)


def case_reflection(channel, m, version):
    pb, rpc = m["reflection_" + version]
    requests = [pb.ServerReflectionRequest(list_services=""),
                pb.ServerReflectionRequest(file_containing_symbol="Example")]
    responses = list(rpc.ServerReflectionStub(channel).ServerReflectionInfo(iter(requests), timeout=10))
    check(len(responses) == 2, "%d responses to 2 requests" % len(responses))
    check(not responses[0].HasField("error_response"), "list_services: %s" % responses[0].error_response)
    services = sorted(s.name for s in responses[0].list_services_response.service)
    check("Example" in services, "services " + ",".join(services))
    check(not responses[1].HasField("error_response"), "Example: %s" % responses[1].error_response)
    files = [descriptor_pb2.FileDescriptorProto.FromString(b)
             for b in responses[1].file_descriptor_response.file_descriptor_proto]
    methods = sorted(m.name for f in files for s in f.service if s.name == "Example" for m in s.method)
    check(methods == ["Call", "PingPong", "Stream"], "Example's methods " + ",".join(methods))
    return dict(services=services, methods=methods)


CASES = {
    "unary": (["example"], case_unary),
    "metadata": (["example"], case_metadata),
    "stream-100k": (["example"], lambda c, m: case_stream(c, m, 100_000)),
    "stream-1m-slow-reader": (["example"], lambda c, m: case_stream(c, m, 1_000_000, 100_000, 2.0, 180)),
    "cancel": (["example"], case_cancel),
    "pingpong": (["example"], case_pingpong),
    "deadline": (["example"], case_deadline),
    "unimplemented": (["example"], case_unimplemented),
    "health-check": (["health"], case_health_check),
    "health-watch": (["health"], case_health_watch),
    "reflection-v1alpha": (["reflection_v1alpha"], lambda c, m: case_reflection(c, m, "v1alpha")),
    "reflection-v1": (["reflection_v1"], lambda c, m: case_reflection(c, m, "v1")),
}


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def main():
    global args
    parser = argparse.ArgumentParser()
    for flag in ("--target", "--case", "--example-proto", "--grpc-protos"):
        parser.add_argument(flag, required=True)
    args = parser.parse_args()
    if args.case not in CASES:
        emit("result", ok=False, error="unknown case " + args.case)
        return 2
    needs, run = CASES[args.case]
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="meshplay-interop-py-") as gen:
        dirs = generate(gen, needs)
        modules = {n: load(dirs, n, "example_pb2" if n == "example" else n.split("_")[0] + "_pb2") for n in needs}
        with grpc.insecure_channel(args.target) as channel:
            try:
                fields = run(channel, modules)
                emit("result", ok=True, ms=round((time.monotonic() - started) * 1000), grpc=grpc.__version__, **fields)
                return 0
            except grpc.RpcError as e:
                emit("result", ok=False, code=e.code().name, details=e.details(),
                     ms=round((time.monotonic() - started) * 1000))
            except (AssertionError, queue.Empty, StopIteration) as e:
                emit("result", ok=False, error="%s: %s" % (type(e).__name__, e),
                     ms=round((time.monotonic() - started) * 1000))
    return 1


if __name__ == "__main__":
    sys.exit(main())
