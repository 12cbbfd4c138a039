// The Arazzo documents in spec/arazzo/, read as data. `redocly lint` (npm run lint) checks their
// structure only: it does not open the source descriptions. These tests check what it leaves out:
// each step names an operation its source description has, with parameters that operation declares;
// every step output a step or the workflow uses is declared; and the corrected documents keep the
// properties the issue asks for (Bearer {$inputs.apiToken}, a poll that matches our id, bounded retries).
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';

const ARAZZO_DIR = path.join(__dirname, '..', '..', 'spec', 'arazzo');
const SEED = 'prisma-postgres-backup-and-restore-workflow.yml';
const CORRECTED = 'backup-and-restore-corrected.arazzo.yml';
const PRISMA = 'prisma-restore-from-backup.arazzo.yml';
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

function readDocument(file: string): any {
  const text = fs.readFileSync(file, 'utf8');
  return file.endsWith('.json') ? JSON.parse(text) : parse(text);
}

function arazzo(name: string): any {
  return readDocument(path.join(ARAZZO_DIR, name));
}

/** operationId -> the operation, with its path-level and resolved `$ref` parameters. */
function operationsOf(description: any): Map<string, { path: string; parameters: { name: string; in: string; required?: boolean }[] }> {
  const resolve = (node: any): any => {
    if (!node?.$ref) return node;
    const pointer = String(node.$ref).replace(/^#\//, '').split('/');
    return pointer.reduce((at: any, key: string) => at?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], description);
  };
  const operations = new Map();
  for (const [route, item] of Object.entries<any>(description.paths ?? {})) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation?.operationId) continue;
      const parameters = [...(item.parameters ?? []), ...(operation.parameters ?? [])].map(resolve);
      operations.set(operation.operationId, { path: route, parameters });
    }
  }
  return operations;
}

const documents = fs
  .readdirSync(ARAZZO_DIR)
  .filter((name) => /\.ya?ml$/.test(name))
  .sort();

