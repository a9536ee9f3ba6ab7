import { useState } from 'react';
import { useQuery } from 'urql';
import { ModifierPicker } from './components/ModifierPicker';
import { Palette } from './components/Palette';
import { TypeScale } from './components/TypeScale';
import { ModifiersQuery, ThemeTokensQuery } from './documents';
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
  const [tokensResult] = useQuery({
    query: ThemeTokensQuery,
    variables: { theme },
    pause: !modifiersResult.data,
  });
  const { data, fetching } = tokensResult;
  const error = modifiersResult.error ?? tokensResult.error;
  // The theme of the tokens on screen (not the one being fetched).
  const shownTheme = contextOf(tokensResult.operation?.variables.theme, 'theme');

  return (
    <main
      className="app"
      aria-busy={fetching}
      style={{ backgroundColor: colorCss(data?.background?.value), color: colorCss(data?.foreground?.value) }}
    >
      <header>
        <h1>Design tokens</h1>
        <p>
          Theme: <strong data-testid="current-theme">{shownTheme}</strong>
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
