// Holds a zod schema of an API answer against the answer an OpenAPI description publishes for an
// operation: every property the schema reads must be described there with the same type (a number
// we read may be described as an integer, never the reverse), every enum and const must equal the
// described one, every field the schema requires must be required by the description, and a null
// the description allows must be accepted. Returns each drift as "path: what differs".
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';

type Json = Record<string, unknown>;
export type Description = Json;

const SPEC_DIR = path.join(__dirname, '..', '..', 'spec');
export const PRISMA_DESCRIPTION: Description = JSON.parse(
  readFileSync(path.join(SPEC_DIR, 'official', 'prisma-management-api-openapi.json'), 'utf8'),
) as Description;
export const SEED_DESCRIPTION: Description = parse(
  readFileSync(path.join(SPEC_DIR, 'openapi', 'prisma-database-backups-api-openapi.yml'), 'utf8'),
) as Description;

function resolve(doc: Description, node: unknown): Json {
  let at = node as Json;
  for (let hops = 0; typeof at?.$ref === 'string'; hops++) {
    if (hops > 20) throw new Error(`$ref loop at ${String(at.$ref)}`);
    at = (at.$ref as string)
      .replace(/^#\//, '')
      .split('/')
      .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce<Json>((n, key) => n[key] as Json, doc);
  }
  return at ?? {};
}

/** The described JSON schema of an operation's answer with this status. */
export function describedAnswer(doc: Description, operationId: string, status: number): Json {
  for (const item of Object.values(doc.paths as Record<string, Record<string, Json>>)) {
    for (const operation of Object.values(item)) {
      if (operation?.operationId !== operationId) continue;
      const response = resolve(doc, (operation.responses as Json)?.[String(status)]);
      const schema = ((response.content as Json)?.['application/json'] as Json)?.schema;
      if (!schema) throw new Error(`${operationId} describes no JSON answer for ${status}`);
      return resolve(doc, schema);
    }
  }
  throw new Error(`no operation ${operationId} in the description`);
}

/** The alternatives a schema stands for: anyOf/oneOf flattened, a type list split, each resolved. */
function branches(doc: Description, node: Json): Json[] {
  const schema = resolve(doc, node);
  const alternatives = (schema.anyOf ?? schema.oneOf) as Json[] | undefined;
  if (alternatives) {
    const { anyOf: _a, oneOf: _o, ...shared } = schema;
    return alternatives.flatMap((alt) => branches(doc, { ...shared, ...resolve(doc, alt) }));
  }
  if (Array.isArray(schema.type)) return (schema.type as string[]).map((type) => ({ ...schema, type }));
  if (schema.type === undefined && schema.const !== undefined) return [{ ...schema, type: typeof schema.const }];
  if (schema.type === undefined && Array.isArray(schema.enum)) return [{ ...schema, type: typeof (schema.enum as unknown[])[0] }];
  if (schema.type === undefined && schema.properties) return [{ ...schema, type: 'object' }];
  return [schema];
}

const discriminator = (branch: Json) => ((branch.properties as Json | undefined)?.type as Json | undefined)?.const;

/** Every drift of `ours` (a JSON schema from zod, io: 'input') from `theirs`, both at `at`. */
function drifts(doc: Description, ours: Json, theirs: Json, at: string): string[] {
  const found: string[] = [];
  const their = branches(doc, theirs);
  const our = branches({}, ours);
  if (their.some((b) => b.type === 'null') && !our.some((b) => b.type === 'null'))
    found.push(`${at}: the description allows null, which is refused here`);
  for (const branch of our) {
    if (branch.type === 'null') {
      if (!their.some((b) => b.type === 'null')) found.push(`${at}: null is accepted here, which the description never sends`);
      continue;
    }
    const key = discriminator(branch);
    const match =
      key !== undefined
        ? their.find((b) => discriminator(b) === key)
        : (their.find((b) => b.type === branch.type) ?? (branch.type === 'number' ? their.find((b) => b.type === 'integer') : undefined));
    if (!match) {
      const described = [...new Set(their.map((b) => String(b.type)))].join(' or ');
      found.push(
        `${at}: ${key !== undefined ? `the ${String(key)} variant` : branch.type} here, ${described || 'nothing'} in the description`,
      );
      continue;
    }
    found.push(...sameShape(doc, branch, match, at));
  }
  return found;
}

function sameShape(doc: Description, ours: Json, theirs: Json, at: string): string[] {
  const found: string[] = [];
  const sameSet = (a: unknown[], b: unknown[]) => a.length === b.length && a.every((x) => b.includes(x));
  if (Array.isArray(ours.enum) && !(Array.isArray(theirs.enum) && sameSet(ours.enum, theirs.enum as unknown[]))) {
    found.push(
      `${at}: enum ${JSON.stringify(ours.enum)} here, ${JSON.stringify(theirs.enum ?? theirs.const ?? 'none')} in the description`,
    );
  }
  if (
    ours.const !== undefined &&
    ours.const !== theirs.const &&
    !(Array.isArray(theirs.enum) && sameSet([ours.const], theirs.enum as unknown[]))
  ) {
    found.push(
      `${at}: const ${JSON.stringify(ours.const)} here, ${JSON.stringify(theirs.const ?? theirs.enum ?? 'none')} in the description`,
    );
  }
  if (ours.type === 'array') found.push(...drifts(doc, (ours.items ?? {}) as Json, (theirs.items ?? {}) as Json, `${at}[]`));
  if (ours.type === 'object') {
    const theirProperties = (theirs.properties ?? {}) as Record<string, Json>;
    const theirRequired = (theirs.required ?? []) as string[];
    for (const [name, property] of Object.entries((ours.properties ?? {}) as Record<string, Json>)) {
      const where = `${at}.${name}`;
      if (!(name in theirProperties)) {
        found.push(`${where}: read here, not in the description`);
        continue;
      }
      found.push(...drifts(doc, property, theirProperties[name], where));
    }
    for (const name of (ours.required ?? []) as string[]) {
      if (!theirRequired.includes(name)) found.push(`${at}.${name}: required here, optional in the description`);
    }
  }
  return found;
}

/** Drifts of a zod schema from the answer the description gives `operationId` with `status`. */
export function schemaDrift(schema: z.ZodType, doc: Description, operationId: string, status: number): string[] {
  const ours = z.toJSONSchema(schema, { io: 'input' }) as Json;
  return drifts(doc, ours, describedAnswer(doc, operationId, status), 'body');
}
