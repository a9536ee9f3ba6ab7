// Every GraphQL document of the app. `graphql()` comes from `npm run codegen` (the client
// preset): each call returns a TypedDocumentNode whose result and variables types are generated
// from ../../schema.graphql, so `useQuery` results are typed with no cast.
import { graphql } from './gql';

/** The resolver's modifiers (`theme`, `pointer`…) with their contexts and defaults. */
export const ModifiersQuery = graphql(`
  query Modifiers {
    modifiers {
      name
      description
      default
      contexts {
        name
        description
      }
    }
  }
`);

/** A colour token: `value` is the `TokenValue` union, narrowed on `__typename`. */
export const ColorTokenFragment = graphql(`
  fragment ColorToken on Token {
    path
    value {
      __typename
      ... on ColorValue {
        hex
        css
      }
    }
  }
`);

/**
 * A typography token, rendered as sample text in its own `font`. `rawValue` is the `$value` as
 * the source wrote it, references included (a `JSON` scalar, typed `unknown`).
 */
export const TypographyTokenFragment = graphql(`
  fragment TypographyToken on Token {
    path
    description
    rawValue
    value {
      __typename
      ... on TypographyValue {
        css
        lineHeight
        fontSize {
          px
          css
        }
        fontWeight {
          weight
        }
      }
    }
  }
`);

/**
 * Everything the page shows for one theme: one request per theme selection, read again after
 * each `TokensChanged` event. `revision` is the data revision the tokens were read at.
 */
export const ThemeTokensQuery = graphql(`
  query ThemeTokens($theme: [ThemeSelection!]!) {
    revision
    background: token(path: "bgColor.default", theme: $theme) {
      ...ColorToken
    }
    foreground: token(path: "fgColor.default", theme: $theme) {
      ...ColorToken
    }
    # Still the deprecated name (Primer: use focus.outline-color): the server's
    # deprecatedInUse report lists it with this app as a client.
    focusRing: token(path: "focus.outlineColor", theme: $theme) {
      ...ColorToken
    }
    palette: tokens(theme: $theme, filter: { types: ["color"], pathPrefix: "base.color" }) {
      totalCount
      edges {
        node {
          ...ColorToken
        }
      }
    }
    typeScale: tokens(theme: $theme, filter: { types: ["typography"], pathPrefix: "text" }) {
      totalCount
      edges {
        node {
          ...TypographyToken
        }
      }
    }
  }
`);

/**
 * Live updates (WebSocket, `uvicorn asgi:app` only): one event after each write that changed a
 * token's resolved value in this theme. The page then reads `ThemeTokens` again, so only what
 * identifies the change is selected here.
 */
export const TokensChangedSubscription = graphql(`
  subscription TokensChanged($theme: [ThemeSelection!]!) {
    tokensChanged(theme: $theme) {
      revision
      removedPaths
      tokens {
        path
      }
    }
  }
`);
