package dev.orderpipeline.emulator.eventbridge;

import java.util.Objects;
import java.util.regex.Pattern;

/** The region and account the endpoint pretends to be: they appear in every ARN and in each event's envelope. */
record AwsAccount(String region, String id) {
    private static final Pattern ACCOUNT_ID = Pattern.compile("\\d{12}");

    AwsAccount {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(id, "id");
        if (region.isBlank()) {
            throw new IllegalArgumentException("region must not be blank");
        }
        if (!ACCOUNT_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("account id must be 12 digits: " + id);
        }
    }

    String eventBusArn(String busName) {
        return "arn:aws:events:" + region + ":" + id + ":event-bus/" + busName;
    }

    /** Rules on the default bus keep the short form {@code rule/NAME}, as on AWS. */
    String ruleArn(String busName, String ruleName) {
        String path = EventBuses.DEFAULT_BUS.equals(busName) ? ruleName : busName + "/" + ruleName;
        return "arn:aws:events:" + region + ":" + id + ":rule/" + path;
    }

    String archiveArn(String archiveName) {
        return "arn:aws:events:" + region + ":" + id + ":archive/" + archiveName;
    }

    String replayArn(String replayName) {
        return "arn:aws:events:" + region + ":" + id + ":replay/" + replayName;
    }
}
