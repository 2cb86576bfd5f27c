/**
 * What CI pipelines run: the GitHub Action (action.yml), the pre-commit hook
 * (.pre-commit-hooks.yaml) and the container image (deploy/Dockerfile).
 *
 * The action's `run:` steps are executed as GitHub runs a composite action's bash steps
 * (`bash --noprofile --norc -eo pipefail`), in order, with the env, `GITHUB_OUTPUT`,
 * `GITHUB_STEP_SUMMARY` and `${{ }}` values the runner would give them, against the built CLI
 * on a workspace of manifests; `if:` conditions are evaluated as GitHub would for the
 * expressions the action uses (anything else fails the test). The pull-request comment goes to
 * a GitHub REST API served by this test on loopback. Not executed: the `uses:` steps
 * (setup-node, codeql upload-sarif: checked for their inputs instead) and the registry install
 * of kube-palisade, replaced by the link `npm install -g` makes (`palisade` -> dist/cli/main.js,
 * the package's bin).
 *
 * The hook's entry runs as pre-commit runs it: split into words, the staged files that pass
 * its `types`/`exclude` filters appended, no shell. The Dockerfile cannot be built here (no
 * Docker engine): its stages are checked against the package `npm pack` makes.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { assertValidSarif } from '../src/reporters/fixtures/sarif-schema.js';
import { VERSION } from '../src/version.js';
import { CLI } from './support/cli.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; bin: Record<string, string>; engines: { node: string } };
const tmp = mkdtempSync(join(tmpdir(), 'palisade-pipelines-'));

// `npm install -g kube-palisade` links the package's bin into PATH: the same link to the built CLI.
const bin = join(tmp, 'bin');
mkdirSync(bin);
symlinkSync(CLI, join(bin, 'palisade'));
const PATH = `${bin}:${process.env.PATH ?? ''}`;

const HARDENED = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      automountServiceAccountToken: false
      securityContext: {runAsNonRoot: true, runAsUser: 10001, seccompProfile: {type: RuntimeDefault}}
      containers:
        - name: web
          image: registry.example.com/shop/web:1.4.2
          securityContext: {allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: {drop: [ALL]}}
          resources: {requests: {cpu: 100m, memory: 128Mi}, limits: {cpu: 500m, memory: 256Mi}}
`;
const PRIVILEGED = `apiVersion: v1
kind: Pod
metadata: {name: debug, namespace: shop}
spec:
  hostPID: true
  containers:
    - name: shell
      image: registry.example.com/tools/toolbox:2.1
      securityContext: {privileged: true}
`;

/** A repository checkout: manifests, a workflow, a chart template and other YAML. */
function workspace(): string {
  const ws = mkdtempSync(join(tmp, 'ws-'));
  const put = (path: string, text: string) => {
    mkdirSync(dirname(join(ws, path)), { recursive: true });
    writeFileSync(join(ws, path), text);
  };
  put('k8s/web.yaml', HARDENED);
  put('k8s/debug.yaml', PRIVILEGED);
  put('.github/workflows/ci.yml', 'name: ci\non: [pull_request]\njobs:\n  scan:\n    runs-on: ubuntu-latest\n    steps: [{uses: actions/checkout@v4}]\n');
  put('chart/templates/deployment.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n');
  put('mkdocs.yml', 'site_name: shop\nnav: [{Home: index.md}]\n');
  put('README.md', '# shop\n');
  return ws;
}

// --- a GitHub REST API for issue comments --------------------------------------------------

