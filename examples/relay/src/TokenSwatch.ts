// A token card that can refetch itself (by its global ID, through `Query.node`) and shows
// the token in every context of the `theme` modifier.
import { graphql } from 'relay-runtime';

export const TokenSwatchFragment = graphql`
  fragment TokenSwatch_token on Token
  @refetchable(queryName: "TokenSwatchRefetchQuery") {
    id
    path
    type
    value {
      __typename
      ... on ColorValue { hex css }
      ... on DimensionValue { px css }
    }
    valuesByContext(modifier: "theme") {
      context
      value { __typename ... on ColorValue { hex } }
    }
  }
`;
