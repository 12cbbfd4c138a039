// Static checks of docker-compose.yml, Dockerfile and the compose documentation, and that the compose
// file describes what `npm run test:cluster` tested: the server version, the four services in their
// start order and the server settings of cluster/topology.ts. Nothing here starts a container (the
// machine this was written on has no Docker engine); the Dockerfile is read against the compiled build
// (`npm run build`: tsconfig.build.json into dist/, e.g. dist/src/worker.js) and against package.json.
//
// Run: npx mocha test/compose/docker-compose.test.ts
//
// Compose Specification schema: `schemas/compose.schema.json` of the npm package
// `dclint` (pinned devDependency, 3.1.0). dclint's build downloads that file verbatim
// from the compose-spec/compose-spec repository (schema/compose-spec.json, main
// branch) at dclint's release time; the exact upstream commit is not recorded. It is
// the draft-07 schema that already has the `models`, `provider`, `use_api_socket` and
// `gw_priority` keys. Only the JSON file is used, not dclint's linter.

import { strict as assert } from 'assert';
import { existsSync, readFileSync } from 'fs';
import { builtinModules } from 'module';
import * as path from 'path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { metricsAddress } from '../../src/shared/config';
import { SEARCH_ATTRIBUTE_NAMES } from '../../src/shared/constants';
import {
  POSTGRES_MAX_CONNECTIONS,
  SHARED_SERVER_SETTINGS,
  TEMPORAL_SERVER_VERSION,
  TEMPORAL_SERVICES,
  clusterPorts,
  serverEnvironment,
} from '../../cluster/topology';
import { PROMETHEUS_DIR, RULES_FILE, WORKER_JOB, type PrometheusConfig } from '../alerts/prometheus';

const ROOT = path.resolve(__dirname, '..', '..');
const COMPOSE_FILE = path.join(ROOT, 'docker-compose.yml');
const DOCKERFILE = path.join(ROOT, 'Dockerfile');
// The README's Docker Compose section is what users read: it must name every port and variable.
const CONFIG_DOC = path.join(ROOT, 'docs', 'operations.md');
/** Where the worker serves its metrics (src/shared/config.ts reads it; checked through metricsAddress() below). */
const METRICS_ADDRESS_ENV = 'PRISMA_BACKUP_METRICS_ADDRESS';

type Env = Record<string, string | number | boolean | null>;
interface Service {
  image?: string;
  build?: unknown;
  command?: unknown;
  entrypoint?: unknown;
  environment?: Env | string[];
  ports?: Array<string | number | { target: number | string; published?: number | string; host_ip?: string }>;
  volumes?: Array<string | { type?: string; source?: string; target?: string }>;
  depends_on?: string[] | Record<string, { condition: string }>;
  network_mode?: string;
}
interface ComposeFile {
  services: Record<string, Service>;
}

const composeText = readFileSync(COMPOSE_FILE, 'utf8');
// merge: the server containers share their variables through a `<<: *anchor` merge key, as Compose reads it.
const compose = parse(composeText, { merge: true }) as ComposeFile;
const services = compose.services;

function env(service: Service): Env {
  const e = service.environment;
  if (e === undefined) return {};
  if (!Array.isArray(e)) return e;
  const out: Env = {};
  for (const item of e) {
    const i = item.indexOf('=');
    if (i < 0) out[item] = null;
    else out[item.slice(0, i)] = item.slice(i + 1);
  }
  return out;
}

function dependsOn(service: Service): Record<string, string> {
  const d = service.depends_on;
  if (d === undefined) return {};
  if (Array.isArray(d)) return Object.fromEntries(d.map((name) => [name, 'service_started']));
  return Object.fromEntries(Object.entries(d).map(([name, v]) => [name, v.condition]));
}

interface PublishedPort {
  service: string;
  hostIp: string | undefined;
  hostPort: string | undefined;
  containerPort: string;
  raw: string;
}

