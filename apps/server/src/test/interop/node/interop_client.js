#!/usr/bin/env node
// One interoperability case against a meshplay server, as a Node @grpc/grpc-js client (pure JS over
// Node's nghttp2) would run it.
//
// Usage: interop_client.js --target HOST:PORT --case NAME --example-proto FILE --grpc-protos DIR
//
// The target is whatever the caller resolved from the registry. Services are loaded from the .proto
// files at run time with @grpc/proto-loader (health and reflection from grpc-java's grpc-services jar).
// Every stdout line is JSON: {"type":"event",...} while running, then one {"type":"result","ok":...};
// the exit code is 1 unless ok.
'use strict';

const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');
const descriptor = require('protobufjs/ext/descriptor');
const path = require('path');

const CLIENT = 'node';
const args = parseArgs(process.argv.slice(2));
const started = process.hrtime.bigint();

function parseArgs(argv) {
  const out = {};
  for (let i = 0; i + 1 < argv.length; i += 2) {
    out[argv[i].replace(/^--/, '')] = argv[i + 1];
  }
  for (const key of ['target', 'case', 'example-proto', 'grpc-protos']) {
    if (!out[key]) {
      throw new Error('missing --' + key);
    }
  }
  return out;
}

function emit(type, fields) {
  console.log(JSON.stringify(Object.assign({ type, client: CLIENT, case: args.case }, fields)));
}

function elapsedMs() {
  return Math.round(Number(process.hrtime.bigint() - started) / 1e6);
}

function check(condition, message) {
  if (!condition) {
    throw new AssertionFailure(message);
  }
}

class AssertionFailure extends Error {}

function statusName(code) {
  return Object.keys(grpc.status).find((k) => grpc.status[k] === code) || String(code);
}

function deadline(seconds) {
  return new Date(Date.now() + seconds * 1000);
}

const LOAD = { keepCase: true, longs: Number, enums: String, defaults: true, oneofs: true };

function load(file, includeDirs) {
  return grpc.loadPackageDefinition(protoLoader.loadSync(file, Object.assign({ includeDirs }, LOAD)));
}

function example() {
  return load(path.basename(args['example-proto']), [path.dirname(args['example-proto'])]).Example;
}

function grpcProto(file) {
  return load(file, [args['grpc-protos']]);
}

function unary(client, method, request, metadata) {
  return new Promise((resolve, reject) => {
    let headers = null;
    const call = client[method](request, metadata || new grpc.Metadata(), { deadline: deadline(10) }, (err, reply) =>
      err ? reject(err) : resolve({ reply, headers }));
    call.on('metadata', (m) => { headers = m; });
  });
}

function instanceOf(metadata) {
  const values = metadata ? metadata.get('meshplay-instance') : [];
  return values.length ? String(values[0]) : null;
}

// Reads a server stream, checking order; a slow reader pauses the call (backpressure) every pauseEvery.
function readStream(call, expected, pauseEvery, pauseMs) {
  return new Promise((resolve, reject) => {
    let received = 0;
    let headers = null;
    call.on('metadata', (m) => { headers = m; });
    call.on('data', (r) => {
      if (r.count !== received) {
        call.cancel();
        reject(new AssertionFailure(`response ${received} carried count ${r.count}`));
        return;
      }
      received++;
      if (pauseEvery && received % pauseEvery === 0 && received < expected) {
        call.pause();
        emit('event', { event: 'pause', received, at: Date.now() });
        // the slow reader under test, not synchronisation
        setTimeout(() => {
          emit('event', { event: 'resume', received, at: Date.now() });
          call.resume();
        }, pauseMs);
      }
    });
    call.on('error', reject);
    call.on('end', () => resolve({ received, headers }));
  });
}

async function stream(count, pauseEvery, pauseMs, timeoutS) {
  const client = new (example())(args.target, grpc.credentials.createInsecure());
  const { received, headers } = await readStream(client.Stream({ count }, { deadline: deadline(timeoutS) }),
    count, pauseEvery, pauseMs);
  check(received === count, `received ${received} of ${count}`);
  return { received, instance: instanceOf(headers) };
}

