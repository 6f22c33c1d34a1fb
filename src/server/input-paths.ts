// Locating input values in a GraphQL document, so errors graphql-js raises about input
// (bad enum value, malformed Date, missing field) can name the offending field the
// same way our own validation does: a path from the field argument, such as
// 'input.filters.timeRanges[0].from'.
import { Kind, visit, type ASTNode, type DocumentNode, type ValueNode } from 'graphql';

type Found = { node: ASTNode; path: string };

/** Walks an argument value, reporting every node with its path. */
function walkValue(value: ValueNode, path: string, out: Found[]): void {
  out.push({ node: value, path });
  if (value.kind === Kind.OBJECT) {
    for (const field of value.fields) {
      const fieldPath = `${path}.${field.name.value}`;
      out.push({ node: field, path: fieldPath });
      walkValue(field.value, fieldPath, out);
    }
  } else if (value.kind === Kind.LIST) {
    value.values.forEach((item, i) => walkValue(item, `${path}[${i}]`, out));
  }
}

type PathIndex = { byNode: Map<ASTNode, string>; byVariable: Map<string, string> };

// One index per document, built on first use: a document with many bad literals (each its
// own error) costs one walk, not one walk per error. Weak, so documents are not kept alive.
const indexes = new WeakMap<DocumentNode, PathIndex>();

/** Indexes every argument value node of the document with its path ('input.filters.keywords[2]'). */
function indexOf(document: DocumentNode): PathIndex {
  let index = indexes.get(document);
  if (index) return index;
  const byNode = new Map<ASTNode, string>();
  const byVariable = new Map<string, string>();
  const found: Found[] = [];
  visit(document, {
    Argument(node) {
      found.push({ node, path: node.name.value });
      walkValue(node.value, node.name.value, found);
    },
  });
  for (const { node, path } of found) {
    if (!byNode.has(node)) byNode.set(node, path);
    if (node.kind === Kind.VARIABLE && !byVariable.has(node.name.value)) byVariable.set(node.name.value, path);
  }
  index = { byNode, byVariable };
  indexes.set(document, index);
  return index;
}

/** The argument path of an AST node inside an argument value, or null when it is not in one. */
export function pathOfNode(document: DocumentNode, node: ASTNode): string | null {
  return indexOf(document).byNode.get(node) ?? null;
}

/** The argument path where variable `$name` is used (the first use), or null when unused. */
export function pathOfVariable(document: DocumentNode, name: string): string | null {
  return indexOf(document).byVariable.get(name) ?? null;
}