interface Comment {
  id: number;
  body: string;
  html_url: string;
}
const api = { comments: [] as Comment[], requests: [] as { method: string; url: string; auth: string }[] };
const server = createServer((req: IncomingMessage, res: ServerResponse) => {
  let text = '';
  req.on('data', (d: Buffer) => {
    text += d.toString();
  });
  req.on('end', () => {
    api.requests.push({ method: req.method ?? '', url: req.url ?? '', auth: req.headers.authorization ?? '' });
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== 'Bearer ghs_test_token') return reply(401, { message: 'Bad credentials' });
    const list = /^\/repos\/acme\/shop\/issues\/(\d+)\/comments(\?.*)?$/.exec(req.url ?? '');
    const one = /^\/repos\/acme\/shop\/issues\/comments\/(\d+)$/.exec(req.url ?? '');
    if (list && req.method === 'GET') return reply(200, api.comments);
    if (list && req.method === 'POST') {
      const c = {
        id: 1000 + api.comments.length,
        body: (JSON.parse(text) as { body: string }).body,
        html_url: `https://github.example/acme/shop/pull/${list[1]}#c`,
      };
      api.comments.push(c);
      return reply(201, c);
    }
    const existing = one ? api.comments.find((c) => c.id === Number(one[1])) : undefined;
    if (existing && req.method === 'PATCH') {
      existing.body = (JSON.parse(text) as { body: string }).body;
      return reply(200, existing);
    }
    return reply(404, { message: 'Not Found' });
  });
});
let apiUrl = '';
before(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => server.close());

// --- the composite action, run step by step -------------------------------------------------

interface Step {
  name: string;
  id?: string;
  if?: string;
  uses?: string;
  with?: Record<string, string>;
  shell?: string;
  env?: Record<string, string>;
  run?: string;
}
interface Action {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Step[] };
}
const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as Action;

interface Context {
  inputs: Record<string, string>;
  github: { token: string; event_name: string; repository: string; event: { pull_request?: { number: number } } };
  runner: { temp: string };
  steps: Record<string, { outputs: Record<string, string> }>;
}

function lookup(path: string, ctx: Context): string {
  let v: unknown = ctx;
  for (const key of path.split('.')) {
    if (v === null || typeof v !== 'object') throw new Error(`expression reads ${path}, which the harness does not provide`);
    v = (v as Record<string, unknown>)[key];
  }
  // GitHub evaluates a missing output or event field to '' (null).
  if (v === undefined && /^(steps\.[\w-]+\.outputs\.|github\.event\.)/.test(path)) return '';
  if (v === undefined || (typeof v === 'object' && v !== null)) throw new Error(`expression reads ${path}, which the harness does not provide`);
  return String(v);
}

/** The expressions action.yml uses: context paths, string literals, ==, !=, &&, !cancelled(). */
function evaluate(expr: string, ctx: Context): string | boolean {
  const terms = expr.split('&&').map((t) => t.trim());
  if (terms.length > 1) return terms.every((t) => evaluate(t, ctx) === true);
  const t = terms[0] as string;
  if (t === '!cancelled()') return true;
  const cmp = /^([\w.-]+)\s*(==|!=)\s*'([^']*)'$/.exec(t);
  if (cmp) return (lookup(cmp[1] as string, ctx) === cmp[3]) === (cmp[2] === '==');
  if (/^[\w.-]+$/.test(t)) return lookup(t, ctx);
  throw new Error(`the harness cannot evaluate \${{ ${t} }}`);
}

function substitute(text: string, ctx: Context): string {
  return text.replace(/\$\{\{\s*([\s\S]*?)\s*\}\}/g, (_, e: string) => String(evaluate(e, ctx)));
}

function condition(step: Step, ctx: Context, failed: boolean): boolean {
  if (step.if === undefined) return !failed;
  const inner = /^\$\{\{([\s\S]*)\}\}$/.exec(step.if.trim())?.[1] ?? step.if;
  if (!inner.includes('!cancelled()') && !inner.includes('always()') && failed) return false;
  return evaluate(inner.trim(), ctx) === true;
}

