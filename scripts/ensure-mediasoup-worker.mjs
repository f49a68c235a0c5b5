#!/usr/bin/env node
// Makes sure mediasoup's C++ worker exists at
// node_modules/mediasoup/worker/out/Release/mediasoup-worker and runs.
//
// mediasoup's own install script downloads a prebuilt worker from GitHub (or
// builds with meson subprojects downloaded from the internet); neither works on
// a machine without internet access (only a package registry), so `.npmrc`
// skips install scripts and this script provides the worker instead:
//
//   1. MEDIASOUP_WORKER_BIN set and executable, or the default worker path
//      holds a worker that runs  -> nothing to do.
//   2. A cached worker for this mediasoup version/platform/arch exists in
//      ${XDG_CACHE_HOME:-~/.cache}/hcw-realtime-sdk/ and runs -> copy it.
//   3. Otherwise build it from the npm package's own C++ sources against the
//      system (Debian 12) libraries: stub meson subprojects that export the
//      system libraries, meson setup + ninja, then copy into place and cache.
//
// Plain Node ESM, node builtins only. Exit code 0 on success, 1 on failure.
// --optional (`npm start`): a worker that cannot be provided is not a failure:
// the reason and what to install are printed, the exit code is 0, and the test
// server starts with media off (test-server/index.ts says so again).

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const TAG = '[ensure-mediasoup-worker]';
const log = (msg) => console.log(`${TAG} ${msg}`);

class Failure extends Error {}
const fail = (msg) => {
  throw new Failure(msg);
};

const APT_BUILD_PACKAGES = [
  'g++',
  'make',
  'pkg-config',
  'meson',
  'ninja-build',
  'libssl-dev',
  'libuv1-dev',
  'libsrtp2-dev',
  'libabsl-dev',
  'libusrsctp-dev',
  'nlohmann-json3-dev',
];

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const mediasoupDir = path.join(repoRoot, 'node_modules', 'mediasoup');
const workerDir = path.join(mediasoupDir, 'worker');
const outDir = path.join(workerDir, 'out', 'Release');
const buildDir = path.join(outDir, 'build');
const defaultBin = path.join(outDir, 'mediasoup-worker');

// ---------------------------------------------------------------------------
// helpers

