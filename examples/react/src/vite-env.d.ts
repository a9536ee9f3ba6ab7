/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** The API endpoint, fixed at build time, e.g. `http://127.0.0.1:5000/graphql`. */
  readonly VITE_GRAPHQL_URL?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
