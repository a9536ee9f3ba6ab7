import type { ModifiersQuery, ThemeSelection } from '../gql/graphql';

type Modifier = ModifiersQuery['modifiers'][number];

interface Props {
  modifiers: Modifier[];
  /** The context shown as selected for each modifier. */
  theme: ThemeSelection[];
  onPick: (modifier: string, context: string) => void;
}

/** Lists the modifiers, each with a `<select>` of its contexts (`data-testid="theme-select"`…). */
export function ModifierPicker({ modifiers, theme, onPick }: Props) {
  return (
    <form className="modifiers" aria-label="Modifiers" onSubmit={(e) => e.preventDefault()}>
      {modifiers.map((m) => (
        <label key={m.name} title={m.description ?? undefined}>
          <span>
            {m.name} <small>(default: {m.default ?? 'none'})</small>
          </span>
          <select
            data-testid={`${m.name}-select`}
            value={theme.find((s) => s.modifier === m.name)?.context}
            onChange={(e) => onPick(m.name, e.target.value)}
          >
            {m.contexts.map((c) => (
              <option key={c.name} value={c.name} title={c.description ?? undefined}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
      ))}
    </form>
  );
}