function runBash(script: string, cwd: string, env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  const file = join(mkdtempSync(join(tmp, 'step-')), 'step.sh');
  writeFileSync(file, script);
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', file], { cwd, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

function readOutputs(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) out[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return out;
}

interface JobResult {
  conclusion: 'success' | 'failure';
  exitCode: number;
  ran: string[];
  logs: Record<string, { code: number; stdout: string; stderr: string }>;
  uses: Record<string, Record<string, string>>;
  summary: string;
  ctx: Context;
}

async function runAction(ws: string, inputs: Record<string, string>, event: { name: string; pr?: number }): Promise<JobResult> {
  const defaults = Object.fromEntries(Object.entries(action.inputs).map(([k, v]) => [k, v.default ?? '']));
  const runnerTemp = mkdtempSync(join(tmp, 'runner-'));
  const ctx: Context = {
    inputs: {},
    github: { token: 'ghs_test_token', event_name: event.name, repository: 'acme/shop', event: event.pr ? { pull_request: { number: event.pr } } : {} },
    runner: { temp: runnerTemp },
    steps: {},
  };
  ctx.inputs = Object.fromEntries(Object.entries({ ...defaults, ...inputs }).map(([k, v]) => [k, substitute(v, ctx)]));
  const summaryFile = join(runnerTemp, 'step-summary.md');
  writeFileSync(summaryFile, '');
  const result: JobResult = { conclusion: 'success', exitCode: 0, ran: [], logs: {}, uses: {}, summary: '', ctx };
  for (const step of action.runs.steps) {
    if (!condition(step, ctx, result.conclusion === 'failure')) continue;
    if (step.uses) {
      result.uses[step.uses] = Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, substitute(String(v), ctx)]));
      result.ran.push(step.name);
      continue;
    }
    assert.equal(step.shell, 'bash', step.name);
    const env = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, substitute(String(v), ctx)]));
    if (step.name === 'Install kube-palisade') {
      // The one step not executed (it needs the npm registry): it must install the package
      // this repository publishes, at the version input, and provide the bin linked above.
      assert.match(step.run ?? '', /npm install --global .*"kube-palisade@\$\{PALISADE_VERSION\}"/);
      assert.equal(env.PALISADE_VERSION, ctx.inputs.version);
      result.ran.push(step.name);
      continue;
    }
    const outputFile = join(runnerTemp, `output-${result.ran.length}`);
    writeFileSync(outputFile, '');
    const r = await runBash(step.run ?? '', ws, {
      PATH,
      HOME: runnerTemp,
      NO_COLOR: '1',
      GITHUB_ACTIONS: 'true',
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: summaryFile,
      GITHUB_ACTION_PATH: ROOT,
      GITHUB_API_URL: apiUrl,
      GITHUB_REPOSITORY: 'acme/shop',
      GITHUB_EVENT_NAME: event.name,
      GITHUB_WORKSPACE: ws,
      RUNNER_TEMP: runnerTemp,
      ...env,
    });
    result.ran.push(step.name);
    result.logs[step.name] = r;
    if (step.id) ctx.steps[step.id] = { outputs: readOutputs(outputFile) };
    if (r.code !== 0) {
      result.conclusion = 'failure';
      if (result.exitCode === 0) result.exitCode = r.code;
    }
  }
  result.summary = readFileSync(summaryFile, 'utf8');
  return result;
}