function isExecutableFile(p) {
  try {
    const st = fs.statSync(p);
    if (!st.isFile() || st.size === 0) return false;
    fs.accessSync(p, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs the worker without MEDIASOUP_VERSION: a working worker starts (so its
 * shared libraries resolve), prints "you don't seem to be my real father!" and
 * exits with its own code 41 immediately. Anything else (missing library,
 * wrong architecture, truncated file) means the binary is not usable here.
 */
function workerRuns(bin) {
  if (!isExecutableFile(bin)) return { ok: false, why: 'missing or not an executable file' };
  const env = { ...process.env };
  delete env.MEDIASOUP_VERSION;
  const r = spawnSync(bin, [], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 10_000,
    encoding: 'utf8',
  });
  if (r.error) return { ok: false, why: r.error.message };
  if (r.status === 41) return { ok: true };
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim().split('\n').slice(-3).join(' | ');
  return {
    ok: false,
    why: `exited with ${r.status ?? r.signal} (expected 41)${out ? `: ${out}` : ''}`,
  };
}

function commandExists(cmd) {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
  return r.status === 0;
}

function writeIfChanged(file, content) {
  try {
    if (fs.readFileSync(file, 'utf8') === content) return false;
  } catch {
    // does not exist yet
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  return true;
}

/** Copies src to dest through a temp file + rename, so dest is never half-written. */
function atomicCopy(src, dest) {
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  const tmp = `${dest}.tmp-${process.pid}-${Date.now()}`;
  try {
    fs.copyFileSync(src, tmp);
    fs.chmodSync(tmp, 0o755);
    fs.renameSync(tmp, dest);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}

function fmtDuration(ms) {
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

// ---------------------------------------------------------------------------
// lock (two `npm test` runs at once must not build into the same directory)

function pidAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

async function acquireLock(lockDir) {
  const started = Date.now();
  let announced = false;
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      fs.writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        process.off('exit', release);
        fs.rmSync(lockDir, { recursive: true, force: true });
      };
      process.on('exit', release);
      return release;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
    }
    let owner = NaN;
    try {
      owner = Number(fs.readFileSync(path.join(lockDir, 'pid'), 'utf8'));
    } catch {
      // lock being created or removed right now
    }
    let ageMs;
    try {
      ageMs = Date.now() - fs.statSync(lockDir).mtimeMs;
    } catch {
      continue;
    }
    if ((Number.isInteger(owner) && owner > 0 && !pidAlive(owner)) || (!owner && ageMs > 30_000)) {
      log(`removing stale lock ${lockDir}`);
      fs.rmSync(lockDir, { recursive: true, force: true });
      continue;
    }
    if (!announced) {
      log(`another process (pid ${owner}) is providing the worker; waiting for it...`);
      announced = true;
    }
    if (Date.now() - started > 45 * 60_000) fail(`timed out waiting for lock ${lockDir}`);
    await new Promise((r) => setTimeout(r, 2000));
  }
}

// ---------------------------------------------------------------------------
// build

/** Stub subprojects: same directory names as the wraps, exporting system libraries. */
const STUB_SUBPROJECTS = {
  'openssl-3.0.8': {
    'meson.build': `project('openssl', 'c')
openssl_dep = dependency('openssl')
libcrypto_dep = dependency('libcrypto')
libssl_dep = dependency('libssl')
libcrypto_lib = []
libssl_lib = []
`,
  },
  'nlohmann_json-3.10.5': {
    'meson.build': `project('nlohmann_json', 'cpp')
nlohmann_json_dep = dependency('nlohmann_json')
`,
  },
  'libuv-v1.44.2': {
    'meson.build': `project('libuv', 'c')
libuv_dep = dependency('libuv')
libuv = []
`,
    'meson_options.txt': `option('build_tests', type: 'boolean', value: false)
option('build_benchmarks', type: 'boolean', value: false)
`,
  },
  'libsrtp-2.5.0': {
    // Debian's libsrtp2.pc omits /usr/include/srtp2, which mediasoup includes from.
    'meson.build': `project('libsrtp2', 'c')
libsrtp2_dep = declare_dependency(
  dependencies: dependency('libsrtp2'),
  compile_args: ['-I/usr/include/srtp2'],
)
libsrtp2 = []
`,
    'meson_options.txt': `option('crypto-library', type: 'string', value: 'openssl')
option('crypto-library-kdf', type: 'feature', value: 'disabled')
option('tests', type: 'feature', value: 'disabled')
`,
  },
  'usrsctp-4e06feb01cadcd127d119486b98a4bd3d64aa1e7': {
    'meson.build': `project('usrsctp', 'c')
usrsctp_dep = dependency('usrsctp')
usrsctp = []
`,
    'meson_options.txt': `option('sctp_build_programs', type: 'boolean', value: false)
`,
  },
  'abseil-cpp-20220623.0': {
    'meson.build': `project('abseil-cpp', 'cpp')
absl_container_dep = declare_dependency(dependencies: [
  dependency('absl_flat_hash_map'),
  dependency('absl_flat_hash_set'),
  dependency('absl_node_hash_map'),
  dependency('absl_node_hash_set'),
  dependency('absl_btree'),
  dependency('absl_inlined_vector'),
])
absl_container_lib = []
# read by deps/libwebrtc/meson.build
absl_strings_dep = declare_dependency(dependencies: [
  dependency('absl_strings'),
  dependency('absl_str_format'),
])
absl_types_dep = declare_dependency(dependencies: [
  dependency('absl_optional'),
  dependency('absl_variant'),
  dependency('absl_span'),
  dependency('absl_any'),
  dependency('absl_bad_optional_access'),
  dependency('absl_bad_variant_access'),
  dependency('absl_bad_any_cast'),
  dependency('absl_compare'),
])
`,
  },
  // Only read when mediasoup's own C++ tests are built (not by this script);
  // Debian's 'catch2' package provides it if someone wants them.
  'Catch2-2.13.7': {
    'meson.build': `project('catch2', 'cpp')
catch2_dep = dependency('catch2', required: false)
`,
  },
};

/** pkg-config module -> Debian package providing it. */
const PKG_CONFIG_MODULES = {
  openssl: 'libssl-dev',
  libuv: 'libuv1-dev',
  libsrtp2: 'libsrtp2-dev',
  usrsctp: 'libusrsctp-dev',
  nlohmann_json: 'nlohmann-json3-dev',
  absl_flat_hash_map: 'libabsl-dev',
  absl_btree: 'libabsl-dev',
};

function versionAtLeast(v, min) {
  const a = v.split('.').map((n) => parseInt(n, 10) || 0);
  const b = min.split('.').map((n) => parseInt(n, 10) || 0);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  }
  return true;
}

function checkBuildTools() {
  const missing = new Set();
  const tools = { 'g++': 'g++', cc: 'g++', make: 'make', 'pkg-config': 'pkg-config', meson: 'meson', ninja: 'ninja-build' };
  for (const [cmd, pkg] of Object.entries(tools)) {
    if (!commandExists(cmd)) missing.add(pkg);
  }
  if (!missing.has('pkg-config')) {
    for (const [mod, pkg] of Object.entries(PKG_CONFIG_MODULES)) {
      if (spawnSync('pkg-config', ['--exists', mod]).status !== 0) missing.add(pkg);
    }
  }
  if (missing.size > 0) {
    fail(
      `cannot build the mediasoup worker: missing build tools/libraries (${[...missing].join(', ')}).\n` +
        `Install them (Debian 12) with:\n` +
        `  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${APT_BUILD_PACKAGES.join(' ')}\n` +
        `or run: sudo bash scripts/install-system-deps.sh worker\n` +
        `(alternatively point MEDIASOUP_WORKER_BIN at an existing mediasoup ${readVersion()} worker binary)`,
    );
  }
  const mesonVersion = spawnSync('meson', ['--version'], { encoding: 'utf8' }).stdout?.trim() ?? '';
  if (!versionAtLeast(mesonVersion, '1.0.0')) {
    fail(`meson ${mesonVersion || '(unknown version)'} is too old; need >= 1.0.0 (Debian 12's meson is 1.0.1)`);
  }
  return mesonVersion;
}

function prepareSources() {
  // 1. stub subprojects
  const subDir = path.join(workerDir, 'subprojects');
  for (const [dir, files] of Object.entries(STUB_SUBPROJECTS)) {
    for (const [name, content] of Object.entries(files)) {
      writeIfChanged(path.join(subDir, dir, name), content);
    }
  }
  // 2. mediasoup 3.12.16 declares meson >= 1.1.0; Debian 12 ships 1.0.1, which builds it identically.
  const mesonBuild = path.join(workerDir, 'meson.build');
  const src = fs.readFileSync(mesonBuild, 'utf8');
  const patched = src.replace(/meson_version\s*:\s*'>=\s*1\.1\.0'/, "meson_version: '>= 1.0.0'");
  if (patched !== src) {
    fs.writeFileSync(mesonBuild, patched);
    log("patched worker/meson.build: meson_version '>= 1.1.0' -> '>= 1.0.0'");
  }
}

/** Runs a command, appending its output to the log stream; onLine sees each output line. */
function run(cmd, args, { cwd, logStream, onLine }) {
  return new Promise((resolve, reject) => {
    logStream.write(`\n$ ${cmd} ${args.join(' ')}\n`);
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    let buf = '';
    const onData = (chunk) => {
      logStream.write(chunk);
      if (!onLine) return;
      buf += chunk.toString();
      const lines = buf.split('\n');
      buf = lines.pop();
      for (const l of lines) onLine(l);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (buf && onLine) onLine(buf);
      if (code === 0) resolve();
      else reject(new Failure(`${cmd} ${args.join(' ')} failed (${code ?? signal})`));
    });
  });
}

