package dev.orderpipeline.stack;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A Lambda .zip package in Java's documented layout: the function's jar and its dependencies under {@code lib/}.
 * Reads it the way the Lambda runtime would see it, without unpacking to disk.
 */
final class FunctionPackage {
    private final Path zip;

    FunctionPackage(Path zip) {
        this.zip = zip;
    }

    /** Names of the jars under lib/. */
    List<String> libraryJars() {
        List<String> jars = new ArrayList<>();
        try (ZipFile file = new ZipFile(zip.toFile())) {
            Enumeration<? extends ZipEntry> entries = file.entries();
            while (entries.hasMoreElements()) {
                String name = entries.nextElement().getName();
                if (name.startsWith("lib/") && name.endsWith(".jar")) {
                    jars.add(name);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + zip, e);
        }
        return jars;
    }

    /** The lib/ jars that contain the given entry, e.g. {@code dev/orderpipeline/intake/IntakeHandler.class}. */
    List<String> jarsContaining(String entryName) {
        List<String> found = new ArrayList<>();
        forEachJarEntry((jar, entry, bytes) -> {
            if (entry.equals(entryName)) {
                found.add(jar);
            }
        }, false);
        return found;
    }

    /**
     * Which of the needles appear as text anywhere in the packaged code or resources (class-file string constants,
     * log4j2.xml, ...), as whole words. A plain byte search: enough for names such as environment variables or
     * metric names.
     */
    Set<String> textsFound(Collection<String> needles) {
        Set<String> found = new HashSet<>();
        forEachJarEntry((jar, entry, bytes) -> {
            // ISO-8859-1 maps each byte to one char, so String.indexOf is a fast byte search
            String text = new String(bytes, StandardCharsets.ISO_8859_1);
            for (String needle : needles) {
                if (!found.contains(needle) && containsWord(text, needle)) {
                    found.add(needle);
                }
            }
        }, true);
        return found;
    }

    @FunctionalInterface
    private interface EntryVisitor {
        void visit(String jar, String entry, byte[] bytes);
    }

    private void forEachJarEntry(EntryVisitor visitor, boolean withBytes) {
        try (ZipFile file = new ZipFile(zip.toFile())) {
            Enumeration<? extends ZipEntry> entries = file.entries();
            while (entries.hasMoreElements()) {
                ZipEntry outer = entries.nextElement();
                if (!outer.getName().startsWith("lib/") || !outer.getName().endsWith(".jar")) {
                    continue;
                }
                byte[] jarBytes;
                try (InputStream in = file.getInputStream(outer)) {
                    jarBytes = in.readAllBytes();
                }
                try (JarInputStream jar = new JarInputStream(new ByteArrayInputStream(jarBytes))) {
                    JarEntry inner;
                    while ((inner = jar.getNextJarEntry()) != null) {
                        if (inner.isDirectory()) {
                            continue;
                        }
                        visitor.visit(outer.getName(), inner.getName(), withBytes ? jar.readAllBytes() : null);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + zip, e);
        }
    }

    /** The needle as a whole word, not inside a longer identifier (EVENT_BUS is not found in EVENT_BUS_NAME). */
    private static boolean containsWord(String text, String needle) {
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            boolean wordStart = i == 0 || !isIdentifierByte(text.charAt(i - 1));
            int end = i + needle.length();
            boolean wordEnd = end == text.length() || !isIdentifierByte(text.charAt(end));
            if (wordStart && wordEnd) {
                return true;
            }
        }
        return false;
    }

    private static boolean isIdentifierByte(char b) {
        return (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') || b == '_';
    }
}
