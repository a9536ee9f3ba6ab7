// A token list paged forwards and backwards (`usePaginationFragment`): the `tokens`
// connection with `first`/`after` and `last`/`before`, and the theme switcher's modifiers.
import { graphql } from 'relay-runtime';

export const TokenListFragment = graphql`
  fragment TokenList_query on Query
  @refetchable(queryName: "TokenListPaginationQuery")
  @argumentDefinitions(
    theme: { type: "[ThemeSelection!]" }
    prefix: { type: "String" }
    first: { type: "Int", defaultValue: 20 }
    after: { type: "String" }
    last: { type: "Int" }
    before: { type: "String" }
  ) {
    tokens(theme: $theme, filter: { pathPrefix: $prefix }, first: $first, after: $after,
           last: $last, before: $before)
    @connection(key: "TokenList_tokens", filters: ["theme", "filter"]) {
      totalCount
      edges {
        node { id ...TokenSwatch_token }
      }
    }
  }
`;

export const TokenListQuery = graphql`
  query TokenListQuery($theme: [ThemeSelection!], $prefix: String) {
    ...TokenList_query @arguments(theme: $theme, prefix: $prefix)
    modifiers { id name default contexts { id name } }
    releases { id name }
  }
`;
