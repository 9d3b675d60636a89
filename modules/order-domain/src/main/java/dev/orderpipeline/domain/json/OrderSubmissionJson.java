package dev.orderpipeline.domain.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orderpipeline.domain.model.CountryCodes;
import dev.orderpipeline.domain.model.Currency;
import dev.orderpipeline.domain.model.CurrencyTable;
import dev.orderpipeline.domain.model.CustomerId;
import dev.orderpipeline.domain.model.FieldError;
import dev.orderpipeline.domain.model.InvalidOrderException;
import dev.orderpipeline.domain.model.Money;
import dev.orderpipeline.domain.model.OrderLine;
import dev.orderpipeline.domain.model.OrderSubmission;
import dev.orderpipeline.domain.model.ShippingAddress;
import dev.orderpipeline.domain.model.Sku;
import dev.orderpipeline.domain.model.Text;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads and writes the order submission document: the body of {@code POST /orders} and the {@code order}
 * part of a queue message.
 *
 * <p>{@link #read} is the one validator of a submission: intake applies it to the body of {@code POST /orders} and
 * the confirmation stage to the {@code order} of every queue message ({@link OrderMessageJson}), so whatever intake
 * accepts, confirmation accepts. It reports every violation at once, each with a JSON pointer, so a client can fix a
 * form in one round trip. Messages describe the rule, never echo the rejected value.
 *
 * <p>{@link #readStored} reads an order back from storage without those admission rules: a stored order stays
 * readable after any rule is tightened.
 */
public final class OrderSubmissionJson {
    private static final Set<String> ROOT_FIELDS = Set.of("customerId", "currency", "lines", "shippingAddress", "attributes");
    private static final Set<String> LINE_FIELDS = Set.of("sku", "quantity", "unitPrice");
    private static final Set<String> ADDRESS_FIELDS =
            Set.of("name", "line1", "line2", "city", "region", "postalCode", "country");
    /** Plain decimal, no sign, no exponent, at most {@link Currency#MAX_MINOR_UNITS} decimals (the v1 event's limit). */
    private static final Pattern DECIMAL = Pattern.compile("^(0|[1-9][0-9]{0,9})(\\.[0-9]{1," + Currency.MAX_MINOR_UNITS + "})?$");

    private OrderSubmissionJson() {
    }

    /** Parses and validates; throws {@link MalformedJsonException} or {@link InvalidOrderException}. */
    public static OrderSubmission read(byte[] utf8) {
        return read(OrderJson.parse(utf8), "");
    }

    /**
     * Validates a submission found at {@code base} (a JSON pointer prefix, "" for a document root).
     *
     * @throws InvalidOrderException with every violation found
     */
    public static OrderSubmission read(JsonNode node, String base) {
        List<FieldError> errors = new ArrayList<>();
        if (node == null || !node.isObject()) {
            throw new InvalidOrderException(List.of(new FieldError(base, "type", "an order must be a JSON object")));
        }
        unknownFields(node, ROOT_FIELDS, base, errors);

        CustomerId customerId = null;
        String customerText = requiredString(node, "customerId", base, errors);
        if (customerText != null) {
            if (CustomerId.isValid(customerText)) {
                customerId = new CustomerId(customerText);
            } else {
                errors.add(new FieldError(base + "/customerId", "invalid_format",
                        "customerId must be 1.." + CustomerId.MAX_LENGTH + " of A-Z a-z 0-9 . _ : @ -"));
            }
        }

        Currency currency = null;
        String currencyText = requiredString(node, "currency", base, errors);
        if (currencyText != null) {
            Optional<CurrencyTable.Entry> listed = CurrencyTable.lookup(currencyText);
            if (listed.isEmpty()) {
                errors.add(new FieldError(base + "/currency", "unknown_currency",
                        "currency must be an active ISO 4217 code, e.g. EUR"));
            } else {
                currency = listed.get().orderCurrency().orElse(null);
                if (currency == null) {
                    errors.add(new FieldError(base + "/currency", "unsupported_currency",
                            "orders are priced only in currencies with 0.." + Currency.MAX_MINOR_UNITS + " minor units"));
                }
            }
        }

        List<OrderLine> lines = lines(node.get("lines"), base + "/lines", currency, errors);
        Optional<ShippingAddress> address = address(node.get("shippingAddress"), base + "/shippingAddress", errors);
        Map<String, String> attributes = attributes(node.get("attributes"), base + "/attributes", errors);

        if (!errors.isEmpty()) {
            throw new InvalidOrderException(errors);
        }
        return new OrderSubmission(customerId, currency, lines, address, attributes);
    }

    /**
     * Reads a submission exactly as {@link #write} stored it, applying no admission rule: not the currency table, not
     * the text or attribute limits. Only what every order ever written has is required (the record constructors'
     * checks); the currency's scale is taken from the stored amounts, which {@link #write} renders at that scale.
     *
     * @throws IllegalArgumentException when the document is not a stored submission at all (corruption)
     */
    public static OrderSubmission readStored(JsonNode node) {
        try {
            JsonNode lineNodes = node.required("lines");
            int scale = new BigDecimal(lineNodes.required(0).required("unitPrice").textValue()).scale();
            Currency currency = new Currency(node.required("currency").textValue(), scale);
            List<OrderLine> lines = new ArrayList<>(lineNodes.size());
            for (JsonNode l : lineNodes) {
                lines.add(new OrderLine(new Sku(l.required("sku").textValue()), l.required("quantity").intValue(),
                        new Money(currency, new BigDecimal(l.required("unitPrice").textValue()))));
            }
            Optional<ShippingAddress> address = Optional.empty();
            JsonNode a = node.get("shippingAddress");
            if (a != null) {
                address = Optional.of(new ShippingAddress(text(a, "name"), text(a, "line1"), text(a, "line2"),
                        text(a, "city"), text(a, "region"), text(a, "postalCode"), text(a, "country")));
            }
            Map<String, String> attributes = new LinkedHashMap<>();
            JsonNode attrs = node.get("attributes");
            if (attrs != null) {
                attrs.fields().forEachRemaining(e -> attributes.put(e.getKey(), e.getValue().textValue()));
            }
            return new OrderSubmission(new CustomerId(node.required("customerId").textValue()), currency, lines,
                    address, attributes);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("not a stored order submission: " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null ? null : value.textValue();
    }

    public static ObjectNode write(OrderSubmission s) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("customerId", s.customerId().value());
        root.put("currency", s.currency().code());
        root.set("lines", linesJson(s.lines(), false));
        s.shippingAddress().ifPresent(a -> {
            ObjectNode addr = root.putObject("shippingAddress");
            addr.put("name", a.name());
            addr.put("line1", a.line1());
            if (a.line2() != null) {
                addr.put("line2", a.line2());
            }
            addr.put("city", a.city());
            if (a.region() != null) {
                addr.put("region", a.region());
            }
            addr.put("postalCode", a.postalCode());
            addr.put("country", a.country());
        });
        if (!s.attributes().isEmpty()) {
            ObjectNode attrs = root.putObject("attributes");
            s.attributes().forEach(attrs::put);
        }
        return root;
    }

    static ArrayNode linesJson(List<OrderLine> lines, boolean withLineTotal) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        for (OrderLine line : lines) {
            ObjectNode l = array.addObject();
            l.put("sku", line.sku().value());
            l.put("quantity", line.quantity());
            l.put("unitPrice", line.unitPrice().toDecimalString());
            if (withLineTotal) {
                l.put("lineTotal", line.lineTotal().toDecimalString());
            }
        }
        return array;
    }

    private static List<OrderLine> lines(JsonNode node, String at, Currency currency, List<FieldError> errors) {
        if (node == null) {
            errors.add(new FieldError(at, "required", "lines is required"));
            return List.of();
        }
        if (!node.isArray()) {
            errors.add(new FieldError(at, "type", "lines must be an array"));
            return List.of();
        }
        if (node.isEmpty()) {
            errors.add(new FieldError(at, "too_few", "an order needs at least one line"));
            return List.of();
        }
        if (node.size() > OrderSubmission.MAX_LINES) {
            errors.add(new FieldError(at, "too_many", "an order has at most " + OrderSubmission.MAX_LINES + " lines"));
            return List.of();
        }
        List<OrderLine> lines = new ArrayList<>(node.size());
        BigDecimal total = BigDecimal.ZERO;
        for (int i = 0; i < node.size(); i++) {
            String lineAt = at + "/" + i;
            JsonNode line = node.get(i);
            if (!line.isObject()) {
                errors.add(new FieldError(lineAt, "type", "each line must be a JSON object"));
                continue;
            }
            unknownFields(line, LINE_FIELDS, lineAt, errors);
            Sku sku = null;
            String skuText = requiredString(line, "sku", lineAt, errors);
            if (skuText != null) {
                if (Sku.isValid(skuText)) {
                    sku = new Sku(skuText);
                } else {
                    errors.add(new FieldError(lineAt + "/sku", "invalid_format",
                            "sku must be 1.." + Sku.MAX_LENGTH + " of A-Z 0-9 -, starting with A-Z or 0-9"));
                }
            }
            Integer quantity = quantity(line.get("quantity"), lineAt + "/quantity", errors);
            Money price = unitPrice(line.get("unitPrice"), lineAt + "/unitPrice", currency, errors);
            if (sku != null && quantity != null && price != null) {
                // summed as plain decimals: a line total above Money.MAX_AMOUNT is reported as total_too_large
                // below, whereas OrderLine.lineTotal() would throw before the rule could be reported
                total = total.add(price.amount().multiply(BigDecimal.valueOf(quantity)));
                lines.add(new OrderLine(sku, quantity, price));
            }
        }
        if (total.compareTo(Money.MAX_AMOUNT) > 0) {
            errors.add(new FieldError(at, "total_too_large", "the order total must not exceed " + Money.MAX_AMOUNT.toPlainString()));
        }
        return lines;
    }

    private static Integer quantity(JsonNode node, String at, List<FieldError> errors) {
        if (node == null) {
            errors.add(new FieldError(at, "required", "quantity is required"));
            return null;
        }
        if (!node.isIntegralNumber()) {
            errors.add(new FieldError(at, "type", "quantity must be a whole number without decimals or exponent"));
            return null;
        }
        if (!node.canConvertToInt() || node.intValue() < 1 || node.intValue() > OrderLine.MAX_QUANTITY) {
            errors.add(new FieldError(at, "out_of_range", "quantity must be between 1 and " + OrderLine.MAX_QUANTITY));
            return null;
        }
        return node.intValue();
    }

    private static Money unitPrice(JsonNode node, String at, Currency currency, List<FieldError> errors) {
        if (node == null) {
            errors.add(new FieldError(at, "required", "unitPrice is required"));
            return null;
        }
        if (!node.isTextual()) {
            errors.add(new FieldError(at, "type", "unitPrice must be a decimal string such as \"12.50\", not a number"));
            return null;
        }
        String text = node.textValue();
        if (!DECIMAL.matcher(text).matches()) {
            errors.add(new FieldError(at, "invalid_format", "unitPrice must be a plain decimal string such as \"12.50\""));
            return null;
        }
        if (currency == null) {
            return null; // the currency error is already reported; the price cannot be judged without it
        }
        BigDecimal amount = new BigDecimal(text);
        int scale = currency.minorUnits();
        if (amount.scale() > scale) {
            errors.add(new FieldError(at, "excess_precision",
                    "unitPrice has more decimals than " + currency.code() + " allows (" + scale + ")"));
            return null;
        }
        if (amount.signum() <= 0 || amount.compareTo(Money.MAX_AMOUNT) > 0) {
            errors.add(new FieldError(at, "out_of_range", "unitPrice must be above 0 and at most " + Money.MAX_AMOUNT.toPlainString()));
            return null;
        }
        return new Money(currency, amount.setScale(scale));
    }

    private static Optional<ShippingAddress> address(JsonNode node, String at, List<FieldError> errors) {
        if (node == null) {
            return Optional.empty();
        }
        if (!node.isObject()) {
            errors.add(new FieldError(at, "type", "shippingAddress must be a JSON object (omit it when there is none)"));
            return Optional.empty();
        }
        unknownFields(node, ADDRESS_FIELDS, at, errors);
        int before = errors.size();
        String name = addressText(node, "name", at, true, ShippingAddress.MAX_FIELD_LENGTH, errors);
        String line1 = addressText(node, "line1", at, true, ShippingAddress.MAX_FIELD_LENGTH, errors);
        String line2 = addressText(node, "line2", at, false, ShippingAddress.MAX_FIELD_LENGTH, errors);
        String city = addressText(node, "city", at, true, ShippingAddress.MAX_FIELD_LENGTH, errors);
        String region = addressText(node, "region", at, false, ShippingAddress.MAX_FIELD_LENGTH, errors);
        String postal = addressText(node, "postalCode", at, true, ShippingAddress.MAX_POSTAL_CODE_LENGTH, errors);
        String country = requiredString(node, "country", at, errors);
        if (country != null && !CountryCodes.isIsoAlpha2(country)) {
            errors.add(new FieldError(at + "/country", "invalid_format", "country must be an ISO 3166-1 alpha-2 code such as DE"));
        }
        if (errors.size() > before) {
            return Optional.empty();
        }
        return Optional.of(new ShippingAddress(name, line1, line2, city, region, postal, country));
    }

    private static String addressText(JsonNode node, String field, String at, boolean required, int max,
                                      List<FieldError> errors) {
        JsonNode value = node.get(field);
        if (value == null && !required) {
            return null;
        }
        String text = requiredString(node, field, at, errors);
        if (text != null && !ShippingAddress.isValidField(text, max)) {
            errors.add(new FieldError(at + "/" + field, "invalid_format",
                    field + " must be 1.." + max + " characters (code points), not only spaces, without control characters or U+FFFE/U+FFFF"));
            return null;
        }
        return text;
    }

    private static Map<String, String> attributes(JsonNode node, String at, List<FieldError> errors) {
        if (node == null) {
            return Map.of();
        }
        if (!node.isObject()) {
            errors.add(new FieldError(at, "type", "attributes must be a JSON object of strings"));
            return Map.of();
        }
        if (node.size() > OrderSubmission.MAX_ATTRIBUTES) {
            errors.add(new FieldError(at, "too_many", "at most " + OrderSubmission.MAX_ATTRIBUTES + " attributes"));
            return Map.of();
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> e = fields.next();
            String fieldAt = at + "/" + pointerToken(e.getKey());
            if (!OrderSubmission.isValidAttributeKey(e.getKey())) {
                errors.add(new FieldError(fieldAt, "invalid_key",
                        "attribute names are 1.." + OrderSubmission.MAX_ATTRIBUTE_KEY_LENGTH
                                + " characters (code points) without control characters or U+FFFE/U+FFFF"));
            } else if (!e.getValue().isTextual()) {
                errors.add(new FieldError(fieldAt, "type", "attribute values must be strings"));
            } else if (!OrderSubmission.isValidAttributeValue(e.getValue().textValue())) {
                errors.add(new FieldError(fieldAt, "invalid_format",
                        "attribute values are at most " + OrderSubmission.MAX_ATTRIBUTE_VALUE_LENGTH
                                + " characters (code points) without control characters or U+FFFE/U+FFFF"));
            } else {
                attributes.put(e.getKey(), e.getValue().textValue());
            }
        }
        return attributes;
    }

    private static String requiredString(JsonNode node, String field, String at, List<FieldError> errors) {
        JsonNode value = node.get(field);
        if (value == null) {
            errors.add(new FieldError(at + "/" + field, "required", field + " is required"));
            return null;
        }
        if (!value.isTextual()) {
            errors.add(new FieldError(at + "/" + field, "type", field + " must be a string"));
            return null;
        }
        return value.textValue();
    }

    private static void unknownFields(JsonNode node, Set<String> allowed, String at, List<FieldError> errors) {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!allowed.contains(name)) {
                errors.add(new FieldError(at + "/" + pointerToken(name), "unknown_field", "this field is not part of an order"));
            }
        }
    }

    /**
     * A client-chosen name as a pointer token: escaped per RFC 6901 when it is short and printable, otherwise
     * replaced by {@code (unnamed)} so that errors and logs never carry long or control-character input.
     */
    private static String pointerToken(String name) {
        return Text.isAcceptable(name, 0, OrderSubmission.MAX_ATTRIBUTE_KEY_LENGTH) ? escape(name) : "(unnamed)";
    }

    /** RFC 6901 escaping of one reference token. */
    static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }
}
