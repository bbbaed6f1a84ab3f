package dev.dxreactor.benchmarks.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A Markdown table: columns left- or right-aligned (figures right), then rows of cells as given. */
public final class MarkdownTable {

    private final List<String> headers = new ArrayList<>();
    private final List<Boolean> rightAligned = new ArrayList<>();
    private final StringBuilder rows = new StringBuilder();

    /** Adds a left-aligned column; an empty header leaves the cell blank. */
    public MarkdownTable left(String header) {
        headers.add(header);
        rightAligned.add(false);
        return this;
    }

    /** Adds a right-aligned column, for figures. */
    public MarkdownTable right(String header) {
        headers.add(header);
        rightAligned.add(true);
        return this;
    }

    /** A two-column table with blank headers, for "key | value" lists such as the run's environment. */
    public static MarkdownTable keyValue() {
        return new MarkdownTable().left("").left("");
    }

    /** The {@code leading} columns, then one right-aligned column per round, {@code round 1} onwards. */
    public static MarkdownTable perRound(int rounds, String... leading) {
        MarkdownTable table = new MarkdownTable();
        for (String header : leading) {
            table.left(header);
        }
        for (int r = 1; r <= rounds; r++) {
            table.right("round " + r);
        }
        return table;
    }

    /** Appends a row of {@code cells}, as many as there are columns. */
    public MarkdownTable row(String... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException(cells.length + " cells for " + headers.size() + " columns");
        }
        rows.append(line(List.of(cells)));
        return this;
    }

    /** Appends a row of the {@code leading} cells, then each value in {@code format} ({@link Locale#ROOT}). */
    public MarkdownTable row(String format, double[] values, String... leading) {
        List<String> cells = new ArrayList<>(List.of(leading));
        for (double value : values) {
            cells.add(String.format(Locale.ROOT, format, value));
        }
        return row(cells.toArray(String[]::new));
    }

    /** The header, the alignment line and the rows, each line ending in a newline. */
    public String render() {
        StringBuilder md = new StringBuilder(line(headers));
        md.append('|');
        for (boolean right : rightAligned) {
            md.append(right ? " ---: |" : " --- |");
        }
        return md.append('\n').append(rows).toString();
    }

    private static String line(List<String> cells) {
        StringBuilder md = new StringBuilder("|");
        for (String cell : cells) {
            md.append(cell.isEmpty() ? " |" : " " + cell + " |");
        }
        return md.append('\n').toString();
    }
}
