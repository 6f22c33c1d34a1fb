// Gives graphql-js's own input errors (validation of literals, coercion of variables)
// the same shape as the engine's ValidationError: extensions { code: 'BAD_USER_INPUT',
// field: 'input.filters.timeRanges[0].from' }. Other validation errors (unknown field,
// wrong operation) get code 'GRAPHQL_VALIDATION_FAILED'.
import { GraphQLError, Kind, type DocumentNode, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { pathOfNode, pathOfVariable } from './input-paths.js';

const VALUE_KINDS = new Set<string>([Kind.VARIABLE, Kind.INT, Kind.FLOAT, Kind.STRING, Kind.BOOLEAN, Kind.NULL, Kind.ENUM, Kind.LIST, Kind.OBJECT, Kind.OBJECT_FIELD]);

function withExtensions(err: GraphQLError, extensions: Record<string, unknown>): GraphQLError {
  return new GraphQLError(err.message, {
    nodes: err.nodes,
    source: err.source,
    positions: err.positions,
    path: err.path,
    originalError: err.originalError,
    extensions: { ...err.extensions, ...extensions },
  });
}

/** Classifies one validation error; literal-value errors become BAD_USER_INPUT with the field path. */
export function codeValidationError(err: GraphQLError, document: DocumentNode): GraphQLError {
  if (err.extensions['code']) return err;
  const node = err.nodes?.[0];
  // "Field "submitSearch" argument "input" of type "SearchInput!" is required, but it was not provided."
  const missingArg = /argument "(\w+)" of type "[^"]+" is required/.exec(err.message);
  if (missingArg) return withExtensions(err, { code: 'BAD_USER_INPUT', field: missingArg[1] });
  if (node && VALUE_KINDS.has(node.kind)) {
    const base = pathOfNode(document, node);
    if (base !== null) {
      // "Field "SearchInput.filters" of required type "ContractFilter!" was not provided." points at the object.
      const missingField = /^Field "\w+\.(\w+)" of required type/.exec(err.message);
      return withExtensions(err, { code: 'BAD_USER_INPUT', field: missingField ? `${base}.${missingField[1]}` : base });
    }
  }
  return withExtensions(err, { code: 'GRAPHQL_VALIDATION_FAILED' });
}

/** Classifies one execution error; variable-coercion errors become BAD_USER_INPUT with the field path. */
export function codeVariableError(err: GraphQLError, document: DocumentNode): GraphQLError {
  if (err.extensions['code'] || err.path) return err;
  const variable = /^Variable "\$(\w+)"/.exec(err.message);
  if (!variable) return err;
  const name = variable[1]!;
  const argPath = pathOfVariable(document, name) ?? name;
  // ' at "input.filters.timeRanges[0].from"; ' is relative to the variable: re-root it on the argument path.
  const at = / at "([^"]+)"; /.exec(err.message)?.[1];
  let field = at ? argPath + at.slice(name.length) : argPath;
  // Errors about one field of an input object point at the object: name the field.
  const namedField = /; Field "(\w+)" (?:of required type .* was not provided|is not defined by type)/.exec(err.message);
  if (namedField) field = `${field}.${namedField[1]}`;
  return withExtensions(err, { code: 'BAD_USER_INPUT', field });
}

function mapResult(result: ExecutionResult, document: DocumentNode): ExecutionResult | null {
  if (!result.errors?.length || result.data) return null;
  return { ...result, errors: result.errors.map((e) => codeVariableError(e, document)) };
}

const isIterable = (v: unknown): boolean => typeof v === 'object' && v !== null && Symbol.asyncIterator in v;

/** The hook for a finished operation's result: a single result gets its input errors coded; a stream passes as it is. */
function codeResult(document: DocumentNode) {
  return ({ result, setResult }: { result: unknown; setResult: (result: ExecutionResult) => void }): void => {
    if (isIterable(result)) return;
    const mapped = mapResult(result as ExecutionResult, document);
    if (mapped) setResult(mapped);
  };
}

/** Envelop plugin: codes and field paths for graphql-js input errors, on HTTP, SSE and WebSocket alike. */
export function useInputErrorCodes(): Plugin {
  return {
    onValidate({ params }) {
      const document = params.documentAST;
      return ({ result, setResult }) => {
        if (result.length) setResult(result.map((e) => (e instanceof GraphQLError ? codeValidationError(e, document) : e)));
      };
    },
    onExecute({ args }) {
      return { onExecuteDone: codeResult(args.document) };
    },
    onSubscribe({ args }) {
      return { onSubscribeResult: codeResult(args.document) };
    },
  };
}