/** Short syntax `[HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTO]` (HOST_IP may be `[v6]`), or long syntax. */
function publishedPorts(): PublishedPort[] {
  const out: PublishedPort[] = [];
  for (const [name, svc] of Object.entries(services)) {
    for (const p of svc.ports ?? []) {
      if (typeof p === 'object') {
        out.push({
          service: name,
          hostIp: p.host_ip,
          hostPort: p.published === undefined ? undefined : String(p.published),
          containerPort: String(p.target),
          raw: JSON.stringify(p),
        });
        continue;
      }
      const raw = String(p);
      let rest = raw.replace(/\/(tcp|udp|sctp)$/, '');
      let hostIp: string | undefined;
      const v6 = /^\[([^\]]+)\]:(.*)$/.exec(rest);
      if (v6) {
        hostIp = v6[1];
        rest = v6[2];
      }
      const parts = rest.split(':');
      if (!v6 && parts.length === 3) hostIp = parts.shift();
      const containerPort = parts.pop() as string;
      const hostPort = parts.length ? parts[0] : undefined;
      out.push({ service: name, hostIp, hostPort: hostPort || undefined, containerPort, raw });
    }
  }
  return out;
}

/** Host-side files of `./relative:/in/container[:ro]` bind mounts. */
function bindMountSources(service: Service): string[] {
  const out: string[] = [];
  for (const v of service.volumes ?? []) {
    const source = typeof v === 'string' ? v.split(':')[0] : v.type === 'bind' ? v.source : undefined;
    if (source && (source.startsWith('.') || source.startsWith('/') || source.startsWith('~'))) out.push(source);
  }
  return out;
}

function imageRefParts(image: string): { repository: string; tag: string | undefined; digest: string | undefined } {
  const [nameAndTag, digest] = image.split('@');
  const lastSlash = nameAndTag.lastIndexOf('/');
  const colon = nameAndTag.indexOf(':', lastSlash + 1);
  return colon < 0
    ? { repository: nameAndTag, tag: undefined, digest }
    : { repository: nameAndTag.slice(0, colon), tag: nameAndTag.slice(colon + 1), digest };
}

