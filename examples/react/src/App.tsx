import { type CSSProperties, useEffect, useState, useSyncExternalStore } from 'react';
import { useQuery, useSubscription } from 'urql';
import { liveConnection, onReconnected } from './client';
import { ModifierPicker } from './components/ModifierPicker';
import { Palette } from './components/Palette';
import { TypeScale } from './components/TypeScale';
import { ModifiersQuery, ThemeTokensQuery, TokensChangedSubscription } from './documents';
import { colorCss, contextOf } from './tokens';

export function App() {
  const [modifiersResult] = useQuery({ query: ModifiersQuery });
  const modifiers = modifiersResult.data?.modifiers ?? [];

  // The contexts picked so far; a modifier not picked takes its default context.
  const [picked, setPicked] = useState<Record<string, string>>({});
  const theme = modifiers.map((m) => ({
    modifier: m.name,
    context: picked[m.name] ?? m.default ?? m.contexts[0]?.name ?? '',
  }));

  // New variables, new request: urql fetches the tokens again whenever the theme changes.
  const [tokensResult, refetchTokens] = useQuery({
    query: ThemeTokensQuery,
    variables: { theme },
    pause: !modifiersResult.data,
  });
  const { data, fetching } = tokensResult;

  // Live updates: the server pushes an event after each write that changed a token of this
  // theme; the page then reads its tokens again from the network (not urql's cache).
  const [changes] = useSubscription({
    query: TokensChangedSubscription,
    variables: { theme },
    pause: !modifiersResult.data,
  });
  const changedAt = changes.data?.tokensChanged.revision;
  useEffect(() => {
    if (changedAt !== undefined) refetchTokens({ requestPolicy: 'network-only' });
  }, [changedAt, refetchTokens]);
  // Events sent while the WebSocket was down are lost: read everything again after a reconnect.
  useEffect(
    () => onReconnected(() => refetchTokens({ requestPolicy: 'network-only' })),
    [refetchTokens],
  );
  const live = useSyncExternalStore(liveConnection.subscribe, liveConnection.getSnapshot);

  const error = modifiersResult.error ?? tokensResult.error ?? changes.error;
  // The theme of the tokens on screen (not the one being fetched).
  const shownTheme = contextOf(tokensResult.operation?.variables.theme, 'theme');

  return (
    <main
      className="app"
      aria-busy={fetching}
      style={
        {
          backgroundColor: colorCss(data?.background?.value),
          color: colorCss(data?.foreground?.value),
          '--focus-ring': colorCss(data?.focusRing?.value),
        } as CSSProperties
      }
    >
      <header>
        <h1>Design tokens</h1>
        <p>
          Theme: <strong data-testid="current-theme">{shownTheme}</strong> · Revision{' '}
          <strong data-testid="revision">{data?.revision}</strong> ·{' '}
          <span data-testid="live-status">{live ? 'live' : 'not live'}</span>
        </p>
      </header>
      <ModifierPicker
        modifiers={modifiers}
        theme={theme}
        onPick={(modifier, context) => setPicked((p) => ({ ...p, [modifier]: context }))}
      />
      {error && <p role="alert">{error.message}</p>}
      {data && (
        <>
          <Palette tokens={data.palette.edges.map((e) => e.node)} />
          <TypeScale tokens={data.typeScale.edges.map((e) => e.node)} />
        </>
      )}
    </main>
  );
}