function tailOf(file, n) {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-n).join('\n');
  } catch {
    return '';
  }
}

async function build(cacheDir, logFile) {
  const mesonVersion = checkBuildTools();
  const jobs = Math.max(1, Math.min(os.availableParallelism?.() ?? os.cpus().length, 8));
  log(`building mediasoup ${readVersion()} worker from source (meson ${mesonVersion}, ninja -j${jobs}); this takes ~5 minutes on 2 cores`);
  log(`build log: ${logFile}`);
  prepareSources();

  fs.mkdirSync(cacheDir, { recursive: true });
  const logStream = fs.createWriteStream(logFile, { flags: 'w' });
  const t0 = Date.now();
  try {
    // A build dir without build.ninja is a failed/aborted setup: start it over.
    if (fs.existsSync(buildDir) && !fs.existsSync(path.join(buildDir, 'build.ninja'))) {
      fs.rmSync(buildDir, { recursive: true, force: true });
    }
    if (!fs.existsSync(buildDir)) {
      log('meson setup...');
      await run(
        'meson',
        ['setup', '--buildtype', 'release', '-Db_ndebug=true', '-Db_pie=true', '-Db_staticpic=true', '--wrap-mode=nodownload', buildDir],
        { cwd: workerDir, logStream },
      );
    } else {
      log('reusing existing meson build directory (incremental build)');
    }

    let lastPct = -1;
    let lastPrint = 0;
    await run('ninja', ['-C', buildDir, `-j${jobs}`, 'mediasoup-worker'], {
      cwd: workerDir,
      logStream,
      onLine: (line) => {
        const m = /^\[(\d+)\/(\d+)\]/.exec(line);
        if (!m) return;
        const done = Number(m[1]);
        const total = Number(m[2]);
        const pct = Math.floor((done * 100) / total);
        const now = Date.now();
        // A line every 10% or every 30 s, whichever comes first.
        if (Math.floor(pct / 10) > Math.floor(lastPct / 10) || now - lastPrint > 30_000 || done === total) {
          log(`compiling ${done}/${total} (${pct}%) after ${fmtDuration(now - t0)}`);
          lastPct = pct;
          lastPrint = now;
        }
      },
    });
  } catch (err) {
    await new Promise((r) => logStream.end(r));
    const tail = tailOf(logFile, 30);
    fail(`${err.message}\n--- last lines of ${logFile} ---\n${tail}\n--- end of log ---`);
  }
  await new Promise((r) => logStream.end(r));

  const built = path.join(buildDir, 'mediasoup-worker');
  const check = workerRuns(built);
  if (!check.ok) fail(`built worker ${built} does not run: ${check.why}`);
  log(`build finished in ${fmtDuration(Date.now() - t0)}`);
  return built;
}

