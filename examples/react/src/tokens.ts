import type { ColorTokenFragment, ThemeSelection } from './gql/graphql';

/** The CSS colour of a token value, or undefined when the value is not a colour. */
export function colorCss(value: ColorTokenFragment['value'] | undefined): string | undefined {
  // `value` is a union discriminated by `__typename`: only ColorValue has `css` here.
  return value?.__typename === 'ColorValue' ? value.css : undefined;
}

/** The context chosen for one modifier in a theme input (a list, or one selection). */
export function contextOf(
  theme: ThemeSelection[] | ThemeSelection | undefined,
  modifier: string,
): string | undefined {
  const selections = theme === undefined ? [] : Array.isArray(theme) ? theme : [theme];
  return selections.find((s) => s.modifier === modifier)?.context;
}
