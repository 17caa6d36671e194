#!/usr/bin/env node
// Runs an ONNX model with ONNX Runtime (CPU execution provider) on NumPy
// inputs: the reference qlow's compiled models are compared with.
//
//   node tools/ort/ort-run.js MODEL.onnx --input NAME=FILE.npy ...
//        [--output-dir DIR] [--bench N] [--warmup K] [--threads T]
//        [--opt all|extended|basic|disabled] [--json FILE]
//
// Each input file is fed as it is (a stack [S, ...] runs as one batch of S
// when the model's batch dimension is dynamic). Outputs are written as
// DIR/<name>.npy, with qlow-run's file naming (characters other than letters,
// digits, '.', '_' and '-' become '_'), so `qlow-run --reference DIR` reads
// them. --bench N times N runs after K untimed warm-up runs (default 10) and
// prints
//   bench: N runs after K warmup: median X ms, p90 Y ms, min Z ms, mean W ms
// (p90: the ceil(0.9 N)-th smallest; the median of an even N is the mean of
// the two middle values, as in qlow-run). Errors: `ort-run: error: ...`,
// exit status 1, no output file written.
'use strict';

const fs = require('fs');
const path = require('path');
const { readNpy, encodeNpy, NpyError } = require('./npy.js');

const USAGE = `usage: node tools/ort/ort-run.js MODEL.onnx --input NAME=FILE.npy ...
         [--output-dir DIR] [--bench N] [--warmup K] [--threads T]
         [--opt all|extended|basic|disabled] [--json FILE]

  --input NAME=FILE.npy  the model input NAME (once per input)
  --output-dir DIR       write every output as DIR/<name>.npy
  --bench N              time N runs (after K warm-up runs) and print
                         "bench: N runs after K warmup: median X ms, p90 Y ms, ..."
  --warmup K             untimed runs before timing (default 10)
  --threads T            intra-op and inter-op threads (default 1)
  --opt LEVEL            graph optimization level (default all)
  --json FILE            also write the outputs' shapes and the timings as JSON`;

class UsageError extends Error {}

function usage(msg) {
  throw new UsageError(msg);
}

function parseCount(flag, text, min) {
  if (!/^\d+$/.test(text) || Number.parseInt(text, 10) < min) {
    usage(`${flag} needs an integer >= ${min}, got '${text}'`);
  }
  return Number.parseInt(text, 10);
}

function parseArgs(argv) {
  const opts = { model: null, inputs: [], outputDir: null, bench: 0, warmup: 10, threads: 1, opt: 'all', json: null };
  const OPT_LEVELS = ['all', 'extended', 'basic', 'disabled'];
  for (let i = 0; i < argv.length; ++i) {
    let arg = argv[i];
    if (arg === '-h' || arg === '--help') {
      console.log(USAGE);
      process.exit(0);
    }
    if (!arg.startsWith('--')) {
      if (opts.model !== null) usage(`unexpected argument '${arg}' (the model is '${opts.model}')`);
      opts.model = arg;
      continue;
    }
    let value;
    const eq = arg.indexOf('=');
    if (eq > 0 && arg !== '--input') {
      // --flag=value (but --input NAME=FILE keeps its own '=')
      const flag = arg.slice(0, eq);
      if (['--output-dir', '--bench', '--warmup', '--threads', '--opt', '--json', '--input'].includes(flag)) {
        value = arg.slice(eq + 1);
        arg = flag;
      }
    }
    const next = () => {
      if (value !== undefined) return value;
      if (i + 1 >= argv.length) usage(`${arg} needs a value`);
      return argv[++i];
    };
    switch (arg) {
      case '--input': {
        const spec = next();
        const at = spec.indexOf('=');
        if (at <= 0 || at === spec.length - 1) usage(`--input needs NAME=FILE.npy, got '${spec}'`);
        opts.inputs.push({ name: spec.slice(0, at), file: spec.slice(at + 1) });
        break;
      }
      case '--output-dir':
        opts.outputDir = next();
        break;
      case '--bench':
        opts.bench = parseCount('--bench', next(), 1);
        break;
      case '--warmup':
        opts.warmup = parseCount('--warmup', next(), 0);
        break;
      case '--threads':
        opts.threads = parseCount('--threads', next(), 1);
        break;
      case '--opt':
        opts.opt = next();
        if (!OPT_LEVELS.includes(opts.opt)) usage(`--opt must be one of ${OPT_LEVELS.join(', ')}, got '${opts.opt}'`);
        break;
      case '--json':
        opts.json = next();
        break;
      default:
        usage(`unknown option '${arg}'`);
    }
  }
  if (opts.model === null) usage('no model given');
  if (opts.inputs.length === 0) usage('no --input given');
  return opts;
}

// qlow-run's file name for a tensor name.
function fileName(name) {
  return name.replace(/[^A-Za-z0-9._-]/g, '_') + '.npy';
}

function shapeText(shape) {
  return `[${shape.join(', ')}]`;
}

