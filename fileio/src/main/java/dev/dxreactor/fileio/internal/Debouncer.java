package dev.dxreactor.fileio.internal;

import dev.dxreactor.fileio.FileEvent;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Folds raw change notifications into one event per path once the path has been quiet for a window, and pairs a
 * deletion with a creation of the same file (same identity, size and time stamp) into a rename. Not thread-safe:
 * callers synchronise.
 */
public final class Debouncer {

    public enum Raw { CREATE, MODIFY, DELETE }

    private static final class Pending {
        final Raw first;
        Raw last;
        byte[] identity;
        boolean directory;
        long lastNanos;

        Pending(Raw first) {
            this.first = first;
        }
    }

    private final long windowNanos;
    private final Map<Path, Pending> pending = new HashMap<>();

    public Debouncer(long windowNanos) {
        this.windowNanos = windowNanos;
    }

    /** Records a raw notification; {@code identity} is the file's identity (before deletion for a delete). */
    public void add(Raw kind, Path path, byte[] identity, boolean directory, long nowNanos) {
        Pending p = pending.computeIfAbsent(path, k -> new Pending(kind));
        p.last = kind;
        p.directory = directory;
        if (identity != null) {
            p.identity = identity;
        }
        p.lastNanos = nowNanos;
    }

    public boolean isEmpty() {
        return pending.isEmpty();
    }

    /** The events of every path quiet since {@code nowNanos - window}, renames paired. */
    public List<FileEvent> flush(long nowNanos) {
        List<Map.Entry<Path, Pending>> ready = new ArrayList<>();
        for (Iterator<Map.Entry<Path, Pending>> it = pending.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Path, Pending> e = it.next();
            if (nowNanos - e.getValue().lastNanos >= windowNanos) {
                ready.add(e);
                it.remove();
            }
        }
        List<FileEvent> events = new ArrayList<>(ready.size());
        List<Map.Entry<Path, Pending>> deleted = new ArrayList<>();
        List<Map.Entry<Path, Pending>> created = new ArrayList<>();
        for (Map.Entry<Path, Pending> e : ready) {
            FileEvent.Kind kind = net(e.getValue());
            if (kind == FileEvent.Kind.DELETED) {
                deleted.add(e);
            } else if (kind == FileEvent.Kind.CREATED) {
                created.add(e);
            } else if (kind != null) {
                events.add(new FileEvent(kind, e.getKey(), null, e.getValue().directory));
            }
        }
        for (Map.Entry<Path, Pending> gone : deleted) {
            Map.Entry<Path, Pending> match = null;
            if (gone.getValue().identity != null && !gone.getValue().directory) {
                for (Map.Entry<Path, Pending> c : created) {
                    if (Arrays.equals(gone.getValue().identity, c.getValue().identity)) {
                        match = c;
                        break;
                    }
                }
            }
            if (match != null) {
                created.remove(match);
                events.add(new FileEvent(FileEvent.Kind.RENAMED, match.getKey(), gone.getKey(), false));
            } else {
                events.add(new FileEvent(FileEvent.Kind.DELETED, gone.getKey(), null, gone.getValue().directory));
            }
        }
        for (Map.Entry<Path, Pending> c : created) {
            events.add(new FileEvent(FileEvent.Kind.CREATED, c.getKey(), null, c.getValue().directory));
        }
        return events;
    }

    /** The net change of a burst: created-then-deleted is nothing, deleted-then-created is a modification. */
    private static FileEvent.Kind net(Pending p) {
        return switch (p.first) {
            case CREATE -> p.last == Raw.DELETE ? null : FileEvent.Kind.CREATED;
            case MODIFY -> p.last == Raw.DELETE ? FileEvent.Kind.DELETED : FileEvent.Kind.MODIFIED;
            case DELETE -> p.last == Raw.DELETE ? FileEvent.Kind.DELETED : FileEvent.Kind.MODIFIED;
        };
    }
}
