package dev.orderpipeline.emulator.dynamodb;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A recursive-descent parser for DynamoDB's expression language: condition and filter expressions (which also
 * serve as key conditions), update expressions and projection expressions.
 *
 * <p>Grammar (keywords case-insensitive, function names case-sensitive, precedence NOT over AND over OR):
 * <pre>
 * condition  = or
 * or         = and { "OR" and }
 * and        = not { "AND" not }
 * not        = "NOT" not | primary
 * primary    = "(" condition ")" | function "(" operand { "," operand } ")" | operand comparator operand
 *   function = attribute_exists | attribute_not_exists | begins_with
 * operand    = path | ":value"
 * path       = name { "." name | "[" integer "]" }      name = identifier | "#placeholder"
 * update     = section { section }, each of SET, REMOVE, ADD, DELETE at most once
 *   SET path "=" value { "," ... }, value = term [ ("+" | "-") term ],
 *   term = path | ":value"
 *   REMOVE path { "," path }, ADD path ":value" { "," ... }, DELETE path ":value" { "," ... }
 * projection = path { "," path }
 * </pre>
 * Bare attribute names must not be DynamoDB reserved words, exactly as the service enforces, so that code tested
 * here does not fail in AWS. DynamoDB's other functions and operators (BETWEEN, IN, attribute_type, contains, size,
 * if_not_exists, list_append), which nothing in the project uses, are refused as not supported.
 */
final class ExpressionParser {
    private static final Set<String> RESERVED_WORDS = loadReservedWords();
    private static final Set<String> CONDITION_FUNCTIONS =
            Set.of("attribute_exists", "attribute_not_exists", "begins_with");
    /** DynamoDB functions this emulator does not implement: refused as such, not as unknown names. */
    private static final Set<String> UNSUPPORTED_FUNCTIONS =
            Set.of("attribute_type", "contains", "size", "if_not_exists", "list_append");
    private static final int MAX_EXPRESSION_BYTES = 4096;

    private enum Kind { NAME, NAME_PLACEHOLDER, VALUE_PLACEHOLDER, INTEGER, SYMBOL, EOF }

    private record Token(Kind kind, String text, int start, int end) {
        boolean is(String symbol) {
            return kind == Kind.SYMBOL && text.equals(symbol);
        }

        boolean isKeyword(String keyword) {
            return kind == Kind.NAME && text.equalsIgnoreCase(keyword);
        }
    }

    private final String text;
    private final String expressionName;
    private final ExpressionContext context;
    private final List<Token> tokens;
    private final List<DocumentPath> paths = new ArrayList<>();
    private int position;

    /**
     * @param expressionName the request member, e.g. {@code ConditionExpression}; it prefixes error messages
     *                       the way DynamoDB does ({@code Invalid ConditionExpression: ...})
     */
    ExpressionParser(String text, String expressionName, ExpressionContext context) {
        this.text = text;
        this.expressionName = expressionName;
        this.context = context;
        if (text.isBlank()) {
            throw invalid("The expression can not be empty;");
        }
        int size = AttributeValue.utf8Length(text);
        if (size > MAX_EXPRESSION_BYTES) {
            throw invalid("Expression size has exceeded the maximum allowed size; expression size: " + size);
        }
        context.expressionSeen();
        this.tokens = tokenize();
    }

    /** Every document path the parsed expression mentions. */
    List<DocumentPath> paths() {
        return List.copyOf(paths);
    }

    Condition condition() {
        Condition condition = or();
        expectEnd();
        return condition;
    }

    UpdateExpression update() {
        List<UpdateExpression.Action> actions = new ArrayList<>();
        Set<UpdateExpression.ActionType> sections = new LinkedHashSet<>();
        do {
            Token keyword = next();
            UpdateExpression.ActionType type = keyword.kind() == Kind.NAME ? sectionType(keyword.text()) : null;
            if (type == null) {
                throw syntaxError(keyword);
            }
            if (!sections.add(type)) {
                throw invalid("The \"" + type + "\" section can only be used once in an update expression;");
            }
            do {
                actions.add(action(type));
            } while (accept(","));
        } while (peek().kind() != Kind.EOF);
        requireNoOverlap(actions.stream().map(UpdateExpression.Action::path).toList());
        return new UpdateExpression(actions);
    }

