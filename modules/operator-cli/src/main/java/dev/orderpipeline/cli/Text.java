package dev.orderpipeline.cli;

import java.time.Duration;
import java.time.Instant;

/** Small formatting helpers for terminal output. */
final class Text {
    private Text() {
    }

    /**
     * The first {@code max} characters with control characters escaped ({@code \n}, {@code \t}, {@code \u001b}…), so
     * that a message body can neither break the one-line-per-message layout nor send escape sequences to the terminal.
     */
    static String preview(String s, int max) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        int count = 0;
        for (int i = 0; i < s.length() && count < max; i++, count++) {
            char c = s.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        if (s.length() > max) {
            out.append("… (").append(s.length()).append(" chars)");
        }
        return out.toString();
    }

    /** {@code 45s}, {@code 3m 12s}, {@code 2h 05m}, {@code 3d 04h}. */
    static String age(Duration d) {
        long s = Math.max(0, d.getSeconds());
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return (s / 60) + "m " + String.format("%02ds", s % 60);
        }
        if (s < 86400) {
            return (s / 3600) + "h " + String.format("%02dm", (s % 3600) / 60);
        }
        return (s / 86400) + "d " + String.format("%02dh", (s % 86400) / 3600);
    }

    static String epochMillis(String millis) {
        try {
            return Instant.ofEpochMilli(Long.parseLong(millis)).toString();
        } catch (NumberFormatException e) {
            return millis == null ? "-" : millis;
        }
    }
}
