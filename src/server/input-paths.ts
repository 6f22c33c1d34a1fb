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

/** Every argument value node of the document, with its path ('input.filters.keywords[2]'). */
function argumentValues(document: DocumentNode): Found[] {
  const out: Found[] = [];
  visit(document, {
    Argument(node) {
      out.push({ node, path: node.name.value });
      walkValue(node.value, node.name.value, out);
    },
  });
  return out;
}

/** The argument path of an AST node inside an argument value, or null when it is not in one. */
export function pathOfNode(document: DocumentNode, node: ASTNode): string | null {
  return argumentValues(document).find((f) => f.node === node)?.path ?? null;
}

/** The argument path where variable `$name` is used (the first use), or null when unused. */
export function pathOfVariable(document: DocumentNode, name: string): string | null {
  const use = argumentValues(document).find((f) => f.node.kind === Kind.VARIABLE && f.node.name.value === name);
  return use?.path ?? null;
}