function median(sorted) {
  const n = sorted.length;
  return n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

function firstValues(data, k) {
  const out = [];
  for (let i = 0; i < Math.min(k, data.length); ++i) {
    const v = data[i];
    out.push(typeof v === 'bigint' ? v.toString() : Number.isInteger(v) ? String(v) : Number(v).toPrecision(6));
  }
  return out.join(' ') + (data.length > k ? ` ... (${data.length} values)` : '');
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (!fs.existsSync(opts.model)) throw new Error(`${opts.model}: no such model file`);

  let ort;
  try {
    ort = require('onnxruntime-node');
  } catch (e) {
    throw new Error(`cannot load onnxruntime-node (${e.message.split('\n')[0]}); install it with scripts/setup.sh ` +
      '(ONNXRUNTIME_NODE_INSTALL=skip npm ci --prefix tools/ort)');
  }

  const session = await ort.InferenceSession.create(opts.model, {
    executionProviders: ['cpu'],
    intraOpNumThreads: opts.threads,
    interOpNumThreads: opts.threads,
    executionMode: 'sequential',
    graphOptimizationLevel: opts.opt,
  }).catch((e) => {
    throw new Error(`${opts.model}: ONNX Runtime cannot load the model: ${e.message}`);
  });

  // Inputs: each model input exactly once, with the model's element type.
  const meta = new Map((session.inputMetadata || []).map((m) => [m.name, m]));
  const feeds = {};
  for (const { name, file } of opts.inputs) {
    if (!session.inputNames.includes(name)) {
      throw new Error(`the model has no input named '${name}' (its inputs: ${session.inputNames.join(', ')})`);
    }
    if (name in feeds) throw new Error(`input '${name}' is given twice`);
    const a = readNpy(file);
    const m = meta.get(name);
    if (m && m.isTensor && m.type !== a.dtype) {
      throw new Error(`${file}: input '${name}' must be ${m.type}, the file holds ${a.dtype}`);
    }
    if (m && m.isTensor && Array.isArray(m.shape)) {
      const ok = m.shape.length === a.shape.length &&
        m.shape.every((d, k) => typeof d !== 'number' || d < 0 || d === a.shape[k]);
      if (!ok) {
        throw new Error(`${file}: input '${name}' has shape ${shapeText(a.shape)}; the model expects ` +
          `${shapeText(m.shape.map((d) => (typeof d === 'number' && d >= 0 ? d : `${d}`)))}`);
      }
    }
    feeds[name] = new ort.Tensor(a.dtype, a.data, a.shape);
    console.log(`  input  ${name}: ${a.dtype} ${shapeText(a.shape)} <- ${file}`);
  }
  const missing = session.inputNames.filter((n) => !(n in feeds));
  if (missing.length) throw new Error(`missing --input for ${missing.join(', ')}`);

  // Output file names must not collide; check before running.
  if (opts.outputDir !== null) {
    const seen = new Map();
    for (const name of session.outputNames) {
      const f = fileName(name);
      if (seen.has(f)) throw new Error(`outputs '${seen.get(f)}' and '${name}' map to the same file ${f}`);
      seen.set(f, name);
    }
  }

  const results = await session.run(feeds);
  const report = { model: opts.model, threads: opts.threads, opt: opts.opt, outputs: [] };
  console.log(`model ${opts.model} (onnxruntime-node ${ort.env.versions.node}, CPU, ${opts.threads} thread${opts.threads > 1 ? 's' : ''}, optimization ${opts.opt})`);
  for (const name of session.outputNames) {
    const t = results[name];
    console.log(`output ${name}: ${t.type} ${shapeText(t.dims)}`);
    console.log(`    values: ${firstValues(t.data, 8)}`);
    report.outputs.push({ name, dtype: t.type, shape: t.dims });
  }

  if (opts.bench > 0) {
    for (let i = 0; i < opts.warmup; ++i) await session.run(feeds);
    const times = [];
    for (let i = 0; i < opts.bench; ++i) {
      const t0 = process.hrtime.bigint();
      await session.run(feeds);
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    const sorted = [...times].sort((a, b) => a - b);
    const b = {
      runs: opts.bench,
      warmup: opts.warmup,
      median_ms: median(sorted),
      p90_ms: sorted[Math.ceil(0.9 * sorted.length) - 1],
      min_ms: sorted[0],
      mean_ms: times.reduce((s, x) => s + x, 0) / times.length,
    };
    report.bench = b;
    const f = (x) => x.toFixed(3);
    console.log(`bench: ${b.runs} runs after ${b.warmup} warmup: median ${f(b.median_ms)} ms, ` +
      `p90 ${f(b.p90_ms)} ms, min ${f(b.min_ms)} ms, mean ${f(b.mean_ms)} ms`);
  }

  // All or nothing: every file goes to a temporary first.
  const pending = [];
  try {
    if (opts.outputDir !== null) {
      fs.mkdirSync(opts.outputDir, { recursive: true });
      for (const out of report.outputs) {
        const t = results[out.name];
        const final = path.join(opts.outputDir, fileName(out.name));
        const tmp = path.join(opts.outputDir, `.${fileName(out.name)}.${process.pid}.tmp`);
        pending.push({ tmp, final });
        fs.writeFileSync(tmp, encodeNpy(t.type, t.dims, t.data));
        out.file = final;
      }
    }
    if (opts.json !== null) {
      const tmp = path.join(path.dirname(opts.json), `.${path.basename(opts.json)}.${process.pid}.tmp`);
      pending.push({ tmp, final: opts.json });
      fs.writeFileSync(tmp, JSON.stringify(report, null, 2) + '\n');
    }
    for (const { tmp, final } of pending) fs.renameSync(tmp, final);
  } catch (e) {
    for (const { tmp } of pending) fs.rmSync(tmp, { force: true });
    throw e;
  }
  for (const { final } of pending) console.log(`wrote ${final}`);
}

main().catch((e) => {
  const msg = e instanceof UsageError ? `${e.message}\n${USAGE}` : e.message;
  process.stderr.write(`ort-run: error: ${msg}\n`);
  process.exit(1);
});
