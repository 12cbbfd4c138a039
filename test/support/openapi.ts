// Validates response bodies against the seed's OpenAPI description, so tests check the contract, not a copy of it.
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { readFileSync } from 'fs';
import { join } from 'path';
import { parse } from 'yaml';

const SPEC_PATH = join(__dirname, '..', '..', 'spec', 'openapi', 'prisma-database-backups-api-openapi.yml');
// The whole document is registered under this id; schemas are compiled by JSON pointer into it,
// so their `#/components/...` refs resolve against the document as in the description.
const DOC_ID = 'prisma-database-backups-api';

interface ResponseObject {
  $ref?: string;
  content?: Record<string, { schema?: unknown }>;
}
interface OperationObject {
  operationId?: string;
  responses?: Record<string, ResponseObject>;
}
interface OpenApiDocument {
  paths: Record<string, Record<string, OperationObject>>;
  components?: { schemas?: Record<string, unknown> };
}

const spec = parse(readFileSync(SPEC_PATH, 'utf8')) as OpenApiDocument;
// OpenAPI documents hold non-schema members (info, paths...), so unknown keywords are expected.
const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
ajv.addSchema(spec as object, DOC_ID);
const compiled = new Map<string, ValidateFunction>();

/** Errors of `body` against the described response of `operationId` for `status`; empty when it conforms. */
export function validateResponse(operationId: string, status: number, body: unknown): string[] {
  const found = findOperation(operationId);
  if (!found) return [`no operation ${operationId} in the description`];
  const key = found.operation.responses?.[String(status)] ? String(status) : 'default';
  let response = found.operation.responses?.[key];
  let pointer = [...found.pointer, 'responses', key];
  if (!response) return [`no ${status} response described for ${operationId}`];
  if (response.$ref) {
    pointer = refToPointer(response.$ref);
    response = resolvePointer(pointer) as ResponseObject;
  }
  const schema = response.content?.['application/json']?.schema;
  if (schema === undefined) return body === undefined ? [] : [`${operationId} ${status} describes no JSON body`];
  return check([...pointer, 'content', 'application/json', 'schema'], body);
}

/** Errors of `value` against `#/components/schemas/<name>`; for answers the description does not list. */
export function validateComponent(name: string, value: unknown): string[] {
  if (!spec.components?.schemas?.[name]) return [`no schema ${name} in the description`];
  return check(['components', 'schemas', name], value);
}

function check(pointer: string[], value: unknown): string[] {
  const ref = `${DOC_ID}#/${pointer.map(encodeSegment).join('/')}`;
  let validate = compiled.get(ref);
  if (!validate) {
    validate = ajv.compile({ $ref: ref });
    compiled.set(ref, validate);
  }
  return validate(value) ? [] : (validate.errors ?? []).map(describe);
}

function findOperation(operationId: string): { operation: OperationObject; pointer: string[] } | undefined {
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (operation?.operationId === operationId) return { operation, pointer: ['paths', path, method] };
    }
  }
  return undefined;
}

function refToPointer(ref: string): string[] {
  if (!ref.startsWith('#/')) throw new Error(`Only local refs are supported, got ${ref}`);
  return ref
    .slice(2)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function resolvePointer(pointer: string[]): unknown {
  return pointer.reduce<unknown>((node, segment) => (node as Record<string, unknown>)[segment], spec);
}

/** JSON pointer escaping, then URI escaping, since the pointer travels in a URI fragment. */
function encodeSegment(segment: string): string {
  return encodeURIComponent(segment.replace(/~/g, '~0').replace(/\//g, '~1'));
}

function describe(error: ErrorObject): string {
  return `${error.instancePath || '(root)'} ${error.message ?? error.keyword}`;
}
