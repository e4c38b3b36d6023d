import type { CodegenConfig } from '@graphql-codegen/cli';

// Typed documents from the platform's committed SDL: every graphql(`…`) in src/ becomes a
// TypedDocumentNode whose result and variables types follow schema/schema.graphql.
const config: CodegenConfig = {
  schema: '../../schema/schema.graphql',
  documents: ['src/**/*.ts', '!src/gql/**/*'],
  ignoreNoDocuments: false,
  generates: {
    'src/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        // the documents as typed strings: plain fetch sends them, no GraphQL client library at run time
        documentMode: 'string',
        // NodeNext: relative imports need their extension
        importExtension: '.js',
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { DateTimeISO: 'string', JSONObject: 'Record<string, unknown>' },
      },
    },
  },
};

export default config;