// ---------------------------------------------------------------------------
// main

function readVersion() {
  const pkgFile = path.join(mediasoupDir, 'package.json');
  try {
    return JSON.parse(fs.readFileSync(pkgFile, 'utf8')).version;
  } catch {
    fail(`mediasoup is not installed (${pkgFile} missing); run npm install first`);
  }
}

async function main() {
  // 1. explicit worker binary
  const envBin = process.env.MEDIASOUP_WORKER_BIN;
  if (envBin) {
    if (isExecutableFile(envBin)) {
      log(`using MEDIASOUP_WORKER_BIN=${envBin}`);
      return;
    }
    fail(`MEDIASOUP_WORKER_BIN=${envBin} is not an executable file (unset it to use/build the default worker)`);
  }

  const version = readVersion();

  // 1b. default path already has a working worker (fast path)
  const current = workerRuns(defaultBin);
  if (current.ok) {
    log(`mediasoup ${version} worker OK: ${path.relative(repoRoot, defaultBin)}`);
    return;
  }

  const cacheRoot = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  const cacheDir = path.join(cacheRoot, 'hcw-realtime-sdk');
  const cacheName = `mediasoup-worker-${version}-${process.platform}-${process.arch}`;
  const cacheBin = path.join(cacheDir, cacheName);
  fs.mkdirSync(cacheDir, { recursive: true });

  const release = await acquireLock(path.join(cacheDir, `${cacheName}.lock`));
  try {
    // Another process may have provided it while we waited for the lock.
    if (workerRuns(defaultBin).ok) {
      log(`mediasoup ${version} worker OK: ${path.relative(repoRoot, defaultBin)}`);
      return;
    }

    // 2. cached worker
    if (fs.existsSync(cacheBin)) {
      const cached = workerRuns(cacheBin);
      if (cached.ok) {
        atomicCopy(cacheBin, defaultBin);
        log(`installed cached worker ${cacheBin} -> ${path.relative(repoRoot, defaultBin)}`);
        return;
      }
      log(`ignoring cached worker ${cacheBin}: ${cached.why}; rebuilding`);
    }

    if (fs.existsSync(defaultBin)) log(`existing ${path.relative(repoRoot, defaultBin)} is unusable (${current.why})`);

    // 3. build
    if (process.platform !== 'linux') {
      fail(
        `no mediasoup worker and building from source is only scripted for Linux (Debian 12) here; ` +
          `on ${process.platform} run mediasoup's own installer (cd node_modules/mediasoup && npm run postinstall) ` +
          `or set MEDIASOUP_WORKER_BIN`,
      );
    }
    const built = await build(cacheDir, path.join(cacheDir, `${cacheName}.build.log`));
    atomicCopy(built, defaultBin);
    atomicCopy(built, cacheBin);
    log(`installed ${path.relative(repoRoot, defaultBin)} and cached it at ${cacheBin}`);
  } finally {
    release();
  }
}

const optional = process.argv.includes('--optional');

main().then(
  () => process.exit(0),
  (err) => {
    const message = err instanceof Failure ? err.message : (err?.stack ?? err);
    if (optional) {
      console.warn(`${TAG} no mediasoup worker: ${message}`);
      console.warn(`${TAG} going on without it: the test server starts with media off (no video; chat, waiting room and the rest work).`);
      process.exit(0);
    }
    console.error(`${TAG} ERROR: ${message}`);
    process.exit(1);
  },
);
