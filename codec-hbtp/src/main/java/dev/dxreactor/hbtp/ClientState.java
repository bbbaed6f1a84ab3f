package dev.dxreactor.hbtp;

import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.collection.IntObjectMap;

/**
 * What a client keeps across its connections: topic subscriptions with the versions their listeners hold, the
 * SERVER_EVENT listeners, and whether it is reconnecting. A client's connections all run on one event loop,
 * which alone touches the maps.
 */
final class ClientState {

    final IntObjectMap<HbtpSubscription> subscriptions = new IntObjectHashMap<>();
    final IntObjectMap<HbtpClientEventListener> eventListeners = new IntObjectHashMap<>();
    /** The connection was lost and a new one is being made: calls meanwhile fail with UNAVAILABLE at once. */
    volatile boolean reconnecting;
}
