import type { TypographyTokenFragment } from '../gql/graphql';

/** The typography tokens, largest first, as sample text in their own `font`. */
export function TypeScale({ tokens }: { tokens: TypographyTokenFragment[] }) {
  const samples = tokens
    .flatMap(({ path, rawValue, value }) =>
      value.__typename === 'TypographyValue' ? [{ path, rawValue, ...value }] : [],
    )
    .sort((a, b) => (b.fontSize?.px ?? 0) - (a.fontSize?.px ?? 0));
  return (
    <section aria-labelledby="type-scale-title">
      <h2 id="type-scale-title">Type scale</h2>
      <ul className="type-scale">
        {samples.map((s) => (
          <li key={s.path}>
            <p data-testid="type-sample" data-path={s.path} style={{ font: s.css }}>
              The quick brown fox jumps over the lazy dog
            </p>
            <code title={JSON.stringify(s.rawValue)}>{s.path}</code>{' '}
            <small>
              {s.fontSize?.css} · weight {s.fontWeight?.weight} · line height {s.lineHeight ?? 'normal'}
            </small>
          </li>
        ))}
      </ul>
    </section>
  );
}
