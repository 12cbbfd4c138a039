// Which folder may import which: `npx depcruise src simulator local-temporal demo reliability cluster scripts bench test`
// (run by `npm run lint`). The product's folders form layers; a folder imports only from the layers
// below it, so folder imports run one way. Tools beside src/ may use the product, never the reverse.
// Type-only imports are erased by the compiler and so are not counted.
const { builtinModules } = require('node:module');

const LAYERS = ['shared', 'workflows', 'api', 'activities', 'temporal', 'runs', 'cli'];
const TOOLS = '^(simulator|local-temporal|demo|reliability|cluster|scripts|bench|test)/';

const layerRules = LAYERS.slice(0, -1).map((layer, i) => ({
  name: `${layer}-imports-below-only`,
  comment: `src/${layer}/ may import only from ${LAYERS.slice(0, i).join(', ') || 'no other folder of src/'}.`,
  severity: 'error',
  from: { path: `^src/${layer}/` },
  to: { path: `^src/(${LAYERS.slice(i + 1).join('|')})/|^src/[^/]+\\.ts$` },
}));

module.exports = {
  forbidden: [
    { name: 'no-cycle', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'product-without-tools',
      comment: 'src/ is what users run: it never imports development or proof tooling.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: TOOLS },
    },
    {
      name: 'workflow-code-reaches-no-io',
      comment:
        'Workflow code runs in a deterministic sandbox: nothing it imports, directly or through other modules, may reach Node built-ins, HTTP or activity code.',
      severity: 'error',
      from: { path: '^src/workflows/' },
      to: {
        reachable: true,
        path: [
          '^src/(api|activities|temporal|runs|cli)/',
          '(^|node_modules/)(got|@temporalio/(activity|worker|client))(/|$)',
          `^(node:)?(${builtinModules.join('|')})$`,
        ],
      },
    },
    {
      name: 'workflow-code-no-node-builtins',
      severity: 'error',
      from: { path: '^src/workflows/' },
      to: { dependencyTypes: ['core'] },
    },
    ...layerRules,
  ],
  options: {
    tsPreCompilationDeps: false,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['require', 'node', 'default'] },
    exclude: { path: '^dist/' },
  },
};
