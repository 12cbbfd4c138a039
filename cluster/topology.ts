// What the production-shaped cluster is made of, in one place: the pinned server version, its four
// services and their ports, and the environment every server process gets. docker-compose.yml runs
// the same version, services and settings (test/compose/docker-compose.test.ts checks it against
// this file), so the compose file describes what `npm run test:cluster` tested.
import path from 'node:path';

/** Temporal's server and SQL tool, built from go.temporal.io/server at this tag (and the image tag in docker-compose.yml). */
export const TEMPORAL_SERVER_VERSION = '1.30.4';

/** Start order: history owns the shards the others route to, the worker service needs the frontend. */
export const TEMPORAL_SERVICES = ['history', 'matching', 'frontend', 'worker'] as const;
export type TemporalService = (typeof TEMPORAL_SERVICES)[number];

/** Settings shared by every server process here and every server container in docker-compose.yml. */
export const SHARED_SERVER_SETTINGS = {
  DB: 'postgres12',
  POSTGRES_USER: 'temporal',
  // Fixed for the life of the database: a real deployment picks it once (Temporal suggests 512 or more
  // for production); 4 is what Temporal's own development configs use and suits a 2-core machine.
  NUM_HISTORY_SHARDS: '4',
  // No authorizer: every port is on loopback here (published on 127.0.0.1 only by compose). A
  // deployment reachable by others configures TLS and an authorizer instead.
  TEMPORAL_ALLOW_NO_AUTH: 'true',
} as const;

/** Four services with a pool of 20 + 10 connections each need more than PostgreSQL's default 100. */
export const POSTGRES_MAX_CONNECTIONS = 200;

export const LOOPBACK = '127.0.0.1';

/** `npm run cluster` and `npm run test:cluster` defaults: clear of the dev server (7233, 8233) and of each other. */
export const DEFAULT_PORTS = { cluster: { frontend: 7333, postgres: 5333 }, test: { frontend: 7533, postgres: 5533 } } as const;

export interface ClusterPorts {
  postgres: number;
  /** gRPC of each service; the frontend's is the one clients use. The worker service serves none (its port is set, unused). */
  grpc: Record<TemporalService, number>;
  frontendHttp: number;
  /** Ringpop membership, one per service. */
  membership: Record<TemporalService, number>;
}

/**
 * Every port, derived from the frontend's as Temporal's defaults are from 7233 (history +1, matching
 * +2, worker +6, HTTP +10), with membership 1000 below each gRPC port.
 */
export function clusterPorts(frontend: number, postgres: number): ClusterPorts {
  const grpc = { frontend, history: frontend + 1, matching: frontend + 2, worker: frontend + 6 };
  const membership = Object.fromEntries(Object.entries(grpc).map(([s, port]) => [s, port - 1000])) as Record<TemporalService, number>;
  for (const port of [...Object.values(grpc), ...Object.values(membership), frontend + 10, postgres]) {
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`Port ${port} is out of range: choose another frontend port.`);
  }
  return { postgres, grpc, frontendHttp: frontend + 10, membership };
}

/** Every TCP port the cluster listens on. */
export function allPorts(ports: ClusterPorts): number[] {
  const { worker: _unused, ...served } = ports.grpc;
  return [ports.postgres, ...Object.values(served), ports.frontendHttp, ...Object.values(ports.membership)];
}

/**
 * The environment of one server process: the server's embedded config template reads it, exactly as
 * the temporalio/server image does (no config file of ours), with every port on 127.0.0.1.
 */
export function serverEnvironment(options: {
  service: TemporalService;
  ports: ClusterPorts;
  postgresPassword: string;
  projectRoot: string;
  logLevel: string;
}): Record<string, string> {
  const { ports } = options;
  return {
    ...SHARED_SERVER_SETTINGS,
    TEMPORAL_SERVICES: options.service,
    POSTGRES_SEEDS: LOOPBACK,
    DB_PORT: String(ports.postgres),
    POSTGRES_PWD: options.postgresPassword,
    BIND_ON_IP: LOOPBACK,
    // The dynamic config docker-compose.yml mounts, so both run with the same settings.
    DYNAMIC_CONFIG_FILE_PATH: path.join(options.projectRoot, 'deploy', 'compose', 'dynamicconfig', 'development-sql.yaml'),
    LOG_LEVEL: options.logLevel,
    FRONTEND_GRPC_PORT: String(ports.grpc.frontend),
    FRONTEND_HTTP_PORT: String(ports.frontendHttp),
    HISTORY_GRPC_PORT: String(ports.grpc.history),
    MATCHING_GRPC_PORT: String(ports.grpc.matching),
    WORKER_GRPC_PORT: String(ports.grpc.worker),
    FRONTEND_MEMBERSHIP_PORT: String(ports.membership.frontend),
    HISTORY_MEMBERSHIP_PORT: String(ports.membership.history),
    MATCHING_MEMBERSHIP_PORT: String(ports.membership.matching),
    WORKER_MEMBERSHIP_PORT: String(ports.membership.worker),
  };
}