function assertPinned(image: string, where: string): void {
  const { tag, digest } = imageRefParts(image);
  assert.ok(!/\$\{/.test(image), `${where}: image "${image}" must not depend on a variable`);
  assert.ok(tag !== undefined || digest !== undefined, `${where}: image "${image}" has no tag`);
  if (tag !== undefined) {
    assert.notEqual(tag.toLowerCase(), 'latest', `${where}: image "${image}" uses :latest`);
    assert.match(tag, /\d/, `${where}: image "${image}" tag has no version number`);
  }
}

function semver(tag: string): [number, number, number] {
  const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(tag);
  assert.ok(m, `expected an exact x.y.z tag, got "${tag}"`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

function serviceByImage(repository: string): Array<[string, Service]> {
  return Object.entries(services).filter(([, s]) => s.image && imageRefParts(s.image).repository === repository);
}

/** The Temporal server containers, by the service each runs (TEMPORAL_SERVICES). */
function serverServices(): Array<[string, Service, string]> {
  return serviceByImage('temporalio/server').map(([name, svc]) => [name, svc, String(env(svc).TEMPORAL_SERVICES)]);
}

function serverServiceRunning(service: string): string {
  const found = serverServices().find(([, , runs]) => runs === service);
  assert.ok(found, `no temporalio/server container runs the ${service} service`);
  return found[0];
}

/** Names of the search-attribute setup services: admin-tools containers whose mounted script registers attributes. */
function searchAttributeSetupServices(): Array<[string, Service, string]> {
  const out: Array<[string, Service, string]> = [];
  for (const [name, svc] of serviceByImage('temporalio/admin-tools')) {
    const scripts = bindMountSources(svc)
      .map((s) => path.join(ROOT, s))
      .filter((p) => existsSync(p) && p.endsWith('.sh'))
      .map((p) => readFileSync(p, 'utf8'));
    const inline = JSON.stringify([svc.entrypoint ?? null, svc.command ?? null]);
    const text = [...scripts, inline].join('\n');
    if (/search-attribute\s+create/.test(text)) out.push([name, svc, text]);
  }
  return out;
}

interface DockerStage {
  name: string | undefined;
  /** The image or earlier stage it starts from, variables resolved. */
  from: string;
  /** Its instructions after FROM, continuation lines joined, comments left out. */
  instructions: string[];
}

const dockerfileText = readFileSync(DOCKERFILE, 'utf8');

/** The Dockerfile's stages, in order. */
function dockerStages(text = dockerfileText): DockerStage[] {
  const args = new Map<string, string>();
  const stages: DockerStage[] = [];
  const lines = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  for (const line of lines) {
    const arg = /^ARG\s+(\w+)=(\S+)/.exec(line);
    if (arg && stages.length === 0) args.set(arg[1], arg[2]);
    const from = /^FROM\s+(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
    if (from) {
      stages.push({ name: from[2], from: from[1].replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a, b) => args.get(a ?? b) ?? ''), instructions: [] });
    } else if (stages.length) stages[stages.length - 1].instructions.push(line);
  }
  return stages;
}

/** A stage and the stages it is built FROM, the stage itself first. */
function stageChain(target: string | undefined): DockerStage[] {
  const stages = dockerStages();
  const chain: DockerStage[] = [];
  let stage = target === undefined ? stages.at(-1) : stages.find((s) => s.name === target);
  assert.ok(stage, `the Dockerfile has no stage ${target}`);
  while (stage) {
    chain.push(stage);
    const base: string = stage.from;
    stage = stages.find((s) => s.name === base);
  }
  return chain;
}

/** The exec-form CMD a stage (or the stage it is built FROM) runs. */
function cmdOf(chain: DockerStage[]): unknown {
  for (const stage of chain) {
    const cmd = [...stage.instructions].reverse().find((i) => /^CMD\s/.test(i));
    if (cmd) return JSON.parse(cmd.replace(/^CMD\s+/, ''));
  }
  return undefined;
}

const packageJson = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

/**
 * The TypeScript files an entry point's code reaches through relative imports (type-only imports left
 * out: they are erased), and the packages they import.
 */
function importClosure(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const builtins = new Set(builtinModules);
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
    const specifiers: string[] = [];
    for (const m of text.matchAll(/^\s*(import|export)\s+([^'";]*?)\s*from\s+'([^']+)'/gm)) {
      const clause = m[2];
      if (/^type\s/.test(clause)) continue;
      const named = /^\{([^}]*)\}$/.exec(clause.trim());
      if (named && named[1].split(',').every((n) => !n.trim() || /^type\s/.test(n.trim()))) continue;
      specifiers.push(m[3]);
    }
    for (const m of text.matchAll(/^\s*import\s+'([^']+)'/gm)) specifiers.push(m[1]);
    for (const m of text.matchAll(/\b(?:require|import)\(\s*'([^']+)'\s*\)/g)) specifiers.push(m[1]);
    for (const spec of specifiers) {
      if (spec.startsWith('.')) {
        const base = path.resolve(path.dirname(file), spec);
        const found = [`${base}.ts`, path.join(base, 'index.ts')].find((f) => existsSync(f));
        assert.ok(found, `${path.relative(ROOT, file)} imports ${spec}, which is not a TypeScript file`);
        visit(found);
      } else if (!spec.startsWith('node:') && !builtins.has(spec)) {
        packages.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
      }
    }
  };
  visit(entry);
  return { files, packages };
}

/** The built services: name, Dockerfile target, and the compiled entry point their command runs. */
function builtServices(): Array<{ name: string; target: string | undefined; entry: string }> {
  return Object.entries(services)
    .filter(([, svc]) => svc.build)
    .map(([name, svc]) => {
      const build = svc.build as { target?: string };
      const command = svc.command as string[];
      assert.ok(Array.isArray(command) && command[0] === 'node' && command.length === 2, `${name}: command ${JSON.stringify(command)}`);
      return { name, target: build.target, entry: command[1] };
    });
}

describe('docker-compose.yml', () => {
  describe('Compose Specification schema', () => {
    const schemaPath = path.join(path.dirname(require.resolve('dclint/package.json')), 'schemas', 'compose.schema.json');
    const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as { $schema: string; title: string };
    // The schema names its meta-schema "https://json-schema.org/draft-07/schema"; ajv registers
    // draft-07 as "http://json-schema.org/draft-07/schema#", so register ajv's own copy of the
    // draft-07 meta-schema (without its $id, which is taken) under the https URL as well.
    const draft07 = JSON.parse(readFileSync(require.resolve('ajv/dist/refs/json-schema-draft-07.json'), 'utf8'));
    delete draft07.$id;
    const ajv = new Ajv({ allErrors: true, allowUnionTypes: true, strictTypes: false });
    if (!ajv.getSchema(schema.$schema)) ajv.addMetaSchema(draft07, schema.$schema);
    const validate = ajv.compile(schema);

    it('uses the draft-07 Compose Specification schema', () => {
      assert.equal(schema.title, 'Compose Specification');
      assert.match(schema.$schema, /draft-07/);
    });

    it('validates docker-compose.yml', () => {
      const ok = validate(compose);
      assert.ok(ok, `schema errors:\n${JSON.stringify(validate.errors, null, 2)}`);
    });

    it('rejects a file with a misspelled service key (the validator is not vacuous)', () => {
      const broken = JSON.parse(JSON.stringify(compose)) as ComposeFile & { services: Record<string, Record<string, unknown>> };
      broken.services.worker.prots = ['127.0.0.1:1234:1234'];
      assert.equal(validate(broken), false);
    });
  });

  describe('services', () => {
    it('has postgresql, the four Temporal services, temporal-ui, simulator, worker and a search-attribute setup', () => {
      for (const name of ['postgresql', 'temporal-ui', 'simulator', 'worker']) {
        assert.ok(services[name], `missing service "${name}"`);
      }
      assert.equal(searchAttributeSetupServices().length, 1, 'expected one admin-tools service that creates search attributes');
      for (const [name, svc] of Object.entries(services)) {
        assert.ok(!svc.image?.startsWith('temporalio/auto-setup'), `${name}: temporalio/auto-setup is deprecated`);
      }
    });
  });

  describe('the topology npm run test:cluster tested (cluster/topology.ts)', () => {
    it('runs each of history, matching, frontend and worker in a container of its own', () => {
      const runs = serverServices().map(([, , service]) => service);
      assert.deepEqual([...runs].sort(), [...TEMPORAL_SERVICES].sort());
    });

    it('pins temporalio/server and temporalio/admin-tools at the version the cluster built', () => {
      for (const repository of ['temporalio/server', 'temporalio/admin-tools']) {
        const found = serviceByImage(repository);
        assert.ok(found.length > 0, `no ${repository} service`);
        for (const [name, svc] of found) assert.equal(imageRefParts(svc.image!).tag, TEMPORAL_SERVER_VERSION, `${name}: ${svc.image}`);
      }
    });

    it('gives every server container the settings of the cluster, on PostgreSQL persistence', () => {
      // The cluster's variables, less those that differ by design: ports (each container has its own
      // address here), the log level, and where the database and the dynamic config file are.
      const local = new Set([
        'POSTGRES_SEEDS',
        'POSTGRES_PWD',
        'BIND_ON_IP',
        'DYNAMIC_CONFIG_FILE_PATH',
        'LOG_LEVEL',
        'DB_PORT',
        'TEMPORAL_SERVICES',
      ]);
      const clusterEnv = serverEnvironment({
        service: 'history',
        ports: clusterPorts(7333, 5333),
        postgresPassword: 'x',
        projectRoot: ROOT,
        logLevel: 'warn',
      });
      for (const [name, svc] of serverServices()) {
        const e = env(svc);
        for (const [key, value] of Object.entries(SHARED_SERVER_SETTINGS)) assert.equal(e[key], value, `${name}: ${key}`);
        for (const key of Object.keys(clusterEnv).filter((k) => !local.has(k) && !k.endsWith('_PORT'))) {
          assert.ok(key in e, `${name}: the cluster sets ${key}, the compose file does not`);
        }
        assert.equal(e.DB, 'postgres12');
        assert.equal(e.POSTGRES_SEEDS, 'postgresql');
        // The dynamic config file the cluster uses, mounted where the variable points.
        assert.equal(path.basename(String(e.DYNAMIC_CONFIG_FILE_PATH)), path.basename(clusterEnv.DYNAMIC_CONFIG_FILE_PATH));
        assert.ok(bindMountSources(svc).includes('./deploy/compose/dynamicconfig'), `${name} must mount deploy/compose/dynamicconfig`);
      }
      assert.equal(imageRefParts(services.postgresql.image ?? '').repository, 'postgres');
      assert.ok(
        JSON.stringify(services.postgresql.command).includes(`max_connections=${POSTGRES_MAX_CONNECTIONS}`),
        `postgresql must allow ${POSTGRES_MAX_CONNECTIONS} connections, as the cluster does`,
      );
    });

    it("starts the services in the cluster's order, each after the one before is healthy", () => {
      const schemaSetup = serviceByImage('temporalio/admin-tools').find(([, svc]) =>
        bindMountSources(svc).some((s) => s.endsWith('setup-postgres-schema.sh')),
      );
      assert.ok(schemaSetup, 'no admin-tools service runs deploy/compose/setup-postgres-schema.sh');
      assert.equal(dependsOn(services[serverServiceRunning(TEMPORAL_SERVICES[0])])[schemaSetup[0]], 'service_completed_successfully');
      for (let i = 1; i < TEMPORAL_SERVICES.length; i++) {
        const before = serverServiceRunning(TEMPORAL_SERVICES[i - 1]);
        assert.equal(
          dependsOn(services[serverServiceRunning(TEMPORAL_SERVICES[i])])[before],
          'service_healthy',
          `${TEMPORAL_SERVICES[i]} after ${before}`,
        );
      }
    });
  });

  describe('setup and dependencies', () => {
    it('registers every search attribute of src/shared/constants.ts (SEARCH_ATTRIBUTE_NAMES) as Keyword', () => {
      const [[name, , text]] = searchAttributeSetupServices();
      for (const attr of SEARCH_ATTRIBUTE_NAMES) {
        assert.ok(new RegExp(`\\b${attr}\\b`).test(text), `${name} does not register ${attr}`);
      }
      assert.match(text, /--type\s+Keyword/);
    });

    it('starts the worker only after the search attributes exist and the dependencies are up', () => {
      const [[setupName]] = searchAttributeSetupServices();
      const deps = dependsOn(services.worker);
      assert.equal(deps[setupName], 'service_completed_successfully');
      assert.equal(deps[serverServiceRunning('frontend')], 'service_healthy');
      assert.ok(deps.simulator, 'worker must depend on simulator');
    });

    it('only depends on services that exist', () => {
      for (const [name, svc] of Object.entries(services)) {
        for (const dep of Object.keys(dependsOn(svc))) assert.ok(services[dep], `${name} depends on unknown service ${dep}`);
      }
    });

    it('builds simulator and worker from the Dockerfile and runs the built entry points', () => {
      assert.ok(existsSync(DOCKERFILE));
      for (const [name, entry] of [
        ['simulator', 'dist/simulator/main.js'],
        ['worker', 'dist/src/worker.js'],
      ]) {
        const svc = services[name];
        assert.ok(svc.build, `${name} must be built`);
        assert.deepEqual(svc.command, ['node', entry]);
      }
    });

    it('mounts only host files that exist in the repository, by relative path', () => {
      for (const [name, svc] of Object.entries(services)) {
        for (const source of bindMountSources(svc)) {
          assert.ok(source.startsWith('./'), `${name}: bind mount "${source}" must be relative to the repository`);
          assert.ok(existsSync(path.join(ROOT, source)), `${name}: "${source}" does not exist`);
        }
      }
    });
  });

  describe('the Dockerfile and the compiled build', () => {
    it("gives each built service a Dockerfile stage whose CMD is the service's command; the default stage is the worker's", () => {
      const built = builtServices();
      assert.deepEqual(built.map((b) => b.name).sort(), ['simulator', 'worker']);
      for (const { name, target } of built) assert.deepEqual(cmdOf(stageChain(target)), services[name].command, `${name}: stage ${target}`);
      assert.deepEqual(cmdOf(stageChain(undefined)), ['node', 'dist/src/worker.js'], '`docker build .` makes the worker image');
      assert.deepEqual(cmdOf(stageChain(undefined)), services.worker.command);
    });

    it('compiles every entry point from sources the build stage copies, with the prebuilt workflow bundle beside the worker', () => {
      const include = (JSON.parse(readFileSync(path.join(ROOT, 'tsconfig.build.json'), 'utf8')) as { include: string[] }).include;
      const build = stageChain('build')[0];
      const copied = build.instructions
        .filter((i) => /^COPY\s/.test(i) && !/--from=/.test(i))
        .flatMap((i) => i.split(/\s+/).slice(1, -1))
        .map((source) => source.replace(/^\.\//, ''));
      assert.ok(/npm run build$/m.test(build.instructions.join('\n')), 'the build stage runs npm run build');
      assert.match(packageJson.scripts.build, /tsc -p tsconfig\.build\.json/);
      assert.match(packageJson.scripts.build, /build-workflow-bundle/);
      for (const file of ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'scripts']) {
        assert.ok(copied.includes(file), `the build stage does not copy ${file}`);
      }
      for (const { name, entry } of builtServices()) {
        const source = path.join(ROOT, entry.replace(/^dist\//, '').replace(/\.js$/, '.ts'));
        assert.ok(existsSync(source), `${name}: ${entry} is compiled from ${path.relative(ROOT, source)}, which does not exist`);
        for (const file of importClosure(source).files) {
          const top = path.relative(ROOT, file).split(path.sep)[0];
          assert.ok(include.includes(`${top}/**/*.ts`), `${name}: tsconfig.build.json does not compile ${top}/`);
          assert.ok(copied.includes(top), `${name}: the build stage does not copy ${top}/, which ${entry} needs`);
        }
      }
      // The worker loads dist/src/workflow-bundle.js from beside its own dist/src/temporal/ (src/temporal/create-worker.ts).
      assert.match(readFileSync(path.join(ROOT, 'scripts', 'build-workflow-bundle.ts'), 'utf8'), /'\.\.\/src\/workflow-bundle\.js'/);
      assert.match(readFileSync(path.join(ROOT, 'src', 'temporal', 'create-worker.ts'), 'utf8'), /'\.\.\/workflow-bundle\.js'/);
    });

    it('puts the compiled entry point, and every package its code imports, in each image', () => {
      for (const { name, target, entry } of builtServices()) {
        const chain = stageChain(target);
        // The image has the build stage's dist/ (built FROM it), or copies the part the entry is in.
        if (!chain.some((s) => s.name === 'build')) {
          const copies = chain[0].instructions
            .map((i) => /^COPY\s+--from=build\s+\/app\/(\S+)\s+\.\/(\S+)$/.exec(i))
            .filter((m): m is RegExpExecArray => m !== null && m[1] === m[2]);
          assert.ok(
            copies.some(([, from]) => entry.startsWith(`${from}/`)),
            `${name}: stage ${target} copies no part of the build's output holding ${entry}`,
          );
        }
        const install = chain.flatMap((s) => s.instructions).find((i) => /\bnpm ci\b/.test(i));
        assert.ok(install, `${name}: no npm ci in stage ${target} or the stages it is built from`);
        const prodOnly = /--omit=dev/.test(install);
        const source = path.join(ROOT, entry.replace(/^dist\//, '').replace(/\.js$/, '.ts'));
        for (const pkg of importClosure(source).packages) {
          if (prodOnly) {
            assert.ok(
              packageJson.dependencies[pkg],
              `${name}: ${entry} imports ${pkg}, which npm ci --omit=dev leaves out of stage ${target}`,
            );
          } else {
            assert.ok(
              packageJson.dependencies[pkg] ?? packageJson.devDependencies[pkg],
              `${name}: ${entry} imports ${pkg}, not in package.json`,
            );
          }
        }
      }
    });

    it("runs npm ci without the package's own scripts (prepare would build before the sources are copied, or without TypeScript)", () => {
      assert.ok(packageJson.scripts.prepare, 'package.json has a prepare script');
      const installs = dockerStages()
        .flatMap((s) => s.instructions)
        .filter((i) => /\bnpm ci\b/.test(i));
      assert.ok(installs.length >= 2);
      for (const install of installs) assert.match(install, /--ignore-scripts/, install);
    });
  });

  describe('ports', () => {
    it('publishes every port on 127.0.0.1 only, with an explicit host port', () => {
      const ports = publishedPorts();
      assert.ok(ports.length > 0);
      for (const p of ports) {
        assert.equal(p.hostIp, '127.0.0.1', `${p.service}: "${p.raw}" must bind 127.0.0.1`);
        assert.ok(p.hostPort, `${p.service}: "${p.raw}" needs an explicit host port`);
      }
      for (const [name, svc] of Object.entries(services)) {
        assert.notEqual(svc.network_mode, 'host', `${name} must not use the host network`);
      }
    });

    it('publishes the frontend (gRPC 7233) and the Web UI 8080, and no other Temporal service', () => {
      const byService = new Map(publishedPorts().map((p) => [p.service, p]));
      assert.equal(byService.get(serverServiceRunning('frontend'))?.hostPort, '7233');
      assert.equal(byService.get('temporal-ui')?.hostPort, '8080');
      for (const service of TEMPORAL_SERVICES.filter((s) => s !== 'frontend')) {
        assert.ok(!byService.has(serverServiceRunning(service)), `${service} must not be published`);
      }
    });
  });

  describe('images', () => {
    it('pins every image tag (no :latest, no untagged image)', () => {
      for (const [name, svc] of Object.entries(services)) {
        if (svc.image) assertPinned(svc.image, name);
        else assert.ok(svc.build, `${name} has neither image nor build`);
      }
    });

    it('uses Temporal UI 2.x', () => {
      assert.equal(semver(imageRefParts(services['temporal-ui'].image as string).tag as string)[0], 2);
    });

    it('pins the Dockerfile base images', () => {
      const text = readFileSync(DOCKERFILE, 'utf8');
      const args = new Map<string, string>();
      for (const m of text.matchAll(/^ARG\s+(\w+)=(\S+)/gm)) args.set(m[1], m[2]);
      const stages = new Set<string>();
      const froms = [...text.matchAll(/^FROM\s+(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?/gim)];
      assert.ok(froms.length >= 2, 'expected a multi-stage Dockerfile');
      for (const m of froms) {
        const image = m[1].replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a, b) => args.get(a ?? b) ?? '');
        if (!stages.has(image)) assertPinned(image, `Dockerfile FROM ${m[1]}`);
        if (m[2]) stages.add(m[2]);
      }
      assert.match(text, /npm ci --omit=dev/);
    });
  });

  describe('environment', () => {
    const tokenRef = /^\$\{PRISMA_API_TOKEN(:?[?-][^}]*)?\}$/;

    it('gives the worker TEMPORAL_ADDRESS (the frontend), PRISMA_API_URL and PRISMA_API_TOKEN', () => {
      const e = env(services.worker);
      assert.equal(e.TEMPORAL_ADDRESS, `${serverServiceRunning('frontend')}:7233`);
      assert.match(String(e.PRISMA_API_URL), /^(\$\{PRISMA_API_URL:-)?http:\/\/simulator:4010\/v1\}?$/);
      assert.match(String(e.PRISMA_API_TOKEN), tokenRef, 'the token must come from the environment');
    });

    it('makes the simulator listen on all interfaces of its container, with the same token', () => {
      const e = env(services.simulator);
      assert.equal(e.SIMULATOR_HOST, '0.0.0.0');
      assert.equal(String(e.SIMULATOR_PORT), '4010');
      assert.match(String(e.PRISMA_API_TOKEN), tokenRef, 'the token must come from the environment');
    });

    it('contains no hard-coded token and no absolute host path', () => {
      for (const [name, svc] of Object.entries(services)) {
        for (const [k, v] of Object.entries(env(svc))) {
          if (/TOKEN|SECRET|API_KEY/i.test(k)) assert.match(String(v), tokenRef, `${name}.${k} must be read from the environment`);
        }
      }
      assert.ok(!/(^|[\s"'])\/(work|home|root|Users)\//m.test(composeText), 'no absolute host paths in docker-compose.yml');
    });
  });

  describe('Prometheus', () => {
    it('scrapes every worker container on its metrics address and loads the example alert rules', () => {
      const svc = services.prometheus;
      assert.ok(svc, 'no prometheus service');
      // The rules' directory, mounted read-only; the configuration named by --config.file is in it.
      const mount = (svc.volumes ?? []).find((v): v is string => typeof v === 'string' && v.startsWith('./deploy/prometheus:'));
      assert.ok(mount, 'prometheus must mount ./deploy/prometheus');
      const [source, target] = mount.split(':');
      assert.equal(path.join(ROOT, source), PROMETHEUS_DIR);
      const configArg = ((svc.command as string[]) ?? []).find((a) => a.startsWith('--config.file='));
      assert.ok(configArg && configArg.startsWith(`--config.file=${target}/`), `${configArg} is not in ${target}`);
      const configFile = path.join(PROMETHEUS_DIR, path.posix.relative(target, configArg.slice('--config.file='.length)));
      const config = parse(readFileSync(configFile, 'utf8')) as PrometheusConfig;
      assert.deepEqual(config.rule_files, [path.basename(RULES_FILE)]);

      const address = String(env(services.worker)[METRICS_ADDRESS_ENV]);
      // As the worker reads it: the variable's name and its form are src/shared/config.ts's.
      const listens = metricsAddress({ [METRICS_ADDRESS_ENV]: address });
      assert.equal(listens?.host, '0.0.0.0', `the worker's metrics must listen on its container's interfaces, not "${address}"`);
      const port = listens.port;
      const job = config.scrape_configs.find((c) => c.job_name === WORKER_JOB);
      assert.deepEqual(job?.dns_sd_configs, [{ names: ['worker'], type: 'A', port: Number(port) }]);
      assert.ok(!publishedPorts().some((p) => p.service === 'worker'), "the worker's metrics port must not be published");
    });
  });

  describe('the README', () => {
    const doc = readFileSync(CONFIG_DOC, 'utf8');

    it('names every worker environment variable', () => {
      for (const name of Object.keys(env(services.worker))) {
        assert.ok(new RegExp(`\\b${name}\\b`).test(doc), `${path.relative(ROOT, CONFIG_DOC)} does not mention ${name}`);
      }
    });

    it('names every variable read from the user environment', () => {
      const fromShell = new Set<string>();
      for (const m of composeText.matchAll(/\$\{(\w+)/g)) fromShell.add(m[1]);
      for (const svc of Object.values(services)) {
        for (const [k, v] of Object.entries(env(svc))) if (v === null) fromShell.add(k);
      }
      for (const name of fromShell) {
        assert.ok(new RegExp(`\\b${name}\\b`).test(doc), `${path.relative(ROOT, CONFIG_DOC)} does not mention ${name}`);
      }
    });

    it('names every published host port', () => {
      for (const p of publishedPorts()) {
        assert.ok(new RegExp(`\\b${p.hostPort}\\b`).test(doc), `${path.relative(ROOT, CONFIG_DOC)} does not mention port ${p.hostPort}`);
      }
    });

    it('says the stack was not run on the machine it was written on', () => {
      assert.match(doc, /Not run here/i);
      assert.match(doc, /no Docker engine/i);
    });
  });
});
