// Limits on the GraphQL document itself, checked before anything runs, on HTTP, SSE and
// graphql-ws alike (all three go through yoga's envelop parse and validate). The checks
// are graphql-armor's (tokens while parsing; depth, aliases, directives and estimated cost
// as validation rules), plus one of Kontrata's own: a synchronous operation asks at most
// one engine question. Every refusal is QUERY_TOO_COMPLEX.
import { costLimitPlugin } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesPlugin } from '@escape.tech/graphql-armor-max-directives';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import { blockFieldSuggestionsPlugin } from '@escape.tech/graphql-armor-block-field-suggestions';
import {
  GraphQLError,
  Kind,
  type ASTVisitor,
  type FragmentDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { QueryTooComplexError } from '../errors.js';

/**
 * The limits. Sized so that every real question passes with room to spare: GraphiQL's
 * introspection query has depth 21, 183 tokens and cost 330; the largest valid filter
 * (50 chips in each dimension, 20 time ranges, 50 entities) is about 1,000 tokens; a full
 * contractAnalytics selection costs 37. Nothing in Kontrata's schema nests deeper than 6
 * outside introspection.
 */
export const DOCUMENT_LIMITS = {
  /** Lexical tokens per document (punctuators, names, literals). */
  tokens: 3000,
  /** Selection depth, introspection included. */
  depth: 30,
  /** Aliased fields per operation (fragments included). */
  aliases: 15,
  /** Directives per operation. */
  directives: 10,
  /** Estimated cost (object field 2, scalar field 1, summed over the tree, fragments expanded), introspection included. */
  cost: 1000,
} as const;

/** The synchronous questions that run SQL on the engine: at most one per operation. */
export const ENGINE_FIELDS: ReadonlySet<string> = new Set(['searchContracts', 'contractAnalytics', 'analyticsTable']);

/** The GraphQL error of a refused document: extensions.code QUERY_TOO_COMPLEX. */
export function tooComplex(message: string): GraphQLError {
  const err = new QueryTooComplexError(message);
  return new GraphQLError(err.message, { extensions: { code: err.code, ...err.details } });
}

// graphql-armor's messages start with "Syntax Error: " whatever the limit; say what it is instead.
const armorMessage = (err: Error): string => `Query too complex: ${err.message.replace(/^Syntax Error: /, '')}`;

/** Reports a rule's refusal once per operation as QUERY_TOO_COMPLEX (instead of armor's own throw). */
const reportTooComplex = (ctx: ValidationContext | null, err: GraphQLError) => ctx?.reportError(tooComplex(armorMessage(err)));

/** Collects the top-level fields of a selection set, through inline fragments and fragment spreads. */
function topLevelFields(set: SelectionSetNode, fragment: (name: string) => FragmentDefinitionNode | undefined, seen: Set<string>, out: string[]): void {
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) out.push(sel.name.value);
    else if (sel.kind === Kind.INLINE_FRAGMENT) topLevelFields(sel.selectionSet, fragment, seen, out);
    else if (!seen.has(sel.name.value)) {
      seen.add(sel.name.value); // a fragment spread twice at the top asks its fields once
      const def = fragment(sel.name.value);
      if (def) topLevelFields(def.selectionSet, fragment, seen, out);
    }
  }
}

/** Validation rule: a query operation selects at most one engine field (aliases count separately). */
export const oneEngineQuestionRule: ValidationRule = (context): ASTVisitor => ({
  OperationDefinition(op) {
    if (op.operation !== 'query') return;
    const fields: string[] = [];
    topLevelFields(op.selectionSet, (name) => context.getFragment(name) ?? undefined, new Set(), fields);
    const engine = fields.filter((f) => ENGINE_FIELDS.has(f));
    if (engine.length > 1) {
      context.reportError(
        tooComplex(
          `Query too complex: one synchronous operation may ask one of ${[...ENGINE_FIELDS].join(', ')} at a time; ` +
            `this one asks ${engine.length}. Send them as separate requests, or submit them as tasks.`,
        ),
      );
    }
  },
});

/** Envelop plugins enforcing DOCUMENT_LIMITS and the one-engine-question rule; `production` also hides field suggestions. */
export function documentLimitPlugins(opts: { production: boolean }): Plugin[] {
  const reject = { onReject: [reportTooComplex], propagateOnRejection: false, exposeLimits: true };
  const plugins = [
    maxTokensPlugin({
      n: DOCUMENT_LIMITS.tokens,
      // Parsing has no validation context: stop the parse by throwing our own error.
      onReject: [
        (_ctx, err) => {
          throw tooComplex(armorMessage(err));
        },
      ],
    }),
    maxDepthPlugin({ n: DOCUMENT_LIMITS.depth, ignoreIntrospection: false, ...reject }),
    maxAliasesPlugin({ n: DOCUMENT_LIMITS.aliases, ...reject }),
    maxDirectivesPlugin({ n: DOCUMENT_LIMITS.directives, ...reject }),
    costLimitPlugin({ maxCost: DOCUMENT_LIMITS.cost, objectCost: 2, scalarCost: 1, depthCostFactor: 1, ignoreIntrospection: false, ...reject }),
    { onValidate: ({ addValidationRule }) => addValidationRule(oneEngineQuestionRule) } satisfies Plugin,
  ] as Plugin[];
  // "Did you mean ...?" maps the schema for a scraper; GraphiQL has the schema anyway, by introspection.
  if (opts.production) plugins.push(blockFieldSuggestionsPlugin() as Plugin);
  return plugins;
}
