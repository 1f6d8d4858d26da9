import ts from "typescript";

/**
 * `chatstream/no-plain-object-lookup`: no key of type `string` into a plain object.
 *
 * Chat words reach the code as `string`s. Used as a key into an object literal or a parsed JSON object, "constructor",
 * "toString" or "__proto__" find Object.prototype's members instead of nothing: `WORD_REACTIONS[tok.norm]` gave a
 * function where a reaction was expected (a headline with "undefined" in it, then a crash), and
 * `CHAT_WORD_POLARITY[tok.norm]` a NaN sentiment for the whole window (issue 14, item 4). A syntax-only rule cannot
 * tell `VERBS[reaction]` (a key from a closed union, safe) from `WORD_REACTIONS[word]` (any string), so this one asks
 * the type checker and reports:
 *
 * - `obj[key]`, read or written, where `obj` has a string index signature (`Record<string, T>`, `{ [k: string]: T }`)
 *   and `key` is not a literal type or a union of literals (nor a number): use a `Map`, or guard the access with
 *   `Object.hasOwn(obj, key)` in the test of the `?:`, `&&` or `if` around it, or with an earlier
 *   `if (!Object.hasOwn(obj, key)) throw …` (return, continue, break) in an enclosing block (the same two expressions,
 *   as written; a guard does not see reassignments in between);
 * - `key in obj` with such a key: `in` sees the prototype chain too; use `Object.hasOwn` or a `Map`.
 *
 * Escape hatch, for a lookup that cannot meet a chat word: `// eslint-disable-next-line chatstream/no-plain-object-lookup -- why`.
 */

const SAFE_KEY_FLAGS =
  ts.TypeFlags.StringLiteral |
  ts.TypeFlags.NumberLike |
  ts.TypeFlags.BigIntLike |
  ts.TypeFlags.BooleanLike |
  ts.TypeFlags.ESSymbolLike |
  ts.TypeFlags.EnumLiteral |
  ts.TypeFlags.Undefined |
  ts.TypeFlags.Null |
  ts.TypeFlags.Never;

/** A key type that names only keys the program wrote itself: literals (or numbers, which no prototype member is). */
function isClosedKey(checker, type) {
  if (type.flags & ts.TypeFlags.TypeParameter) {
    const constraint = checker.getBaseConstraintOfType(type);
    return constraint !== undefined && constraint !== type && isClosedKey(checker, constraint);
  }
  if (type.isUnion()) return type.types.every((t) => isClosedKey(checker, t));
  return (type.flags & SAFE_KEY_FLAGS) !== 0;
}

/** The object is looked up by arbitrary strings: it has a `string` (or template-literal) index signature. */
function hasStringIndex(checker, type) {
  if (type.isUnion() || type.isIntersection()) return type.types.some((t) => hasStringIndex(checker, t));
  const apparent = checker.getApparentType(type);
  return checker.getIndexInfosOfType(apparent).some((info) => (info.keyType.flags & (ts.TypeFlags.String | ts.TypeFlags.TemplateLiteral)) !== 0);
}

function isHasOwnCall(node, objectText, keyText, sourceCode) {
  return (
    node.type === "CallExpression" &&
    node.callee.type === "MemberExpression" &&
    !node.callee.computed &&
    node.callee.object.type === "Identifier" &&
    node.callee.object.name === "Object" &&
    node.callee.property.type === "Identifier" &&
    node.callee.property.name === "hasOwn" &&
    node.arguments.length === 2 &&
    sourceCode.getText(node.arguments[0]) === objectText &&
    sourceCode.getText(node.arguments[1]) === keyText
  );
}

/** `test` is, or `&&`-joins, `Object.hasOwn(object, key)`. */
function testGuards(test, objectText, keyText, sourceCode) {
  if (isHasOwnCall(test, objectText, keyText, sourceCode)) return true;
  return test.type === "LogicalExpression" && test.operator === "&&" && (testGuards(test.left, objectText, keyText, sourceCode) || testGuards(test.right, objectText, keyText, sourceCode));
}

