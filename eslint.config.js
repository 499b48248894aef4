// Lint configuration. Besides type-aware checks it enforces the architecture:
// the one-way package graph from the design brief and the purity of `core/` folders.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The package graph: each package may import only the packages listed for it.
 * common ← cluster (and later sql, gateway) ← client ← cli, console.
 * This list starts without exceptions; keep it that way.
 */
const allowedPackages = {
  common: [],
  cluster: ['common'],
  gateway: ['common'],
  client: ['common', 'cluster', 'gateway'],
  sql: ['common'],
  cli: ['common', 'cluster', 'sql', 'gateway', 'client'],
};
const allPackages = ['common', 'cluster', 'sql', 'gateway', 'client', 'cli', 'console'];

function packageBoundaryRules(name) {
  const forbidden = allPackages.filter((p) => p !== name && !allowedPackages[name].includes(p));
  return {
    files: [`packages/${name}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: forbidden.map((p) => `@exosphere/${p}`),
              message: `packages/${name} may import only: ${allowedPackages[name].join(', ') || 'nothing of the project'} (see ARCHITECTURE.md).`,
            },
            {
              group: ['@exosphere/*/src/*', '@exosphere/*/dist/*'],
              message: 'Import a package through its index, never its internals.',
            },
            {
              // A relative path whose first real segment is a package name crosses packages.
              regex: `^(\\.\\./)+(${allPackages.join('|')})/`,
              message: 'Reach another package through its package name, not a relative path.',
            },
          ],
        },
      ],
    },
  };
}

/** Pure cores: no clock, no randomness, no I/O. Time and randomness are injected. */
const coreRules = {
  files: ['packages/*/src/**/core/**/*.ts', 'packages/sql/src/planner/**/*.ts'],
  rules: {
    'no-restricted-properties': [
      'error',
      { object: 'Date', property: 'now', message: 'core/ is pure: take `now` as data.' },
      { object: 'Math', property: 'random', message: 'core/ is pure: take a Random.' },
      { object: 'performance', property: 'now', message: 'core/ is pure: take `now` as data.' },
    ],
    'no-restricted-syntax': [
      'error',
      {
        selector: "NewExpression[callee.name='Date'][arguments.length=0]",
        message: 'core/ is pure: `new Date()` reads the clock; take `now` as data.',
      },
    ],
    'no-restricted-globals': [
      'error',
      { name: 'setTimeout', message: 'core/ is pure: no timers.' },
      { name: 'setInterval', message: 'core/ is pure: no timers.' },
      { name: 'fetch', message: 'core/ is pure: no network.' },
      { name: 'process', message: 'core/ is pure: no process state.' },
    ],
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            group: [
              'node:*',
              'fs',
              'net',
              'http',
              'https',
              'child_process',
              'os',
              'crypto',
              '../master/*',
              '../agent/*',
              '../sim/*',
              '../../master/*',
              '../../agent/*',
            ],
            message: 'core/ is pure: no I/O and no imports from master/agent/sim.',
          },
          {
            group: allPackages.filter((p) => p !== 'common').map((p) => `@exosphere/${p}`),
            message: 'core/ may import only @exosphere/common.',
          },
        ],
      },
    ],
  },
};

/**
 * The aggregator hands a statement's interruption down explicitly (`StatementContext.signal`):
 * the AsyncLocalStorage scope of storage/interrupt-scope.ts, which a leaf uses, turns on promise
 * hooks for the whole process and costs every promise of every statement.
 */
const aggregatorRules = {
  files: ['packages/sql/src/aggregator/**/*.ts'],
  rules: {
    'no-restricted-syntax': [
      'error',
      {
        selector:
          'ImportDeclaration[source.value=/interrupt-scope/] ImportSpecifier[imported.name=/^(runInterruptible|currentInterruptSignal|onInterrupt|throwIfInterrupted)$/]',
        message:
          'The aggregator passes the statement signal explicitly (context.signal, onAbort); the interrupt scope is for leaves.',
      },
    ],
  },
};

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/*.js', '**/*.mjs', 'bench/**/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // node:test's test()/describe() return promises that the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            {
              from: 'package',
              package: 'node:test',
              name: [
                'test',
                'describe',
                'it',
                'suite',
                'before',
                'after',
                'beforeEach',
                'afterEach',
              ],
            },
          ],
        },
      ],
      '@typescript-eslint/no-misused-promises': [
        'error',
        { checksVoidReturn: { arguments: false } },
      ],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      // A `default:` branch is an explicit decision about the remaining cases.
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true },
      ],
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowBoolean: true },
      ],
      'no-console': 'off',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  {
    files: ['**/test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
  ...Object.keys(allowedPackages).map(packageBoundaryRules),
  coreRules,
  aggregatorRules,
);