describe('GitHub Action (action.yml)', () => {
  it('is a composite action on Node 20 whose inputs reach the shell through env only', () => {
    assert.equal(action.runs.using, 'composite');
    const setup = action.runs.steps.find((s) => s.uses?.startsWith('actions/setup-node@'));
    assert.equal(setup?.with?.['node-version'], '20');
    assert.ok(action.runs.steps.some((s) => s.uses === 'github/codeql-action/upload-sarif@v3'));
    for (const s of action.runs.steps) if (s.run) assert.doesNotMatch(s.run, /\$\{\{/, `${s.name}: no expression inside a script (injection)`);
    assert.equal(action.inputs.version?.default, VERSION);
    for (const k of ['paths', 'fail-on', 'format']) assert.ok(k in action.inputs, k);
  });

  it('on a pull request with a privileged pod: SARIF uploaded, Markdown commented and in the summary, the job fails with exit 1', async () => {
    const ws = workspace();
    const job = await runAction(ws, { paths: 'k8s' }, { name: 'pull_request', pr: 7 });
    assert.equal(job.conclusion, 'failure');
    assert.equal(job.exitCode, 1);
    assert.deepEqual(job.ran, ['Set up Node.js', 'Install kube-palisade', 'Scan', 'Upload SARIF', 'Comment on the pull request', 'Gate']);
    const scan = job.ctx.steps.scan?.outputs ?? {};
    assert.equal(scan['exit-code'], '1');
    assert.match(job.logs.Scan?.stdout ?? '', /debug/);

    const upload = job.uses['github/codeql-action/upload-sarif@v3'] ?? {};
    assert.equal(upload.sarif_file, scan['sarif-file']);
    const sarif = JSON.parse(readFileSync(upload.sarif_file as string, 'utf8')) as {
      runs: { results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[];
    };
    assertValidSarif(sarif);
    const results = sarif.runs[0]?.results ?? [];
    assert.ok(results.some((r) => r.locations[0]?.physicalLocation.artifactLocation.uri.endsWith('k8s/debug.yaml')));

    const markdown = readFileSync(scan['markdown-file'] as string, 'utf8');
    assert.match(markdown, /debug/);
    assert.ok(job.summary.includes(markdown), 'the report is in the job summary');
    assert.equal(api.comments.length, 1);
    assert.ok(api.comments[0]?.body.startsWith('<!-- palisade-scan-report -->\n'));
    assert.ok(api.comments[0]?.body.includes(markdown.trim()));
    assert.match(job.logs['Comment on the pull request']?.stdout ?? '', /posted the report on pull request #7/);

    // Pushed again: the same comment is updated, not a second one posted.
    writeFileSync(join(ws, 'k8s/debug.yaml'), PRIVILEGED.replace('hostPID: true\n', ''));
    const again = await runAction(ws, { paths: 'k8s' }, { name: 'pull_request', pr: 7 });
    assert.equal(again.exitCode, 1);
    assert.equal(api.comments.length, 1);
    assert.ok(api.requests.some((r) => r.method === 'PATCH' && r.url === '/repos/acme/shop/issues/comments/1000'));
    assert.ok(api.requests.every((r) => r.auth === 'Bearer ghs_test_token'));
  });

  it('passes with fail-on empty, and does not comment outside pull requests', async () => {
    const before = api.requests.length;
    const job = await runAction(workspace(), { paths: 'k8s', 'fail-on': '', format: 'json' }, { name: 'push' });
    assert.equal(job.conclusion, 'success', JSON.stringify(job.logs));
    assert.equal(job.ctx.steps.scan?.outputs['exit-code'], '0');
    assert.ok(!job.ran.includes('Comment on the pull request'));
    assert.equal(api.requests.length, before);
    assert.ok(job.ran.includes('Upload SARIF'));
    assert.ok(JSON.parse(job.logs.Scan?.stdout ?? '').findings.length > 0, 'the log shows the json report');
  });

  it('passes on clean manifests given as several paths', async () => {
    const ws = workspace();
    mkdirSync(join(ws, 'more'));
    writeFileSync(join(ws, 'more', 'api.yaml'), HARDENED.replace('name: web, namespace', 'name: api, namespace'));
    const job = await runAction(ws, { paths: 'k8s/web.yaml\nmore' }, { name: 'push' });
    assert.equal(job.conclusion, 'success', JSON.stringify(job.logs));
    assert.equal(job.exitCode, 0);
  });

  it('stops with exit 2 on a usage or configuration error, before uploading or gating', async () => {
    const job = await runAction(workspace(), { paths: 'k8s', config: 'missing.yaml' }, { name: 'push' });
    assert.equal(job.conclusion, 'failure');
    assert.equal(job.exitCode, 2);
    assert.equal(job.ctx.steps.scan?.outputs['exit-code'], '2');
    assert.ok(!job.ran.includes('Gate'));
    assert.match(job.logs.Scan?.stderr ?? '', /missing\.yaml/);
  });

  it('treats inputs as data: a path that looks like a command is a file name', async () => {
    const ws = workspace();
    const job = await runAction(ws, { paths: '$(touch pwned) `touch pwned2` k8s/web.yaml' }, { name: 'push' });
    assert.equal(existsSync(join(ws, 'pwned')), false);
    assert.equal(existsSync(join(ws, 'pwned2')), false);
    assert.equal(job.conclusion, 'failure', 'the odd paths do not exist');
  });
});

describe('pre-commit hook (.pre-commit-hooks.yaml)', () => {
  const hooks = parse(readFileSync(join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as {
    id: string;
    entry: string;
    language: string;
    types: string[];
    exclude: string;
    require_serial: boolean;
  }[];
  const hook = hooks.find((h) => h.id === 'palisade-scan');

  /** The staged files pre-commit passes to the hook: `types: [yaml]` and `exclude`. */
  function selected(files: string[]): string[] {
    assert.ok(hook);
    assert.deepEqual(hook.types, ['yaml']);
    const exclude = new RegExp(hook.exclude);
    return files.filter((f) => /\.ya?ml$/.test(f) && !exclude.test(f));
  }

  function runHook(ws: string, staged: string[]): { code: number; stdout: string; stderr: string } {
    assert.ok(hook);
    assert.doesNotMatch(hook.entry, /["'\\$]/, 'pre-commit splits the entry like a shell but runs no shell');
    const [cmd, ...args] = hook.entry.split(/\s+/);
    const r = spawnSync(cmd as string, [...args, ...selected(staged)], { cwd: ws, encoding: 'utf8', env: { ...process.env, PATH } });
    return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
  }

  it('is a node hook whose command is the package bin, run once over all files', () => {
    assert.ok(hook);
    assert.equal(hook.language, 'node');
    assert.equal(hook.require_serial, true);
    assert.match(hook.entry, /^palisade scan --fail-on high\b/);
    assert.equal(pkg.bin.palisade, './dist/cli/main.js');
    assert.equal(realpathSync(join(bin, 'palisade')), realpathSync(join(ROOT, pkg.bin.palisade)));
  });

  it('refuses a commit that adds a privileged pod, and lets clean manifests and other YAML through', () => {
    const ws = workspace();
    const all = ['k8s/debug.yaml', 'k8s/web.yaml', '.github/workflows/ci.yml', 'chart/templates/deployment.yaml', 'mkdocs.yml', 'README.md'];
    assert.deepEqual(selected(all), ['k8s/debug.yaml', 'k8s/web.yaml', 'mkdocs.yml']);
    const bad = runHook(ws, all);
    assert.equal(bad.code, 1, bad.stderr);
    assert.match(bad.stdout, /debug/);
    assert.match(bad.stderr, /failing findings at or above high/);
    const good = runHook(ws, ['k8s/web.yaml', 'mkdocs.yml', 'chart/templates/deployment.yaml', 'README.md']);
    assert.equal(good.code, 0, good.stdout + good.stderr);
  });
});

describe('container image (deploy/Dockerfile)', () => {
  const dockerfile = readFileSync(join(ROOT, 'deploy/Dockerfile'), 'utf8');
  // Instructions, with continuation lines joined and comments dropped.
  const instructions = dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => {
      const sp = l.indexOf(' ');
      return { op: l.slice(0, sp).toUpperCase(), arg: l.slice(sp + 1).trim() };
    });
  const stages: { from: string; body: { op: string; arg: string }[] }[] = [];
  for (const i of instructions) {
    if (i.op === 'FROM') stages.push({ from: i.arg, body: [] });
    else stages.at(-1)?.body.push(i);
  }
  const pack = JSON.parse(spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' }).stdout) as {
    filename: string;
    files: { path: string }[];
  }[];
  const packed = new Set(pack[0]?.files.map((f) => f.path));

  it('builds the npm package in a first stage and installs only the packed tarball on a node:20 slim base', () => {
    assert.equal(stages.length, 2);
    const [build, runtime] = stages as [(typeof stages)[0], (typeof stages)[0]];
    assert.match(build.from, /^node:20[\w.-]*-slim AS pack$/);
    assert.match(runtime.from, /^node:20[\w.-]*-slim$/);
    // What the first stage copies from the build context exists, and the ignore file keeps
    // what `npm run build` reads.
    const ignored = readFileSync(join(ROOT, 'deploy/Dockerfile.dockerignore'), 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '' && !l.startsWith('#'));
    for (const copy of build.body.filter((i) => i.op === 'COPY')) {
      const parts = copy.arg.split(/\s+/);
      for (const src of parts.slice(0, -1)) assert.ok(existsSync(join(ROOT, src)), `COPY ${src}`);
    }
    for (const needed of ['src', 'scripts', 'package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'README.md'])
      assert.ok(!ignored.includes(needed), `${needed} is in the build context`);
    assert.ok(build.body.some((i) => i.op === 'RUN' && /npm run build && npm pack --ignore-scripts --pack-destination \/pkg/.test(i.arg)));
    // The runtime stage takes nothing from the context: only the tarball.
    const copies = runtime.body.filter((i) => i.op === 'COPY');
    assert.deepEqual(
      copies.map((c) => c.arg),
      ['--from=pack /pkg/ /pkg/'],
    );
    const install = runtime.body.find((i) => i.op === 'RUN')?.arg ?? '';
    const glob = /npm install --global --omit=dev .*\/pkg\/(\S+)/.exec(install)?.[1] ?? '';
    assert.ok(new RegExp(`^${glob.replace('.', '\\.').replace('*', '.*')}$`).test(pack[0]?.filename ?? ''), `${glob} matches ${pack[0]?.filename}`);
  });

  it('runs the packed CLI as a non-root user, with HOME in /tmp (read-only root filesystem)', () => {
    const runtime = stages[1];
    assert.ok(runtime);
    const user = runtime.body.filter((i) => i.op === 'USER').at(-1)?.arg ?? 'root';
    const uid = user.split(':')[0] as string;
    assert.match(uid, /^\d+$/, 'numeric, so that runAsNonRoot can verify it');
    assert.notEqual(Number(uid), 0);
    assert.deepEqual(JSON.parse(runtime.body.find((i) => i.op === 'ENTRYPOINT')?.arg ?? '[]'), ['palisade']);
    assert.match(runtime.body.find((i) => i.op === 'ENV')?.arg ?? '', /HOME=\/tmp/);
    // `palisade` is the package's bin, and npm pack ships its target with a node shebang.
    const target = (pkg.bin.palisade ?? '').replace(/^\.\//, '');
    assert.ok(packed.has(target), `${target} is in the package`);
    assert.ok(readFileSync(join(ROOT, target), 'utf8').startsWith('#!/usr/bin/env node\n'));
    assert.ok(packed.has('package.json'));
    assert.ok(![...packed].some((f) => f.startsWith('src/') || f.startsWith('test/')), 'no sources in the image');
    assert.match(pkg.engines.node, /^>=20\./);
  });

  it('the manifests run it as the Dockerfile allows: uid 65532, read-only root, /tmp writable', () => {
    const server = readFileSync(join(ROOT, 'deploy/server/deployment.yaml'), 'utf8');
    assert.match(server, /runAsUser: 65532/);
    assert.match(server, /readOnlyRootFilesystem: true/);
    assert.match(server, /mountPath: \/tmp/);
    const user = stages[1]?.body.filter((i) => i.op === 'USER').at(-1)?.arg;
    assert.equal(user, '65532:65532');
  });
});
