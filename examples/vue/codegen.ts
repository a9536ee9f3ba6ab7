// GraphQL Code Generator: typed documents for the app's `graphql()` calls, from the server's
// committed SDL. It runs before `dev`, `build` and `typecheck` (npm pre-scripts) and its output,
// src/gql/, is not committed: it cannot drift from ../../schema.graphql.
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: '../../schema.graphql',
  documents: ['src/**/*.ts', '!src/gql/**'],
  // A document that is invalid against the schema, or no document at all, fails the run.
  ignoreNoDocuments: false,
  emitLegacyCommonJSImports: false,
  generates: {
    './src/gql/': {
      preset: 'client',
      presetConfig: {
        // Components take their fragment's type directly (no `useFragment` unmasking).
        fragmentMasking: false,
      },
      config: {
        // Every custom scalar must be mapped: no silent `any`.
        strictScalars: true,
        scalars: {
          JSON: 'unknown',
          Date: 'string',
          DateTime: 'string',
        },
        // Types for the operations (and the inputs and enums they use) only.
        onlyOperationTypes: true,
        // String-literal unions instead of TypeScript enums (nothing to import at run time).
        enumsAsTypes: true,
        // A selected field is always in the result: `description: string | null`, not `?:`.
        avoidOptionals: { field: true, object: true, inputValue: false, defaultValue: false },
        // `__typename` is always present (urql's cache adds it); union members narrow on it.
        nonOptionalTypename: true,
        useTypeImports: true,
      },
    },
  },
};

export default config;
