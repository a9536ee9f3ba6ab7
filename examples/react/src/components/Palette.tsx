import type { ColorTokenFragment } from '../gql/graphql';

/** The colour tokens as swatches: `data-testid="swatch"`, `data-path`, background = `css`. */
export function Palette({ tokens }: { tokens: ColorTokenFragment[] }) {
  return (
    <section aria-labelledby="palette-title">
      <h2 id="palette-title">Palette</h2>
      <ul className="palette">
        {tokens.map(({ path, value }) =>
          value.__typename === 'ColorValue' ? (
            <li key={path}>
              <div
                className="swatch"
                data-testid="swatch"
                data-path={path}
                style={{ backgroundColor: value.css }}
              />
              <code>{path.replace(/^base\.color\./, '')}</code>
              <code>{value.hex}</code>
            </li>
          ) : null,
        )}
      </ul>
    </section>
  );
}