    private static UpdateExpression.ActionType sectionType(String word) {
        for (UpdateExpression.ActionType type : UpdateExpression.ActionType.values()) {
            if (type.name().equalsIgnoreCase(word)) {
                return type;
            }
        }
        return null;
    }

    private UpdateExpression.Action action(UpdateExpression.ActionType type) {
        DocumentPath path = path();
        if (type == UpdateExpression.ActionType.REMOVE) {
            return new UpdateExpression.Action(type, path, null);
        }
        if (type == UpdateExpression.ActionType.SET) {
            expect("=");
            return new UpdateExpression.Action(type, path, setValue());
        }
        AttributeValue value = valuePlaceholder();
        boolean numberAdd = type == UpdateExpression.ActionType.ADD && value.type() == AttributeValue.Type.N;
        if (!value.isSet() && !numberAdd) {
            throw incorrectOperandType(type.name(), value);
        }
        return new UpdateExpression.Action(type, path, value);
    }

    private UpdateExpression.Value setValue() {
        UpdateExpression.Value left = setTerm();
        if (peek().is("+") || peek().is("-")) {
            String operator = next().text();
            UpdateExpression.Value right = setTerm();
            requireLiteralType(left, AttributeValue.Type.N, operator);
            requireLiteralType(right, AttributeValue.Type.N, operator);
            return new UpdateExpression.Arithmetic(left, right, operator.equals("+"));
        }
        return left;
    }

    private UpdateExpression.Value setTerm() {
        Token token = peek();
        if (token.kind() == Kind.VALUE_PLACEHOLDER) {
            return new UpdateExpression.LiteralValue(valuePlaceholder());
        }
        if (isFunctionCall()) {
            throw functionNotAllowed(next().text(), "an update expression");
        }
        return new UpdateExpression.PathValue(path());
    }

    private void requireLiteralType(UpdateExpression.Value value, AttributeValue.Type type, String operator) {
        if (value instanceof UpdateExpression.LiteralValue literal && literal.value().type() != type) {
            throw incorrectOperandType(operator, literal.value());
        }
    }

    // ---- conditions -----------------------------------------------------------------------------------------

    private Condition or() {
        Condition condition = and();
        while (acceptKeyword("OR")) {
            condition = new Condition.Or(condition, and());
        }
        return condition;
    }

    private Condition and() {
        Condition condition = not();
        while (acceptKeyword("AND")) {
            condition = new Condition.And(condition, not());
        }
        return condition;
    }

    private Condition not() {
        if (acceptKeyword("NOT")) {
            return new Condition.Not(not());
        }
        return primary();
    }

    private Condition primary() {
        if (accept("(")) {
            Condition condition = or();
            expect(")");
            return condition;
        }
        if (isFunctionCall() && CONDITION_FUNCTIONS.contains(peek().text())) {
            return conditionFunction();
        }
        Operand left = operand();
        Token token = next();
        Condition.Comparator comparator = token.kind() == Kind.SYMBOL ? Condition.Comparator.of(token.text()) : null;
        if (comparator != null) {
            Operand right = operand();
            if (comparator.ordering()) {
                requireOrderable(comparator.symbol, left);
                requireOrderable(comparator.symbol, right);
            }
            return new Condition.Compare(comparator, left, right);
        }
        if (token.isKeyword("BETWEEN") || token.isKeyword("IN")) {
            throw ApiException.unsupported("The " + token.text().toUpperCase(Locale.ROOT) + " operator");
        }
        throw syntaxError(token);
    }

