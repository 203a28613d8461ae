// Lint rules double as architecture checks: the layering of docs/architecture.md is enforced
// here with no-restricted-imports, so a boundary violation fails CI instead of a review.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const adapters = ['store', 'http', 'metrics', 'mqtt', 'shutdown', 'probes'];
const adapterRules = adapters.map((name) => ({
  files: [`src/${name}/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: adapters
          .filter((other) => other !== name)
          .map((other) => ({
            group: [`**/${other}/*`],
            message: 'adapters never import each other; wire them in src/app/',
          })),
      },
    ],
  },
}));

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'web/vendor/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        AbortController: 'readonly',
        AbortSignal: 'readonly',
        performance: 'readonly',
        queueMicrotask: 'readonly',
        structuredClone: 'readonly',
        TextEncoder: 'readonly',
        TextDecoder: 'readonly',
        fetch: 'readonly',
        document: 'readonly',
        window: 'readonly',
        localStorage: 'readonly',
        sessionStorage: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-empty': ['error', { allowEmptyCatch: false }],
    },
  },
  {
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!\\./)',
              message: 'domain/ is pure: it imports only its own modules (no I/O, no packages)',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/nut/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^\\.\\./',
              message: 'nut/ is a library: it imports nothing else from src/',
            },
          ],
        },
      ],
    },
  },
  ...adapterRules,
);