describe('Arazzo documents in spec/arazzo/', () => {
  it('are the seed, the corrected seed and the prisma profile workflow', () => {
    for (const name of [SEED, CORRECTED, PRISMA]) assert.ok(documents.includes(name), name);
  });

  for (const name of documents) {
    describe(name, () => {
      const doc = arazzo(name);

      it('is Arazzo 1.0.1 with one OpenAPI source description, referenced by a relative path that exists', () => {
        assert.equal(doc.arazzo, '1.0.1');
        assert.equal(doc.sourceDescriptions.length, 1);
        const [source] = doc.sourceDescriptions;
        assert.equal(source.type, 'openapi');
        assert.ok(!/^[a-z]+:|^\//i.test(source.url), `${source.url} should be relative, so linting and tests work offline`);
        assert.ok(fs.existsSync(path.resolve(ARAZZO_DIR, source.url)), `${source.url} does not exist`);
      });

      it('names only operations of its source description, with parameters they declare, and every path parameter', () => {
        const description = readDocument(path.resolve(ARAZZO_DIR, doc.sourceDescriptions[0].url));
        const operations = operationsOf(description);
        for (const workflow of doc.workflows) {
          for (const step of workflow.steps) {
            const where = `${workflow.workflowId}/${step.stepId}`;
            const operation = operations.get(step.operationId);
            assert.ok(operation, `${where}: operationId ${step.operationId} is not in the source description`);
            for (const parameter of step.parameters ?? []) {
              if (parameter.in === 'header' && parameter.name === 'Authorization') continue; // the security scheme
              const declared = operation.parameters.find((p) => p.name === parameter.name && p.in === parameter.in);
              assert.ok(declared, `${where}: ${parameter.in} parameter ${parameter.name} is not declared by ${step.operationId}`);
            }
            for (const declared of operation.parameters.filter((p) => p.in === 'path' || p.required)) {
              const given = (step.parameters ?? []).some((p: any) => p.name === declared.name && p.in === declared.in);
              assert.ok(given, `${where}: required ${declared.in} parameter ${declared.name} is not given`);
            }
          }
        }
      });

      it('uses only step outputs that an earlier step declares, and inputs the workflow declares', () => {
        for (const workflow of doc.workflows) {
          const declaredInputs = Object.keys(workflow.inputs?.properties ?? {});
          const outputsBefore = new Map<string, string[]>();
          const check = (text: string, where: string, stepsSoFar: Map<string, string[]>) => {
            for (const [, stepId, output] of text.matchAll(/\$steps\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_.-]+)/g)) {
              assert.ok(stepsSoFar.get(stepId)?.includes(output), `${where}: $steps.${stepId}.outputs.${output} is not declared before it`);
            }
            for (const [, input] of text.matchAll(/\$inputs\.([A-Za-z0-9_-]+)/g)) {
              assert.ok(declaredInputs.includes(input), `${where}: $inputs.${input} is not a declared input`);
            }
          };
          for (const step of workflow.steps) {
            check(JSON.stringify({ ...step, outputs: undefined }), `${workflow.workflowId}/${step.stepId}`, outputsBefore);
            outputsBefore.set(step.stepId, Object.keys(step.outputs ?? {}));
            check(JSON.stringify(step.outputs ?? {}), `${workflow.workflowId}/${step.stepId} outputs`, outputsBefore);
          }
          check(JSON.stringify(workflow.outputs ?? {}), `${workflow.workflowId} outputs`, outputsBefore);
        }
      });
    });
  }

  for (const name of [CORRECTED, PRISMA]) {
    describe(`${name}: what the issue asks of the corrected documents`, () => {
      const doc = arazzo(name);
      const steps: any[] = doc.workflows.flatMap((workflow: any) => workflow.steps);

      it('sends the token as Bearer {$inputs.apiToken} on every request, and marks the input as a secret', () => {
        for (const step of steps) {
          const auth = step.parameters.filter((p: any) => p.in === 'header' && p.name === 'Authorization');
          assert.deepEqual(
            auth.map((p: any) => p.value),
            ['Bearer {$inputs.apiToken}'],
            step.stepId,
          );
        }
        for (const workflow of doc.workflows) assert.equal(workflow.inputs.properties.apiToken.format, 'password');
      });

      it('bounds every retry (retryLimit and retryAfter set) and never retries a POST', () => {
        const description = readDocument(path.resolve(ARAZZO_DIR, doc.sourceDescriptions[0].url));
        const posts = new Set<string>();
        for (const item of Object.values<any>(description.paths)) if (item.post?.operationId) posts.add(item.post.operationId);
        for (const step of steps) {
          for (const action of step.onFailure ?? []) {
            if (action.type !== 'retry') continue;
            assert.ok(!posts.has(step.operationId), `${step.stepId} retries a POST`);
            assert.ok(Number.isInteger(action.retryLimit) && action.retryLimit > 0, `${step.stepId}/${action.name}: retryLimit`);
            assert.ok(typeof action.retryAfter === 'number' && action.retryAfter > 0, `${step.stepId}/${action.name}: retryAfter`);
          }
        }
      });

      it('uses no $inputs in onSuccess/onFailure criteria (Redocly Respect 2.77 does not resolve them there)', () => {
        for (const step of steps) {
          for (const action of [...(step.onSuccess ?? []), ...(step.onFailure ?? [])]) {
            assert.ok(!JSON.stringify(action.criteria ?? []).includes('$inputs'), `${step.stepId}/${action.name}`);
          }
        }
      });

      it('looks at no list entry by position (no data[0], no /data/0)', () => {
        const text = JSON.stringify(doc.workflows);
        assert.ok(!/data\[0\]|\/data\/0/.test(text));
      });
    });
  }

  describe(`${CORRECTED}: the poll step`, () => {
    const doc = arazzo(CORRECTED);
    const workflow = doc.workflows[0];
    const poll = workflow.steps.find((step: any) => step.stepId === 'pollBackup');
    const byId = '@.id == {$steps.createBackup.outputs.backupId}';

    it('keeps the seed workflow id, inputs and outputs', () => {
      const seed = arazzo(SEED).workflows[0];
      assert.equal(workflow.workflowId, seed.workflowId);
      assert.deepEqual(Object.keys(workflow.inputs.properties), Object.keys(seed.inputs.properties));
      for (const key of Object.keys(seed.outputs)) assert.equal(workflow.outputs[key], seed.outputs[key], key);
    });

    it('succeeds only when the backup with our id is completed', () => {
      const conditions = poll.successCriteria.map((c: any) => c.condition);
      assert.ok(conditions.includes('$statusCode == 200'));
      const jsonpath = poll.successCriteria.find((c: any) => c.type === 'jsonpath');
      assert.equal(jsonpath.context, '$response.body');
      assert.ok(jsonpath.condition.includes(byId) && jsonpath.condition.includes("@.status == 'completed'"), jsonpath.condition);
    });

    it('ends on failed before anything else, and retries only while our backup is pending or in progress', () => {
      const [first, second] = poll.onFailure;
      assert.equal(first.type, 'end');
      assert.ok(first.criteria.some((c: any) => c.condition.includes(byId) && c.condition.includes("@.status == 'failed'")));
      assert.equal(second.type, 'retry');
      const condition = second.criteria.find((c: any) => c.type === 'jsonpath').condition;
      assert.ok(condition.includes(byId) && condition.includes("'pending'") && condition.includes("'in_progress'"), condition);
      assert.ok(second.retryLimit * second.retryAfter <= 6 * 3600, 'about six hours at most');
    });

    it('restores the backup createBackup returned', () => {
      const restore = workflow.steps.find((step: any) => step.stepId === 'restoreBackup');
      const backupId = restore.parameters.find((p: any) => p.name === 'backupId' && p.in === 'path');
      assert.equal(backupId.value, '$steps.createBackup.outputs.backupId');
    });
  });
});