    private Condition conditionFunction() {
        String function = next().text();
        List<Operand> arguments = arguments();
        int expected = function.startsWith("attribute_") ? 1 : 2;
        if (arguments.size() != expected) {
            throw invalid("Incorrect number of operands for operator or function; operator or function: " + function
                    + ", number of operands: " + arguments.size());
        }
        if (!(arguments.get(0) instanceof Operand.Path subject)) {
            throw invalid("Operator or function requires a document path; operator or function: " + function);
        }
        return switch (function) {
            case "attribute_exists" -> new Condition.Exists(subject.path(), true);
            case "attribute_not_exists" -> new Condition.Exists(subject.path(), false);
            default -> {
                if (arguments.get(1) instanceof Operand.Literal prefix
                        && prefix.value().type() != AttributeValue.Type.S
                        && prefix.value().type() != AttributeValue.Type.B) {
                    throw incorrectOperandType(function, prefix.value());
                }
                yield new Condition.BeginsWith(subject, arguments.get(1));
            }
        };
    }

    private List<Operand> arguments() {
        expect("(");
        List<Operand> arguments = new ArrayList<>();
        do {
            arguments.add(operand());
        } while (accept(","));
        expect(")");
        return arguments;
    }

    private Operand operand() {
        Token token = peek();
        if (token.kind() == Kind.VALUE_PLACEHOLDER) {
            return new Operand.Literal(valuePlaceholder());
        }
        if (isFunctionCall()) {
            throw functionNotAllowed(next().text(), "this position");
        }
        return new Operand.Path(path());
    }

    private void requireOrderable(String operator, Operand operand) {
        if (operand instanceof Operand.Literal literal && !literal.value().isScalarKeyType()) {
            throw incorrectOperandType(operator, literal.value());
        }
    }

    // ---- paths and placeholders -----------------------------------------------------------------------------

    private DocumentPath path() {
        List<Object> elements = new ArrayList<>();
        elements.add(pathName());
        while (true) {
            if (accept(".")) {
                elements.add(pathName());
            } else if (accept("[")) {
                Token index = next();
                if (index.kind() != Kind.INTEGER) {
                    throw syntaxError(index);
                }
                try {
                    elements.add(Integer.parseInt(index.text()));
                } catch (NumberFormatException e) {
                    throw syntaxError(index);
                }
                expect("]");
            } else {
                break;
            }
        }
        DocumentPath path = new DocumentPath(elements);
        paths.add(path);
        return path;
    }

    private String pathName() {
        Token token = next();
        if (token.kind() == Kind.NAME_PLACEHOLDER) {
            String name = context.name(token.text());
            if (name == null) {
                throw invalid("An expression attribute name used in the document path is not defined; attribute name: "
                        + token.text());
            }
            return name;
        }
        if (token.kind() != Kind.NAME || Set.of("AND", "OR", "NOT", "BETWEEN", "IN")
                .contains(token.text().toUpperCase(Locale.ROOT))) {
            throw syntaxError(token);
        }
        if (RESERVED_WORDS.contains(token.text().toUpperCase(Locale.ROOT))) {
            throw invalid("Attribute name is a reserved keyword; reserved keyword: " + token.text());
        }
        return token.text();
    }

    private AttributeValue valuePlaceholder() {
        Token token = next();
        if (token.kind() != Kind.VALUE_PLACEHOLDER) {
            throw syntaxError(token);
        }
        AttributeValue value = context.value(token.text());
        if (value == null) {
            throw invalid("An expression attribute value used in expression is not defined; attribute value: "
                    + token.text());
        }
        return value;
    }

    private void requireNoOverlap(List<DocumentPath> written) {
        for (int i = 0; i < written.size(); i++) {
            for (int j = i + 1; j < written.size(); j++) {
                if (written.get(i).overlaps(written.get(j))) {
                    throw invalid("Two document paths overlap with each other; must remove or rewrite one of these "
                            + "paths; path one: " + written.get(i) + ", path two: " + written.get(j));
                }
            }
        }
    }

    // ---- tokens ---------------------------------------------------------------------------------------------

    private boolean isFunctionCall() {
        return peek().kind() == Kind.NAME && position + 1 < tokens.size() && tokens.get(position + 1).is("(");
    }

    private Token peek() {
        return tokens.get(position);
    }

    private Token next() {
        Token token = tokens.get(position);
        if (token.kind() != Kind.EOF) {
            position++;
        }
        return token;
    }

