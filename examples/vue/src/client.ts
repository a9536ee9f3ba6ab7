import { Client, cacheExchange, fetchExchange, subscriptionExchange } from '@urql/vue';
import { createClient as createWsClient } from 'graphql-ws';

/**
 * The GraphQL endpoint: `VITE_GRAPHQL_URL` when the app was built with it (the server must then
 * allow this page's origin, CORS), else `/graphql` on the page's own origin, which the Vite dev
 * server proxies to the API.
 */
export const graphqlUrl = import.meta.env.VITE_GRAPHQL_URL || '/graphql';

/** The WebSocket URL of a GraphQL URL (relative to the page): http → ws, https → wss. */
export function webSocketUrl(url: string, base: string = window.location.href): string {
  const ws = new URL(url, base);
  ws.protocol = ws.protocol === 'https:' ? 'wss:' : 'ws:';
  return ws.href;
}

/**
 * Subscriptions go over one WebSocket (graphql-transport-ws protocol, served by
 * `uvicorn asgi:app` at the same `/graphql`), reopened after a drop.
 */
export const wsClient = createWsClient({ url: webSocketUrl(graphqlUrl), retryAttempts: Infinity });

/** Calls `listener` after each reconnection (events sent while it was down are lost). */
export function onReconnected(listener: () => void): () => void {
  return wsClient.on('connected', (_socket, _payload, wasRetry) => {
    if (wasRetry) listener();
  });
}

export const client = new Client({
  url: graphqlUrl,
  // Names this app in the server's usage analytics (`usage`, `deprecatedInUse`).
  fetchOptions: { headers: { 'apollographql-client-name': 'vue-example' } },
  exchanges: [
    cacheExchange,
    fetchExchange,
    subscriptionExchange({
      forwardSubscription(request) {
        const input = { ...request, query: request.query || '' };
        return {
          subscribe(sink) {
            return { unsubscribe: wsClient.subscribe(input, sink) };
          },
        };
      },
    }),
  ],
});
