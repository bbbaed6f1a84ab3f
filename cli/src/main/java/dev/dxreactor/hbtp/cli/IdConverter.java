package dev.dxreactor.hbtp.cli;

import picocli.CommandLine;

/**
 * Reads a route, topic or event id: HBTP/1 names them by dense u16 numbers, written in decimal or as
 * {@code 0x} hex.
 */
final class IdConverter implements CommandLine.ITypeConverter<Integer> {

    @Override
    public Integer convert(String value) {
        String text = value.trim();
        int id;
        try {
            id = text.startsWith("0x") || text.startsWith("0X")
                    ? Integer.parseInt(text.substring(2), 16) : Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("'" + value
                    + "' is not an id: HBTP routes, topics and events are numbers 0..65535 (decimal or 0x hex)");
        }
        if (id < 0 || id > 0xFFFF) {
            throw new CommandLine.TypeConversionException("id " + value + " is outside 0..65535");
        }
        return id;
    }
}
