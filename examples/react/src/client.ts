import { createClient as createWsClient } from 'graphql-ws';
import { Client, cacheExchange, fetchExchange, subscriptionExchange } from 'urql';

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
 * `uvicorn asgi:app` at the same `/graphql`), opened with the first subscription and
 * reopened after a drop; queries and mutations stay on HTTP.
 */
export const wsClient = createWsClient({
  url: webSocketUrl(graphqlUrl),
  retryAttempts: Infinity,
});

/**
 * Calls `listener` each time the WebSocket reconnects after a drop: events sent while it was
 * down are lost, so what they would have updated must be read again. Returns the unsubscriber.
 */
export function onReconnected(listener: () => void): () => void {
  return wsClient.on('connected', (_socket, _payload, wasRetry) => {
    if (wasRetry) listener();
  });
}

/** Whether the WebSocket is connected now (for `useSyncExternalStore`). */
export const liveConnection = {
  connected: false,
  subscribe(onChange: () => void): () => void {
    const update = (connected: boolean) => () => {
      liveConnection.connected = connected;
      onChange();
    };
    const offConnected = wsClient.on('connected', update(true));
    const offClosed = wsClient.on('closed', update(false));
    return () => {
      offConnected();
      offClosed();
    };
  },
  getSnapshot: (): boolean => liveConnection.connected,
};

export const client = new Client({
  url: graphqlUrl,
  // Names this app in the server's usage analytics (`usage`, `deprecatedInUse`).
  fetchOptions: { headers: { 'apollographql-client-name': 'react-example' } },
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
