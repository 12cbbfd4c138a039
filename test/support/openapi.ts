// Validates bodies against an OpenAPI description, so tests check the contract, not a copy of it:
// `seedApi` for the seed (spec/openapi/), `officialApi` for Prisma's published description (spec/official/).
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { readFileSync } from 'fs';
import { join } from 'path';
import { parse } from 'yaml';

const SPEC_DIR = join(__dirname, '..', '..', 'spec');

interface ResponseObject {
  $ref?: string;
  content?: Record<string, { schema?: unknown }>;
}
interface OperationObject {
  operationId?: string;
  requestBody?: { content?: Record<string, { schema?: unknown }> };
  responses?: Record<string, ResponseObject>;
}
interface OpenApiDocument {
  paths: Record<string, Record<string, OperationObject>>;
  components?: { schemas?: Record<string, unknown> };
}

export interface OpenApiValidator {
  /** Errors of `body` against the described response of `operationId` for `status`; empty when it conforms. */
  validateResponse(operationId: string, status: number, body: unknown): string[];
  /** Errors of `body` against the operation's JSON request body; empty when it conforms. */
  validateRequestBody(operationId: string, body: unknown): string[];
  /** Errors of `value` against `#/components/schemas/<name>`; for answers the description does not list. */
  validateComponent(name: string, value: unknown): string[];
}

export const seedApi = loadDescription(join(SPEC_DIR, 'openapi', 'prisma-database-backups-api-openapi.yml'), 'seed-backups-api');
export const officialApi = loadDescription(join(SPEC_DIR, 'official', 'prisma-management-api-openapi.json'), 'prisma-management-api');

/**
 * The whole document is registered under `docId`; schemas are compiled by JSON pointer into it, so
 * their `#/components/...` refs resolve against the document as in the description. Ajv's 2020-12
 * build reads both the seed's OpenAPI 3.2 and Prisma's 3.1 (`const`, type arrays).
 */
function loadDescription(file: string, docId: string): OpenApiValidator {
  const text = readFileSync(file, 'utf8');
  const spec = (file.endsWith('.json') ? JSON.parse(text) : parse(text)) as OpenApiDocument;
  // OpenAPI documents hold non-schema members (info, paths...), so unknown keywords are expected.
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  ajv.addSchema(spec as object, docId);
  const compiled = new Map<string, ValidateFunction>();

  const check = (pointer: string[], value: unknown): string[] => {
    const ref = `${docId}#/${pointer.map(encodeSegment).join('/')}`;
    let validate = compiled.get(ref);
    if (!validate) {
      validate = ajv.compile({ $ref: ref });
      compiled.set(ref, validate);
    }
    return validate(value) ? [] : (validate.errors ?? []).map(describe);
  };
  const resolvePointer = (pointer: string[]): unknown =>
    pointer.reduce<unknown>((node, segment) => (node as Record<string, unknown>)[segment], spec);
  const findOperation = (operationId: string): { operation: OperationObject; pointer: string[] } | undefined => {
    for (const [path, item] of Object.entries(spec.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        if (operation?.operationId === operationId) return { operation, pointer: ['paths', path, method] };
      }
    }
    return undefined;
  };

  return {
    validateResponse(operationId, status, body) {
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
    },
    validateRequestBody(operationId, body) {
      const found = findOperation(operationId);
      if (!found) return [`no operation ${operationId} in the description`];
      if (found.operation.requestBody?.content?.['application/json']?.schema === undefined)
        return [`${operationId} describes no JSON request body`];
      return check([...found.pointer, 'requestBody', 'content', 'application/json', 'schema'], body);
    },
    validateComponent(name, value) {
      if (!spec.components?.schemas?.[name]) return [`no schema ${name} in the description`];
      return check(['components', 'schemas', name], value);
    },
  };
}

function refToPointer(ref: string): string[] {
  if (!ref.startsWith('#/')) throw new Error(`Only local refs are supported, got ${ref}`);
  return ref
    .slice(2)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** JSON pointer escaping, then URI escaping, since the pointer travels in a URI fragment. */
function encodeSegment(segment: string): string {
  return encodeURIComponent(segment.replace(/~/g, '~0').replace(/\//g, '~1'));
}

function describe(error: ErrorObject): string {
  return `${error.instancePath || '(root)'} ${error.message ?? error.keyword}`;
}
