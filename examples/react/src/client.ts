import { Client, cacheExchange, fetchExchange } from 'urql';

/**
 * The GraphQL endpoint: `VITE_GRAPHQL_URL` when the app was built with it (the server must then
 * allow this page's origin, CORS), else `/graphql` on the page's own origin, which the Vite dev
 * server proxies to the API.
 */
export const graphqlUrl = import.meta.env.VITE_GRAPHQL_URL || '/graphql';

export const client = new Client({
  url: graphqlUrl,
  exchanges: [cacheExchange, fetchExchange],
});