// The test says when it has seen the server stop; until then the connection stays open, so what the
// server reacts to is the cancel, not a closed socket.
function waitForGo(seconds) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new AssertionFailure(`no go-ahead from the test within ${seconds}s`)),
      seconds * 1000);
    process.stdin.once('data', () => { clearTimeout(timer); process.stdin.pause(); resolve(); });
  });
}

const CASES = {
  async unary() {
    const client = new (example())(args.target, grpc.credentials.createInsecure());
    const { reply, headers } = await unary(client, 'Call', { name: 'interop-node' });
    check(reply.msg === 'Hello interop-node', `reply ${reply.msg}`);
    return { msg: reply.msg, instance: instanceOf(headers) };
  },

  async metadata() {
    const client = new (example())(args.target, grpc.credentials.createInsecure());
    const sent = new grpc.Metadata();
    sent.set('x-meshplay-interop', 'node');
    sent.set('x-meshplay-trace-bin', Buffer.from([0x00, 0x01, 0xfe, 0xff]));
    const { reply, headers } = await unary(client, 'Call', { name: 'md' }, sent);
    check(reply.msg === 'Hello md', `reply ${reply.msg}`);
    return { instance: instanceOf(headers), headers: Object.keys(headers ? headers.getMap() : {}).sort() };
  },

  'stream-100k': () => stream(100000, 0, 0, 60),

  'stream-1m-slow-reader': () => stream(1000000, 100000, 2000, 180),

  async cancel() {
    const client = new (example())(args.target, grpc.credentials.createInsecure());
    const call = client.Stream({ count: 100000000 }, { deadline: deadline(120) });
    const ended = new Promise((resolve) => call.on('error', resolve));
    const received = await new Promise((resolve, reject) => {
      let n = 0;
      call.on('data', () => {
        if (++n === 10000) {
          call.cancel();
          resolve(n);
        }
      });
      ended.then(reject); // failed before the cancel; a no-op once resolved
      call.on('end', () => reject(new AssertionFailure(`the stream ended after ${n}`)));
    });
    emit('event', { event: 'cancelled', received, at: Date.now() });
    const err = await ended;
    if (err.code !== grpc.status.CANCELLED) {
      throw err;
    }
    await waitForGo(30);
    const { reply } = await unary(client, 'Call', { name: 'after-cancel' });
    check(reply.msg === 'Hello after-cancel', `reply ${reply.msg}`);
    return { received };
  },

  async pingpong() {
    const client = new (example())(args.target, grpc.credentials.createInsecure());
    const strokes = 1000;
    const call = client.PingPong({ deadline: deadline(60) });
    const got = await new Promise((resolve, reject) => {
      let n = 0;
      call.on('data', (pong) => {
        if (pong.stroke !== n) {
          call.cancel();
          reject(new AssertionFailure(`pong ${pong.stroke} for ping ${n}`));
          return;
        }
        n++;
        if (n < strokes) {
          call.write({ stroke: n });
        } else {
          call.end();
        }
      });
      call.on('error', reject);
      call.on('end', () => resolve(n));
      call.write({ stroke: 0 });
    });
    check(got === strokes, `${got} pongs of ${strokes}`);
    return { strokes: got };
  },

  async deadline() {
    const client = new (example())(args.target, grpc.credentials.createInsecure());
    const t0 = Date.now();
    const call = client.Stream({ count: 100000000 }, { deadline: deadline(0.5) });
    let received = 0;
    call.on('data', () => { received++; });
    const err = await new Promise((resolve) => {
      call.on('error', resolve);
      call.on('end', () => resolve(null));
    });
    check(err !== null, 'a 100M stream finished within 0.5 s');
    if (err.code !== grpc.status.DEADLINE_EXCEEDED) {
      throw err;
    }
    return { code: 'DEADLINE_EXCEEDED', received, after_ms: Date.now() - t0 };
  },

  async unimplemented() {
    const Example = example();
    const client = new grpc.Client(args.target, grpc.credentials.createInsecure());
    const call = Example.service.Call;
    const codes = {};
    for (const method of ['/Example/NoSuchMethod', '/meshplay.NoSuchService/Call']) {
      const err = await new Promise((resolve) => client.makeUnaryRequest(method, call.requestSerialize,
        call.responseDeserialize, { name: 'x' }, new grpc.Metadata(), { deadline: deadline(10) }, (e) => resolve(e)));
      check(err, `${method} answered`);
      codes[method] = statusName(err.code);
      if (err.code !== grpc.status.UNIMPLEMENTED) {
        throw err;
      }
    }
    return { codes };
  },

  async 'health-check'() {
    const Health = grpcProto('grpc/health/v1/health.proto').grpc.health.v1.Health;
    const client = new Health(args.target, grpc.credentials.createInsecure());
    const statuses = {};
    for (const service of ['', 'Example']) {
      const { reply } = await unary(client, 'Check', { service });
      statuses[service] = reply.status;
      check(reply.status === 'SERVING', `'${service}' is ${reply.status}`);
    }
    const err = await unary(client, 'Check', { service: 'no.such.Service' }).then(() => null, (e) => e);
    check(err, 'an unknown service has a health status');
    if (err.code !== grpc.status.NOT_FOUND) {
      throw err;
    }
    return { statuses };
  },

  async 'health-watch'() {
    const Health = grpcProto('grpc/health/v1/health.proto').grpc.health.v1.Health;
    const client = new Health(args.target, grpc.credentials.createInsecure());
    const call = client.Watch({ service: 'Example' }, { deadline: deadline(10) });
    const first = await new Promise((resolve, reject) => {
      call.on('data', resolve);
      call.on('error', reject);
    });
    call.on('error', () => {}); // the CANCELLED that cancel() produces
    call.cancel();
    check(first.status === 'SERVING', `first update ${first.status}`);
    return { first: first.status };
  },

  'reflection-v1alpha': () => reflection('v1alpha'),

  'reflection-v1': () => reflection('v1'),
};

