package dev.orderpipeline.bench.coldstart;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** A function's deployment zip, unpacked as Lambda unpacks it ({@code lib/*.jar}), and what it weighs. */
record FunctionPackage(String name, Path zip, Path dir, long zipBytes, long unpackedBytes, int jars, int classes) {

    static FunctionPackage unpack(String name, Path zip, Path into) {
        try {
            Files.createDirectories(into);
            long unpacked = 0;
            try (ZipFile z = new ZipFile(zip.toFile())) {
                Enumeration<? extends ZipEntry> entries = z.entries();
                while (entries.hasMoreElements()) {
                    ZipEntry e = entries.nextElement();
                    Path target = into.resolve(e.getName()).normalize();
                    if (!target.startsWith(into)) {
                        throw new IOException("entry outside the package: " + e.getName());
                    }
                    if (e.isDirectory()) {
                        Files.createDirectories(target);
                        continue;
                    }
                    Files.createDirectories(target.getParent());
                    try (InputStream in = z.getInputStream(e)) {
                        unpacked += Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
            List<Path> jars;
            try (Stream<Path> s = Files.list(into.resolve("lib"))) {
                jars = s.filter(p -> p.toString().endsWith(".jar")).toList();
            }
            int classes = 0;
            for (Path jar : jars) {
                try (ZipFile j = new ZipFile(jar.toFile())) {
                    classes += (int) j.stream().filter(e -> e.getName().endsWith(".class")).count();
                }
            }
            return new FunctionPackage(name, zip, into, Files.size(zip), unpacked, jars.size(), classes);
        } catch (IOException e) {
            throw new UncheckedIOException("could not unpack " + zip, e);
        }
    }

    /** The classpath Lambda uses for a zip: its root and every jar in lib/. */
    String classpath(Path probeClasses) {
        return dir + java.io.File.pathSeparator + dir.resolve("lib") + java.io.File.separator + "*"
                + java.io.File.pathSeparator + probeClasses;
    }
}
