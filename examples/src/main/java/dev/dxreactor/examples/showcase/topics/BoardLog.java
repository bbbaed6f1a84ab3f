package dev.dxreactor.examples.showcase.topics;

import dev.dxreactor.dbteleport.TopicChangeKind;
import dev.dxreactor.dbteleport.TopicChangeListener;
import dev.dxreactor.examples.showcase.messages.ItemList;
import dev.dxreactor.examples.showcase.messages.ItemView;
import dev.dxreactor.examples.showcase.messages.Money;
import dev.dxreactor.examples.showcase.store.Catalog;
import io.netty.buffer.ByteBuf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One log line per change this instance applied to its category topics: which, from any instance, in order. */
public final class BoardLog implements TopicChangeListener {

    private static final Logger LOG = LoggerFactory.getLogger("showcase.board");

    @Override
    public void applied(int topic, long seq, TopicChangeKind kind, long version, ByteBuf payload) {
        if (kind == TopicChangeKind.SNAPSHOT) {
            int[] count = {0};
            ItemList.forEach(payload, item -> count[0]++);
            LOG.info("topic {} ({}) #{}: snapshot of {} items", topic, Catalog.categoryOf(topic), seq, count[0]);
        } else {
            ItemView item = ItemView.wrap(payload);
            LOG.info("topic {} ({}) #{}: item {} now {} (stock {})", topic, Catalog.categoryOf(topic), seq, item.id(),
                    Money.format(item.priceCents()), item.stock());
        }
    }
}