    private boolean accept(String symbol) {
        if (peek().is(symbol)) {
            position++;
            return true;
        }
        return false;
    }

    private boolean acceptKeyword(String keyword) {
        if (peek().isKeyword(keyword)) {
            position++;
            return true;
        }
        return false;
    }

    private void expect(String symbol) {
        Token token = next();
        if (!token.is(symbol)) {
            throw syntaxError(token);
        }
    }

    private void expectKeyword(String keyword) {
        Token token = next();
        if (!token.isKeyword(keyword)) {
            throw syntaxError(token);
        }
    }

    private void expectEnd() {
        if (peek().kind() != Kind.EOF) {
            throw syntaxError(peek());
        }
    }

    private List<Token> tokenize() {
        List<Token> result = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            int start = i;
            Kind kind;
            if (Character.isLetter(c) || c == '_') {
                i = skipWordCharacters(i + 1);
                kind = Kind.NAME;
            } else if (Character.isDigit(c)) {
                while (i < text.length() && Character.isDigit(text.charAt(i))) {
                    i++;
                }
                kind = Kind.INTEGER;
            } else if (c == '#' || c == ':') {
                i = skipWordCharacters(i + 1);
                kind = c == '#' ? Kind.NAME_PLACEHOLDER : Kind.VALUE_PLACEHOLDER;
                if (i == start + 1) {
                    throw tokenError(start);
                }
            } else if ((c == '<' || c == '>') && i + 1 < text.length()
                    && (text.charAt(i + 1) == '=' || (c == '<' && text.charAt(i + 1) == '>'))) {
                i += 2;
                kind = Kind.SYMBOL;
            } else if ("()[],.=<>+-".indexOf(c) >= 0) {
                i++;
                kind = Kind.SYMBOL;
            } else {
                throw tokenError(start);
            }
            result.add(new Token(kind, text.substring(start, i), start, i));
        }
        result.add(new Token(Kind.EOF, "<EOF>", text.length(), text.length()));
        return result;
    }

    private int skipWordCharacters(int i) {
        while (i < text.length() && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_')) {
            i++;
        }
        return i;
    }

    // ---- errors ---------------------------------------------------------------------------------------------

    private ApiException invalid(String detail) {
        return ApiException.validation("Invalid " + expressionName + ": " + detail);
    }

    /** DynamoDB's shape: the offending token and the text from the token before it to the token after it. */
    private ApiException syntaxError(Token token) {
        int index = tokens.indexOf(token);
        int from = index > 0 ? tokens.get(index - 1).start() : token.start();
        int to = index + 1 < tokens.size() ? tokens.get(index + 1).end() : token.end();
        return invalid("Syntax error; token: \"" + token.text() + "\", near: \"" + text.substring(from, to) + "\"");
    }

    /** A character that starts no token. */
    private ApiException tokenError(int at) {
        int from = Math.max(0, at - 10);
        int to = Math.min(text.length(), at + 10);
        return invalid("Syntax error; token: \"" + text.charAt(at) + "\", near: \"" + text.substring(from, to) + "\"");
    }

    private ApiException incorrectOperandType(String operator, AttributeValue operand) {
        return invalid("Incorrect operand type for operator or function; operator or function: " + operator
                + ", operand type: " + operand.type());
    }

    private ApiException functionNotAllowed(String function, String where) {
        if (UNSUPPORTED_FUNCTIONS.contains(function)) {
            return ApiException.unsupported("The function " + function);
        }
        if (CONDITION_FUNCTIONS.contains(function)) {
            return invalid("The function is not allowed to be used this way in an expression; function: " + function
                    + " is not allowed in " + where);
        }
        return invalid("Invalid function name; function: " + function);
    }

    private static Set<String> loadReservedWords() {
        try (InputStream in = ExpressionParser.class.getResourceAsStream("reserved-words.txt")) {
            if (in == null) {
                throw new IllegalStateException("reserved-words.txt is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(line -> !line.startsWith("#"))
                    .flatMap(line -> Arrays.stream(line.trim().split("\\s+")))
                    .filter(word -> !word.isEmpty())
                    .collect(Collectors.toUnmodifiableSet());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