/** `test` is, or `||`-joins, `!Object.hasOwn(object, key)`. */
function testRefutes(test, objectText, keyText, sourceCode) {
  if (test.type === "UnaryExpression" && test.operator === "!") return isHasOwnCall(test.argument, objectText, keyText, sourceCode);
  return test.type === "LogicalExpression" && test.operator === "||" && (testRefutes(test.left, objectText, keyText, sourceCode) || testRefutes(test.right, objectText, keyText, sourceCode));
}

const EXITS = new Set(["ThrowStatement", "ReturnStatement", "ContinueStatement", "BreakStatement"]);

function exits(statement) {
  if (statement.type === "BlockStatement") return statement.body.length > 0 && exits(statement.body[statement.body.length - 1]);
  return EXITS.has(statement.type);
}

/**
 * The access is reached only when `Object.hasOwn(object, key)` holds: it is in the true branch of a test that says so,
 * or after an `if (!Object.hasOwn(object, key)) throw …` (return, continue, break) earlier in an enclosing block.
 */
function isGuarded(node, sourceCode) {
  const objectText = sourceCode.getText(node.object);
  const keyText = sourceCode.getText(node.property);
  let child = node;
  for (let parent = node.parent; parent !== undefined && parent !== null; child = parent, parent = parent.parent) {
    if (parent.type === "ConditionalExpression" && parent.consequent === child && testGuards(parent.test, objectText, keyText, sourceCode)) return true;
    if (parent.type === "LogicalExpression" && parent.operator === "&&" && parent.right === child && testGuards(parent.left, objectText, keyText, sourceCode)) return true;
    if (parent.type === "IfStatement" && parent.consequent === child && testGuards(parent.test, objectText, keyText, sourceCode)) return true;
    if (parent.type === "BlockStatement" || parent.type === "Program") {
      for (const statement of parent.body) {
        if (statement === child) break;
        if (statement.type === "IfStatement" && statement.alternate === null && exits(statement.consequent) && testRefutes(statement.test, objectText, keyText, sourceCode)) return true;
      }
    }
    if (parent.type.startsWith("Function") || parent.type === "ArrowFunctionExpression") return false;
  }
  return false;
}

export const noPlainObjectLookup = {
  meta: {
    type: "problem",
    docs: { description: "Forbid keys of type string into plain objects, where chat words find Object.prototype's members" },
    schema: [],
    messages: {
      lookup:
        "A `string` key into a plain object finds Object.prototype's members for chat words such as \"constructor\" or \"__proto__\": use a Map, or guard with Object.hasOwn({{object}}, {{key}}).",
      in: "`in` sees Object.prototype (\"constructor\" in {} is true): use Object.hasOwn or a Map.",
    },
  },
  create(context) {
    const services = context.sourceCode.parserServices;
    if (services?.program === undefined || services.program === null) throw new Error("chatstream/no-plain-object-lookup needs typed linting (parserOptions.projectService)");
    const checker = services.program.getTypeChecker();
    const typeOf = (node) => checker.getTypeAtLocation(services.esTreeNodeToTSNodeMap.get(node));
    return {
      MemberExpression(node) {
        if (!node.computed || node.property.type === "Literal") return;
        if (isClosedKey(checker, typeOf(node.property)) || !hasStringIndex(checker, typeOf(node.object))) return;
        if (isGuarded(node, context.sourceCode)) return;
        context.report({ node, messageId: "lookup", data: { object: context.sourceCode.getText(node.object), key: context.sourceCode.getText(node.property) } });
      },
      BinaryExpression(node) {
        if (node.operator !== "in" || node.left.type === "Literal" || node.left.type === "PrivateIdentifier") return;
        if (!isClosedKey(checker, typeOf(node.left))) context.report({ node, messageId: "in" });
      },
    };
  },
};

export default { meta: { name: "chatstream" }, rules: { "no-plain-object-lookup": noPlainObjectLookup } };
