// ESLint (STYLE.md §6): typescript-eslint's recommended rules, no `any` outside the marked
// boundaries (each carries an eslint-disable with its `any:` reason), exhaustive switches, and
// functions short enough to read at once. The dispatch switch and declarative tables are
// exempt: they are tables in code form.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'generated/', 'node_modules/', 'bench-results/', 'test-results/', 'test/transformer/fixtures/tmp-*/', 'benchmarks/native/', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: { allowDefaultProject: ['*.ts'] }, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      // Loops over superclass and context chains start at `this`; there are no closures over it.
      '@typescript-eslint/no-this-alias': 'off',
      'max-lines-per-function': ['error', { max: 60, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    files: ['interpreter/interpreter.ts', 'interpreter/compiler/opcodes.ts', 'test/**/*.ts'],
    rules: { 'max-lines-per-function': 'off' },
  },
);