async function reflection(version) {
  const pkg = grpcProto(`grpc/reflection/${version}/reflection.proto`).grpc.reflection[version];
  const client = new pkg.ServerReflection(args.target, grpc.credentials.createInsecure());
  const call = client.ServerReflectionInfo({ deadline: deadline(10) });
  const responses = await new Promise((resolve, reject) => {
    const all = [];
    call.on('data', (r) => all.push(r));
    call.on('error', reject);
    call.on('end', () => resolve(all));
    call.write({ list_services: '' });
    call.write({ file_containing_symbol: 'Example' });
    call.end();
  });
  check(responses.length === 2, `${responses.length} responses to 2 requests`);
  const [list, file] = responses;
  check(list.message_response === 'list_services_response', `list_services: ${JSON.stringify(list.error_response)}`);
  const services = list.list_services_response.service.map((s) => s.name).sort();
  check(services.includes('Example'), `services ${services}`);
  check(file.message_response === 'file_descriptor_response', `Example: ${JSON.stringify(file.error_response)}`);
  const methods = file.file_descriptor_response.file_descriptor_proto
    .map((b) => descriptor.FileDescriptorProto.decode(b))
    .flatMap((f) => (f.service || []).filter((s) => s.name === 'Example'))
    .flatMap((s) => s.method.map((m) => m.name)).sort();
  check(methods.join(',') === 'Call,PingPong,Stream', `Example's methods ${methods}`);
  return { services, methods };
}

async function main() {
  const run = CASES[args.case];
  if (!run) {
    emit('result', { ok: false, error: 'unknown case ' + args.case });
    return 2;
  }
  try {
    const fields = await run();
    emit('result', Object.assign({ ok: true, ms: elapsedMs(), grpc: require('@grpc/grpc-js/package.json').version }, fields));
    return 0;
  } catch (e) {
    if (e instanceof AssertionFailure) {
      emit('result', { ok: false, error: 'AssertionError: ' + e.message, ms: elapsedMs() });
    } else if (e && typeof e.code === 'number') {
      emit('result', { ok: false, code: statusName(e.code), details: e.details, ms: elapsedMs() });
    } else {
      emit('result', { ok: false, error: String(e && e.stack || e), ms: elapsedMs() });
    }
    return 1;
  }
}

// exit explicitly: open channels and stdin would otherwise keep the event loop alive
main().then((code) => process.exit(code), (e) => {
  emit('result', { ok: false, error: String(e && e.stack || e) });
  process.exit(1);
});
