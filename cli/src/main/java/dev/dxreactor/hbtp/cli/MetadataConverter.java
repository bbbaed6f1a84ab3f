package dev.dxreactor.hbtp.cli;

import dev.dxreactor.hbtp.HbtpMetadata;
import picocli.CommandLine;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** Reads one {@code key=value} metadata entry; the value is sent as UTF-8 and may be empty. */
final class MetadataConverter implements CommandLine.ITypeConverter<HbtpMetadata.Entry> {

    @Override
    public HbtpMetadata.Entry convert(String value) {
        int eq = value.indexOf('=');
        if (eq <= 0) {
            throw new CommandLine.TypeConversionException("metadata '" + value + "' is not key=value");
        }
        String key = value.substring(0, eq);
        byte[] bytes = value.substring(eq + 1).getBytes(StandardCharsets.UTF_8);
        try {
            // The builder checks the key (1 to 255 printable ASCII characters) and the value's size.
            HbtpMetadata.builder().put(key, bytes);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
        return new HbtpMetadata.Entry(key, bytes);
    }

    /** The block of {@code entries}, in order; empty for none. */
    static HbtpMetadata block(List<HbtpMetadata.Entry> entries) {
        HbtpMetadata.Builder builder = HbtpMetadata.builder();
        for (HbtpMetadata.Entry entry : entries) {
            builder.put(entry.key(), entry.value());
        }
        return builder.build();
    }
}
