package dev.dxreactor.examples.showcase.store;

import java.util.List;

/**
 * The categories of the price board and their HBTP topics: category {@code i} of {@link #CATEGORIES} (from 0)
 * is topic {@code i + 1} on every server. Fixed in code, like the seed, so clients need no lookup.
 */
public final class Catalog {

    /** Every category, in topic order. */
    public static final List<String> CATEGORIES = List.of("books", "coffee", "tea", "games", "music", "garden",
            "kitchen", "toys", "sports", "tools", "office", "outdoor");

    /** Items the seed writes. */
    public static final int SEED_ITEMS = 3000;

    private Catalog() {
    }

    /** The topic of {@code category}, or -1 for a name that is not a category. */
    public static int topicOf(String category) {
        int i = CATEGORIES.indexOf(category);
        return i < 0 ? -1 : i + 1;
    }

    /** The category of {@code topic}, or {@code null}. */
    public static String categoryOf(int topic) {
        return topic >= 1 && topic <= CATEGORIES.size() ? CATEGORIES.get(topic - 1) : null;
    }
}
